import { invalidateBestEffort } from "../services/cache-invalidation";
import { keysForStock } from "../services/cache-keys";
import { rememberStaleKeys, scheduleAlarm } from "./stale-cache-retry";

// Cache deletes after ORDER-driven stock changes (docs/decisions/order-serializer.md, "Cache deletes").
// KV takes one write per key per second and a delete is a write, so at flash-sale rates a hot
// product's keys are deleted at most once a second. A product whose keys weren't deleted in the last
// MIN_DELETE_GAP_MS is deleted right after the commit, and the order batch bumps its cache_version, so
// a fill that read the old stock undoes itself: nothing more is needed. What the gap skips is covered
// by a trailing delete of the product's keys at least TRAILING_DELETE_MS after its LAST order-driven
// change. Every product gets a trailing record in the object's storage before the D1 batch, so an
// object reset between commit and delete loses nothing; it is dropped once the immediate delete is
// done. Admin changes (cancel, restock) delete at once (`deleteNow`) and bump the version too.

const TRAIL_PREFIX = "trail:";
/** No key is deleted twice within this many ms by the order path. */
export const MIN_DELETE_GAP_MS = 1_000;
/** The trailing delete runs at least this long after the product's last order-driven stock change. */
export const TRAILING_DELETE_MS = 1_500;
/** storage.put/get/delete take at most 128 keys at once. */
const PUT_CHUNK = 128;

/** What an order group's write was told before its batch: which products it bumps, and their records. */
export interface OrderPlan {
  /** Products deleted right after the commit (their batch bumps cache_version). */
  bumped: Set<number>;
  /** The trailing-record due time written for each product before the batch. */
  due: Map<number, number>;
}

export const emptyPlan = (): OrderPlan => ({ bumped: new Set(), due: new Map() });

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
   * Before an order group's write (it may run more than once for one group: the plan collects them):
   * records a trailing delete for every product, and answers those whose keys will be deleted right
   * after the commit (none deleted within MIN_DELETE_GAP_MS), for the batch to bump.
   */
  async beforeOrders(productIds: number[], plan: OrderPlan): Promise<number[]> {
    const now = Date.now();
    const immediate = productIds.filter((id) => plan.bumped.has(id) || this.gapAllows(id, now));
    await this.recordTrailing(productIds, now);
    for (const id of productIds) plan.due.set(id, now + TRAILING_DELETE_MS);
    for (const id of immediate) plan.bumped.add(id);
    return immediate;
  }

  /**
   * After an order-driven change committed: the products the batch bumped are deleted now, and then
   * need no trailing delete (a late fill undoes itself); for the others (coalesced, or replays that
   * wrote nothing) the trailing delete moves to TRAILING_DELETE_MS from now, and any not deleted within
   * MIN_DELETE_GAP_MS are deleted now too.
   */
  async afterOrders(productIds: number[], plan: OrderPlan): Promise<void> {
    const now = Date.now();
    const bumped = productIds.filter((id) => plan.bumped.has(id));
    const rest = productIds.filter((id) => !plan.bumped.has(id));
    // Started first: deleteProducts claims its keys in lastDelete before its first await, so the next
    // group's plan, made while these deletes run, sees them; the storage write runs beside the KV deletes.
    const deleting = this.deleteProducts([...bumped, ...rest.filter((id) => this.gapAllows(id, now))], now);
    await this.recordTrailing(rest, now);
    if (!(await deleting)) return; // remembered and retried: keep the records too
    await this.dropRecords(bumped.map((id) => [`${TRAIL_PREFIX}${id}`, plan.due.get(id)!]));
  }

  private gapAllows(productId: number, now: number): boolean {
    return now - (this.lastDelete.get(productId) ?? -Infinity) >= MIN_DELETE_GAP_MS;
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
    await this.dropRecords(due);
    const left = [...(await this.storage.list<number>({ prefix: TRAIL_PREFIX })).values()];
    if (left.length === 0) return null;
    const next = Math.min(...left);
    await scheduleAlarm(this.storage, next);
    return next;
  }

  /** Removes trailing records that still hold the due time given: one moved forward since stays for its turn. */
  private async dropRecords(records: [string, number][]): Promise<void> {
    for (let i = 0; i < records.length; i += PUT_CHUNK) {
      const chunk = records.slice(i, i + PUT_CHUNK);
      const current = await this.storage.get<number>(chunk.map(([key]) => key));
      const done = chunk.filter(([key, at]) => current.get(key) === at).map(([key]) => key);
      if (done.length > 0) await this.storage.delete(done);
    }
  }

  /**
   * Deletes the products' keys; false when KV failed (the keys are then remembered for the alarm).
   * lastDelete is set synchronously, before the first await.
   */
  private async deleteProducts(productIds: number[], now: number): Promise<boolean> {
    if (productIds.length === 0) return true;
    for (const id of productIds) this.lastDelete.set(id, now);
    const keys = keysForStock(productIds);
    if (await invalidateBestEffort(this.kv(), keys)) return true;
    await rememberStaleKeys(this.storage, keys);
    return false;
  }
}
