import { beforeAll, describe, expect, it } from "vitest";
import { admin, catalogCounts, countRows, expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { placeOrder } from "../support/orders";
import { call } from "../support/request";

beforeAll(seedCatalog);

describe("DELETE /products/:id", () => {
  it("answers 204 and takes the features, styles, photos, skus and related links (both directions) with it", async () => {
    await admin("PUT", "/products/2/related", [1, 3]); // a link *to* product 1 as well as its own
    const before = await catalogCounts();
    const res = await admin("DELETE", "/products/1");
    expect(res.status).toBe(204);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await res.text()).toBe("");
    expect(await catalogCounts()).toEqual({
      products: before.products! - 1,
      features: before.features! - 2,
      styles: before.styles! - 2,
      photos: before.photos! - 2,
      skus: before.skus! - 2,
      related: before.related! - 5, // 1→2, 1→3, 1→7, 1→1 and 2→1
    });
    expect(await countRows("SELECT count(*) AS n FROM related WHERE product_id = 1 OR related_product_id = 1")).toBe(0);
    expect(await (await call("/products/2/related")).json()).toEqual([3]);
  });

  it("answers 404 PRODUCT_NOT_FOUND on every read of the deleted product", async () => {
    for (const path of ["/products/1", "/products/1/styles", "/products/1/related"]) {
      await expectError(await call(path), 404, "PRODUCT_NOT_FOUND", "Product 1 does not exist");
    }
  });

  it("answers 404 PRODUCT_NOT_FOUND to a second delete", async () => {
    await expectError(await admin("DELETE", "/products/1"), 404, "PRODUCT_NOT_FOUND", "Product 1 does not exist");
  });

  it("leaves an order that bought the product readable and byte-identical", async () => {
    const created = await admin("POST", "/products/5/styles", { name: "White", original_price: "99.00", skus: [{ size: "10", quantity: 3 }] });
    const skuId = Number(Object.keys(((await created.json()) as { skus: Record<string, unknown> }).skus)[0]);
    const placed = await placeOrder([{ sku_id: skuId, quantity: 1 }]);
    expect(placed.status).toBe(201);
    const orderText = await placed.text();
    const orderId = (JSON.parse(orderText) as { id: string }).id;

    expect((await admin("DELETE", "/products/5")).status).toBe(204);
    const res = await call(`/orders/${orderId}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(orderText);
    expect(await countRows("SELECT count(*) AS n FROM order_lines WHERE product_id = 5")).toBe(1);
  });
});

describe("keyset paging across a delete", () => {
  const ids = async (path: string) => ((await (await call(path)).json()) as { id: number }[]).map((p) => p.id);

  it("neither skips nor repeats a product when one on an earlier page is deleted, the cursor row included", async () => {
    const first = await ids("/products?after=1&count=2");
    expect(first).toEqual([2, 3]);
    expect((await admin("DELETE", "/products/2")).status).toBe(204);
    expect((await admin("DELETE", "/products/3")).status).toBe(204); // the cursor itself
    expect(await ids(`/products?after=${first[first.length - 1]}&count=2`)).toEqual([4, 6]);
  });
});
