import type { Context } from "hono";
import type { AppEnv } from "../middleware/app-env";
import type { Db } from "../db/resilient-d1";
import { readCacheMs } from "../cache/read-cache";
import { strongEtag } from "../lib/http";
import { BOOKMARK_HEADER } from "../middleware/d1-session";

/** A body ready to send, with what Server-Timing reports about it. */
export interface Payload {
  body: string;
  etag: string;
  /** "hit" or "miss" for answers the read cache keeps; "none" for those it never keeps. */
  cache: "hit" | "miss" | "none";
  dbMs: number | null;
}

/** Runs `fn` and how long it took: the D1 round trip, since Workers' clock advances only across I/O. */
async function withDbTime<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** An answer read from this request's D1 session, never cached. */
export async function readDirect(load: () => Promise<string | null>): Promise<Payload | null> {
  const loaded = await withDbTime(load);
  if (loaded.value === null) return null;
  return { body: loaded.value, etag: await strongEtag(loaded.value), cache: "none", dbMs: loaded.ms };
}

/**
 * An answer the same for every shopper, through this isolate's read cache (src/cache/read-cache.ts): a
 * hit younger than READ_CACHE_MS and at least as fresh as the client's bookmark, else this request's
 * session (the nearest replica, or the client's bookmark), kept for the next reads. Not-found is never kept.
 */
export async function readCached(c: Context<AppEnv>, key: string, load: (db: Db) => Promise<string | null>): Promise<Payload | null> {
  const ttl = readCacheMs(c.env.READ_CACHE_MS);
  if (ttl > 0) {
    const hit = c.var.readCache.get(key, ttl, c.req.header(BOOKMARK_HEADER));
    if (hit) {
      if (hit.bookmark) c.header(BOOKMARK_HEADER, hit.bookmark);
      return { body: hit.body, etag: hit.etag, cache: "hit", dbMs: null };
    }
  }
  const readAt = Date.now(); // before the read is sent: the entry shows the database as of then or later
  const loaded = await withDbTime(() => load(c.var.db));
  if (loaded.value === null) return null;
  const etag = await strongEtag(loaded.value);
  if (ttl > 0) c.var.readCache.set(key, { body: loaded.value, etag, bookmark: c.var.sessionBookmark(), readAt });
  return { body: loaded.value, etag, cache: ttl > 0 ? "miss" : "none", dbMs: loaded.ms };
}
