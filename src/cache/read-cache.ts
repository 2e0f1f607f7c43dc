import { DEFAULT_READ_CACHE_MS, MAX_READ_CACHE_MS, READ_CACHE_ENTRIES } from "./timing";

// A short-lived cache of whole answers in the isolate's memory: a hot product read a thousand times a
// second costs its location's replica about one read a second per isolate. Nothing ever invalidates an
// entry: it simply stops being served `ttlMs` after its D1 read was sent. That is what lets the
// freshness rules hold without any cross-isolate signal (docs/decisions/freshness.md):
// - a write answers only once its location's replica shows it AND `ttlMs` has passed since (see
//   fresh-here.ts), so every entry that could predate it has stopped being served;
// - elsewhere an entry is at most `ttlMs` + the replica's lag behind.

export interface CachedAnswer {
  body: string;
  etag: string;
  /** The D1 bookmark of the session that read it: a client holding a newer one skips this entry. */
  bookmark: string | null;
  /** When the D1 read was sent (the entry shows the database as of then or later). */
  readAt: number;
}

/** READ_CACHE_MS as milliseconds: "0" turns the cache off; anything else is clamped to MAX_READ_CACHE_MS. */
export function readCacheMs(raw: string | undefined): number {
  const n = raw === undefined || raw.trim() === "" ? DEFAULT_READ_CACHE_MS : Number(raw);
  if (!Number.isFinite(n) || n < 0) return DEFAULT_READ_CACHE_MS;
  return Math.min(Math.floor(n), MAX_READ_CACHE_MS);
}

export class ReadCache {
  private readonly entries = new Map<string, CachedAnswer>();

  constructor(private readonly limit = READ_CACHE_ENTRIES) {}

  /**
   * The entry for `key` if it is younger than `ttlMs` and at least as fresh as the client's bookmark
   * (bookmarks sort oldest to newest), else undefined.
   */
  get(key: string, ttlMs: number, clientBookmark: string | undefined, now = Date.now()): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.readAt >= ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    if (clientBookmark !== undefined && (entry.bookmark === null || entry.bookmark < clientBookmark)) return undefined;
    return entry;
  }

  /** Keeps the newer of two answers for a key (reads finish out of order). */
  set(key: string, entry: CachedAnswer): void {
    const current = this.entries.get(key);
    if (current && current.readAt > entry.readAt) return;
    this.entries.delete(key); // re-inserted last: the Map's order is the forgetting order
    this.entries.set(key, entry);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
}
