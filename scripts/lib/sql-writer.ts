// Accepted rows as multi-row INSERT statements, shared by both ends of the importer: batches sent to
// the local D1, and the chunked .sql files of --emit-sql for `wrangler d1 execute --remote --file`.
// Values are written as SQL literals rather than bound: D1 allows only 100 bound parameters per
// statement, which would mean 16 products per INSERT.
import { closeSync, mkdirSync, openSync, readdirSync, writeSync } from "node:fs";
import { join } from "node:path";
import { CONTROL_CHARACTER } from "../../src/schemas/limits";
import type { TableName, Value } from "./catalog-rows";

// D1 refuses statements over 100,000 bytes (SQLITE_TOOBIG; the local D1 enforces it too).
export const MAX_STATEMENT_BYTES = 90_000;
// Measured on the local D1: 500 rows a statement loaded ~2x faster than 100-200, and more rows per
// statement only makes statements for long product rows hit the byte limit first.
const MAX_ROWS_PER_STATEMENT = 500;

// SQLite reads a statement's text only up to a NUL, and a tool in between (an editor, `wrangler d1
// execute --file`, a line-ending fix) may alter other control characters; the API refuses them
// (CONTROL_CHARACTER), but a backup must restore whatever the database holds (issue 21).

export function sqlLiteral(v: Value | undefined): string {
  if (v === undefined) throw new Error("row is missing a column");
  if (v === null) return "NULL";
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new Error(`not an integer: ${v}`); // money is integer cents
    return String(v);
  }
  // Text holding a control character goes as its UTF-8 bytes: the very same text comes back.
  if (CONTROL_CHARACTER.test(v)) return `CAST(X'${Buffer.from(v, "utf8").toString("hex")}' AS TEXT)`;
  return v.includes("'") ? `'${v.replaceAll("'", "''")}'` : `'${v}'`;
}

/** Packs rows of one table into INSERT statements within D1's statement limit. */
export class InsertBuilder {
  private head: string;
  private tuples: string[] = [];
  private bytes = 0;
  private done: string[] = [];
  rows = 0; // rows in statements not yet taken

  constructor(table: TableName, columns: readonly string[]) {
    this.head = `INSERT INTO ${table} (${columns.join(", ")}) VALUES\n`;
  }

  add(values: Value[]) {
    // A plain loop: this runs ~27M times for the 1M catalog, and map/join showed in profiles.
    let tuple = "(";
    for (let i = 0; i < values.length; i++) tuple += (i ? "," : "") + sqlLiteral(values[i]);
    tuple += ")";
    const size = Buffer.byteLength(tuple) + 2;
    if (this.tuples.length >= MAX_ROWS_PER_STATEMENT || this.bytes + size > MAX_STATEMENT_BYTES - this.head.length) {
      this.close();
    }
    this.tuples.push(tuple);
    this.bytes += size;
    this.rows++;
  }

  private close() {
    if (this.tuples.length === 0) return;
    this.done.push(`${this.head}${this.tuples.join(",\n")};`);
    this.tuples = [];
    this.bytes = 0;
  }

  /** Every row added so far, as finished statements. */
  take(): string[] {
    this.close();
    const out = this.done;
    this.done = [];
    this.rows = 0;
    return out;
  }
}

/**
 * --emit-sql: numbered files `0001-products.sql`, … in foreign-key order, one table per file, each
 * at most `maxBytes`. No BEGIN/COMMIT: D1 runs each imported file as one unit and rejects files
 * that bring their own transaction.
 */
export class SqlFileSink {
  private fd: number | null = null;
  private fileBytes = 0;
  private table: TableName | null = null;
  files = 0;

  constructor(private dir: string, private maxBytes: number) {
    mkdirSync(dir, { recursive: true });
    const stale = readdirSync(dir).filter((f) => /^\d{4}-[a-z]+\.sql$/.test(f));
    if (stale.length > 0) throw new Error(`${dir} already holds ${stale.length} chunk files; use an empty directory`);
  }

  write(table: TableName, statements: string[]) {
    for (const statement of statements) {
      const text = `${statement}\n`;
      const bytes = Buffer.byteLength(text);
      if (this.fd === null || table !== this.table || this.fileBytes + bytes > this.maxBytes) this.next(table);
      writeSync(this.fd!, text);
      this.fileBytes += bytes;
    }
  }

  private next(table: TableName) {
    this.finish();
    this.table = table;
    const name = `${String(++this.files).padStart(4, "0")}-${table}.sql`;
    this.fd = openSync(join(this.dir, name), "w");
    this.fileBytes = 0;
  }

  finish() {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
