import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { cacheKeys } from "../../src/services/cache-keys";
import { fillCache } from "../support/cache";
import { faultyKv } from "../support/faults";
import { CAMO_STYLES_BODY, seedCatalog } from "../support/fixtures";
import { adminInit, callWith, jsonInit, settled } from "../support/request";

beforeAll(seedCatalog);

const nameInD1 = () => env.DB.prepare("SELECT name FROM products WHERE id = 1").first<string>("name");

describe("KV faults never fail a read", () => {
  it("serves the styles from D1 when the KV read throws", async () => {
    const { kv } = faultyKv({ get: "throw" });
    const res = await callWith({ CACHE: kv }, "/products/1/styles");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(CAMO_STYLES_BODY);
    expect(res.headers.get("Server-Timing")).toMatch(/^cache;desc=miss, db;dur=/);
  });

  it("serves from D1 when the KV read hangs (bounded by the read timeout)", async () => {
    const { kv } = faultyKv({ get: "hang" });
    const res = await callWith({ CACHE: kv }, "/products/1");
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: number }).id).toBe(1);
  });

  it("answers normally and leaves no entry when the cache fill fails", async () => {
    await settled("/products/3/styles"); // the first read only remembers the key; the second fills
    await env.CACHE.delete(cacheKeys.styles(3));
    const { kv, calls } = faultyKv({ put: "throw" });
    const res = await callWith({ CACHE: kv }, "/products/3/styles");
    expect(res.status).toBe(200);
    expect(calls.put).toBe(1);
    expect(await env.CACHE.get(cacheKeys.styles(3))).toBeNull();
  });
});

describe("KV faults never leave a stale entry after a write", () => {
  it("changes nothing and answers 503 when the cache can't be cleared before the write", async () => {
    await fillCache("/products/1");
    const before = await env.CACHE.get(cacheKeys.product(1));
    const { kv } = faultyKv({ delete: "throw" });
    const res = await callWith({ CACHE: kv }, "/products/1", adminInit(jsonInit("PATCH", { name: "Never saved" })));
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(await res.json()).toMatchObject({ error: "UNAVAILABLE" });
    expect(await nameInD1()).toBe("Camo Onesie");
    expect(await env.CACHE.get(cacheKeys.product(1))).toBe(before); // still true: nothing changed
  });

  it("saves the write when only the second (race-closing) delete fails, and the entry is gone", async () => {
    await fillCache("/products/1");
    const { kv } = faultyKv({ deleteFailuresFrom: 3 }); // two keys: deletes 1–2 succeed, 3+ fail
    const res = await callWith({ CACHE: kv }, "/products/1", adminInit(jsonInit("PATCH", { name: "Saved anyway" })));
    expect(res.status).toBe(200);
    expect(await nameInD1()).toBe("Saved anyway");
    expect(await env.CACHE.get(cacheKeys.product(1))).toBeNull();
    const read = await settled("/products/1");
    expect(((await read.json()) as { name: string }).name).toBe("Saved anyway");
  });
});
