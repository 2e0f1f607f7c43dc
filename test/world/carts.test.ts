import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ORDER_STOCK_LAG_MS } from "../../src/cache/timing";
import { serializerStub } from "../../src/durable-objects/serializer-client";
import { seedCatalogInto } from "../support/fixtures";
import { jsonInit } from "../support/request";
import { startWorld, type TestWorld } from "../support/world";

// Carts in the production world: the serializer lives in iad, the shopper in Sydney, another buyer in
// Frankfurt; syd's replica lags 500 ms and each location's isolate caches reads for a second.

let world: TestWorld;
afterEach(async () => world?.stop());

beforeAll(async () => {
  world = await startWorld();
  await world.settle(seedCatalogInto(world.primary));
  await world.settle(world.primary.prepare("INSERT INTO skus (id, style_id, size, quantity) VALUES (710, 3, 'XL', 2), (711, 3, 'XXL', 3)").run());
  await world.stop();
});

const stylesQuantity = async (location: string, skuId: number) => {
  const body = (await (await world.fetch(location, "/products/3/styles")).json()) as { results: { skus: Record<string, { quantity: number }> }[] };
  return body.results[0]!.skus[String(skuId)]!.quantity;
};
const stockOf = (skuId: number) =>
  world.settle(world.primary.prepare("SELECT quantity, held FROM skus WHERE id = ?").bind(skuId).first<{ quantity: number; held: number }>());

describe("carts in the production world", () => {
  it("holds the last units for a shopper in syd against the serializer in iad: fra can't take them, syd checks them out", async () => {
    world = await startWorld();
    const created = await world.fetch("syd", "/carts", { method: "POST" });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const held = await world.fetch("syd", `/carts/${id}/items/710`, jsonInit("PUT", { quantity: 2 }));
    expect(held.status).toBe(200);
    const etag = held.headers.get("ETag")!;

    const fra = await world.fetch("fra", "/orders", jsonInit("POST", { items: [{ sku_id: 710, quantity: 1 }] }));
    expect(fra.status).toBe(409);
    expect(await fra.json()).toMatchObject({ details: [{ sku_id: 710, requested: 1, available: 0 }] });
    // syd's shoppers see the held units gone within the orders' lag rule (the replica's lag, the read cache).
    await world.advance(ORDER_STOCK_LAG_MS);
    expect(await stylesQuantity("syd", 710)).toBe(0);

    // The shopper reads the cart back (the typed client sends the hold's bookmark) and checks out with its ETag.
    const read = await world.fetch("syd", `/carts/${id}`, { headers: { "X-D1-Bookmark": held.headers.get("X-D1-Bookmark")! } });
    expect(read.headers.get("ETag")).toBe(etag);
    const key = { "Idempotency-Key": "syd-cart-checkout-000001" };
    const placed = await world.fetch("syd", `/carts/${id}/checkout`, { method: "POST", headers: { "If-Match": etag, ...key } });
    expect(placed.status).toBe(201);
    const order = (await placed.json()) as { id: string; total: string; items: { sku_id: number; quantity: number }[] };
    expect(order).toMatchObject({ total: "80.00", items: [{ sku_id: 710, quantity: 2 }] });
    expect(await stockOf(710)).toEqual({ quantity: 0, held: 0 });
    // A retry from anywhere with the same key answers the same order.
    const replay = await world.fetch("fra", `/carts/${id}/checkout`, { method: "POST", headers: key });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(order.id);
  });

  it("gives an abandoned syd cart's units back with no request: the alarm in iad sweeps, and syd's styles show them within the lag", async () => {
    world = await startWorld();
    const { id } = (await (await world.fetch("syd", "/carts", { method: "POST" })).json()) as { id: string };
    const held = await world.fetch("syd", `/carts/${id}/items/711`, jsonInit("PUT", { quantity: 3 }));
    const { expires_at } = (await held.json()) as { expires_at: string };
    await world.advance(ORDER_STOCK_LAG_MS);
    expect(await stylesQuantity("syd", 711)).toBe(0);
    await world.advance(Date.parse(expires_at) - Date.now());
    expect(await world.settle(runDurableObjectAlarm(serializerStub(env.ORDER_SERIALIZER)))).toBe(true);
    expect(await stockOf(711)).toEqual({ quantity: 3, held: 0 });
    await world.advance(ORDER_STOCK_LAG_MS);
    expect(await stylesQuantity("syd", 711)).toBe(3);
    expect((await world.fetch("syd", `/carts/${id}/checkout`, { method: "POST" })).status).toBe(410);
  });
});
