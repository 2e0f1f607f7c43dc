import { invalidateBestEffort } from "../services/cache-invalidation";

// Cache entries the serializer could not delete after a stock change had committed. The order is
// already placed, so the answer can't wait for KV to recover; instead the keys go into the object's
// own storage and its alarm keeps deleting them. A KV outage then shows old stock for about as long
// as the outage lasts, not for a whole cache TTL.

const RECORD_PREFIX = "stale-cache:";
/** From the failure to the first retry, and between retries while KV stays down. */
export const STALE_RETRY_MS = 2_000;

/**
 * Records one failed invalidation and makes sure an alarm is set. Each failure is its own record,
 * written once and deleted once, so a retry in flight can never drop a newer failure.
 */
export async function rememberStaleKeys(storage: DurableObjectStorage, keys: string[]): Promise<void> {
  await storage.put(`${RECORD_PREFIX}${crypto.randomUUID()}`, keys);
  await scheduleAlarm(storage, Date.now() + STALE_RETRY_MS);
}

/**
 * The object has one alarm for all its deferred work (these retries, trailing cache deletes): it is
 * set to `at` unless one is already set earlier (an alarm in the past is the one running now).
 */
export async function scheduleAlarm(storage: DurableObjectStorage, at: number): Promise<void> {
  const current = await storage.getAlarm();
  if (current === null || current > at || current <= Date.now()) await storage.setAlarm(at);
}

/** The alarm's work: delete every remembered key; what still fails stays, with the next alarm set. */
export async function retryStaleKeys(storage: DurableObjectStorage, kv: KVNamespace): Promise<{ cleared: number; left: number }> {
  const records = await storage.list<string[]>({ prefix: RECORD_PREFIX });
  let cleared = 0;
  for (const [record, keys] of records) {
    if (await invalidateBestEffort(kv, keys)) {
      await storage.delete(record);
      cleared++;
    }
  }
  // Listed again, not counted: a failure recorded while this alarm ran may have found an alarm still
  // set (this one) and set none of its own.
  const left = (await storage.list({ prefix: RECORD_PREFIX })).size;
  if (left > 0) await scheduleAlarm(storage, Date.now() + STALE_RETRY_MS);
  return { cleared, left };
}
