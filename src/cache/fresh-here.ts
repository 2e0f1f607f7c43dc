import { REPLICA_POLL_MS, REPLICA_WAIT_MAX_MS } from "./timing";

// A write answers only when the next read in its location will show it (API.md: "fresh at once in the
// location that answered it"). Reads there go to the nearest D1 replica and may be served from an
// isolate's read cache, so before answering a write:
// 1. polls its location's replica (a new `first-unconstrained` session, the one reads open) until the
//    session's bookmark is at least the write's: reads sent from then on see the write;
// 2. waits out the read cache's lifetime from then: every cached answer that could predate the write
//    has stopped being served, in every isolate of the location, with no message to any of them.

/** The statement a write polls its location's replica with (it reads no row: D1 bills it nothing). */
export const REPLICA_POLL_SQL = "SELECT 1";

export interface FreshHereDeps {
  db: Pick<D1Database, "withSession">;
  sleep: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface FreshHereResult {
  /** False when the replica had not shown the write after REPLICA_WAIT_MAX_MS. */
  replicaCaughtUp: boolean;
  polls: number;
}

export async function awaitFreshHere(deps: FreshHereDeps, bookmark: string, readCacheMs: number): Promise<FreshHereResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  let polls = 0;
  for (;;) {
    const session = deps.db.withSession("first-unconstrained");
    polls++;
    // The write has committed: a poll that fails ends the wait (the caller logs it), it never fails the write.
    if (!(await session.prepare(REPLICA_POLL_SQL).first().then(() => true, () => false))) return { replicaCaughtUp: false, polls };
    const seen = session.getBookmark();
    const answeredAt = now(); // the poll's answer is back: any read sent from now on sees the write
    if (seen !== null && seen >= bookmark) {
      if (readCacheMs > 0) await deps.sleep(readCacheMs);
      return { replicaCaughtUp: true, polls };
    }
    if (answeredAt - started >= REPLICA_WAIT_MAX_MS) return { replicaCaughtUp: false, polls };
    await deps.sleep(REPLICA_POLL_MS);
  }
}
