import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { cacheKeys } from "../../src/services/cache-keys";
import { countingD1 } from "../support/counting-d1";
import { seedCatalog } from "../support/fixtures";
import { callWith, settled } from "../support/request";

beforeAll(seedCatalog);

describe("KV read-through cache", () => {
  for (const [path, key] of [["/products/3", cacheKeys.product(3)], ["/products/3/styles", cacheKeys.styles(3)]] as const) {
    it(`serves GET ${path} from KV on the second request with a byte-identical body`, async () => {
      await env.CACHE.delete(key);
      const miss = await settled(path);
      expect(miss.headers.get("Server-Timing")).toMatch(/^cache;desc=miss, db;dur=\d+\.\d$/);
      const missBody = await miss.text();

      const counter = countingD1();
      const hit = await callWith({ DB: counter.db }, path);
      expect(hit.headers.get("Server-Timing")).toBe("cache;desc=hit");
      expect(await hit.text()).toBe(missBody);
      expect(hit.headers.get("ETag")).toBe(miss.headers.get("ETag"));
      expect(counter.executed).toEqual([]);
    });
  }

  it("stores the exact response body under the versioned key with its ETag as metadata", async () => {
    await env.CACHE.delete(cacheKeys.styles(1));
    const res = await settled("/products/1/styles");
    const stored = await env.CACHE.getWithMetadata<{ etag: string }>(cacheKeys.styles(1), "text");
    expect(stored.value).toBe(await res.text());
    expect(stored.metadata).toEqual({ etag: res.headers.get("ETag") });
    expect(cacheKeys.styles(1)).toBe("v1:styles:1");
  });

  it("caches nothing for an unknown product", async () => {
    await settled("/products/9999/styles");
    expect(await env.CACHE.get(cacheKeys.styles(9999))).toBeNull();
  });

  it("answers 304 from a cache hit", async () => {
    const first = await settled("/products/1");
    const hit = await settled("/products/1", { headers: { "If-None-Match": first.headers.get("ETag")! } });
    expect(hit.status).toBe(304);
    expect(hit.headers.get("Server-Timing")).toBe("cache;desc=hit");
  });

  it("reads straight from D1 and writes nothing to KV when the TTL is 0", async () => {
    await env.CACHE.delete(cacheKeys.product(5));
    const res = await callWith({ CACHE_TTL_SECONDS: "0" }, "/products/5");
    expect(res.headers.get("Server-Timing")).toMatch(/^db;dur=/);
    expect(await env.CACHE.get(cacheKeys.product(5))).toBeNull();
  });
});
