import { newOrderId } from "../lib/ids";
import { ifMatchAccepts } from "../lib/http";
import type { GroupSnapshot, SkuRow } from "./group-read";
import { type CheckoutRequest, MAX_CART_LINES, type PlacementRequest, type QueuedRequest, renewedExpiry } from "./group-requests";
import { type CartOutcome, failure, type PlaceOrderOutcome, refused } from "./order-outcome";

// A decision per request, in arrival order, in memory (docs/decisions/carts.md): what an accepted order
// or hold takes is gone for the requests after it, what a release frees is there for them. `free` is what
// a new buyer can take of each sku: quantity + what expired carts still hold (a hold counts for nothing
// once the serializer's clock reaches its cart's expires_at, whether or not the sweep has removed it).

export interface Line { sku: SkuRow; quantity: number }
export interface NewOrder { id: string; key: string; hash: string; lines: Line[]; total: number }

export interface CartState {
  id: string; createdAt: string; updatedAt: string; expiresAt: string; firstHoldAt: string | null; orderId: string | null;
  /** Its lines now: sku → quantity and when the line was added. */
  items: Map<number, { quantity: number; addedAt: string }>;
  /** Its lines as read (what the write compares against). */
  readItems: Map<number, number>;
  isNew: boolean;
  changed: boolean;
}

export type Decision =
  | { answer: PlaceOrderOutcome | CartOutcome }
  | { orderId: string; replayed: boolean }
  | { cartId: string; replayed: boolean };

export interface GroupPlan {
  now: string;
  orders: NewOrder[];
  /** Carts created or changed by the group, as they end. */
  carts: CartState[];
  /** Skus whose expired holds must be released before the group takes stock. */
  expiredSkus: number[];
}

export interface DecideOptions { nowMs: number; holdMs: number; live: boolean[] }

export function decideGroup(reqs: QueuedRequest[], snap: GroupSnapshot, o: DecideOptions): { decisions: Decision[]; plan: GroupPlan } {
  const now = new Date(o.nowMs).toISOString();
  const known = new Map(snap.prior.map((p) => [p.key, { id: p.id, hash: p.request_hash }]));
  const skus = new Map(snap.skus.map((s) => [s.sku_id, s]));
  const free = new Map(snap.skus.map((s) => [s.sku_id, s.quantity + s.expired_held]));
  const carts = new Map(snap.carts.map((c): [string, CartState] => [c.id, {
    id: c.id, createdAt: c.created_at, updatedAt: c.updated_at, expiresAt: c.expires_at, firstHoldAt: c.first_hold_at,
    orderId: c.order_id, items: new Map(), readItems: new Map(), isNew: false, changed: false,
  }]));
  for (const i of snap.items) {
    const cart = carts.get(i.cart_id)!;
    cart.items.set(i.sku_id, { quantity: i.quantity, addedAt: i.added_at });
    cart.readItems.set(i.sku_id, i.quantity);
  }
  const orders: NewOrder[] = [];

  const touch = (cart: CartState) => {
    cart.updatedAt = now;
    cart.expiresAt = new Date(renewedExpiry(o.nowMs, o.holdMs, cart.firstHoldAt)).toISOString();
    cart.changed = true;
  };
  /** Refusals a closed or expired cart answers to every change. */
  const openCart = (id: string): CartState | { answer: CartOutcome } => {
    const cart = carts.get(id);
    if (!cart) return { answer: failure("CART_NOT_FOUND", `Cart ${id} does not exist`) };
    if (cart.orderId !== null) return { answer: closed(cart) };
    if (cart.expiresAt <= now) return { answer: expired(id) };
    return cart;
  };
  const place = (key: string, hash: string, lines: Line[]): string => {
    const order = { id: newOrderId(), key, hash, lines, total: lines.reduce((sum, l) => sum + l.sku.unit_price * l.quantity, 0) };
    orders.push(order);
    known.set(key, { id: order.id, hash });
    return order.id;
  };

  const decideOrder = (req: PlacementRequest): Decision => {
    const previous = known.get(req.idempotencyKey);
    if (previous?.hash === req.requestHash) return { orderId: previous.id, replayed: true };
    const missing = req.items.filter((i) => !skus.has(i.sku_id));
    if (missing.length > 0) {
      return { answer: failure("SKU_NOT_FOUND", `Sku ${missing[0]!.sku_id} does not exist`, missing.map((i) => ({ sku_id: i.sku_id }))) };
    }
    const short = req.items
      .map((i) => ({ sku_id: i.sku_id, requested: i.quantity, available: free.get(i.sku_id)! }))
      .filter((line) => line.available < line.requested);
    if (short.length > 0) return { answer: outOfStock(short) };
    if (previous) return { answer: failure("IDEMPOTENCY_CONFLICT", "This Idempotency-Key was already used with a different body") };
    for (const i of req.items) free.set(i.sku_id, free.get(i.sku_id)! - i.quantity);
    return { orderId: place(req.idempotencyKey, req.requestHash, req.items.map((i) => ({ sku: skus.get(i.sku_id)!, quantity: i.quantity }))), replayed: false };
  };

  const createCart = (id: string): Decision => {
    if (carts.has(id)) return { cartId: id, replayed: true }; // the Worker's retry of a create that was made
    carts.set(id, {
      id, createdAt: now, updatedAt: now, expiresAt: new Date(o.nowMs + o.holdMs).toISOString(), firstHoldAt: null,
      orderId: null, items: new Map(), readItems: new Map(), isNew: true, changed: true,
    });
    return { cartId: id, replayed: false };
  };

  const setItem = (cartId: string, skuId: number, quantity: number): Decision => {
    const cart = openCart(cartId);
    if ("answer" in cart) return cart;
    const line = cart.items.get(skuId);
    const current = line?.quantity ?? 0;
    if (quantity > 0) {
      if (!skus.has(skuId)) return { answer: failure("SKU_NOT_FOUND", `Sku ${skuId} does not exist`, [{ sku_id: skuId }]) };
      if (!line && cart.items.size >= MAX_CART_LINES) {
        return { answer: failure("VALIDATION_ERROR", `Cart ${cartId} already has ${MAX_CART_LINES} lines`,
          [{ field: "sku_id", message: `a cart holds at most ${MAX_CART_LINES} lines: remove one first` }]) };
      }
      // What this cart could hold: what is free, plus what it holds already.
      const available = free.get(skuId)! + current;
      if (quantity > available) return { answer: outOfStock([{ sku_id: skuId, requested: quantity, available }]) };
      free.set(skuId, available - quantity);
      cart.items.set(skuId, { quantity, addedAt: line?.addedAt ?? now });
      cart.firstHoldAt ??= now;
    } else if (line) {
      free.set(skuId, (free.get(skuId) ?? 0) + current);
      cart.items.delete(skuId);
    }
    touch(cart);
    return { cartId, replayed: false };
  };

  const checkout = (req: CheckoutRequest): Decision => {
    // A replay answers its order even once the cart is gone (the sweep deletes it a day after checkout).
    const previous = known.get(req.idempotencyKey);
    if (previous?.hash === req.requestHash) return { orderId: previous.id, replayed: true };
    const cart = openCart(req.cartId);
    if ("answer" in cart) return cart;
    // A change earlier in this group is a change since any ETag the client holds.
    const etag = cart.changed ? undefined : snap.etags.get(cart.id);
    if (req.ifMatch !== null && !ifMatchAccepts(req.ifMatch, etag)) {
      return { answer: failure("PRECONDITION_FAILED", `Cart ${cart.id} or a price in it changed since that ETag: read it again`) };
    }
    if (cart.items.size === 0) return { answer: failure("CART_EMPTY", `Cart ${cart.id} is empty: add an item before checking out`) };
    if (previous) return { answer: failure("IDEMPOTENCY_CONFLICT", "This Idempotency-Key was already used with a different body") };
    // Its lines are live holds, so the units are its own: nothing to check against `free`.
    const lines = [...cart.items].sort((a, b) => (a[1].addedAt < b[1].addedAt ? -1 : a[1].addedAt > b[1].addedAt ? 1 : a[0] - b[0]))
      .map(([skuId, item]) => ({ sku: skus.get(skuId)!, quantity: item.quantity }));
    cart.orderId = place(req.idempotencyKey, req.requestHash, lines);
    cart.items.clear();
    cart.updatedAt = now;
    cart.changed = true;
    return { orderId: cart.orderId, replayed: false };
  };

  const decisions = reqs.map((r, i): Decision => {
    if (!o.live[i]) return { answer: refused(1) };
    switch (r.kind) {
      case "order": return decideOrder(r.req);
      case "create-cart": return createCart(r.cartId);
      case "set-item": return setItem(r.cartId, r.skuId, r.quantity);
      case "checkout": return checkout(r.req);
    }
  });
  const expiredSkus = snap.skus.filter((s) => s.expired_held > 0).map((s) => s.sku_id);
  return { decisions, plan: { now, orders, carts: [...carts.values()].filter((c) => c.changed), expiredSkus } };
}

const closed = (cart: CartState) =>
  failure("CART_CLOSED", `Cart ${cart.id} was checked out: order ${cart.orderId}`, { order_id: cart.orderId });

const expired = (id: string) => failure("CART_EXPIRED", `Cart ${id} has expired: its holds were released. Start a new cart.`);

function outOfStock(short: { sku_id: number; requested: number; available: number }[]) {
  const skuList = short.map((s) => s.sku_id).join(", ");
  return failure("OUT_OF_STOCK", `Not enough stock for sku ${skuList}; nothing was taken`, short);
}
