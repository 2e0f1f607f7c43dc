// Every kind of request the API serves, as the ledger (npm run bench -- ledger) prices them and
// test/ledger/route-costs.test.ts pins them: what is sent, and, for the pins, the round trips the answer
// waits for and a bound on the D1 rows it reads. Plain data and functions: read by the Workers-pool test
// and by the Node bench alike.

export interface Req { method: string; path: string; body?: unknown; headers?: Record<string, string>; admin?: boolean }

/** Ids a runner knows in its catalog (the test's fixtures, or the sample catalog a server was seeded with). */
export interface Ids {
  /** A product with features and styles with skus. */
  product: number;
  style: number;
  /** A sku with plenty of stock; `emptySku` has none. */
  sku: number;
  emptySku: number;
  /** The i-th of many products not read before (misses of the read cache), all with styles. */
  unreadProduct: (i: number) => number;
  category: string;
  /** A word in many product names, and the first three letters of one. */
  word: string;
  prefix: string;
  /** An id from which a keyset page is full. */
  after: number;
}

/** What one answer waits for in sequence, and what it may read. Counted from real requests. */
export interface Pin {
  status: number;
  /** D1 calls the Worker makes (a statement or a batch each, one after another). */
  workerD1: number;
  /** Calls on the serializer's stub (each a billed Durable Object request). */
  objectCalls: number;
  /** D1 calls the serializer makes for them. */
  objectD1: number;
  /** D1 rows read, Worker and object together, at most (on the pinned test's catalog). */
  maxRowsRead: number;
}

export interface Scenario {
  name: string;
  kind: "read" | "search" | "order" | "admin";
  /** Unmeasured requests before the i-th measured one (warm the read cache, place the order to cancel...). */
  setup?: (ids: Ids, i: number, run: string) => Req[];
  request: (ids: Ids, i: number, run: string) => Req;
  pin: Pin;
}

const order = (sku: number, key: string, quantity = 1): Req =>
  ({ method: "POST", path: "/orders", body: { items: [{ sku_id: sku, quantity }] }, headers: { "Idempotency-Key": key } });
const key = (run: string, what: string, i: number) => `ledger-${run}-${what}-${i}`.padEnd(16, "0");
const admin = (method: string, path: string, body?: unknown): Req => ({ method, path, body, admin: true });

// An admin write answers once its location's replica shows it: one poll where there are no replicas.
const POLL = 1;

export const SCENARIOS: Scenario[] = [
  { name: "product, read-cache hit", kind: "read", setup: (ids) => [{ method: "GET", path: `/products/${ids.product}` }],
    request: (ids) => ({ method: "GET", path: `/products/${ids.product}` }), pin: { status: 200, workerD1: 0, objectCalls: 0, objectD1: 0, maxRowsRead: 0 } },
  { name: "product, miss", kind: "read", request: (ids, i) => ({ method: "GET", path: `/products/${ids.unreadProduct(i)}` }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 6 } },
  { name: "product, unknown id", kind: "read", request: (_, i) => ({ method: "GET", path: `/products/${900_000_000 + i}` }),
    pin: { status: 404, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 2 } },
  { name: "styles, read-cache hit", kind: "read", setup: (ids) => [{ method: "GET", path: `/products/${ids.product}/styles` }],
    request: (ids) => ({ method: "GET", path: `/products/${ids.product}/styles` }), pin: { status: 200, workerD1: 0, objectCalls: 0, objectD1: 0, maxRowsRead: 0 } },
  { name: "styles, miss", kind: "read", request: (ids, i) => ({ method: "GET", path: `/products/${ids.unreadProduct(i)}/styles` }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 10 } },
  { name: "related, miss", kind: "read", request: (ids, i) => ({ method: "GET", path: `/products/${ids.unreadProduct(i)}/related` }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 4 } },
  { name: "categories, miss", kind: "read", request: () => ({ method: "GET", path: "/categories" }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 16 } },
  { name: "list, first page", kind: "read", request: () => ({ method: "GET", path: "/products?count=20" }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 50 } },
  { name: "list, page 3 (OFFSET)", kind: "read", request: () => ({ method: "GET", path: "/products?page=3&count=20" }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 100 } },
  { name: "list, keyset page", kind: "read", request: (ids) => ({ method: "GET", path: `/products?after=${ids.after}&count=20` }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 50 } },
  { name: "search, ranked", kind: "search", request: (ids) => ({ method: "GET", path: `/search?q=${ids.word}&limit=20` }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 3500 } },
  { name: "search, category page", kind: "search", request: (ids) => ({ method: "GET", path: `/search?category=${encodeURIComponent(ids.category)}&limit=20` }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 530 } },
  { name: "search, filters", kind: "search", request: (ids) => ({ method: "GET", path: `/search?category=${encodeURIComponent(ids.category)}&max_price=500&in_stock=true&limit=20` }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 530 } },
  { name: "suggest", kind: "search", request: (ids) => ({ method: "GET", path: `/search/suggest?q=${ids.prefix}` }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 40 } },
  { name: "order, one line", kind: "order", request: (ids, i, run) => order(ids.sku, key(run, "order", i)),
    pin: { status: 201, workerD1: 0, objectCalls: 1, objectD1: 2, maxRowsRead: 28 } },
  { name: "order, replayed", kind: "order", setup: (ids, i, run) => [order(ids.sku, key(run, "replay", i))],
    request: (ids, i, run) => order(ids.sku, key(run, "replay", i)), pin: { status: 201, workerD1: 0, objectCalls: 1, objectD1: 2, maxRowsRead: 20 } },
  { name: "order, out of stock", kind: "order", request: (ids, i, run) => order(ids.emptySku, key(run, "short", i)),
    pin: { status: 409, workerD1: 0, objectCalls: 1, objectD1: 1, maxRowsRead: 13 } },
  { name: "order read", kind: "read", setup: (ids, i, run) => [order(ids.sku, key(run, "read", i))],
    request: (_, i, run) => ({ method: "GET", path: `/orders/{placed:${key(run, "read", i)}}` }), pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 5 } },
  { name: "order list (admin)", kind: "admin", request: () => ({ ...admin("GET", "/orders?limit=20") }),
    pin: { status: 200, workerD1: 1, objectCalls: 0, objectD1: 0, maxRowsRead: 26 } },
  { name: "cancel (admin)", kind: "admin", setup: (ids, i, run) => [order(ids.sku, key(run, "cancel", i))],
    request: (_, i, run) => admin("DELETE", `/orders/{placed:${key(run, "cancel", i)}}`), pin: { status: 204, workerD1: POLL, objectCalls: 1, objectD1: 1, maxRowsRead: 12 } },
  { name: "stock change (admin)", kind: "admin", request: (ids, i, run) => ({ ...admin("POST", `/skus/${ids.sku}/stock`, { delta: 1 }), headers: { "Idempotency-Key": key(run, "stock", i) } }),
    pin: { status: 200, workerD1: POLL, objectCalls: 1, objectD1: 2, maxRowsRead: 6 } },
  { name: "product create (admin)", kind: "admin", request: () => admin("POST", "/products", { name: "Ledger Tee", category: "Ledger", default_price: "10.00", features: [{ feature: "Fabric", value: "Cotton" }] }),
    pin: { status: 201, workerD1: 1 + POLL, objectCalls: 0, objectD1: 0, maxRowsRead: 16 } },
  { name: "product replace (admin)", kind: "admin", request: (ids) => admin("PUT", `/products/${ids.product}`, { name: "Ledger Tee", category: "Ledger", default_price: "11.00", features: [] }),
    pin: { status: 200, workerD1: 1 + POLL, objectCalls: 0, objectD1: 0, maxRowsRead: 22 } },
  { name: "product patch (admin)", kind: "admin", request: (ids, i) => admin("PATCH", `/products/${ids.product}`, { slogan: `Ledger ${i}` }),
    pin: { status: 200, workerD1: 1 + POLL, objectCalls: 0, objectD1: 0, maxRowsRead: 7 } },
  { name: "product delete (admin)", kind: "admin", setup: () => [admin("POST", "/products", { name: "Ledger Doomed", category: "Ledger", default_price: "1.00" })],
    request: () => admin("DELETE", "/products/{created}"), pin: { status: 204, workerD1: 1 + POLL, objectCalls: 0, objectD1: 0, maxRowsRead: 8 } },
  { name: "style create (admin)", kind: "admin", request: (ids) => admin("POST", `/products/${ids.product}/styles`, { name: "Ledger", original_price: "9.00", skus: [{ size: "M", quantity: 3 }] }),
    pin: { status: 201, workerD1: 1 + POLL, objectCalls: 0, objectD1: 0, maxRowsRead: 30 } },
  { name: "style patch (admin)", kind: "admin", request: (ids, i) => admin("PATCH", `/styles/${ids.style}`, { sale_price: `${5 + (i % 50)}.00` }),
    pin: { status: 200, workerD1: 2 + POLL, objectCalls: 0, objectD1: 0, maxRowsRead: 12 } },
  { name: "style delete (admin)", kind: "admin", setup: (ids) => [admin("POST", `/products/${ids.product}/styles`, { name: "Ledger Doomed", original_price: "1.00" })],
    request: () => admin("DELETE", "/styles/{created}"), pin: { status: 204, workerD1: 1 + POLL, objectCalls: 0, objectD1: 0, maxRowsRead: 12 } },
  { name: "related replace (admin)", kind: "admin", request: (ids, i) => admin("PUT", `/products/${ids.product}/related`, [ids.unreadProduct(i), ids.unreadProduct(i + 1)]),
    pin: { status: 200, workerD1: 2 + POLL, objectCalls: 0, objectD1: 0, maxRowsRead: 32 } },
];

/** Sequential round trips on the answer's path: the Worker's D1 calls, its calls to the object, and the object's D1 calls. */
export const roundTrips = (p: Pick<Pin, "workerD1" | "objectCalls" | "objectD1">) => p.workerD1 + p.objectCalls + p.objectD1;

/**
 * Fills the placeholders a request can't know in advance: `{placed:KEY}` (the id of the order placed under
 * KEY by its setup) and `{created}` (the id the setup's last create answered).
 */
export function resolvePath(path: string, placed: Map<string, string>, created: number | string | null): string {
  return path
    .replace(/\{placed:([^}]+)\}/, (_, k: string) => placed.get(k) ?? "ord_unknown")
    .replace("{created}", String(created ?? 0));
}
