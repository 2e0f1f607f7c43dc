// Shared settings and helpers for every k6 scenario in load/ (see load/README.md).
// Everything is read from `-e NAME=value` (or the environment); the defaults target `npm start`.
import type { RefinedResponse, ResponseType } from "k6/http";
import { Rate } from "k6/metrics";
import type { Stage } from "k6/options";

export const BASE_URL = (__ENV.BASE_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
export const ADMIN_TOKEN = __ENV.ADMIN_TOKEN ?? "dev-admin-token";
function positive(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return Number(raw);
}
/** Ids are drawn from [1, MAX_PRODUCT_ID]; unset (0), setup() asks the API for its highest id. */
export const MAX_PRODUCT_ID = Math.floor(positive("MAX_PRODUCT_ID", 0));
/** Orders per second (checkout), product lifecycles per minute (churn), products setup reads skus from. */
export const ORDER_RATE = positive("ORDER_RATE", 2);
export const CHURN_RATE = positive("CHURN_RATE", 6);
export const SKU_PRODUCTS = Math.floor(positive("SKU_PRODUCTS", 40));
export const LOCAL = /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(`${BASE_URL}/`);
/**
 * checkout, churn and combined write: they place real orders (taking stock) and create products. Against
 * anything but this machine they run only with ALLOW_WRITES=true (a preview); a deployed shop is checked
 * with the read-only smoke.ts.
 */
export const ALLOW_WRITES = __ENV.ALLOW_WRITES === "true";

// STAGES: a preset name, or "duration:target,…" (e.g. "10s:4,20s:4,5s:0") for browse's VU ramp.
const PRESETS: Record<string, string> = {
  smoke: "5s:2,20s:2,5s:0",
  load: "1m:10,3m:10,30s:0",
  soak: "2m:10,30m:10,1m:0",
};
export const STAGES_NAME = __ENV.STAGES ?? "smoke";
export const STAGES: Stage[] = (PRESETS[STAGES_NAME] ?? STAGES_NAME).split(",").map((part) => {
  const [duration, target] = part.trim().split(":");
  if (!duration || !/^\d+$/.test(target ?? "")) throw new Error(`STAGES: bad stage "${part}" (want duration:target)`);
  return { duration, target: Number(target) };
});
/** The stages' total length, for the arrival-rate scenarios that run beside them. */
export const TOTAL_DURATION = `${STAGES.reduce((s, st) => s + seconds(st.duration), 0)}s`;
function seconds(d: string): number {
  let total = 0;
  for (const [, n, unit] of d.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit as "ms" | "s" | "m" | "h"];
  }
  return Math.ceil(total);
}

// p95 bounds per route, ms. `local` fits the local runtime (workerd + local D1/DO) sharing a 2-core box
// with k6; `preview` is what a deployed Worker should meet. An admin write answers only once a read
// anywhere in its location shows it: after READ_CACHE_MS (1 s) and the replica's catch-up
// (docs/decisions/freshness.md), so its bound is that second plus a write's. THRESHOLDS=local|preview
// overrides the choice made from BASE_URL.
const ADMIN_WRITE = { local: 1_800, preview: 1_600 };
const P95: Record<string, { local: number; preview: number }> = {
  list: { local: 400, preview: 250 }, product: { local: 300, preview: 200 },
  styles: { local: 300, preview: 200 }, related: { local: 300, preview: 200 },
  order_create: { local: 800, preview: 500 }, order_replay: { local: 800, preview: 400 },
  order_conflict: { local: 800, preview: 400 }, stock_read: { local: 400, preview: 250 },
  product_create: ADMIN_WRITE, product_update: ADMIN_WRITE, style_create: ADMIN_WRITE,
  related_update: ADMIN_WRITE, product_delete: ADMIN_WRITE,
  product_read: { local: 400, preview: 250 }, styles_read: { local: 400, preview: 250 },
  product_gone: { local: 400, preview: 250 },
  suggest: { local: 300, preview: 200 }, search: { local: 400, preview: 250 }, category: { local: 400, preview: 250 },
};
export const PROFILE = (__ENV.THRESHOLDS || (LOCAL ? "local" : "preview")) as "local" | "preview";
if (PROFILE !== "local" && PROFILE !== "preview") throw new Error(`THRESHOLDS must be local or preview, got "${PROFILE}"`);

/** Errors < 1%, never a 5xx, and a p95 bound for each route the script requests. */
export function thresholds(routes: string[]): Record<string, string[]> {
  const t: Record<string, string[]> = { http_req_failed: ["rate<0.01"], server_errors: ["rate==0"], checks: ["rate>0.99"] };
  for (const route of routes) t[`http_req_duration{route:${route}}`] = [`p(95)<${P95[route]![PROFILE]}`];
  return t;
}

export const BROWSE_ROUTES = ["suggest", "search", "category", "list", "product", "styles", "related"];
export const CHECKOUT_ROUTES = ["order_create", "order_replay", "order_conflict", "stock_read"];
export const CHURN_ROUTES = ["product_create", "product_read", "product_update", "style_create",
  "styles_read", "related_update", "product_delete", "product_gone"];

// Custom metrics, defined once here so every script shares them.
export const serverErrors = new Rate("server_errors");
export const cacheHit = new Rate("cache_hit");
const cacheHitByRoute: Record<string, Rate> = { product: new Rate("cache_hit_product"), styles: new Rate("cache_hit_styles") };

/** "hit" / "miss" from the Server-Timing header the API sends on KV-cached routes, or null. */
export function cacheStatus(serverTiming: string | undefined): "hit" | "miss" | null {
  const match = /(?:^|,)\s*cache;desc="?(hit|miss)"?/.exec(serverTiming ?? "");
  return match ? (match[1] as "hit" | "miss") : null;
}

let reported = 0;
/** Records 5xx and cache status for a response; prints the first few 5xx with their request id. */
export function track<RT extends ResponseType | undefined>(res: RefinedResponse<RT>, route: string): RefinedResponse<RT> {
  serverErrors.add(res.status >= 500, { route });
  if (res.status >= 500 && reported++ < 5) {
    console.error(`5xx: ${res.request.method} ${res.url} -> ${res.status} request_id=${res.headers["X-Request-Id"]} ${String(res.body).slice(0, 300)}`);
  }
  // Only browse's reads count: reads right after a write (stock_read, churn) must miss by design.
  const status = res.status === 200 && cacheHitByRoute[route] ? cacheStatus(res.headers["Server-Timing"]) : null;
  if (status) {
    cacheHit.add(status === "hit", { route });
    cacheHitByRoute[route]!.add(status === "hit");
  }
  return res;
}

export const JSON_HEADERS = { "Content-Type": "application/json" };
export const ADMIN_HEADERS = { ...JSON_HEADERS, Authorization: `Bearer ${ADMIN_TOKEN}` };

/** Product ids over the whole range [1, maxId]: 3/4 uniform, 1/4 from the top 10% (the last pages). */
export function randomProductId(maxId: number): number {
  const top = Math.max(1, Math.floor(maxId * 0.1));
  if (Math.random() < 0.25) return maxId - Math.floor(Math.random() * top);
  return 1 + Math.floor(Math.random() * maxId);
}

export function pick<T>(items: T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}
