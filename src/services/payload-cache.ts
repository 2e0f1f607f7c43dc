import { strongEtag } from "../lib/http";

// Read-through cache of exact response bodies. KV holds only what D1 can rebuild; the ETag rides in the
// entry's metadata so a hit re-encodes nothing and hashes nothing.

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

export interface CacheDeps {
  kv: KVNamespace;
  ttlSeconds: number; // 0 turns the cache off (the bench and scale runs measure D1 this way)
  waitUntil: (promise: Promise<unknown>) => void;
}

export async function readThrough(
  deps: CacheDeps,
  key: string,
  load: () => Promise<string | null>,
): Promise<Payload | null> {
  if (deps.ttlSeconds > 0) {
    const hit = await deps.kv.getWithMetadata<CacheMetadata>(key, "text");
    if (hit.value !== null && hit.metadata?.etag) {
      return { body: hit.value, etag: hit.metadata.etag, cacheHit: true, dbMs: null };
    }
  }
  const loaded = await timed(load);
  if (loaded.value === null) return null;
  const etag = await strongEtag(loaded.value);
  if (deps.ttlSeconds > 0) {
    const ttl = Math.max(KV_MIN_TTL_SECONDS, deps.ttlSeconds);
    deps.waitUntil(deps.kv.put(key, loaded.value, { expirationTtl: ttl, metadata: { etag } }));
  }
  return { body: loaded.value, etag, cacheHit: deps.ttlSeconds > 0 ? false : null, dbMs: loaded.ms };
}

/** An uncached payload: same headers, no KV. */
export async function readDirect(load: () => Promise<string | null>): Promise<Payload | null> {
  const loaded = await timed(load);
  if (loaded.value === null) return null;
  return { body: loaded.value, etag: await strongEtag(loaded.value), cacheHit: null, dbMs: loaded.ms };
}

export async function invalidate(kv: KVNamespace, keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => kv.delete(key)));
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  // Workers' clock advances only across I/O, which is exactly the D1 round trip measured here.
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}
