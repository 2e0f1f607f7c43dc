import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import { PRIVATE_CACHE_CONTROL } from "../lib/http";
import { isPrivateRoute } from "./route-access";

/**
 * Headers every response carries, errors included: nosniff everywhere, and `private, no-store` on order
 * and admin answers (an order is private to whoever holds its id: no shared cache may keep it). The
 * one place this header is set for those routes; handlers leave it alone.
 */
export function responseHeaders(): MiddlewareHandler<AppEnv> {
  return async function responseHeadersMiddleware(c, next) {
    await next();
    c.res.headers.set("X-Content-Type-Options", "nosniff");
    if (isPrivateRoute(c.req.method, c.req.path)) c.res.headers.set("Cache-Control", PRIVATE_CACHE_CONTROL);
  };
}
