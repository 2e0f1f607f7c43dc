import type { Db } from "../db/resilient-d1";
import { isStockCheckFailure } from "../db/d1-errors";
import { ADJUST_STOCK, BUMP_ORDER_PRODUCTS, BUMP_SKU_PRODUCT, MARK_CANCELLED, ORDER_EXISTS, ORDER_PRODUCT_IDS, RETURN_ORDER_STOCK, SKU_STOCK } from "../db/order-queries";
import { type AdjustStockOutcome, type CancelOrderOutcome, failure } from "./order-outcome";

/**
 * Cancels a placed order and returns its stock, in one batch that also bumps its products'
 * cache_version; a second cancel changes nothing. Either way the products are reported as touched, so
 * the caller deletes their cache entries again (a repeated cancel may follow a reset that lost the
 * first one's delete).
 */
export async function cancelOrder(db: Db, orderId: string): Promise<CancelOrderOutcome> {
  const [products, , , marked, exists] = await db.batch<Record<string, unknown>>([
    db.prepare(ORDER_PRODUCT_IDS).bind(orderId),
    db.prepare(BUMP_ORDER_PRODUCTS).bind(orderId),
    db.prepare(RETURN_ORDER_STOCK).bind(orderId),
    db.prepare(MARK_CANCELLED).bind(orderId),
    db.prepare(ORDER_EXISTS).bind(orderId),
  ]);
  if (exists!.results.length === 0) return failure("ORDER_NOT_FOUND", `Order ${orderId} does not exist`);
  const cancelledNow = marked!.results.length > 0;
  return { ok: true, cancelledNow, touchedProductIds: products!.results.map((r) => Number(r.product_id)) };
}

/** Adds delta (negative to remove) to one sku's stock, never below zero, and bumps its product's cache_version. */
export async function adjustStock(db: Db, skuId: number, delta: number): Promise<AdjustStockOutcome> {
  try {
    const [changed] = await db.batch<{ sku_id: number; quantity: number; product_id: number }>([
      db.prepare(ADJUST_STOCK).bind(skuId, delta),
      db.prepare(BUMP_SKU_PRODUCT).bind(skuId),
    ]);
    const row = changed!.results[0];
    if (!row) return failure("SKU_NOT_FOUND", `Sku ${skuId} does not exist`);
    return { ok: true, skuId: row.sku_id, quantity: row.quantity, touchedProductIds: [row.product_id] };
  } catch (err) {
    if (!isStockCheckFailure(err)) throw err;
    const available = (await db.prepare(SKU_STOCK).bind(skuId).first<number>("quantity")) ?? 0;
    return failure("OUT_OF_STOCK", `Sku ${skuId} has ${available} in stock; removing ${-delta} would go below zero`,
      [{ sku_id: skuId, requested: -delta, available }]);
  }
}
