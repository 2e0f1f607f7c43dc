import { env } from "cloudflare:workers";

/**
 * The real D1 binding, wrapped to record every statement the Worker executes (a batch records each of
 * its statements, as one round trip). The wrapper delegates every call, so results are D1's own.
 */
export function countingD1(db: D1Database = env.DB) {
  const executed: string[] = [];
  const batches: number[] = [];
  const wrapStatement = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const wrapped = {
      bind: (...values: unknown[]) => wrapStatement(stmt.bind(...values), sql),
      first: (col?: string) => { executed.push(sql); return col === undefined ? stmt.first() : stmt.first(col); },
      all: () => { executed.push(sql); return stmt.all(); },
      run: () => { executed.push(sql); return stmt.run(); },
      raw: (opts?: { columnNames?: boolean }) => { executed.push(sql); return stmt.raw(opts as { columnNames: true }); },
      unwrap: () => stmt,
    };
    return wrapped as unknown as D1PreparedStatement;
  };
  const wrapper = {
    prepare: (sql: string) => wrapStatement(db.prepare(sql), sql),
    batch: (stmts: D1PreparedStatement[]) => {
      batches.push(stmts.length);
      return db.batch(stmts.map((s) => (s as unknown as { unwrap: () => D1PreparedStatement }).unwrap()));
    },
    exec: (sql: string) => { executed.push(sql); return db.exec(sql); },
    withSession: (constraint?: string) => db.withSession(constraint),
    dump: () => db.dump(),
  };
  return { db: wrapper as unknown as D1Database, executed, batches };
}
