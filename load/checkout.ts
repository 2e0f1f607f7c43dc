// checkout: orders of 1–3 random in-stock skus (found in setup from the styles of sampled products),
// each with its own Idempotency-Key, at ORDER_RATE orders/s. Expected: 201, or 409 OUT_OF_STOCK once a
// sku runs dry; never a 5xx. After each 201 the product's styles are read back: the sku's stock must
// already be at most what setup saw minus this order (stale_stock). 5% of orders are sent again with
// the same key and body (must answer the same order with `Idempotent-Replayed: true`), then once with
// the key and a different body (409 IDEMPOTENCY_CONFLICT).
//   k6 run -e BASE_URL=http://127.0.0.1:8787 -e ORDER_RATE=2 load/checkout.ts
import { check, group } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import { Rate } from "k6/metrics";
import type { Options } from "k6/options";
import { type Catalog, discoverMaxId, discoverSkus } from "./catalog.ts";
import { BASE_URL, CHECKOUT_ROUTES, JSON_HEADERS, ORDER_RATE, pick, thresholds, TOTAL_DURATION, track } from "./config.ts";
import { summaryFor, TREND_STATS } from "./summary.ts";

export const options: Options = {
  scenarios: {
    checkout: {
      executor: "constant-arrival-rate", exec: "checkout", rate: ORDER_RATE, timeUnit: "1s", duration: TOTAL_DURATION,
      preAllocatedVUs: Math.max(4, Math.ceil(ORDER_RATE * 2)), maxVUs: Math.max(20, Math.ceil(ORDER_RATE * 10)),
    },
  },
  thresholds: thresholds(CHECKOUT_ROUTES),
  summaryTrendStats: TREND_STATS,
};

export function setup(): Catalog {
  return discoverSkus(discoverMaxId());
}

const REPLAY_SHARE = 0.05;
const placedOrRefused = http.expectedStatuses(201, 409);
const refused = http.expectedStatuses(409);
const outOfStock = new Rate("out_of_stock");
const staleStock = new Rate("stale_stock");

interface OrderBody {
  items: { sku_id: number; quantity: number }[];
}

function orderItems(skus: number[]): OrderBody {
  const chosen = new Set<number>();
  const lines = 1 + Math.floor(Math.random() * 3);
  while (chosen.size < Math.min(lines, skus.length)) chosen.add(pick(skus));
  return { items: [...chosen].map((sku_id) => ({ sku_id, quantity: 1 + Math.floor(Math.random() * 2) })) };
}

function post(body: OrderBody, key: string, route: string, responseCallback = placedOrRefused) {
  const params = { headers: { ...JSON_HEADERS, "Idempotency-Key": key }, tags: { route }, responseCallback };
  return track(http.post(`${BASE_URL}/orders`, JSON.stringify(body), params), route);
}

function field(res: { json: (selector: string) => unknown }, selector: string): unknown {
  try { return res.json(selector); } catch { return undefined; }
}

export function checkout(data: Catalog): void {
  const body = orderItems(data.skus);
  const key = `k6-${exec.vu.idInTest}-${exec.scenario.iterationInTest}-${Date.now()}`;
  group("checkout", () => {
    const res = post(body, key, "order_create");
    if (res.status === 201 || res.status === 409) outOfStock.add(res.status === 409);
    check(res, {
      "order: 201 or 409": (r) => r.status === 201 || r.status === 409,
      "order: never 5xx": (r) => r.status < 500,
      "order: 201 has an id, the lines and a total": (r) => r.status !== 201 ||
        (/^ord_/.test(String(field(r, "id"))) && field(r, "items.#") === body.items.length && /^\d+\.\d{2}$/.test(String(field(r, "total")))),
      "order: 409 is OUT_OF_STOCK with details": (r) => r.status !== 409 ||
        (field(r, "error") === "OUT_OF_STOCK" && Array.isArray(field(r, "details"))),
    });
    if (res.status !== 201) return;

    // The order must show at once in the product's (KV-cached) styles: at most setup's stock minus this order.
    const line = field(res, "items.0") as { sku_id: number; product_id: number; quantity: number } | undefined;
    if (!line) return; // the shape check above has already failed
    const styles = track(http.get(`${BASE_URL}/products/${line.product_id}/styles`, { tags: { route: "stock_read" } }), "stock_read");
    const skus = (field(styles, "results") as { skus: Record<string, { quantity: number }> }[] | undefined) ?? [];
    const now = skus.map((st) => st.skus[String(line.sku_id)]?.quantity).find((q) => q !== undefined);
    const fresh = now !== undefined && now <= data.stock[String(line.sku_id)]! - line.quantity;
    staleStock.add(!fresh);
    check(styles, { "stock read after the order is fresh": () => fresh });
    if (Math.random() >= REPLAY_SHARE) return;

    const replay = post(body, key, "order_replay");
    check(replay, {
      "replay: 201, same order": (r) => r.status === 201 && field(r, "id") === field(res, "id"),
      "replay: Idempotent-Replayed: true": (r) => r.headers["Idempotent-Replayed"] === "true",
    });
    const other = { items: body.items.map((i) => ({ ...i, quantity: i.quantity + 1 })) };
    const conflict = post(other, key, "order_conflict", refused);
    check(conflict, {
      "same key, other body: 409 IDEMPOTENCY_CONFLICT": (r) => r.status === 409 && field(r, "error") === "IDEMPOTENCY_CONFLICT",
    });
  });
}

export default checkout;
export const handleSummary = summaryFor("checkout");
