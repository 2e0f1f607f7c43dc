import { beforeAll, describe, expect, it } from "vitest";
import { faultySerializer } from "../support/faults";
import { seedCatalog } from "../support/fixtures";
import { addSku, orderCount, stockOf } from "../support/orders";
import { newCart, putItem, stockRow } from "../support/carts";
import { adminInit, callWith, jsonInit } from "../support/request";

beforeAll(async () => {
  await seedCatalog();
  await addSku(400, 10);
});

const order = (headers: Record<string, string> = {}) => jsonInit("POST", { items: [{ sku_id: 400, quantity: 2 }] }, headers);
const restock = (headers: Record<string, string> = {}) => adminInit(jsonInit("POST", { delta: 5 }, headers));

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

  it("answers 503 OUTCOME_UNKNOWN with the buyer's key when the order may have been placed, and the retry with it places one order", async () => {
    const { ns } = faultySerializer("lose-first-answer-then-fail");
    const [stock, orders] = [await stockOf(400), await orderCount()];
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/orders", order({ "Idempotency-Key": "checkout-after-outage-1" }));
    expect(res.status).toBe(503);
    expect(res.headers.get("Idempotency-Key")).toBe("checkout-after-outage-1");
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(await res.json()).toMatchObject({ error: "OUTCOME_UNKNOWN" });
    // It was placed, though the Worker couldn't tell: the retry answers that order and takes nothing more.
    expect([await stockOf(400), await orderCount()]).toEqual([stock! - 2, orders + 1]);
    const retry = await callWith({}, "/orders", order({ "Idempotency-Key": "checkout-after-outage-1" }));
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect([await stockOf(400), await orderCount()]).toEqual([stock! - 2, orders + 1]);
  });

  it("hands a buyer who sent no key one to retry with, so even that buyer can't be charged twice", async () => {
    const { ns } = faultySerializer("always-fail");
    const orders = await orderCount();
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/orders", order());
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: "OUTCOME_UNKNOWN" });
    const key = res.headers.get("Idempotency-Key")!;
    expect(key).toMatch(/^[\x21-\x7e]{16,255}$/);
    for (let i = 0; i < 2; i++) expect((await callWith({}, "/orders", order({ "Idempotency-Key": key }))).status).toBe(201);
    expect(await orderCount()).toBe(orders + 1);
  });

  it("answers 503 UNAVAILABLE only when it is known that nothing was changed: the runtime refused both calls as overloaded", async () => {
    const { ns, calls } = faultySerializer("overloaded");
    const [stock, orders] = [await stockOf(400), await orderCount()];
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/orders", order());
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(res.headers.get("Idempotency-Key")).toBeNull();
    expect(await res.json()).toMatchObject({ error: "UNAVAILABLE" });
    expect(calls.attempts).toBe(2);
    expect([await stockOf(400), await orderCount()]).toEqual([stock, orders]);
  });

  it("holds the whole wait to ORDER_QUEUE_WAIT_MS: an object that never answers gets OUTCOME_UNKNOWN then, not a hung request", async () => {
    const { ns } = faultySerializer("hang");
    const res = await callWith({ ORDER_SERIALIZER: ns, ORDER_QUEUE_WAIT_MS: "50" }, "/orders", order({ "Idempotency-Key": "checkout-never-answered" }));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: "OUTCOME_UNKNOWN" });
    expect(res.headers.get("Idempotency-Key")).toBe("checkout-never-answered");
  });

  it("retries a stock change whose answer was lost under the key it made up: the delta lands once", async () => {
    const { ns, calls } = faultySerializer("lose-answer");
    const stock = await stockOf(400);
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/skus/400/stock", restock());
    expect(res.status).toBe(200);
    expect(res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(calls.attempts).toBe(2);
    expect(await stockOf(400)).toBe(stock! + 5);
  });

  it("answers a stock change whose outcome stays unknown with 503 OUTCOME_UNKNOWN and the key that makes its retry safe", async () => {
    const { ns } = faultySerializer("lose-first-answer-then-fail");
    const stock = await stockOf(400);
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/skus/400/stock", restock());
    expect(res.status).toBe(503);
    const key = res.headers.get("Idempotency-Key")!;
    expect(await stockOf(400)).toBe(stock! + 5);
    const retry = await callWith({}, "/skus/400/stock", restock({ "Idempotency-Key": key }));
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await stockOf(400)).toBe(stock! + 5);
  });

  it("retries a checkout whose answer was lost under the key it made up: one order, answered as a replay", async () => {
    const cart = await newCart();
    await putItem(cart.id, 400, 1);
    const { ns, calls } = faultySerializer("lose-answer");
    const orders = await orderCount();
    const res = await callWith({ ORDER_SERIALIZER: ns }, `/carts/${cart.id}/checkout`, { method: "POST" });
    expect(res.status).toBe(201);
    expect(res.headers.get("Idempotent-Replayed")).toBe("true");
    expect(calls.attempts).toBe(2);
    expect(await orderCount()).toBe(orders + 1);
  });

  it("answers a checkout whose outcome stays unknown with 503 OUTCOME_UNKNOWN and the key: the retry with it answers the one order", async () => {
    const cart = await newCart();
    await putItem(cart.id, 400, 1);
    const { ns } = faultySerializer("lose-first-answer-then-fail");
    const orders = await orderCount();
    const res = await callWith({ ORDER_SERIALIZER: ns }, `/carts/${cart.id}/checkout`, { method: "POST" });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: "OUTCOME_UNKNOWN" });
    const key = res.headers.get("Idempotency-Key")!;
    const retry = await callWith({}, `/carts/${cart.id}/checkout`, { method: "POST", headers: { "Idempotency-Key": key } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await orderCount()).toBe(orders + 1);
  });

  it("retries a hold whose answer was lost: setting a quantity twice holds it once", async () => {
    const cart = await newCart();
    const before = await stockRow(400);
    const { ns, calls } = faultySerializer("lose-answer");
    const res = await callWith({ ORDER_SERIALIZER: ns }, `/carts/${cart.id}/items/400`, jsonInit("PUT", { quantity: 2 }));
    expect(res.status).toBe(200);
    expect(calls.attempts).toBe(2);
    expect(await stockRow(400)).toEqual({ quantity: before!.quantity - 2, held: before!.held + 2 });
  });

  it("answers a new cart whose outcome stays unknown with OUTCOME_UNKNOWN that says a retry makes another cart, not that it is idempotent", async () => {
    const { ns } = faultySerializer("lose-first-answer-then-fail");
    const res = await callWith({ ORDER_SERIALIZER: ns }, "/carts", { method: "POST" });
    expect(res.status).toBe(503);
    const body = await res.json<{ error: string; message: string }>();
    expect(body.error).toBe("OUTCOME_UNKNOWN");
    expect(body.message).toContain("Retrying makes another cart");
    expect(body.message).not.toContain("idempotent");
    expect(res.headers.get("Idempotency-Key")).toBeNull();
  });
});
