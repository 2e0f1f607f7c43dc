import { AppError } from "../lib/errors";
import { withTimeout } from "../lib/with-timeout";
import { logCacheFault } from "./cache-faults";

// Each write deletes exactly the payloads it made stale, and awaits that before it answers.
// What embeds what: GET /products/:id holds the product's fields and features; GET
// /products/:id/styles holds its styles, photos and skus (and only the product's id). Neither embeds
// another product, and the list and related payloads are not cached, so a write to product X never
// makes another product's entry stale — deleting X included (related links to X vanish with it, and
// related is read from D1 every time).

const KV_DELETE_TIMEOUT_MS = 1000;

async function deleteKeys(kv: KVNamespace, keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) =>
    withTimeout(kv.delete(key), KV_DELETE_TIMEOUT_MS, "KV delete").catch((err) => {
      logCacheFault("delete", key, err);
      throw err;
    })));
}

/** Deletes, retrying once; never throws (for callers that have already committed). */
export async function invalidateBestEffort(kv: KVNamespace, keys: string[]): Promise<boolean> {
  try {
    await deleteKeys(kv, keys);
    return true;
  } catch {
    return deleteKeys(kv, keys).then(() => true, () => false);
  }
}

/**
 * Delete, write, delete. The first delete must succeed or the write doesn't happen (503, nothing
 * changed): a write that committed while its delete failed would leave the old payload in KV for a
 * whole TTL. The second delete removes a payload that a read loaded from the old row and stored between
 * the first delete and the commit; it is best effort (logged), since the first one already removed the
 * entry that existed before the write. It runs whether the write answered or threw: a write can throw
 * after committing (a lost answer, a failed read-back), and a skipped delete would leave that payload.
 * A fill that stores even later undoes itself: the write's batch bumped the product's cache_version
 * (see payload-cache.ts).
 */
export async function writeInvalidating<T>(kv: KVNamespace, keys: string[], write: () => Promise<T>): Promise<T> {
  try {
    await deleteKeys(kv, keys);
  } catch {
    throw new AppError("UNAVAILABLE", "The cache could not be cleared, so nothing was changed. Retry shortly.", undefined, { "Retry-After": "1" });
  }
  try {
    return await write();
  } finally {
    await invalidateBestEffort(kv, keys);
  }
}
