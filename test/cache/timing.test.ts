import { describe, expect, it } from "vitest";
import { awaitFreshHere, REPLICA_POLL_SQL } from "../../src/cache/fresh-here";
import {
  ASSUMED_REPLICA_LAG_MS, DEFAULT_READ_CACHE_MS, ELSEWHERE_LAG_MS, MAX_READ_CACHE_MS, ORDER_STOCK_LAG_MS, REPLICA_POLL_MS, REPLICA_WAIT_MAX_MS,
} from "../../src/cache/timing";
import { worldRules } from "../../world/rules";

// The freshness argument (docs/decisions/freshness.md) as arithmetic: change a constant so that it no
// longer holds, and this fails.

describe("the freshness argument's numbers", () => {
  it("keeps order stock within its 2 s: the read cache's longest lifetime plus the replicas' lag", () => {
    expect(MAX_READ_CACHE_MS + ASSUMED_REPLICA_LAG_MS).toBeLessThanOrEqual(ORDER_STOCK_LAG_MS);
    expect(DEFAULT_READ_CACHE_MS).toBeLessThanOrEqual(MAX_READ_CACHE_MS);
  });

  it("keeps every other location within the contract's 60 s plus the replicas' lag", () => {
    expect(MAX_READ_CACHE_MS).toBeLessThanOrEqual(ELSEWHERE_LAG_MS);
  });

  it("is tested in a world whose replicas lag no less than the design assumes (a kinder world would prove nothing)", () => {
    expect(worldRules().replicaLagMs).toBeGreaterThanOrEqual(ASSUMED_REPLICA_LAG_MS);
    expect(worldRules().propagationMs).toBe(ELSEWHERE_LAG_MS);
  });

  it("polls a replica more than once before giving up on it", () => {
    expect(REPLICA_WAIT_MAX_MS / REPLICA_POLL_MS).toBeGreaterThanOrEqual(10);
  });
});

describe("awaitFreshHere", () => {
  /** A D1 whose replica shows commit `at(poll)` on each poll. */
  const replica = (at: (poll: number) => number) => {
    let polls = 0;
    const sqls: string[] = [];
    const db = {
      withSession: () => {
        const seen = `w${String(at(polls++)).padStart(12, "0")}`;
        return { prepare: (sql: string) => ({ first: async () => { sqls.push(sql); return 1; } }), getBookmark: () => seen };
      },
    } as unknown as Pick<D1Database, "withSession">;
    return { db, sqls };
  };

  it("polls until the replica shows the write, then waits out the read cache's lifetime from that answer", async () => {
    const { db, sqls } = replica((poll) => (poll < 3 ? 4 : 5));
    const slept: number[] = [];
    let now = 0;
    const result = await awaitFreshHere({ db, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } }, "w000000000005", 1000);
    expect(result).toEqual({ replicaCaughtUp: true, polls: 4 });
    expect(slept).toEqual([REPLICA_POLL_MS, REPLICA_POLL_MS, REPLICA_POLL_MS, 1000]);
    expect(new Set(sqls)).toEqual(new Set([REPLICA_POLL_SQL]));
  });

  it("gives up after REPLICA_WAIT_MAX_MS of a replica that never catches up, and says so", async () => {
    const { db } = replica(() => 1);
    let now = 0;
    const result = await awaitFreshHere({ db, now: () => now, sleep: async (ms) => { now += ms; } }, "w000000000005", 1000);
    expect(result.replicaCaughtUp).toBe(false);
    expect(now).toBeGreaterThanOrEqual(REPLICA_WAIT_MAX_MS - REPLICA_POLL_MS);
  });
});
