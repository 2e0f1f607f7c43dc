import type { Context } from "hono";
import type { AppEnv } from "../middleware/app-env";
import type { Db } from "../db/resilient-d1";
import { primaryDb } from "../middleware/d1-session";
import { productCacheVersion } from "../services/catalog-reads";
import { isolateAdmission } from "../services/fill-admission";
import { type CacheDeps, type Payload, readDirect, readThrough, type VersionedBody } from "../services/payload-cache";

/** Builds the cache's dependencies from a request's bindings, at the edge: services never see a Context. */
export function cacheDeps(c: Context<AppEnv>): CacheDeps {
  const ttl = Number(c.env.CACHE_TTL_SECONDS);
  return {
    kv: c.env.CACHE,
    ttlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 0,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    admission: isolateAdmission,
  };
}

/**
 * A cached payload of one product. A client that sent a bookmark wants at least that fresh, which KV
 * can't promise, so it reads its own session and bypasses the cache. Otherwise KV first, and a miss
 * reads the primary (see primaryDb) so no replica's lag is ever frozen into the cache; the fill re-reads
 * the product's cache_version there too.
 */
export function readCached(
  c: Context<AppEnv>, key: string, productId: number, load: (db: Db) => Promise<VersionedBody | null>,
): Promise<Payload | null> {
  if (c.get("bookmarkSent")) return readDirect(async () => (await load(c.var.db))?.body ?? null);
  const db = primaryDb(c);
  return readThrough(cacheDeps(c), key, { load: () => load(db), version: () => productCacheVersion(db, productId) });
}
