import { DurableObject } from "cloudflare:workers";
import { type Db, resilientDb } from "../db/resilient-d1";
import { Mutex } from "../lib/mutex";
import { invalidateBestEffort } from "../services/cache-invalidation";
import { keysForProducts } from "../services/cache-keys";
import type { AdjustStockOutcome, CancelOrderOutcome, PlaceOrderOutcome, WithBookmark } from "../services/order-outcome";
import { placeOrder, type PlacementRequest } from "../services/order-placement";
import { adjustStock, cancelOrder } from "../services/stock-changes";

/**
 * The one writer of stock. Orders, cancels and restocks all run their read-check-write under one lock
 * (see docs/decisions/order-serializer.md for why a lock and not the input gate, and its ceiling), on a
 * primary-first D1 session whose bookmark goes back to the caller.
 * Cache invalidation happens after the lock is released but before the caller gets its answer. It is
 * best effort here: once stock has committed, a KV fault must not turn a placed order into an error
 * (the buyer would retry). A failed delete leaves a styles payload showing the old stock until its TTL;
 * the stock itself, which every order checks in D1, is right.
 */
export class OrderSerializer extends DurableObject<Env> {
  private readonly lock = new Mutex();

  placeOrder(req: PlacementRequest): Promise<WithBookmark<PlaceOrderOutcome>> {
    return this.serialized((db) => placeOrder(db, req));
  }

  cancelOrder(orderId: string): Promise<WithBookmark<CancelOrderOutcome>> {
    return this.serialized((db) => cancelOrder(db, orderId));
  }

  adjustStock(skuId: number, delta: number): Promise<WithBookmark<AdjustStockOutcome>> {
    return this.serialized((db) => adjustStock(db, skuId, delta));
  }

  private async serialized<T extends { ok: boolean; touchedProductIds?: number[] }>(task: (db: Db) => Promise<T>): Promise<WithBookmark<T>> {
    const session = this.env.DB.withSession("first-primary");
    const outcome = await this.lock.run(() => task(resilientDb(session)));
    if (outcome.touchedProductIds?.length) await invalidateBestEffort(this.env.CACHE, keysForProducts(outcome.touchedProductIds));
    return { ...outcome, bookmark: session.getBookmark() };
  }
}
