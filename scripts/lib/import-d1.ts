// The local D1 through Miniflare's Node API, the way `wrangler d1 execute --local` reaches it: the same
// workerd SQLite, the same D1 limits and foreign keys, the same file that `wrangler dev` serves
// (<persist-to>/v3/d1/miniflare-D1DatabaseObject/<hash of database_id>.sqlite). We load the
// miniflare that wrangler itself depends on, not whichever version npm hoisted to the top level.
import { createHash, createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TableName } from "./catalog-rows";
import type { FileStats } from "./import-report";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface D1Statement { all<T>(): Promise<{ results: T[] }>; bind(...values: unknown[]): D1Statement }
export interface D1Like { prepare(sql: string): D1Statement; batch(statements: D1Statement[]): Promise<unknown[]> }
interface MiniflareLike {
  getD1Database(binding: string): Promise<D1Like>;
  dispatchFetch(url: string, init: { method: string; body: string }): Promise<{ ok: boolean; text(): Promise<string> }>;
  dispose(): Promise<void>;
}
type MiniflareClass = new (options: Record<string, unknown>) => MiniflareLike;

/** Wrangler reads a local D1 by preview_database_id when there is one, else database_id. */
export function localDatabaseId(): string {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  for (const block of toml.split(/^\s*\[/m)) {
    if (!block.startsWith("[d1_databases]]") || !/^\s*binding\s*=\s*"DB"/m.test(block)) continue;
    const id = /^\s*preview_database_id\s*=\s*"([^"]+)"/m.exec(block) ?? /^\s*database_id\s*=\s*"([^"]+)"/m.exec(block);
    if (id) return id[1]!;
  }
  throw new Error("wrangler.toml has no [[d1_databases]] block for binding DB with a database_id");
}

export const persistDir = (persistTo?: string) => resolve(persistTo ?? join(ROOT, ".wrangler", "state"));

/**
 * The file Miniflare keeps a local D1 database in: named by the Durable Object id workerd derives from
 * the database id (Miniflare's durableObjectNamespaceIdFromName, under the unique key of its D1 object).
 */
export function d1FileFor(persistTo: string | undefined, databaseId: string): string {
  const uniqueKey = "miniflare-D1DatabaseObject";
  const key = createHash("sha256").update(uniqueKey).digest();
  const nameHmac = createHmac("sha256", key).update(databaseId).digest().subarray(0, 16);
  const hmac = createHmac("sha256", key).update(nameHmac).digest().subarray(0, 16);
  return join(persistDir(persistTo), "v3", "d1", uniqueKey, `${Buffer.concat([nameHmac, hmac]).toString("hex")}.sqlite`);
}

/** The API's D1 database file in a --persist-to directory, for tools that open it with better-sqlite3. */
export function localD1File(persistTo?: string): string {
  const file = d1FileFor(persistTo, localDatabaseId());
  if (!existsSync(file)) throw new Error(`no D1 database file ${file} (run npm start or npm run import into it first)`);
  return file;
}

// Batches go to a three-line Worker inside workerd as one JSON body rather than through Miniflare's
// binding proxy: the proxy serialises every statement in JavaScript on the Node side, which made Node,
// not SQLite, the bottleneck (Node ~3x workerd's CPU time at 2-core 100k-product runs).
const LOADER = `export default { async fetch(request, env) {
  try { await env.DB.batch((await request.json()).map((sql) => env.DB.prepare(sql))); return new Response("ok"); }
  catch (e) { return new Response(String(e && e.cause ? e.cause.message ?? e.cause : e), { status: 500 }); } } };`;

export interface LocalD1 { db: D1Like; exec: (statements: string[]) => Promise<void>; close: () => Promise<void> }

const running = new Set<MiniflareLike>();

export async function openLocalD1(persistTo?: string): Promise<LocalD1> {
  const fromWrangler = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
  const { Miniflare } = await import(pathToFileURL(fromWrangler.resolve("miniflare")).href) as { Miniflare: MiniflareClass };
  const mf = new Miniflare({
    modules: true, script: LOADER, d1Persist: join(persistDir(persistTo), "v3", "d1"), d1Databases: { DB: localDatabaseId() },
    // workerd's own diagnostics (hash-table warnings and the like) are noise in an import's output.
    handleRuntimeStdio: () => {},
  });
  const exec = async (statements: string[]) => {
    const res = await mf.dispatchFetch("http://loader.local/", { method: "POST", body: JSON.stringify(statements) });
    const text = await res.text();
    if (!res.ok) throw new Error(`the local D1 refused a batch: ${text}`);
  };
  running.add(mf);
  return { db: await mf.getD1Database("DB"), exec, close: async () => { running.delete(mf); await mf.dispose(); } };
}

/** Stops every workerd still running, e.g. from a signal handler: a killed Node leaves it orphaned. */
export async function closeAllLocalD1() {
  await Promise.allSettled([...running].map((mf) => mf.dispose()));
  running.clear();
}

// The checkpoint lives in the database and is written in the same batch (one transaction) as the
// rows it accounts for, so it can never claim rows that did not commit, or miss rows that did.
const PROGRESS_TABLE = "_import_progress";
export interface Index { name: string; sql: string }
export interface Checkpoint {
  stats: FileStats; offset: number; line: number; rejectsBytes: number; source: string;
  indexes: Index[]; // dropped for the load, created again by the file's last batch
}

export async function readCheckpoints(db: D1Like): Promise<Checkpoint[] | null> {
  const exists = await db.prepare(`SELECT 1 AS x FROM sqlite_master WHERE name = '${PROGRESS_TABLE}'`).all();
  if (exists.results.length === 0) return null;
  const rows = await db.prepare(`SELECT state FROM ${PROGRESS_TABLE}`).all<{ state: string }>();
  return rows.results.map((r) => JSON.parse(r.state) as Checkpoint);
}

// Bulk-load practice: a table's secondary indexes are dropped while its file loads and built once at
// the end, by sorting. Kept up row by row, related's index on related_product_id (random order) made
// each commit rewrite most of its pages: 19k rows/s and 42 GB written for the 1M catalog.
export async function secondaryIndexes(db: D1Like, table: TableName): Promise<Index[]> {
  const r = await db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}' AND sql IS NOT NULL ORDER BY name`).all<Index>();
  return r.results;
}

export async function catalogRowCount(db: D1Like, table: TableName): Promise<number> {
  const r = await db.prepare(`SELECT count(*) AS n FROM ${table}`).all<{ n: number }>();
  return r.results[0]?.n ?? 0;
}

/** A fresh import needs empty catalog tables: it never merges into (or duplicates) an existing catalog. */
export async function beginImport(db: D1Like, tables: readonly TableName[]) {
  const counts = await Promise.all(tables.map(async (t) => [t, await catalogRowCount(db, t)] as const));
  const full = counts.filter(([, n]) => n > 0);
  if (full.length > 0) {
    throw new Error(`the local D1 already holds a catalog (${full.map(([t, n]) => `${n} ${t}`).join(", ")}); ` +
      "import into a fresh --persist-to directory, or delete this one");
  }
  await db.batch([db.prepare(`CREATE TABLE ${PROGRESS_TABLE} (file TEXT PRIMARY KEY, state TEXT NOT NULL)`)]);
}

export const finishImport = (db: D1Like) => db.batch([db.prepare(`DROP TABLE ${PROGRESS_TABLE}`)]);

/** Loads statements with their checkpoint as one transaction; a D1 batch is all-or-nothing. */
export function commitBatch(d1: LocalD1, statements: string[], checkpoint: Checkpoint): Promise<void> {
  const state = JSON.stringify(checkpoint).replaceAll("'", "''");
  const file = checkpoint.stats.file;
  return d1.exec([...statements, `INSERT OR REPLACE INTO ${PROGRESS_TABLE} (file, state) VALUES ('${file}', '${state}')`]);
}
