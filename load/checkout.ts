// checkout: orders of 1–3 random in-stock skus (found in setup from the styles of sampled products),
// each with its own Idempotency-Key, at ORDER_RATE orders/s. Expected: 201, or 409 OUT_OF_STOCK once a
// sku runs dry; never a 5xx. After each 201 the product's styles are read back and judged by the
// contract's rule (docs/decisions/freshness.md): stock an order changed shows where it was placed within
// 2 s (the read cache's second plus a replica's lag), so the sku's stock must be at most what setup saw
// minus this order by then (stale_stock counts reads past the rule). 5% of orders are
// sent again with the same key and body (must answer the same order with `Idempotent-Replayed: true`),
// then once with the key and a different body (409 IDEMPOTENCY_CONFLICT, or OUT_OF_STOCK when that body
// can't be placed). It places real orders: only against this machine, or a preview with ALLOW_WRITES=true.
//   k6 run -e BASE_URL=http://127.0.0.1:8787 -e ORDER_RATE=2 load/checkout.ts
import { check, group, sleep } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import { Rate, Trend } from "k6/metrics";
import type { Options } from "k6/options";
import { type Catalog, discoverMaxId, discoverSkus, refuseWritesToDeployed } from "./catalog.ts";
import { BASE_URL, CHECKOUT_ROUTES, JSON_HEADERS, ORDER_RATE, pick, thresholds, TOTAL_DURATION, track } from "./config.ts";
import { summaryFor, TREND_STATS } from "./summary.ts";

export const options: Options = {
  scenarios: {
    checkout: {
      executor: "constant-arrival-rate", exec: "checkout", rate: ORDER_RATE, timeUnit: "1s", duration: TOTAL_DURATION,
      preAllocatedVUs: Math.max(4, Math.ceil(ORDER_RATE * 2)), maxVUs: Math.max(20, Math.ceil(ORDER_RATE * 10)),
    },
  },
  // No stock read past the contract's rule (below): not one.
  thresholds: { ...thresholds(CHECKOUT_ROUTES), stale_stock: ["rate==0"] },
  summaryTrendStats: TREND_STATS,
};

export function setup(): Catalog {
  refuseWritesToDeployed("checkout");
  return discoverSkus(discoverMaxId());
}

const REPLAY_SHARE = 0.05;
const placedOrRefused = http.expectedStatuses(201, 409);
const refused = http.expectedStatuses(409);
const outOfStock = new Rate("out_of_stock");
const staleStock = new Rate("stale_stock");
const laggingStock = new Rate("lagging_stock");
const stockLag = new Trend("stock_lag", true);

/** The contract: stock an order changed shows where it was placed within this long of the answer. */
const LAG_LIMIT_MS = 2000;
let staleReported = 0;

interface PlacedOrder { id: string; created_at: string; items: { sku_id: number; product_id: number; quantity: number }[] }

/** The sku's quantity in the product's styles as a shopper reads it (null: not found). */
function stockOf(productId: number, skuId: number): number | null {
  const styles = track(http.get(`${BASE_URL}/products/${productId}/styles`, { tags: { route: "stock_read" } }), "stock_read");
  const results = (field(styles, "results") as { skus: Record<string, { quantity: number }> }[] | undefined) ?? [];
  return results.map((st) => st.skus[String(skuId)]?.quantity).find((q) => q !== undefined) ?? null;
}

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

    // The order must show in the product's (read-cached) styles within LAG_LIMIT_MS of the answer.
    const answered = Date.now();
    const order = JSON.parse(String(res.body)) as PlacedOrder;
    const line = order.items?.[0];
    if (!line) return; // the shape check above has already failed
    const expected = data.stock[String(line.sku_id)]! - line.quantity;
    let read = stockOf(line.product_id, line.sku_id);
    let fresh = read !== null && read <= expected;
    laggingStock.add(!fresh);
    while (!fresh && Date.now() - answered < LAG_LIMIT_MS) {
      sleep(0.2);
      read = stockOf(line.product_id, line.sku_id);
      fresh = read !== null && read <= expected;
    }
    if (fresh) stockLag.add(Date.now() - answered);
    staleStock.add(!fresh);
    if (!fresh && staleReported++ < 5) {
      console.error(`stale stock: order ${order.id} sku ${line.sku_id} of product ${line.product_id} read ${read}, at most ${expected} expected, ${Date.now() - answered} ms after the answer`);
    }
    check(null, { "stock read after the order: fresh within 2 s": () => fresh });
    if (Math.random() >= REPLAY_SHARE) return;

    const replay = post(body, key, "order_replay");
    check(replay, {
      "replay: 201, same order": (r) => r.status === 201 && field(r, "id") === field(res, "id"),
      "replay: Idempotent-Replayed: true": (r) => r.headers["Idempotent-Replayed"] === "true",
    });
    const other = { items: body.items.map((i) => ({ ...i, quantity: i.quantity + 1 })) };
    const conflict = post(other, key, "order_conflict", refused);
    // The body is judged before the key (a probe learns nothing): one more unit than is left answers
    // OUT_OF_STOCK, whatever the key; a body that could be placed answers IDEMPOTENCY_CONFLICT.
    check(conflict, {
      "same key, other body: 409 IDEMPOTENCY_CONFLICT (or OUT_OF_STOCK, judged first)": (r) =>
        r.status === 409 && (field(r, "error") === "IDEMPOTENCY_CONFLICT" || (field(r, "error") === "OUT_OF_STOCK" &&
          (field(r, "details") as { requested: number; available: number }[]).every((d) => d.available < d.requested))),
    });
  });
}

export default checkout;
export const handleSummary = summaryFor("checkout");
