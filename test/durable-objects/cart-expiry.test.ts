import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { OrderSerializer } from "../../src/durable-objects/order-serializer";
import { faultyD1 } from "../support/faults";
import { seedCatalog } from "../support/fixtures";
import { addSku, placeOrder } from "../support/orders";
import { type CartBody, checkout, deleteItem, getCart, linesOf, newCart, putItem, serializer, soldOf, stockRow } from "../support/carts";
import { call } from "../support/request";

// Holds expire by themselves (API.md, "Carts"). Time is the test's: Date is faked here and in the
// serializer (the pool runs the object in the test's isolate); the alarm is run with runDurableObjectAlarm.

const MINUTE = 60_000;
const T0 = Date.parse("2031-03-01T10:00:00.000Z");
const at = (ms: number) => vi.setSystemTime(ms);
const expiresAt = async (res: Response | Promise<Response>) => Date.parse(((await (await res).json()) as CartBody).expires_at);
const alarm = () => runInDurableObject(serializer(), (_, state) => state.storage.getAlarm());

beforeAll(async () => {
  await seedCatalog();
  await env.DB.prepare("INSERT INTO styles (id, product_id, name, original_price, sale_price, is_default) VALUES (10, 4, 'Grey', 6500, NULL, 1)").run();
  await addSku(800, 3, 10, "M");
  for (const id of [801, 802, 803, 804, 805, 806]) await addSku(id, 4, 3, `S${id}`);
});
afterEach(() => { vi.useRealTimers(); });

describe("renewal", () => {
  it(`renews all of a cart's holds for CART_HOLD_MINUTES (15) at each change, never past 60 minutes after its first hold`, async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 });
    const cart = await newCart();
    expect(Date.parse(cart.expires_at)).toBe(T0 + 15 * MINUTE);
    at(T0 + 5 * MINUTE);
    expect(await expiresAt(putItem(cart.id, 801, 1))).toBe(T0 + 20 * MINUTE); // the first hold: the 60 minutes start here
    at(T0 + 19 * MINUTE);
    expect(await expiresAt(putItem(cart.id, 802, 1))).toBe(T0 + 34 * MINUTE);
    at(T0 + 33 * MINUTE);
    expect(await expiresAt(deleteItem(cart.id, 802))).toBe(T0 + 48 * MINUTE);
    at(T0 + 47 * MINUTE);
    expect(await expiresAt(putItem(cart.id, 801, 2))).toBe(T0 + 62 * MINUTE);
    at(T0 + 61 * MINUTE);
    expect(await expiresAt(putItem(cart.id, 801, 1))).toBe(T0 + 65 * MINUTE); // capped: first hold + 60
    at(T0 + 65 * MINUTE);
    const late = await putItem(cart.id, 801, 2);
    expect(late.status).toBe(410);
    expect(await late.json()).toMatchObject({ error: "CART_EXPIRED" });
  });
});

describe("a hold past its cart's expires_at", () => {
  it("counts for nothing before any sweep: an order takes its units, and the cart's checkout answers 410 taking nothing", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 + 2 * 60 * MINUTE });
    const cart = await newCart();
    const expires = await expiresAt(putItem(cart.id, 803, 4));
    expect((await placeOrder([{ sku_id: 803, quantity: 1 }])).status).toBe(409);
    at(expires - 1);
    expect((await placeOrder([{ sku_id: 803, quantity: 1 }])).status).toBe(409);
    at(expires);
    expect((await placeOrder([{ sku_id: 803, quantity: 3 }])).status).toBe(201);
    // The order's own write released the expired hold first: nothing is held, one unit is left.
    expect(await stockRow(803)).toEqual({ quantity: 1, held: 0 });
    const late = await checkout(cart.id);
    expect(late.status).toBe(410);
    expect(await late.json()).toMatchObject({ error: "CART_EXPIRED" });
    expect((await getCart(cart.id)).status).toBe(410);
    expect([await stockRow(803), await soldOf(803)]).toEqual([{ quantity: 1, held: 0 }, 3]);
  });
});

describe("the serializer's alarm", () => {
  it("gives an abandoned cart's units back within a minute of expires_at with no request arriving: stock, styles and search", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 + 4 * 60 * MINUTE });
    const cart = await newCart();
    const expires = await expiresAt(putItem(cart.id, 800, 3));
    const inStock = async () => ((await (await call("/search?category=Pants&in_stock=true")).json()) as { results: { id: number }[] }).results.some((r) => r.id === 4);
    expect([await stockRow(800), await inStock()]).toEqual([{ quantity: 0, held: 3 }, false]);
    const scheduled = await alarm();
    expect(scheduled).not.toBeNull();
    expect(scheduled!).toBeLessThanOrEqual(expires + MINUTE);
    at(Math.max(scheduled!, expires));
    expect(await runDurableObjectAlarm(serializer())).toBe(true);
    expect([await stockRow(800), await linesOf(800), await inStock()]).toEqual([{ quantity: 3, held: 0 }, [], true]);
    const styles = (await (await call("/products/4/styles")).json()) as { results: { skus: Record<string, { quantity: number }> }[] };
    expect(styles.results[0]!.skus["800"]!.quantity).toBe(3);
    const late = await checkout(cart.id);
    expect(late.status).toBe(410);
    expect(await stockRow(800)).toEqual({ quantity: 3, held: 0 });
  });

  it("deletes a cart 24 h after its last change, and sets itself for that", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 + 8 * 60 * MINUTE });
    const cart = await newCart();
    await putItem(cart.id, 804, 1);
    const changed = Date.now();
    for (let i = 0; i < 5 && (await alarm()) !== null && (await alarm())! < changed + 24 * 60 * MINUTE; i++) {
      at(Math.max(Date.now(), (await alarm())!));
      await runDurableObjectAlarm(serializer());
    }
    expect(await alarm()).toBeLessThanOrEqual(changed + 24 * 60 * MINUTE + MINUTE);
    expect((await getCart(cart.id)).status).toBe(410);
    at(changed + 24 * 60 * MINUTE);
    expect(await runDurableObjectAlarm(serializer())).toBe(true);
    const gone = await getCart(cart.id);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: "CART_NOT_FOUND" });
  });
});

describe("a sweep that fails", () => {
  it("sweeps nothing, logs it, and sets the alarm again 5 s later; the next sweep frees the units", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 + 36 * 60 * MINUTE });
    const cart = await newCart();
    const expires = await expiresAt(putItem(cart.id, 806, 2));
    at(expires);
    const { db } = faultyD1({ writes: 1 });
    await runInDurableObject(serializer(), async (instance: OrderSerializer, state) => {
      const holder = instance as unknown as { env: Env };
      const real = holder.env;
      holder.env = { ...real, DB: db };
      try {
        await state.storage.deleteAlarm();
        await instance.alarm();
      } finally {
        holder.env = real;
      }
    });
    expect(await stockRow(806)).toEqual({ quantity: 2, held: 2 });
    expect(await alarm()).toBe(expires + 5_000);
    at(expires + 5_000);
    expect(await runDurableObjectAlarm(serializer())).toBe(true);
    expect(await stockRow(806)).toEqual({ quantity: 4, held: 0 });
  });
});

describe("a restart of the serializer", () => {
  it("keeps carts and holds (they live in D1): the cart checks out after it, and the restarted object sets its alarm again", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 + 40 * 60 * MINUTE });
    const cart = await newCart();
    const expires = await expiresAt(putItem(cart.id, 805, 2));
    await runInDurableObject(serializer(), (_, state) => state.storage.deleteAlarm());
    await abortAllDurableObjects();
    expect(await stockRow(805)).toEqual({ quantity: 2, held: 2 });
    expect((await placeOrder([{ sku_id: 805, quantity: 3 }])).status).toBe(409); // its first group learns when the sweep has work
    expect(await alarm()).toBe(expires);
    expect((await checkout(cart.id)).status).toBe(201);
    expect([await stockRow(805), await soldOf(805)]).toEqual([{ quantity: 2, held: 0 }, 2]);
  });
});

describe("a checkout's Idempotency-Key", () => {
  it("answers a checkout retried with its Idempotency-Key after the sweep deleted the cart with the order, not 404", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 + 48 * 60 * MINUTE });
    const cart = await newCart();
    await putItem(cart.id, 804, 1);
    const key = { "Idempotency-Key": "retry-after-sweep-0001" };
    const first = await checkout(cart.id, key);
    expect(first.status).toBe(201);
    const order = (await first.json()) as { id: string };
    const changed = Date.now();
    for (let i = 0; i < 5 && (await alarm()) !== null; i++) {
      at(Math.max(Date.now(), (await alarm())!, changed + 24 * 60 * MINUTE));
      await runDurableObjectAlarm(serializer());
    }
    expect((await getCart(cart.id)).status).toBe(404);
    const retry = await checkout(cart.id, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await retry.json()) as { id: string }).id).toBe(order.id);
  });
});
