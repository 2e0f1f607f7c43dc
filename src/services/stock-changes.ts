import type { Db } from "../db/resilient-d1";
import { RELEASE_EXPIRED_HOLDS } from "../db/cart-queries";
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
 * Adds delta (negative to remove) to what no cart holds of one sku, keeping what a new buyer can take at
 * 0 or more and what is on hand (that plus the held units) at most MAX_ON_HAND: held units are never
 * taken by a stock change. A read, a decision, a write: the serializer runs one stock change at a time,
 * so nothing but a catalog write (deleting the sku) can come between them. The sku is checked before
 * the key, so a probe with a sku that doesn't exist learns nothing about the key; a key already used
 * answers its first change again (same body) or IDEMPOTENCY_CONFLICT (another body).
 */
export async function adjustStock(db: Db, change: StockChange, nowMs: number): Promise<AdjustStockOutcome> {
  const { skuId, delta, idempotencyKey, requestHash } = change;
  const now = new Date(nowMs).toISOString();
  const [prior, sku] = await db.batch<Record<string, unknown>>([
    db.prepare(STOCK_CHANGE_BY_KEY).bind(idempotencyKey),
    db.prepare(SKU_STOCK).bind(skuId, now),
  ]);
  const stock = sku!.results[0] as { quantity: number; held: number; expired_held: number } | undefined;
  if (stock === undefined) return failure("SKU_NOT_FOUND", `Sku ${skuId} does not exist`);
  const before = prior!.results[0] as { request_hash: string; sku_id: number; quantity_after: number; available_after: number | null } | undefined;
  if (before) {
    return before.request_hash === requestHash && before.sku_id === skuId
      // A change recorded before carts held stock had nothing held: what was available was what was on hand.
      ? { ok: true, skuId, quantity: before.quantity_after, available: before.available_after ?? before.quantity_after, replayed: true }
      : failure("IDEMPOTENCY_CONFLICT", "This Idempotency-Key was already used with a different stock change");
  }
  // Expired carts' holds count for nothing (docs/decisions/carts.md): released in the same batch.
  const available = stock.quantity + stock.expired_held;
  const onHand = stock.quantity + stock.held;
  if (available + delta < 0) {
    const held = stock.held - stock.expired_held;
    return failure("OUT_OF_STOCK", `Sku ${skuId} has ${available} that no cart holds (${held} held); removing ${-delta} would take held units or go below zero`,
      [{ sku_id: skuId, requested: -delta, available }]);
  }
  if (onHand + delta > MAX_ON_HAND) {
    return failure("VALIDATION_ERROR", `Sku ${skuId} has ${onHand} on hand; adding ${delta} would go above ${MAX_ON_HAND}`,
      [{ field: "delta", message: `the sku's stock may not go above ${MAX_ON_HAND}` }]);
  }
  const results = await db.batch<{ quantity: number; held: number }>([
    ...(stock.expired_held > 0 ? [db.prepare(RELEASE_EXPIRED_HOLDS).bind(JSON.stringify([skuId]), now)] : []),
    db.prepare(ADJUST_STOCK).bind(skuId, delta),
    db.prepare(RECORD_STOCK_CHANGE).bind(idempotencyKey, requestHash, skuId, delta, now),
  ]);
  const after = results.at(-2)!.results[0];
  // Deleted by a catalog write since the read: nothing was changed or recorded.
  if (after === undefined) return failure("SKU_NOT_FOUND", `Sku ${skuId} does not exist`);
  return { ok: true, skuId, quantity: after.quantity + after.held, available: after.quantity, replayed: false };
}
