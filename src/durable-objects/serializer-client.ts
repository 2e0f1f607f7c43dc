import { env } from "cloudflare:workers";
import { AppError } from "../lib/errors";
import type { SerializerFailure } from "../services/order-outcome";
import type { OrderSerializer } from "./order-serializer";

// One object serializes every stock change (see docs/decisions/order-serializer.md for sharding).
const SERIALIZER_NAME = "stock-v1";

type Stub = DurableObjectStub<OrderSerializer>;

export function serializerStub(ns: DurableObjectNamespace<OrderSerializer>): Stub {
  // Made next to the D1 primary (wrangler.toml); a hint counts only when the object is first created.
  const hint = env.SERIALIZER_LOCATION_HINT as DurableObjectLocationHint | "";
  return ns.get(ns.idFromName(SERIALIZER_NAME), hint ? { locationHint: hint } : undefined);
}

const unavailable = () =>
  new AppError("UNAVAILABLE", "The order service is busy; nothing was changed. Retry shortly.", undefined, { "Retry-After": "1" });

/**
 * Calls the serializer; when `retrySafe` (the call carries its own idempotency, like an order with its
 * key or a cancel), a failed call is retried once on a fresh stub — a retry after a lost answer then
 * replays instead of acting twice. Still failing: 503 UNAVAILABLE.
 */
export async function callSerializer<T>(
  ns: DurableObjectNamespace<OrderSerializer>,
  call: (stub: Stub) => Promise<T>,
  retrySafe: boolean,
): Promise<T> {
  try {
    return await call(serializerStub(ns));
  } catch (first) {
    if (!retrySafe || (first as { overloaded?: boolean }).overloaded) throw unavailable();
    try {
      return await call(serializerStub(ns));
    } catch {
      throw unavailable();
    }
  }
}

export function throwFailure(outcome: SerializerFailure): never {
  const headers: Record<string, string> = outcome.retryAfter === undefined ? {} : { "Retry-After": String(outcome.retryAfter) };
  throw new AppError(outcome.code, outcome.message, outcome.details, headers);
}
