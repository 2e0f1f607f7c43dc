// Rows as multi-row INSERT statements, shared by both ends of the importer (batches sent to the local
// D1, and the chunked .sql files of --emit-sql for `wrangler d1 execute --remote --file`) and db:export.
// Values are written as SQL literals rather than bound: D1 allows only 100 bound parameters per
// statement, which would mean 16 products per INSERT.
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { CONTROL_CHARACTER } from "../../src/schemas/limits";
import type { TableName, Value } from "./catalog-rows";
import { doneMarker, MANIFEST, type Manifest, type ManifestFile } from "./remote-load";

// D1 refuses statements over 100,000 bytes ("Maximum SQL statement length", D1's limits page; the local D1
// enforces it too, SQLITE_TOOBIG). 90,000 leaves room for a statement's head and a long last row.
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

  constructor(table: string, columns: readonly string[]) {
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
 * --emit-sql: numbered files `0000-begin.sql`, `0001-products.sql`, … each at most `maxBytes`, one kind
 * (a table, the search build) per file, each ending with its done marker (remote-load.ts). No
 * BEGIN/COMMIT: D1 runs each imported file as one unit and rejects files that bring their own transaction.
 * Each file's size and SHA-256 are kept for the manifest, so the loader can tell a changed file.
 */
export class SqlFileSink {
  private fd: number | null = null;
  private name = "";
  private kind: string | null = null;
  private fileBytes = 0;
  private hash = createHash("sha256");
  private count = 0;
  readonly files: ManifestFile[] = [];

  constructor(private dir: string, private maxBytes: number) {
    mkdirSync(dir, { recursive: true });
    const stale = readdirSync(dir).filter((f) => /^\d{4}-[a-z]+\.sql$/.test(f) || f === MANIFEST);
    if (stale.length > 0) throw new Error(`${dir} already holds ${stale.length} files of an earlier --emit-sql; use an empty directory`);
  }

  /** Appends statements to the current file of this kind, starting a new one when it would pass maxBytes. */
  write(kind: string, statements: string[]) {
    for (const statement of statements) {
      const text = statement.endsWith(";") ? `${statement}\n` : `${statement};\n`;
      const bytes = Buffer.byteLength(text);
      // Room is kept for the marker that closes the file.
      if (this.fd === null || kind !== this.kind || this.fileBytes + bytes + MARKER_ROOM > this.maxBytes) this.next(kind);
      this.append(text);
    }
  }

  /** A file of its own with exactly these statements (the begin, search and finish files). */
  whole(kind: string, statements: string[], marker = true) {
    this.next(kind);
    for (const statement of statements) this.append(`${statement}\n`);
    this.close(marker);
  }

  private append(text: string) {
    writeSync(this.fd!, text);
    this.hash.update(text);
    this.fileBytes += Buffer.byteLength(text);
  }

  private next(kind: string) {
    this.close(true);
    this.kind = kind;
    this.name = `${String(this.count++).padStart(4, "0")}-${kind}.sql`;
    this.fd = openSync(join(this.dir, this.name), "w");
    this.fileBytes = 0;
    this.hash = createHash("sha256");
  }

  private close(marker: boolean) {
    if (this.fd === null) return;
    if (marker) this.append(`${doneMarker(this.name)}\n`);
    closeSync(this.fd);
    this.files.push({ name: this.name, bytes: this.fileBytes, sha256: this.hash.digest("hex") });
    this.fd = null;
    this.kind = null;
  }

  /** Closes the last file; with the rest of the manifest, writes manifest.json. */
  finish(manifest?: Omit<Manifest, "files">) {
    this.close(true);
    if (manifest) writeFileSync(join(this.dir, MANIFEST), `${JSON.stringify({ ...manifest, files: this.files }, null, 1)}\n`);
  }
}

const MARKER_ROOM = 200;
