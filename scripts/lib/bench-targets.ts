// What `npm run bench` measures. Each target checks once, before its warm-up, that the server is in the
// state the row claims (a "cached" row that silently measured D1 would be worse than no row).
import type { AutocannonRequest } from "autocannon";

export type ServerKind = "cache-on" | "cache-off";

export interface TargetContext {
  baseUrl: string;
  lastProductId: number;
  /** `?after=` for the last page of 5 (the id of the 6th product from the end). */
  deepAfter: number;
  /** A sku id drawn uniformly from the skus that exist. */
  randomSku: () => number;
  firstSku: number;
  /** A product id drawn uniformly from the products that exist. */
  randomProduct: () => number;
}

export interface Target {
  server: ServerKind;
  label: string;
  requests: (ctx: TargetContext) => AutocannonRequest[];
  /** Throws when the server is not in the expected state; returns evidence for the report. */
  check: (ctx: TargetContext) => Promise<string>;
}

const get = (path: string) => (): AutocannonRequest[] => [{ method: "GET", path }];

async function fetchOk(ctx: TargetContext, path: string, init?: RequestInit, status = 200) {
  const res = await fetch(ctx.baseUrl + path, init);
  const body = await res.text();
  if (res.status !== status) throw new Error(`${init?.method ?? "GET"} ${path}: expected ${status}, got ${res.status}: ${body.slice(0, 300)}`);
  return { res, body, timing: res.headers.get("Server-Timing") ?? "" };
}

const health: Target["check"] = async (ctx) => {
  const { body } = await fetchOk(ctx, "/health");
  if (JSON.parse(body).status !== "ok") throw new Error(`/health answered ${body}`);
  return "200 {\"status\":\"ok\"}";
};

// The first read misses and stores the entry through waitUntil, so the hit shows up a moment later.
const cachedHit = (path: string): Target["check"] => async (ctx) => {
  let timing = "";
  for (let attempt = 0; attempt < 50; attempt++) {
    timing = (await fetchOk(ctx, path)).timing;
    if (timing.includes("cache;desc=hit")) return `Server-Timing: ${timing}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`GET ${path} never answered from KV (last Server-Timing: "${timing}")`);
};

const fromD1 = (path: string): Target["check"] => async (ctx) => {
  const { timing } = await fetchOk(ctx, path);
  if (timing.includes("cache;desc=hit") || !timing.includes("db;dur=")) {
    throw new Error(`GET ${path} should be read from D1 with the cache off, Server-Timing: "${timing}"`);
  }
  return `Server-Timing: ${timing}`;
};

// The first page must start at the lowest id, the deep one end at the highest: both full pages of 5.
const page = (path: (ctx: TargetContext) => string, ok: (ids: number[], ctx: TargetContext) => boolean): Target["check"] =>
  async (ctx) => {
    const { body, timing } = await fetchOk(ctx, path(ctx));
    const ids = (JSON.parse(body) as { id: number }[]).map((p) => p.id);
    if (ids.length !== 5 || !ok(ids, ctx)) throw new Error(`GET ${path(ctx)} returned ids ${ids.join(",")}`);
    return `ids ${ids.join(",")}; Server-Timing: ${timing}`;
  };
const deepPath = (ctx: TargetContext) => `/products?after=${ctx.deepAfter}&count=5`;

const orderBody = (skuId: number) => JSON.stringify({ items: [{ sku_id: skuId, quantity: 1 }] });

// POST /orders is rate limited per client address (CF-Connecting-IP, 1,000 a minute locally), and
// wrangler dev passes the header through. One address would measure the limiter's 429s after a few
// seconds, so orders come from 256 simulated clients in the benchmarking range 198.18.0.0/15
// (RFC 2544), round-robin: each stays far below its budget while the limiter still runs on every order.
let nextClient = 0;
const orderHeaders = () => ({
  "Content-Type": "application/json",
  "CF-Connecting-IP": `198.18.0.${nextClient++ % 256}`,
});

const order = (sku: (ctx: TargetContext) => number): Pick<Target, "requests" | "check"> => ({
  requests: (ctx) => [{
    method: "POST", path: "/orders", headers: orderHeaders(), body: orderBody(sku(ctx)),
    // Rebuilt before every send, so each order has its own client address (and, spread, its own sku).
    setupRequest: (req) => ({ ...req, headers: orderHeaders(), body: orderBody(sku(ctx)) }),
  }],
  check: async (ctx) => {
    const { body } = await fetchOk(ctx, "/orders", { method: "POST", headers: orderHeaders(), body: orderBody(sku(ctx)) }, 201);
    return `201 ${(JSON.parse(body) as { id: string }).id}`;
  },
});

// The long tail: every request for the styles of a product drawn uniformly from the whole catalog, so
// over a big catalog almost every read is a product not read before (a cache miss, by design).
const randomStyles: Target["requests"] = (ctx) => [{
  method: "GET", path: `/products/${ctx.randomProduct()}/styles`,
  setupRequest: (req) => ({ ...req, path: `/products/${ctx.randomProduct()}/styles` }),
}];
const randomStylesCheck = (cache: boolean): Target["check"] => async (ctx) => {
  const { timing } = await fetchOk(ctx, `/products/${ctx.randomProduct()}/styles`);
  if (timing.includes("cache;desc=") !== cache || !timing.includes("db;dur=")) {
    throw new Error(`a random product's styles should be read from D1 ${cache ? "through" : "without"} the cache, Server-Timing: "${timing}"`);
  }
  return `Server-Timing: ${timing}`;
};

// Insertion order is run order within each server; /health runs first as that server's baseline.
export const TARGETS = {
  "health": { server: "cache-on", label: "GET /health", requests: get("/health"), check: health },
  "product-cached": { server: "cache-on", label: "GET /products/1 (KV hit)", requests: get("/products/1"), check: cachedHit("/products/1") },
  "styles-cached": { server: "cache-on", label: "GET /products/1/styles (KV hit)", requests: get("/products/1/styles"), check: cachedHit("/products/1/styles") },
  "styles-random": {
    server: "cache-on", label: "GET /products/<uniform random id>/styles (long tail)", requests: randomStyles, check: randomStylesCheck(true),
  },
  "list-first": {
    server: "cache-on", label: "GET /products?count=5 (first page, D1)", requests: get("/products?count=5"),
    check: page(() => "/products?count=5", (ids, ctx) => ids[0]! < ctx.deepAfter),
  },
  "list-deep": {
    server: "cache-on", label: "GET /products?after=<id>&count=5 (last page, D1)",
    requests: (ctx) => [{ method: "GET", path: deepPath(ctx) }],
    check: page(deepPath, (ids, ctx) => ids[4] === ctx.lastProductId),
  },
  "orders-spread": { server: "cache-on", label: "POST /orders, 1 line, random sku", ...order((ctx) => ctx.randomSku()) },
  "orders-one-sku": { server: "cache-on", label: "POST /orders, 1 line, all on one sku", ...order((ctx) => ctx.firstSku) },
  "health-nocache": { server: "cache-off", label: "GET /health (cache-off server)", requests: get("/health"), check: health },
  "product-uncached": { server: "cache-off", label: "GET /products/1 (D1)", requests: get("/products/1"), check: fromD1("/products/1") },
  "styles-uncached": { server: "cache-off", label: "GET /products/1/styles (D1)", requests: get("/products/1/styles"), check: fromD1("/products/1/styles") },
  "styles-random-uncached": {
    server: "cache-off", label: "GET /products/<uniform random id>/styles (D1)", requests: randomStyles, check: randomStylesCheck(false),
  },
} satisfies Record<string, Target>;

export type TargetName = keyof typeof TARGETS;

/** The display path of a target's first request, with the real ids filled in. */
export function requestLine(name: TargetName, ctx: TargetContext): string {
  const req = TARGETS[name].requests(ctx)[0]!;
  return name.startsWith("orders") || name.startsWith("styles-random") ? TARGETS[name].label : `${req.method} ${req.path}`;
}
