import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { noteInjectedFault } from "../support/logs";
import { addSku, orderCount, stockOf } from "../support/orders";
import { adminInit, callWith, jsonInit } from "../support/request";

beforeAll(async () => {
  await seedCatalog();
  await addSku(300, 100);
});

afterEach(() => vi.restoreAllMocks());

const order = (ip: string) => jsonInit("POST", { items: [{ sku_id: 300, quantity: 1 }] }, { "CF-Connecting-IP": ip });

describe("rate limits (the tight test limiter allows 3 a minute)", () => {
  it("answers 429 RATE_LIMITED with Retry-After after the configured number of orders from one address, taking nothing", async () => {
    const tight = { ORDER_RATE_LIMITER: env.TEST_TIGHT_LIMITER };
    for (let i = 0; i < 3; i++) expect((await callWith(tight, "/orders", order("203.0.113.7"))).status).toBe(201);
    const [stock, orders] = [await stockOf(300), await orderCount()];
    const limited = await callWith(tight, "/orders", order("203.0.113.7"));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("60");
    expect(await limited.json()).toMatchObject({ error: "RATE_LIMITED" });
    expect([await stockOf(300), await orderCount()]).toEqual([stock, orders]);
  });

  it("keeps serving another address", async () => {
    const tight = { ORDER_RATE_LIMITER: env.TEST_TIGHT_LIMITER };
    expect((await callWith(tight, "/orders", order("198.51.100.9"))).status).toBe(201);
  });

  it("limits admin writes per address, after the token check", async () => {
    const tight = { ADMIN_RATE_LIMITER: env.TEST_TIGHT_LIMITER };
    const restock = (ip: string, token = true) => {
      const init = jsonInit("POST", { delta: 1 }, { "CF-Connecting-IP": ip });
      return callWith(tight, "/skus/300/stock", token ? adminInit(init) : init);
    };
    // Requests without the token are 401 and don't use up the admin's budget.
    for (let i = 0; i < 5; i++) expect((await restock("192.0.2.44", false)).status).toBe(401);
    for (let i = 0; i < 3; i++) expect((await restock("192.0.2.44")).status).toBe(200);
    expect((await restock("192.0.2.44")).status).toBe(429);
    expect((await restock("192.0.2.45")).status).toBe(200);
  });

  it("does not limit catalog reads", async () => {
    const tight = { ORDER_RATE_LIMITER: env.TEST_TIGHT_LIMITER, ADMIN_RATE_LIMITER: env.TEST_TIGHT_LIMITER };
    const init = { headers: { "CF-Connecting-IP": "203.0.113.7" } };
    for (let i = 0; i < 6; i++) expect((await callWith(tight, "/products/1/styles", init)).status).toBe(200);
  });

  it("lets a burst of 60 orders from one address through with the local configuration (1,000 a minute)", async () => {
    // The configured binding, not the tight one: demos and load tests must run unthrottled.
    const statuses = await Promise.all(Array.from({ length: 60 }, () => callWith({}, "/orders", order("203.0.113.200"))));
    expect(statuses.every((r) => r.status === 201)).toBe(true);
  });

  it("lets an order through, and logs it once, when the limiter binding itself fails", async () => {
    const errors = vi.spyOn(console, "error");
    const broken = { limit: () => { noteInjectedFault(); return Promise.reject(new Error("rate limiter unavailable")); } } as unknown as RateLimit;
    const [stock, orders] = [await stockOf(300), await orderCount()];
    const res = await callWith({ ORDER_RATE_LIMITER: broken }, "/orders", order("203.0.113.50"));
    expect(res.status).toBe(201);
    expect([await stockOf(300), await orderCount()]).toEqual([stock! - 1, orders + 1]);
    const lines = errors.mock.calls.map((args) => JSON.parse(String(args[0])) as { event: string });
    expect(lines.filter((l) => l.event === "rate_limiter_failed")).toHaveLength(1);
  });
});
