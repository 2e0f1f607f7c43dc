import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";

// A client's own id is echoed only when it is short and plain, so it can't smuggle text into logs.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestIdMiddleware(c, next) {
    const sent = c.req.header("X-Request-Id");
    const id = sent && SANE_REQUEST_ID.test(sent) ? sent : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.res.headers.set("X-Request-Id", id);
  };
}
