// setup() helpers: what the scripts learn from the API before the VUs start.
import { fail } from "k6";
import http from "k6/http";
import { ADMIN_HEADERS, ALLOW_WRITES, BASE_URL, LOCAL, MAX_PRODUCT_ID, randomProductId, SKU_PRODUCTS } from "./config.ts";

/** Stops a writing scenario before it writes anything, unless the API is local or writes were allowed. */
export function refuseWritesToDeployed(script: string): void {
  if (LOCAL || ALLOW_WRITES) return;
  fail(`setup: ${script} places real orders and creates products, and ${BASE_URL} is not this machine. ` +
    "Check a deployed API with the read-only load/smoke.ts; for a preview you mean to write to, pass -e ALLOW_WRITES=true");
}

export interface Catalog {
  maxId: number;
  skus: number[];
  /** Stock when setup read it: orders only lower it, so a later read showing more is stale. */
  stock: Record<string, number>;
}

/** The highest product id: MAX_PRODUCT_ID, or found with keyset paging (`after=X` is empty past it). */
export function discoverMaxId(): number {
  if (MAX_PRODUCT_ID > 0) return MAX_PRODUCT_ID;
  const emptyAfter = (x: number) => {
    const url = `${BASE_URL}/products?${x > 0 ? `after=${x}&` : ""}count=1`;
    const res = http.get(url, { tags: { route: "setup" } });
    if (res.status !== 200) fail(`setup: GET ${url} answered ${res.status}; is BASE_URL right?`);
    return (res.json() as unknown[]).length === 0;
  };
  if (emptyAfter(0)) fail("setup: the catalog is empty (run `npm start`, which seeds it)");
  let lo = 0; // invariant: some product after lo, none after hi
  let hi = 1024;
  while (!emptyAfter(hi)) [lo, hi] = [hi, hi * 2];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (emptyAfter(mid)) hi = mid; else lo = mid;
  }
  console.log(`setup: product ids 1..${hi}`);
  return hi;
}

/** Skus in stock, from the styles of SKU_PRODUCTS sampled products (fewer: stock runs out sooner). */
export function discoverSkus(maxId: number, products = SKU_PRODUCTS): Catalog {
  const stock: Record<string, number> = {};
  for (let i = 0; i < products; i++) {
    const id = randomProductId(maxId);
    const res = http.get(`${BASE_URL}/products/${id}/styles`, { tags: { route: "setup" } });
    if (res.status !== 200) continue;
    for (const style of res.json("results") as { skus: Record<string, { quantity: number }> }[]) {
      for (const [sku, { quantity }] of Object.entries(style.skus)) if (quantity > 0) stock[sku] = quantity;
    }
  }
  const skus = Object.keys(stock).map(Number);
  if (skus.length === 0) fail("setup: found no sku in stock");
  console.log(`setup: ${skus.length} skus in stock from ${products} sampled products`);
  return { maxId, skus, stock };
}

/** Fails setup early when ADMIN_TOKEN is wrong, with a read-only admin request. */
export function checkAdminToken(): void {
  const res = http.get(`${BASE_URL}/orders?limit=1`, { headers: ADMIN_HEADERS, tags: { route: "setup" } });
  if (res.status === 401) fail("setup: the API rejected ADMIN_TOKEN (401); pass -e ADMIN_TOKEN=…");
  if (res.status !== 200) fail(`setup: GET /orders?limit=1 answered ${res.status}`);
}
