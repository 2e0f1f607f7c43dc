import { env } from "cloudflare:workers";

type Statement = D1PreparedStatement & { unwrap: () => D1PreparedStatement; record: () => void };

/**
 * The real D1 binding, wrapped to record every statement the Worker executes, also through sessions
 * opened with withSession (a batch records its size, as one round trip). The wrapper delegates every
 * call, so results are D1's own.
 */
export function countingD1(db: D1Database = env.DB) {
  const executed: string[] = [];
  const batches: number[] = [];
  /** Every statement with its parameters, batched ones included (for EXPLAIN QUERY PLAN). */
  const seen: { sql: string; params: unknown[] }[] = [];
  const wrapStatement = (stmt: D1PreparedStatement, sql: string, params: unknown[] = []): Statement => ({
    bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values), sql, values),
    record: () => seen.push({ sql, params }),
    first: (col?: string) => { executed.push(sql); seen.push({ sql, params }); return col === undefined ? stmt.first() : stmt.first(col); },
    all: () => { executed.push(sql); seen.push({ sql, params }); return stmt.all(); },
    run: () => { executed.push(sql); seen.push({ sql, params }); return stmt.run(); },
    raw: (opts?: { columnNames?: boolean }) => { executed.push(sql); seen.push({ sql, params }); return stmt.raw(opts as { columnNames: true }); },
    unwrap: () => stmt,
  }) as unknown as Statement;
  const wrapTarget = (target: Pick<D1Database, "prepare" | "batch">) => ({
    prepare: (sql: string) => wrapStatement(target.prepare(sql), sql),
    batch: (stmts: D1PreparedStatement[]) => {
      batches.push(stmts.length);
      for (const s of stmts) (s as Statement).record();
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
  return { db: wrapper as unknown as D1Database, executed, batches, seen };
}
