import { DurableObject } from "cloudflare:workers";
import { type Db, resilientDb } from "../db/resilient-d1";
import { Mutex } from "../lib/mutex";
import { invalidateBestEffort } from "../services/cache-invalidation";
import { keysForProducts } from "../services/cache-keys";
import type { AdjustStockOutcome, CancelOrderOutcome, PlaceOrderOutcome, WithBookmark } from "../services/order-outcome";
import { placeOrder, type PlacementRequest } from "../services/order-placement";
import { adjustStock, cancelOrder } from "../services/stock-changes";
import { rememberStaleKeys, retryStaleKeys } from "./stale-cache-retry";

/**
 * The one writer of stock. Orders, cancels and restocks all run their read-check-write under one lock
 * (see docs/decisions/order-serializer.md for why a lock and not the input gate, and its ceiling), on a
 * primary-first D1 session whose bookmark goes back to the caller.
 * Cache invalidation happens after the lock is released but before the caller gets its answer. Once
 * stock has committed, a KV fault must not turn a placed order into an error (the buyer would retry),
 * so a delete that fails twice is remembered in the object's storage and retried by its alarm until
 * KV takes it (src/durable-objects/stale-cache-retry.ts). Meanwhile a styles payload may show the old
 * stock; the stock itself, which every order checks in D1, is right.
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
    if (outcome.touchedProductIds?.length) {
      const keys = keysForProducts(outcome.touchedProductIds);
      if (!(await invalidateBestEffort(this.env.CACHE, keys))) await rememberStaleKeys(this.ctx.storage, keys);
    }
    return { ...outcome, bookmark: session.getBookmark() };
  }

  override async alarm(): Promise<void> {
    await retryStaleKeys(this.ctx.storage, this.env.CACHE);
  }
}
