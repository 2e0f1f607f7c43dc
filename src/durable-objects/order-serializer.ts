import { DurableObject } from "cloudflare:workers";
import { resilientDb } from "../db/resilient-d1";
import { GroupQueue, type QueueLimits, QueueRefused } from "../lib/group-queue";
import { sweepCarts } from "../services/cart-sweep";
import { cartHoldMs, type CheckoutRequest, type GroupRequest, type PlacementRequest, type QueuedRequest } from "../services/group-requests";
import type {
  AdjustStockOutcome, CancelOrderOutcome, CartOutcome, PlaceOrderOutcome, SweepOutcome, WithBookmark,
} from "../services/order-outcome";
import { refused } from "../services/order-outcome";
import { type GroupOutcome, OrderClock, runGroup } from "../services/stock-group";
import { adjustStock, cancelOrder, type StockChange } from "../services/stock-changes";

type Job =
  | { kind: "group"; req: QueuedRequest }
  | { kind: "cancel"; orderId: string }
  | { kind: "adjust"; change: StockChange }
  | { kind: "sweep" };

type Outcome = GroupOutcome | CancelOrderOutcome | AdjustStockOutcome | SweepOutcome;
type Answer = WithBookmark<Outcome>;

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

/** Sweeps run at most this often (each is one D1 write batch), however many carts expire. */
const SWEEP_GAP_MS = 1_000;
/** A sweep the queue refused, or that failed, is tried again this much later. */
const SWEEP_RETRY_MS = 5_000;

/**
 * The one writer of stock and carts (docs/decisions/order-serializer.md, carts.md). Orders, cart changes
 * and checkouts, cancels, restocks and the alarm's sweep share one bounded queue that runs one stage at a
 * time on a primary-first D1 session: consecutive orders and cart requests as one group (one read batch,
 * one write batch), anything else alone. It touches no cache: readers see stock through their own
 * location's replica (docs/decisions/freshness.md).
 */
export class OrderSerializer extends DurableObject<Env> {
  private readonly clock = new OrderClock();
  /** CART_HOLD_MINUTES, read once: the object's env doesn't change while it lives. */
  private readonly holdMs = cartHoldMs(this.env.CART_HOLD_MINUTES);
  private readonly queue = new GroupQueue<Job, Answer>(
    () => { const l = queueLimits(this.env); return { ...l, maxWaitMs: inLineDeadlineMs(l.maxWaitMs) }; },
    (job) => job.kind === "group",
    (jobs) => this.stage(jobs),
  );
  /** Has a group read when the sweep next has work since this object started? */
  private dueLearned = false;
  /** The alarm as this object last set or read it (undefined: not read yet; null: none). */
  private alarmAt: number | null | undefined = undefined;
  private lastSweepAt = 0;

  placeOrder(req: PlacementRequest): Promise<WithBookmark<PlaceOrderOutcome>> {
    return this.submitGroup({ kind: "order", req }) as Promise<WithBookmark<PlaceOrderOutcome>>;
  }

  createCart(cartId: string): Promise<WithBookmark<CartOutcome>> {
    return this.submitGroup({ kind: "create-cart", cartId }) as Promise<WithBookmark<CartOutcome>>;
  }

  /** Holds `quantity` units of the sku for the cart (0 removes the line, releasing its hold). */
  setCartItem(cartId: string, skuId: number, quantity: number): Promise<WithBookmark<CartOutcome>> {
    return this.submitGroup({ kind: "set-item", cartId, skuId, quantity }) as Promise<WithBookmark<CartOutcome>>;
  }

  checkoutCart(req: CheckoutRequest): Promise<WithBookmark<PlaceOrderOutcome>> {
    return this.submitGroup({ kind: "checkout", req }) as Promise<WithBookmark<PlaceOrderOutcome>>;
  }

  cancelOrder(orderId: string): Promise<WithBookmark<CancelOrderOutcome>> {
    return this.submit({ kind: "cancel", orderId }) as Promise<WithBookmark<CancelOrderOutcome>>;
  }

  adjustStock(change: StockChange): Promise<WithBookmark<AdjustStockOutcome>> {
    return this.submit({ kind: "adjust", change }) as Promise<WithBookmark<AdjustStockOutcome>>;
  }

  /**
   * Expired carts give their units back with no request arriving: the alarm runs a sweep through the
   * queue (so it never lands between a group's read and write), then sets itself for the next work.
   */
  override async alarm(): Promise<void> {
    this.alarmAt = null; // the runtime has cleared it
    let next: number | null;
    try {
      const outcome = (await this.submit({ kind: "sweep" })) as WithBookmark<SweepOutcome>;
      if (outcome.ok) this.lastSweepAt = Date.now();
      next = outcome.ok ? outcome.nextDue : Date.now() + SWEEP_RETRY_MS;
    } catch (err) {
      console.error(JSON.stringify({ level: "error", event: "cart_sweep_failed", error: String(err) }));
      next = Date.now() + SWEEP_RETRY_MS;
    }
    if (next !== null) await this.scheduleSweep(next);
  }

  private submitGroup(req: GroupRequest): Promise<Answer> {
    const deadline = Date.now() + inLineDeadlineMs(queueLimits(this.env).maxWaitMs);
    return this.submit({ kind: "group", req: { ...req, deadline } });
  }

  private async submit(job: Job): Promise<Answer> {
    try {
      return await this.queue.submit(job);
    } catch (err) {
      if (err instanceof QueueRefused) return { ...refused(err.retryAfterSeconds), bookmark: null };
      throw err;
    }
  }

  /** The alarm at `due` (no sooner than SWEEP_GAP_MS after the last sweep), unless one is set earlier. */
  private async scheduleSweep(due: number): Promise<void> {
    const at = Math.max(due, this.lastSweepAt + SWEEP_GAP_MS);
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    await this.ctx.storage.setAlarm(at);
    this.alarmAt = at;
  }

  /** One stage: settles once its write has committed, with every caller's answer. */
  private async stage(jobs: Job[]): Promise<Answer[]> {
    const session = this.env.DB.withSession("first-primary");
    const db = resilientDb(session);
    const withBookmark = (outcome: Outcome): Answer => ({ ...outcome, bookmark: session.getBookmark() });
    const first = jobs[0]!;
    if (first.kind === "cancel") return [withBookmark(await cancelOrder(db, first.orderId))];
    if (first.kind === "adjust") return [withBookmark(await adjustStock(db, first.change, Date.now()))];
    if (first.kind === "sweep") return [withBookmark(await sweepCarts(db, Date.now()))];
    const learnDue = !this.dueLearned;
    const { outcomes, due, learned } = await runGroup(db, jobs.map((j) => (j as { req: QueuedRequest }).req),
      { clock: this.clock, holdMs: this.holdMs, learnDue });
    if (learned) this.dueLearned = true;
    if (due !== null) await this.scheduleSweep(due);
    return outcomes.map(withBookmark);
  }
}
