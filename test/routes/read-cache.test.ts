import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ReadCache, readCacheMs } from "../../src/cache/read-cache";
import { MAX_READ_CACHE_MS } from "../../src/cache/timing";
import { countingD1 } from "../support/counting-d1";
import { seedCatalog } from "../support/fixtures";
import { callWith } from "../support/request";

beforeAll(seedCatalog);
afterEach(() => vi.useRealTimers());

const on = { READ_CACHE_MS: "1000" };
const MISS = /^cache;desc=miss, db;dur=\d+\.\d$/;

describe("the read cache", () => {
  for (const path of ["/products/3", "/products/3/styles", "/products/1/related", "/categories"]) {
    it(`answers GET ${path} from memory on the second read: byte-identical, same ETag, no D1 statement`, async () => {
      vi.useFakeTimers({ toFake: ["Date"] }); // a fresh minute: nothing earlier is still cached
      vi.setSystemTime(Date.now() + 60_000);
      const first = await callWith(on, path);
      expect(first.headers.get("Server-Timing")).toMatch(MISS);
      const counter = countingD1();
      const hit = await callWith({ ...on, DB: counter.db }, path);
      expect(hit.headers.get("Server-Timing")).toBe("cache;desc=hit");
      expect(await hit.text()).toBe(await first.text());
      expect(hit.headers.get("ETag")).toBe(first.headers.get("ETag"));
      expect(counter.executed).toEqual([]);
    });
  }

  it("stops serving an answer READ_CACHE_MS after its D1 read was sent", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 120_000);
    expect((await callWith(on, "/products/1")).headers.get("Server-Timing")).toMatch(MISS);
    vi.setSystemTime(Date.now() + 999);
    expect((await callWith(on, "/products/1")).headers.get("Server-Timing")).toBe("cache;desc=hit");
    vi.setSystemTime(Date.now() + 1);
    expect((await callWith(on, "/products/1")).headers.get("Server-Timing")).toMatch(MISS);
  });

  it("keeps nothing for an unknown product", async () => {
    expect((await callWith(on, "/products/9999")).status).toBe(404);
    const counter = countingD1();
    expect((await callWith({ ...on, DB: counter.db }, "/products/9999")).status).toBe(404);
    expect(counter.executed).toHaveLength(1);
  });

  it("answers 304 from a hit", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 180_000);
    const first = await callWith(on, "/products/1");
    const hit = await callWith(on, "/products/1", { headers: { "If-None-Match": first.headers.get("ETag")! } });
    expect(hit.status).toBe(304);
    expect(hit.headers.get("Server-Timing")).toBe("cache;desc=hit");
  });

  it("reads D1 every time when READ_CACHE_MS is 0, and says nothing about a cache", async () => {
    const counter = countingD1();
    for (let i = 0; i < 2; i++) expect((await callWith({ DB: counter.db, READ_CACHE_MS: "0" }, "/products/5")).headers.get("Server-Timing")).toMatch(/^db;dur=/);
    expect(counter.executed).toHaveLength(2);
  });

  it("serves a client holding a bookmark only an answer at least that fresh", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 240_000);
    const first = await callWith(on, "/products/2");
    const entryBookmark = first.headers.get("X-D1-Bookmark")!;
    const sameOrOlder = await callWith(on, "/products/2", { headers: { "X-D1-Bookmark": entryBookmark } });
    expect(sameOrOlder.headers.get("Server-Timing")).toBe("cache;desc=hit");
    expect(sameOrOlder.headers.get("X-D1-Bookmark")).toBe(entryBookmark);
    const newer = `${entryBookmark}z`; // sorts after it: bookmarks sort oldest to newest
    const skipped = await callWith(on, "/products/2", { headers: { "X-D1-Bookmark": newer } });
    expect(skipped.headers.get("Server-Timing")).toMatch(MISS);
  });
});

describe("ReadCache", () => {
  const entry = (readAt: number, body = "b") => ({ body, etag: '"e"', bookmark: null, readAt });

  it("forgets the least recently stored key first once full", () => {
    const cache = new ReadCache(2);
    cache.set("a", entry(1));
    cache.set("b", entry(1));
    cache.set("c", entry(1));
    expect([cache.get("a", 1000, undefined, 2), cache.get("b", 1000, undefined, 2)?.body, cache.get("c", 1000, undefined, 2)?.body]).toEqual([undefined, "b", "b"]);
  });

  it("keeps the newer of two reads that finish out of order", () => {
    const cache = new ReadCache();
    cache.set("k", entry(20, "newer"));
    cache.set("k", entry(10, "older"));
    expect(cache.get("k", 1000, undefined, 21)?.body).toBe("newer");
  });

  it("takes READ_CACHE_MS as a whole number of ms, 0 for off, the default for junk, and never more than the order-stock bound allows", () => {
    expect([readCacheMs("0"), readCacheMs("250"), readCacheMs(undefined), readCacheMs("soon"), readCacheMs("-5"), readCacheMs("60000")])
      .toEqual([0, 250, 1000, 1000, 1000, MAX_READ_CACHE_MS]);
  });
});
