import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { addSku, orderCount, type OrderBody, placeOrder, stockOf } from "../support/orders";
import { call } from "../support/request";

beforeAll(async () => {
  await seedCatalog();
  await addSku(39, 5, 2, "M"); // style 2 has a sale price of 100.05
});

describe("POST /orders", () => {
  it("answers 201 with the order priced from the catalog, a Location and private caching", async () => {
    const res = await placeOrder([{ sku_id: 37, quantity: 2 }, { sku_id: 39, quantity: 1 }]);
    expect(res.status).toBe(201);
    const order = (await res.json()) as OrderBody;
    expect(order).toEqual({
      id: expect.stringMatching(/^ord_[0-9A-Za-z]{22}$/),
      status: "placed",
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      total: "380.05",
      items: [
        { sku_id: 37, product_id: 1, style_id: 1, product_name: "Camo Onesie", style_name: "Forest Green & Black", size: "XS", quantity: 2, unit_price: "140.00" },
        { sku_id: 39, product_id: 1, style_id: 2, product_name: "Camo Onesie", style_name: "Desert Brown & Tan", size: "M", quantity: 1, unit_price: "100.05" },
      ],
    });
    expect(res.headers.get("Location")).toBe(`/orders/${order.id}`);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await stockOf(37)).toBe(6);
    expect(await stockOf(39)).toBe(4);
  });

  it("reads the order back exactly as it was answered", async () => {
    const placed = await (await placeOrder([{ sku_id: 38, quantity: 1 }])).text();
    const id = (JSON.parse(placed) as OrderBody).id;
    const res = await call(`/orders/${id}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(placed);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("answers 404 SKU_NOT_FOUND for an unknown sku and takes nothing for the other lines", async () => {
    const before = await stockOf(38);
    const res = await placeOrder([{ sku_id: 38, quantity: 1 }, { sku_id: 777777, quantity: 1 }]);
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.error).toBe("SKU_NOT_FOUND");
    expect(body.details).toEqual([{ sku_id: 777777 }]);
    expect(await stockOf(38)).toBe(before);
  });

  it("answers 409 OUT_OF_STOCK naming the short line and takes nothing for any line", async () => {
    const before = [await stockOf(37), await stockOf(38)];
    const orders = await orderCount();
    const res = await placeOrder([{ sku_id: 38, quantity: 1 }, { sku_id: 40, quantity: 2 }]);
    expect(res.status).toBe(409);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.error).toBe("OUT_OF_STOCK");
    expect(body.details).toEqual([{ sku_id: 40, requested: 2, available: 0 }]);
    expect([await stockOf(37), await stockOf(38)]).toEqual(before);
    expect(await orderCount()).toBe(orders);
  });

  it("keeps an order's names and prices after the catalog changes or the product is deleted", async () => {
    const placed = (await (await placeOrder([{ sku_id: 38, quantity: 1 }])).json()) as OrderBody;
    await env.DB.batch([
      env.DB.prepare("UPDATE styles SET original_price = 99999, name = 'Renamed' WHERE id = 1"),
      env.DB.prepare("UPDATE products SET name = 'Renamed product' WHERE id = 1"),
    ]);
    expect(await (await call(`/orders/${placed.id}`)).json()).toEqual(placed);
    await env.DB.prepare("DELETE FROM products WHERE id = 1").run();
    expect(await (await call(`/orders/${placed.id}`)).json()).toEqual(placed);
  });

  it("answers 404 ORDER_NOT_FOUND for an unknown order and 400 for a malformed order id", async () => {
    expect((await call("/orders/ord_doesnotexist")).status).toBe(404);
    expect((await call("/orders/42")).status).toBe(400);
  });
});
