// Wrangler child-process helpers for the LOCAL D1 (never --remote): migrate, count, seed.
// Shared by `npm start`, `npm run seed`, `npm run import` and benchmarks that need a seeded catalog.
import { spawn, type SpawnOptions } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative, resolve } from "node:path";
import { type CatalogOptions, DEFAULT_CATALOG } from "./catalog-rows";
import { MIN_PRODUCTS_FOR_QUIRKS } from "./csv-quirks";
import { writeCatalogCsv } from "./csv-writer";
import { ROOT } from "./paths";
import { openLocalD1, type LocalD1 } from "./import-d1";
import { progressLine } from "./import-report";
import { importCatalog } from "./import-run";

export { ROOT };
/**
 * The wrangler environment every local command reads ([env.dev] in wrangler.toml: generous limits, open
 * origins). The top level is production's, so a local tool that forgot this would serve production's limits.
 */
export const LOCAL_ENV = ["--env", "dev"] as const;
export { DEFAULT_CATALOG } from "./catalog-rows";
export interface LocalOptions { persistTo?: string }

/**
 * `wrangler dev` reads ADMIN_TOKEN and the other local secrets from .dev.vars in the project root: made
 * from .dev.vars.example when missing, as `npm start` does. True when it was made now.
 */
export function ensureDevVars(): boolean {
  const devVars = join(ROOT, ".dev.vars");
  if (existsSync(devVars)) return false;
  copyFileSync(join(ROOT, ".dev.vars.example"), devVars);
  return true;
}

// Calling wrangler's own entry point skips npx's start-up cost; npx is the fallback.
const WRANGLER_JS = join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
// CI=true keeps wrangler from prompting. Metrics and miniflare's download of a real `request.cf`
// object are off (unless set by the caller) so offline machines start quietly and reproducibly.
export const CHILD_ENV = {
  ...process.env,
  CI: "true",
  WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false",
  CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? "false",
};

/** Why ip:port can't be listened on right now (EADDRINUSE when taken), or null when it can. */
export function listenError(ip: string, port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((done) => {
    const probe = createServer().once("error", done);
    probe.listen(port, ip, () => probe.close(() => done(null)));
  });
}

/**
 * Exits 1 with `name: ...` when ip:port can't be listened on. Found before anything runs: wrangler would
 * only notice after workerd failed to bind (a fatal stack trace, once an orphaned esbuild), and the seed
 * would have run for nothing. `retry` is the command to suggest with the next port.
 */
export async function exitIfPortBusy(name: string, ip: string, port: number, retry: string): Promise<void> {
  const busy = await listenError(ip, port);
  if (!busy) return;
  console.error(busy.code === "EADDRINUSE"
    ? `${name}: ${ip}:${port} is already in use (another server?). Stop it, or pick another port: ${retry} -- --port ${port + 1}`
    : `${name}: cannot listen on ${ip}:${port}: ${busy.message}`);
  process.exit(1);
}

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

/** wrangler's flags for the LOCAL D1 of [env.dev], in persistTo when given. */
export const localTarget = ({ persistTo }: LocalOptions) =>
  [...LOCAL_ENV, "--local", ...(persistTo ? ["--persist-to", resolve(persistTo)] : [])];

export const migrateLocal = (o: LocalOptions = {}) =>
  runWrangler(["d1", "migrations", "apply", "DB", ...localTarget(o)]);

/** Migrates the LOCAL D1 in persistTo (saying so on stderr), then opens it for `work` and closes it after. */
export async function withMigratedLocalD1<T>(persistTo: string | undefined, work: (d1: LocalD1) => Promise<T>): Promise<T> {
  process.stderr.write("Applying D1 migrations (local)...\n");
  await migrateLocal({ persistTo });
  const d1 = await openLocalD1(persistTo);
  try {
    return await work(d1);
  } finally {
    await d1.close();
  }
}

/** One statement's rows through `wrangler d1 execute --json` on `target` (localTarget(), or e.g. ["--env=", "--remote"]). */
export async function d1Execute<T>(sql: string, target: string[]): Promise<T[]> {
  const out = await runWrangler(["d1", "execute", "DB", ...target, "--json", "--command", sql]);
  // --json prints an array with one { results, success, meta } per statement.
  return (JSON.parse(out.slice(out.indexOf("["))) as Array<{ results: T[] }>)[0]?.results ?? [];
}

export async function countProducts(o: LocalOptions = {}): Promise<number> {
  const n = (await d1Execute<{ n: number }>("SELECT count(*) AS n FROM products", localTarget(o)))[0]?.n;
  if (typeof n !== "number") throw new Error("unexpected output from wrangler: no product count");
  return n;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const since = (t: number) => (performance.now() - t) / 1000;

/** Writes the sample catalog's six CSV files into `dir`, with progress on stderr (none when quiet). */
export async function generateCatalog(dir: string, catalog: CatalogOptions, quiet = false) {
  const start = performance.now();
  if (quiet) return (await writeCatalogCsv(dir, catalog, () => {})).counts;
  process.stderr.write(`Writing ${fmt(catalog.products)} products (seed ${catalog.seed}) as CSV to ${dir}\n`);
  const show = progressLine("csv");
  const { counts, manifest } = await writeCatalogCsv(dir, catalog,
    (fraction, rows, done) => show(fraction, rows, null, since(start), done));
  const rows = Object.values(counts).reduce((a, b) => a + b, 0);
  process.stderr.write(`Wrote ${fmt(rows)} rows (${Object.entries(counts).map(([t, n]) => `${fmt(n)} ${t}`).join(", ")}) ` +
    `with ${manifest.length} planted quirks in ${since(start).toFixed(1)}s\n`);
  return counts;
}

// Makes sure the local D1 is migrated and holds a catalog; seeds one only when products is empty,
// so a second run (or a database someone filled by hand) is left alone. Seeding goes the way a real
// catalog comes in: CSV files in the reference export format, then the importer.
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
  const dir = opts.out ?? join(ROOT, ".tmp", "seed");
  process.stderr.write(`Seeding the sample catalog (${fmt(catalog.products)} products, seed ${catalog.seed}) through the importer...\n`);
  await generateCatalog(dir, catalog, true);
  const { stats } = await importCatalog({ dir, reportDir: join(dir, "report"), persistTo: opts.persistTo, quiet: true });
  const loaded = stats[0]?.loaded ?? 0;
  const rejected = stats.reduce((n, s) => n + s.rejected, 0);
  // One line: the sample plants flawed rows on purpose (docs/import.md, "Sample data"), so a few
  // products and their rows are rejected every time; the table is in the report, not on the console.
  const flaws = rejected === 0 ? "" : catalog.products >= MIN_PRODUCTS_FOR_QUIRKS
    ? `; ${fmt(rejected)} planted flawed rows rejected as intended (${relative(ROOT, dir) || dir}/report/rejects.csv)`
    : `; ${fmt(rejected)} rows rejected (${relative(ROOT, dir) || dir}/report/rejects.csv)`;
  process.stderr.write(`Seeded ${fmt(loaded)} products in ${since(t).toFixed(1)}s${flaws}\n`);
  return { seeded: true, products: loaded };
}
