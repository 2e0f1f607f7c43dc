// Builds the search index (migrations/0002_search.sql, 0005_search_names.sql) for a catalog loaded
// without it, in bulk: products in id ranges of BUILD_CHUNK_IDS, each range one batch of three
// INSERT … SELECT statements (the FTS5 rows of both indexes, and product_facts), then one merge of the index and one count of the categories. Each
// statement is sized to stay far inside D1's 30 s per query (the report prints the slowest).
// Idempotent: a product with a product_facts row is already indexed and is skipped, so an interrupted
// build (or one over a catalog that is half indexed by the triggers) simply runs again.
// The importer and the restore drop the search triggers while rows load (row-by-row indexing is what
// this avoids) and put them back afterwards: suspendTriggers / restoreTriggers. The hold triggers of
// migrations/0006_carts.sql go with them: a backup's skus already count what its cart lines hold, so a
// restored line must not move its units from quantity to held a second time.
import type { D1Like } from "./import-d1";

export const BUILD_CHUNK_IDS = 50_000;
/** Tables the search triggers and this build fill from the catalog: never backed up, always rebuilt. */
export const DERIVED_TABLES = ["product_facts", "category_counts"];
export const TRIGGERS_TABLE = "_search_triggers";

export interface BuildReport { products: number; chunks: number; seconds: number; slowestSeconds: number; mergeSeconds: number }

const one = async <T>(db: D1Like, sql: string) => (await db.prepare(sql).all<T>()).results[0]!;

const FACTS = `INSERT INTO product_facts (product_id, category, price, in_stock)
SELECT p.id, p.category,
  COALESCE((SELECT min(COALESCE(s.sale_price, s.original_price)) FROM styles AS s WHERE s.product_id = p.id), p.default_price),
  EXISTS (SELECT 1 FROM styles AS s JOIN skus AS k ON k.style_id = s.id WHERE s.product_id = p.id AND k.quantity > 0)
FROM products AS p WHERE p.id >= ?1 AND p.id < ?2
  AND NOT EXISTS (SELECT 1 FROM product_facts AS f WHERE f.product_id = p.id)`;

const TEXT = `INSERT INTO product_search (rowid, name, slogan, description, category)
SELECT p.id, p.name, p.slogan, p.description, p.category FROM products AS p WHERE p.id >= ?1 AND p.id < ?2
  AND NOT EXISTS (SELECT 1 FROM product_facts AS f WHERE f.product_id = p.id)`;

const NAMES = `INSERT INTO product_name_search (rowid, name)
SELECT p.id, p.name FROM products AS p WHERE p.id >= ?1 AND p.id < ?2
  AND NOT EXISTS (SELECT 1 FROM product_facts AS f WHERE f.product_id = p.id)`;

/** The statements of one range, the two indexes first (they check product_facts before FACTS fills it). */
export const buildChunk = (lo: number, hi: number) =>
  [TEXT, NAMES, FACTS].map((sql) => sql.replaceAll("?1", String(lo)).replaceAll("?2", String(hi)));

// While the ranges load, FTS5's automatic merging is off (it would merge the growing index again and
// again, each time a level fills: measured ~3x the load time); one 'optimize' then merges every segment
// into one b-tree, so a query reads one doclist per term, and the defaults (4, 16) come back for the
// triggers' small writes. Then the counts, from product_facts' category index.
const INDEXES = ["product_search", "product_name_search"];
export const SEARCH_START = INDEXES.flatMap((t) => [
  `INSERT INTO ${t} (${t}, rank) VALUES ('automerge', 0)`,
  `INSERT INTO ${t} (${t}, rank) VALUES ('crisismerge', 64)`,
]);
export const SEARCH_FINISH = [
  ...INDEXES.flatMap((t) => [
    `INSERT INTO ${t} (${t}) VALUES ('optimize')`,
    `INSERT INTO ${t} (${t}, rank) VALUES ('automerge', 4)`,
    `INSERT INTO ${t} (${t}, rank) VALUES ('crisismerge', 16)`,
  ]),
  "DELETE FROM category_counts",
  "INSERT INTO category_counts (category, products) SELECT category, count(*) FROM product_facts GROUP BY category",
];

export async function buildSearchIndex(db: D1Like, exec: (statements: string[]) => Promise<void>,
  progress: (line: string) => void = () => {}): Promise<BuildReport> {
  const started = performance.now();
  const { lo, hi, n } = await one<{ lo: number | null; hi: number | null; n: number }>(db,
    "SELECT min(id) AS lo, max(id) AS hi, count(*) AS n FROM products");
  let chunks = 0, slowest = 0;
  await exec(SEARCH_START);
  for (let from = lo ?? 1; hi !== null && from <= hi; from += BUILD_CHUNK_IDS) {
    const t = performance.now();
    await exec(buildChunk(from, from + BUILD_CHUNK_IDS));
    const s = (performance.now() - t) / 1000;
    slowest = Math.max(slowest, s);
    chunks++;
    progress(`  search index: ids up to ${Math.min(hi, from + BUILD_CHUNK_IDS - 1).toLocaleString("en-US")} (${s.toFixed(1)} s)`);
  }
  const m = performance.now();
  for (const sql of SEARCH_FINISH) {
    const t = performance.now();
    await exec([sql]);
    slowest = Math.max(slowest, (performance.now() - t) / 1000);
  }
  const mergeSeconds = (performance.now() - m) / 1000;
  return { products: n, chunks, seconds: (performance.now() - started) / 1000, slowestSeconds: slowest, mergeSeconds };
}

/** The triggers a bulk load runs without: search's (rebuilt in bulk) and the holds' (already counted). */
const SUSPENDED = "type = 'trigger' AND (name LIKE 'search\\_%' ESCAPE '\\' OR name LIKE 'hold\\_%' ESCAPE '\\')";

/** The suspended triggers as the migrations created them (for --emit-sql, which must write their SQL out). */
export async function readSuspendedTriggers(db: D1Like): Promise<{ name: string; sql: string }[]> {
  return (await db.prepare(`SELECT name, sql FROM sqlite_master WHERE ${SUSPENDED} ORDER BY name`).all<{ name: string; sql: string }>()).results;
}

/** Saves the suspended triggers' SQL and drops them, in one batch: rows loaded now aren't indexed (or held) one by one. */
export async function suspendTriggers(db: D1Like, exec: (statements: string[]) => Promise<void>): Promise<void> {
  const saved = await db.prepare(`SELECT 1 AS x FROM sqlite_master WHERE name = '${TRIGGERS_TABLE}'`).all();
  if (saved.results.length > 0) return; // already suspended by an interrupted run
  const triggers = (await db.prepare(`SELECT name FROM sqlite_master WHERE ${SUSPENDED}`).all<{ name: string }>()).results;
  await exec([
    `CREATE TABLE ${TRIGGERS_TABLE} (name TEXT PRIMARY KEY, sql TEXT NOT NULL)`,
    `INSERT INTO ${TRIGGERS_TABLE} SELECT name, sql FROM sqlite_master WHERE ${SUSPENDED}`,
    ...triggers.map((t) => `DROP TRIGGER ${t.name}`),
  ]);
}

/** Puts the saved triggers back (after buildSearchIndex), in one batch. */
export async function restoreTriggers(db: D1Like, exec: (statements: string[]) => Promise<void>): Promise<void> {
  const saved = await db.prepare(`SELECT 1 AS x FROM sqlite_master WHERE name = '${TRIGGERS_TABLE}'`).all();
  if (saved.results.length === 0) return;
  const rows = (await db.prepare(`SELECT sql FROM ${TRIGGERS_TABLE} ORDER BY name`).all<{ sql: string }>()).results;
  await exec([...rows.map((r) => r.sql), `DROP TABLE ${TRIGGERS_TABLE}`]);
}
