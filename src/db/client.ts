import type { Db } from "./resilient-d1";
import { drizzle } from "drizzle-orm/d1";

// The one place Drizzle meets D1: the schema's camelCase keys are snake_case columns.
// Drizzle only builds SQL here (toSQL); statements run through D1 (or a session) in d1Statement.
export const catalogDb = (d1: Db) => drizzle(d1 as D1Database, { casing: "snake_case" });

interface BuiltQuery {
  toSQL(): { sql: string; params: unknown[] };
}

/**
 * A Drizzle-built write as a plain D1 statement, so that it can share one `D1Database.batch()` (one
 * transaction) with the raw read queries of src/db/read-queries.ts, whose numbered `?1` parameters
 * Drizzle's own batch can't bind.
 */
export function d1Statement(d1: Db, query: BuiltQuery): D1PreparedStatement {
  const { sql, params } = query.toSQL();
  return d1.prepare(sql).bind(...params);
}

// D1 binds at most 100 parameters per statement (a documented D1 limit, enforced locally too), so a
// 50-row insert of three columns has to be split; all the parts still go into the caller's one batch.
export const D1_MAX_BOUND_PARAMETERS = 100;

/** A multi-row insert as as few statements as D1's parameter limit allows (none for no rows). */
export function insertStatements<R>(d1: Db, rows: R[], build: (chunk: R[]) => BuiltQuery): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  const perRow = Math.max(1, build(rows.slice(0, 1)).toSQL().params.length);
  const size = Math.floor(D1_MAX_BOUND_PARAMETERS / perRow);
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += size) statements.push(d1Statement(d1, build(rows.slice(i, i + size))));
  return statements;
}

/** True when an update's SET names a column: Drizzle leaves undefined values out and refuses an empty SET. */
export const setsAnyColumn = (columns: Record<string, unknown>) => Object.values(columns).some((v) => v !== undefined);
