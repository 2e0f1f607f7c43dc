import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderSerializer } from "../../src/durable-objects/order-serializer";
import type { PlaceOrderOutcome } from "../../src/services/order-outcome";
import { GROUP_WRITE_ATTEMPTS } from "../../src/services/stock-group";
import { serializerStub } from "../../src/durable-objects/serializer-client";
import { interceptedD1 } from "../support/faults";
import { seedCatalog } from "../support/fixtures";
import { addSku, cancelOrder, orderCount, type OrderBody, placeOrder, stockOf } from "../support/orders";
import { adminInit, call, jsonInit } from "../support/request";
import { loggedLines, noteInjectedFault } from "../support/logs";

beforeAll(seedCatalog);

type Overrides = Partial<Env>;
type Outcome = PlaceOrderOutcome & { bookmark: string | null };

/** Runs `work` inside the serializer with some of its bindings or vars swapped (as callWith does for the Worker). */
async function withObject<T>(overrides: Overrides, work: (object: OrderSerializer) => Promise<T>): Promise<T> {
  return runInDurableObject(serializerStub(env.ORDER_SERIALIZER), async (instance: OrderSerializer) => {
    const holder = instance as unknown as { env: Env };
    const real = holder.env;
    holder.env = { ...real, ...overrides };
    try {
      return await work(instance);
    } finally {
      holder.env = real;
    }
  });
}

let n = 0;
const req = (items: { sku_id: number; quantity: number }[], key = `groups-${n++}`, hash = JSON.stringify(items)) =>
  ({ items, idempotencyKey: key, requestHash: hash });

/** Submitted in one synchronous pass: the first starts a stage alone, the rest queue behind it as one group. */
const placeAll = (object: OrderSerializer, reqs: ReturnType<typeof req>[]) => Promise.all(reqs.map((r) => object.placeOrder(r))) as Promise<Outcome[]>;

const linesFor = (skuId: number) => env.DB.prepare("SELECT count(*) AS n FROM order_lines WHERE sku_id = ?").bind(skuId).first<number>("n");

describe("group commit", () => {
  it("places 20 concurrent orders with fewer write batches than orders, each answered as if placed alone", async () => {
    await addSku(910, 30);
    const { db, orderWrites } = interceptedD1();
    const outcomes = await withObject({ DB: db }, (o) => placeAll(o, Array.from({ length: 20 }, () => req([{ sku_id: 910, quantity: 1 }]))));
    expect(outcomes.every((o) => o.ok && !o.replayed)).toBe(true);
    expect(new Set(outcomes.map((o) => (o.ok ? o.orderId : ""))).size).toBe(20);
    expect(orderWrites().length).toBeLessThan(20);
    // A group's write is a constant number of statements, whatever its size: orders, lines, stock, the bodies.
    expect(new Set(orderWrites().map((b) => b.length))).toEqual(new Set([4]));
    expect(await stockOf(910)).toBe(10);
    expect(await linesFor(910)).toBe(20);
  });

  it("answers each short order in a group with the stock left by the orders before it", async () => {
    await addSku(911, 3);
    const outcomes = await withObject({}, (o) => placeAll(o, [
      req([{ sku_id: 911, quantity: 1 }]), req([{ sku_id: 911, quantity: 1 }]), req([{ sku_id: 911, quantity: 2 }]), req([{ sku_id: 911, quantity: 1 }]),
    ]));
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
    expect(outcomes[2]).toMatchObject({ code: "OUT_OF_STOCK", details: [{ sku_id: 911, requested: 2, available: 1 }] });
    expect(await stockOf(911)).toBe(0);
  });

  it("replays the same key inside one group and refuses it with another body, in one write", async () => {
    await addSku(912, 10);
    const { db, orderWrites } = interceptedD1();
    const line = [{ sku_id: 912, quantity: 2 }];
    const outcomes = await withObject({ DB: db }, (o) => placeAll(o, [
      req([{ sku_id: 912, quantity: 1 }]), req(line, "same-key"), req(line, "same-key"), req([{ sku_id: 912, quantity: 3 }], "same-key"), req(line, "same-key"),
    ]));
    const [, first, second, conflict, third] = outcomes;
    expect(first).toMatchObject({ ok: true, replayed: false });
    expect(second).toMatchObject({ ok: true, replayed: true, orderId: first!.ok ? first!.orderId : "?" });
    expect(third).toMatchObject({ ok: true, replayed: true, orderId: first!.ok ? first!.orderId : "?" });
    expect(second!.ok && first!.ok && second!.body === first!.body).toBe(true);
    expect(conflict).toMatchObject({ ok: false, code: "IDEMPOTENCY_CONFLICT" });
    expect(orderWrites()).toHaveLength(2);
    expect(await stockOf(912)).toBe(7);
  });
});

describe("a group whose write batch fails", () => {
  it("answers 404 SKU_NOT_FOUND for the order whose sku was deleted between the group's read and its write, and places the others", async () => {
    await Promise.all([addSku(920, 5), addSku(921, 5)]);
    let deleted = false;
    const { db, orderWrites } = interceptedD1(async (batch) => {
      const lines = batch.find((s) => s.sql.startsWith("INSERT INTO order_lines"));
      if (!deleted && lines && String(lines.params[0]).includes('"sku":920')) {
        deleted = true; // a style PATCH dropping the sku, outside the serializer
        await env.DB.prepare("DELETE FROM skus WHERE id = 920").run();
      }
    });
    const outcomes = await withObject({ DB: db }, (o) => placeAll(o, [
      req([{ sku_id: 921, quantity: 1 }]), req([{ sku_id: 921, quantity: 1 }]), req([{ sku_id: 920, quantity: 1 }, { sku_id: 921, quantity: 1 }]), req([{ sku_id: 921, quantity: 1 }]),
    ]));
    expect(outcomes.map((o) => (o.ok ? 201 : o.code))).toEqual([201, 201, "SKU_NOT_FOUND", 201]);
    expect(outcomes[2]).toMatchObject({ details: [{ sku_id: 920 }] });
    expect(deleted).toBe(true);
    expect(await linesFor(920)).toBe(0);
    expect(await stockOf(921)).toBe(2);
    // The group's failed write took nothing; its one retry, from a fresh read, places the other three at
    // once: one write for the first order, the failed group, the retry. Not a round trip per order.
    expect(orderWrites().length).toBe(1 + 1 + 1);
  });

  it("answers an accurate OUT_OF_STOCK for the order whose stock was taken outside the serializer, and places the others", async () => {
    await Promise.all([addSku(922, 5), addSku(923, 5)]);
    let emptied = false;
    const { db } = interceptedD1(async (batch) => {
      const lines = batch.find((s) => s.sql.startsWith("INSERT INTO order_lines"));
      if (!emptied && lines && String(lines.params[0]).includes('"sku":922')) {
        emptied = true;
        await env.DB.prepare("UPDATE skus SET quantity = 0 WHERE id = 922").run();
      }
    });
    const outcomes = await withObject({ DB: db }, (o) => placeAll(o, [
      req([{ sku_id: 923, quantity: 1 }]), req([{ sku_id: 923, quantity: 1 }]), req([{ sku_id: 922, quantity: 2 }]), req([{ sku_id: 923, quantity: 1 }]),
    ]));
    expect(outcomes.map((o) => (o.ok ? 201 : o.code))).toEqual([201, 201, "OUT_OF_STOCK", 201]);
    expect(outcomes[2]).toMatchObject({ details: [{ sku_id: 922, requested: 2, available: 0 }] });
    expect([await stockOf(922), await stockOf(923)]).toEqual([0, 2]);
  });

  it(`gives up after ${GROUP_WRITE_ATTEMPTS} attempts when the row keeps changing after every read: 503 with Retry-After, nothing taken`, async () => {
    await addSku(924, 1);
    const { db, orderWrites } = interceptedD1(async (batch) => {
      // Restocked before every read, emptied before every write: the CHECK fires each time.
      const write = batch.some((s) => s.sql.startsWith("INSERT INTO orders"));
      await env.DB.prepare("UPDATE skus SET quantity = ? WHERE id = 924").bind(write ? 0 : 1).run();
    });
    const before = await orderCount();
    const [outcome] = await withObject({ DB: db }, (o) => placeAll(o, [req([{ sku_id: 924, quantity: 1 }])]));
    expect(outcome).toMatchObject({ ok: false, code: "UNAVAILABLE", retryAfter: 1 });
    expect(orderWrites()).toHaveLength(GROUP_WRITE_ATTEMPTS);
    expect(await orderCount()).toBe(before);
    expect(await linesFor(924)).toBe(0);
  });
});

describe("back-pressure", () => {
  it("refuses at once what would queue behind a full queue, with Retry-After and nothing taken", async () => {
    await addSku(930, 100);
    const before = await orderCount();
    const outcomes = await withObject({ ORDER_QUEUE_MAX: "2" }, (o) => placeAll(o, Array.from({ length: 10 }, () => req([{ sku_id: 930, quantity: 1 }]))));
    // One order in a stage, two queued behind it, seven refused.
    expect(outcomes.map((o) => (o.ok ? 201 : o.code))).toEqual([201, 201, 201, ...Array(7).fill("UNAVAILABLE")]);
    for (const refused of outcomes.slice(3)) expect(refused).toMatchObject({ retryAfter: expect.any(Number), bookmark: null });
    expect(Math.min(...outcomes.slice(3).map((o) => (o.ok ? 0 : o.retryAfter!)))).toBeGreaterThanOrEqual(1);
    expect(await stockOf(930)).toBe(97);
    expect(await orderCount()).toBe(before + 3);
  });

  it("refuses the orders still queued at the deadline, and the one whose group read outlasts it, taking nothing", async () => {
    await addSku(931, 100);
    const { db, orderWrites } = interceptedD1(async () => {
      await new Promise((r) => setTimeout(r, 50)); // every batch outlasts the 5 ms deadline
    });
    const outcomes = await withObject({ DB: db, ORDER_QUEUE_WAIT_MS: "5" }, (o) => placeAll(o, Array.from({ length: 4 }, () => req([{ sku_id: 931, quantity: 1 }]))));
    expect(outcomes.map((o) => (o.ok ? 201 : o.code))).toEqual(Array(4).fill("UNAVAILABLE"));
    expect(orderWrites()).toHaveLength(0);
    expect(await stockOf(931)).toBe(100);
  });

  it("lets a group whose write has begun finish, past the deadline: the write is never abandoned half-known", async () => {
    await addSku(933, 100);
    const { db } = interceptedD1(async (batch) => {
      if (batch.some((s) => s.sql.startsWith("INSERT INTO orders"))) await new Promise((r) => setTimeout(r, 50));
    });
    const [outcome] = await withObject({ DB: db, ORDER_QUEUE_WAIT_MS: "30" }, (o) => placeAll(o, [req([{ sku_id: 933, quantity: 1 }])]));
    expect(outcome).toMatchObject({ ok: true });
    expect(await stockOf(933)).toBe(99);
  });

  it("answers the refusal over HTTP as 503 UNAVAILABLE with a Retry-After in whole seconds", async () => {
    await addSku(932, 100);
    // Read inside the object's context: a response body can't leave the Durable Object it was made in.
    const responses = await withObject({ ORDER_QUEUE_MAX: "1" }, () =>
      Promise.all(Array.from({ length: 8 }, async () => {
        const r = await placeOrder([{ sku_id: 932, quantity: 1 }]);
        return { status: r.status, retryAfter: r.headers.get("Retry-After"), body: (await r.json()) as Record<string, unknown> };
      })));
    const refused = responses.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(r.body).toMatchObject({ error: "UNAVAILABLE" });
    }
    const placed = responses.filter((r) => r.status === 201).length;
    expect(placed + refused.length).toBe(8);
    expect(await stockOf(932)).toBe(100 - placed);
    // The refusals are provoked here, and each is logged as a failed request.
    noteInjectedFault();
    const failedLines = loggedLines().filter((l) => l.event === "request_failed" && l.status === 503);
    expect(failedLines).toHaveLength(refused.length);
  });
});

describe("commit order", () => {
  it("gives each group a created_at later than every group committed before it", async () => {
    await addSku(940, 100);
    const { db, orderWrites } = interceptedD1();
    const ids = await withObject({ DB: db }, async (o) => {
      const waves = await Promise.all([0, 1, 2].map(async (wave) => {
        await new Promise((r) => setTimeout(r, wave));
        return placeAll(o, Array.from({ length: 8 }, () => req([{ sku_id: 940, quantity: 1 }])));
      }));
      return waves.flat().map((x) => (x.ok ? x.orderId : ""));
    });
    // rowid is the order rows were inserted in, i.e. commit order.
    const { results } = await env.DB.prepare("SELECT created_at FROM orders WHERE id IN (SELECT value FROM json_each(?)) ORDER BY rowid")
      .bind(JSON.stringify(ids)).all<{ created_at: string }>();
    expect(results).toHaveLength(24);
    const stamps = results.map((r) => r.created_at);
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(orderWrites().length);
  });
});

describe("stock changes beside orders", () => {
  it("lets a cancel race orders on the same sku without losing or inventing a unit", async () => {
    await addSku(950, 10);
    const first = (await (await placeOrder([{ sku_id: 950, quantity: 2 }])).json()) as OrderBody;
    const [cancelled, ...responses] = await Promise.all([
      cancelOrder(first.id), ...Array.from({ length: 12 }, () => placeOrder([{ sku_id: 950, quantity: 1 }])),
    ]);
    expect(cancelled!.status).toBe(204);
    const placed = responses.filter((r) => r.status === 201).length;
    const refused = await Promise.all(responses.filter((r) => r.status === 409).map((r) => r.json() as Promise<{ details: unknown }>));
    expect(placed + refused.length).toBe(12);
    for (const body of refused) expect(body.details).toEqual([{ sku_id: 950, requested: 1, available: 0 }]);
    expect(await stockOf(950)).toBe(10 - placed);
    expect((await (await call(`/orders/${first.id}`)).json() as OrderBody).status).toBe("cancelled");
  });
});
