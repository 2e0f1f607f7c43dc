import { DurableObject } from "cloudflare:workers";
import { resilientDb } from "../db/resilient-d1";
import { GroupQueue, type QueueLimits, QueueRefused } from "../lib/group-queue";
import type { AdjustStockOutcome, CancelOrderOutcome, PlaceOrderOutcome, WithBookmark } from "../services/order-outcome";
import { refused } from "../services/order-outcome";
import { OrderClock, type PlacementRequest, placeOrders, type QueuedPlacement } from "../services/order-placement";
import { adjustStock, cancelOrder, type StockChange } from "../services/stock-changes";

type Job =
  | { kind: "order"; req: QueuedPlacement }
  | { kind: "cancel"; orderId: string }
  | { kind: "adjust"; change: StockChange };

type Answer = WithBookmark<PlaceOrderOutcome | CancelOrderOutcome | AdjustStockOutcome>;

const DEFAULT_LIMITS: QueueLimits = { maxQueued: 1024, maxWaitMs: 5_000, maxGroup: 128 };

/** A var that must be a positive integer; a missing or malformed value keeps the default. */
const positiveInt = (raw: string | undefined, fallback: number) => {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isInteger(n) && n > 0 ? n : fallback;
};

/** From wrangler.toml [vars]; a missing or malformed value keeps the default. */
export function queueLimits(env: Partial<Record<"ORDER_QUEUE_MAX" | "ORDER_QUEUE_WAIT_MS" | "ORDER_GROUP_MAX", string>>): QueueLimits {
  return {
    maxQueued: positiveInt(env.ORDER_QUEUE_MAX, DEFAULT_LIMITS.maxQueued),
    maxWaitMs: positiveInt(env.ORDER_QUEUE_WAIT_MS, DEFAULT_LIMITS.maxWaitMs),
    maxGroup: positiveInt(env.ORDER_GROUP_MAX, DEFAULT_LIMITS.maxGroup),
  };
}

/**
 * What of a caller's deadline (ORDER_QUEUE_WAIT_MS, which the Worker holds the whole call to) the
 * serializer keeps for the write: a job not taken into a stage by then, or whose group's read ends
 * after it, is refused with nothing written, so the caller hears a certain UNAVAILABLE rather than
 * its own timeout's OUTCOME_UNKNOWN. At most a fifth of the deadline.
 */
export const WRITE_RESERVE_MS = 500;
export const inLineDeadlineMs = (maxWaitMs: number) => maxWaitMs - Math.min(WRITE_RESERVE_MS, Math.floor(maxWaitMs / 5));

/**
 * The one writer of stock (docs/decisions/order-serializer.md). Orders, cancels and restocks share one
 * bounded queue that runs one stage at a time on a primary-first D1 session: consecutive orders as one
 * group (one read batch, one write batch), a cancel or restock alone. It touches no cache: readers see
 * stock through their own location's replica (docs/decisions/freshness.md).
 */
export class OrderSerializer extends DurableObject<Env> {
  private readonly clock = new OrderClock();
  private readonly queue = new GroupQueue<Job, Answer>(
    () => { const l = queueLimits(this.env); return { ...l, maxWaitMs: inLineDeadlineMs(l.maxWaitMs) }; },
    (job) => job.kind === "order",
    (jobs) => this.stage(jobs),
  );

  placeOrder(req: PlacementRequest): Promise<WithBookmark<PlaceOrderOutcome>> {
    const deadline = Date.now() + inLineDeadlineMs(queueLimits(this.env).maxWaitMs);
    return this.submit({ kind: "order", req: { ...req, deadline } }) as Promise<WithBookmark<PlaceOrderOutcome>>;
  }

  cancelOrder(orderId: string): Promise<WithBookmark<CancelOrderOutcome>> {
    return this.submit({ kind: "cancel", orderId }) as Promise<WithBookmark<CancelOrderOutcome>>;
  }

  adjustStock(change: StockChange): Promise<WithBookmark<AdjustStockOutcome>> {
    return this.submit({ kind: "adjust", change }) as Promise<WithBookmark<AdjustStockOutcome>>;
  }

  private async submit(job: Job): Promise<Answer> {
    try {
      return await this.queue.submit(job);
    } catch (err) {
      if (err instanceof QueueRefused) return { ...refused(err.retryAfterSeconds), bookmark: null };
      throw err;
    }
  }

  /** One stage: settles once its write has committed, with every caller's answer. */
  private async stage(jobs: Job[]): Promise<Answer[]> {
    const session = this.env.DB.withSession("first-primary");
    const db = resilientDb(session);
    const withBookmark = (outcome: PlaceOrderOutcome | CancelOrderOutcome | AdjustStockOutcome): Answer =>
      ({ ...outcome, bookmark: session.getBookmark() });
    const first = jobs[0]!;
    if (first.kind === "cancel") return [withBookmark(await cancelOrder(db, first.orderId))];
    if (first.kind === "adjust") return [withBookmark(await adjustStock(db, first.change, new Date().toISOString()))];
    const outcomes = await placeOrders(db, jobs.map((j) => (j as { req: QueuedPlacement }).req), this.clock);
    return outcomes.map(withBookmark);
  }
}
