import { beforeAll, describe, expect, it } from "vitest";
import { CAMO_PRODUCT_BODY, CAMO_STYLES_BODY, seedCatalog } from "../support/fixtures";
import { call, settled } from "../support/request";

beforeAll(seedCatalog);

describe("GET /products/:id", () => {
  it("answers the product with its features, a null feature value kept as null", async () => {
    const res = await call("/products/1");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(CAMO_PRODUCT_BODY);
  });

  it("answers an empty features list for a product without features", async () => {
    const res = await call("/products/2");
    expect(await res.json()).toEqual({
      id: 2, name: "Bright Future Sunglasses", slogan: "You've got to wear shades", description: "",
      category: "Accessories", default_price: "69.00", features: [],
    });
  });

  it("answers 404 PRODUCT_NOT_FOUND for an unknown product", async () => {
    const res = await call("/products/424242");
    expect(res.status).toBe(404);
    const body = await res.json();
    expect(body).toEqual({ error: "PRODUCT_NOT_FOUND", message: "Product 424242 does not exist", request_id: res.headers.get("X-Request-Id") });
  });
});

describe("GET /products/:id/styles", () => {
  it("answers styles with photos and skus keyed by sku id, sale price null vs set", async () => {
    const res = await call("/products/1/styles");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(CAMO_STYLES_BODY);
  });

  it("answers an empty results list for a product with no styles", async () => {
    const res = await call("/products/2/styles");
    expect(await res.json()).toEqual({ product_id: "2", results: [] });
  });

  it("keeps the styles in id order and the raw body compact", async () => {
    const text = await (await call("/products/1/styles")).text();
    expect(text.startsWith('{"product_id":"1","results":[{"style_id":1,')).toBe(true);
  });

  it("answers 404 for an unknown product", async () => {
    const res = await call("/products/999/styles");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe("PRODUCT_NOT_FOUND");
  });
});

describe("GET /products/:id/related", () => {
  it("answers existing related ids in the admin's order, never the product itself", async () => {
    const res = await call("/products/1/related");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([2, 3, 7]);
  });

  it("answers [] for a product without related links and 404 for an unknown one", async () => {
    expect(await (await call("/products/2/related")).json()).toEqual([]);
    expect((await call("/products/999/related")).status).toBe(404);
  });
});

describe("GET /products", () => {
  const ids = async (path: string) => ((await (await call(path)).json()) as { id: number }[]).map((p) => p.id);

  it("answers the first page of five by default, ordered by id, in the list shape", async () => {
    const res = await call("/products");
    const body = (await res.json()) as unknown[];
    expect(body).toHaveLength(5);
    expect(body[0]).toEqual({
      id: 1, name: "Camo Onesie", slogan: "Blend in to your crowd", description: "The So Fatigues will wake you up",
      category: "Jackets", default_price: "140.00",
    });
  });

  it("pages with page/count and with keyset after, giving the same rows", async () => {
    expect(await ids("/products?page=2&count=3")).toEqual([4, 5, 6]);
    expect(await ids("/products?after=3&count=3")).toEqual([4, 5, 6]);
    expect(await ids("/products?after=6&count=100")).toEqual([7]);
  });

  it("answers [] past the last page", async () => {
    expect(await ids("/products?page=9&count=5")).toEqual([]);
    expect(await ids("/products?after=7")).toEqual([]);
  });

  it("formats cents to two decimals", async () => {
    const body = (await (await call("/products?after=6&count=1")).json()) as { default_price: string }[];
    expect(body[0]?.default_price).toBe("120.01");
  });
});

describe("conditional requests", () => {
  it("sends a strong ETag and answers a matching If-None-Match with 304 and no body", async () => {
    const first = await settled("/products/1/styles");
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
    const again = await call("/products/1/styles", { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("ETag")).toBe(etag);
  });

  it("answers 200 when If-None-Match names another version", async () => {
    const res = await call("/products/1", { headers: { "If-None-Match": '"stale"' } });
    expect(res.status).toBe(200);
  });

  it("also gives lists and related ids an ETag that 304s", async () => {
    for (const path of ["/products?count=2", "/products/1/related"]) {
      const etag = (await call(path)).headers.get("ETag")!;
      expect((await call(path, { headers: { "If-None-Match": etag } })).status).toBe(304);
    }
  });
});
