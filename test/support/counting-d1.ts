import { env } from "cloudflare:workers";

type Statement = D1PreparedStatement & { unwrap: () => D1PreparedStatement };

/**
 * The real D1 binding, wrapped to record every statement the Worker executes, also through sessions
 * opened with withSession (a batch records its size, as one round trip). The wrapper delegates every
 * call, so results are D1's own.
 */
export function countingD1(db: D1Database = env.DB) {
  const executed: string[] = [];
  const batches: number[] = [];
  const wrapStatement = (stmt: D1PreparedStatement, sql: string): Statement => ({
    bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values), sql),
    first: (col?: string) => { executed.push(sql); return col === undefined ? stmt.first() : stmt.first(col); },
    all: () => { executed.push(sql); return stmt.all(); },
    run: () => { executed.push(sql); return stmt.run(); },
    raw: (opts?: { columnNames?: boolean }) => { executed.push(sql); return stmt.raw(opts as { columnNames: true }); },
    unwrap: () => stmt,
  }) as unknown as Statement;
  const wrapTarget = (target: Pick<D1Database, "prepare" | "batch">) => ({
    prepare: (sql: string) => wrapStatement(target.prepare(sql), sql),
    batch: (stmts: D1PreparedStatement[]) => {
      batches.push(stmts.length);
      return target.batch(stmts.map((s) => (s as Statement).unwrap()));
    },
  });
  const wrapper = {
    ...wrapTarget(db),
    exec: (sql: string) => { executed.push(sql); return db.exec(sql); },
    withSession: (constraint?: string) => {
      const session = db.withSession(constraint);
      return { ...wrapTarget(session), getBookmark: () => session.getBookmark() };
    },
    dump: () => db.dump(),
  };
  return { db: wrapper as unknown as D1Database, executed, batches };
}
