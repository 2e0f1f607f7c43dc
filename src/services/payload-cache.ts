import { strongEtag } from "../lib/http";
import { withTimeout } from "../lib/with-timeout";
import { logCacheFault } from "./cache-faults";
import type { FillAdmission } from "./fill-admission";

// Read-through cache of exact response bodies. KV holds only what D1 can rebuild; the ETag rides in the
// entry's metadata so a hit re-encodes nothing and hashes nothing. KV is never a point of failure: a
// read that throws or hangs is logged and the request is served from D1.
//
// A fill never outlives a write (docs/decisions/cache-keys.md): it reads the body together with the
// product's cache_version, stores it, then re-reads the version from the primary and deletes what it
// stored if the version moved (every admin catalog write bumps it in its batch) or the product is gone;
// and a fill slower than FILL_WINDOW_MS deletes what it stored whatever the version says.

export interface Payload {
  body: string;
  etag: string;
  cacheHit: boolean | null; // null: this payload is never cached
  dbMs: number | null;
}

/** A cacheable body and the product's cache_version, read by one statement. */
export interface VersionedBody {
  body: string;
  version: number;
}

export interface CacheSource {
  /** The body with the product's cache_version, from the primary; null when the product doesn't exist. */
  load: () => Promise<VersionedBody | null>;
  /** The product's cache_version now, from the primary; null when the product is gone. */
  version: () => Promise<number | null>;
}

interface CacheMetadata {
  etag: string;
}

// KV refuses expirationTtl below 60 seconds.
const KV_MIN_TTL_SECONDS = 60;
// A hot KV read takes a few ms; past this D1 answers sooner than a struggling KV would.
export const KV_READ_TIMEOUT_MS = 250;
/**
 * The longest a fill may take from starting its D1 read to its KV put completing and still keep its
 * entry. Orders coalesced into a trailing delete (more than one a second on a product) don't bump the
 * version (a flash sale would make every fill of the hot product undo itself); instead the serializer
 * deletes a product's keys again at least 1.5 s after its last order-driven change. A fill that read before that order committed and stayed within this
 * window has landed before that trailing delete, which removes it; a slower one removes itself.
 */
export const FILL_WINDOW_MS = 1000;
// KV takes about one write per key per second: an undo that follows its own put too closely may be
// refused, so it is retried once after this long.
const UNDO_RETRY_MS = 1100;

export interface CacheDeps {
  kv: KVNamespace;
  ttlSeconds: number; // 0 turns the cache off (the bench and scale runs measure D1 this way)
  waitUntil: (promise: Promise<unknown>) => void;
  admission: FillAdmission;
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

export async function readThrough(deps: CacheDeps, key: string, source: CacheSource): Promise<Payload | null> {
  if (deps.ttlSeconds <= 0) return readDirect(async () => (await source.load())?.body ?? null);
  // A key this isolate hasn't read recently is cold: KV almost surely lacks it, and one read is no reason
  // to store it (see fill-admission.ts). It is read from D1 only, and remembered.
  const warm = deps.admission.readBefore(key);
  if (warm) {
    const hit = await cachedEntry(deps, key);
    if (hit) return hit;
  }
  const started = Date.now(); // Workers' clock advances across I/O: the D1 read and the KV put
  const loaded = await timed(source.load);
  if (loaded.value === null) return null;
  const etag = await strongEtag(loaded.value.body);
  if (warm) deps.waitUntil(fill(deps, key, loaded.value, etag, started, source));
  return { body: loaded.value.body, etag, cacheHit: false, dbMs: loaded.ms };
}

/** Stores the payload, then removes it again if a write may have changed it since it was read. */
async function fill(deps: CacheDeps, key: string, loaded: VersionedBody, etag: string, started: number, source: CacheSource): Promise<void> {
  const ttl = Math.max(KV_MIN_TTL_SECONDS, deps.ttlSeconds);
  try {
    await deps.kv.put(key, loaded.body, { expirationTtl: ttl, metadata: { etag } });
  } catch (err) {
    // A failed put leaves no entry (KV writes are all or nothing), so it can't leave a stale one.
    logCacheFault("fill", key, err);
    return;
  }
  if (Date.now() - started > FILL_WINDOW_MS) return undoFill(deps.kv, key);
  // Re-read after the put: a write that commits after this read also deletes after it, so after the put.
  const current = await source.version().catch((err: unknown) => {
    logCacheFault("fill check", key, err);
    return undefined; // unknown: undo, to be safe
  });
  if (current !== loaded.version) return undoFill(deps.kv, key);
}

async function undoFill(kv: KVNamespace, key: string): Promise<void> {
  try {
    await kv.delete(key);
  } catch {
    await new Promise((resolve) => setTimeout(resolve, UNDO_RETRY_MS));
    await kv.delete(key).catch((err: unknown) => logCacheFault("fill undo", key, err));
  }
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
