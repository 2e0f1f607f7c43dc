// `npm run db:export` / `db:restore`: a backup of the real tables read with paged SELECTs, because D1's
// own export refuses a database holding an FTS5 table (and a failed export can leave the database
// answering "Currently processing a long-running export"). Derived data (the search index, product
// facts, category counts) is not exported: a restore rebuilds it with scripts/lib/search-build.ts.
// Format: DIR/manifest.json and DIR/NN-<table>.sql, INSERT statements in foreign-key order, ready for
// the local restore here or `wrangler d1 execute DB --remote --file` (docs/operations.md).
import { createWriteStream, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Value } from "./catalog-rows";
import { TABLE_ORDER } from "./csv-format";
import Database from "better-sqlite3";
import { beginImport, finishImport, type D1Like, type LocalD1, localD1File } from "./import-d1";
import { buildSearchIndex, DERIVED_TABLES, restoreTriggers, suspendTriggers, type BuildReport } from "./search-build";
import { InsertBuilder, sqlLiteral } from "./sql-writer";

export const PAGE_ROWS = 5000;

/** Reads rows; local (Miniflare) or remote (wrangler d1 execute --json) behind one signature. */
export type Query = <T>(sql: string) => Promise<T[]>;

export const localQuery = (db: D1Like): Query => async <T>(sql: string) => (await db.prepare(sql).all<T>()).results;

export interface Snapshot { query: Query; close: () => void }

/**
 * The local D1 file (the one `npm start` / `wrangler dev` serves) read in ONE SQLite read transaction:
 * every table comes from the same snapshot, so an order that commits while the export runs is in the
 * backup whole or not at all. The file is in WAL mode, so this reader never blocks the server's writes
 * (nor they it); it only keeps the WAL from being checkpointed past its snapshot until it ends.
 * (Read through a second Miniflare instead, the export raced the server for the same database.)
 */
export function localSnapshot(persistTo?: string): Snapshot {
  const db = new Database(localD1File(persistTo), { readonly: true, fileMustExist: true });
  db.exec("BEGIN"); // deferred: the snapshot is taken by the first read
  let open = true;
  return {
    query: async <T>(sql: string) => db.prepare(sql).all() as T[],
    close: () => {
      if (!open) return;
      open = false;
      db.exec("COMMIT");
      db.close();
    },
  };
}

export interface Manifest { exportedAt: string; tables: { name: string; columns: string[]; rows: number; file: string }[]; sequences: { name: string; seq: number }[] }

/** The tables that hold facts rather than derived data, parents before children. */
export async function backupTables(query: Query): Promise<string[]> {
  const rows = await query<{ name: string; sql: string | null }>("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name");
  const virtual = rows.filter((r) => /^CREATE VIRTUAL TABLE/i.test(r.sql ?? "")).map((r) => r.name);
  const names = rows.map((r) => r.name).filter((n) => !/^(sqlite_|_cf_|_)/.test(n) && n !== "d1_migrations"
    && !DERIVED_TABLES.includes(n) && !virtual.some((v) => n === v || n.startsWith(`${v}_`)));
  const parents = new Map<string, string[]>();
  for (const n of names) {
    const fks = await query<{ table: string }>(`SELECT "table" FROM pragma_foreign_key_list('${n}')`);
    parents.set(n, fks.map((f) => f.table).filter((t) => t !== n));
  }
  const ordered: string[] = [];
  const visit = (n: string) => { if (ordered.includes(n)) return; for (const p of parents.get(n) ?? []) visit(p); ordered.push(n); };
  names.forEach(visit);
  return ordered;
}

/** Writes the backup; `progress` hears each table as it is done. Consistent when `query` reads one snapshot. */
export async function exportDatabase(query: Query, dir: string, progress: (line: string) => void): Promise<Manifest> {
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) throw new Error(`${dir} is not empty`);
  const manifest: Manifest = { exportedAt: new Date().toISOString(), tables: [], sequences: [] };
  const tables = await backupTables(query);
  for (const [i, name] of tables.entries()) {
    const columns = (await query<{ name: string }>(`SELECT name FROM pragma_table_info('${name}') ORDER BY cid`)).map((c) => c.name);
    const file = `${String(i + 1).padStart(2, "0")}-${name}.sql`;
    const out = createWriteStream(join(dir, file));
    const insert = new InsertBuilder(`"${name}"`, columns.map((c) => `"${c}"`));
    let after: number | null = null, rows = 0;
    for (;;) {
      // Keyset over the rowid (every table here is a rowid table): each page is one index seek.
      const page: (Record<string, Value> & { _rowid: number })[] = await query<Record<string, Value> & { _rowid: number }>(`SELECT rowid AS _rowid, ${columns.map((c) => `"${c}"`).join(", ")} ` +
        `FROM "${name}" WHERE ${after === null ? "1" : `rowid > ${after}`} ORDER BY rowid LIMIT ${PAGE_ROWS}`);
      if (page.length === 0) break;
      for (const row of page) insert.add(columns.map((c) => row[c] as Value));
      for (const statement of insert.take()) out.write(`${statement}\n`);
      rows += page.length;
      after = page[page.length - 1]!._rowid;
      if (page.length < PAGE_ROWS) break;
    }
    await new Promise<void>((done, fail) => out.end((err?: Error | null) => (err ? fail(err) : done())));
    manifest.tables.push({ name, columns, rows, file });
    progress(`  ${name}: ${rows.toLocaleString("en-US")} rows`);
  }
  manifest.sequences = await query<{ name: string; seq: number }>("SELECT name, seq FROM sqlite_sequence ORDER BY name");
  writeFileSync(join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/**
 * Loads a backup into an empty local D1 (it refuses one that holds a catalog) with the search and hold
 * triggers suspended (the backup's skus already count what its cart lines hold), then builds the search
 * index and category counts in bulk and puts the triggers back.
 */
export async function restoreBackup(d1: LocalD1, dir: string, progress: (line: string) => void): Promise<BuildReport> {
  await beginImport(d1.db, TABLE_ORDER);
  await finishImport(d1.db);
  await suspendTriggers(d1.db, d1.exec);
  await restoreFiles(dir, d1.exec, progress);
  const search = await buildSearchIndex(d1.db, d1.exec, progress);
  await restoreTriggers(d1.db, d1.exec);
  return search;
}

/** Loads a backup's files into an empty database whose search triggers are suspended. */
async function restoreFiles(dir: string, exec: (statements: string[]) => Promise<void>, progress: (line: string) => void): Promise<Manifest> {
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
  for (const t of manifest.tables) {
    const statements = splitStatements(readFileSync(join(dir, t.file), "utf8"));
    for (let i = 0; i < statements.length; i += 40) await exec(statements.slice(i, i + 40));
    progress(`  ${t.name}: ${t.rows.toLocaleString("en-US")} rows`);
  }
  // AUTOINCREMENT's high-water marks, so a restored shop never hands out an id it used before.
  await exec(manifest.sequences.map((s) => `UPDATE sqlite_sequence SET seq = max(seq, ${Number(s.seq)}) WHERE name = ${sqlLiteral(s.name)}`));
  await exec(manifest.sequences.map((s) => `INSERT INTO sqlite_sequence (name, seq) SELECT ${sqlLiteral(s.name)}, ${Number(s.seq)} ` +
    `WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${sqlLiteral(s.name)})`));
  return manifest;
}

/** Statements of a backup file: split at `;` outside string literals (values may hold `;` and newlines). */
export function splitStatements(text: string): string[] {
  const out: string[] = [];
  let start = 0, quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted; // '' inside a literal toggles twice
    else if (ch === ";" && !quoted) {
      const statement = text.slice(start, i).trim();
      if (statement !== "") out.push(statement);
      start = i + 1;
    }
  }
  return out;
}
