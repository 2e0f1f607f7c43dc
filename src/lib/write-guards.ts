import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { BOOKMARK_HEADER } from "./cors-policy";
import { clientKey, enforceRateLimit } from "./rate-limit";

/** POST /orders: the order limiter, first thing — before the body is read or any storage touched. */
export function limitOrders(): MiddlewareHandler<AppEnv> {
  return async function limitOrdersMiddleware(c, next) {
    await enforceRateLimit(c.env.ORDER_RATE_LIMITER, clientKey(c.req.raw.headers), "orders");
    await next();
  };
}

export const bookmarkHeader = (bookmark: string | null): Record<string, string> =>
  (bookmark ? { [BOOKMARK_HEADER]: bookmark } : {});
