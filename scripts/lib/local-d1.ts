// Wrangler child-process helpers for the LOCAL D1 (never --remote): migrate, count, seed.
// Shared by `npm start`, `npm run seed -- --apply` and benchmarks that need a seeded catalog.
import { spawn, type SpawnOptions } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeCatalogSql, type Progress } from "./sql-writer";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const DEFAULT_CATALOG = { products: 3000, seed: 42 } as const;
export interface LocalOptions { persistTo?: string }

// Calling wrangler's own entry point skips npx's start-up cost; npx is the fallback.
const WRANGLER_JS = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
// CI=true keeps wrangler from prompting. Metrics and miniflare's download of a real `request.cf`
// object are off (unless set by the caller) so offline machines start quietly and reproducibly.
const CHILD_ENV = {
  ...process.env,
  CI: "true",
  WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false",
  CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? "false",
};

export function spawnWrangler(args: string[], options: SpawnOptions = {}) {
  const [cmd, argv]: [string, string[]] = existsSync(WRANGLER_JS)
    ? [process.execPath, [WRANGLER_JS, ...args]]
    : ["npx", ["wrangler", ...args]];
  return spawn(cmd, argv, { cwd: ROOT, env: CHILD_ENV, ...options });
}

// Runs wrangler to completion with output captured; its output is shown only if it fails.
export function runWrangler(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawnWrangler(args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.on("error", fail);
    child.on("close", (code) => code === 0 ? done(stdout)
      : fail(new Error(`wrangler ${args.join(" ")} exited with ${code}: ${errorLines(stdout + stderr)}`)));
  });
}

// Wrangler wraps the one useful line ("✘ [ERROR] UNIQUE constraint failed ...") in colour and log noise.
function errorLines(output: string): string {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const errors = plain.split("\n").filter((l) => l.includes("[ERROR]"));
  return errors.length > 0 ? errors.join("\n") : plain;
}

const local = ({ persistTo }: LocalOptions) =>
  ["--local", ...(persistTo ? ["--persist-to", resolve(persistTo)] : [])];

export const migrateLocal = (o: LocalOptions = {}) =>
  runWrangler(["d1", "migrations", "apply", "DB", ...local(o)]);

export const applySqlFile = (file: string, o: LocalOptions = {}) =>
  runWrangler(["d1", "execute", "DB", ...local(o), "--file", resolve(file), "--yes"]);

export async function countProducts(o: LocalOptions = {}): Promise<number> {
  const out = await runWrangler(["d1", "execute", "DB", ...local(o), "--json",
    "--command", "SELECT count(*) AS n FROM products"]);
  // --json prints an array with one { results, success, meta } per statement.
  const parsed = JSON.parse(out.slice(out.indexOf("["))) as Array<{ results: Array<{ n: number }> }>;
  const n = parsed[0]?.results[0]?.n;
  if (typeof n !== "number") throw new Error(`unexpected output from wrangler: ${out}`);
  return n;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const since = (t: number) => (performance.now() - t) / 1000;

// Progress on stderr: a rewritten line on a terminal, an occasional plain line in logs.
function progressReporter() {
  const start = performance.now();
  const tty = process.stderr.isTTY;
  let tableStart = start, table = "", shown = start;
  return (p: Progress) => {
    if (p.table !== table) { table = p.table; tableStart = performance.now(); }
    if (!p.done && performance.now() - shown < (tty ? 100 : 2000)) return;
    shown = performance.now();
    const secs = since(tableStart);
    const line = `  ${p.table.padEnd(8)} ${String(Math.floor(p.fraction * 100)).padStart(3)}%` +
      ` ${fmt(p.rows).padStart(11)} rows  ${secs.toFixed(1)}s  ${fmt(p.rows / Math.max(secs, 0.001))} rows/s`;
    process.stderr.write(tty ? `\r${line}\x1b[K${p.done ? "\n" : ""}` : `${line}\n`);
  };
}

export async function generateCatalogFile(out: string, catalog: { products: number; seed: number }) {
  const start = performance.now();
  process.stderr.write(`Writing ${fmt(catalog.products)} products (seed ${catalog.seed}) to ${out}\n`);
  const counts = await writeCatalogSql(out, catalog, progressReporter());
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  const secs = since(start);
  process.stderr.write(`Wrote ${fmt(rows)} rows (${(statSync(out).size / 1e6).toFixed(1)} MB) in ` +
    `${secs.toFixed(1)}s, ${fmt(rows / secs)} rows/s\n`);
  return counts;
}

export async function applyCatalogFile(file: string, o: LocalOptions = {}) {
  const start = performance.now();
  const what = `Loading ${file} into the local D1 (one transaction)`;
  process.stderr.write(`${what}...\n`);
  // wrangler reports nothing until the batch is done, so a terminal at least sees the clock run.
  const tick = process.stderr.isTTY
    ? setInterval(() => process.stderr.write(`\r  ${since(start).toFixed(0)}s\x1b[K`), 1000) : undefined;
  try {
    await applySqlFile(file, o);
  } finally {
    if (tick) { clearInterval(tick); process.stderr.write("\r\x1b[K"); }
  }
  process.stderr.write(`Loaded in ${since(start).toFixed(1)}s\n`);
}

// Makes sure the local D1 is migrated and holds a catalog; seeds one only when products is empty,
// so a second run (or a database someone filled by hand) is left alone.
export async function ensureLocalCatalog(opts: LocalOptions & { products?: number; seed?: number; out?: string } = {}) {
  const catalog = { products: opts.products ?? DEFAULT_CATALOG.products, seed: opts.seed ?? DEFAULT_CATALOG.seed };
  let t = performance.now();
  process.stderr.write("Applying D1 migrations (local)...\n");
  await migrateLocal(opts);
  process.stderr.write(`Migrations up to date (${since(t).toFixed(1)}s)\n`);
  const existing = await countProducts(opts);
  if (existing > 0) {
    process.stderr.write(`Local catalog has ${fmt(existing)} products; skipping seed\n`);
    return { seeded: false, products: existing };
  }
  t = performance.now();
  const out = opts.out ?? join(ROOT, ".tmp", "seed.sql");
  await generateCatalogFile(out, catalog);
  await applyCatalogFile(out, opts);
  process.stderr.write(`Seeded ${fmt(catalog.products)} products in ${since(t).toFixed(1)}s\n`);
  return { seeded: true, products: catalog.products };
}
