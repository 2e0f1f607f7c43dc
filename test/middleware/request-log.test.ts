import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { faultyD1, slowD1 } from "../support/faults";
import { callWith } from "../support/request";

afterEach(() => vi.restoreAllMocks());

const logLines = (spy: { mock: { calls: unknown[][] } }) =>
  spy.mock.calls.map((args) => JSON.parse(String(args[0])) as Record<string, unknown>);

/** The whole line a GET without cache or D1 figures writes, for the response it logged. */
const expectedLine = (res: Response, fields: { level: string; event: string; route: string }) => ({
  ...fields, request_id: res.headers.get("X-Request-Id"), method: "GET", status: res.status,
  duration_ms: expect.any(Number), cache: null, d1_ms: null,
  cache_hits: expect.any(Number), cache_reads: expect.any(Number), cache_hit_ratio: expect.toSatisfy((r) => r === null || typeof r === "number"),
});

describe("the request log", () => {
  it("writes nothing for a healthy fast request", async () => {
    const spy = vi.spyOn(console, "log");
    expect((await callWith({}, "/health")).status).toBe(200);
    expect(spy).not.toHaveBeenCalled();
  });

  it("writes one JSON line for a failed request, with its id, route, status and duration", async () => {
    const spy = vi.spyOn(console, "log");
    const { db } = faultyD1({ reads: 2 });
    const res = await callWith({ DB: db, READ_CACHE_MS: "0" }, "/products/7/related");
    expect(res.status).toBe(503);
    expect(logLines(spy)).toEqual([expectedLine(res, { level: "error", event: "request_failed", route: "/products/:product_id/related" })]);
  });

  it("writes one line for a request slower than SLOW_REQUEST_MS, with the cache outcome", async () => {
    const spy = vi.spyOn(console, "log");
    const res = await callWith({ DB: slowD1(150), READ_CACHE_MS: "1000", SLOW_REQUEST_MS: "100" }, "/products/1");
    expect(res.status).toBe(404);
    const lines = logLines(spy);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "warn", event: "request_slow", status: 404, route: "/products/:product_id" });
    expect(lines[0]!.duration_ms as number).toBeGreaterThanOrEqual(100);
  });

  it("writes a line for every request, fast ones included, when SLOW_REQUEST_MS is 0", async () => {
    const spy = vi.spyOn(console, "log");
    const res = await callWith({ SLOW_REQUEST_MS: "0" }, "/health");
    expect(res.status).toBe(200);
    expect(logLines(spy)).toEqual([expectedLine(res, { level: "warn", event: "request_slow", route: "/health" })]);
  });

  it("counts the isolate's cached reads and hits on every line: a miss, then two hits", async () => {
    await env.DB.prepare("INSERT INTO products (id, name, category, default_price) VALUES (9, 'Cap', 'Hats', 1500)").run();
    const spy = vi.spyOn(console, "log");
    for (let i = 0; i < 3; i++) await callWith({ SLOW_REQUEST_MS: "0", READ_CACHE_MS: "1000" }, "/products/9");
    const [first, second, third] = logLines(spy) as { cache: string; cache_hits: number; cache_reads: number; cache_hit_ratio: number }[];
    expect([first!.cache, second!.cache, third!.cache]).toEqual(["miss", "hit", "hit"]);
    expect([second!.cache_reads - first!.cache_reads, third!.cache_reads - first!.cache_reads]).toEqual([1, 2]);
    expect([second!.cache_hits - first!.cache_hits, third!.cache_hits - first!.cache_hits]).toEqual([1, 2]);
    expect(third!.cache_hit_ratio).toBe(Number((third!.cache_hits / third!.cache_reads).toFixed(3)));
  });

  it("keeps the 1,000 ms default when SLOW_REQUEST_MS is not a number", async () => {
    const spy = vi.spyOn(console, "log");
    expect((await callWith({ SLOW_REQUEST_MS: "soon" }, "/health")).status).toBe(200);
    expect(spy).not.toHaveBeenCalled();
  });
});
