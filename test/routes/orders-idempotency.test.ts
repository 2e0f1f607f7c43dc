import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { addSku, orderCount, type OrderBody, placeOrder, stockOf } from "../support/orders";

beforeAll(seedCatalog);

// API.md: an Idempotency-Key is the client's secret, and the body is judged before the key: a body that
// could never be placed (an unknown sku, not enough stock) gets the answer it would get under an unused
// key, so a stranger probing keys learns nothing; only the very same body replays the order.

const key = (name: string) => ({ "Idempotency-Key": `probe-test-key-${name}` });

/** The answer without its request id, which differs on every request. */
async function answer(res: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = (await res.json()) as Record<string, unknown>;
  delete body.request_id;
  return { status: res.status, body };
}

describe("a used Idempotency-Key tells a stranger nothing", () => {
  it("answers a body with an unknown sku 404 SKU_NOT_FOUND on a used key, as on an unused one", async () => {
    await addSku(800, 10);
    expect((await placeOrder([{ sku_id: 800, quantity: 1 }], key("used-1"))).status).toBe(201);
    const probe = [{ sku_id: 424242, quantity: 1 }];
    const onUsed = await answer(await placeOrder(probe, key("used-1")));
    const onUnused = await answer(await placeOrder(probe, key("never-used-1")));
    expect(onUsed).toEqual(onUnused);
    expect(onUsed).toEqual({ status: 404, body: { error: "SKU_NOT_FOUND", message: "Sku 424242 does not exist", details: [{ sku_id: 424242 }] } });
  });

  it("answers a body that is short of stock 409 OUT_OF_STOCK on a used key, as on an unused one", async () => {
    await addSku(801, 10);
    expect((await placeOrder([{ sku_id: 801, quantity: 1 }], key("used-2"))).status).toBe(201);
    const probe = [{ sku_id: 801, quantity: 1000 }];
    const onUsed = await answer(await placeOrder(probe, key("used-2")));
    const onUnused = await answer(await placeOrder(probe, key("never-used-2")));
    expect(onUsed).toEqual(onUnused);
    expect(onUsed).toEqual({
      status: 409,
      body: { error: "OUT_OF_STOCK", message: "Not enough stock for sku 801; nothing was taken", details: [{ sku_id: 801, requested: 1000, available: 9 }] },
    });
    expect(await stockOf(801)).toBe(9);
  });

  it("answers 409 IDEMPOTENCY_CONFLICT only to another body that could have been placed, taking nothing", async () => {
    await addSku(802, 10);
    expect((await placeOrder([{ sku_id: 802, quantity: 1 }], key("used-3"))).status).toBe(201);
    const before = await orderCount();
    const res = await placeOrder([{ sku_id: 802, quantity: 2 }], key("used-3"));
    await expectError(res, 409, "IDEMPOTENCY_CONFLICT", "This Idempotency-Key was already used with a different body");
    expect(await stockOf(802)).toBe(9);
    expect(await orderCount()).toBe(before);
  });

  it("still replays the order to its key and body after its sku sold out", async () => {
    await addSku(803, 2);
    const first = await placeOrder([{ sku_id: 803, quantity: 2 }], key("sold-out"));
    expect(first.status).toBe(201);
    expect(await stockOf(803)).toBe(0);
    const again = await placeOrder([{ sku_id: 803, quantity: 2 }], key("sold-out"));
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await again.json()) as OrderBody).id).toBe(((await first.json()) as OrderBody).id);
  });
});

describe("the Idempotency-Key header", () => {
  beforeAll(() => addSku(810, 5));
  const invalid = (message: string) => [{ field: "idempotency-key", message }];
  const RULE = "must be 16-255 visible ASCII characters (a random UUID is best)";

  for (const [what, value] of [
    ["15 characters", "k".repeat(15)],
    ["256 characters", "k".repeat(256)],
    ["a space inside", "checkout 7f3a-0001-0002"],
    ["a non-ASCII letter", "checkout-café-0001-0002"],
  ] as const) {
    it(`answers 400 naming the header for ${what}, taking nothing`, async () => {
      const before = await orderCount();
      const res = await placeOrder([{ sku_id: 810, quantity: 1 }], { "Idempotency-Key": value });
      await expectError(res, 400, "VALIDATION_ERROR", "Invalid header: idempotency-key", invalid(RULE));
      expect(await stockOf(810)).toBe(5);
      expect(await orderCount()).toBe(before);
    });
  }

  it("accepts a random UUID, and keys of exactly 16 and 255 characters", async () => {
    for (const value of [crypto.randomUUID(), "k".repeat(16), "K".repeat(255)]) {
      expect((await placeOrder([{ sku_id: 810, quantity: 1 }], { "Idempotency-Key": value })).status, value).toBe(201);
    }
  });
});
