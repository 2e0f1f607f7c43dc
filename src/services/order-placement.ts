import type { Db } from "../db/resilient-d1";
import { isIdempotencyKeyTaken, isStockCheckFailure } from "../db/d1-errors";
import {
  INSERT_ORDER, INSERT_ORDER_LINE, ORDER_BY_ID, ORDER_BY_IDEMPOTENCY_KEY, SKUS_FOR_ORDER, TAKE_STOCK,
} from "../db/order-queries";
import { newOrderId } from "../lib/ids";
import { failure, type PlaceOrderOutcome } from "./order-outcome";

// The read-check-write of one order. It is correct on its own terms (the batch is atomic and the CHECK
// on skus refuses to go below zero), and the serializer runs it under a lock so that concurrent orders
// see each other's stock and a short line is reported with accurate numbers instead of as a failure.

export interface PlacementRequest {
  items: { sku_id: number; quantity: number }[];
  idempotencyKey: string;
  requestHash: string;
  createdAt: string;
}

interface SkuForOrder {
  sku_id: number; quantity: number; size: string; style_id: number; style_name: string;
  unit_price: number; product_id: number; product_name: string;
}

export async function placeOrder(db: Db, req: PlacementRequest): Promise<PlaceOrderOutcome> {
  const [prior, skuRows] = await db.batch<Record<string, unknown>>([
    db.prepare(ORDER_BY_IDEMPOTENCY_KEY).bind(req.idempotencyKey),
    db.prepare(SKUS_FOR_ORDER).bind(JSON.stringify(req.items.map((i) => i.sku_id))),
  ]);
  const previous = prior!.results[0] as { id: string; request_hash: string } | undefined;
  if (previous) return replay(db, previous, req.requestHash);

  const skus = new Map((skuRows!.results as unknown as SkuForOrder[]).map((s) => [s.sku_id, s]));
  const missing = req.items.filter((i) => !skus.has(i.sku_id));
  if (missing.length > 0) {
    return failure("SKU_NOT_FOUND", `Sku ${missing[0]!.sku_id} does not exist`, missing.map((i) => ({ sku_id: i.sku_id })));
  }
  const short = req.items
    .map((i) => ({ sku_id: i.sku_id, requested: i.quantity, available: skus.get(i.sku_id)!.quantity }))
    .filter((line) => line.available < line.requested);
  if (short.length > 0) return outOfStock(short);

  const orderId = newOrderId();
  const lines = req.items.map((item) => ({ ...skus.get(item.sku_id)!, quantity: item.quantity }));
  const total = lines.reduce((sum, line) => sum + line.unit_price * line.quantity, 0);
  try {
    const results = await db.batch<{ body: string }>([
      db.prepare(INSERT_ORDER).bind(orderId, req.createdAt, total, req.idempotencyKey, req.requestHash),
      ...lines.map((l, n) => db.prepare(INSERT_ORDER_LINE).bind(
        orderId, n + 1, l.sku_id, l.product_id, l.style_id, l.product_name, l.style_name, l.size, l.quantity, l.unit_price)),
      ...lines.map((l) => db.prepare(TAKE_STOCK).bind(l.sku_id, l.quantity)),
      db.prepare(ORDER_BY_ID).bind(orderId),
    ]);
    const body = results[results.length - 1]!.results[0]!.body;
    return { ok: true, orderId, body, replayed: false, touchedProductIds: unique(lines.map((l) => l.product_id)) };
  } catch (err) {
    // Reached only if something outside the lock changed the rows between our read and this batch.
    if (isIdempotencyKeyTaken(err)) return placeOrder(db, req);
    if (isStockCheckFailure(err)) return failure("OUT_OF_STOCK", "Stock changed while the order was placed; nothing was taken");
    throw err;
  }
}

async function replay(db: Db, previous: { id: string; request_hash: string }, requestHash: string): Promise<PlaceOrderOutcome> {
  if (previous.request_hash !== requestHash) {
    return failure("IDEMPOTENCY_CONFLICT", "This Idempotency-Key was already used with a different body");
  }
  const row = await db.prepare(ORDER_BY_ID).bind(previous.id).first<{ body: string }>();
  return { ok: true, orderId: previous.id, body: row!.body, replayed: true, touchedProductIds: [] };
}

function outOfStock(short: { sku_id: number; requested: number; available: number }[]): PlaceOrderOutcome {
  const skuList = short.map((s) => s.sku_id).join(", ");
  return failure("OUT_OF_STOCK", `Not enough stock for sku ${skuList}; nothing was taken`, short);
}

const unique = (ids: number[]) => [...new Set(ids)];
