import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { createApp } from "../../src/app";
import { D1World } from "../../world/d1-world";
import { KvWriteGate } from "../../world/kv-world";
import { WorldLocation } from "../../world/location";
import { type WorldOverrides, worldRules, type WorldRules } from "../../world/rules";
import { expectContract } from "./contract";
import { BASE } from "./request";
import { viewSerializerEnv } from "./world-entry";

// The production world inside a test (world/ and docs/decisions/freshness.md): three locations, each with
// its own app (its own isolate's memory), sharing one D1 world (the real local D1 as primary, the
// WORLD_REPLICA database replaying it `replicaLagMs` late) and the real KV store through per-location
// copies. Time is the test's: Date, setTimeout and clearTimeout are faked, and `settle` moves the clock
// to each timer as it comes due while real I/O (D1, the serializer) runs, so nothing sleeps out a window.

export interface TestWorld {
  rules: WorldRules;
  d1: D1World;
  at(name: string): WorldLocation;
  /** The primary as the seed sees it: every statement logged, so the replica replays it too. */
  primary: D1Database;
  /** A request in a location, through that location's app; waits for its background work; contract-checked. */
  fetch(location: string, path: string, init?: RequestInit): Promise<Response>;
  /** Moves the world's clock (and src/'s) forward, firing the timers that come due. */
  advance(ms: number): Promise<void>;
  /** Drives the clock while `work` runs, to each timer as it comes due. */
  settle<T>(work: Promise<T>): Promise<T>;
  /** Ends the world: the replica replays what it still lacks, and the clock and the serializer are real again. */
  stop(): Promise<void>;
}

export interface WorldOptions extends WorldOverrides {
  /** READ_CACHE_MS for every location (default: what wrangler.toml ships, 1000). */
  readCacheMs?: number;
}

/** A timer may be jumped to while real I/O runs only if it is due this soon; longer ones are deadlines. */
const MAX_JUMP_MS = 120_000;
/** Real time `settle` waits for I/O before deciding nothing will move without the clock. */
const REAL_PATIENCE_MS = 15_000;

// The serializer's deadlines are real fake timers too: far off, so the clock never reaches them by jumping.
const WORLD_VARS = { ORDER_QUEUE_WAIT_MS: String(3_600_000) };

/** Due times of the pending fake timers (vitest doesn't say when its next timer is due). */
function trackTimers(): { next(): number | undefined; restore(): void } {
  const due = new Map<unknown, number>();
  const fakeSet = globalThis.setTimeout, fakeClear = globalThis.clearTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    const handle: unknown = fakeSet(() => { due.delete(handle); fn(); }, ms);
    due.set(handle, Date.now() + (ms ?? 0));
    return handle;
  }) as typeof setTimeout;
  globalThis.clearTimeout = ((handle: unknown) => { due.delete(handle); fakeClear(handle as number); }) as typeof clearTimeout;
  return {
    next: () => (due.size === 0 ? undefined : Math.min(...due.values())),
    restore: () => { globalThis.setTimeout = fakeSet; globalThis.clearTimeout = fakeClear; },
  };
}

export async function startWorld(options: WorldOptions = {}): Promise<TestWorld> {
  const rules = worldRules({ rtt: false, ...options });
  vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"], now: Date.now() });
  const timers = trackTimers();
  const d1 = new D1World(env.DB, env.WORLD_REPLICA, rules.replicaLagMs);
  const shared = { d1, kvGate: new KvWriteGate(rules.kvWriteGapMs), kvStore: env.WORLD_KV };
  const locations = new Map(rules.locations.map((l) => [l.name, { place: new WorldLocation(rules, l.name, shared), app: createApp() }]));
  const vars = { ...WORLD_VARS, READ_CACHE_MS: String(options.readCacheMs ?? 1000) };
  const envAt = (name: string, base: Env = env): Env => ({ ...locations.get(name)!.place.env(base), ...vars });
  viewSerializerEnv((base) => envAt(rules.doLocation, base));

  const settle = async <T>(work: Promise<T>): Promise<T> => {
    let settled = false;
    const outcome = work.then((value) => { settled = true; return value; }, (err: unknown) => { settled = true; throw err; });
    outcome.catch(() => {}); // handled by the caller, after the loop: not an unhandled rejection meanwhile
    let idleSince = performance.now();
    while (!settled) {
      await scheduler.wait(1); // real time, for the real I/O in flight
      if (settled) break;
      const next = timers.next();
      if (next !== undefined && next - Date.now() <= MAX_JUMP_MS) {
        await vi.advanceTimersByTimeAsync(Math.max(0, next - Date.now()));
        idleSince = performance.now();
      } else if (performance.now() - idleSince > REAL_PATIENCE_MS) {
        throw new Error("world.settle: nothing moved for 15 s of real time and no timer is due");
      }
    }
    return outcome;
  };

  const at = (name: string) => {
    const found = locations.get(name);
    if (!found) throw new Error(`no location ${name}`);
    return found.place;
  };

  return {
    rules, d1, at, settle,
    primary: at(rules.d1PrimaryLocation).d1.asBinding(),
    async fetch(location, path, init) {
      const { place, app } = locations.get(location) ?? (() => { throw new Error(`no location ${location}`); })();
      const req = place.request(`${BASE}${path}`, init);
      const ctx = createExecutionContext();
      const res = await settle(Promise.resolve(app.fetch(req, envAt(location), ctx)));
      await settle(waitOnExecutionContext(ctx));
      return expectContract(req.method, req.url, res);
    },
    async advance(ms) {
      await vi.advanceTimersByTimeAsync(ms);
    },
    async stop() {
      await d1.flush();
      viewSerializerEnv(null);
      timers.restore();
      vi.useRealTimers();
    },
  };
}
