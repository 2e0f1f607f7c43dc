import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderSerializer } from "../../src/durable-objects/order-serializer";
import { interceptedD1 } from "../support/faults";
import { seedCatalog } from "../support/fixtures";
import { addSku } from "../support/orders";
import { type CartBody, checkout, linesOf, newCart, putItem, serializer, soldOf, stockRow } from "../support/carts";

// Holds go through the order serializer's groups (docs/decisions/carts.md): decided in arrival order
// against one read, written in one batch, with CHECK (quantity >= 0) behind them.

beforeAll(seedCatalog);

/** Runs `work` inside the serializer with its D1 swapped (as order-groups.test.ts does). */
async function withDb<T>(db: D1Database, work: (object: OrderSerializer) => Promise<T>): Promise<T> {
  return runInDurableObject(serializer(), async (instance: OrderSerializer) => {
    const holder = instance as unknown as { env: Env };
    const real = holder.env;
    holder.env = { ...real, DB: db };
    try {
      return await work(instance);
    } finally {
      holder.env = real;
    }
  });
}

let n = 0;
const order = (skuId: number, quantity: number) => ({ items: [{ sku_id: skuId, quantity }], idempotencyKey: `cart-groups-${n++}`, requestHash: `h${n}` });
const checkoutReq = (cartId: string) => ({ cartId, idempotencyKey: `cart-groups-${n++}`, requestHash: `cart:${cartId}`, ifMatch: null });
const cartWrites = (batches: { sql: string }[][]) => batches.filter((b) => b.some((s) => /^(INSERT INTO (orders|cart_items)|DELETE FROM cart_items)\b/.test(s.sql)));

describe("a flash sale on carts", () => {
  it("gives 10 of 300 buyers a hold on the last 10 units, 290 an accurate 409; the 10 check out; stock 0, sold 10", async () => {
    await addSku(900, 10);
    const carts = await Promise.all(Array.from({ length: 300 }, () => newCart()));
    const holds = await Promise.all(carts.map((c) => putItem(c.id, 900, 1)));
    const statuses = holds.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(290);
    for (const r of holds.filter((h) => h.status === 409)) {
      expect(await r.json()).toMatchObject({ error: "OUT_OF_STOCK", details: [{ sku_id: 900, requested: 1, available: 0 }] });
    }
    expect(await stockRow(900)).toEqual({ quantity: 0, held: 10 });
    const winners = carts.filter((_, i) => statuses[i] === 200);
    const orders = await Promise.all(winners.map((c) => checkout(c.id)));
    expect(orders.map((r) => r.status)).toEqual(Array(10).fill(201));
    const ids = await Promise.all(orders.map(async (r) => ((await r.json()) as { id: string; items: { sku_id: number; quantity: number }[] })));
    expect(new Set(ids.map((o) => o.id)).size).toBe(10);
    for (const o of ids) expect(o.items.map((i) => [i.sku_id, i.quantity])).toEqual([[900, 1]]);
    expect([await stockRow(900), await soldOf(900), await linesOf(900)]).toEqual([{ quantity: 0, held: 0 }, 10, []]);
  });
});

describe("one group of orders and cart requests", () => {
  it("decides holds, releases, orders and checkouts in arrival order against one read, with one write", async () => {
    await Promise.all([addSku(910, 3), addSku(911, 5)]);
    const [c1, c2] = [await newCart(), await newCart()];
    await putItem(c2.id, 910, 1);
    const { db, batches } = interceptedD1();
    const outcomes = await withDb(db, async (o) => {
      const first = o.placeOrder(order(911, 1)); // a stage alone: the rest queue behind it, as one group
      const rest = [
        o.setCartItem(c1.id, 910, 2), o.placeOrder(order(910, 1)), o.setCartItem(c1.id, 910, 0),
        o.placeOrder(order(910, 2)), o.checkoutCart(checkoutReq(c2.id)), o.placeOrder(order(910, 1)),
      ];
      return Promise.all([first, ...rest]);
    });
    expect(outcomes.map((x) => (x.ok ? "ok" : x.code))).toEqual(["ok", "ok", "OUT_OF_STOCK", "ok", "ok", "ok", "OUT_OF_STOCK"]);
    expect(outcomes[2]).toMatchObject({ details: [{ sku_id: 910, requested: 1, available: 0 }] });
    expect(cartWrites(batches)).toHaveLength(2);
    expect([await stockRow(910), await soldOf(910), await linesOf(910)]).toEqual([{ quantity: 0, held: 0 }, 3, []]);
    const c1Body = JSON.parse((outcomes[1] as { body: string }).body) as CartBody;
    expect(c1Body.items).toEqual([]); // the cart as the group left it
  });

  it("places many holds in fewer write batches than holds", async () => {
    await addSku(912, 100);
    const carts = await Promise.all(Array.from({ length: 20 }, () => newCart()));
    const { db, batches } = interceptedD1();
    const outcomes = await withDb(db, (o) => Promise.all(carts.map((c) => o.setCartItem(c.id, 912, 2))));
    expect(outcomes.every((x) => x.ok)).toBe(true);
    expect(cartWrites(batches).length).toBeLessThan(20);
    expect(await stockRow(912)).toEqual({ quantity: 60, held: 40 });
  });

  it("is decided again from a fresh read when stock changed outside the serializer after its read: the CHECK refuses the hold, the answer is exact", async () => {
    await addSku(913, 2);
    const cart = await newCart();
    let emptied = false;
    const { db, batches } = interceptedD1(async (batch) => {
      if (!emptied && batch.some((s) => s.sql.startsWith("INSERT INTO cart_items"))) {
        emptied = true; // a manual SQL fix, or a second object during a deploy
        await env.DB.prepare("UPDATE skus SET quantity = 1 WHERE id = 913").run();
      }
    });
    const [outcome] = await withDb(db, (o) => Promise.all([o.setCartItem(cart.id, 913, 2)]));
    expect(outcome).toMatchObject({ ok: false, code: "OUT_OF_STOCK", details: [{ sku_id: 913, requested: 2, available: 1 }] });
    expect(cartWrites(batches)).toHaveLength(1); // the failed one: nothing of it was applied
    expect(await stockRow(913)).toEqual({ quantity: 1, held: 0 });
  });
});
