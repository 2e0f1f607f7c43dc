import { type D1Central, type D1Op, formatBookmark, parseBookmark, type SessionState, type Statement } from "./d1-world";
import { type LocationRules, roundTrip, type WorldRules } from "./rules";

// The D1 binding as one location sees it: statements and batches go to the shared D1 world with this
// location's session state, and each pays this location's round trip to whichever database answered.
// Only what D1Database offers the Worker: prepare, batch, withSession (and a session's getBookmark).

type Run = (op: D1Op) => Promise<unknown>;

class WorldStatement {
  constructor(private readonly stmt: Statement, private readonly send: Run) {}

  bind(...params: unknown[]): WorldStatement {
    return new WorldStatement({ sql: this.stmt.sql, params }, this.send);
  }

  first(column?: string) { return this.send({ kind: "first", stmt: this.stmt, ...(column === undefined ? {} : { column }) }); }
  all() { return this.send({ kind: "all", stmt: this.stmt }); }
  run() { return this.send({ kind: "run", stmt: this.stmt }); }
  raw(options?: { columnNames?: boolean }) { return this.send({ kind: "raw", stmt: this.stmt, columnNames: options?.columnNames === true }); }

  /** What a batch sends: the statement itself, bound. */
  get statement(): Statement { return this.stmt; }
}

class WorldSession {
  private state: SessionState;

  constructor(private readonly target: LocationD1, constraint: string) {
    this.state = {
      constraint: constraint === "first-primary" || constraint === "first-unconstrained" ? constraint : { bookmark: parseBookmark(constraint) },
      seen: null,
    };
  }

  private readonly runner: Run = async (op) => {
    const reply = await this.target.send(this.state, op);
    this.state = { ...this.state, seen: Math.max(this.state.seen ?? 0, reply.seen) };
    return reply.result;
  };

  prepare(sql: string) { return new WorldStatement({ sql, params: [] }, this.runner); }
  batch(stmts: WorldStatement[]) { return this.runner({ kind: "batch", stmts: stmts.map((s) => s.statement) }); }
  getBookmark(): string | null { return this.state.seen === null ? null : formatBookmark(this.state.seen); }
}

export class LocationD1 {
  constructor(private readonly central: D1Central, private readonly rules: WorldRules, private readonly location: LocationRules) {}

  /** One call to the shared D1, paying this location's round trip to the database that answered. */
  async send(state: SessionState, op: D1Op) {
    const reply = await this.central.d1(this.location.name, state, op);
    await roundTrip(this.rules, reply.served === "primary" ? this.location.d1_primary : this.location.d1_replica);
    return reply;
  }

  // Without a session D1 uses the primary for every query (as before read replication).
  prepare(sql: string) { return new WorldSession(this, "first-primary").prepare(sql); }
  batch(stmts: WorldStatement[]) { return new WorldSession(this, "first-primary").batch(stmts); }
  withSession(constraint = "first-unconstrained") { return new WorldSession(this, constraint); }

  asBinding(): D1Database { return this as unknown as D1Database; }
}
