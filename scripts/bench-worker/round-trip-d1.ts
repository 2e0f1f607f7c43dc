// A D1 binding that waits `ms` before every round trip (a statement or a batch) and then asks the
// real binding: what the serializer would see with the database `ms` away, as in production, where
// the object and D1's primary are usually not on the same machine. Benchmark tooling only
// (scripts/bench-worker/index.ts); nothing in src/ imports it, so the deployed Worker can't use it.

type Target = Pick<D1Database, "prepare" | "batch">;
type Delayed = D1PreparedStatement & { __inner: D1PreparedStatement };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function delayedTarget(target: Target, ms: number): Target {
  const statement = (stmt: D1PreparedStatement): Delayed => ({
    bind: (...values: unknown[]) => statement(stmt.bind(...values)),
    first: async (column?: string) => { await sleep(ms); return column === undefined ? stmt.first() : stmt.first(column); },
    all: async () => { await sleep(ms); return stmt.all(); },
    run: async () => { await sleep(ms); return stmt.run(); },
    raw: async (options?: { columnNames?: boolean }) => { await sleep(ms); return stmt.raw(options as { columnNames: true }); },
    __inner: stmt,
  }) as unknown as Delayed;
  return {
    prepare: (sql: string) => statement(target.prepare(sql)),
    batch: async <T>(statements: D1PreparedStatement[]) => {
      await sleep(ms);
      return target.batch<T>(statements.map((s) => (s as Delayed).__inner ?? s));
    },
  } as Target;
}

/** `db` with `ms` of simulated network before each round trip, also through withSession(). */
export function withRoundTrip(db: D1Database, ms: number): D1Database {
  return {
    ...delayedTarget(db, ms),
    exec: (sql: string) => sleep(ms).then(() => db.exec(sql)),
    dump: () => db.dump(),
    withSession: (constraint?: string) => {
      const session = db.withSession(constraint as D1SessionConstraint);
      return { ...delayedTarget(session, ms), getBookmark: () => session.getBookmark() } as D1DatabaseSession;
    },
  } as D1Database;
}
