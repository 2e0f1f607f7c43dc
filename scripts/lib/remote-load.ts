// What turns `npm run import -- --emit-sql OUT` into a load a remote D1 can take file by file, and that a
// stopped load resumes from the database itself (docs/import.md, "Remote D1"):
// - 0000-begin.sql: refuses a database that already holds products, records the load in _catalog_load,
//   and suspends the search triggers exactly as the local importer does (their SQL kept in _search_triggers);
// - the table files, in foreign-key order;
// - the search index, built in bulk by the same statements as the local import (scripts/lib/search-build.ts);
// - the finish file: the triggers back (their SQL, as the migrations wrote it), the bookkeeping dropped.
// Every file ends by writing its own name into _catalog_load, in the same unit as its rows (D1 runs an
// imported file whole or not at all), so the database says which files are in, whatever stopped the load.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./paths";
import { buildChunk, SEARCH_START, SEARCH_FINISH, TRIGGERS_TABLE } from "./search-build";

export const LOAD_TABLE = "_catalog_load";
export const MANIFEST = "manifest.json";
/** Ranges of BUILD_CHUNK_IDS ids per search file: a few imports, none of them long (each statement is ≤ ~3 s locally for 50,000 ids). */
const SEARCH_CHUNKS_PER_FILE = 5;

export interface Trigger { name: string; sql: string }
export interface ManifestFile { name: string; bytes: number; sha256: string }
export interface Manifest {
  /** migrations/ when the files were written: the target must have exactly these applied. */
  migrations: string[];
  /** Rows each table holds once every file is in (checked after the last one). */
  rows: Record<string, number>;
  maxProductId: number;
  files: ManifestFile[];
}

export const migrationNames = () => readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")).sort();

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The statement each file ends with: it is in once this commits. */
export const doneMarker = (file: string) => `INSERT INTO ${LOAD_TABLE} (file) VALUES (${literal(file)});`;

/**
 * The first file. The CHECK makes it fail (and so change nothing) on a database that already holds a
 * catalog: a load never merges into one. Trigger names are escaped by doubling quotes, as sqlite_master has them.
 */
export function beginStatements(triggers: Trigger[]): string[] {
  return [
    `CREATE TABLE ${LOAD_TABLE} (file TEXT PRIMARY KEY, products_before INTEGER NOT NULL DEFAULT 0 CHECK (products_before = 0))`,
    `INSERT INTO ${LOAD_TABLE} (file, products_before) VALUES ('0000-begin.sql', (SELECT count(*) FROM products))`,
    `CREATE TABLE ${TRIGGERS_TABLE} (name TEXT PRIMARY KEY, sql TEXT NOT NULL)`,
    ...triggers.map((t) => `INSERT INTO ${TRIGGERS_TABLE} (name, sql) VALUES (${literal(t.name)}, ${literal(t.sql)})`),
    ...triggers.map((t) => `DROP TRIGGER "${t.name.replaceAll('"', '""')}"`),
  ].map((s) => `${s};`);
}

/** The search build in groups of statements, one group per file; the first group also turns automerge off. */
export function searchGroups(maxProductId: number, chunkIds: number): string[][] {
  const groups: string[][] = [];
  for (let lo = 1, n = 0; lo <= maxProductId; lo += chunkIds, n++) {
    if (n % SEARCH_CHUNKS_PER_FILE === 0) groups.push(groups.length === 0 ? [...SEARCH_START] : []);
    groups.at(-1)!.push(...buildChunk(lo, lo + chunkIds));
  }
  if (groups.length === 0) groups.push([...SEARCH_START]);
  return groups.map((g) => g.map((s) => `${s};`));
}

/** The last file: merge the index and count categories, put the triggers back, drop the bookkeeping. */
export function finishStatements(triggers: Trigger[]): string[] {
  return [...SEARCH_FINISH, ...triggers.map((t) => t.sql), `DROP TABLE ${TRIGGERS_TABLE}`].map((s) => `${s};`);
}

/** After the last file's marker: the load is complete, so its bookkeeping goes too. */
export const DROP_LOAD_TABLE = `DROP TABLE ${LOAD_TABLE};`;
