import { strongEtag } from "../lib/http";
import { withTimeout } from "../lib/with-timeout";
import { logCacheFault } from "./cache-faults";

// Read-through cache of exact response bodies. KV holds only what D1 can rebuild; the ETag rides in the
// entry's metadata so a hit re-encodes nothing and hashes nothing. KV is never a point of failure: a
// read that throws or hangs is logged and the request is served from D1.

export interface Payload {
  body: string;
  etag: string;
  cacheHit: boolean | null; // null: this payload is never cached
  dbMs: number | null;
}

interface CacheMetadata {
  etag: string;
}

// KV refuses expirationTtl below 60 seconds.
const KV_MIN_TTL_SECONDS = 60;
// A hot KV read takes a few ms; past this D1 answers sooner than a struggling KV would.
export const KV_READ_TIMEOUT_MS = 250;

export interface CacheDeps {
  kv: KVNamespace;
  ttlSeconds: number; // 0 turns the cache off (the bench and scale runs measure D1 this way)
  waitUntil: (promise: Promise<unknown>) => void;
}

async function cachedEntry(deps: CacheDeps, key: string): Promise<Payload | null> {
  try {
    const hit = await withTimeout(deps.kv.getWithMetadata<CacheMetadata>(key, "text"), KV_READ_TIMEOUT_MS, "KV read");
    if (hit.value === null || !hit.metadata?.etag) return null;
    return { body: hit.value, etag: hit.metadata.etag, cacheHit: true, dbMs: null };
  } catch (err) {
    logCacheFault("read", key, err);
    return null;
  }
}

export async function readThrough(deps: CacheDeps, key: string, load: () => Promise<string | null>): Promise<Payload | null> {
  if (deps.ttlSeconds <= 0) return readDirect(load);
  const hit = await cachedEntry(deps, key);
  if (hit) return hit;
  const loaded = await timed(load);
  if (loaded.value === null) return null;
  const etag = await strongEtag(loaded.value);
  const ttl = Math.max(KV_MIN_TTL_SECONDS, deps.ttlSeconds);
  // A failed put leaves no entry (KV writes are all or nothing), so it can't leave a stale one.
  deps.waitUntil(deps.kv.put(key, loaded.value, { expirationTtl: ttl, metadata: { etag } }).catch((err) => logCacheFault("fill", key, err)));
  return { body: loaded.value, etag, cacheHit: false, dbMs: loaded.ms };
}

/** An uncached payload: same headers, no KV. */
export async function readDirect(load: () => Promise<string | null>): Promise<Payload | null> {
  const loaded = await timed(load);
  if (loaded.value === null) return null;
  return { body: loaded.value, etag: await strongEtag(loaded.value), cacheHit: null, dbMs: loaded.ms };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  // Workers' clock advances only across I/O, which is exactly the D1 round trip measured here.
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}
