import { env } from "cloudflare:workers";
import { AppError } from "../lib/errors";
import { withTimeout } from "../lib/with-timeout";
import type { SerializerFailure } from "../services/order-outcome";
import type { OrderSerializer } from "./order-serializer";

// One object serializes every stock change (see docs/decisions/order-serializer.md for sharding).
const SERIALIZER_NAME = "stock-v1";

export type Stub = DurableObjectStub<OrderSerializer>;

export function serializerStub(ns: DurableObjectNamespace<OrderSerializer>): Stub {
  // Made next to the D1 primary (wrangler.toml); a hint counts only when the object is first created.
  const hint = env.SERIALIZER_LOCATION_HINT as DurableObjectLocationHint | "";
  return ns.get(ns.idFromName(SERIALIZER_NAME), hint ? { locationHint: hint } : undefined);
}

/** The header a buyer retries with; the Worker makes one up when the buyer sent none. */
export const IDEMPOTENCY_HEADER = "Idempotency-Key";

/** A key for a buyer who sent none: handed back with OUTCOME_UNKNOWN, so the retry is safe too. */
export const generatedKey = () => `gen-${crypto.randomUUID()}`;

const unavailable = (why: string) =>
  new AppError("UNAVAILABLE", `The order service is unavailable (${why}); nothing was changed. Retry shortly.`, undefined, { "Retry-After": "1" });

const outcomeUnknown = (key: string | null, retry = "Retry the same request: it is idempotent.") => (key === null
  ? new AppError("OUTCOME_UNKNOWN", `The change may or may not have been made. ${retry}`, undefined, { "Retry-After": "1" })
  : new AppError("OUTCOME_UNKNOWN",
    `The change may or may not have been made. Retry with the ${IDEMPOTENCY_HEADER} header of this answer: the retry answers it if it was made, and makes it if not.`,
    undefined, { [IDEMPOTENCY_HEADER]: key, "Retry-After": "1" }));

/** The runtime refused the call before the object ran it (Cloudflare's `overloaded` errors): nothing happened. */
const notDelivered = (err: unknown) => (err as { overloaded?: boolean } | null)?.overloaded === true;

/**
 * Calls the serializer for a change made under `key` (the buyer's Idempotency-Key, or one made up;
 * null for a change that is idempotent by itself, like a cancel, or harmless to repeat, with `retry` saying
 * why), within `deadlineMs` for the whole wait. A call that fails in a way that leaves the outcome unknown is
 * retried once on a fresh stub: under the same key, a change that did happen answers again instead of
 * happening twice. Then:
 * - UNAVAILABLE (nothing was changed) only when that is known: the object refused the job, or the
 *   runtime refused the first call before it reached the object and the retry was refused too;
 * - OUTCOME_UNKNOWN with the key to retry with, whenever the change may have been made.
 */
export async function callSerializer<T>(
  ns: DurableObjectNamespace<OrderSerializer>,
  call: (stub: Stub) => Promise<T>,
  options: { key: string | null; deadlineMs: number; retry?: string },
): Promise<T> {
  const until = Date.now() + options.deadlineMs;
  const attempt = () => withTimeout(call(serializerStub(ns)), Math.max(1, until - Date.now()), "the order serializer");
  let unknown = false;
  try {
    return await attempt();
  } catch (first) {
    unknown = !notDelivered(first);
  }
  if (Date.now() >= until) throw unknown ? outcomeUnknown(options.key, options.retry) : unavailable("no answer in time");
  try {
    return await attempt();
  } catch (second) {
    if (unknown || !notDelivered(second)) throw outcomeUnknown(options.key, options.retry);
    throw unavailable("overloaded");
  }
}

export function throwFailure(outcome: SerializerFailure): never {
  const headers: Record<string, string> = outcome.retryAfter === undefined ? {} : { "Retry-After": String(outcome.retryAfter) };
  throw new AppError(outcome.code, outcome.message, outcome.details, headers);
}
