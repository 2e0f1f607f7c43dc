import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderSerializer } from "../../src/durable-objects/order-serializer";
import { rememberStaleKeys, retryStaleKeys } from "../../src/durable-objects/stale-cache-retry";
import { cacheKeys } from "../../src/services/cache-keys";
import { serializerStub } from "../../src/durable-objects/serializer-client";
import { faultyKv } from "../support/faults";
import { seedCatalog } from "../support/fixtures";
import { addSku } from "../support/orders";
import { fillCache } from "../support/cache";
import { call } from "../support/request";

beforeAll(async () => {
  await seedCatalog();
  await addSku(500, 10); // under style 3, which belongs to product 3
});

const STYLES_KEY = cacheKeys.styles(3);
const pendingRecords = (state: DurableObjectState) => state.storage.list({ prefix: "stale-cache:" });

/**
 * Runs `work` inside the serializer with its CACHE binding swapped for `kv`, the way callWith() swaps
 * a Worker binding: the object reads its bindings from its env, so the env is the parameter.
 */
async function withObjectCache<T>(kv: KVNamespace, work: (instance: OrderSerializer) => Promise<T>): Promise<T> {
  return runInDurableObject(serializerStub(env.ORDER_SERIALIZER), async (instance: OrderSerializer) => {
    const holder = instance as unknown as { env: Env };
    const real = holder.env;
    holder.env = { ...real, CACHE: kv };
    try {
      return await work(instance);
    } finally {
      holder.env = real;
    }
  });
}

const stockIn = (styles: unknown) =>
  (styles as { results: { style_id: number; skus: Record<string, { quantity: number }> }[] }).results
    .find((s) => s.style_id === 3)?.skus["500"]?.quantity;

describe("an order whose cache delete fails after the stock has committed", () => {
  it("is still placed, and the serializer's alarm deletes the stale styles payload once KV is back", async () => {
    await fillCache("/products/3/styles");
    expect(stockIn(JSON.parse((await env.CACHE.get(STYLES_KEY))!))).toBe(10);

    const { kv, calls } = faultyKv({ delete: "throw" });
    const outcome = await withObjectCache(kv, (object) => object.placeOrder({
      items: [{ sku_id: 500, quantity: 1 }], idempotencyKey: "stale-cache-1", requestHash: "h",
    }));
    expect(outcome).toMatchObject({ ok: true, replayed: false, touchedProductIds: [3] });
    expect(calls.delete).toBe(2); // the styles key (stock lives nowhere else), tried twice
    // The entry KV kept still says 10; the object remembers it and has an alarm set.
    expect(stockIn(JSON.parse((await env.CACHE.get(STYLES_KEY))!))).toBe(10);
    const stub = serializerStub(env.ORDER_SERIALIZER);
    await runInDurableObject(stub, async (_object, state) => {
      expect((await pendingRecords(state)).size).toBe(1);
      expect(await state.storage.getAlarm()).not.toBeNull();
    });

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await env.CACHE.get(STYLES_KEY)).toBeNull();
    await runInDurableObject(stub, async (_object, state) => {
      expect((await pendingRecords(state)).size).toBe(0);
      // What keeps the alarm set now is only the order's own trailing delete (cache-coalescing.ts).
      expect([...(await state.storage.list({ prefix: "trail:" })).keys()]).toEqual(["trail:3"]);
    });
    expect(stockIn(await (await call("/products/3/styles")).json())).toBe(9);
  });

  it("keeps the keys and sets the next alarm while KV is still down, then clears them", async () => {
    await fillCache("/products/3/styles");
    await runInDurableObject(serializerStub(env.ORDER_SERIALIZER), async (_object, state) => {
      await rememberStaleKeys(state.storage, [STYLES_KEY]);
      await state.storage.deleteAlarm();
      const { kv } = faultyKv({ delete: "throw" });
      expect(await retryStaleKeys(state.storage, kv)).toEqual({ cleared: 0, left: 1 });
      expect(await state.storage.getAlarm()).not.toBeNull();
      expect(await env.CACHE.get(STYLES_KEY)).not.toBeNull();

      expect(await retryStaleKeys(state.storage, env.CACHE)).toEqual({ cleared: 1, left: 0 });
      expect(await env.CACHE.get(STYLES_KEY)).toBeNull();
      expect((await pendingRecords(state)).size).toBe(0);
    });
  });
});
