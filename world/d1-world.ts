// D1 with read replicas, as production runs it (Cloudflare D1 docs, "Global read replication"): one
// primary takes every write; each location reads from a replica that shows the primary's committed
// state as of `replicaLagMs` ago; the Sessions API decides which one a query goes to.
//
// The primary is the real local D1. The replica is a second real local D1 that replays the primary's
// write batches, in commit order, once they are `replicaLagMs` old: every location's replica has the
// same lag, so one copy serves them all (each location still pays its own round trip and has its own
// counts). Bookmarks are the world's commit sequence, `w` + 12 digits, so they sort oldest to newest.

export interface Statement { sql: string; params: unknown[] }

export type D1Op =
  | { kind: "first"; stmt: Statement; column?: string }
  | { kind: "all"; stmt: Statement }
  | { kind: "run"; stmt: Statement }
  | { kind: "raw"; stmt: Statement; columnNames?: boolean }
  | { kind: "batch"; stmts: Statement[] };

/** A session as D1 keeps it: how it started, and the newest commit it has seen (null before its first query). */
export interface SessionState {
  constraint: "first-primary" | "first-unconstrained" | { bookmark: number };
  seen: number | null;
}

export interface D1Reply { result: unknown; seen: number; served: "primary" | "replica" }

/** What a location asks of the shared D1 (an object in tests, an RPC stub in `npm run serve`'s world). */
export interface D1Central {
  d1(location: string, session: SessionState, op: D1Op): Promise<D1Reply>;
}

export interface D1Counts { d1_primary_reads: number; d1_replica_reads: number; d1_writes: number }

const BOOKMARK = /^w(\d{12})$/;
export const formatBookmark = (seq: number) => `w${String(seq).padStart(12, "0")}`;
/** A bookmark the world didn't make constrains nothing (D1 would refuse it; ours are the only ones here). */
export const parseBookmark = (bookmark: string) => Number(BOOKMARK.exec(bookmark)?.[1] ?? 0);

// D1 sends a statement that changes the database to the primary, whatever the session says. A query is a
// read when it starts like one and writes nothing; anything else is treated as a write.
const READ = /^\s*(SELECT|VALUES|EXPLAIN|PRAGMA)\b/i;
const WRITE_WORD = /\b(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i;
export const isRead = (sql: string) => READ.test(sql) || (/^\s*WITH\b/i.test(sql) && !WRITE_WORD.test(sql));
const opStatements = (op: D1Op) => (op.kind === "batch" ? op.stmts : [op.stmt]);
const opWrites = (op: D1Op) => opStatements(op).some((s) => !isRead(s.sql));

/** One at a time: the primary and the replica each run one call at a time, as D1 does. */
class Mutex {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => {});
    return result;
  }
}

function prepare(db: D1Database, s: Statement): D1PreparedStatement {
  return db.prepare(s.sql).bind(...s.params);
}

async function execute(db: D1Database, op: D1Op): Promise<unknown> {
  switch (op.kind) {
    case "first": return op.column === undefined ? prepare(db, op.stmt).first() : prepare(db, op.stmt).first(op.column);
    case "all": return prepare(db, op.stmt).all();
    case "run": return prepare(db, op.stmt).run();
    case "raw": return op.columnNames ? prepare(db, op.stmt).raw({ columnNames: true }) : prepare(db, op.stmt).raw();
    case "batch": return db.batch(op.stmts.map((s) => prepare(db, s)));
  }
}

/** Whether what ran changed the database (D1's own meta), so the replica must replay it. */
function changed(op: D1Op, result: unknown): boolean {
  const metas = op.kind === "batch" ? (result as D1Result[]).map((r) => r.meta) : op.kind === "first" || op.kind === "raw" ? [] : [(result as D1Result).meta];
  // first() and raw() return rows only: a write run that way is replayed whenever it claims to write.
  if (metas.length === 0) return true;
  return metas.some((m) => m.changed_db || (m.changes ?? 0) > 0);
}

/** A write batch the replica has yet to replay. */
export interface LogEntry { seq: number; at: number; stmts: Statement[] }

/**
 * Where the world keeps what it must not forget: every committed write batch until the replica has
 * replayed it, and the replica's position. Memory by default (tests); the serve world's central Durable
 * Object keeps it in the object's storage too, so an evicted and restarted object resumes the replay.
 */
export interface WorldJournal {
  append(entry: LogEntry): Promise<void> | void;
  replayed(entry: LogEntry): Promise<void> | void;
}

/** Runs once, right after the first query that `matches` answers (tests use it to place a write mid-read). */
export interface QueryHook {
  matches(location: string, sql: string, served: "primary" | "replica"): boolean;
  run(): Promise<void>;
}

export class D1World implements D1Central {
  private readonly hooks: QueryHook[] = [];
  private seq = 0;
  private applied = 0;
  private readonly log: LogEntry[] = [];
  private readonly primaryTurn = new Mutex();
  private readonly replicaTurn = new Mutex();
  private readonly counts = new Map<string, D1Counts>();

  constructor(
    private readonly primary: D1Database,
    private readonly replica: D1Database,
    private readonly lagMs: number,
    private readonly journal: WorldJournal = { append: () => {}, replayed: () => {} },
  ) {}

  /** Picks up where a journal left off: the replica at `applied`, these batches still to replay. */
  resume(applied: number, pending: LogEntry[]): void {
    this.applied = applied;
    this.log.push(...pending);
    this.seq = Math.max(applied, ...pending.map((e) => e.seq));
  }

  /** The commit the primary is at, and the one the replicas show now (tests and stats read these). */
  positions(): { primary: number; replica: number } {
    return { primary: this.seq, replica: this.applied };
  }

  countsFor(location: string): D1Counts {
    let c = this.counts.get(location);
    if (!c) this.counts.set(location, (c = { d1_primary_reads: 0, d1_replica_reads: 0, d1_writes: 0 }));
    return c;
  }

  /** Tests: `run` once, right after the next query that `matches` has answered, before its caller sees it. */
  afterQuery(hook: QueryHook): void {
    this.hooks.push(hook);
  }

  async d1(location: string, session: SessionState, op: D1Op): Promise<D1Reply> {
    const reply = await this.route(location, session, op);
    const sql = opStatements(op).map((s) => s.sql).join(";\n");
    const hook = this.hooks.findIndex((h) => h.matches(location, sql, reply.served));
    if (hook >= 0) await this.hooks.splice(hook, 1)[0]!.run();
    return reply;
  }

  private async route(location: string, session: SessionState, op: D1Op): Promise<D1Reply> {
    const counts = this.countsFor(location);
    if (opWrites(op)) {
      counts.d1_writes++;
      return this.onPrimary(op, true);
    }
    const floor = session.seen ?? (session.constraint === "first-primary" ? null : session.constraint === "first-unconstrained" ? 0 : session.constraint.bookmark);
    // first-primary's first query goes to the primary; every later one, and every query of the other
    // sessions, to the replica when it is at least as fresh as the session has seen, else to the primary.
    if (floor !== null) {
      const reply = await this.replicaTurn.run(async () => {
        await this.catchUp();
        return this.applied >= floor ? { result: await execute(this.replica, op), seen: this.applied, served: "replica" as const } : null;
      });
      if (reply) {
        counts.d1_replica_reads++;
        return reply;
      }
    }
    counts.d1_primary_reads++;
    return this.onPrimary(op, false);
  }

  private onPrimary(op: D1Op, writes: boolean): Promise<D1Reply> {
    return this.primaryTurn.run(async () => {
      const result = await execute(this.primary, op);
      if (writes && changed(op, result)) {
        const entry = { seq: ++this.seq, at: Date.now(), stmts: opStatements(op) };
        this.log.push(entry);
        await this.journal.append(entry);
      }
      return { result, seen: this.seq, served: "primary" };
    });
  }

  /** Brings the replica level with the primary at once (a world that stops leaves no write unreplayed). */
  flush(): Promise<void> {
    return this.replicaTurn.run(() => this.catchUp(Infinity));
  }

  /** Replays, in commit order, every write batch at least `lagMs` old (called inside the replica's turn). */
  private async catchUp(upTo = Date.now() - this.lagMs): Promise<void> {
    while (this.log.length > 0 && this.log[0]!.at <= upTo) {
      const entry = this.log[0]!;
      await this.replica.batch(entry.stmts.map((s) => prepare(this.replica, s)));
      this.log.shift();
      this.applied = entry.seq;
      await this.journal.replayed(entry);
    }
  }
}
