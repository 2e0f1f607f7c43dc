import { CART_BODIES, CART_ITEMS_FOR_GROUP, CARTS_FOR_GROUP, NEXT_CART_DUE } from "../db/cart-queries";
import { LAST_CREATED_AT, ORDERS_BY_IDEMPOTENCY_KEYS, SKUS_FOR_GROUP } from "../db/order-queries";
import type { Db } from "../db/resilient-d1";
import { strongEtag } from "../lib/http";
import { withTimeout } from "../lib/with-timeout";
import type { QueuedRequest } from "./group-requests";

// A group's one read batch: the orders already placed under its keys, every sku it names or its carts
// hold (with what expired carts still hold of each), its carts and their lines; the bodies of the carts
// a checkout names with If-Match; once per object start, the clock's last created_at and the next time
// the sweep has work.

export interface SkuRow {
  sku_id: number; quantity: number; expired_held: number; size: string; style_id: number; style_name: string;
  unit_price: number; product_id: number; product_name: string;
}
export interface CartRecord {
  id: string; created_at: string; updated_at: string; expires_at: string; first_hold_at: string | null; order_id: string | null;
}
export interface ItemRecord { cart_id: string; sku_id: number; quantity: number; added_at: string }
export interface PriorOrder { key: string; id: string; request_hash: string }

export interface GroupSnapshot {
  prior: PriorOrder[];
  skus: SkuRow[];
  carts: CartRecord[];
  items: ItemRecord[];
  /** The current ETag of each cart a checkout names with If-Match. */
  etags: Map<string, string>;
  /** Read only when asked (once per object start). */
  lastCreatedAt?: string | null;
  nextDue?: { next_expiry: string | null; oldest_change: string | null };
}

/** The values once each, in first-seen order. */
export const unique = <T>(values: T[]) => [...new Set(values)];

export interface ReadOptions { now: string; learnClock: boolean; learnDue: boolean }

export async function readGroup(db: Db, reqs: QueuedRequest[], o: ReadOptions): Promise<GroupSnapshot> {
  const keys = unique(reqs.flatMap((r) => (r.kind === "order" || r.kind === "checkout" ? [r.req.idempotencyKey] : [])));
  const skuIds = unique(reqs.flatMap((r) => (r.kind === "order" ? r.req.items.map((i) => i.sku_id) : r.kind === "set-item" ? [r.skuId] : [])));
  const cartIds = unique(reqs.flatMap((r) => (r.kind === "checkout" ? [r.req.cartId] : r.kind === "order" ? [] : [r.cartId])));
  const matched = unique(reqs.flatMap((r) => (r.kind === "checkout" && r.req.ifMatch !== null ? [r.req.cartId] : [])));
  // Only the statements this group needs: a group of plain orders reads its keys and skus, nothing of carts.
  const statements: D1PreparedStatement[] = [];
  const add = (needed: boolean, stmt: () => D1PreparedStatement) => (needed ? statements.push(stmt()) - 1 : -1);
  const at = {
    prior: add(keys.length > 0, () => db.prepare(ORDERS_BY_IDEMPOTENCY_KEYS).bind(JSON.stringify(keys))),
    skus: add(skuIds.length > 0 || cartIds.length > 0, () => db.prepare(SKUS_FOR_GROUP).bind(JSON.stringify(skuIds), JSON.stringify(cartIds), o.now)),
    carts: add(cartIds.length > 0, () => db.prepare(CARTS_FOR_GROUP).bind(JSON.stringify(cartIds))),
    items: add(cartIds.length > 0, () => db.prepare(CART_ITEMS_FOR_GROUP).bind(JSON.stringify(cartIds))),
    bodies: add(matched.length > 0, () => db.prepare(CART_BODIES).bind(JSON.stringify(matched))),
    clock: add(o.learnClock, () => db.prepare(LAST_CREATED_AT)),
    due: add(o.learnDue, () => db.prepare(NEXT_CART_DUE)),
  };
  // The read may not outlast the earliest deadline: its requests are then refused, with nothing written.
  const readMs = Math.max(1, Math.min(...reqs.map((r) => r.deadline)) - Date.now());
  const results = statements.length === 0 ? [] : await withTimeout(db.batch<Record<string, unknown>>(statements), readMs, "the group's read");
  const rows = <T>(i: number) => (i < 0 ? [] : results[i]!.results as unknown as T[]);
  const etags = new Map(await Promise.all(rows<{ id: string; body: string }>(at.bodies).map(async (b) => [b.id, await strongEtag(b.body)] as const)));
  const snapshot: GroupSnapshot = {
    prior: rows<PriorOrder>(at.prior), skus: rows<SkuRow>(at.skus), carts: rows<CartRecord>(at.carts), items: rows<ItemRecord>(at.items), etags,
  };
  if (o.learnClock) snapshot.lastCreatedAt = (rows<{ last: string | null }>(at.clock)[0]?.last) ?? null;
  if (o.learnDue) snapshot.nextDue = rows<{ next_expiry: string | null; oldest_change: string | null }>(at.due)[0];
  return snapshot;
}
