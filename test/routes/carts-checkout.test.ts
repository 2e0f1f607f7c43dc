import { beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { addSku, type OrderBody, orderCount, placeOrder } from "../support/orders";
import { type CartBody, checkout, getCart, newCart, putItem, soldOf, stockRow } from "../support/carts";
import { adminInit, call, jsonInit } from "../support/request";

beforeAll(async () => {
  await seedCatalog();
  for (const [id, size] of [[600, "A"], [601, "B"], [602, "C"], [603, "D"], [604, "E"], [605, "F"]] as const) await addSku(id, 10, 3, size);
});

const joggers = (skuId: number, size: string, quantity: number, unitPrice = "40.00") => ({
  sku_id: skuId, product_id: 3, style_id: 3, product_name: "Morning Joggers", style_name: "Black", size, quantity, unit_price: unitPrice,
});

async function cartHolding(lines: [number, number][]): Promise<CartBody> {
  const cart = await newCart();
  for (const [sku, quantity] of lines) expect((await putItem(cart.id, sku, quantity)).status).toBe(200);
  return (await (await getCart(cart.id)).json()) as CartBody;
}

describe("POST /carts/:id/checkout", () => {
  it("answers 201 with the order exactly as POST /orders and GET /orders/:id show it, taking the held units and nothing more", async () => {
    const cart = await cartHolding([[600, 2], [601, 1]]);
    const before = [await stockRow(600), await stockRow(601)];
    const res = await checkout(cart.id);
    expect(res.status).toBe(201);
    const order = (await res.json()) as OrderBody;
    expect(order).toEqual({ id: order.id, status: "placed", created_at: order.created_at, total: "120.00",
      items: [joggers(600, "A", 2), joggers(601, "B", 1)] });
    expect(res.headers.get("Location")).toBe(`/orders/${order.id}`);
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await (await call(`/orders/${order.id}`)).json()).toEqual(order);
    // The held units became the order's: what others can take is unchanged, nothing is held any more.
    expect([await stockRow(600), await stockRow(601)]).toEqual([{ quantity: before[0]!.quantity, held: 0 }, { quantity: before[1]!.quantity, held: 0 }]);
    expect([await soldOf(600), await soldOf(601)]).toEqual([2, 1]);
    const shaped = (await (await placeOrder([{ sku_id: 602, quantity: 1 }])).json()) as OrderBody;
    expect(Object.keys(order).sort()).toEqual(Object.keys(shaped).sort());
  });

  it("charges today's prices: a price changed after the hold is the price paid", async () => {
    const cart = await cartHolding([[603, 1]]);
    await call("/styles/3", adminInit(jsonInit("PATCH", { sale_price: "35.50" })));
    try {
      const order = (await (await checkout(cart.id)).json()) as OrderBody;
      expect(order.items).toEqual([joggers(603, "D", 1, "35.50")]);
      expect(order.total).toBe("35.50");
    } finally {
      await call("/styles/3", adminInit(jsonInit("PATCH", { sale_price: null })));
    }
  });

  it("closes the cart: GET shows the order it became, with order_id, and further changes answer 409 CART_CLOSED", async () => {
    const cart = await cartHolding([[604, 3]]);
    const order = (await (await checkout(cart.id)).json()) as OrderBody;
    const read = await getCart(cart.id);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual({ id: cart.id, items: [{ ...joggers(604, "E", 3), line_total: "120.00" }], total: "120.00",
      expires_at: cart.expires_at, order_id: order.id });
    for (const res of [await putItem(cart.id, 604, 1), await call(`/carts/${cart.id}/items/604`, { method: "DELETE" }), await checkout(cart.id)]) {
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: "CART_CLOSED", details: { order_id: order.id } });
    }
  });

  it("replays the order for the same Idempotency-Key, and answers any other checkout 409 CART_CLOSED with the order id", async () => {
    const cart = await cartHolding([[605, 1]]);
    const key = { "Idempotency-Key": "checkout-605-aaaaaaaaaaaa" };
    const first = await checkout(cart.id, key);
    const again = await checkout(cart.id, key);
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    const order = (await first.json()) as OrderBody;
    expect(await again.json()).toEqual(order);
    const other = await checkout(cart.id, { "Idempotency-Key": "checkout-605-bbbbbbbbbbbb" });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: "CART_CLOSED", details: { order_id: order.id } });
    expect(await soldOf(605)).toBe(1);
  });

  it("answers 409 IDEMPOTENCY_CONFLICT for a key already used on another cart, taking nothing", async () => {
    const [a, b] = [await cartHolding([[602, 1]]), await cartHolding([[602, 1]])];
    const key = { "Idempotency-Key": "checkout-shared-key-0001" };
    expect((await checkout(a.id, key)).status).toBe(201);
    const res = await checkout(b.id, key);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "IDEMPOTENCY_CONFLICT" });
    expect((await getCart(b.id)).status).toBe(200);
    expect((await checkout(b.id)).status).toBe(201);
  });

  it("answers 409 CART_EMPTY for a cart with no lines, and 404 CART_NOT_FOUND for an unknown one, placing no order", async () => {
    const orders = await orderCount();
    const empty = await checkout((await newCart()).id);
    expect(empty.status).toBe(409);
    expect(await empty.json()).toMatchObject({ error: "CART_EMPTY" });
    const unknown = await checkout("cart_doesNotExist0000000000");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "CART_NOT_FOUND" });
    expect(await orderCount()).toBe(orders);
  });
});

describe("POST /carts/:id/checkout with If-Match", () => {
  it("places the order when If-Match names the cart's current ETag", async () => {
    const cart = await newCart();
    const put = await putItem(cart.id, 600, 1);
    expect((await checkout(cart.id, { "If-Match": put.headers.get("ETag")! })).status).toBe(201);
  });

  it("answers 412 PRECONDITION_FAILED, taking nothing, when the cart changed since that ETag", async () => {
    const cart = await newCart();
    const etag = (await putItem(cart.id, 601, 1)).headers.get("ETag")!;
    await putItem(cart.id, 601, 2);
    const held = await stockRow(601);
    const res = await checkout(cart.id, { "If-Match": etag });
    expect(res.status).toBe(412);
    expect(await res.json()).toMatchObject({ error: "PRECONDITION_FAILED" });
    expect(await stockRow(601)).toEqual(held);
    const current = (await getCart(cart.id)).headers.get("ETag")!;
    expect((await checkout(cart.id, { "If-Match": current })).status).toBe(201);
  });

  it("answers 412 when a price in the cart changed since that ETag", async () => {
    const cart = await newCart();
    const etag = (await putItem(cart.id, 602, 1)).headers.get("ETag")!;
    await call("/styles/3", adminInit(jsonInit("PATCH", { original_price: "41.00" })));
    try {
      expect((await checkout(cart.id, { "If-Match": etag })).status).toBe(412);
    } finally {
      await call("/styles/3", adminInit(jsonInit("PATCH", { original_price: "40.00" })));
    }
    expect((await checkout(cart.id, { "If-Match": etag })).status).toBe(201);
  });

  it("takes If-Match: * as any current cart, and never matches a weak tag", async () => {
    const cart = await newCart();
    const etag = (await putItem(cart.id, 603, 1)).headers.get("ETag")!;
    expect((await checkout(cart.id, { "If-Match": `W/${etag}` })).status).toBe(412);
    expect((await checkout(cart.id, { "If-Match": "*" })).status).toBe(201);
  });
});
