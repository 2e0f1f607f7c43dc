import type { Db } from "../db/resilient-d1";
import { isStockCheckFailure } from "../db/d1-errors";
import { ADJUST_STOCK, MARK_CANCELLED, ORDER_EXISTS, ORDER_PRODUCT_IDS, RETURN_ORDER_STOCK, SKU_STOCK } from "../db/order-queries";
import { type AdjustStockOutcome, type CancelOrderOutcome, failure } from "./order-outcome";

/** Cancels a placed order and returns its stock, in one batch; a second cancel changes nothing. */
export async function cancelOrder(db: Db, orderId: string): Promise<CancelOrderOutcome> {
  const [products, , marked, exists] = await db.batch<Record<string, unknown>>([
    db.prepare(ORDER_PRODUCT_IDS).bind(orderId),
    db.prepare(RETURN_ORDER_STOCK).bind(orderId),
    db.prepare(MARK_CANCELLED).bind(orderId),
    db.prepare(ORDER_EXISTS).bind(orderId),
  ]);
  if (exists!.results.length === 0) return failure("ORDER_NOT_FOUND", `Order ${orderId} does not exist`);
  const cancelledNow = marked!.results.length > 0;
  const touchedProductIds = cancelledNow ? products!.results.map((r) => Number(r.product_id)) : [];
  return { ok: true, cancelledNow, touchedProductIds };
}

/** Adds delta (negative to remove) to one sku's stock; never below zero. */
export async function adjustStock(db: Db, skuId: number, delta: number): Promise<AdjustStockOutcome> {
  try {
    const row = await db.prepare(ADJUST_STOCK).bind(skuId, delta)
      .first<{ sku_id: number; quantity: number; product_id: number }>();
    if (!row) return failure("SKU_NOT_FOUND", `Sku ${skuId} does not exist`);
    return { ok: true, skuId: row.sku_id, quantity: row.quantity, touchedProductIds: [row.product_id] };
  } catch (err) {
    if (!isStockCheckFailure(err)) throw err;
    const available = (await db.prepare(SKU_STOCK).bind(skuId).first<number>("quantity")) ?? 0;
    return failure("OUT_OF_STOCK", `Sku ${skuId} has ${available} in stock; removing ${-delta} would go below zero`,
      [{ sku_id: skuId, requested: -delta, available }]);
  }
}
