import type { Db } from "../db/resilient-d1";
import { isConstraintFailure } from "../db/d1-errors";
import {
  INSERT_ORDER_LINES, INSERT_ORDERS, LAST_CREATED_AT, ORDER_BODIES, type OrderBodyRow, ORDERS_BY_IDEMPOTENCY_KEYS, SKUS_FOR_ORDER, TAKE_STOCK,
} from "../db/order-queries";
import { newOrderId } from "../lib/ids";
import type { PlaceOrderInput } from "../schemas/orders";
import { TimeoutError, withTimeout } from "../lib/with-timeout";
import { failure, type PlaceOrderOutcome, refused } from "./order-outcome";

// The read-check-write of a group of orders (docs/decisions/order-serializer.md, "Group commit"): one
// read batch for every key and sku of the group, a decision per order in arrival order in memory
// (each accepted order's decrements are seen by the next), one write batch of a constant number of
// statements for all accepted orders. The serializer runs one group at a time, so a group sees the
// stock every earlier group committed, and a short line is reported with accurate numbers.

export interface PlacementRequest {
  items: PlaceOrderInput["items"];
  idempotencyKey: string;
  requestHash: string;
}

/** A request as the serializer holds it: past `deadline` (epoch ms) it is refused unless its write has begun. */
export type QueuedPlacement = PlacementRequest & { deadline: number };

interface SkuForOrder {
  sku_id: number; quantity: number; size: string; style_id: number; style_name: string;
  unit_price: number; product_id: number; product_name: string;
}

/**
 * A group's write that fails on a constraint (a catalog write changed a sku between the group's read
 * and its write) is tried once more from a fresh read; failing again, its orders are refused (nothing
 * was written). So one bad order costs the others one more read and write, never a round trip each.
 */
export const GROUP_WRITE_ATTEMPTS = 2;

/**
 * created_at for the serializer's groups: `max(now, last + 1 ms)`, so it strictly increases from one
 * committed group to the next even though the Workers clock stands still during a synchronous pass.
 * `last` is read back from D1 by the object's first group (LAST_CREATED_AT).
 */
export class OrderClock {
  private last: number | null = null;

  get known(): boolean {
    return this.last !== null;
  }

  learn(iso: string | null): void {
    if (this.last === null) this.last = iso === null ? 0 : Date.parse(iso);
  }

  next(now = Date.now()): string {
    this.last = Math.max(now, (this.last ?? 0) + 1);
    return new Date(this.last).toISOString();
  }
}

/** One outcome per request, in order; an Error in place of an outcome is thrown to that caller alone. */
export async function placeOrders(db: Db, reqs: QueuedPlacement[], clock: OrderClock): Promise<PlaceOrderOutcome[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await placeGroup(db, reqs, clock);
    } catch (err) {
      if (err instanceof TimeoutError) return reqs.map(() => refused(1)); // the read ran past the deadline: nothing written
      if (!isConstraintFailure(err)) throw err;
      if (attempt >= GROUP_WRITE_ATTEMPTS) return reqs.map(() => refused(1));
    }
  }
}

type Decision =
  | { answer: PlaceOrderOutcome }
  | { orderId: string; replayed: boolean };

interface NewOrder { id: string; req: PlacementRequest; lines: (SkuForOrder & { ordered: number })[]; total: number }

async function placeGroup(db: Db, reqs: QueuedPlacement[], clock: OrderClock): Promise<PlaceOrderOutcome[]> {
  const keys = unique(reqs.map((r) => r.idempotencyKey));
  const skuIds = unique(reqs.flatMap((r) => r.items.map((i) => i.sku_id)));
  const reads = [
    db.prepare(ORDERS_BY_IDEMPOTENCY_KEYS).bind(JSON.stringify(keys)),
    db.prepare(SKUS_FOR_ORDER).bind(JSON.stringify(skuIds)),
    ...(clock.known ? [] : [db.prepare(LAST_CREATED_AT)]),
  ];
  // The read may not outlast the earliest deadline: its orders are then refused, with nothing written.
  const readMs = Math.max(1, Math.min(...reqs.map((r) => r.deadline)) - Date.now());
  const [prior, skuRows, last] = await withTimeout(db.batch<Record<string, unknown>>(reads), readMs, "the order group's read");
  if (last) clock.learn((last.results[0]?.last as string | null | undefined) ?? null);

  // Past its deadline (its caller is about to give up), an order is refused before anything is written.
  const now = Date.now();
  const live = reqs.map((r) => r.deadline > now);
  const { decisions, placed } = decide(
    reqs,
    prior!.results as unknown as { key: string; id: string; request_hash: string }[],
    skuRows!.results as unknown as SkuForOrder[],
    live,
  );
  const orderIds = unique(decisions.flatMap((d) => ("orderId" in d ? [d.orderId] : [])));
  if (orderIds.length === 0) return decisions.map((d) => (d as { answer: PlaceOrderOutcome }).answer);

  const results = await db.batch<OrderBodyRow>([
    ...(placed.length > 0 ? writeStatements(db, placed, clock.next()) : []),
    db.prepare(ORDER_BODIES).bind(JSON.stringify(orderIds)),
  ]);
  const bodies = new Map(results[results.length - 1]!.results.map((row) => [row.id, row]));
  return decisions.map((d) => {
    if ("answer" in d) return d.answer;
    const row = bodies.get(d.orderId);
    if (!row) throw new Error(`order ${d.orderId} was not found after its group committed`);
    return { ok: true, orderId: d.orderId, body: row.body, replayed: d.replayed };
  });
}

/**
 * In arrival order; what an accepted order takes is gone for the orders after it. The key is a client
 * secret, so only the very same body learns what it holds (the replay); any other body is judged first
 * (unknown sku, short stock) and answered as under an unused key, and only one that could be placed
 * hears IDEMPOTENCY_CONFLICT. A probe of keys with bodies that could never be placed learns nothing.
 */
function decide(reqs: PlacementRequest[], prior: { key: string; id: string; request_hash: string }[], skuRows: SkuForOrder[], live: boolean[]) {
  const known = new Map(prior.map((p) => [p.key, { id: p.id, hash: p.request_hash }]));
  const skus = new Map(skuRows.map((s) => [s.sku_id, s]));
  const stock = new Map(skuRows.map((s) => [s.sku_id, s.quantity]));
  const placed: NewOrder[] = [];
  const decisions = reqs.map((req, i): Decision => {
    if (!live[i]) return { answer: refused(1) };
    const previous = known.get(req.idempotencyKey);
    if (previous?.hash === req.requestHash) return { orderId: previous.id, replayed: true };
    const missing = req.items.filter((i) => !skus.has(i.sku_id));
    if (missing.length > 0) {
      return { answer: failure("SKU_NOT_FOUND", `Sku ${missing[0]!.sku_id} does not exist`, missing.map((i) => ({ sku_id: i.sku_id }))) };
    }
    const short = req.items
      .map((i) => ({ sku_id: i.sku_id, requested: i.quantity, available: stock.get(i.sku_id)! }))
      .filter((line) => line.available < line.requested);
    if (short.length > 0) return { answer: outOfStock(short) };
    if (previous) return { answer: failure("IDEMPOTENCY_CONFLICT", "This Idempotency-Key was already used with a different body") };

    const lines = req.items.map((item) => ({ ...skus.get(item.sku_id)!, ordered: item.quantity }));
    for (const line of lines) stock.set(line.sku_id, stock.get(line.sku_id)! - line.ordered);
    const order = { id: newOrderId(), req, lines, total: lines.reduce((sum, l) => sum + l.unit_price * l.ordered, 0) };
    placed.push(order);
    known.set(req.idempotencyKey, { id: order.id, hash: req.requestHash });
    return { orderId: order.id, replayed: false };
  });
  return { decisions, placed };
}

function writeStatements(db: Db, placed: NewOrder[], createdAt: string): D1PreparedStatement[] {
  const orders = placed.map((o) => ({ id: o.id, total: o.total, key: o.req.idempotencyKey, hash: o.req.requestHash }));
  const lines = placed.flatMap((o) => o.lines.map((l, n) => ({
    order: o.id, line: n + 1, sku: l.sku_id, product: l.product_id, style: l.style_id, product_name: l.product_name,
    style_name: l.style_name, size: l.size, quantity: l.ordered, price: l.unit_price,
  })));
  const units = new Map<number, number>();
  for (const l of placed.flatMap((o) => o.lines)) units.set(l.sku_id, (units.get(l.sku_id) ?? 0) + l.ordered);
  return [
    db.prepare(INSERT_ORDERS).bind(JSON.stringify(orders), createdAt),
    db.prepare(INSERT_ORDER_LINES).bind(JSON.stringify(lines)),
    db.prepare(TAKE_STOCK).bind(JSON.stringify([...units])),
  ];
}

function outOfStock(short: { sku_id: number; requested: number; available: number }[]): PlaceOrderOutcome {
  const skuList = short.map((s) => s.sku_id).join(", ");
  return failure("OUT_OF_STOCK", `Not enough stock for sku ${skuList}; nothing was taken`, short);
}

const unique = <T>(values: T[]) => [...new Set(values)];
