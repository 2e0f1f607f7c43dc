import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { countingD1 } from "../support/counting-d1";
import { seedCatalog } from "../support/fixtures";
import { addSku, type OrderBody, placeOrder } from "../support/orders";
import { adminInit, call, callWith } from "../support/request";

interface OrderList { orders: OrderBody[]; next_cursor: string | null }
const placedIds: string[] = [];

beforeAll(async () => {
  await seedCatalog();
  await addSku(950, 100);
  for (let i = 0; i < 7; i++) {
    const order = (await (await placeOrder([{ sku_id: 950, quantity: 1 + (i % 3) }])).json()) as OrderBody;
    placedIds.push(order.id);
  }
});

const listPage = async (query: string) => (await (await call(`/orders${query}`, adminInit())).json()) as OrderList;

describe("GET /orders (admin)", () => {
  it("lists orders newest first with their lines", async () => {
    const res = await call("/orders?limit=100", adminInit());
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const page = (await res.json()) as OrderList;
    const newestFirst = [...page.orders].sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1));
    expect(page.orders.map((o) => o.id)).toEqual(newestFirst.map((o) => o.id));
    expect(new Set(page.orders.map((o) => o.id))).toEqual(new Set(placedIds));
    expect(page.orders[0]!.items).toHaveLength(1);
    expect(page.next_cursor).toBeNull();
  });

  it("walks every order exactly once with the cursor", async () => {
    const seen: string[] = [];
    let query = "?limit=3";
    for (let pages = 0; pages < 10; pages++) {
      const page = await listPage(query);
      seen.push(...page.orders.map((o) => o.id));
      if (!page.next_cursor) break;
      query = `?limit=3&cursor=${page.next_cursor}`;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(placedIds));
  });

  it("answers each page with one SQL statement, whatever the number of orders and lines", async () => {
    const counter = countingD1();
    const res = await callWith({ DB: counter.db }, "/orders?limit=100", adminInit());
    expect(res.status).toBe(200);
    expect(counter.executed).toHaveLength(1);
  });

  it("reads one order with one SQL statement", async () => {
    const counter = countingD1();
    expect((await callWith({ DB: counter.db }, `/orders/${placedIds[0]}`)).status).toBe(200);
    expect(counter.executed).toHaveLength(1);
  });

  it("answers 401 without the admin token, and 400 for a bad limit or cursor", async () => {
    expect((await call("/orders")).status).toBe(401);
    expect((await call("/orders", { headers: { Authorization: "Bearer wrong" } })).status).toBe(401);
    for (const q of ["?limit=0", "?limit=101", "?limit=x", "?cursor=zz", "?cursor=41", "?cursor=4142"]) {
      expect((await call(`/orders${q}`, adminInit())).status, q).toBe(400);
    }
  });

  it("cancelling requires the admin token and tells an outsider nothing", async () => {
    const res = await call(`/orders/${placedIds[0]}`, { method: "DELETE" });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe("UNAUTHORIZED");
    const status = await env.DB.prepare("SELECT status FROM orders WHERE id = ?").bind(placedIds[0]).first<string>("status");
    expect(status).toBe("placed");
  });
});
