import { beforeAll, describe, expect, it } from "vitest";
import { admin, catalogSnapshot, expectError, expectInvalid } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { ADMIN_TOKEN, call } from "../support/request";

beforeAll(seedCatalog);

const PRODUCT = { name: "Cap", category: "Hats", default_price: "10.00" };
const STYLE = { name: "Red", original_price: "10.00" };
const PHOTO = { url: "https://img.test/a.jpg", thumbnail_url: "https://img.test/a-thumb.jpg" };
const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
const withPhotoUrl = (url: string) => ({ ...STYLE, photos: [{ ...PHOTO, thumbnail_url: url }] });
const withSku = (sku: unknown) => ({ ...STYLE, skus: [sku] });

// [what, route, body, the fields details must name]
const badBodies: [string, string, unknown, string[]][] = [
  ["a missing name", "POST /products", { category: "Hats", default_price: "1" }, ["name"]],
  ["a name that is a number", "POST /products", { ...PRODUCT, name: 7 }, ["name"]],
  ["a blank name (trimmed to nothing)", "POST /products", { ...PRODUCT, name: "   " }, ["name"]],
  ["a 201-character name", "POST /products", { ...PRODUCT, name: "n".repeat(201) }, ["name"]],
  ["a 50 KB name (under the 64 KiB body limit, so 400 not 413)", "POST /products", { ...PRODUCT, name: "n".repeat(50_000) }, ["name"]],
  ["a 501-character slogan", "POST /products", { ...PRODUCT, slogan: "s".repeat(501) }, ["slogan"]],
  ["a 5,001-character description", "POST /products", { ...PRODUCT, description: "d".repeat(5001) }, ["description"]],
  ["a 101-character category", "POST /products", { ...PRODUCT, category: "c".repeat(101) }, ["category"]],
  ["an unknown field", "POST /products", { ...PRODUCT, price: "1.00" }, ["price"]],
  ["a client-chosen id", "POST /products", { ...PRODUCT, id: 1 }, ["id"]],
  ["a negative price", "POST /products", { ...PRODUCT, default_price: "-1.00" }, ["default_price"]],
  ["a price with three decimals", "POST /products", { ...PRODUCT, default_price: "1.234" }, ["default_price"]],
  ["a price above 99999999.99", "POST /products", { ...PRODUCT, default_price: "100000000.00" }, ["default_price"]],
  ["a price in exponent notation", "POST /products", { ...PRODUCT, default_price: "1e3" }, ["default_price"]],
  ["51 features", "POST /products", { ...PRODUCT, features: many(51, (i) => ({ feature: `F${i}`, value: null })) }, ["features"]],
  ["a feature without its value", "POST /products", { ...PRODUCT, features: [{ feature: "Sole" }] }, ["features.0.value"]],
  ["a 201-character feature value", "POST /products", { ...PRODUCT, features: [{ feature: "Sole", value: "v".repeat(201) }] }, ["features.0.value"]],
  ["an unknown field in a feature", "POST /products", { ...PRODUCT, features: [{ feature: "Sole", value: null, rank: 1 }] }, ["features.0.rank"]],
  ["features that aren't a list", "POST /products", { ...PRODUCT, features: { Sole: "Rubber" } }, ["features"]],
  ["a JSON array instead of an object", "POST /products", [PRODUCT], ["(body)"]],
  ["null", "POST /products", null, ["(body)"]],
  ["a PUT without the category", "PUT /products/1", { name: "Cap", default_price: "1" }, ["category"]],
  ["a PATCH with a null slogan", "PATCH /products/1", { slogan: null }, ["slogan"]],
  ["a style without its original price", "POST /products/1/styles", { name: "Red" }, ["original_price"]],
  ["a negative sale price", "POST /products/1/styles", { ...STYLE, sale_price: "-0.01" }, ["sale_price"]],
  ["a default flag that isn't a boolean", "POST /products/1/styles", { ...STYLE, "default?": "yes" }, ["default?"]],
  ["a photo URL that isn't a URL", "POST /products/1/styles", withPhotoUrl("not a url"), ["photos.0.thumbnail_url"]],
  ["a javascript: photo URL", "POST /products/1/styles", withPhotoUrl("javascript:alert(1)"), ["photos.0.thumbnail_url"]],
  ["a data: photo URL", "POST /products/1/styles", withPhotoUrl("data:image/png;base64,AAAA"), ["photos.0.thumbnail_url"]],
  ["an ftp: photo URL", "POST /products/1/styles", withPhotoUrl("ftp://img.test/a.jpg"), ["photos.0.thumbnail_url"]],
  ["a photo URL with a newline in it", "POST /products/1/styles", withPhotoUrl("https://img.test/a\n.jpg"), ["photos.0.thumbnail_url"]],
  ["a relative photo URL", "POST /products/1/styles", withPhotoUrl("/img/a.jpg"), ["photos.0.thumbnail_url"]],
  ["a photo URL over 2,000 characters", "POST /products/1/styles", withPhotoUrl(`https://img.test/${"a".repeat(2000)}`), ["photos.0.thumbnail_url"]],
  ["a photo without its thumbnail", "POST /products/1/styles", { ...STYLE, photos: [{ url: PHOTO.url }] }, ["photos.0.thumbnail_url"]],
  ["51 photos", "POST /products/1/styles", { ...STYLE, photos: many(51, () => PHOTO) }, ["photos"]],
  ["51 skus", "POST /products/1/styles", { ...STYLE, skus: many(51, (i) => ({ size: `S${i}`, quantity: 1 })) }, ["skus"]],
  ["an empty size", "POST /products/1/styles", withSku({ size: " ", quantity: 1 }), ["skus.0.size"]],
  ["a 21-character size", "POST /products/1/styles", withSku({ size: "s".repeat(21), quantity: 1 }), ["skus.0.size"]],
  ["a negative quantity", "POST /products/1/styles", withSku({ size: "M", quantity: -1 }), ["skus.0.quantity"]],
  ["a fractional quantity", "POST /products/1/styles", withSku({ size: "M", quantity: 1.5 }), ["skus.0.quantity"]],
  ["a quantity over 1,000,000", "POST /products/1/styles", withSku({ size: "M", quantity: 1_000_001 }), ["skus.0.quantity"]],
  ["a quantity as a string", "POST /products/1/styles", withSku({ size: "M", quantity: "3" }), ["skus.0.quantity"]],
  ["a sku id in a new style", "POST /products/1/styles", withSku({ sku_id: 37 }), ["skus.0.size", "skus.0.quantity", "skus.0.sku_id"]],
  ["a style PATCH naming the style id", "PATCH /styles/1", { style_id: 2 }, ["style_id"]],
  ["an empty style PATCH", "PATCH /styles/1", {}, ["(body)"]],
];

const pathOf = (route: string) => route.split(" ")[1]!;
const methodOf = (route: string) => route.split(" ")[0]!;

describe("admin bodies are validated strictly, and a rejected body changes nothing", () => {
  for (const [what, route, body, fields] of badBodies) {
    it(`answers 400 to ${route} with ${what}`, async () => {
      const before = await catalogSnapshot();
      await expectInvalid(await admin(methodOf(route), pathOf(route), body), fields);
      expect(await catalogSnapshot()).toEqual(before);
    });
  }

  it("tells a client that sends a price as a JSON number to send a string", async () => {
    const res = await admin("POST", "/products", { ...PRODUCT, default_price: 140 });
    await expectError(res, 400, "VALIDATION_ERROR", "Invalid body: default_price", [
      { field: "default_price", message: 'must be a decimal string such as "140.00", not a number' },
    ]);
  });

  it("names a missing field as required and an unsafe URL as not http(s)", async () => {
    const res = await admin("POST", "/products/1/styles", { name: "Red", photos: [{ ...PHOTO, url: "javascript:alert(1)" }] });
    await expectError(res, 400, "VALIDATION_ERROR", "Invalid body: original_price, photos.0.url", [
      { field: "original_price", message: "is required" },
      { field: "photos.0.url", message: "must be an absolute http(s) URL" },
    ]);
  });
});

describe("admin bodies must be JSON of at most 64 KiB", () => {
  const send = (path: string, method: string, body: string, contentType?: string) =>
    call(path, { method, body, headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...(contentType ? { "Content-Type": contentType } : {}) } });
  const bodied = ["POST /products", "PUT /products/1", "PATCH /products/1", "POST /products/1/styles", "PATCH /styles/1", "PUT /products/1/related"];

  for (const route of bodied) {
    it(`answers 415 to ${route} with a text/plain body`, async () => {
      const res = await send(pathOf(route), methodOf(route), JSON.stringify(PRODUCT), "text/plain");
      await expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE", "Request body must be application/json");
    });

    it(`answers 413 to ${route} with a body over 64 KiB`, async () => {
      const res = await send(pathOf(route), methodOf(route), JSON.stringify({ name: "n".repeat(70_000) }), "application/json");
      await expectError(res, 413, "PAYLOAD_TOO_LARGE", "Request body is larger than 65536 bytes");
    });
  }

  it("answers 415 to a body without a Content-Type", async () => {
    await expectError(await send("/products", "POST", JSON.stringify(PRODUCT)), 415, "UNSUPPORTED_MEDIA_TYPE", "Request body must be application/json");
  });

  it("answers 400 to malformed JSON", async () => {
    const res = await send("/products", "POST", '{"name": "Cap",', "application/json");
    await expectError(res, 400, "VALIDATION_ERROR", "Request body is not valid JSON");
  });

  it("answers 400 to a body-taking route sent no body at all", async () => {
    const res = await call("/products", { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" } });
    await expectError(res, 400, "VALIDATION_ERROR", "Request body is not valid JSON");
  });
});

describe("the list limits are inclusive", () => {
  it("accepts a product with 50 features and keeps their order", async () => {
    const features = many(50, (i) => ({ feature: `F${i}`, value: i % 2 ? null : `v${i}` }));
    const res = await admin("POST", "/products", { ...PRODUCT, features });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { features: unknown }).features).toEqual(features);
  });

  it("accepts a style with 50 photos and 50 skus", async () => {
    const photos = many(50, (i) => ({ url: `https://img.test/${i}.jpg`, thumbnail_url: `https://img.test/${i}-t.jpg` }));
    const skus = many(50, (i) => ({ size: `S${i}`, quantity: i }));
    const res = await admin("POST", "/products/2/styles", { ...STYLE, photos, skus });
    expect(res.status).toBe(201);
    const style = (await res.json()) as { photos: { url: string; thumbnail_url: string }[]; skus: Record<string, { size: string; quantity: number }> };
    expect(style.photos).toEqual(photos.map((p) => ({ thumbnail_url: p.thumbnail_url, url: p.url })));
    expect(Object.values(style.skus)).toEqual(skus);
  });
});
