import { beforeAll, describe, expect, it } from "vitest";
import { faultySerializer } from "../support/faults";
import { seedCatalog } from "../support/fixtures";
import { addSku, orderCount, stockOf } from "../support/orders";
import { callWith, jsonInit } from "../support/request";

beforeAll(async () => {
  await seedCatalog();
  await addSku(400, 10);
});

const order = (headers: Record<string, string> = {}) => jsonInit("POST", { items: [{ sku_id: 400, quantity: 2 }] }, headers);

describe("a failing call to the order serializer", () => {
  it("is retried once when it fails before reaching the object, placing the order once", async () => {
    const { ns, calls } = faultySerializer("fail-before");
    const [stock, orders] = [await stockOf(400), await orderCount()];
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/orders", order());
    expect(res.status).toBe(201);
    expect(calls.attempts).toBe(2);
    expect([await stockOf(400), await orderCount()]).toEqual([stock! - 2, orders + 1]);
  });

  it("is retried safely when the answer was lost after the order was placed: no second order, even without a client key", async () => {
    const { ns, calls } = faultySerializer("lose-answer");
    const [stock, orders] = [await stockOf(400), await orderCount()];
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/orders", order());
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(calls.attempts).toBe(2);
    expect([await stockOf(400), await orderCount()]).toEqual([stock! - 2, orders + 1]);
  });

  it("answers 503 UNAVAILABLE with Retry-After when the retry fails too, and provably takes nothing", async () => {
    const { ns } = faultySerializer("always-fail");
    const [stock, orders] = [await stockOf(400), await orderCount()];
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/orders", order({ "Idempotency-Key": "retry-after-outage-1" }));
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(await res.json()).toMatchObject({ error: "UNAVAILABLE" });
    expect([await stockOf(400), await orderCount()]).toEqual([stock, orders]);
    // The client retries with its key once the serializer is back: exactly one order.
    const retry = await callWith({}, "/orders", order({ "Idempotency-Key": "retry-after-outage-1" }));
    expect(retry.status).toBe(201);
    expect(await orderCount()).toBe(orders + 1);
  });

  it("does not retry a stock adjustment, whose delta would apply twice", async () => {
    const { ns, calls } = faultySerializer("lose-answer");
    const stock = await stockOf(400);
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/skus/400/stock",
      { ...jsonInit("POST", { delta: 5 }), headers: { "Content-Type": "application/json", Authorization: "Bearer test-admin-token" } });
    expect(res.status).toBe(503);
    expect(calls.attempts).toBe(1);
    // The delta landed once; the client learns that by reading, not by retrying blind.
    expect(await stockOf(400)).toBe(stock! + 5);
  });
});
