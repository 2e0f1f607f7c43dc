// `npm run bench -- orders`: the order serializer with and without group commit, its D1 local or a
// simulated round trip away, over HTTP and alone; a flash sale and an overload checked in D1 afterwards;
// written to docs/results.md. See USAGE and docs/decisions/order-serializer.md.
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { type Answer, client, closedLoop, type Loop, rateOf, type Req, sampleState, serve, stateDir, statusCounts, withD1 } from "./lib/bench-kit";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { bundle } from "./lib/miniflare-server";
import { LOCAL_ENV } from "./lib/local-d1";
import { ROOT } from "./lib/paths";
import { fmt, mdTable, provenance, writeSection } from "./lib/results-page";

const STOCK = 1_000_000;
const FLASH = { buyers: 500, units: 10 };
const OVERLOAD = { buyers: 1200, skus: 20, units: 100 };

const USAGE = `Usage: npm run bench -- orders [options]

Serves the bench entry (scripts/bench-worker/: the Worker as deployed, plus a serializer whose D1 waits
BENCH_D1_RTT_MS before every round trip, and POST /__bench/serializer, buyers inside the Worker) with
\`npm run serve\` on the sample catalog, every sku stocked to ${STOCK.toLocaleString("en-US")}. Four servers, one after the other: D1
local or --rtt ms away, group size 1 (ORDER_GROUP_MAX=1: one order per read and write batch) or grouped
(wrangler.toml's limits). On each, for every --buyers count, closed-loop buyers of 1 unit of a random sku
over HTTP (orders/s and latency count 201s only), then as many buyers inside the Worker calling the
serializer over RPC (its own ceiling, no HTTP). Grouped only:
  flash sale  ${FLASH.buyers} buyers at once for ${FLASH.units} units of one sku: exactly ${FLASH.units} orders and stock 0 in D1, every
              other answer a 409 naming {requested 1, available 0} or a 503 UNAVAILABLE with Retry-After
  overload    (--rtt) ${OVERLOAD.buyers} buyers retrying at once for --seconds on ${OVERLOAD.skus} skus of ${OVERLOAD.units} units, a key each:
              only 201, 409 and 503 (each with Retry-After); in D1, stock + sold = ${OVERLOAD.units} and one order per key
Targets: grouped at 64 buyers locally ≥ 0.3× /health at 64 connections; grouped at 256 buyers and --rtt
≥ 500 orders/s. Writes the "Orders" section of docs/results.md; exits 1 when a check fails.

Options:
  --seconds N    measured per row, and the overload's length (default 8)
  --warmup N     seconds before each row, not counted (default 2)
  --buyers LIST  comma-separated (default 16,64,256)
  --rtt MS       the simulated serializer-to-D1 round trip (default 20)
  --state-dir D  (default .tmp/bench/orders, wiped)
  -h, --help
`;

const { values, fail } = parseCli("bench orders", USAGE, {
  seconds: { type: "string" }, warmup: { type: "string" }, buyers: { type: "string" }, rtt: { type: "string" }, "state-dir": { type: "string" },
});
const SECONDS = integerFlag("--seconds", values.seconds, { fallback: 8, min: 1, max: 600 }, fail);
const WARMUP = integerFlag("--warmup", values.warmup, { fallback: 2, min: 0, max: 60 }, fail);
const RTT = integerFlag("--rtt", values.rtt, { fallback: 20, min: 1, max: 1000 }, fail);
const BUYERS = (values.buyers ?? "16,64,256").split(",").map((b) => integerFlag("--buyers", b.trim(), { fallback: 0, min: 1, max: 2000 }, fail));
const STATE = stateDir("orders", values["state-dir"], fail);
/** The dev environment's vars, which the served bench runs with (read once). */
const DEV_VARS = unstable_readConfig({ config: join(ROOT, "wrangler.toml"), env: LOCAL_ENV[1] }).vars as Record<string, unknown>;
const tomlVar = (name: string) => String(DEV_VARS[name] ?? "?");

// Orders come from many addresses in the benchmarking range 198.18.0.0/15, so the per-address limiter
// (1,000 a minute locally) runs on every order without refusing any.
let sent = 0;
const order = (sku: number, key?: string): Req => {
  const n = sent++ % 65536;
  return { method: "POST", path: "/orders", body: JSON.stringify({ items: [{ sku_id: sku, quantity: 1 }] }),
    headers: { "CF-Connecting-IP": `198.18.${n >> 8}.${n & 255}`, ...(key ? { "Idempotency-Key": key } : {}) } };
};
/** Our refusal: 503 UNAVAILABLE with a Retry-After of at least a second. */
const refusal = (a: Answer | null) => a?.status === 503 && Number(a.retryAfter) >= 1 && a.body.includes('"UNAVAILABLE"');
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

async function overHttp(origin: string, buyers: number, next: () => Req): Promise<Loop> {
  const c = client(origin, buyers);
  try {
    if (WARMUP > 0) await closedLoop(c.send, buyers, WARMUP, next);
    return await closedLoop(c.send, buyers, SECONDS, next);
  } finally {
    c.close();
  }
}

async function alone(origin: string, buyers: number, skus: number[]) {
  const drive = async (seconds: number) => {
    const res = await fetch(`${origin}/__bench/serializer`, { method: "POST", body: JSON.stringify({ buyers, seconds, skus }) });
    if (res.status !== 200) throw new Error(`/__bench/serializer: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as { perSecond: number; p50: number | null; p99: number | null; other: Record<string, number> };
  };
  if (WARMUP > 0) await drive(WARMUP);
  return drive(SECONDS);
}

async function flashSale(origin: string, sku: number, label: string): Promise<string[]> {
  const c = client(origin, FLASH.buyers);
  const answers = await Promise.all(Array.from({ length: FLASH.buyers }, () => c.send(order(sku)).catch(() => null))).finally(c.close);
  const count = (ok: (a: Answer | null) => boolean) => answers.filter(ok).length;
  const placed = count((a) => a?.status === 201);
  const accurate409 = count((a) => a?.status === 409 && JSON.stringify(JSON.parse(a.body).details) === JSON.stringify([{ sku_id: sku, requested: 1, available: 0 }]));
  const refused = count(refusal);
  const d1 = withD1(STATE, (db) => db.prepare("SELECT (SELECT quantity FROM skus WHERE id = ?) AS stock, (SELECT count(*) FROM order_lines WHERE sku_id = ?) AS lines").get(sku, sku)) as { stock: number; lines: number };
  const passed = placed === FLASH.units && d1.stock === 0 && d1.lines === FLASH.units && placed + accurate409 + refused === FLASH.buyers;
  return [`flash sale, ${label}: ${passed ? "passed" : "**FAILED**"}: ${FLASH.buyers} buyers at once for ${FLASH.units} units: 201 ${placed}; ` +
    `409 with accurate details ${accurate409}; 503 UNAVAILABLE with Retry-After ${refused}; anything else ${FLASH.buyers - placed - accurate409 - refused}; ` +
    `in D1 afterwards stock ${d1.stock}, order lines ${d1.lines}`];
}

async function overload(origin: string, skus: number[]): Promise<string[]> {
  const run = `overload-${Date.now()}-`;
  let key = 0, noRetryAfter = 0;
  const c = client(origin, OVERLOAD.buyers);
  const loop = await closedLoop(c.send, OVERLOAD.buyers, SECONDS, () => order(pick(skus), `${run}${key++}`),
    (a) => { if (a.status === 503 && a.retryAfter === null) noRetryAfter++; }).finally(c.close);
  await new Promise((r) => setTimeout(r, 500)); // answers still in flight when the loop stopped
  const { bad, orders, keys } = withD1(STATE, (db) => ({
    bad: db.prepare(`SELECT count(*) AS n FROM skus AS k WHERE k.id IN (SELECT value FROM json_each(?)) AND
      k.quantity + (SELECT coalesce(sum(l.quantity), 0) FROM order_lines AS l WHERE l.sku_id = k.id) != ${OVERLOAD.units}`).pluck().get(JSON.stringify(skus)) as number,
    ...(db.prepare("SELECT count(*) AS orders, count(DISTINCT idempotency_key) AS keys FROM orders WHERE idempotency_key LIKE ?").get(`client:${run}%`) as { orders: number; keys: number }),
  }));
  const placed = loop.byStatus.get(201)?.length ?? 0;
  const others = [...loop.byStatus.keys()].filter((s) => ![201, 409, 503].includes(s));
  // An answer lost to a connection error may or may not have placed its order (the buyer would retry with its key).
  const passed = others.length === 0 && noRetryAfter === 0 && bad === 0 && orders === keys && orders >= placed && orders <= placed + loop.errors;
  return [`overload, ${RTT} ms RTT: ${passed ? "passed" : "**FAILED**"}: ${OVERLOAD.buyers} buyers for ${SECONDS} s, retrying at once: ${statusCounts(loop)}; ` +
    `connection errors ${loop.errors}; 503 without Retry-After ${noRetryAfter}; 503 p99 ${fmt(rateOf(loop, 503).p99, 1)} ms; ` +
    `in D1 afterwards ${orders} orders under ${keys} keys (201 answers ${placed}), skus whose stock + sold ≠ ${OVERLOAD.units}: ${bad}`];
}

await runMain("bench orders", async () => {
  await sampleState(STATE, STOCK);
  const skus = withD1(STATE, (db) => db.prepare("SELECT id FROM skus ORDER BY id").pluck().all() as number[]);
  const [flashLocal, flashRtt, ...overloadSkus] = skus.splice(-(2 + OVERLOAD.skus)); // kept out of the spread load
  withD1(STATE, (db) => {
    db.prepare("UPDATE skus SET quantity = ? WHERE id IN (?, ?)").run(FLASH.units, flashLocal, flashRtt);
    db.prepare("UPDATE skus SET quantity = ? WHERE id IN (SELECT value FROM json_each(?))").run(OVERLOAD.units, JSON.stringify(overloadSkus));
  }, false);
  const entry = await bundle("scripts/bench-worker/index.ts", join(STATE, "bundle"));
  const rows: string[][] = [], health: string[] = [], checks: string[] = [];
  const rate = new Map<string, number>();
  for (const rtt of [0, RTT]) {
    for (const grouped of [false, true]) {
      const config = `${rtt ? `${rtt} ms RTT` : "local"}, ${grouped ? "grouped" : "group size 1"}`;
      const server = await serve(STATE, [...(grouped ? [] : ["ORDER_GROUP_MAX:1"]), ...(rtt ? [`BENCH_D1_RTT_MS:${rtt}`] : [])], ["--entry", entry]);
      try {
        if (!rtt) {
          const h = rateOf(await overHttp(server.origin, 64, () => ({ method: "GET", path: "/health" })), 200).perSecond;
          rate.set(`${config} health`, h);
          health.push(`${fmt(h)} req/s (${config})`);
        }
        for (const buyers of BUYERS) {
          const http = await overHttp(server.origin, buyers, () => order(pick(skus)));
          const placed = rateOf(http, 201);
          const inside = await alone(server.origin, buyers, skus);
          rate.set(`${config} ${buyers} http`, placed.perSecond);
          rate.set(`${config} ${buyers} alone`, inside.perSecond);
          rows.push([rtt ? `${rtt} ms RTT` : "local", grouped ? `≤ ${tomlVar("ORDER_GROUP_MAX")}` : "1", String(buyers), fmt(placed.perSecond), fmt(placed.p50, 1), fmt(placed.p99, 1),
            `${statusCounts(http)}${http.errors ? `, errors ${http.errors}` : ""}`, fmt(inside.perSecond), fmt(inside.p50, 1), fmt(inside.p99, 1),
            Object.entries(inside.other).map(([k, n]) => `${k}: ${n}`).join(", ") || "–"]);
          process.stderr.write(`  ${config}, ${buyers} buyers: ${rows.at(-1)!.slice(3).join(" | ")}\n`);
        }
        if (grouped) checks.push(...await flashSale(server.origin, rtt ? flashRtt! : flashLocal!, rtt ? `${rtt} ms RTT` : "local D1"));
        if (grouped && rtt) checks.push(...await overload(server.origin, overloadSkus));
        process.stderr.write(checks.slice(-2).map((c) => `  ${c}\n`).join(""));
      } finally {
        await server.stop();
      }
    }
  }

  const local64 = (rate.get("local, grouped 64 http") ?? NaN) / (rate.get("local, grouped health") ?? NaN);
  const target = (label: string, x: number, min: number, unit: string) => `${label}: ${fmt(x, unit === "×" ? 2 : 0)}${unit} (target ≥ ${min}${unit}): ${Number.isNaN(x) ? "not run" : x >= min ? "met" : "**not met**"}`;
  const verdicts = [
    target("grouped, local, 64 buyers, against /health at 64 connections", local64, 0.3, "×"),
    target(`grouped, ${RTT} ms RTT, 256 buyers, over HTTP`, rate.get(`${RTT} ms RTT, grouped 256 http`) ?? NaN, 500, " orders/s"),
    target(`grouped, ${RTT} ms RTT, 256 buyers, the serializer alone`, rate.get(`${RTT} ms RTT, grouped 256 alone`) ?? NaN, 500, " orders/s"),
    ...checks,
  ];
  const args = process.argv.slice(2).join(" ");
  writeSection("orders", "Orders: group commit, a flash sale, an overload", `${provenance(`npm run bench -- orders${args ? ` ${args}` : ""}`)}

\`npm run serve\` of scripts/bench-worker/ on the sample catalog; ORDER_GROUP_MAX ${tomlVar("ORDER_GROUP_MAX")}, ORDER_QUEUE_MAX ${tomlVar("ORDER_QUEUE_MAX")},
ORDER_QUEUE_WAIT_MS ${tomlVar("ORDER_QUEUE_WAIT_MS")}; "group 1" is the same build with ORDER_GROUP_MAX=1. Closed-loop buyers, 1 unit of a
random sku, ${WARMUP} s warm-up then ${SECONDS} s per row; orders/s and latencies (ms) count 201s only. "Alone": the same number of
buyers inside the Worker, calling the serializer over RPC as the route does (no HTTP): the serializer's own ceiling.
/health at 64 connections, same client: ${health.join(", ")}.

${mdTable(["serializer ↔ D1", "group", "buyers:", "HTTP orders/s:", "p50:", "p99:", "HTTP statuses", "alone orders/s:", "p50:", "p99:", "alone not placed"], rows)}

${verdicts.map((v) => `- ${v}`).join("\n")}
`);
  if (verdicts.some((v) => v.includes("**"))) process.exitCode = 1;
});
