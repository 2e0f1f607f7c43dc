import { beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { addSku } from "../support/orders";
import { checkout, getCart, newCart, putItem, stockRow } from "../support/carts";
import { callWith } from "../support/request";

// Bounds (API.md, "Carts"): 1..50 lines, quantity 0..1000 per PUT, the same error shape and codes as orders.

beforeAll(async () => {
  await seedCatalog();
  for (let i = 0; i < 51; i++) await addSku(1000 + i, 5, 3, `Z${i}`);
});

const put = (cartId: string, skuId: string | number, body: string, headers: Record<string, string> = {}) =>
  callWith({}, `/carts/${cartId}/items/${skuId}`, { method: "PUT", body, headers: { "Content-Type": "application/json", ...headers } });

async function expectRejected(res: Response, status: number, code: string, field?: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: string; request_id: string; details?: { field: string }[] };
  expect(body.error).toBe(code);
  expect(body.request_id).toBe(res.headers.get("X-Request-Id"));
  if (field !== undefined) expect(body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
}

describe("PUT /carts/:id/items/:sku_id rejects bad input, holding nothing", () => {
  const bad: [string, unknown, string][] = [
    ["quantity 1001", { quantity: 1001 }, "quantity"],
    ["a negative quantity", { quantity: -1 }, "quantity"],
    ["a fractional quantity", { quantity: 1.5 }, "quantity"],
    ["a quantity as a string", { quantity: "2" }, "quantity"],
    ["no quantity", {}, "quantity"],
    ["an unknown field", { quantity: 1, price: "0.01" }, "price"],
  ];
  for (const [what, body, field] of bad) {
    it(`answers 400 VALIDATION_ERROR naming ${field} for ${what}`, async () => {
      const cart = await newCart();
      await expectRejected(await put(cart.id, 1000, JSON.stringify(body)), 400, "VALIDATION_ERROR", field);
      expect(await stockRow(1000)).toEqual({ quantity: 5, held: 0 });
    });
  }

  it("answers 400 for a sku id or cart id that isn't one", async () => {
    const cart = await newCart();
    await expectRejected(await put(cart.id, "0", '{"quantity":1}'), 400, "VALIDATION_ERROR", "sku_id");
    await expectRejected(await put(cart.id, "1e3", '{"quantity":1}'), 400, "VALIDATION_ERROR", "sku_id");
    await expectRejected(await put("ord_abc", 1000, '{"quantity":1}'), 400, "VALIDATION_ERROR", "cart_id");
  });

  it("answers 415 for a body that isn't JSON, and 400 for malformed JSON", async () => {
    const cart = await newCart();
    await expectRejected(await put(cart.id, 1000, "quantity=1", { "Content-Type": "text/plain" }), 415, "UNSUPPORTED_MEDIA_TYPE");
    await expectRejected(await put(cart.id, 1000, '{"quantity":'), 400, "VALIDATION_ERROR");
  });

  it("takes at most 50 lines: the 51st sku is 400 VALIDATION_ERROR and the cart is unchanged; a 50th line's quantity still changes", async () => {
    const cart = await newCart();
    for (let i = 0; i < 50; i++) expect((await putItem(cart.id, 1000 + i, 1)).status).toBe(200);
    const before = await (await getCart(cart.id)).json();
    await expectRejected(await putItem(cart.id, 1050, 1), 400, "VALIDATION_ERROR", "sku_id");
    expect(await (await getCart(cart.id)).json()).toEqual(before);
    expect(await stockRow(1050)).toEqual({ quantity: 5, held: 0 });
    expect((await putItem(cart.id, 1049, 2)).status).toBe(200);
  });
});

describe("POST /carts/:id/checkout rejects bad headers, placing nothing", () => {
  it("answers 400 for an Idempotency-Key of under 16 or over 255 characters, and for an If-Match of over 1,000 characters", async () => {
    const cart = await newCart();
    await putItem(cart.id, 1000, 1);
    const held = await stockRow(1000);
    await expectRejected(await checkout(cart.id, { "Idempotency-Key": "short" }), 400, "VALIDATION_ERROR", "idempotency-key");
    await expectRejected(await checkout(cart.id, { "Idempotency-Key": "k".repeat(256) }), 400, "VALIDATION_ERROR", "idempotency-key");
    await expectRejected(await checkout(cart.id, { "If-Match": `"${"a".repeat(1000)}"` }), 400, "VALIDATION_ERROR", "if-match");
    expect((await getCart(cart.id)).status).toBe(200);
    expect(await stockRow(1000)).toEqual(held);
  });
});
