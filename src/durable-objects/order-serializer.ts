import { DurableObject } from "cloudflare:workers";
import { resilientDb } from "../db/resilient-d1";
import { GroupQueue, type QueueLimits, QueueRefused } from "../lib/group-queue";
import type { AdjustStockOutcome, CancelOrderOutcome, PlaceOrderOutcome, WithBookmark } from "../services/order-outcome";
import { unavailable } from "../services/order-outcome";
import { OrderClock, type PlacementRequest, placeOrders } from "../services/order-placement";
import { adjustStock, cancelOrder } from "../services/stock-changes";
import { CacheCoalescer, emptyPlan } from "./cache-coalescing";
import { logCacheFault } from "../services/cache-faults";
import { retryStaleKeys } from "./stale-cache-retry";

type Job =
  | { kind: "order"; req: PlacementRequest }
  | { kind: "cancel"; orderId: string }
  | { kind: "adjust"; skuId: number; delta: number };

type Answer = WithBookmark<PlaceOrderOutcome | CancelOrderOutcome | AdjustStockOutcome>;

const DEFAULT_LIMITS: QueueLimits = { maxQueued: 1024, maxWaitMs: 5_000, maxGroup: 128 };

const positive = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isInteger(n) && n > 0 ? n : fallback;
};

/** From wrangler.toml [vars]; a missing or malformed value keeps the default. */
export function queueLimits(env: Partial<Record<"ORDER_QUEUE_MAX" | "ORDER_QUEUE_WAIT_MS" | "ORDER_GROUP_MAX", string>>): QueueLimits {
  return {
    maxQueued: positive(env.ORDER_QUEUE_MAX, DEFAULT_LIMITS.maxQueued),
    maxWaitMs: positive(env.ORDER_QUEUE_WAIT_MS, DEFAULT_LIMITS.maxWaitMs),
    maxGroup: positive(env.ORDER_GROUP_MAX, DEFAULT_LIMITS.maxGroup),
  };
}

/**
 * The one writer of stock (docs/decisions/order-serializer.md). Orders, cancels and restocks share one
 * bounded queue that runs one stage at a time on a primary-first D1 session: consecutive orders as one
 * group (one read batch, one write batch), a cancel or restock alone. The next stage starts as soon as
 * a write has committed; cache deletes then run beside it, before the callers get their answers.
 * Once stock has committed, a KV fault must not turn a placed order into an error, so a delete that
 * fails twice is remembered in the object's storage and retried by its alarm.
 */
export class OrderSerializer extends DurableObject<Env> {
  private readonly clock = new OrderClock();
  private readonly cache = new CacheCoalescer(this.ctx.storage, () => this.env.CACHE);
  private readonly queue = new GroupQueue<Job, Answer | Error>(
    () => queueLimits(this.env),
    (job) => job.kind === "order",
    (jobs) => this.stage(jobs),
  );

  placeOrder(req: PlacementRequest): Promise<WithBookmark<PlaceOrderOutcome>> {
    return this.submit({ kind: "order", req }) as Promise<WithBookmark<PlaceOrderOutcome>>;
  }

  cancelOrder(orderId: string): Promise<WithBookmark<CancelOrderOutcome>> {
    return this.submit({ kind: "cancel", orderId }) as Promise<WithBookmark<CancelOrderOutcome>>;
  }

  adjustStock(skuId: number, delta: number): Promise<WithBookmark<AdjustStockOutcome>> {
    return this.submit({ kind: "adjust", skuId, delta }) as Promise<WithBookmark<AdjustStockOutcome>>;
  }

  private async submit(job: Job): Promise<Answer> {
    try {
      const answer = await this.queue.submit(job);
      if (answer instanceof Error) throw answer;
      return answer;
    } catch (err) {
      if (err instanceof QueueRefused) return { ...unavailable(err.retryAfterSeconds), bookmark: null };
      throw err;
    }
  }

  /** One stage: settles once its write has committed; `answers` once its cache deletes are done too. */
  private async stage(jobs: Job[]): Promise<{ answers: Promise<(Answer | Error)[]> }> {
    const session = this.env.DB.withSession("first-primary");
    const db = resilientDb(session);
    const withBookmark = <T extends object>(outcome: T) => ({ ...outcome, bookmark: session.getBookmark() });
    const first = jobs[0]!;
    if (first.kind !== "order") {
      const outcome = first.kind === "cancel" ? await cancelOrder(db, first.orderId) : await adjustStock(db, first.skuId, first.delta);
      const deleted = outcome.ok ? this.cache.deleteNow(outcome.touchedProductIds) : Promise.resolve();
      return { answers: deleted.then(() => [withBookmark(outcome) as Answer]) };
    }
    const reqs = jobs.map((j) => (j as { req: PlacementRequest }).req);
    const plan = emptyPlan();
    const outcomes = await placeOrders(db, reqs, this.clock, (productIds) => this.cache.beforeOrders(productIds, plan));
    const touched = [...new Set(outcomes.flatMap((o) => (!(o instanceof Error) && o.ok ? o.touchedProductIds : [])))];
    // The stock has committed: a storage or KV fault past this point must not turn placed orders into errors.
    const deleted = this.cache.afterOrders(touched, plan).catch((err: unknown) => logCacheFault("delete", "order-group", err));
    return { answers: deleted.then(() => outcomes.map((o) => (o instanceof Error ? o : withBookmark(o) as Answer))) };
  }

  override async alarm(): Promise<void> {
    await retryStaleKeys(this.ctx.storage, this.env.CACHE);
    await this.cache.runDue();
  }
}
