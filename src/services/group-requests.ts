import { MAX_LINES, type PlaceOrderInput } from "../schemas/orders";

// What the serializer groups (docs/decisions/order-serializer.md, "Group commit"; docs/decisions/carts.md):
// every request that changes what a new buyer can take, decided in arrival order against one read.

export interface PlacementRequest {
  items: PlaceOrderInput["items"];
  idempotencyKey: string;
  requestHash: string;
}

/** POST /carts/:id/checkout: the key and hash work as an order's (the hash names the cart). */
export interface CheckoutRequest {
  cartId: string;
  idempotencyKey: string;
  requestHash: string;
  /** The If-Match header as sent, or null: the cart's ETag must still be current. */
  ifMatch: string | null;
}

export type GroupRequest =
  | { kind: "order"; req: PlacementRequest }
  /** The id is made by the Worker, so a retry after a lost answer finds the cart instead of making another. */
  | { kind: "create-cart"; cartId: string }
  /** PUT (quantity 1..1000 holds that many; 0 removes the line) and DELETE (quantity 0). */
  | { kind: "set-item"; cartId: string; skuId: number; quantity: number }
  | { kind: "checkout"; req: CheckoutRequest };

/** A request as the serializer holds it: past `deadline` (epoch ms) it is refused unless its write has begun. */
export type QueuedRequest = GroupRequest & { deadline: number };

/** API.md: a cart has at most as many lines as an order. */
export const MAX_CART_LINES = MAX_LINES;
/** No cart holds stock longer than this after its first hold, however often it is renewed. */
const MAX_HOLD_WINDOW_MS = 60 * 60_000;
const DEFAULT_CART_HOLD_MINUTES = 15;
/** API.md: a cart is deleted this long after its last change (its order, if any, stays). */
export const CART_RETENTION_MS = 24 * 60 * 60_000;

/**
 * CART_HOLD_MINUTES (wrangler.toml [vars]): how long each change renews a cart's holds for. A positive
 * number of minutes, fractions allowed (the carts bench expires carts within its run); anything else
 * keeps the default. At most the 60-minute window.
 */
export function cartHoldMs(raw: string | undefined): number {
  const minutes = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
  const ms = Number.isFinite(minutes) && minutes > 0 ? Math.round(minutes * 60_000) : DEFAULT_CART_HOLD_MINUTES * 60_000;
  return Math.max(1, Math.min(ms, MAX_HOLD_WINDOW_MS));
}

/** A change at `now` renews the cart's holds for holdMs, never past its first hold + the window. */
export function renewedExpiry(now: number, holdMs: number, firstHoldAt: string | null): number {
  const cap = firstHoldAt === null ? Infinity : Date.parse(firstHoldAt) + MAX_HOLD_WINDOW_MS;
  return Math.min(now + holdMs, cap);
}
