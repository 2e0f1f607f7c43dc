import type { MiddlewareHandler } from "hono";
import { clientKey, enforceRateLimit } from "../lib/rate-limit";
import type { AppEnv } from "./app-env";

type LimiterName = { [K in keyof Env]: Env[K] extends RateLimit ? K : never }[keyof Env];

/** A route's per-address limiter, first thing: before the body is read or any storage touched (429). */
export function limitPerAddress(limiter: LimiterName, what: string): MiddlewareHandler<AppEnv> {
  return async function limitPerAddressMiddleware(c, next) {
    await enforceRateLimit(c.env[limiter], clientKey(c.req.raw.headers), what);
    await next();
  };
}
