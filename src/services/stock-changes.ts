import type { Db } from "../db/resilient-d1";
import {
  ADJUST_STOCK, MARK_CANCELLED, ORDER_EXISTS, RECORD_STOCK_CHANGE, RETURN_ORDER_STOCK, SKU_STOCK, STOCK_CHANGE_BY_KEY,
} from "../db/order-queries";
import { MAX_ON_HAND } from "../schemas/limits";
import { type AdjustStockOutcome, type CancelOrderOutcome, failure } from "./order-outcome";

/** Cancels a placed order and returns its stock, in one batch; a second cancel changes nothing. */
export async function cancelOrder(db: Db, orderId: string): Promise<CancelOrderOutcome> {
  const [, marked, exists] = await db.batch<Record<string, unknown>>([
    db.prepare(RETURN_ORDER_STOCK).bind(orderId),
    db.prepare(MARK_CANCELLED).bind(orderId),
    db.prepare(ORDER_EXISTS).bind(orderId),
  ]);
  if (exists!.results.length === 0) return failure("ORDER_NOT_FOUND", `Order ${orderId} does not exist`);
  return { ok: true, cancelledNow: marked!.results.length > 0 };
}

export interface StockChange { skuId: number; delta: number; idempotencyKey: string; requestHash: string }

/**
 * Adds delta (negative to remove) to one sku's stock, keeping it within 0..MAX_ON_HAND. A read, a
 * decision, a write: the serializer runs one stock change at a time, so nothing but a catalog write
 * (deleting the sku) can come between them. The sku is checked before the key, so a probe with a
 * sku that doesn't exist learns nothing about the key; a key already used answers its first change
 * again (same body) or IDEMPOTENCY_CONFLICT (another body).
 */
export async function adjustStock(db: Db, change: StockChange, createdAt: string): Promise<AdjustStockOutcome> {
  const { skuId, delta, idempotencyKey, requestHash } = change;
  const [prior, sku] = await db.batch<Record<string, unknown>>([
    db.prepare(STOCK_CHANGE_BY_KEY).bind(idempotencyKey),
    db.prepare(SKU_STOCK).bind(skuId),
  ]);
  const quantity = sku!.results[0]?.quantity as number | undefined;
  if (quantity === undefined) return failure("SKU_NOT_FOUND", `Sku ${skuId} does not exist`);
  const before = prior!.results[0] as { request_hash: string; sku_id: number; quantity_after: number } | undefined;
  if (before) {
    return before.request_hash === requestHash && before.sku_id === skuId
      ? { ok: true, skuId, quantity: before.quantity_after, available: before.quantity_after, replayed: true }
      : failure("IDEMPOTENCY_CONFLICT", "This Idempotency-Key was already used with a different stock change");
  }
  if (quantity + delta < 0) {
    return failure("OUT_OF_STOCK", `Sku ${skuId} has ${quantity} in stock; removing ${-delta} would go below zero`,
      [{ sku_id: skuId, requested: -delta, available: quantity }]);
  }
  if (quantity + delta > MAX_ON_HAND) {
    return failure("VALIDATION_ERROR", `Sku ${skuId} has ${quantity} in stock; adding ${delta} would go above ${MAX_ON_HAND}`,
      [{ field: "delta", message: `the sku's stock may not go above ${MAX_ON_HAND}` }]);
  }
  const [changed] = await db.batch<{ quantity: number }>([
    db.prepare(ADJUST_STOCK).bind(skuId, delta),
    db.prepare(RECORD_STOCK_CHANGE).bind(idempotencyKey, requestHash, skuId, delta, createdAt),
  ]);
  const after = changed!.results[0]?.quantity;
  // Deleted by a catalog write since the read: nothing was changed or recorded.
  if (after === undefined) return failure("SKU_NOT_FOUND", `Sku ${skuId} does not exist`);
  return { ok: true, skuId, quantity: after, available: after, replayed: false };
}
