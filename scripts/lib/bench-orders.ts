// The orders part of `npm run bench` (also alone: `npm run bench:orders`). It measures the order
// serializer with and without group commit (ORDER_GROUP_MAX "1" vs the configured group, same build)
// and with and without a simulated 20 ms round trip between the serializer and D1 (the bench-only
// entry scripts/bench-worker/index.ts, var BENCH_D1_RTT_MS), then runs the one-sku flash sale and an
// overload, checking their outcomes in the persisted D1 file afterwards.
import Database from "better-sqlite3";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { codeVersion, machineInfo } from "./bench-report";
import { BENCH_STOCK, prepareState, startServer, type Server } from "./bench-server";
import { type Answer, client, closedLoop, percentile, rateOf, type Req, statusCounts } from "./bench-orders-load";
import { localD1File } from "./import-d1";
import { ROOT, runWrangler } from "./local-d1";

export interface OrderBenchOptions { port: number; duration: number; warmup: number; stateDir: string; command: string }

export const BUYERS = [16, 64, 256] as const;
const RTT_MS = 20;
const FLASH = { buyers: 500, units: 10 };
const OVERLOAD = { buyers: 1200, skus: 20, unitsEach: 100, seconds: 8 };

interface Config { key: string; label: string; rtt: number; grouped: boolean }
const CONFIGS: Config[] = [
  { key: "local-1", label: "local D1, group size 1", rtt: 0, grouped: false },
  { key: "local-g", label: "local D1, grouped", rtt: 0, grouped: true },
  { key: "rtt-1", label: `${RTT_MS} ms RTT, group size 1`, rtt: RTT_MS, grouped: false },
  { key: "rtt-g", label: `${RTT_MS} ms RTT, grouped`, rtt: RTT_MS, grouped: true },
];

export interface MatrixRow {
  config: string; rtt: number; grouped: boolean; buyers: number;
  ordersPerSecond: number; p50: number | null; p99: number | null; statuses: Record<string, number>; errors: number;
  reasons: Record<string, number>;
}
/** The serializer driven from inside the Worker (POST /__bench/serializer): no HTTP per order. */
export interface InWorkerRow { config: string; rtt: number; grouped: boolean; buyers: number; ordersPerSecond: number; p50: number | null; p99: number | null; other: Record<string, number> }
export interface CheckResult { name: string; passed: boolean; facts: string[] }
export interface OrderReport {
  date: string; command: string; code: ReturnType<typeof codeVersion>; machine: ReturnType<typeof machineInfo>;
  settings: { duration: number; warmup: number; groupMax: string; queueMax: string; queueWaitMs: string };
  health64: Record<string, number>;
  rows: MatrixRow[];
  inWorker: InWorkerRow[];
  checks: CheckResult[];
}

/** Our refusal: JSON UNAVAILABLE with a Retry-After of at least a second (not wrangler dev's proxy 503). */
const ourRefusal = (a: Answer | null) => a !== null && a.status === 503 && Number(a.retryAfter) >= 1 && a.body.includes('"UNAVAILABLE"');
/** wrangler dev's ProxyWorker lost its connection to workerd (workers-sdk #14641): the answer is unknown. */
const proxyLost = (a: Answer | null) => a !== null && a.status === 503 && a.body.startsWith("Your worker restarted mid-request");
const adminToken = () => /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(join(ROOT, ".dev.vars"), "utf8"))?.[1]?.trim() ?? "";
const tomlVar = (name: string) => new RegExp(`^${name} = "([^"]*)"`, "m").exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1] ?? "?";

// Orders come from many addresses in the benchmarking range 198.18.0.0/15 so the per-address limiter
// (1,000 a minute locally) runs on every order without refusing any (as in bench-targets.ts).
let nextAddress = 0;
const address = () => { const n = nextAddress++ % 65536; return `198.18.${n >> 8}.${n & 255}`; };
let nextKey = 0;
const orderReq = (skuId: number, key?: string): Req => ({
  method: "POST", path: "/orders", body: JSON.stringify({ items: [{ sku_id: skuId, quantity: 1 }] }),
  headers: { "CF-Connecting-IP": address(), ...(key ? { "Idempotency-Key": key } : {}) },
});

async function setStock(send: (r: Req) => Promise<Answer>, skuId: number, from: number, to: number) {
  const a = await send({ method: "POST", path: `/skus/${skuId}/stock`, body: JSON.stringify({ delta: to - from }), headers: { Authorization: `Bearer ${adminToken()}` } });
  if (a.status !== 200) throw new Error(`setting sku ${skuId}'s stock: ${a.status} ${a.body}`);
}

function queryD1<T>(stateDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(localD1File(stateDir), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Bundles scripts/bench-worker/index.ts once (the deployed Worker plus the bench-only knobs). */
export async function bundleBenchWorker(stateDir: string): Promise<string> {
  const outdir = join(stateDir, "bundle-orders");
  process.stderr.write("Bundling the bench entry (scripts/bench-worker/index.ts) once...\n");
  await runWrangler(["deploy", "--dry-run", "--outdir", outdir, "scripts/bench-worker/index.ts"]);
  return join(outdir, "index.js");
}

async function matrixRow(server: Server, config: Config, buyers: number, o: OrderBenchOptions, skus: number[]): Promise<MatrixRow> {
  const c = client(server.baseUrl, buyers);
  const next = () => orderReq(skus[Math.floor(Math.random() * skus.length)]!);
  try {
    if (o.warmup > 0) await closedLoop(c.send, buyers, o.warmup, next);
    const sample = await closedLoop(c.send, buyers, o.duration, next);
    const placed = rateOf(sample, 201);
    const row = { config: config.key, rtt: config.rtt, grouped: config.grouped, buyers, ordersPerSecond: placed.perSecond,
      p50: placed.p50, p99: placed.p99, statuses: statusCounts(sample), errors: sample.errors, reasons: sample.reasons };
    process.stderr.write(`  ${config.label}, ${buyers} buyers: ${placed.perSecond.toFixed(0)} orders/s, p50 ${placed.p50?.toFixed(1)} ms, ` +
      `p99 ${placed.p99?.toFixed(1)} ms, statuses ${JSON.stringify(row.statuses)}, errors ${sample.errors}` +
      `${Object.keys(sample.reasons).length ? `, ${JSON.stringify(sample.reasons)}` : ""}\n`);
    return row;
  } finally {
    c.close();
  }
}

async function inWorkerRow(server: Server, config: Config, buyers: number, o: OrderBenchOptions, skus: number[]): Promise<InWorkerRow> {
  const c = client(server.baseUrl, 1);
  try {
    const body = (seconds: number) => JSON.stringify({ buyers, seconds, skus });
    if (o.warmup > 0) await c.send({ method: "POST", path: "/__bench/serializer", body: body(o.warmup) });
    const a = await c.send({ method: "POST", path: "/__bench/serializer", body: body(o.duration) });
    if (a.status !== 200) throw new Error(`/__bench/serializer: ${a.status} ${a.body.slice(0, 200)}`);
    const r = JSON.parse(a.body) as { perSecond: number; p50: number | null; p99: number | null; other: Record<string, number> };
    process.stderr.write(`  serializer alone (in-Worker buyers), ${config.label}, ${buyers} buyers: ${r.perSecond.toFixed(0)} orders/s, ` +
      `p50 ${r.p50?.toFixed(1)} ms, p99 ${r.p99?.toFixed(1)} ms, other ${JSON.stringify(r.other)}\n`);
    return { config: config.key, rtt: config.rtt, grouped: config.grouped, buyers, ordersPerSecond: r.perSecond, p50: r.p50, p99: r.p99, other: r.other };
  } finally {
    c.close();
  }
}

async function health64(server: Server, o: OrderBenchOptions): Promise<number> {
  const c = client(server.baseUrl, 64);
  try {
    const next = (): Req => ({ method: "GET", path: "/health" });
    if (o.warmup > 0) await closedLoop(c.send, 64, o.warmup, next);
    const r = rateOf(await closedLoop(c.send, 64, o.duration, next), 200).perSecond;
    process.stderr.write(`  /health, 64 connections: ${r.toFixed(0)} req/s\n`);
    return r;
  } finally {
    c.close();
  }
}

/** 500 buyers at once for 10 units of one sku: exactly 10 orders, stock 0, every other answer accurate. */
async function flashSale(server: Server, label: string, skuId: number, stateDir: string): Promise<CheckResult> {
  const c = client(server.baseUrl, FLASH.buyers);
  try {
    await setStock(c.send, skuId, BENCH_STOCK, FLASH.units);
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: FLASH.buyers }, () => c.send(orderReq(skuId)).catch(() => null)));
    const seconds = (performance.now() - started) / 1000;
    const count = (s: number) => answers.filter((a) => a?.status === s).length;
    const accurate409 = answers.filter((a) => a?.status === 409 && JSON.stringify(JSON.parse(a.body).details) ===
      JSON.stringify([{ sku_id: skuId, requested: 1, available: 0 }])).length;
    const prompt503 = answers.filter(ourRefusal).length;
    const lost = answers.filter((a) => a === null || proxyLost(a)).length;
    const [row] = queryD1<{ stock: number; lines: number }>(stateDir,
      "SELECT (SELECT quantity FROM skus WHERE id = ?) AS stock, (SELECT count(*) FROM order_lines WHERE sku_id = ?) AS lines", skuId, skuId);
    const ms503 = answers.filter(ourRefusal).map((a) => a!.ms).sort((a, b) => a - b);
    // An answer wrangler dev's proxy lost is unknown to the buyer, not wrong; the D1 facts still must hold.
    const passed = count(201) === FLASH.units && row!.stock === 0 && row!.lines === FLASH.units &&
      count(201) + accurate409 + prompt503 + lost === FLASH.buyers;
    const facts = [
      `${FLASH.buyers} buyers at once for ${FLASH.units} units (${label}), all answered in ${seconds.toFixed(2)} s`,
      `201: ${count(201)}; 409 OUT_OF_STOCK with details {requested 1, available 0}: ${accurate409} (of ${count(409)}); ` +
        `503 UNAVAILABLE with Retry-After: ${prompt503}${ms503.length ? ` (client-side p50 ${percentile(ms503, 50)!.toFixed(0)} ms, p99 ${percentile(ms503, 99)!.toFixed(0)} ms)` : ""}; ` +
        `lost by wrangler dev's proxy or the connection: ${lost}; other: ${FLASH.buyers - count(201) - accurate409 - prompt503 - lost}`,
      `D1 afterwards: stock ${row!.stock}, order lines for the sku ${row!.lines}`,
    ];
    process.stderr.write(`  flash sale (${label}): ${passed ? "passed" : "FAILED"}: ${facts.slice(1).join("; ")}\n`);
    return { name: `flash sale, ${label}`, passed, facts };
  } finally {
    c.close();
  }
}

/** Far more buyers than the queue admits, retrying at once whatever the answer, on a few skus. */
async function overload(server: Server, label: string, skus: number[], stateDir: string): Promise<CheckResult> {
  const c = client(server.baseUrl, OVERLOAD.buyers);
  try {
    for (const sku of skus) await setStock(c.send, sku, BENCH_STOCK, OVERLOAD.unitsEach);
    const run = `overload-${Date.now()}-`;
    const sample = await closedLoop(c.send, OVERLOAD.buyers, OVERLOAD.seconds,
      () => orderReq(skus[Math.floor(Math.random() * skus.length)]!, `${run}${nextKey++}`));
    const statuses = statusCounts(sample);
    const unexpected = Object.keys(statuses).filter((s) => !["201", "409", "503"].includes(s));
    const lost = sample.errors + (sample.reasons["503 Your worker restarted mid-request. Please try sending the request again. Only GE"] ?? 0);
    const fast503 = [...(sample.byStatus.get(503) ?? [])].sort((a, b) => a - b);
    const placed201 = sample.byStatus.get(201)?.length ?? 0;
    await new Promise((r) => setTimeout(r, 500)); // answers still in flight when the loop stopped
    const rows = queryD1<{ sku: number; stock: number; sold: number }>(stateDir,
      `SELECT k.id AS sku, k.quantity AS stock, (SELECT coalesce(sum(l.quantity), 0) FROM order_lines AS l WHERE l.sku_id = k.id) AS sold
       FROM skus AS k WHERE k.id IN (SELECT value FROM json_each(?))`, JSON.stringify(skus));
    const [orders] = queryD1<{ n: number; keys: number }>(stateDir,
      "SELECT count(*) AS n, count(DISTINCT idempotency_key) AS keys FROM orders WHERE idempotency_key LIKE ?", `client:${run}%`);
    const conserved = rows.every((r) => r.stock >= 0 && r.stock + r.sold === OVERLOAD.unitsEach);
    // Each answer wrangler dev's proxy lost may or may not have placed its order (the buyer would retry with its key).
    const passed = unexpected.length === 0 && sample.missingRetryAfter === 0 && conserved &&
      orders!.n === orders!.keys && orders!.n >= placed201 && orders!.n <= placed201 + lost;
    const facts = [
      `${OVERLOAD.buyers} buyers in a closed loop for ${OVERLOAD.seconds} s (${label}), each retrying at once whatever the answer, ` +
        `over ${skus.length} skus of ${OVERLOAD.unitsEach} units; every request with its own Idempotency-Key`,
      `answers: ${JSON.stringify(statuses)}, refusals ${JSON.stringify(sample.reasons)} (offered ${(Object.values(statuses).reduce((a, b) => a + b, 0) / sample.seconds).toFixed(0)} req/s); ` +
        `connection errors ${sample.errors}; 503 without Retry-After ${sample.missingRetryAfter}; ` +
        `503 latency p50 ${percentile(fast503, 50)?.toFixed(1) ?? "–"} ms, p99 ${percentile(fast503, 99)?.toFixed(1) ?? "–"} ms`,
      `D1 afterwards: orders under this run's keys ${orders!.n} (distinct keys ${orders!.keys}, 201 answers ${placed201}, answers lost by the proxy or the connection ${lost}); ` +
        `stock + sold = ${OVERLOAD.unitsEach} for ${rows.filter((r) => r.stock + r.sold === OVERLOAD.unitsEach).length} of ${rows.length} skus; ` +
        `lowest stock ${Math.min(...rows.map((r) => r.stock))}`,
    ];
    process.stderr.write(`  overload (${label}): ${passed ? "passed" : "FAILED"}: ${facts.slice(1).join("; ")}\n`);
    return { name: `overload, ${label}`, passed, facts };
  } finally {
    c.close();
  }
}

export async function runOrderBench(o: OrderBenchOptions): Promise<OrderReport> {
  const started = new Date();
  const catalog = await prepareState(o.stateDir);
  const code = codeVersion();
  const entry = await bundleBenchWorker(o.stateDir);
  // The last skus are kept out of the spread load for the flash sales and the overload.
  const reserved = catalog.skuIds.slice(-(2 + OVERLOAD.skus));
  const spread = catalog.skuIds.slice(0, -(2 + OVERLOAD.skus));
  const [flashLocal, flashRtt, ...overloadSkus] = reserved;
  const report: OrderReport = {
    date: started.toISOString(), command: o.command, code, machine: machineInfo(),
    settings: { duration: o.duration, warmup: o.warmup, groupMax: tomlVar("ORDER_GROUP_MAX"), queueMax: tomlVar("ORDER_QUEUE_MAX"), queueWaitMs: tomlVar("ORDER_QUEUE_WAIT_MS") },
    health64: {}, rows: [], inWorker: [], checks: [],
  };
  for (const config of CONFIGS) {
    const vars = [...(config.grouped ? [] : ["ORDER_GROUP_MAX:1"]), ...(config.rtt > 0 ? [`BENCH_D1_RTT_MS:${config.rtt}`] : [])];
    const server = await startServer(config.key, entry, o.port, o.stateDir, vars);
    try {
      if (config.rtt === 0) report.health64[config.key] = await health64(server, o);
      for (const buyers of BUYERS) report.rows.push(await matrixRow(server, config, buyers, o, spread));
      for (const buyers of BUYERS) report.inWorker.push(await inWorkerRow(server, config, buyers, o, spread));
      if (config.key === "local-g") report.checks.push(await flashSale(server, "local D1", flashLocal!, o.stateDir));
      if (config.key === "rtt-g") {
        report.checks.push(await flashSale(server, `${RTT_MS} ms RTT`, flashRtt!, o.stateDir));
        report.checks.push(await overload(server, `${RTT_MS} ms RTT`, overloadSkus, o.stateDir));
      }
    } finally {
      await server.stop();
    }
  }
  return report;
}

// ---- report ----

const num = (n: number | null, d = 0) => (n === null ? "–" : n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }));
const find = (r: OrderReport, config: string, buyers: number) => r.rows.find((x) => x.config === config && x.buyers === buyers);

export function orderVerdicts(r: OrderReport): { text: string; passed: boolean }[] {
  const local64 = find(r, "local-g", 64), rtt256 = find(r, "rtt-g", 256), health = r.health64["local-g"];
  const rttAlone = r.inWorker.find((x) => x.config === "rtt-g" && x.buyers === 256);
  const ratio = local64 && health ? local64.ordersPerSecond / health : null;
  const wait = Number(r.settings.queueWaitMs);
  return [
    { text: `Local, 64 buyers, grouped: **${num(ratio, 2)}×** /health at 64 connections (${num(local64?.ordersPerSecond ?? null)} vs ${num(health ?? null)} req/s; target ≥ 0.30×), p99 ${num(local64?.p99 ?? null, 1)} ms (wait deadline ${num(wait)} ms)`,
      passed: ratio !== null && ratio >= 0.3 && (local64?.p99 ?? Infinity) < wait },
    { text: `${RTT_MS} ms RTT, 256 buyers, grouped: **${num(rtt256?.ordersPerSecond ?? null)} orders/s** over HTTP (target ≥ 500)`, passed: (rtt256?.ordersPerSecond ?? 0) >= 500 },
    { text: `${RTT_MS} ms RTT, 256 buyers, grouped, serializer alone: **${num(rttAlone?.ordersPerSecond ?? null)} orders/s** (target ≥ 500)`, passed: (rttAlone?.ordersPerSecond ?? 0) >= 500 },
    ...r.checks.map((c) => ({ text: `${c.name}: ${c.facts.slice(1).join("; ")}`, passed: c.passed })),
  ];
}

export function orderMarkdown(r: OrderReport): string {
  const label = (key: string) => CONFIGS.find((c) => c.key === key)!.label;
  const line = (c: string[]) => `| ${c.join(" | ")} |`;
  return [
    "# Benchmark: orders at flash-sale scale", "",
    `- Command: \`${r.command}\` (the orders part; \`npm run bench:orders\` runs it alone)`,
    `- Date: ${r.date}; code: commit ${r.code.commit}${r.code.uncommittedSrcFiles ? ` plus ${r.code.uncommittedSrcFiles} uncommitted file(s) under src/` : ""}`,
    `- Machine: nproc ${r.machine.nproc} (${r.machine.cpu}), Node ${r.machine.node}, wrangler ${r.machine.wrangler}. ` +
      "**Shared**: other engineers' builds and tests ran on the same 2 cores during the run, so compare rows of the same run, not absolute numbers.",
    `- \`wrangler dev\` of scripts/bench-worker/index.ts (the deployed Worker + a bench-only D1 delay for the serializer), ` +
      `limits from wrangler.toml: ORDER_GROUP_MAX ${r.settings.groupMax}, ORDER_QUEUE_MAX ${r.settings.queueMax}, ORDER_QUEUE_WAIT_MS ${r.settings.queueWaitMs}; ` +
      "\"group size 1\" is the same build with `--var ORDER_GROUP_MAX:1` (one order per read/write, as before group commit).",
    `- Load: closed-loop buyers over keep-alive sockets, 1 line of 1 unit on a random sku (of ~32,000), ${r.settings.warmup} s warm-up then ${r.settings.duration} s measured. ` +
      "Orders/s and latencies count **201s only**; a 503 (refused by the queue) is listed under statuses.",
    "",
    line(["serializer ↔ D1", "group", "buyers", "orders/s", "p50 ms", "p99 ms", "statuses", "errors"]),
    line(["---", "---", "---:", "---:", "---:", "---:", "---", "---:"]),
    ...r.rows.map((x) => line([x.rtt ? `${x.rtt} ms RTT` : "local", x.grouped ? `≤ ${r.settings.groupMax}` : "1", String(x.buyers),
      num(x.ordersPerSecond), num(x.p50, 1), num(x.p99, 1), Object.entries(x.statuses).map(([s, n]) => `${s}: ${n}`).join(", "), String(x.errors)])),
    "",
    ...r.rows.filter((x) => Object.keys(x.reasons).length > 0).map((x) =>
      `- ${x.rtt ? `${x.rtt} ms RTT` : "local"}, group ${x.grouped ? "≤ " + r.settings.groupMax : "1"}, ${x.buyers} buyers, refusals and errors: ` +
      Object.entries(x.reasons).map(([k, n]) => `${n} × ${k}`).join("; ")),
    "",
    `/health at 64 connections, same client, same run: ${Object.entries(r.health64).map(([k, v]) => `${num(v)} req/s (${label(k)} server)`).join(", ")}.`,
    "",
    "## The serializer alone", "",
    "The same servers, the buyers inside the Worker (`POST /__bench/serializer`, bench entry only): each calls the serializer's " +
      "`placeOrder` over RPC as the route does, so no HTTP, routing or `wrangler dev` proxy per order. This is the serializer's own ceiling; " +
      "the HTTP rows above are bounded by what the box can push through `wrangler dev` (compare /health).", "",
    line(["serializer ↔ D1", "group", "buyers", "orders/s", "p50 ms", "p99 ms", "not placed"]),
    line(["---", "---", "---:", "---:", "---:", "---:", "---"]),
    ...r.inWorker.map((x) => line([x.rtt ? `${x.rtt} ms RTT` : "local", x.grouped ? `≤ ${r.settings.groupMax}` : "1", String(x.buyers),
      num(x.ordersPerSecond), num(x.p50, 1), num(x.p99, 1), Object.entries(x.other).map(([k, n]) => `${k}: ${n}`).join(", ") || "–"])),
    "",
    "## Against the issue's targets", "",
    ...orderVerdicts(r).map((v) => `- ${v.passed ? "met" : "**NOT met**"}: ${v.text}`),
    "",
    "## Checks", "",
    ...r.checks.flatMap((c) => [`### ${c.name}: ${c.passed ? "passed" : "FAILED"}`, "", ...c.facts.map((f) => `- ${f}`), ""]),
  ].join("\n");
}

/** bench-results/bench-orders-<stamp>.{json,md}; docs/bench-orders.md when `complete`. */
export function writeOrderReport(r: OrderReport, complete: boolean): string[] {
  const stamp = r.date.replace(/[:.]/g, "-");
  const dir = join(ROOT, "bench-results");
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, `bench-orders-${stamp}.json`), join(dir, `bench-orders-${stamp}.md`)];
  writeFileSync(files[0]!, JSON.stringify(r, null, 2) + "\n");
  writeFileSync(files[1]!, orderMarkdown(r));
  if (complete) {
    files.push(join(ROOT, "docs", "bench-orders.md"));
    writeFileSync(files[2]!, orderMarkdown(r));
  }
  return files;
}
