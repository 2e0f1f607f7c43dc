import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { Db } from "../db/resilient-d1";
import { primaryDb } from "../lib/d1-session";
import { type CacheDeps, type Payload, readDirect, readThrough } from "./payload-cache";

/** Builds the cache's dependencies from a request's bindings: the one place a Context meets a service. */
export function cacheDeps(c: Context<AppEnv>): CacheDeps {
  const ttl = Number(c.env.CACHE_TTL_SECONDS);
  return {
    kv: c.env.CACHE,
    ttlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 0,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  };
}

/**
 * A cached payload. A client that sent a bookmark wants at least that fresh, which KV can't promise,
 * so it reads its own session and bypasses the cache. Otherwise KV first, and a miss reads the primary
 * (see primaryDb) so no replica's lag is ever frozen into the cache.
 */
export function readCached(c: Context<AppEnv>, key: string, load: (db: Db) => Promise<string | null>): Promise<Payload | null> {
  if (c.get("bookmarkSent")) return readDirect(() => load(c.var.db));
  return readThrough(cacheDeps(c), key, () => load(primaryDb(c)));
}
