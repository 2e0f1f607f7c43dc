// `npm run bench:deep-pages -- --from DIR [options]`: what a flood of deep OFFSET pages does to uncached
// product reads and to orders running beside it, on a build without the page cap (a commit before it)
// and on this tree's build. Nothing in the deployed Worker can turn the cap off: the "cap off" server is
// the older commit's own bundle. Numbers: docs/deep-pages.md.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { buildSnapshot, findPort, killAllServers, startServer } from "./lib/bench-server";
import { integerFlag, parseCli } from "./lib/cli";
import { type Load, runTogether, type StreamResult } from "./lib/deep-pages-load";
import { LOCAL_ENV, localRow, ROOT, runWrangler } from "./lib/local-d1";

const USAGE = `Usage: npm run bench:deep-pages -- --from DIR [--baseline REF] [--duration S] [--work DIR]

  --from DIR       an imported catalog's state (npm run import --persist-to DIR); copied, never changed
  --baseline REF   the commit without the OFFSET cap, served as "cap off" (default 6d83798)
  --duration S     seconds per phase (default 15)
  --work DIR       scratch directory for the state copy and bundles (default .tmp/deep-pages)
`;

const { values: args, fail } = parseCli("bench:deep-pages", USAGE, {
  from: { type: "string" }, baseline: { type: "string" }, duration: { type: "string" }, work: { type: "string" },
});
const from = resolve(args.from || fail("give --from DIR"));
const baseline = args.baseline ?? "6d83798";
const duration = integerFlag("--duration", args.duration, { fallback: 15, min: 1, max: 600 }, fail);
const work = resolve(args.work ?? join(ROOT, ".tmp", "deep-pages"));
process.on("exit", killAllServers);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => { killAllServers(); process.exit(130); });

/** The old commit's tree, bundled exactly as `wrangler deploy` would (node_modules shared with this tree). */
async function buildBaseline(): Promise<string> {
  const src = join(work, "baseline-src");
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  execFileSync("sh", ["-c", `git -C "${ROOT}" archive "${baseline}" | tar -x -C "${src}"`]);
  symlinkSync(join(ROOT, "node_modules"), join(src, "node_modules"));
  const outdir = join(work, "baseline-bundle");
  await runWrangler(["deploy", "--dry-run", "--outdir", outdir, "--config", join(src, "wrangler.toml")]);
  return join(outdir, "index.js");
}

async function sample(state: string, sql: string): Promise<number[]> {
  return JSON.parse((await localRow<{ ids: string }>(state, sql)).ids) as number[];
}

async function prepare(): Promise<{ state: string; productIds: number[]; skuIds: number[]; lastPage: number }> {
  const state = join(work, "state");
  if (!existsSync(state)) {
    process.stderr.write(`Copying ${from} to ${state}...\n`);
    cpSync(from, state, { recursive: true });
  }
  await runWrangler(["d1", "migrations", "apply", "DB", ...LOCAL_ENV, "--local", "--persist-to", state]);
  // Every 500th product, and 2,000 skus given stock enough for any run: reads and orders that succeed.
  const productIds = await sample(state, "SELECT json_group_array(id) AS ids FROM (SELECT id FROM products WHERE id % 500 = 0)");
  const skuIds = await sample(state, "SELECT json_group_array(id) AS ids FROM (SELECT id FROM skus WHERE id % 5000 = 0 LIMIT 2000)");
  await runWrangler(["d1", "execute", "DB", ...LOCAL_ENV, "--local", "--persist-to", state, "--command",
    `UPDATE skus SET quantity = 1000000 WHERE id % 5000 = 0`]);
  const [products] = await sample(state, "SELECT json_array(count(*)) AS ids FROM products");
  return { state, productIds, skuIds, lastPage: Math.floor(products! / 5) };
}

const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)]!;
let client = 0;

function loads(p: { productIds: number[]; skuIds: number[]; lastPage: number }): Record<string, Load> {
  return {
    reads: { connections: 2, request: () => ({ method: "GET", path: `/products/${pick(p.productIds)}` }) },
    orders: {
      connections: 2,
      // 256 client addresses (RFC 2544 range) so the local 1,000-a-minute limiter never answers 429.
      request: () => ({
        method: "POST", path: "/orders", body: JSON.stringify({ items: [{ sku_id: pick(p.skuIds), quantity: 1 }] }),
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.18.0.${client++ % 256}` },
      }),
    },
    // Pages from the back half of the catalog: OFFSET walks 500K-1M index entries for each.
    deep: { connections: 8, request: () => ({ method: "GET", path: `/products?page=${Math.floor(p.lastPage / 2 + Math.random() * p.lastPage / 2)}&count=5` }) },
    health: { connections: 4, request: () => ({ method: "GET", path: "/health" }) },
  };
}

const fmt = (r: StreamResult) => `${r.rps.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${Object.entries(r.statusCodes).map(([s, n]) => `${s}×${n}`).join(" ")}`;

async function main() {
  mkdirSync(work, { recursive: true });
  const port = await findPort(8797, false);
  const catalog = await prepare();
  const builds = [
    { name: `cap off (${baseline})`, entry: await buildBaseline() },
    { name: `cap on (${execFileSync("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"]).toString().trim()})`, entry: await buildSnapshot(join(work, "current")) },
  ];
  const l = loads(catalog);
  const lines = ["| build | phase | stream | req/s | p50 ms | p99 ms | statuses |", "|---|---|---|---:|---:|---:|---|"];
  for (const build of builds) {
    const server = await startServer(build.name, build.entry, port, catalog.state, ["READ_CACHE_MS:0"]);
    try {
      const phases: [string, Record<string, Load>][] = [
        ["warm-up", { reads: l.reads!, orders: l.orders! }],
        ["/health alone", { health: l.health! }],
        ["reads + orders", { reads: l.reads!, orders: l.orders! }],
        ["reads + orders + 8 deep-page connections", { reads: l.reads!, orders: l.orders!, deep: l.deep! }],
      ];
      for (const [phase, streams] of phases) {
        process.stderr.write(`${build.name}: ${phase}\n`);
        const results = await runTogether(server.baseUrl, streams, phase === "warm-up" ? 3 : duration);
        if (phase === "warm-up") continue;
        for (const [stream, r] of Object.entries(results)) lines.push(`| ${build.name} | ${phase} | ${stream} | ${fmt(r)} |`);
      }
    } finally {
      await server.stop();
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().then(() => process.exit(0), (err) => { process.stderr.write(`bench:deep-pages: ${(err as Error).stack}\n`); process.exit(1); });
