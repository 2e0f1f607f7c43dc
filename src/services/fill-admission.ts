// Which misses may fill KV: "store on the second miss". Over a 1M catalog read uniformly, almost every
// payload is read once in a long while, so storing it on its first miss buys a KV write (and, before
// it, a KV read) that nothing ever reads back. The first miss of a key is only remembered here; a key
// this isolate has never missed goes straight to D1 without asking KV, so such a miss costs what a
// cache-off read costs. See docs/decisions/cache-keys.md ("Admission") for the measurement and for why
// the memory is the isolate's and not the Cache API.

/** How many keys an isolate remembers (about 50 bytes each): the oldest is forgotten first. */
export const ADMISSION_MEMORY_KEYS = 50_000;

export interface FillAdmission {
  /**
   * Records a read of `key` and answers whether the key was read before (recently, by this isolate):
   * only then is KV worth asking, and a miss worth storing.
   */
  readBefore(key: string): boolean;
}

/** A bounded memory of recently read keys, oldest forgotten first (a Map keeps insertion order). */
export function recentReads(limit = ADMISSION_MEMORY_KEYS): FillAdmission {
  const seen = new Set<string>();
  return {
    readBefore(key) {
      const before = seen.delete(key);
      seen.add(key); // (re)inserted last: a key read often is the last to be forgotten
      if (seen.size > limit) seen.delete(seen.values().next().value!);
      return before;
    },
  };
}

/** The isolate's memory, shared by every request it serves. */
export const isolateAdmission = recentReads();
