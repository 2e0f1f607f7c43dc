import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ALLOWED_FULL_SCANS, SQL_STATEMENTS } from "../../src/db/statements";
import { countingD1 } from "../support/counting-d1";
import { seedCatalog } from "../support/fixtures";
import { addSku, placeOrder } from "../support/orders";
import { adminInit, callWith, jsonInit } from "../support/request";
import { dummyParams, fullScans } from "../support/query-plans";

async function plan(sql: string, params: unknown[]): Promise<string[]> {
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
  return rows.results.map((r) => r.detail);
}

/** `INSERT INTO t (…) VALUES (…)` with no SELECT, FROM, WHERE or RETURNING: nothing for SQLite to plan. */
const readsNoTable = (sql: string) => /^\s*INSERT\b/i.test(sql) && !/\b(SELECT|FROM|WHERE|RETURNING|JOIN)\b/i.test(sql);

const recorder = countingD1();

/** Every route that reaches D1 from the Worker (the serializer's statements are all in SQL_STATEMENTS). */
async function exerciseEveryRoute(): Promise<void> {
  const send = (path: string, init?: RequestInit) => callWith({ DB: recorder.db, READ_CACHE_MS: "0" }, path, init);
  const admin = (method: string, path: string, body?: unknown) => send(path, adminInit(body === undefined ? { method } : jsonInit(method, body)));
  for (const path of ["/products", "/products?page=2&count=2", "/products?after=1&count=2", "/products/1", "/products/1/styles", "/products/1/related",
    "/search?q=kicks&in_stock=true&max_price=100", "/search?category=Kicks&min_price=1", "/search?in_stock=true", "/search/suggest?q=jog", "/categories"]) {
    await send(path);
  }
  const created = (await (await admin("POST", "/products", { name: "Plan", category: "X", default_price: "1.00", features: [{ feature: "a", value: "b" }] })).json()) as { id: number };
  await admin("PUT", `/products/${created.id}`, { name: "Plan 2", category: "X", default_price: "2.00", features: [] });
  await admin("PATCH", `/products/${created.id}`, { name: "Plan 3", features: [{ feature: "c", value: null }] });
  const style = (await (await admin("POST", `/products/${created.id}/styles`, {
    name: "S", original_price: "3.00", "default?": true, photos: [{ url: "https://x.test/a.jpg", thumbnail_url: "https://x.test/b.jpg" }],
    skus: [{ size: "M", quantity: 3 }, { size: "L", quantity: 1 }],
  })).json()) as { style_id: number; skus: Record<string, unknown> };
  const [keep] = Object.keys(style.skus);
  await admin("PATCH", `/styles/${style.style_id}`, { name: "S2", "default?": true, photos: [], skus: [{ sku_id: Number(keep) }, { size: "XL", quantity: 2 }] });
  await admin("PUT", `/products/${created.id}/related`, [1, 2]);
  await admin("DELETE", `/styles/${style.style_id}`);
  await admin("DELETE", `/products/${created.id}`);
  const order = (await (await placeOrder([{ sku_id: 250, quantity: 1 }])).json()) as { id: string };
  await send(`/orders/${order.id}`);
  const page = (await (await admin("GET", "/orders?limit=1")).json()) as { next_cursor: string | null };
  await admin("GET", `/orders?limit=1&cursor=${page.next_cursor}`);
}

beforeAll(async () => {
  await seedCatalog();
  await addSku(250, 10);
  await placeOrder([{ sku_id: 250, quantity: 1 }]);
  await exerciseEveryRoute();
});

describe("every SQL statement searches an index instead of scanning a growing table", () => {
  for (const [name, sql] of Object.entries(SQL_STATEMENTS)) {
    it(`${name} has no full scan${ALLOWED_FULL_SCANS.has(sql) ? " (OFFSET paging: the documented exception)" : ""}`, async () => {
      const details = await plan(sql, dummyParams(sql));
      // A plan with no lines would make "no full scan" true of anything, so only a statement that reads
      // no table at all (INSERT … VALUES) may have one; every other statement must show its plan.
      if (readsNoTable(sql)) expect(details).toEqual([]);
      else expect(details.length).toBeGreaterThanOrEqual(1);
      if (ALLOWED_FULL_SCANS.has(sql)) return;
      expect(fullScans(sql, details)).toEqual([]);
    });
  }

  it("no statement the Worker ran across every route scans a growing table", async () => {
    const distinct = new Map(recorder.seen.map((s) => [s.sql, s.params]));
    expect(distinct.size).toBeGreaterThan(15);
    const offenders: string[] = [];
    for (const [sql, params] of distinct) {
      if (ALLOWED_FULL_SCANS.has(sql)) continue;
      const scans = fullScans(sql, await plan(sql, params));
      if (scans.length > 0) offenders.push(`${scans.join("; ")} ← ${sql.replace(/\s+/g, " ").slice(0, 160)}`);
    }
    expect(offenders).toEqual([]);
  });

  it("plans a table-reading INSERT, so only a plain INSERT … VALUES may have an empty plan", async () => {
    const values = "INSERT INTO order_lines (order_id, line_no, sku_id, product_id, style_id, product_name, style_name, size, quantity, unit_price) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    const select = "INSERT INTO features (product_id, feature, value) SELECT p.id, 'f', NULL FROM products AS p WHERE p.name = ?1";
    expect(readsNoTable(values)).toBe(true);
    expect(await plan(values, dummyParams(values))).toEqual([]);
    expect(readsNoTable(select)).toBe(false);
    expect(fullScans(select, await plan(select, ["x"]))).toEqual(["SCAN p"]);
  });

  it("the checker itself flags a scan of a growing table (so the tests above can fail)", async () => {
    const bad = "SELECT id FROM skus AS k WHERE k.size = ?1";
    expect(fullScans(bad, await plan(bad, ["M"]))).toEqual(["SCAN k"]);
    const pageScan = [...ALLOWED_FULL_SCANS][0]!;
    expect(fullScans(pageScan, await plan(pageScan, [0, 5]))).toEqual(["SCAN products"]);
  });
});

// EXPLAIN QUERY PLAN of a write doesn't show what its triggers run, so each statement inside each
// trigger of migrations/0002_search.sql is planned on its own, with new./old. columns as parameters.
describe("every statement a search trigger runs searches an index", () => {
  async function triggerStatements(): Promise<{ trigger: string; sql: string }[]> {
    const rows = await env.DB.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all<{ name: string; sql: string }>();
    return rows.results.flatMap((t) => {
      const body = t.sql.slice(t.sql.search(/\bBEGIN\b/) + 5, t.sql.lastIndexOf("END")).trim();
      return body.split(/;\s*(?=INSERT|UPDATE|DELETE|$)/).map((s) => s.trim()).filter(Boolean)
        .map((sql) => ({ trigger: t.name, sql: sql.replace(/\b(?:new|old)\.\w+/g, "?") }));
    });
  }

  it("finds the triggers' statements (so the test below can fail)", async () => {
    const statements = await triggerStatements();
    expect(new Set(statements.map((s) => s.trigger)).size).toBeGreaterThanOrEqual(10);
    expect(statements.length).toBeGreaterThanOrEqual(20);
  });

  it("no trigger statement scans a growing table", async () => {
    const offenders: string[] = [];
    for (const { trigger, sql } of await triggerStatements()) {
      const scans = fullScans(sql, await plan(sql, dummyParams(sql)));
      if (scans.length > 0) offenders.push(`${trigger}: ${scans.join("; ")} <- ${sql.replace(/\s+/g, " ").slice(0, 140)}`);
    }
    expect(offenders).toEqual([]);
  });
});
