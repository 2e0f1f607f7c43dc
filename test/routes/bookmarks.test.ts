import { beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { placeOrder } from "../support/orders";
import { adminInit, call, callWith, jsonInit } from "../support/request";

beforeAll(seedCatalog);

describe("D1 read-replica bookmarks", () => {
  // The read cache on (READ_CACHE_MS), so the old answer is cached when the write lands.
  const cached = { READ_CACHE_MS: "1000" };

  it("answers a write with X-D1-Bookmark, and a read that sends it back sees the write, past the read cache", async () => {
    await callWith(cached, "/products/1"); // the read cache holds the old name
    const write = await call("/products/1", adminInit(jsonInit("PATCH", { name: "Camo Onesie II" })));
    expect(write.status).toBe(200);
    const bookmark = write.headers.get("X-D1-Bookmark");
    expect(bookmark).toMatch(/^[A-Za-z0-9._:-]+$/);

    const read = await callWith(cached, "/products/1", { headers: { "X-D1-Bookmark": bookmark! } });
    expect(((await read.json()) as { name: string }).name).toBe("Camo Onesie II");
    expect(read.headers.get("Server-Timing")).toMatch(/^cache;desc=miss, db;dur=/);
    expect(read.headers.get("X-D1-Bookmark")).toBeTruthy();
  });

  it("answers an order with the bookmark of the serializer's write, good for reading it back", async () => {
    const placed = await placeOrder([{ sku_id: 37, quantity: 1 }]);
    const bookmark = placed.headers.get("X-D1-Bookmark");
    expect(bookmark).toBeTruthy();
    const id = ((await placed.json()) as { id: string }).id;
    expect((await call(`/orders/${id}`, { headers: { "X-D1-Bookmark": bookmark! } })).status).toBe(200);
  });

  it("answers a restock with the bookmark of its write, good for reading the new stock back past the cache", async () => {
    const stockOf37 = async (res: Response) =>
      ((await res.json()) as { results: { skus: Record<string, { quantity: number }> }[] }).results.find((s) => "37" in s.skus)!.skus["37"]!.quantity;
    const before = await stockOf37(await callWith(cached, "/products/1/styles")); // the read cache holds the old stock
    const res = await call("/skus/37/stock", adminInit(jsonInit("POST", { delta: 3 })));
    expect(await res.json()).toEqual({ sku_id: 37, quantity: before + 3, available: before + 3 });
    const bookmark = res.headers.get("X-D1-Bookmark");
    expect(bookmark).toMatch(/^[A-Za-z0-9._:-]+$/);

    const read = await callWith(cached, "/products/1/styles", { headers: { "X-D1-Bookmark": bookmark! } });
    expect(read.headers.get("Server-Timing")).toMatch(/^cache;desc=miss, db;dur=[\d.]+$/);
    expect(await stockOf37(read)).toBe(before + 3);
  });

  it("answers 400 for a header that can't be a bookmark", async () => {
    const res = await call("/products/1", { headers: { "X-D1-Bookmark": "not a bookmark; drop table" } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "VALIDATION_ERROR", details: [{ field: "X-D1-Bookmark" }] });
  });

  it("opens no D1 session for /health", async () => {
    expect((await call("/health")).headers.get("X-D1-Bookmark")).toBeNull();
  });
});
