import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { serializerStub } from "../../src/durable-objects/serializer-client";
import { seedCatalog } from "../support/fixtures";
import { addSku, stockOf } from "../support/orders";

beforeAll(async () => {
  await seedCatalog();
  await addSku(900, 3);
});

const request = (idempotencyKey: string, quantity = 1) => ({
  items: [{ sku_id: 900, quantity }], idempotencyKey, requestHash: `hash-${quantity}`,
});

describe("OrderSerializer through its stub", () => {
  it("places an order and replays it for the same key without taking stock again", async () => {
    const stub = serializerStub(env.ORDER_SERIALIZER);
    const first = await stub.placeOrder(request("do-key-1"));
    const again = await stub.placeOrder(request("do-key-1"));
    expect(first).toMatchObject({ ok: true, replayed: false });
    expect(again).toMatchObject({ ok: true, replayed: true });
    expect(first.ok && again.ok && again.orderId === first.orderId).toBe(true);
    expect(await stockOf(900)).toBe(2);
  });

  it("remembers a key across a restart of the object, because the key lives in D1 with the order", async () => {
    const stub = serializerStub(env.ORDER_SERIALIZER);
    const first = await stub.placeOrder(request("do-key-2"));
    await abortAllDurableObjects(); // the object restarts, losing everything it held in memory
    const replay = await serializerStub(env.ORDER_SERIALIZER).placeOrder(request("do-key-2"));
    expect(replay).toMatchObject({ ok: true, replayed: true, orderId: first.ok ? first.orderId : "?" });
    expect(await stockOf(900)).toBe(1);
  });

  it("refuses a stock adjustment below zero and leaves the stock as it was", async () => {
    const outcome = await serializerStub(env.ORDER_SERIALIZER).adjustStock({ skuId: 900, delta: -5, idempotencyKey: "adjust-1", requestHash: "h" });
    expect(outcome).toEqual({ ok: false, code: "OUT_OF_STOCK", message: expect.any(String), details: [{ sku_id: 900, requested: 5, available: 1 }], bookmark: expect.any(String) });
    expect(await stockOf(900)).toBe(1);
  });

  it("replays a stock change made under the same key after a restart, adding the delta once", async () => {
    const change = { skuId: 900, delta: 4, idempotencyKey: "adjust-2", requestHash: "h4" };
    const first = await serializerStub(env.ORDER_SERIALIZER).adjustStock(change);
    await abortAllDurableObjects();
    const replay = await serializerStub(env.ORDER_SERIALIZER).adjustStock(change);
    expect(first).toMatchObject({ ok: true, quantity: 5, replayed: false });
    expect(replay).toMatchObject({ ok: true, quantity: 5, available: 5, replayed: true });
    expect(await serializerStub(env.ORDER_SERIALIZER).adjustStock({ ...change, requestHash: "other" }))
      .toMatchObject({ ok: false, code: "IDEMPOTENCY_CONFLICT" });
    expect(await stockOf(900)).toBe(5);
  });
});
