import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { cacheKeys } from "../../src/services/cache-keys";
import { recentReads } from "../../src/services/fill-admission";
import { countingD1 } from "../support/counting-d1";
import { faultyKv } from "../support/faults";
import { seedCatalog } from "../support/fixtures";
import { callWith, settled } from "../support/request";

beforeAll(seedCatalog);

const MISS = /^cache;desc=miss, db;dur=\d+\.\d$/;

describe("KV read-through cache", () => {
  for (const [path, key] of [["/products/3", cacheKeys.product(3)], ["/products/3/styles", cacheKeys.styles(3)]] as const) {
    it(`serves GET ${path} from KV on the third request with a byte-identical body`, async () => {
      await env.CACHE.delete(key);
      const first = await settled(path);
      expect(first.headers.get("Server-Timing")).toMatch(MISS);
      const missBody = await first.text();
      const second = await settled(path);
      expect(second.headers.get("Server-Timing")).toMatch(MISS);

      const counter = countingD1();
      const hit = await callWith({ DB: counter.db }, path);
      expect(hit.headers.get("Server-Timing")).toBe("cache;desc=hit");
      expect(await hit.text()).toBe(missBody);
      expect(hit.headers.get("ETag")).toBe(first.headers.get("ETag"));
      expect(counter.executed).toEqual([]);
    });
  }

  it("stores the exact response body under the versioned key with its ETag as metadata", async () => {
    await env.CACHE.delete(cacheKeys.styles(1));
    await settled("/products/1/styles");
    const res = await settled("/products/1/styles");
    const stored = await env.CACHE.getWithMetadata<{ etag: string }>(cacheKeys.styles(1), "text");
    expect(stored.value).toBe(await res.text());
    expect(stored.metadata).toEqual({ etag: res.headers.get("ETag") });
    expect(cacheKeys.styles(1)).toBe("v1:styles:1");
  });

  it("caches nothing for an unknown product", async () => {
    await settled("/products/9999/styles");
    await settled("/products/9999/styles");
    expect(await env.CACHE.get(cacheKeys.styles(9999))).toBeNull();
  });

  it("answers 304 from a cache hit", async () => {
    await settled("/products/1");
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

describe("store on the second miss", () => {
  it("reads a product's first request from D1 alone: no KV read, no KV write", async () => {
    const { kv, calls } = faultyKv({});
    const res = await callWith({ CACHE: kv }, "/products/6/styles");
    expect(res.status).toBe(200);
    expect(res.headers.get("Server-Timing")).toMatch(MISS);
    expect(calls).toEqual({ get: 0, put: 0, delete: 0 });
    expect(await env.CACHE.get(cacheKeys.styles(6))).toBeNull();
  });

  it("asks KV on the second request, misses and stores the payload", async () => {
    await settled("/products/7");
    const { kv, calls } = faultyKv({});
    const res = await callWith({ CACHE: kv }, "/products/7");
    expect(res.headers.get("Server-Timing")).toMatch(MISS);
    expect(calls).toEqual({ get: 1, put: 1, delete: 0 });
    expect(await env.CACHE.get(cacheKeys.product(7))).toBe(await res.text());
  });

  it("remembers a bounded number of keys, forgetting the least recently read first", () => {
    const memory = recentReads(2);
    expect([memory.readBefore("a"), memory.readBefore("b"), memory.readBefore("a")]).toEqual([false, false, true]);
    expect(memory.readBefore("c")).toBe(false); // forgets b, read longest ago
    expect([memory.readBefore("a"), memory.readBefore("b")]).toEqual([true, false]);
  });
});
