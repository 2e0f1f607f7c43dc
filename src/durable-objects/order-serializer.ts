import { DurableObject } from "cloudflare:workers";
import { Mutex } from "../lib/mutex";
import { invalidateProducts } from "../services/cache-invalidation";
import type { AdjustStockOutcome, CancelOrderOutcome, PlaceOrderOutcome } from "../services/order-outcome";
import { placeOrder, type PlacementRequest } from "../services/order-placement";
import { adjustStock, cancelOrder } from "../services/stock-changes";

/**
 * The one writer of stock. Orders, cancels and restocks all run their read-check-write under one lock
 * (see docs/decisions/order-serializer.md for why a lock and not the input gate, and its ceiling).
 * Cache invalidation happens after the lock is released but before the caller gets its answer.
 */
export class OrderSerializer extends DurableObject<Env> {
  private readonly lock = new Mutex();

  async placeOrder(req: PlacementRequest): Promise<PlaceOrderOutcome> {
    const outcome = await this.lock.run(() => placeOrder(this.env.DB, req));
    if (outcome.ok) await invalidateProducts(this.env.CACHE, outcome.touchedProductIds);
    return outcome;
  }

  async cancelOrder(orderId: string): Promise<CancelOrderOutcome> {
    const outcome = await this.lock.run(() => cancelOrder(this.env.DB, orderId));
    if (outcome.ok) await invalidateProducts(this.env.CACHE, outcome.touchedProductIds);
    return outcome;
  }

  async adjustStock(skuId: number, delta: number): Promise<AdjustStockOutcome> {
    const outcome = await this.lock.run(() => adjustStock(this.env.DB, skuId, delta));
    if (outcome.ok) await invalidateProducts(this.env.CACHE, outcome.touchedProductIds);
    return outcome;
  }
}
