import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderSerializer } from "../../src/durable-objects/order-serializer";
import { cacheKeys } from "../../src/services/cache-keys";
import type { PlaceOrderOutcome } from "../../src/services/order-outcome";
import { MAX_ATTEMPTS } from "../../src/services/order-placement";
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
const cacheVersion = (productId: number) => env.DB.prepare("SELECT cache_version FROM products WHERE id = ?").bind(productId).first<number>("cache_version");

describe("group commit", () => {
  it("places 20 concurrent orders with fewer write batches than orders, each answered as if placed alone", async () => {
    await addSku(910, 30);
    const { db, orderWrites } = interceptedD1();
    const outcomes = await withObject({ DB: db }, (o) => placeAll(o, Array.from({ length: 20 }, () => req([{ sku_id: 910, quantity: 1 }]))));
    expect(outcomes.every((o) => o.ok && !o.replayed)).toBe(true);
    expect(new Set(outcomes.map((o) => (o.ok ? o.orderId : ""))).size).toBe(20);
    expect(orderWrites().length).toBeLessThan(20);
    // A group's write is a constant number of statements, whatever its size: orders, lines, stock, the
    // bodies, and the cache_version bump of the products whose cache entries are deleted at once.
    expect(new Set(orderWrites().map((b) => b.length))).toEqual(new Set([4, 5]));
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
    // The group's failed write took nothing: one write for the first order, one failed group, then one per order.
    expect(orderWrites().length).toBe(1 + 1 + 2);
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

  it(`gives up after ${MAX_ATTEMPTS} attempts when the row keeps changing after every read: 503 with Retry-After, nothing taken`, async () => {
    await addSku(924, 1);
    const { db, orderWrites } = interceptedD1(async (batch) => {
      // Restocked before every read, emptied before every write: the CHECK fires each time.
      const write = batch.some((s) => s.sql.startsWith("INSERT INTO orders"));
      await env.DB.prepare("UPDATE skus SET quantity = ? WHERE id = 924").bind(write ? 0 : 1).run();
    });
    const before = await orderCount();
    const [outcome] = await withObject({ DB: db }, (o) => placeAll(o, [req([{ sku_id: 924, quantity: 1 }])]));
    expect(outcome).toMatchObject({ ok: false, code: "UNAVAILABLE", retryAfter: 1 });
    expect(orderWrites()).toHaveLength(MAX_ATTEMPTS);
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

  it("refuses an order still queued at the wait deadline, and lets the one already at D1 finish", async () => {
    await addSku(931, 100);
    const { db } = interceptedD1(async () => {
      await new Promise((r) => setTimeout(r, 50)); // the stage in flight outlasts the 5 ms deadline
    });
    const outcomes = await withObject({ DB: db, ORDER_QUEUE_WAIT_MS: "5" }, (o) => placeAll(o, Array.from({ length: 4 }, () => req([{ sku_id: 931, quantity: 1 }]))));
    expect(outcomes.map((o) => (o.ok ? 201 : o.code))).toEqual([201, "UNAVAILABLE", "UNAVAILABLE", "UNAVAILABLE"]);
    expect(await stockOf(931)).toBe(99);
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

describe("stock changes and the cache", () => {
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

  it("bumps the product's cache_version for a restock, a cancel and an order deleted at once, not for a coalesced order", async () => {
    await addSku(951, 10); // style 3, product 3
    await abortAllDurableObjects(); // no delete of product 3 in the object's memory: the first order's runs at once
    const start = await cacheVersion(3);
    const order = (await (await placeOrder([{ sku_id: 951, quantity: 1 }])).json()) as OrderBody;
    expect(await cacheVersion(3)).toBe(start! + 1);
    // Within a second of that delete: coalesced into the trailing delete, so its fills keep their entries.
    expect((await placeOrder([{ sku_id: 951, quantity: 1 }])).status).toBe(201);
    expect(await cacheVersion(3)).toBe(start! + 1);
    expect((await call("/skus/951/stock", adminInit(jsonInit("POST", { delta: 5 })))).status).toBe(200);
    expect(await cacheVersion(3)).toBe(start! + 2);
    expect((await cancelOrder(order.id)).status).toBe(204);
    expect(await cacheVersion(3)).toBe(start! + 3);
  });

  it("deletes the cache entries again for a replayed order, after an object reset lost the first delete", async () => {
    await addSku(952, 10);
    const key = { "Idempotency-Key": "replay-invalidates" };
    expect((await placeOrder([{ sku_id: 952, quantity: 1 }], key)).status).toBe(201);
    // As if the object had reset between the commit and its delete: an entry with the old stock is left.
    await env.CACHE.put(cacheKeys.styles(3), "stale");
    await abortAllDurableObjects(); // the object resets, losing what it held in memory
    const replay = await placeOrder([{ sku_id: 952, quantity: 1 }], key);
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await env.CACHE.get(cacheKeys.styles(3))).toBeNull();
    expect(await stockOf(952)).toBe(9);
  });

  it("deletes a repeated cancel's products again", async () => {
    await addSku(953, 10);
    const order = (await (await placeOrder([{ sku_id: 953, quantity: 1 }])).json()) as OrderBody;
    expect((await cancelOrder(order.id)).status).toBe(204);
    await env.CACHE.put(cacheKeys.styles(3), "stale");
    expect((await cancelOrder(order.id)).status).toBe(204);
    expect(await env.CACHE.get(cacheKeys.styles(3))).toBeNull();
    expect(await stockOf(953)).toBe(10);
  });

  it("needs no trailing delete for an order deleted at once; a coalesced one's is kept and run by the alarm", async () => {
    await addSku(954, 10);
    await abortAllDurableObjects();
    const stub = serializerStub(env.ORDER_SERIALIZER);
    expect((await placeOrder([{ sku_id: 954, quantity: 1 }])).status).toBe(201);
    // Deleted at once and its version bumped: the record written before the batch is gone again.
    await runInDurableObject(stub, async (_o, state) => expect(await state.storage.get("trail:3")).toBeUndefined());
    expect((await placeOrder([{ sku_id: 954, quantity: 1 }])).status).toBe(201);
    // First thing after the answer (the record is due 1.5 s later and the alarm fires in real time), and
    // held an hour out while the test plants a late fill, so a slow machine can't run it early.
    await runInDurableObject(stub, async (_o, state) => {
      expect(await state.storage.get("trail:3")).toEqual(expect.any(Number));
      expect(await state.storage.getAlarm()).not.toBeNull();
      await state.storage.put("trail:3", Date.now() + 3_600_000);
    });
    await env.CACHE.put(cacheKeys.styles(3), "stale");
    await env.CACHE.put(cacheKeys.product(3), "unchanged by stock");
    await runInDurableObject(stub, async (_o, state) => state.storage.put("trail:3", 0)); // due now
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await env.CACHE.get(cacheKeys.styles(3))).toBeNull();
    // Stock is only in the styles payload: the product payload is left alone.
    expect(await env.CACHE.get(cacheKeys.product(3))).toBe("unchanged by stock");
    await runInDurableObject(stub, async (_o, state) => expect(await state.storage.get("trail:3")).toBeUndefined());
  });
});
