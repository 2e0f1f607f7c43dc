import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import { awaitFreshHere } from "../cache/fresh-here";
import { readCacheMs } from "../cache/read-cache";
import { BOOKMARK_HEADER } from "./d1-session";
import { isAdminRoute } from "./route-access";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An admin write that succeeded answers only once the next read in this location will show it: its
 * location's replica has caught up with the write's bookmark and the read cache's lifetime has passed
 * since (src/cache/fresh-here.ts). Orders don't wait: their stock may lag up to 2 s (API.md), which
 * the read cache's lifetime plus the replica's lag stays within (src/cache/timing.ts).
 */
export function freshHere(): MiddlewareHandler<AppEnv> {
  return async function freshHereMiddleware(c, next) {
    await next();
    if (c.req.method === "GET" || c.req.method === "HEAD" || !isAdminRoute(c.req.method, c.req.path)) return;
    const bookmark = c.res.status < 300 ? c.res.headers.get(BOOKMARK_HEADER) : null;
    if (!bookmark) return;
    const result = await awaitFreshHere({ db: c.env.DB, sleep }, bookmark, readCacheMs(c.env.READ_CACHE_MS));
    if (!result.replicaCaughtUp) {
      console.log(JSON.stringify({ level: "warn", event: "replica_behind", request_id: c.get("requestId"), bookmark, polls: result.polls }));
    }
  };
}
