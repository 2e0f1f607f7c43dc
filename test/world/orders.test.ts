import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { seedCatalogInto } from "../support/fixtures";
import { jsonInit } from "../support/request";
import { startWorld, type TestWorld } from "../support/world";

// Orders in the production world: the serializer lives in iad, buyers anywhere.

let world: TestWorld;
afterEach(async () => world?.stop());

beforeAll(async () => {
  world = await startWorld();
  await world.settle(seedCatalogInto(world.primary));
  await world.settle(world.primary.prepare("INSERT INTO skus (id, style_id, size, quantity) VALUES (700, 3, 'XL', 5)").run());
  await world.stop();
});

const order = (location: string, skuId: number, headers: Record<string, string> = {}) =>
  world.fetch(location, "/orders", jsonInit("POST", { items: [{ sku_id: skuId, quantity: 1 }] }, headers));

describe("orders in the production world", () => {
  it("sells the last 5 units to exactly 5 of 20 buyers in fra and syd at once, in groups, never below zero", async () => {
    world = await startWorld();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => order(i % 2 === 0 ? "fra" : "syd", 700)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    const left = await world.settle(world.primary.prepare("SELECT quantity FROM skus WHERE id = 700").first<number>("quantity"));
    const sold = await world.settle(world.primary.prepare("SELECT coalesce(sum(quantity), 0) AS n FROM order_lines WHERE sku_id = 700").first<number>("n"));
    expect([left, sold]).toEqual([0, 5]);
  });

  it("lets a buyer in syd read the order just placed at once, with the answer's bookmark, though syd's replica lags", async () => {
    world = await startWorld();
    const placed = await order("syd", 37, { "Idempotency-Key": "syd-checkout-000001" });
    expect(placed.status).toBe(201);
    const { id } = (await placed.json()) as { id: string };
    const read = await world.fetch("syd", `/orders/${id}`, { headers: { "X-D1-Bookmark": placed.headers.get("X-D1-Bookmark")! } });
    expect(read.status).toBe(200);
    // A replay from fra, with the same key, answers the same order.
    const replay = await order("fra", 37, { "Idempotency-Key": "syd-checkout-000001" });
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(((await replay.json()) as { id: string }).id).toBe(id);
  });
});
