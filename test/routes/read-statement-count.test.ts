import { beforeAll, describe, expect, it } from "vitest";
import { countingD1 } from "../support/counting-d1";
import { seedCatalog } from "../support/fixtures";
import { callWith } from "../support/request";

beforeAll(seedCatalog);

// Cache off ("0") so every request is a miss and reaches D1. Each route's status is the one it must
// answer, so a route that failed early (and ran no statement) can't pass by counting something else.
const routes: [string, number][] = [
  ["/products?count=5", 200],
  ["/products?page=2&count=2", 200],
  ["/products?after=2&count=2", 200],
  ["/products/1", 200],
  ["/products/1/styles", 200],
  ["/products/1/related", 200],
  ["/products/2/styles", 200],
  ["/products/999", 404],
  ["/products/999/styles", 404],
  ["/products/999/related", 404],
];

describe("every catalog read is one SQL statement", () => {
  for (const [path, status] of routes) {
    it(`GET ${path} answers ${status} after exactly one D1 statement on a cache miss`, async () => {
      const counter = countingD1();
      const res = await callWith({ DB: counter.db, READ_CACHE_MS: "0" }, path);
      expect(res.status).toBe(status);
      expect(counter.executed).toHaveLength(1);
      expect(counter.batches).toEqual([]);
    });
  }

  it("a styles payload for a product with many styles, photos and skus is still one statement", async () => {
    const counter = countingD1();
    const res = await callWith({ DB: counter.db, READ_CACHE_MS: "0" }, "/products/1/styles");
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(2);
    expect(counter.executed).toHaveLength(1);
  });
});
