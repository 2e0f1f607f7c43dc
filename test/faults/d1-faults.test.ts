import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../support/admin";
import { faultyD1 } from "../support/faults";
import { seedCatalog } from "../support/fixtures";
import { adminInit, callWith, jsonInit } from "../support/request";

beforeAll(seedCatalog);

const noCache = { READ_CACHE_MS: "0" };

describe("D1 faults answer 503, never 500, and lose nothing", () => {
  it("retries a failed read once and answers normally", async () => {
    const { db, left } = faultyD1({ reads: 1 });
    const res = await callWith({ ...noCache, DB: db }, "/products/1/styles");
    expect(res.status).toBe(200);
    expect(left.reads).toBe(0);
  });

  it("answers 503 UNAVAILABLE with Retry-After and no internals when the read fails twice", async () => {
    const { db } = faultyD1({ reads: 2 });
    const res = await callWith({ ...noCache, DB: db }, "/products?count=2");
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("1");
    const body = (await res.json()) as Record<string, string>;
    expect(body).toEqual({ error: "UNAVAILABLE", message: expect.any(String), request_id: expect.any(String) });
    expect(body.message).not.toMatch(/D1_ERROR|overloaded|SELECT/);
  });

  it("answers the same 503 when the failed statement was built by Drizzle, which wraps the error", async () => {
    const { db } = faultyD1({ reads: 1 });
    const res = await callWith({ DB: db }, "/products/1/related", adminInit(jsonInit("PUT", [2])));
    expect(res.headers.get("Retry-After")).toBe("1");
    await expectError(res, 503, "UNAVAILABLE", "The catalog database is unavailable; nothing was changed. Retry shortly.");
  });

  it("answers 503 for a failed write batch and leaves the product exactly as it was", async () => {
    const before = await env.DB.prepare("SELECT * FROM products WHERE id = 3").first();
    const features = await env.DB.prepare("SELECT count(*) AS n FROM features WHERE product_id = 3").first<number>("n");
    const { db } = faultyD1({ writes: 1 });
    const body = { name: "Half written?", features: [{ feature: "A", value: "B" }] };
    const res = await callWith({ DB: db }, "/products/3", adminInit(jsonInit("PATCH", body)));
    expect(res.status).toBe(503);
    expect(await env.DB.prepare("SELECT * FROM products WHERE id = 3").first()).toEqual(before);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM features WHERE product_id = 3").first<number>("n")).toBe(features);
  });

  it("answers 503 for a failed create and writes no product", async () => {
    const count = await env.DB.prepare("SELECT count(*) AS n FROM products").first<number>("n");
    const { db } = faultyD1({ writes: 1 });
    const res = await callWith({ DB: db }, "/products", adminInit(jsonInit("POST", { name: "Ghost", category: "X", default_price: "1.00" })));
    expect(res.status).toBe(503);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM products").first<number>("n")).toBe(count);
  });

  it("answers OUTCOME_UNKNOWN when a write's answer is lost after D1 may have committed it, not UNAVAILABLE", async () => {
    const { db } = faultyD1({ writes: 1, lostAnswers: true });
    const res = await callWith({ DB: db }, "/products/4", adminInit(jsonInit("PATCH", { slogan: "Maybe written" })));
    expect(res.status).toBe(503);
    expect(res.headers.get("Retry-After")).toBe("1");
    expect(await res.json()).toMatchObject({ error: "OUTCOME_UNKNOWN" });
    // It was written: UNAVAILABLE ("nothing was changed") would have been a lie.
    expect(await env.DB.prepare("SELECT slogan FROM products WHERE id = 4").first<string>("slogan")).toBe("Maybe written");
  });
});
