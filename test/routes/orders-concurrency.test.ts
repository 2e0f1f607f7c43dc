import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { addSku, cancelOrder, orderCount, type OrderBody, placeOrder, stockOf } from "../support/orders";

beforeAll(seedCatalog);

const statuses = (responses: Response[]) => responses.map((r) => r.status).sort();
const countOf = (list: number[], status: number) => list.filter((s) => s === status).length;

describe("the serializer never oversells", () => {
  it("lets exactly 10 of 60 concurrent one-unit orders through for a sku with stock 10", async () => {
    await addSku(500, 10);
    const before = await orderCount();
    const responses = await Promise.all(Array.from({ length: 60 }, () => placeOrder([{ sku_id: 500, quantity: 1 }])));
    const codes = statuses(responses);
    expect(countOf(codes, 201)).toBe(10);
    expect(countOf(codes, 409)).toBe(50);
    const rejected = await Promise.all(responses.filter((r) => r.status === 409).map((r) => r.json() as Promise<Record<string, unknown>>));
    // Under the lock every loser saw the committed stock: an accurate short line, never the CHECK backstop.
    for (const body of rejected) {
      expect(body).toMatchObject({ error: "OUT_OF_STOCK", details: [{ sku_id: 500, requested: 1, available: 0 }] });
    }
    expect(await stockOf(500)).toBe(0);
    expect(await orderCount()).toBe(before + 10);
  });

  it("never half-applies multi-line orders that overlap on skus", async () => {
    await Promise.all([addSku(601, 7), addSku(602, 7), addSku(603, 7)]);
    const shapes = [[601, 602], [602, 603], [601, 603], [601, 602, 603]];
    const requests = Array.from({ length: 40 }, (_, i) => shapes[i % shapes.length]!.map((sku_id) => ({ sku_id, quantity: 1 })));
    const before = await orderCount();
    const responses = await Promise.all(requests.map((items) => placeOrder(items)));
    const placed = await Promise.all(responses.filter((r) => r.status === 201).map((r) => r.json() as Promise<OrderBody>));
    expect(countOf(statuses(responses), 201) + countOf(statuses(responses), 409)).toBe(40);

    // Every sku's stock dropped by exactly the units the placed orders hold: no line was applied alone.
    for (const sku of [601, 602, 603]) {
      const sold = placed.flatMap((o) => o.items).filter((l) => l.sku_id === sku).reduce((n, l) => n + l.quantity, 0);
      expect(await stockOf(sku)).toBe(7 - sold);
    }
    const lines = await env.DB.prepare("SELECT count(*) AS n FROM order_lines WHERE sku_id IN (601, 602, 603)").first<number>("n");
    expect(lines).toBe(placed.reduce((n, o) => n + o.items.length, 0));
    expect(await orderCount()).toBe(before + placed.length);
  });
});

describe("Idempotency-Key", () => {
  it("places one order for 20 concurrent identical requests and replays it to the other 19", async () => {
    await addSku(700, 50);
    const headers = { "Idempotency-Key": "checkout-abc-123" };
    const responses = await Promise.all(Array.from({ length: 20 }, () => placeOrder([{ sku_id: 700, quantity: 3 }], headers)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("Idempotent-Replayed") === "true")).toHaveLength(19);
    expect(await stockOf(700)).toBe(47);
  });

  it("answers 409 IDEMPOTENCY_CONFLICT for the same key with another body, taking nothing", async () => {
    const headers = { "Idempotency-Key": "checkout-conflict" };
    expect((await placeOrder([{ sku_id: 700, quantity: 1 }], headers)).status).toBe(201);
    const stock = await stockOf(700);
    const res = await placeOrder([{ sku_id: 700, quantity: 2 }], headers);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe("IDEMPOTENCY_CONFLICT");
    expect(await stockOf(700)).toBe(stock);
  });

  it("treats the same lines in another order as the same body", async () => {
    await addSku(701, 5);
    const headers = { "Idempotency-Key": "checkout-reordered" };
    const first = await placeOrder([{ sku_id: 700, quantity: 1 }, { sku_id: 701, quantity: 1 }], headers);
    const again = await placeOrder([{ sku_id: 701, quantity: 1 }, { sku_id: 700, quantity: 1 }], headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.text()).toBe(await first.text());
  });

  it("places separate orders for identical bodies without a key", async () => {
    const a = (await (await placeOrder([{ sku_id: 701, quantity: 1 }])).json()) as OrderBody;
    const b = (await (await placeOrder([{ sku_id: 701, quantity: 1 }])).json()) as OrderBody;
    expect(a.id).not.toBe(b.id);
    expect(await stockOf(701)).toBe(2);
  });
});

describe("DELETE /orders/:id", () => {
  it("returns the stock exactly once when two cancels arrive together, and stays a 204 no-op after", async () => {
    await addSku(800, 5);
    const order = (await (await placeOrder([{ sku_id: 800, quantity: 4 }])).json()) as OrderBody;
    expect(await stockOf(800)).toBe(1);
    const both = await Promise.all([cancelOrder(order.id), cancelOrder(order.id)]);
    expect(both.map((r) => r.status)).toEqual([204, 204]);
    expect(await stockOf(800)).toBe(5);
    expect((await cancelOrder(order.id)).status).toBe(204);
    expect(await stockOf(800)).toBe(5);
    const status = await env.DB.prepare("SELECT status FROM orders WHERE id = ?").bind(order.id).first<string>("status");
    expect(status).toBe("cancelled");
  });

  it("answers 404 ORDER_NOT_FOUND for an unknown order", async () => {
    const res = await cancelOrder("ord_unknown123");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: string }).error).toBe("ORDER_NOT_FOUND");
  });
});
