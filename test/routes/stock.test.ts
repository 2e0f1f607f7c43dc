import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { stockOf } from "../support/orders";
import { adminInit, call, jsonInit } from "../support/request";

beforeAll(seedCatalog);

const adjust = (skuId: number | string, body: unknown, init = adminInit(jsonInit("POST", body))) =>
  call(`/skus/${skuId}/stock`, init);

describe("POST /skus/:sku_id/stock (admin)", () => {
  it("adds a positive delta and answers the new quantity", async () => {
    const res = await adjust(37, { delta: 5 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sku_id: 37, quantity: 13, available: 13 });
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("removes stock with a negative delta", async () => {
    expect(await (await adjust(38, { delta: -6 })).json()).toEqual({ sku_id: 38, quantity: 10, available: 10 });
  });

  it("answers 409 OUT_OF_STOCK instead of going below zero, leaving the stock as it was", async () => {
    const res = await adjust(38, { delta: -11 });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: "OUT_OF_STOCK", details: [{ sku_id: 38, requested: 11, available: 10 }] });
    expect(await stockOf(38)).toBe(10);
  });

  it("answers 404 SKU_NOT_FOUND for an unknown sku", async () => {
    const res = await adjust(123456, { delta: 1 });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe("SKU_NOT_FOUND");
  });

  it("answers 401 before looking at the sku or the body", async () => {
    expect((await adjust(123456, { nonsense: true }, jsonInit("POST", { nonsense: true }))).status).toBe(401);
    const wrong = jsonInit("POST", { delta: 1 }, { Authorization: "Bearer not-the-token" });
    expect((await adjust(37, { delta: 1 }, wrong)).status).toBe(401);
    expect(await stockOf(37)).toBe(13);
  });

  it("answers 400 for a fractional, huge, missing or extra delta", async () => {
    for (const body of [{ delta: 1.5 }, { delta: 1e9 }, {}, { delta: 1, why: "x" }, { delta: "5" }]) {
      expect((await adjust(37, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await stockOf(37)).toBe(13);
  });

  it("never takes the stock above 1,000,000,000: a delta that would is 400 and changes nothing", async () => {
    await env.DB.prepare("UPDATE skus SET quantity = 999999999 WHERE id = 40").run();
    const over = await adjust(40, { delta: 2 });
    expect(over.status).toBe(400);
    expect(await over.json()).toMatchObject({ error: "VALIDATION_ERROR", details: [{ field: "delta" }] });
    expect(await stockOf(40)).toBe(999_999_999);
    expect(await (await adjust(40, { delta: 1 })).json()).toEqual({ sku_id: 40, quantity: 1_000_000_000, available: 1_000_000_000 });
  });

  it("replays a change made under the same Idempotency-Key instead of adding it twice", async () => {
    const keyed = (body: unknown) => adminInit(jsonInit("POST", body, { "Idempotency-Key": "restock-2026-12-06-a" }));
    const first = await adjust(37, { delta: 2 }, keyed({ delta: 2 }));
    const again = await adjust(37, { delta: 2 }, keyed({ delta: 2 }));
    expect(first.headers.get("Idempotent-Replayed")).toBeNull();
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(await stockOf(37)).toBe(15);
    const other = await adjust(37, { delta: 3 }, keyed({ delta: 3 }));
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: "IDEMPOTENCY_CONFLICT" });
    expect(await stockOf(37)).toBe(15);
  });
});
