// What `npm run bench:scale` measures on each catalog size, and how: orders placed first, then per route
// a discarded warm-up and a fixed-duration autocannon run (random real ids per request), then a short
// sequential probe that reads D1's own time from the Server-Timing header (`db;dur=`).
import autocannon, { type AutocannonRequest } from "autocannon";
import { loadavg } from "node:os";
import { cpuShare, sampleCpu, waitForQuiet, type CpuShare } from "./bench-cpu";
import { ADMIN_TOKEN, percentile, round } from "./scale-report";
import { PLANTED_WORD } from "./catalog-rows";
import type { ScaleFacts } from "./scale-state";

export interface Ctx { base: string; facts: ScaleFacts; orderIds: string[]; cursors: Record<string, string> }
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** name → [label, path maker, headers]; /health first: it is the same-run baseline. */
export const ROUTES: Record<string, { label: string; path: (c: Ctx) => string; headers?: Record<string, string> }> = {
  "health": { label: "GET /health", path: () => "/health" },
  "product": { label: "GET /products/:id (random real id)", path: (c) => `/products/${pick(c.facts.productIds)}` },
  "styles": { label: "GET /products/:id/styles", path: (c) => `/products/${pick(c.facts.productIds)}/styles` },
  "related": { label: "GET /products/:id/related", path: (c) => `/products/${pick(c.facts.productIds)}/related` },
  "list-first": { label: "GET /products?count=5", path: () => "/products?count=5" },
  "list-last": { label: "GET /products?after=<last-6>&count=5", path: (c) => `/products?after=${c.facts.deepAfter}&count=5` },
  "order-read": { label: "GET /orders/:id (random placed)", path: (c) => `/orders/${pick(c.orderIds)}` },
  "order-list": { label: "GET /orders?limit=20 (admin)", path: () => "/orders?limit=20", headers: admin },
  "search-jacket": { label: "GET /search?q=jacket", path: () => "/search?q=jacket" },
  "search-fabric": { label: "GET /search?q=fabric", path: () => "/search?q=fabric" },
  "search-page50": { label: "GET /search?q=jacket, page 50", path: (c) => `/search?q=jacket&cursor=${c.cursors["search-page50"]}` },
  "search-planted": { label: `GET /search?q=${PLANTED_WORD} (same 20 products at both sizes)`, path: () => `/search?q=${PLANTED_WORD}` },
  "category": { label: "GET /search?category=Pants", path: () => "/search?category=Pants" },
  "category-page50": { label: "GET /search?category=Pants, page 50", path: (c) => `/search?category=Pants&cursor=${c.cursors["category-page50"]}` },
  "suggest": { label: "GET /search/suggest?q=jog", path: () => "/search/suggest?q=jog" },
  "categories": { label: "GET /categories", path: () => "/categories" },
};

/** The cursors of page 50 (limit 20), found by walking the pages as a client would. */
export async function findCursors(c: Ctx): Promise<void> {
  for (const [name, query] of [["search-page50", "q=jacket"], ["category-page50", "category=Pants"]] as const) {
    let cursor: string | null = null;
    for (let page = 1; page < 50; page++) {
      const res = await fetch(`${c.base}/search?${query}${cursor ? `&cursor=${cursor}` : ""}`, { headers: { "CF-Connecting-IP": "198.18.0.1" } });
      cursor = ((await res.json()) as { next_cursor: string | null }).next_cursor;
      if (cursor === null) throw new Error(`${query} has fewer than 50 pages`);
    }
    c.cursors[name] = cursor!;
  }
}

export interface RouteRow {
  route: string; requests: number; rps: number; p50: number; p99: number; non2xx: number; errors: number;
  statusCodes: Record<string, number>; dbMs: number | null; load1: number; cpu: CpuShare;
}

/** POST /orders with real skus, each from its own client address (the limit is 1,000/min per address). */
export async function placeOrders(c: Ctx, n: number, concurrency = 4): Promise<void> {
  let i = 0, failed = 0;
  const worker = async () => {
    while (i < n) {
      const k = i++;
      const res = await fetch(`${c.base}/orders`, { method: "POST", body: JSON.stringify({ items: [{ sku_id: pick(c.facts.skuIds), quantity: 1 }] }),
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": `198.19.${k >> 8}.${k % 256}` } });
      const body = await res.text();
      if (res.status === 201) c.orderIds.push((JSON.parse(body) as { id: string }).id);
      else if (++failed <= 3) process.stderr.write(`  order ${k}: ${res.status} ${body.slice(0, 200)}\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (c.orderIds.length === 0) throw new Error("no order could be placed");
  process.stderr.write(`  placed ${c.orderIds.length} orders (${failed} failed)\n`);
}

function cannon(c: Ctx, name: string, connections: number, duration: number, onLatency?: (ms: number) => void) {
  const r = ROUTES[name]!;
  // A client address per request, as many shoppers would have: the search limit counts per address.
  const headers = () => ({ ...r.headers, "CF-Connecting-IP": `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}` });
  const req: AutocannonRequest = { method: "GET", path: r.path(c), headers: headers(),
    setupRequest: (q) => ({ ...q, path: r.path(c), headers: headers() }) };
  const inst = autocannon({ url: c.base, connections, duration, requests: [req], timeout: 10 });
  if (onLatency) inst.on("response", (_c, _s, _b, ms) => onLatency(ms)); // hrtime precision, unlike the histogram
  return inst;
}

/** Median of `db;dur=` over a few sequential requests: the time D1 itself took, without queueing. */
async function dbTime(c: Ctx, name: string, n = 30): Promise<number | null> {
  const r = ROUTES[name]!;
  const durs: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(c.base + r.path(c), { headers: { ...r.headers, "CF-Connecting-IP": `198.19.200.${i}` } });
    await res.arrayBuffer();
    const m = /db;dur=([\d.]+)/.exec(res.headers.get("Server-Timing") ?? "");
    if (m) durs.push(Number(m[1]));
  }
  return durs.length === 0 ? null : round(percentile(durs, 50), 2);
}

export async function measureRoute(c: Ctx, name: string, pgid: number, s: { duration: number; warmup: number; connections: number; quietWait: number }): Promise<RouteRow> {
  // Others' builds and test runs share the 2 cores: give them up to quietWait s to calm down first.
  if (s.quietWait > 0) await waitForQuiet(pgid, s.quietWait);
  if (s.warmup > 0) await cannon(c, name, s.connections, s.warmup);
  const latencies: number[] = [];
  const load1 = loadavg()[0]!;
  const before = sampleCpu(pgid);
  const result = await cannon(c, name, s.connections, s.duration, (ms) => latencies.push(ms));
  const cpu = cpuShare(before, sampleCpu(pgid));
  return {
    route: name, requests: result.requests.total, rps: round(result.requests.total / result.duration, 1),
    p50: round(percentile(latencies, 50), 2), p99: round(percentile(latencies, 99), 2),
    non2xx: result.non2xx, errors: result.errors,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count])),
    dbMs: name === "health" ? null : await dbTime(c, name), load1: round(load1, 2), cpu,
  };
}
