import { beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { addSku } from "../support/orders";
import { type CartBody, deleteItem, getCart, linesOf, newCart, putItem, stockRow } from "../support/carts";
import { call } from "../support/request";

beforeAll(async () => {
  await seedCatalog();
  await addSku(500, 5, 1, "M");
  await addSku(501, 3, 1, "L");
});

const camo = (skuId: number, size: string, quantity: number) => ({
  sku_id: skuId, product_id: 1, style_id: 1, product_name: "Camo Onesie", style_name: "Forest Green & Black", size, quantity,
  unit_price: "140.00", line_total: `${140 * quantity}.00`,
});

describe("POST /carts", () => {
  it("answers 201 with a new empty cart: an unguessable id, no items, a zero total and when its holds would expire", async () => {
    const res = await call("/carts", { method: "POST" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as CartBody;
    expect(Object.keys(body).sort()).toEqual(["expires_at", "id", "items", "total"]);
    expect(body).toMatchObject({ items: [], total: "0.00" });
    expect(body.id).toMatch(/^cart_[A-Za-z0-9]{22}$/);
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now());
    expect(res.headers.get("Location")).toBe(`/carts/${body.id}`);
    expect(res.headers.get("ETag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect((await newCart()).id).not.toBe(body.id);
  });
});

describe("PUT /carts/:id/items/:sku_id", () => {
  it("holds the units for the cart and answers the cart at today's prices; the units leave what others can take", async () => {
    const cart = await newCart();
    const res = await putItem(cart.id, 500, 2);
    expect(res.status).toBe(200);
    const body = (await res.json()) as CartBody;
    expect(body).toEqual({ id: cart.id, items: [camo(500, "M", 2)], total: "280.00", expires_at: body.expires_at });
    expect(res.headers.get("ETag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await stockRow(500)).toEqual({ quantity: 3, held: 2 });
    expect(await linesOf(500)).toEqual([{ cart_id: cart.id, quantity: 2 }]);
  });

  it("sets the line to the new quantity (up or down), moving only the difference", async () => {
    const cart = await newCart();
    await putItem(cart.id, 501, 1);
    expect(await stockRow(501)).toEqual({ quantity: 2, held: 1 });
    expect(((await (await putItem(cart.id, 501, 3)).json()) as CartBody).items).toEqual([camo(501, "L", 3)]);
    expect(await stockRow(501)).toEqual({ quantity: 0, held: 3 });
    await putItem(cart.id, 501, 2);
    expect(await stockRow(501)).toEqual({ quantity: 1, held: 2 });
    await putItem(cart.id, 501, 0);
    expect(await stockRow(501)).toEqual({ quantity: 3, held: 0 });
  });

  it("answers 409 OUT_OF_STOCK with what this cart could hold, its own hold counted, and leaves the cart exactly as it was", async () => {
    await addSku(502, 4, 1, "XL");
    const [mine, theirs] = [await newCart(), await newCart()];
    await putItem(theirs.id, 502, 1);
    const before = (await (await putItem(mine.id, 502, 2)).json()) as CartBody;
    const res = await putItem(mine.id, 502, 4);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "OUT_OF_STOCK", details: [{ sku_id: 502, requested: 4, available: 3 }] });
    const after = await getCart(mine.id);
    expect(await after.json()).toEqual(before); // same lines, same expires_at: a refused change renews nothing
    expect(await stockRow(502)).toEqual({ quantity: 1, held: 3 });
    expect((await putItem(mine.id, 502, 3)).status).toBe(200);
  });

  it("answers 404 SKU_NOT_FOUND for a sku that does not exist, and 404 CART_NOT_FOUND for an unknown cart", async () => {
    const cart = await newCart();
    const sku = await putItem(cart.id, 424242, 1);
    expect(sku.status).toBe(404);
    expect(await sku.json()).toMatchObject({ error: "SKU_NOT_FOUND", details: [{ sku_id: 424242 }] });
    const unknown = await putItem("cart_doesNotExist0000000000", 500, 1);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "CART_NOT_FOUND" });
  });

  it("keeps lines in the order they were added, with the total of every line", async () => {
    const cart = await newCart();
    await putItem(cart.id, 38, 1);
    const body = (await (await putItem(cart.id, 37, 2)).json()) as CartBody;
    expect(body.items.map((i) => [i.sku_id, i.quantity, i.line_total])).toEqual([[38, 1, "140.00"], [37, 2, "280.00"]]);
    expect(body.total).toBe("420.00");
  });
});

describe("DELETE /carts/:id/items/:sku_id", () => {
  it("removes the line and gives its units back, answering the cart", async () => {
    await addSku(503, 6, 1, "XXL");
    const cart = await newCart();
    await putItem(cart.id, 503, 4);
    const res = await deleteItem(cart.id, 503);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: cart.id, items: [], total: "0.00" });
    expect(await linesOf(503)).toEqual([]);
    expect(await stockRow(503)).toEqual({ quantity: 6, held: 0 });
  });

  it("answers 200 and changes nothing for a line the cart does not have", async () => {
    const cart = await newCart();
    const res = await deleteItem(cart.id, 37);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ items: [], total: "0.00" });
  });
});

describe("GET /carts/:id", () => {
  it("answers the cart with the same body and ETag its last change answered, never cached by anyone", async () => {
    const cart = await newCart();
    const put = await putItem(cart.id, 37, 1);
    const res = await getCart(cart.id);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(await put.text());
    expect(res.headers.get("ETag")).toBe(put.headers.get("ETag"));
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("answers 404 CART_NOT_FOUND for an unknown cart and 400 for something that is not a cart id", async () => {
    const unknown = await getCart("cart_doesNotExist0000000000");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "CART_NOT_FOUND", message: "Cart cart_doesNotExist0000000000 does not exist" });
    for (const id of ["ord_abc", "cart_", "cart_a-b", "42"]) expect((await getCart(id)).status, id).toBe(400);
  });
});
