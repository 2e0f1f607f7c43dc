import { beforeAll, describe, expect, it } from "vitest";
import { admin, catalogSnapshot, countRows, expectError, expectInvalid } from "../support/admin";
import { CAMO_STYLES_BODY, seedCatalog } from "../support/fixtures";
import { call } from "../support/request";

beforeAll(seedCatalog);

interface StyleBody {
  style_id: number;
  "default?": boolean;
  photos: unknown[];
  skus: Record<string, { quantity: number; size: string }>;
}

const photo = (n: number) => ({ url: `https://img.test/n${n}.jpg`, thumbnail_url: `https://img.test/n${n}-thumb.jpg` });
const stylesOf = async (productId: number) => ((await (await call(`/products/${productId}/styles`)).json()) as { results: StyleBody[] }).results;
const defaultsOf = async (productId: number) => (await stylesOf(productId)).map((s) => [s.style_id, s["default?"]]);

describe("POST /products/:id/styles", () => {
  it("answers 201 with the style exactly as it appears in the styles payload, and a Location", async () => {
    const res = await admin("POST", "/products/1/styles", {
      name: " Night Camo ", original_price: "150", sale_price: "120.5",
      photos: [photo(1), photo(2)], skus: [{ size: "M", quantity: 4 }, { size: "L", quantity: 0 }],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("Location")).toBe("/products/1/styles");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const style = (await res.json()) as StyleBody;
    const [m, l] = Object.keys(style.skus).map(Number);
    expect(style).toEqual({
      style_id: expect.any(Number), name: "Night Camo", original_price: "150.00", sale_price: "120.50", "default?": false,
      photos: [
        { thumbnail_url: "https://img.test/n1-thumb.jpg", url: "https://img.test/n1.jpg" },
        { thumbnail_url: "https://img.test/n2-thumb.jpg", url: "https://img.test/n2.jpg" },
      ],
      skus: { [m!]: { quantity: 4, size: "M" }, [l!]: { quantity: 0, size: "L" } },
    });
    expect(style.style_id).toBeGreaterThan(3);
    expect((await stylesOf(1)).at(-1)).toEqual(style);
  });

  it("answers an empty photo list and sku object for a style created without them, sale price null", async () => {
    const res = await admin("POST", "/products/2/styles", { name: "Tortoise", original_price: "69.00" });
    expect(await res.json()).toEqual({
      style_id: expect.any(Number), name: "Tortoise", original_price: "69.00", sale_price: null, "default?": false, photos: [], skus: {},
    });
  });

  it("takes the default flag from the product's other styles when the new one is the default", async () => {
    const res = await admin("POST", "/products/1/styles", { name: "Snow Camo", original_price: "140.00", "default?": true });
    const created = (await res.json()) as StyleBody;
    expect(created["default?"]).toBe(true);
    const defaults = await defaultsOf(1);
    expect(defaults.filter(([, d]) => d)).toEqual([[created.style_id, true]]);
    expect(await defaultsOf(3)).toEqual([[3, true]]); // another product's default is untouched
  });

  it("answers 404 PRODUCT_NOT_FOUND for an unknown product and writes nothing", async () => {
    const before = await catalogSnapshot();
    const res = await admin("POST", "/products/424242/styles", { name: "Ghost", original_price: "1", "default?": true, photos: [photo(9)], skus: [{ size: "S", quantity: 1 }] });
    await expectError(res, 404, "PRODUCT_NOT_FOUND", "Product 424242 does not exist");
    expect(await catalogSnapshot()).toEqual(before);
  });
});

describe("PATCH /styles/:id", () => {
  it("changes only the given fields and answers the style", async () => {
    const res = await admin("PATCH", "/styles/2", { name: "Desert Tan", original_price: "130.00" });
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await res.json()).toEqual({ ...CAMO_STYLES_BODY.results[1], name: "Desert Tan", original_price: "130.00" });
  });

  it("clears the sale price with null", async () => {
    const res = await admin("PATCH", "/styles/2", { sale_price: null });
    expect(((await res.json()) as { sale_price: unknown }).sale_price).toBeNull();
  });

  it("moves the default flag to the patched style in the same write", async () => {
    await admin("PATCH", "/styles/2", { "default?": true });
    expect((await defaultsOf(1)).filter(([, d]) => d)).toEqual([[2, true]]);
  });

  it("replaces the photos when photos are given", async () => {
    const res = await admin("PATCH", "/styles/1", { photos: [photo(7)] });
    expect(((await res.json()) as StyleBody).photos).toEqual([{ thumbnail_url: "https://img.test/n7-thumb.jpg", url: "https://img.test/n7.jpg" }]);
    expect(await countRows("SELECT count(*) AS n FROM photos WHERE style_id = 1")).toBe(1);
  });

  it("keeps listed skus untouched, adds new ones and deletes the ones left out", async () => {
    const res = await admin("PATCH", "/styles/1", { skus: [{ sku_id: 38 }, { size: "XL", quantity: 3 }] });
    const skus = ((await res.json()) as StyleBody).skus;
    const added = Object.keys(skus).find((id) => id !== "38")!;
    expect(skus).toEqual({ "38": { quantity: 16, size: "S" }, [added]: { quantity: 3, size: "XL" } });
    expect(await countRows("SELECT count(*) AS n FROM skus WHERE id = 37")).toBe(0);
  });

  it("refuses to set the stock of an existing sku, pointing to the stock route", async () => {
    const res = await admin("PATCH", "/styles/1", { skus: [{ sku_id: 38, quantity: 999 }] });
    await expectError(res, 400, "VALIDATION_ERROR", "Invalid body: skus.0.quantity", [
      { field: "skus.0.quantity", message: "can't be set for an existing sku: change its stock with POST /skus/{sku_id}/stock" },
    ]);
    expect(await countRows("SELECT quantity AS n FROM skus WHERE id = 38")).toBe(16);
  });

  it("answers 400 naming a sku that belongs to another style, and changes nothing", async () => {
    const before = await catalogSnapshot();
    const res = await admin("PATCH", "/styles/1", { name: "Changed", skus: [{ sku_id: 40 }] });
    await expectError(res, 400, "VALIDATION_ERROR", "Invalid body: skus.0.sku_id", [{ field: "skus.0.sku_id", message: "sku 40 is not a sku of style 1" }]);
    expect(await catalogSnapshot()).toEqual(before);
    expect((await stylesOf(1))[0]!.style_id).toBe(1);
  });

  it("answers 400 for a sku listed twice and for a new sku without its quantity", async () => {
    await expectInvalid(await admin("PATCH", "/styles/1", { skus: [{ sku_id: 38 }, { sku_id: 38 }] }), ["skus.1.sku_id"]);
    await expectInvalid(await admin("PATCH", "/styles/1", { skus: [{ size: "XXL" }] }), ["skus.0.quantity"]);
  });

  it("answers 404 STYLE_NOT_FOUND for an unknown style, whatever the patch names", async () => {
    for (const body of [{ name: "Ghost" }, { photos: [photo(1)] }, { skus: [{ size: "S", quantity: 1 }] }, { "default?": true }]) {
      await expectError(await admin("PATCH", "/styles/424242", body), 404, "STYLE_NOT_FOUND", "Style 424242 does not exist");
    }
  });
});

describe("DELETE /styles/:id", () => {
  it("answers 204 and takes the style's photos and skus with it", async () => {
    const created = (await (await admin("POST", "/products/4/styles", {
      name: "Grey", original_price: "65", photos: [photo(3)], skus: [{ size: "32", quantity: 2 }],
    })).json()) as StyleBody;
    const res = await admin("DELETE", `/styles/${created.style_id}`);
    expect(res.status).toBe(204);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    expect(await stylesOf(4)).toEqual([]);
    expect(await countRows("SELECT count(*) AS n FROM photos WHERE style_id = ?", created.style_id)).toBe(0);
    expect(await countRows("SELECT count(*) AS n FROM skus WHERE style_id = ?", created.style_id)).toBe(0);
  });

  it("answers 404 STYLE_NOT_FOUND for an unknown or already deleted style", async () => {
    expect((await admin("DELETE", "/styles/3")).status).toBe(204);
    await expectError(await admin("DELETE", "/styles/3"), 404, "STYLE_NOT_FOUND", "Style 3 does not exist");
  });
});
