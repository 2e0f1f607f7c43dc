import type { ErrorCode } from "../lib/errors";

// What the serializer answers over RPC: plain data (an Error's class doesn't survive the trip).
// `retryAfter` (seconds) comes with UNAVAILABLE: the serializer refused the job before touching stock.
export type SerializerFailure = { ok: false; code: ErrorCode; message: string; details?: unknown; retryAfter?: number };

export type PlaceOrderOutcome =
  | { ok: true; orderId: string; body: string; replayed: boolean }
  | SerializerFailure;

export type CancelOrderOutcome =
  | { ok: true; cancelledNow: boolean }
  | SerializerFailure;

export type AdjustStockOutcome =
  | { ok: true; skuId: number; quantity: number; available: number; replayed: boolean }
  | SerializerFailure;

/** A cart as the serializer answers a create, a hold or a release: its body as GET /carts/:id shows it. */
export type CartOutcome =
  | { ok: true; cartId: string; body: string; replayed: boolean }
  | SerializerFailure;

/** What the alarm's sweep did, and when it next has work (epoch ms; null: no cart left). */
export type SweepOutcome =
  | { ok: true; releasedLines: number; deletedCarts: number; nextDue: number | null }
  | SerializerFailure;

export const failure = (code: ErrorCode, message: string, details?: unknown): SerializerFailure =>
  ({ ok: false, code, message, ...(details === undefined ? {} : { details }) });

/** Every serializer answer carries the D1 bookmark of its session, for the X-D1-Bookmark header. */
export type WithBookmark<T> = T & { bookmark: string | null };

/** The serializer refused the job before it touched stock (busy, or past its deadline): nothing was changed. */
export const refused = (retryAfter: number): SerializerFailure =>
  ({ ok: false, code: "UNAVAILABLE", message: "The order service is busy; nothing was changed. Retry shortly.", retryAfter });
