// `npm run bench:scale [-- options]`: the same routes on a 10K- and a 1M-product catalog, cache off;
// p50/p99 per route per size, the 1M/10K ratio against /health's own → docs/scale.md + docs/scale-latency.svg.
import { join } from "node:path";
import { buildSnapshot, findPort, killAllServers, startServer } from "./lib/bench-server";
import { codeVersion } from "./lib/bench-report";
import { integerFlag, parseCli, scratchDir } from "./lib/cli";
import { ensureDevVars, ROOT } from "./lib/local-d1";
import { renderSvg, scaleSpec, type LatencyPoint } from "./lib/scale-chart";
import { fmt, load, mdTable, provenance, round, writeJson, writeSection } from "./lib/scale-report";
import { findCursors, measureRoute, placeOrders, ROUTES, type Ctx, type RouteRow } from "./lib/scale-routes";
import { catalogFacts, ensureSearchReady, freshState, hasCatalog, type ScaleFacts } from "./lib/scale-state";
import { GROWS_WITH_CATALOG, searchTargets } from "./lib/scale-search";

const USAGE = `Usage: npm run bench:scale -- [options]

Measures the read routes on two catalog sizes with the KV cache OFF (--var READ_CACHE_MS:0), so
every read is a D1 statement. Small: a fresh ${"10,000"}-product catalog (seed 42) built into --small-dir
(~10 s). Large: the 1,000,000-product state in --large-dir, reused when it holds a catalog; otherwise
(or with --no-reuse) it is rebuilt from .tmp/catalog-1m, which a fresh run generates first, i.e.
  npm run seed -- --products 1000000 --out .tmp/catalog-1m && npm run import -- .tmp/catalog-1m --persist-to .tmp/scale-1m
(~5 min, ~1.5 GB). Per size: start wrangler dev on the bundled Worker, place --orders orders (real skus,
varied CF-Connecting-IP), then per route a warm-up and --duration s of autocannon (random real ids).
Target: no route's p50 at 1M above 1.25x its p50 at 10K (compare with /health's own ratio: machine noise).

Options:
  --duration S      measured seconds per route (default 8)
  --warmup S        discarded seconds before each route (default 2)
  --connections N   autocannon connections (default 8)
  --orders N        orders placed before measuring (default 200)
  --small-dir DIR   (default .tmp/scale-10k, wiped)     --large-dir DIR  (default .tmp/scale-1m)
  --no-reuse        rebuild the large state even if it exists
  --quiet-wait S    before each route, wait up to S s for other processes to use < 25% of a core (default 15)
  --port P          first port to try (default 8791)
  -h, --help        show this help

Writes docs/scale-latency.svg, the "Scale" section of docs/scale.md and bench-results/scale-<time>.json.
`;
const { values: v, fail } = parseCli("bench:scale", USAGE, {
  duration: { type: "string" }, warmup: { type: "string" }, connections: { type: "string" }, orders: { type: "string" },
  "small-dir": { type: "string", default: ".tmp/scale-10k" }, "large-dir": { type: "string", default: ".tmp/scale-1m" },
  reuse: { type: "boolean", default: true }, "no-reuse": { type: "boolean" }, port: { type: "string" }, "quiet-wait": { type: "string" },
});
const settings = {
  duration: integerFlag("--duration", v.duration, { fallback: 8, min: 1, max: 300 }, fail),
  warmup: integerFlag("--warmup", v.warmup, { fallback: 2, min: 0, max: 60 }, fail),
  connections: integerFlag("--connections", v.connections, { fallback: 8, min: 1, max: 256 }, fail),
  quietWait: integerFlag("--quiet-wait", v["quiet-wait"], { fallback: 15, min: 0, max: 600 }, fail),
};
const orders = integerFlag("--orders", v.orders, { fallback: 200, min: 1, max: 5000 }, fail);
const firstPort = integerFlag("--port", v.port, { fallback: 8791, min: 1, max: 65535 }, fail);
const SIZES = [
  { label: "10K", products: 10_000, dir: scratchDir("--small-dir", v["small-dir"], fail), reuse: false, csv: undefined as string | undefined },
  { label: "1M", products: 1_000_000, dir: scratchDir("--large-dir", v["large-dir"], fail), reuse: !v["no-reuse"], csv: join(ROOT, ".tmp", "catalog-1m") },
];

process.on("exit", killAllServers);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => { killAllServers(); process.exit(130); });

async function main() {
  const started = new Date();
  const port = await findPort(firstPort, false);
  ensureDevVars();
  const code = codeVersion();
  const entry = await buildSnapshot(join(ROOT, ".tmp", "scale-bundle"));
  const results: { label: string; facts: ScaleFacts; reused: boolean; rows: RouteRow[] }[] = [];
  for (const size of SIZES) {
    const reused = size.reuse && await hasCatalog(size.dir);
    if (!reused) await freshState(size.dir, size.products, size.csv);
    else process.stderr.write(`Reusing the catalog in ${size.dir}\n`);
    await ensureSearchReady(size.dir);
    const facts = await catalogFacts(size.dir);
    process.stderr.write(`${size.label}: ${facts.products.toLocaleString("en-US")} products, ids ${facts.firstProductId}..${facts.lastProductId}, ` +
      `${facts.productIds.length} sampled ids, ${facts.skuIds.length} stocked skus; load ${load()}\n`);
    const server = await startServer(`cache-off ${size.label}`, entry, port, size.dir, ["READ_CACHE_MS:0"]);
    const rows: RouteRow[] = [];
    try {
      const ctx: Ctx = { base: server.baseUrl, facts, orderIds: [], cursors: {} };
      await placeOrders(ctx, orders);
      await findCursors(ctx);
      for (const name of Object.keys(ROUTES)) {
        const row = await measureRoute(ctx, name, server.pgid, settings);
        rows.push(row);
        process.stderr.write(`  ${size.label} ${name}: ${row.rps} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, D1 ${row.dbMs ?? "–"} ms, ` +
          `non-2xx ${row.non2xx}, errors ${row.errors}, load ${row.load1}, CPU other ${row.cpu.other}%\n`);
      }
    } finally { await server.stop(); }
    results.push({ label: size.label, facts, reused, rows });
  }

  const [small, large] = results as [typeof results[0], typeof results[0]];
  const row = (r: typeof small, n: string) => r.rows.find((x) => x.route === n)!;
  const healthRatio = row(large, "health").p50 / row(small, "health").p50;
  const HEAD = ["route", "request", "10K p50", "10K p99", "10K req/s", "1M p50", "1M p99", "1M req/s", "p50 1M/10K",
    "÷ /health ratio", "D1 ms 10K → 1M", "load 10K / 1M", "CPU other 10K / 1M", "verdict (≤ 1.25×)"];
  const lines = Object.keys(ROUTES).map((n) => {
    const a = row(small, n), b = row(large, n), r = b.p50 / a.p50;
    return [n, ROUTES[n]!.label, fmt(a.p50), fmt(a.p99), fmt(a.rps, 0), fmt(b.p50), fmt(b.p99), fmt(b.rps, 0), `${fmt(r)}×`,
      n === "health" ? "–" : `${fmt(r / healthRatio)}×`, `${fmt(a.dbMs)} → ${fmt(b.dbMs)}`, `${a.load1} / ${b.load1}`, `${a.cpu.other ?? "–"}% / ${b.cpu.other ?? "–"}%`,
      GROWS_WITH_CATALOG.has(n) ? "n/a: its answer grows with the catalog (see Search targets)"
        : r <= 1.25 ? "met" : r / healthRatio <= 1.25 ? "**not met** (machine: /health moved too)" : "**not met**"];
  });
  const failing = lines.filter((l) => l[13] !== "met" && !GROWS_WITH_CATALOG.has(l[0]!)).map((l) => l[0]);
  const points: LatencyPoint[] = results.flatMap((r) => r.rows.flatMap((x) =>
    (["p50", "p99"] as const).map((metric) => ({ route: x.route, size: r.label, metric, ms: x[metric] }))));
  await renderSvg(scaleSpec(points, ["10K", "1M"]), join(ROOT, "docs", "scale-latency.svg"));
  const args = process.argv.slice(2);
  const errors = results.flatMap((r) => r.rows.filter((x) => x.non2xx > 0 || x.errors > 0).map((x) => `${r.label} ${x.route} ${JSON.stringify(x.statusCodes)} errors=${x.errors}`));
  const md = ["## Scale", "", ...provenance(`npm run bench:scale${args.length ? ` -- ${args.join(" ")}` : ""}`, started, code),
    ...results.map((r) => `- ${r.label}: ${r.facts.products.toLocaleString("en-US")} products (ids ${r.facts.firstProductId}..${r.facts.lastProductId}), ` +
      `${r.reused ? "reused state" : "fresh state (seed 42)"}; reads draw from ${r.facts.productIds.length} real ids spread over the whole range; ` +
      `${orders} orders placed first`),
    `- Load: cache off (\`--var READ_CACHE_MS:0\`), ${settings.connections} connections, ${settings.warmup} s warm-up + ${settings.duration} s per route; ` +
      "latency client-side per response; CPU other = % of one core used by processes other than the bench and wrangler dev " +
      "during the measured seconds (≥ 25% means someone else's work skewed that row); D1 ms = median `db;dur=` (Server-Timing) of 30 sequential requests after the run; load = 1-min load average at the start of the route", "",
    "![Latency vs catalog size](scale-latency.svg)", "",
    mdTable(HEAD, lines, new Set([2, 3, 4, 5, 6, 7, 8, 9])), "",
    `**Verdict:** ${failing.length === 0 ? "met: every route's p50 at 1M is within 1.25× of its p50 at 10K" : `not met for ${failing.join(", ")}`}. ` +
      `/health (no storage) moved ${fmt(healthRatio)}× between the two runs: that much is the machine, not the data.`,
    errors.length ? `\nNon-2xx or errors: ${errors.join("; ")}` : "\nEvery response was 2xx; no connection errors.", "",
    ...searchTargets(large.rows), ""].join("\n");
  process.stdout.write(`\n${md}\n`);
  process.stdout.write(`Wrote ${writeSection("scale", md)}, docs/scale-latency.svg, ` +
    `${writeJson("scale", started, { settings, orders, healthRatio: round(healthRatio, 3), results })}\n`);
  return errors.length > 0 ? 1 : 0;
}

main().then((c) => process.exit(c), (e: unknown) => {
  process.stderr.write(`bench:scale: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
