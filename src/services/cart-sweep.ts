import { NEXT_CART_DUE, SWEEP_EXPIRED_HOLDS, SWEEP_OLD_CARTS } from "../db/cart-queries";
import type { Db } from "../db/resilient-d1";
import { CART_RETENTION_MS } from "./group-requests";
import type { SweepOutcome } from "./order-outcome";

// The serializer's alarm (docs/decisions/carts.md): with no request arriving, the lines of expired carts
// are deleted (the triggers give their units back to skus.quantity, so the styles payload and search's
// in_stock show them again) and carts unchanged for 24 h go. One batch, bounded: a backlog bigger than
// SWEEP_LIMIT is worked off by the next sweeps, which the answer's nextDue (now) brings on at once.

const SWEEP_LIMIT = 500;

export async function sweepCarts(db: Db, nowMs: number): Promise<SweepOutcome> {
  const now = new Date(nowMs).toISOString();
  const [holds, carts, next] = await db.batch<{ next_expiry: string | null; oldest_change: string | null }>([
    db.prepare(SWEEP_EXPIRED_HOLDS).bind(now, SWEEP_LIMIT),
    db.prepare(SWEEP_OLD_CARTS).bind(new Date(nowMs - CART_RETENTION_MS).toISOString(), SWEEP_LIMIT),
    db.prepare(NEXT_CART_DUE),
  ]);
  return { ok: true, releasedLines: holds!.meta.changes ?? 0, deletedCarts: carts!.meta.changes ?? 0, nextDue: nextDueOf(next!.results[0]!) };
}

/** When the sweep next has work, from NEXT_CART_DUE's row: the next hold to expire, or a cart's 24 h since its last change (epoch ms). */
export function nextDueOf({ next_expiry, oldest_change }: { next_expiry: string | null; oldest_change: string | null }): number | null {
  const dues = [
    ...(next_expiry === null ? [] : [Date.parse(next_expiry)]),
    ...(oldest_change === null ? [] : [Date.parse(oldest_change) + CART_RETENTION_MS]),
  ];
  return dues.length === 0 ? null : Math.min(...dues);
}
