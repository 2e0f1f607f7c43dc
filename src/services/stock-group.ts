import { isConstraintFailure } from "../db/d1-errors";
import type { Db } from "../db/resilient-d1";
import { TimeoutError } from "../lib/with-timeout";
import { nextDueOf } from "./cart-sweep";
import { type Decision, decideGroup, type GroupPlan } from "./group-decide";
import { readGroup, unique } from "./group-read";
import { CART_RETENTION_MS, type QueuedRequest } from "./group-requests";
import { groupWrite } from "./group-write";
import { type CartOutcome, type PlaceOrderOutcome, refused } from "./order-outcome";

// The read-decide-write of a group (docs/decisions/order-serializer.md, "Group commit"; carts.md): one
// read batch for every key, sku and cart of the group, a decision per request in arrival order in memory,
// one write batch of a fixed number of statements for everything accepted. The serializer runs one group
// at a time, so a group sees everything every earlier group committed, and a short line or hold is
// answered with accurate numbers.

/**
 * A group's write that fails on a constraint (a catalog write changed a sku between the group's read
 * and its write) is tried once more from a fresh read; failing again, its requests are refused (nothing
 * was written). So one bad request costs the others one more read and write, never a round trip each.
 */
export const GROUP_WRITE_ATTEMPTS = 2;

/**
 * created_at for the serializer's groups: `max(now, last + 1 ms)`, so it strictly increases from one
 * committed group to the next even though the Workers clock stands still during a synchronous pass.
 * `last` is read back from D1 by the object's first group (LAST_CREATED_AT).
 */
export class OrderClock {
  private last: number | null = null;

  get known(): boolean {
    return this.last !== null;
  }

  learn(iso: string | null): void {
    if (this.last === null) this.last = iso === null ? 0 : Date.parse(iso);
  }

  next(now = Date.now()): string {
    this.last = Math.max(now, (this.last ?? 0) + 1);
    return new Date(this.last).toISOString();
  }
}

export type GroupOutcome = PlaceOrderOutcome | CartOutcome;

export interface GroupSettings {
  clock: OrderClock;
  /** CART_HOLD_MINUTES in ms. */
  holdMs: number;
  /** Read when the sweep next has work (the object's first group learns it, to set its alarm). */
  learnDue: boolean;
}

/**
 * One outcome per request, in order; the earliest moment the sweep has work among what the group wrote
 * or read (epoch ms); whether it read that for the whole database (`learnDue`).
 */
export interface GroupResult { outcomes: GroupOutcome[]; due: number | null; learned: boolean }

export async function runGroup(db: Db, reqs: QueuedRequest[], settings: GroupSettings): Promise<GroupResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runOnce(db, reqs, settings);
    } catch (err) {
      // The read ran past the deadline, or the write kept failing: nothing written.
      const refusedAll = { outcomes: reqs.map(() => refused(1)), due: null, learned: false };
      if (err instanceof TimeoutError) return refusedAll;
      if (!isConstraintFailure(err)) throw err;
      if (attempt >= GROUP_WRITE_ATTEMPTS) return refusedAll;
    }
  }
}

async function runOnce(db: Db, reqs: QueuedRequest[], s: GroupSettings): Promise<GroupResult> {
  const nowMs = Date.now();
  const snap = await readGroup(db, reqs, { now: new Date(nowMs).toISOString(), learnClock: !s.clock.known, learnDue: s.learnDue });
  if (snap.lastCreatedAt !== undefined) s.clock.learn(snap.lastCreatedAt);
  const learned = snap.nextDue ? nextDueOf(snap.nextDue) : null;

  // Past its deadline (its caller is about to give up), a request is refused before anything is written.
  const readDone = Date.now();
  const { decisions, plan } = decideGroup(reqs, snap, { nowMs, holdMs: s.holdMs, live: reqs.map((r) => r.deadline > readDone) });
  const orderIds = unique(decisions.flatMap((d) => ("orderId" in d ? [d.orderId] : [])));
  const cartIds = unique(decisions.flatMap((d) => ("cartId" in d ? [d.cartId] : [])));
  const writes = plan.orders.length > 0 || plan.carts.length > 0;
  if (!writes && orderIds.length === 0 && cartIds.length === 0) {
    return { outcomes: decisions.map((d) => (d as { answer: GroupOutcome }).answer), due: learned, learned: snap.nextDue !== undefined };
  }
  const batch = groupWrite(db, writes ? plan : { ...plan, expiredSkus: [] }, plan.orders.length > 0 ? s.clock.next() : plan.now, { orderIds, cartIds });
  const results = await db.batch<{ id: string; body: string }>(batch.statements);
  const bodies = (at: number) => new Map(at < 0 ? [] : results[at]!.results.map((row) => [row.id, row.body]));
  const orders = bodies(batch.orderBodies), carts = bodies(batch.cartBodies);
  return { outcomes: decisions.map((d) => answerOf(d, orders, carts)), due: earliest([learned, ...duesOf(plan)]), learned: snap.nextDue !== undefined };
}

function answerOf(d: Decision, orders: Map<string, string>, carts: Map<string, string>): GroupOutcome {
  if ("answer" in d) return d.answer;
  if ("orderId" in d) {
    const body = orders.get(d.orderId);
    if (body === undefined) throw new Error(`order ${d.orderId} was not found after its group committed`);
    return { ok: true, orderId: d.orderId, body, replayed: d.replayed };
  }
  const body = carts.get(d.cartId);
  if (body === undefined) throw new Error(`cart ${d.cartId} was not found after its group committed`);
  return { ok: true, cartId: d.cartId, body, replayed: d.replayed };
}

/** When the sweep has work because of this group: its carts' holds expire, and each cart is deleted a day after its last change. */
function duesOf(plan: GroupPlan): (string | number | null)[] {
  return plan.carts.flatMap((c) => [c.items.size > 0 ? c.expiresAt : null, retention(c.updatedAt)]);
}

const retention = (changedAt: string) => Date.parse(changedAt) + CART_RETENTION_MS;

function earliest(times: (string | number | null)[]): number | null {
  const ms = times.filter((t): t is string | number => t !== null).map((t) => (typeof t === "number" ? t : Date.parse(t)));
  return ms.length === 0 ? null : Math.min(...ms);
}

