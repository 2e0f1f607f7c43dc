import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { createProduct, updateProduct } from "../../src/services/catalog-writes";
import { createStyle, updateStyle } from "../../src/services/style-writes";
import { catalogSnapshot } from "../support/admin";
import { REPLICA_POLL_SQL } from "../../src/cache/fresh-here";
import { countingD1 } from "../support/counting-d1";
import { seedCatalog } from "../support/fixtures";
import { adminInit, callWith } from "../support/request";

beforeAll(seedCatalog);

// The routes' validation keeps these inputs out; here the services get them directly, so that the
// database's own constraints fail the LAST statement of a write and the batch must undo the rest.

const badSkuLast = [{ size: "M", quantity: 1 }, { size: "L", quantity: -1 }];
const badFeatureLast = [{ feature: "Fabric", value: "Wool" }, { feature: null as unknown as string, value: null }];

describe("a write that fails part-way leaves nothing half-written", () => {
  it("creating a default style whose last sku breaks a constraint leaves no style, photo or sku, and the old default", async () => {
    const before = await catalogSnapshot();
    const write = createStyle(env.DB, 1, {
      name: "Broken", original_price: 100, "default?": true,
      photos: [{ url: "https://img.test/x.jpg", thumbnail_url: "https://img.test/x-t.jpg" }], skus: badSkuLast,
    });
    await expect(write).rejects.toThrow(/CHECK constraint failed: skus_quantity_non_negative/);
    expect(await catalogSnapshot()).toEqual(before);
  });

  it("creating a product whose last feature breaks a constraint leaves no product", async () => {
    const before = await catalogSnapshot();
    await expect(createProduct(env.DB, { name: "Broken", category: "Misc", default_price: 100, features: badFeatureLast }))
      .rejects.toThrow(/NOT NULL constraint failed: features\.feature/);
    expect(await catalogSnapshot()).toEqual(before);
  });

  it("a product update that fails on its last feature keeps the old fields and features", async () => {
    const before = await catalogSnapshot();
    await expect(updateProduct(env.DB, 1, { name: "Renamed", features: badFeatureLast })).rejects.toThrow(/NOT NULL/);
    expect(await catalogSnapshot()).toEqual(before);
  });

  it("a style update that fails on its last new sku keeps the old name, photos and skus", async () => {
    const before = await catalogSnapshot();
    const write = updateStyle(env.DB, 1, { name: "Renamed", photos: [], skus: [{ size: "M", quantity: 1 }, { size: "L", quantity: -1 }] });
    await expect(write).rejects.toThrow(/CHECK constraint failed/);
    expect(await catalogSnapshot()).toEqual(before);
  });
});

describe("each write reaches D1 as one batch", () => {
  const through = async (method: string, path: string, body?: unknown) => {
    const counter = countingD1();
    const res = await callWith({ DB: counter.db }, path, adminInit({ method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
    // The write answers once its location's replica shows it: that poll comes after the write itself.
    const polls = counter.executed.filter((sql) => sql === REPLICA_POLL_SQL).length;
    expect(polls).toBe(res.status < 300 ? 1 : 0);
    return { status: res.status, batches: counter.batches, executed: counter.executed.filter((sql) => sql !== REPLICA_POLL_SQL) };
  };

  it("POST /products with features: one batch of insert, features and read-back", async () => {
    expect(await through("POST", "/products", { name: "Cap", category: "Hats", default_price: "1", features: [{ feature: "F", value: null }] }))
      .toEqual({ status: 201, batches: [3], executed: [] });
  });

  it("PATCH /products/:id with features: one batch", async () => {
    expect(await through("PATCH", "/products/2", { name: "Shades", features: [{ feature: "UV", value: "400" }] }))
      .toEqual({ status: 200, batches: [4], executed: [] });
  });

  it("POST /products/:id/styles as the default, with photos and skus: one batch", async () => {
    const body = { name: "Red", original_price: "1", "default?": true, photos: [{ url: "https://a.test/1", thumbnail_url: "https://a.test/2" }], skus: [{ size: "M", quantity: 1 }] };
    expect(await through("POST", "/products/2/styles", body)).toEqual({ status: 201, batches: [5], executed: [] });
  });

  it("DELETE /styles/:id: one statement, the cascade doing the rest", async () => {
    const res = await through("DELETE", "/styles/3");
    expect(res).toMatchObject({ status: 204, batches: [] });
    expect(res.executed).toHaveLength(1);
  });

  it("DELETE /products/:id: one statement, the cascade doing the rest", async () => {
    const res = await through("DELETE", "/products/6");
    expect(res).toMatchObject({ status: 204, batches: [] });
    expect(res.executed).toHaveLength(1);
  });
});
