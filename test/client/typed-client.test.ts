import { exports } from "cloudflare:workers";
import { hc } from "hono/client";
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import type { AppType } from "../../src/index";
import { createClient } from "../../src/client";
import { expectContract } from "../support/contract";
import { CAMO_PRODUCT_BODY, CAMO_STYLES_BODY, seedCatalog } from "../support/fixtures";
import { ADMIN_TOKEN, BASE } from "../support/request";

// hono/client typed by the app's own route declarations: what a TypeScript caller of the API gets.
// Its fetch goes into the Worker in the pool (and through the contract check, like every test request).
const client = hc<AppType>(BASE, {
  fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    return expectContract(req.method, req.url, await exports.default.fetch(req));
  },
});

beforeAll(seedCatalog);

describe("the typed client (hc<AppType>)", () => {
  it("reads a product's styles with typed params and a typed body", async () => {
    const res = await client.products[":product_id"].styles.$get({ param: { product_id: "1" } });
    expect(res.status).toBe(200);
    if (res.status !== 200) return;
    const body = await res.json();
    expectTypeOf(body.product_id).toEqualTypeOf<string>();
    expectTypeOf(body.results[0]!.style_id).toEqualTypeOf<number>();
    expectTypeOf(body.results[0]!["default?"]).toEqualTypeOf<boolean>();
    expect(body).toEqual(CAMO_STYLES_BODY);
    expect(body.results[0]?.skus["37"]).toEqual({ quantity: 8, size: "XS" });
  });

  it("pages products with typed query parameters", async () => {
    const res = await client.products.$get({ query: { count: "2", after: "1" } });
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}`);
    const products = await res.json();
    expectTypeOf(products[0]!.default_price).toEqualTypeOf<string>();
    expect(products.map((p) => p.id)).toEqual([2, 3]);
  });

  it("types each declared status: an unknown product is the Error shape", async () => {
    const res = await client.products[":product_id"].$get({ param: { product_id: "424242" } });
    expect(res.status).toBe(404);
    if (res.status !== 404) return;
    const error = await res.json();
    expectTypeOf(error.error).toEqualTypeOf<string>();
    expect(error).toMatchObject({ error: "PRODUCT_NOT_FOUND", message: "Product 424242 does not exist" });
  });

  it("places an order with a typed body and reads it back", async () => {
    const placed = await client.orders.$post({ json: { items: [{ sku_id: 37, quantity: 2 }] }, header: { "idempotency-key": "typed-client-order-1" } });
    if (placed.status !== 201) throw new Error(`expected 201, got ${placed.status}`);
    const order = await placed.json();
    expectTypeOf(order.total).toEqualTypeOf<string>();
    expect(order).toMatchObject({ status: "placed", total: "280.00", items: [{ sku_id: 37, product_id: 1, quantity: 2, unit_price: "140.00" }] });

    const read = await client.orders[":order_id"].$get({ param: { order_id: order.id } });
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(order);
  });

  it("searches with typed query parameters and a typed page", async () => {
    const res = await client.search.$get({ query: { q: "joggers", limit: "5" } });
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}`);
    const page = await res.json();
    expectTypeOf(page.results[0]!.price).toEqualTypeOf<string>();
    expectTypeOf(page.next_cursor).toEqualTypeOf<string | null>();
    expect(page.results.map((r) => r.id)).toEqual([3]);
    const categories = await client.categories.$get();
    if (categories.status !== 200) throw new Error(`expected 200, got ${categories.status}`);
    expect((await categories.json()).results).toContainEqual({ category: "Pants", products: 2 });
  });

  it("sends the admin token as a header for admin routes", async () => {
    const res = await client.products[":product_id"].$patch(
      { param: { product_id: "1" }, json: { slogan: "Blend in, typed" } },
      { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
    );
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}`);
    expect(await res.json()).toEqual({ ...CAMO_PRODUCT_BODY, slogan: "Blend in, typed" });
  });
});

describe("createClient (the client @storefront/client ships)", () => {
  it("sends the newest bookmark it has seen, so a write is read back fresh", async () => {
    const seen: (string | null)[] = [];
    const api = createClient(BASE, {
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const req = new Request(input, init);
        seen.push(req.headers.get("X-D1-Bookmark"));
        return expectContract(req.method, req.url, await exports.default.fetch(req));
      },
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const patched = await api.products[":product_id"].$patch({ param: { product_id: "4" }, json: { slogan: "Read me back" } });
    expect(patched.status).toBe(200);
    const bookmark = patched.headers.get("X-D1-Bookmark");
    expect(bookmark).toBeTruthy();
    const read = await api.products[":product_id"].$get({ param: { product_id: "4" } });
    expect(seen).toEqual([null, bookmark]);
    if (read.status === 200) expect((await read.json()).slogan).toBe("Read me back");
  });
});
