import { invalidateBestEffort } from "../services/cache-invalidation";
import { keysForStock } from "../services/cache-keys";
import { rememberStaleKeys, scheduleAlarm } from "./stale-cache-retry";

// Cache deletes after ORDER-driven stock changes (docs/decisions/order-serializer.md, "Cache deletes").
// KV takes one write per key per second and a delete is a write, so at flash-sale rates a hot
// product's keys are deleted at most once a second. What that skips is covered by a trailing delete
// of the product's keys at least TRAILING_DELETE_MS after its LAST order-driven change, kept in the
// object's storage (written before the D1 batch, moved forward after it) and run by the alarm, so an
// object reset between commit and delete loses nothing. Admin changes (cancel, restock) delete at
// once instead (`deleteNow`), and bump products.cache_version in their batch.

const TRAIL_PREFIX = "trail:";
/** No key is deleted twice within this many ms by the order path. */
export const MIN_DELETE_GAP_MS = 1_000;
/** The trailing delete runs at least this long after the product's last order-driven stock change. */
export const TRAILING_DELETE_MS = 1_500;
/** storage.put/get/delete take at most 128 keys at once. */
const PUT_CHUNK = 128;

export class CacheCoalescer {
  private readonly lastDelete = new Map<number, number>();

  constructor(private readonly storage: DurableObjectStorage, private readonly kv: () => KVNamespace) {}

  /** Before a write that may change these products' stock: a trailing delete the alarm will run. */
  async recordTrailing(productIds: number[], now = Date.now()): Promise<void> {
    if (productIds.length === 0) return;
    const due = now + TRAILING_DELETE_MS;
    for (let i = 0; i < productIds.length; i += PUT_CHUNK) {
      await this.storage.put(Object.fromEntries(productIds.slice(i, i + PUT_CHUNK).map((id) => [`${TRAIL_PREFIX}${id}`, due])));
    }
    await scheduleAlarm(this.storage, due);
  }

  /**
   * After an order-driven change committed: the trailing delete moves to TRAILING_DELETE_MS from now,
   * and the keys not deleted within the last MIN_DELETE_GAP_MS are deleted now, once each.
   */
  async afterOrders(productIds: number[]): Promise<void> {
    const now = Date.now();
    await this.recordTrailing(productIds, now);
    const due = productIds.filter((id) => now - (this.lastDelete.get(id) ?? -Infinity) >= MIN_DELETE_GAP_MS);
    await this.deleteProducts(due, now);
  }

  /** After an admin stock change: delete now, whatever the gap (the contract is strict there). */
  async deleteNow(productIds: number[]): Promise<void> {
    await this.deleteProducts(productIds, Date.now());
  }

  /** The alarm's share: run every trailing delete that is due; returns when the next one is. */
  async runDue(now = Date.now()): Promise<number | null> {
    const records = await this.storage.list<number>({ prefix: TRAIL_PREFIX });
    const due = [...records].filter(([, at]) => at <= now);
    await this.deleteProducts(due.map(([key]) => Number(key.slice(TRAIL_PREFIX.length))), now);
    // A record moved forward by a group while the keys were being deleted stays for its own turn.
    for (let i = 0; i < due.length; i += PUT_CHUNK) {
      const chunk = due.slice(i, i + PUT_CHUNK);
      const current = await this.storage.get<number>(chunk.map(([key]) => key));
      const done = chunk.filter(([key, at]) => current.get(key) === at).map(([key]) => key);
      if (done.length > 0) await this.storage.delete(done);
    }
    const left = [...(await this.storage.list<number>({ prefix: TRAIL_PREFIX })).values()];
    if (left.length === 0) return null;
    const next = Math.min(...left);
    await scheduleAlarm(this.storage, next);
    return next;
  }

  private async deleteProducts(productIds: number[], now: number): Promise<void> {
    if (productIds.length === 0) return;
    for (const id of productIds) this.lastDelete.set(id, now);
    const keys = keysForStock(productIds);
    if (!(await invalidateBestEffort(this.kv(), keys))) await rememberStaleKeys(this.storage, keys);
  }
}
