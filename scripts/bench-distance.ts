// `npm run bench -- distance`: what a shopper in each location waits, in the production world with its
// distances, beside the single-origin peer; written to docs/results.md. See USAGE.
import { resolve } from "node:path";
import { copyState, pct, serve, stateDir, withD1 } from "./lib/bench-kit";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { provenance, writeSection } from "./lib/results-page";
import { locationRules, worldRules } from "../world/rules";

const USAGE = `Usage: npm run bench -- distance --from-state DIR [options]

The latency check of issue 22. A copy of DIR (a persisted catalog, e.g. the 1M one that
\`npm run import\` makes) is served fresh by \`npm run serve -- --world production\` (round trips paid, from
world/locations.json); then, for --seconds in each location in turn (X-World-Location):
  60 shoppers, each reading every 0.5 s: 35% GET /products/:id and 35% GET /products/:id/styles of ids
  1-200, 30% GET /products/:id/styles of a random id;
  5 buyers, each ordering 1 unit of a random sku once a second.
Requests are sent on schedule (open loop), so a slow answer doesn't thin the load. Reports p50/p95 per
location for browsing and for orders, the share of 200s (browsing) and 201/409s (orders), beside the
single-origin peer (an Express + Postgres server in iad): its client_to_origin from world/locations.json
plus its service time measured on this machine at 1M (p50 2.8-3.4 ms, p95 taken as 5.3 ms: the seeds'
k6 test). Beside each, the floor: the round trips world/locations.json charges the request (client to
edge, then for a read-cache miss the replica, for an order the serializer and its two D1 batches); what
is above it is the local runtime's own time. Checks the issue's targets. Writes the "Latency by
location" section of docs/results.md (with --rtt off, "Latency with distances off": the local runtime
alone, no target checked).

Options:
  --from-state DIR   the catalog to copy (required)
  --seconds N        per location (default 15)
  --rtt on|off       pay the round trips (default on); off measures what the local runtime alone costs
  --state-dir D      where the copy goes (default .tmp/bench/distance, wiped)
  -h, --help
`;

const { values, fail } = parseCli("bench distance", USAGE, {
  "from-state": { type: "string" }, seconds: { type: "string" }, "state-dir": { type: "string" }, rtt: { type: "string" },
});
if (values.rtt !== undefined && values.rtt !== "on" && values.rtt !== "off") fail("--rtt takes on or off");
const RTT = values.rtt !== "off";
if (!values["from-state"]) fail("give --from-state DIR (a persisted catalog)");
const SECONDS = integerFlag("--seconds", values.seconds, { fallback: 15, min: 1, max: 3600 }, fail);
const STATE = stateDir("distance", values["state-dir"], fail);
const FROM = resolve(values["from-state"]!);

const SHOPPERS = 60, SHOPPER_EVERY_MS = 500, BUYERS = 5, BUYER_EVERY_MS = 1000, HOT = 200;
const PEER_SERVICE = { p50: 3.0, p95: 5.3 };
/** Issue 22's targets: browsing p95 at most 2x / 0.5x / 0.5x the peer's p95 there; orders as fixed. */
const TARGETS: Record<string, { browse: number; order: number }> = {
  iad: { browse: 30.6, order: 30 }, fra: { browse: 50.2, order: 115 }, syd: { browse: 107.7, order: 230 },
};

interface Sample { ms: number; status: number }
const sorted = (xs: Sample[]) => xs.map((s) => s.ms).sort((a, b) => a - b);

async function timed(url: string, init: RequestInit): Promise<Sample> {
  const t = performance.now();
  try {
    const res = await fetch(url, init);
    await res.arrayBuffer();
    return { ms: performance.now() - t, status: res.status };
  } catch {
    return { ms: performance.now() - t, status: 0 };
  }
}

/** Fires `fire(n)` every `everyMs` from `offsetMs` until `endAt`, never waiting for an answer; resolves with all samples. */
async function onSchedule(offsetMs: number, everyMs: number, endAt: number, fire: (n: number) => Promise<Sample>): Promise<Sample[]> {
  const pending: Promise<Sample>[] = [];
  const start = performance.now() + offsetMs;
  for (let n = 0; ; n++) {
    const at = start + n * everyMs;
    if (at >= endAt) break;
    await new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
    pending.push(fire(n));
  }
  return Promise.all(pending);
}

async function runLocation(base: string, location: string, maxProduct: number, maxSku: number) {
  const headers = { "X-World-Location": location };
  const endAt = performance.now() + SECONDS * 1000;
  const rand = (n: number) => 1 + Math.floor(Math.random() * n);
  const browse = Array.from({ length: SHOPPERS }, (_, k) => onSchedule((k * SHOPPER_EVERY_MS) / SHOPPERS, SHOPPER_EVERY_MS, endAt, () => {
    const r = Math.random();
    const path = r < 0.35 ? `/products/${rand(HOT)}` : r < 0.7 ? `/products/${rand(HOT)}/styles` : `/products/${rand(maxProduct)}/styles`;
    return timed(base + path, { headers });
  }));
  const buy = Array.from({ length: BUYERS }, (_, k) => onSchedule((k * BUYER_EVERY_MS) / BUYERS, BUYER_EVERY_MS, endAt, (n) =>
    timed(`${base}/orders`, {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/json", "Idempotency-Key": `distance-${location}-${k}-${n}-${Date.now()}` },
      body: JSON.stringify({ items: [{ sku_id: rand(maxSku), quantity: 1 }] }),
    })));
  const reads = (await Promise.all(browse)).flat();
  const orders = (await Promise.all(buy)).flat();
  return { reads, orders };
}

await runMain("bench distance", async () => {
  const rules = worldRules({ rtt: RTT });
  const serializer = locationRules(rules, rules.doLocation);
  copyState(FROM, STATE); // a fresh server on a fresh copy
  const { maxProduct, maxSku } = withD1(STATE, (db) => db.prepare("SELECT (SELECT max(id) FROM products) AS maxProduct, (SELECT max(id) FROM skus) AS maxSku").get() as { maxProduct: number; maxSku: number });
  const server = await serve(STATE, [], ["--world", "production", ...(RTT ? [] : ["--rtt", "off"])]);
  const rows: string[] = [];
  const verdicts: string[] = [];
  try {
    for (const location of rules.locations.map((l) => l.name)) {
      process.stderr.write(`${location}: ${SECONDS} s of ${SHOPPERS} shoppers and ${BUYERS} buyers...\n`);
      const { reads, orders } = await runLocation(server.origin, location, maxProduct, maxSku);
      const ok = reads.filter((s) => s.status === 200).length / reads.length;
      const placed = orders.filter((s) => s.status === 201 || s.status === 409).length / orders.length;
      const b = { p50: pct(sorted(reads), 50), p95: pct(sorted(reads), 95) };
      const o = { p50: pct(sorted(orders), 50), p95: pct(sorted(orders), 95) };
      const origin = rules.peerClientToOrigin[location]!;
      const peer = { p50: origin + PEER_SERVICE.p50, p95: origin + PEER_SERVICE.p95 };
      const t = TARGETS[location]!;
      const here = locationRules(rules, location);
      // What the world charges: a hit pays the client's round trip, a miss adds the replica's; an order the
      // serializer's round trip and two of its D1 batches on the primary (the serializer sits beside it).
      const floor = RTT ? { hit: here.client_to_edge, miss: here.client_to_edge + here.d1_replica,
        order: here.client_to_edge + here.durable_object + 2 * serializer.d1_primary } : { hit: 0, miss: 0, order: 0 };
      rows.push(`| ${location} | ${b.p50.toFixed(1)} / **${b.p95.toFixed(1)}** | ${floor.hit} / ${floor.miss} | ${peer.p50.toFixed(1)} / ${peer.p95.toFixed(1)} | ${t.browse} | ` +
        `${o.p50.toFixed(1)} / **${o.p95.toFixed(1)}** | ${floor.order} | ${t.order} | ${(100 * ok).toFixed(1)}% of ${reads.length} | ${(100 * placed).toFixed(1)}% of ${orders.length} |`);
      verdicts.push(`${location}: browsing p95 ${b.p95.toFixed(1)} ms ${b.p95 <= t.browse ? "≤" : "> (MISSED)"} ${t.browse}; ` +
        `orders p95 ${o.p95.toFixed(1)} ms ${o.p95 <= t.order ? "≤" : "> (MISSED)"} ${t.order}; 200s ${(100 * ok).toFixed(1)}% ${ok >= 0.99 ? "≥" : "< (MISSED)"} 99%; ` +
        `201/409 ${(100 * placed).toFixed(1)}% ${placed >= 0.95 ? "≥" : "< (MISSED)"} 95%`);
      process.stderr.write(`  ${verdicts.at(-1)}\n`);
    }
  } finally {
    await server.stop();
  }
  writeSection(RTT ? "distance" : "distance-rtt-off", RTT ? "Latency by location" : "Latency with distances off", `${provenance(`npm run bench -- distance --from-state ${values["from-state"]} --seconds ${SECONDS}${RTT ? "" : " --rtt off"}`)}

\`npm run serve -- --world production${RTT ? "" : " --rtt off"}\` on a fresh copy of the catalog (${maxProduct.toLocaleString("en-US")} products), ${RTT
    ? "round trips paid\n(world/locations.json: client to edge 10 ms everywhere; D1 primary, serializer in iad; replicas 2 / 5 / 10 ms)."
    : "round trips counted but not\nslept: every millisecond here is the local runtime's (the router, the location's Worker, the world's D1, Miniflare's)."}
Per location, ${SECONDS} s of ${SHOPPERS} shoppers reading every 0.5 s (35% product and 35% styles of ids 1-200, 30% styles of
any id) and ${BUYERS} buyers ordering a random sku once a second, sent on schedule. Milliseconds, client side.
The peer: an Express + Postgres server in iad reached directly, its client_to_origin plus its service time
at 1M on this machine (p50 ${PEER_SERVICE.p50}, p95 ${PEER_SERVICE.p95} ms).

| location | browsing p50 / p95 | browsing floor, hit / miss | peer p50 / p95 | browsing p95 target | orders p50 / p95 | orders floor | orders p95 target | browsing 200 | orders 201 or 409 |
|---|---|---|---|---:|---|---:|---:|---:|---:|
${rows.join("\n")}

${RTT ? verdicts.map((v) => `- ${v}`).join("\n") : "No target applies with distances off."}
`);
});
