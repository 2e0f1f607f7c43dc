import { env } from "cloudflare:workers";

// The real bindings, metered: every D1 call (a statement or a batch is one round trip) with the rows D1
// says it read and wrote, and every call on the serializer's stub (one billed Durable Object request).
// Results are the bindings' own. first() and raw() run as all() underneath, so D1's meta is known for
// them too; their answers are rebuilt from all()'s rows exactly as D1 would give them.

export interface D1Call { sql: string; rowsRead: number; rowsWritten: number }

export function meteredD1(real: D1Database = env.DB) {
  const calls: D1Call[] = [];
  const record = (sql: string, meta: D1Meta) => calls.push({ sql, rowsRead: meta.rows_read ?? 0, rowsWritten: meta.rows_written ?? 0 });
  type Inner = D1PreparedStatement & { __sql: string };
  const statement = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => ({
    bind: (...v: unknown[]) => statement(stmt.bind(...v), sql),
    all: async () => { const r = await stmt.all(); record(sql, r.meta); return r; },
    run: async () => { const r = await stmt.run(); record(sql, r.meta); return r; },
    first: async (column?: string) => {
      const r = await stmt.all<Record<string, unknown>>();
      record(sql, r.meta);
      const row = r.results[0] ?? null;
      return column === undefined ? row : row === null ? null : row[column] ?? null;
    },
    raw: async (options?: { columnNames?: boolean }) => {
      const r = await stmt.all<Record<string, unknown>>();
      record(sql, r.meta);
      const rows = r.results.map((row) => Object.values(row));
      return options?.columnNames ? [Object.keys(r.results[0] ?? {}), ...rows] : rows;
    },
    __inner: stmt, __sql: sql,
  }) as unknown as D1PreparedStatement;
  const target = (t: Pick<D1Database, "prepare" | "batch">) => ({
    prepare: (sql: string) => statement(t.prepare(sql), sql),
    batch: async (stmts: D1PreparedStatement[]) => {
      const inner = stmts as unknown as { __inner: D1PreparedStatement; __sql: string }[];
      const results = await t.batch(inner.map((s) => s.__inner));
      calls.push({
        sql: inner.map((s) => s.__sql).join(";\n"),
        rowsRead: results.reduce((n, r) => n + (r.meta.rows_read ?? 0), 0),
        rowsWritten: results.reduce((n, r) => n + (r.meta.rows_written ?? 0), 0),
      });
      return results;
    },
  });
  const db = {
    ...target(real),
    withSession: (constraint?: string) => {
      const session = real.withSession(constraint);
      return { ...target(session), getBookmark: () => session.getBookmark() };
    },
  };
  return { db: db as unknown as D1Database, calls };
}

/** The serializer's namespace, counting the RPC calls made on its stubs. */
export function meteredSerializer(real: Env["ORDER_SERIALIZER"] = env.ORDER_SERIALIZER) {
  const calls: string[] = [];
  const ns = {
    idFromName: (name: string) => real.idFromName(name),
    get: (id: DurableObjectId) => {
      const stub = real.get(id) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      return new Proxy({}, {
        get: (_, method) => (method === "then" ? undefined : (...args: unknown[]) => { calls.push(String(method)); return stub[method as string]!(...args); }),
      });
    },
  };
  return { ns: ns as unknown as Env["ORDER_SERIALIZER"], calls };
}
