import { AppError } from "./errors";

// The binding answers only yes/no for a fixed window; Retry-After tells a client to wait that window.
const RETRY_AFTER_SECONDS = "60";

/** The client address Cloudflare vouches for; without it (local tools) everyone shares one bucket. */
export const clientKey = (headers: Headers) => headers.get("CF-Connecting-IP") ?? "unknown-client";

/**
 * Throws 429 RATE_LIMITED when this address has used its budget. Called before any storage is touched.
 * If the limiter itself fails, the request goes through (logged): a broken counter must not take the
 * shop down, and the serializer still bounds what a burst can do.
 */
export async function enforceRateLimit(limiter: RateLimit, key: string, what: string): Promise<void> {
  let allowed = true;
  try {
    allowed = (await limiter.limit({ key })).success;
  } catch (err) {
    console.error(JSON.stringify({ level: "error", event: "rate_limiter_failed", what, error: String(err) }));
  }
  if (!allowed) {
    throw new AppError("RATE_LIMITED", `Too many ${what} from this address; retry after ${RETRY_AFTER_SECONDS} s`, undefined, {
      "Retry-After": RETRY_AFTER_SECONDS,
    });
  }
}
