import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { cacheKeys } from "../../src/services/cache-keys";
import { admin, expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { settled } from "../support/request";

beforeAll(seedCatalog);

// API.md: every write makes the next read of what it touched fresh — the write deletes the KV entries
// it made stale before it answers, and only those.

const MISS = /^cache;desc=miss, db;dur=\d+\.\d$/;

const keyOf = (path: string) => {
  const [, id, styles] = /^\/products\/(\d+)(\/styles)?$/.exec(path)!;
  return styles ? cacheKeys.styles(Number(id)) : cacheKeys.product(Number(id));
};

/**
 * Starts from an empty entry: a miss, a second read that fills KV (a fill happens on a key's second
 * read in an isolate, or on its first after a write when the key was read before), then a hit.
 * Answers the cached body.
 */
async function cached(path: string): Promise<string> {
  await env.CACHE.delete(keyOf(path));
  const miss = await settled(path);
  expect(miss.headers.get("Server-Timing")).toMatch(MISS);
  const body = await miss.text();
  await settled(path);
  const hit = await settled(path);
  expect(hit.headers.get("Server-Timing")).toBe("cache;desc=hit");
  expect(await hit.text()).toBe(body);
  return body;
}

/** The next read after a write misses the cache and shows the write. */
async function expectFreshRead(path: string): Promise<unknown> {
  const res = await settled(path);
  expect(res.status).toBe(200);
  expect(res.headers.get("Server-Timing")).toMatch(MISS);
  return res.json();
}

async function expectStillCached(path: string, body: string): Promise<void> {
  const res = await settled(path);
  expect(res.headers.get("Server-Timing")).toBe("cache;desc=hit");
  expect(await res.text()).toBe(body);
}

describe("product writes", () => {
  it("PATCH /products/:id: the next product read misses the cache and shows the change", async () => {
    await cached("/products/3");
    expect((await admin("PATCH", "/products/3", { name: "Afternoon Joggers" })).status).toBe(200);
    expect(await expectFreshRead("/products/3")).toMatchObject({ id: 3, name: "Afternoon Joggers" });
  });

  it("PUT /products/:id: the next product read shows the replaced features", async () => {
    await cached("/products/3");
    await admin("PUT", "/products/3", { name: "Joggers", category: "Pants", default_price: "40", features: [{ feature: "Fit", value: "Slim" }] });
    expect(await expectFreshRead("/products/3")).toMatchObject({ name: "Joggers", features: [{ feature: "Fit", value: "Slim" }] });
  });

  it("a product write deletes the product's styles entry too (keysForProduct), and no other product's", async () => {
    await cached("/products/3/styles");
    const other = await cached("/products/1");
    await admin("PATCH", "/products/3", { default_price: "41.00" });
    expect(await env.CACHE.get(cacheKeys.styles(3))).toBeNull();
    await expectFreshRead("/products/3/styles");
    await expectStillCached("/products/1", other);
  });

  it("DELETE /products/:id: both payloads are gone from KV and the reads answer 404", async () => {
    await cached("/products/4");
    await cached("/products/4/styles");
    expect((await admin("DELETE", "/products/4")).status).toBe(204);
    expect(await env.CACHE.get(cacheKeys.product(4))).toBeNull();
    expect(await env.CACHE.get(cacheKeys.styles(4))).toBeNull();
    await expectError(await settled("/products/4"), 404, "PRODUCT_NOT_FOUND", "Product 4 does not exist");
    await expectError(await settled("/products/4/styles"), 404, "PRODUCT_NOT_FOUND", "Product 4 does not exist");
  });
});

describe("style writes", () => {
  it("POST /products/:id/styles: the next styles read shows the new style", async () => {
    await cached("/products/2/styles");
    const created = await (await admin("POST", "/products/2/styles", { name: "Gold", original_price: "69.00" })).json();
    expect(await expectFreshRead("/products/2/styles")).toEqual({ product_id: "2", results: [created] });
  });

  it("PATCH /styles/:id: the next styles read shows the change", async () => {
    await cached("/products/1/styles");
    await admin("PATCH", "/styles/2", { sale_price: "90.00" });
    const body = (await expectFreshRead("/products/1/styles")) as { results: { style_id: number; sale_price: string | null }[] };
    expect(body.results.find((s) => s.style_id === 2)?.sale_price).toBe("90.00");
  });

  it("a style write leaves the product payload cached: it doesn't show styles", async () => {
    const product = await cached("/products/1");
    await admin("PATCH", "/styles/2", { name: "Dune" });
    await expectStillCached("/products/1", product);
  });

  it("DELETE /styles/:id: the next styles read no longer shows the style", async () => {
    await cached("/products/1/styles");
    expect((await admin("DELETE", "/styles/2")).status).toBe(204);
    const body = (await expectFreshRead("/products/1/styles")) as { results: { style_id: number }[] };
    expect(body.results.map((s) => s.style_id)).toEqual([1]);
  });
});

describe("stock writes", () => {
  it("POST /skus/:id/stock: the next styles read shows the new quantity", async () => {
    await cached("/products/1/styles");
    const res = await admin("POST", "/skus/37/stock", { delta: 5 });
    expect(await res.json()).toEqual({ sku_id: 37, quantity: 13 });
    const body = (await expectFreshRead("/products/1/styles")) as { results: { skus: Record<string, { quantity: number }> }[] };
    expect(body.results[0]!.skus["37"]).toEqual({ quantity: 13, size: "XS" });
  });
});

describe("related writes", () => {
  it("PUT /products/:id/related: related is read from D1 every time, so the next read shows the list", async () => {
    await admin("PUT", "/products/5/related", [6, 7]);
    const res = await settled("/products/5/related");
    expect(res.headers.get("Server-Timing")).toMatch(/^db;dur=/);
    expect(await res.json()).toEqual([6, 7]);
  });
});
