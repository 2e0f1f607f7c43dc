import { beforeAll, describe, expect, it } from "vitest";
import { countingD1 } from "../support/counting-d1";
import { seedCatalog } from "../support/fixtures";
import { callWith } from "../support/request";

beforeAll(seedCatalog);

// Cache off ("0") so every request is a miss and reaches D1.
const routes = [
  "/products?count=5",
  "/products?page=2&count=2",
  "/products?after=2&count=2",
  "/products/1",
  "/products/1/styles",
  "/products/1/related",
  "/products/2/styles",
  "/products/999",
  "/products/999/styles",
  "/products/999/related",
];

describe("every catalog read is one SQL statement", () => {
  for (const path of routes) {
    it(`GET ${path} runs exactly one D1 statement on a cache miss`, async () => {
      const counter = countingD1();
      const res = await callWith({ DB: counter.db, CACHE_TTL_SECONDS: "0" }, path);
      expect([200, 404]).toContain(res.status);
      expect(counter.executed).toHaveLength(1);
      expect(counter.batches).toEqual([]);
    });
  }

  it("a styles payload for a product with many styles, photos and skus is still one statement", async () => {
    const counter = countingD1();
    const res = await callWith({ DB: counter.db, CACHE_TTL_SECONDS: "0" }, "/products/1/styles");
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(2);
    expect(counter.executed).toHaveLength(1);
  });
});
