import { beforeAll, describe, expect, it } from "vitest";
import { admin, countRows, expectError, expectInvalid } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { call } from "../support/request";

beforeAll(seedCatalog);

const relatedOf = async (id: number) => (await call(`/products/${id}/related`)).json();

describe("PUT /products/:id/related", () => {
  it("answers 200 with the list in the given order, as GET then shows it", async () => {
    const res = await admin("PUT", "/products/1/related", [7, 3, 5]);
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await res.json()).toEqual([7, 3, 5]);
    expect(await relatedOf(1)).toEqual([7, 3, 5]);
    expect(await countRows("SELECT count(*) AS n FROM related WHERE product_id = 1")).toBe(3);
  });

  it("clears the list with []", async () => {
    await admin("PUT", "/products/2/related", [4]);
    expect(await (await admin("PUT", "/products/2/related", [])).json()).toEqual([]);
    expect(await relatedOf(2)).toEqual([]);
  });

  it("accepts 50 ids", async () => {
    for (let i = 0; i < 50; i++) await admin("POST", "/products", { name: `Bulk ${i}`, category: "Misc", default_price: "1" });
    const ids = ((await (await call("/products?after=7&count=50")).json()) as { id: number }[]).map((p) => p.id);
    expect(ids).toHaveLength(50);
    expect(await (await admin("PUT", "/products/4/related", ids)).json()).toEqual(ids);
  });

  it("answers 400 naming the entries that are missing products or the product itself, and keeps the old list", async () => {
    const res = await admin("PUT", "/products/1/related", [2, 999999, 1]);
    await expectError(res, 400, "VALIDATION_ERROR", "Invalid body: 1, 2", [
      { field: "1", message: "product 999999 does not exist" },
      { field: "2", message: "a product can't be related to itself" },
    ]);
    expect(await relatedOf(1)).toEqual([7, 3, 5]);
  });

  const badLists: [string, unknown, string[]][] = [
    ["a duplicate id", [2, 3, 2], ["2"]],
    ["a zero id", [0], ["0"]],
    ["a fractional id", [2.5], ["0"]],
    ["an id as a string", ["2"], ["0"]],
    ["51 ids", Array.from({ length: 51 }, (_, i) => i + 1), ["(body)"]],
    ["an object instead of a list", { ids: [2] }, ["(body)"]],
  ];
  for (const [what, body, fields] of badLists) {
    it(`answers 400 for ${what}`, async () => {
      await expectInvalid(await admin("PUT", "/products/1/related", body), fields);
      expect(await relatedOf(1)).toEqual([7, 3, 5]);
    });
  }

  it("answers 404 PRODUCT_NOT_FOUND for an unknown product", async () => {
    await expectError(await admin("PUT", "/products/424242/related", [1]), 404, "PRODUCT_NOT_FOUND", "Product 424242 does not exist");
  });
});
