// `npm run bench:soak [-- options]`: a fixed mixed load (reads, orders, product churn) for N minutes
// against a fresh 10K-product catalog, cache on; latency per minute → docs/scale.md + docs/soak-latency.svg.
import { join } from "node:path";
import { buildSnapshot, findPort, killAllServers, startServer } from "./lib/bench-server";
import { decimalFlag, integerFlag, parseCli, scratchDir } from "./lib/cli";
import { ensureDevVars, ROOT } from "./lib/local-d1";
import { renderSvg, soakSpec, type SoakPoint } from "./lib/scale-chart";
import { fmt, load, mdTable, provenance, writeJson, writeSection } from "./lib/scale-report";
import { KINDS, soak, type MinuteStats } from "./lib/scale-soak";
import { catalogFacts, freshState } from "./lib/scale-state";

const USAGE = `Usage: npm run bench:soak -- [options]

Soak test: seeds a fresh catalog (seed 42) into --state-dir (wiped), bundles the Worker once, serves it
with \`wrangler dev\` AS CONFIGURED (KV cache on, READ_CACHE_MS 300), and offers a fixed load for
--minutes: requests start at --rate per second (open loop) mixing GET /products/:id (30%), /styles (25%),
/related (10%), the product list (10%, first page or keyset from a random id), GET /orders/:id (10%) and
POST /orders (15%, random stocked sku, varied CF-Connecting-IP), plus admin product churn (POST, PATCH,
DELETE /products, --churn per second). Latency is bucketed by the minute a request started in.
Target: the last minute's p50 within 1.25x of the first minute's, overall and per kind.

Options:
  --minutes N       soak length (default 10)
  --rate R          requests started per second, excluding churn (default 100)
  --max-in-flight N requests in flight at most; a start beyond it is skipped and counted (default 64)
  --churn R         admin product writes per second (default 1)
  --warmup S        seconds of the same load before minute 1, not recorded (default 60): fills
                    the KV cache so minute 1 is not a cold start (0 = record from the first request)
  --products N      catalog size (default 10000)
  --state-dir DIR   persist dir under .tmp/, wiped (default .tmp/soak-10k)
  --port P          first port to try for wrangler dev (default 8790)
  -h, --help        show this help

Writes docs/soak-latency.svg, the "Soak" section of docs/scale.md and bench-results/soak-<time>.json.
`;

const { values: v, fail } = parseCli("bench:soak", USAGE, {
  minutes: { type: "string" }, rate: { type: "string" }, "max-in-flight": { type: "string" }, churn: { type: "string" },
  warmup: { type: "string" }, products: { type: "string" }, "state-dir": { type: "string", default: ".tmp/soak-10k" }, port: { type: "string" },
});
// Rates and the warm-up may be fractions (--churn 0.5 is a write every 2 s); counts are whole.
const settings = {
  minutes: integerFlag("--minutes", v.minutes, { fallback: 10, min: 1, max: 120 }, fail),
  rate: decimalFlag("--rate", v.rate, { fallback: 100, min: 1, max: 2000 }, fail),
  maxInFlight: integerFlag("--max-in-flight", v["max-in-flight"], { fallback: 64, min: 1, max: 1024 }, fail),
  churnPerSecond: decimalFlag("--churn", v.churn, { fallback: 1, min: 0, max: 50 }, fail),
  warmupSeconds: decimalFlag("--warmup", v.warmup, { fallback: 60, min: 0, max: 600 }, fail),
};
const products = integerFlag("--products", v.products, { fallback: 10_000, min: 100, max: 10_000_000 }, fail);
const firstPort = integerFlag("--port", v.port, { fallback: 8790, min: 1, max: 65535 }, fail);
const stateDir = scratchDir("--state-dir", v["state-dir"], fail);

process.on("exit", killAllServers);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => { killAllServers(); process.exit(130); });

const LAT_HEAD = ["minute", "load avg (1 min)", "responses", "skipped", "non-2xx", "all p50", "all p99",
  ...KINDS.map((k) => `${k} p50`), "order p99"];
const cells = (m: MinuteStats) => [String(m.minute), m.load1.toFixed(2), String(m.requests), String(m.skipped), String(m.errors),
  fmt(m.p50.all ?? NaN), fmt(m.p99.all ?? NaN), ...KINDS.map((k) => fmt(m.p50[k] ?? NaN)), fmt(m.p99.order ?? NaN)];

async function main() {
  const started = new Date();
  const port = await findPort(firstPort, false);
  ensureDevVars();
  await freshState(stateDir, products);
  const facts = await catalogFacts(stateDir);
  const entry = await buildSnapshot(stateDir);
  const server = await startServer("soak", entry, port, stateDir, []);
  let minutes: MinuteStats[];
  try {
    process.stderr.write(`Soaking ${settings.minutes} min at ${settings.rate} req/s + ${settings.churnPerSecond} churn/s; load ${load()}\n`);
    minutes = await soak(server.baseUrl, facts, settings, (m) => process.stderr.write(`  minute ${m.minute}: ${m.requests} responses, ` +
      `${m.errors} non-2xx, ${m.skipped} skipped, p50 ${fmt(m.p50.all ?? NaN)} ms, p99 ${fmt(m.p99.all ?? NaN)} ms, load ${m.load1.toFixed(2)}\n`));
  } finally { await server.stop(); }

  const first = minutes[0]!, last = minutes.at(-1)!;
  const verdicts = ["all", ...KINDS].map((k) => {
    const a = first.p50[k], b = last.p50[k];
    if (a === undefined || b === undefined) return `- ${k}: no data`;
    const r = b / a;
    return `- ${k}: minute ${last.minute} p50 ${fmt(b)} ms vs minute 1 ${fmt(a)} ms = **${fmt(r)}×** (p99 ${fmt(last.p99[k] ?? NaN)} vs ${fmt(first.p99[k] ?? NaN)} ms): ${r <= 1.25 ? "met" : "**not met**"}`;
  });
  const points: SoakPoint[] = minutes.flatMap((m) => KINDS.flatMap((k) => (["p50", "p99"] as const)
    .filter((metric) => m[metric][k] !== undefined).map((metric) => ({ minute: m.minute, kind: k, metric, ms: m[metric][k]! }))));
  await renderSvg(soakSpec(points, `Soak: latency per minute (${products.toLocaleString("en-US")} products, cache on, ${settings.rate} req/s)`),
    join(ROOT, "docs", "soak-latency.svg"));
  const args = process.argv.slice(2);
  const statuses = minutes.reduce<Record<string, number>>((acc, m) => { for (const [s, n] of Object.entries(m.statuses)) acc[s] = (acc[s] ?? 0) + n; return acc; }, {});
  const md = ["## Soak", "", ...provenance(`npm run bench:soak${args.length ? ` -- ${args.join(" ")}` : ""}`, started),
    `- Catalog: ${facts.products.toLocaleString("en-US")} products (fresh, seed 42), every sku stocked to 1,000,000; server as configured (KV cache on, TTL 300 s)`,
    `- Warm-up: ${settings.warmupSeconds} s of the same load before minute 1, not recorded`,
    `- Load: ${settings.rate} requests started per second (open loop, at most ${settings.maxInFlight} in flight) + ${settings.churnPerSecond} admin ` +
      "product write/s (create → patch → delete); mix: product 30%, styles 25%, related 10%, list 10%, order read 10%, order 15%",
    `- Status codes over the whole soak: ${JSON.stringify(statuses)}. Latency columns are p50 in ms of 2xx responses, client-side.`, "",
    "![Soak latency per minute](soak-latency.svg)", "",
    mdTable(LAT_HEAD, minutes.map(cells), new Set(LAT_HEAD.map((_, i) => i).filter((i) => i > 0))), "",
    "### Verdict: last minute p50 within 1.25× of the first", "", ...verdicts, ""].join("\n");
  process.stdout.write(`\n${md}\n`);
  process.stdout.write(`Wrote ${writeSection("soak", md)}, docs/soak-latency.svg, ` +
    `${writeJson("soak", started, { settings, products: facts.products, minutes })}\n`);
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stderr.write(`bench:soak: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
