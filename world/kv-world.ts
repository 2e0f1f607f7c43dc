import { type LocationRules, roundTrip, type WorldRules } from "./rules";

// Workers KV as production runs it (Cloudflare KV docs, "How KV works" and limits): values live in a
// central store; each location keeps what it read (a value, or that the key was absent) for
// `propagationMs` and answers from that copy; a put or delete is visible at once in the location that
// made it (its copy is replaced), elsewhere only when their copy expires; one key takes one write (a put
// or a delete) per `kvWriteGapMs`, and the binding throws past it.
//
// The store is the real local KV. Nothing in src/ uses KV today (docs/decisions/freshness.md says why);
// the world keeps it so that what KV would do is shown, tested and priced, not assumed.

export interface KvCounts { kv_hits: number; kv_misses: number; kv_refused_writes: number; kv_writes: number }

/** What every location shares besides the store: when each key was last written. */
export interface KvGate {
  /** Records a write of `key` now and answers true, or answers false when one was made under the gap ago. */
  admitWrite(key: string): Promise<boolean>;
}

export class KvWriteGate implements KvGate {
  private readonly lastWrite = new Map<string, number>();
  constructor(private readonly gapMs: number) {}

  async admitWrite(key: string): Promise<boolean> {
    const now = Date.now();
    const last = this.lastWrite.get(key);
    if (last !== undefined && now - last < this.gapMs) return false;
    this.lastWrite.set(key, now);
    return true;
  }
}

interface Copy { value: string | null; metadata: unknown; until: number }

export class LocationKv {
  private readonly copies = new Map<string, Copy>();
  readonly counts: KvCounts = { kv_hits: 0, kv_misses: 0, kv_refused_writes: 0, kv_writes: 0 };

  constructor(private readonly store: KVNamespace, private readonly gate: KvGate, private readonly rules: WorldRules, private readonly location: LocationRules) {}

  async getWithMetadata<M = unknown>(key: string): Promise<{ value: string | null; metadata: M | null }> {
    const now = Date.now();
    const copy = this.copies.get(key);
    if (copy && copy.until > now) {
      this.counts.kv_hits++;
      await roundTrip(this.rules, this.location.kv_hot_read);
      return { value: copy.value, metadata: copy.metadata as M | null };
    }
    this.counts.kv_misses++;
    await roundTrip(this.rules, this.location.kv_cold_read);
    const read = await this.store.getWithMetadata<M>(key, "text");
    this.copies.set(key, { value: read.value, metadata: read.metadata, until: Date.now() + this.rules.propagationMs });
    return read;
  }

  async get(key: string): Promise<string | null> {
    return (await this.getWithMetadata(key)).value;
  }

  async put(key: string, value: string, options: KVNamespacePutOptions = {}): Promise<void> {
    await this.write(key, "PUT", () => this.store.put(key, value, options), { value, metadata: options.metadata ?? null });
  }

  async delete(key: string): Promise<void> {
    await this.write(key, "DELETE", () => this.store.delete(key), { value: null, metadata: null });
  }

  private async write(key: string, verb: string, apply: () => Promise<void>, copy: Omit<Copy, "until">): Promise<void> {
    if (!(await this.gate.admitWrite(key))) {
      this.counts.kv_refused_writes++;
      throw new Error(`KV ${verb} failed: 429 Too Many Requests (one write per key per ${this.rules.kvWriteGapMs} ms)`);
    }
    this.counts.kv_writes++;
    await roundTrip(this.rules, this.location.kv_write);
    await apply();
    this.copies.set(key, { ...copy, until: Date.now() + this.rules.propagationMs });
  }

  asBinding(): KVNamespace { return this as unknown as KVNamespace; }
}
