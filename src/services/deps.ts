import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { CacheDeps } from "./payload-cache";

/** Builds the cache's dependencies from a request's bindings: the one place a Context meets a service. */
export function cacheDeps(c: Context<AppEnv>): CacheDeps {
  const ttl = Number(c.env.CACHE_TTL_SECONDS);
  return {
    kv: c.env.CACHE,
    ttlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 0,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  };
}
