import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { addSku, cancelOrder, type OrderBody, placeOrder } from "../support/orders";
import { checkout, deleteItem, getCart, linesOf, newCart, putItem, stockRow } from "../support/carts";
import { adminInit, call, jsonInit } from "../support/request";

// What a new buyer can take is stock minus live holds, everywhere (API.md, "Carts").

beforeAll(async () => {
  await seedCatalog();
  // Product 4 gets one style with one sku, so whether it is in stock is whether that sku is.
  await env.DB.prepare("INSERT INTO styles (id, product_id, name, original_price, sale_price, is_default) VALUES (10, 4, 'Grey', 6500, NULL, 1)").run();
  await addSku(700, 2, 10, "M");
  for (const id of [710, 711, 712, 713, 714]) await addSku(id, 5, 3, `S${id}`);
});

const stylesQuantity = async (productId: number, skuId: number) => {
  const body = (await (await call(`/products/${productId}/styles`)).json()) as { results: { skus: Record<string, { quantity: number }> }[] };
  return body.results.flatMap((s) => Object.entries(s.skus)).find(([id]) => id === String(skuId))?.[1].quantity;
};
const inStockIds = async () =>
  ((await (await call("/search?category=Pants&in_stock=true")).json()) as { results: { id: number }[] }).results.map((r) => r.id);
const adjust = (skuId: number, delta: number, headers: Record<string, string> = {}) =>
  call(`/skus/${skuId}/stock`, adminInit(jsonInit("POST", { delta }, headers)));

describe("held units are not there for anyone else", () => {
  it("refuses an order for them with 409 OUT_OF_STOCK, available counting only what no cart holds", async () => {
    const cart = await newCart();
    await putItem(cart.id, 710, 4);
    const res = await placeOrder([{ sku_id: 710, quantity: 2 }]);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "OUT_OF_STOCK", details: [{ sku_id: 710, requested: 2, available: 1 }] });
    expect((await placeOrder([{ sku_id: 710, quantity: 1 }])).status).toBe(201);
    expect(await stockRow(710)).toEqual({ quantity: 0, held: 4 });
    expect((await checkout(cart.id)).status).toBe(201); // and the holder still gets all four
  });

  it("refuses another cart's hold for them, and gives them back when the holder lets go", async () => {
    const [a, b] = [await newCart(), await newCart()];
    await putItem(a.id, 711, 5);
    const refused = await putItem(b.id, 711, 1);
    expect(await refused.json()).toMatchObject({ error: "OUT_OF_STOCK", details: [{ sku_id: 711, requested: 1, available: 0 }] });
    await deleteItem(a.id, 711);
    expect((await putItem(b.id, 711, 5)).status).toBe(200);
  });

  it("shows them gone from the styles payload's quantity, and back when released", async () => {
    const cart = await newCart();
    await putItem(cart.id, 712, 3);
    expect(await stylesQuantity(3, 712)).toBe(2);
    await deleteItem(cart.id, 712);
    expect(await stylesQuantity(3, 712)).toBe(5);
  });

  it("takes a product out of search's in_stock results while every unit of it is held, and puts it back when released", async () => {
    expect(await inStockIds()).toContain(4);
    const cart = await newCart();
    await putItem(cart.id, 700, 2);
    expect(await inStockIds()).not.toContain(4);
    await putItem(cart.id, 700, 1);
    expect(await inStockIds()).toContain(4);
    await deleteItem(cart.id, 700);
  });
});

describe("POST /skus/:sku_id/stock with held units", () => {
  it("answers quantity on hand and what a new buyer can take", async () => {
    const cart = await newCart();
    await putItem(cart.id, 713, 3);
    const res = await adjust(713, 4);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sku_id: 713, quantity: 9, available: 6 });
    expect(await stockRow(713)).toEqual({ quantity: 6, held: 3 });
  });

  it("can't take held units: 409 OUT_OF_STOCK with what is available, nothing changed", async () => {
    const res = await adjust(713, -7);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "OUT_OF_STOCK", details: [{ sku_id: 713, requested: 7, available: 6 }] });
    expect(await stockRow(713)).toEqual({ quantity: 6, held: 3 });
    expect(await (await adjust(713, -6)).json()).toEqual({ sku_id: 713, quantity: 3, available: 0 });
  });

  it("replays a keyed change with the same quantity and available it first answered", async () => {
    const key = { "Idempotency-Key": "restock-713-000000001" };
    const first = await (await adjust(713, 2, key)).json();
    const again = await adjust(713, 2, key);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(first);
    expect(first).toEqual({ sku_id: 713, quantity: 5, available: 2 });
  });
});

describe("a sku's delete", () => {
  it("drops its lines and holds from every cart (a style PATCH that leaves it out), keeping the carts' other lines", async () => {
    await addSku(720, 4, 3, "Gone");
    const [a, b] = [await newCart(), await newCart()];
    await putItem(a.id, 720, 1);
    await putItem(a.id, 714, 1);
    await putItem(b.id, 720, 2);
    const keep = (await env.DB.prepare("SELECT id FROM skus WHERE style_id = 3 AND id <> 720").all<{ id: number }>()).results.map((r) => ({ sku_id: r.id }));
    expect((await call("/styles/3", adminInit(jsonInit("PATCH", { skus: keep })))).status).toBe(200);
    expect(await linesOf(720)).toEqual([]);
    expect(((await (await getCart(a.id)).json()) as { items: { sku_id: number }[] }).items.map((i) => i.sku_id)).toEqual([714]);
    expect(await (await getCart(b.id)).json()).toMatchObject({ items: [], total: "0.00" });
    expect((await checkout(b.id)).status).toBe(409); // CART_EMPTY: nothing left to buy
  });

  it("drops the lines with the product's delete too", async () => {
    const cart = await newCart();
    await putItem(cart.id, 700, 1);
    expect((await call("/products/4", adminInit({ method: "DELETE" }))).status).toBe(204);
    expect(await linesOf(700)).toEqual([]);
    expect(await (await getCart(cart.id)).json()).toMatchObject({ items: [] });
  });
});

describe("a cancel beside holds", () => {
  it("gives the order's units back to what anyone can take and leaves the holds alone", async () => {
    await addSku(730, 3, 3, "Cx");
    const order = (await (await placeOrder([{ sku_id: 730, quantity: 2 }])).json()) as OrderBody;
    const cart = await newCart();
    await putItem(cart.id, 730, 1);
    expect(await stockRow(730)).toEqual({ quantity: 0, held: 1 });
    expect((await cancelOrder(order.id)).status).toBe(204);
    expect(await stockRow(730)).toEqual({ quantity: 2, held: 1 });
  });
});
