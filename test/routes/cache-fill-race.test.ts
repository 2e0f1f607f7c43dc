import { abortAllDurableObjects, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../src/index";
import { cacheKeys } from "../../src/services/cache-keys";
import { FILL_WINDOW_MS } from "../../src/services/payload-cache";
import { admin } from "../support/admin";
import { heldKv } from "../support/faults";
import { seedCatalog } from "../support/fixtures";
import { placeOrder } from "../support/orders";
import { BASE, settled } from "../support/request";

beforeAll(seedCatalog);

// API.md: no stale product or style is served from cache after the write has answered. The race this
// guards against: a read misses and loads the old row from D1, the write commits and deletes the
// entry, and only then does the read's fill store the old body in KV (docs/decisions/cache-keys.md).

const keyOf = (path: string) => {
  const [, id, styles] = /^\/products\/(\d+)(\/styles)?$/.exec(path)!;
  return styles ? cacheKeys.styles(Number(id)) : cacheKeys.product(Number(id));
};

/** Starts a read whose fill is in flight when it answers: its KV put waits for `release()`. */
async function readWithHeldFill(path: string) {
  await settled(path); // the key's first read only remembers it: the next miss fills
  await env.CACHE.delete(keyOf(path));
  const held = heldKv();
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`), { ...env, CACHE: held.kv }, ctx);
  expect(res.headers.get("Server-Timing")).toMatch(/^cache;desc=miss/);
  expect(held.calls.put).toBe(1); // the fill has read D1 and is waiting to store
  const text = await res.text();
  return { text, body: JSON.parse(text) as unknown, held, release: held.release, fillDone: () => waitOnExecutionContext(ctx) };
}

type Styles = { results: { style_id: number; sale_price: string | null }[] };
const salePrice = (body: unknown, styleId: number) => (body as Styles).results.find((s) => s.style_id === styleId)?.sale_price;

describe("a cache fill that loaded D1 before a write committed", () => {
  it("PATCH /styles/:id answered in between: the fill's old styles body doesn't stay in KV", async () => {
    const read = await readWithHeldFill("/products/1/styles");
    expect(salePrice(read.body, 2)).toBe("100.05");
    expect((await admin("PATCH", "/styles/2", { sale_price: "77.00" })).status).toBe(200);
    read.release();
    await read.fillDone();
    expect(read.held.calls.delete).toBe(1); // the fill saw the version move and undid its put
    expect(await env.CACHE.get(cacheKeys.styles(1))).toBeNull();
    expect(salePrice(await (await settled("/products/1/styles")).json(), 2)).toBe("77.00");
  });

  it("PATCH /products/:id answered in between: the fill's old product body doesn't stay in KV", async () => {
    const read = await readWithHeldFill("/products/3");
    expect(read.body).toMatchObject({ name: "Morning Joggers" });
    expect((await admin("PATCH", "/products/3", { name: "Evening Joggers" })).status).toBe(200);
    read.release();
    await read.fillDone();
    expect(await env.CACHE.get(cacheKeys.product(3))).toBeNull();
    expect(await (await settled("/products/3")).json()).toMatchObject({ name: "Evening Joggers" });
  });

  it("POST /products/:id/styles answered in between: the new style is in the next read", async () => {
    const read = await readWithHeldFill("/products/5/styles");
    expect(read.body).toEqual({ product_id: "5", results: [] });
    const created = await (await admin("POST", "/products/5/styles", { name: "Gold", original_price: "69.00" })).json();
    read.release();
    await read.fillDone();
    expect(await env.CACHE.get(cacheKeys.styles(5))).toBeNull();
    expect(await (await settled("/products/5/styles")).json()).toEqual({ product_id: "5", results: [created] });
  });

  it("DELETE /products/:id answered in between: nothing of the deleted product stays in KV", async () => {
    const read = await readWithHeldFill("/products/4");
    expect((await admin("DELETE", "/products/4")).status).toBe(204);
    read.release();
    await read.fillDone();
    expect(await env.CACHE.get(cacheKeys.product(4))).toBeNull();
  });

  it("POST /orders answered in between: the fill's old stock doesn't stay in KV", async () => {
    await abortAllDurableObjects(); // the serializer remembers no recent delete of product 1: it deletes at once
    const read = await readWithHeldFill("/products/1/styles");
    const quantity = (body: unknown) => (body as { results: { skus: Record<string, { quantity: number }> }[] }).results[0]!.skus["37"]!.quantity;
    const before = quantity(read.body);
    expect((await placeOrder([{ sku_id: 37, quantity: 1 }])).status).toBe(201);
    read.release();
    await read.fillDone();
    expect(read.held.calls.delete).toBe(1); // the order's batch bumped the version: the fill undid its put
    expect(await env.CACHE.get(cacheKeys.styles(1))).toBeNull();
    expect(quantity(await (await settled("/products/1/styles")).json())).toBe(before - 1);
  });

  it("with no write in between, the fill keeps its entry", async () => {
    const read = await readWithHeldFill("/products/6");
    read.release();
    await read.fillDone();
    expect(read.held.calls.delete).toBe(0);
    expect(await env.CACHE.get(cacheKeys.product(6))).toBe(read.text);
  });
});

describe("a cache fill slower than FILL_WINDOW_MS", () => {
  it("deletes what it stored, even though no write changed the product", async () => {
    await settled("/products/7"); // remembered: the next miss fills
    const slow = heldKv({ delayMs: FILL_WINDOW_MS + 100 });
    const ctx = createExecutionContext();
    await worker.fetch(new Request(`${BASE}/products/7`), { ...env, CACHE: slow.kv }, ctx);
    await waitOnExecutionContext(ctx);
    expect(slow.calls).toEqual({ put: 1, delete: 1 });
    expect(await env.CACHE.get(cacheKeys.product(7))).toBeNull();
  });
});
