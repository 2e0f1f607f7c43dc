// Catalog states for `npm run bench:scale` / `bench:soak`: a fresh small one (seed → import), a reused
// large one, and facts sampled from each (real product ids across the whole range, stocked skus).
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PLANTED, PLANTED_WORD } from "./catalog-rows";
import { openLocalD1 } from "./import-d1";
import { generateCatalog, LOCAL_ENV, migrateLocal, localRow, runWrangler } from "./local-d1";
import { importCatalog } from "./import-run";
import { buildSearchIndex } from "./search-build";

export interface ScaleFacts {
  products: number;
  firstProductId: number;
  lastProductId: number;
  /** `?after=` of the last page of 5. */
  deepAfter: number;
  /** ~2,000 real product ids spread evenly over the whole id range (so the last 10% too). */
  productIds: number[];
  /** Real sku ids with stock to spare, for orders. */
  skuIds: number[];
}

/**
 * Wipes stateDir, generates `products` products as CSV (seed 42) into `csv` (default: inside stateDir;
 * CSV files already there are reused) and imports them; up to 100K products, stocks every sku to 1,000,000.
 */
export async function freshState(stateDir: string, products: number, csv = join(stateDir, "catalog")): Promise<void> {
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  if (!existsSync(join(csv, "related.csv"))) await generateCatalog(csv, { products, seed: 42 });
  await migrateLocal({ persistTo: stateDir });
  process.stderr.write(`Importing ${csv} into ${stateDir}...\n`);
  await importCatalog({ dir: csv, reportDir: join(stateDir, "import-report"), persistTo: stateDir });
  // A big catalog keeps its generated stock (1..60; orders then use skus with ≥ 50): rewriting ~10M rows is slow.
  if (products <= 100_000) await runWrangler(["d1", "execute", "DB", ...LOCAL_ENV, "--local", "--persist-to", stateDir, "--command", "UPDATE skus SET quantity = 1000000"]);
}

/** A large state is reused when it already holds products (importing 1M takes ~5 min). */
export async function hasCatalog(stateDir: string): Promise<boolean> {
  if (!existsSync(join(stateDir, "v3", "d1"))) return false;
  const { n } = await localRow<{ n: number }>(stateDir, "SELECT count(*) AS n FROM (SELECT 1 FROM products LIMIT 1)");
  return n > 0;
}

export async function catalogFacts(stateDir: string, sample = 2000): Promise<ScaleFacts> {
  const f = await localRow<{ n: number; first: number; last: number; deep: number; maxSku: number }>(stateDir,
    "SELECT (SELECT count(*) FROM products) AS n, (SELECT min(id) FROM products) AS first, (SELECT max(id) FROM products) AS last, " +
    "(SELECT id FROM products ORDER BY id DESC LIMIT 1 OFFSET 5) AS deep, (SELECT max(id) FROM skus) AS maxSku");
  // Index range probes from a recursive CTE, not a scan: per step, the first id at or after it (gaps don't matter).
  const probe = async (table: string, from: number, to: number, extra: string) => {
    const step = Math.max(1, Math.floor((to - from) / sample));
    const { ids } = await localRow<{ ids: string }>(stateDir, `WITH RECURSIVE p(x) AS (SELECT ${from} UNION ALL SELECT x + ${step} FROM p ` +
      `WHERE x + ${step} <= ${to}) SELECT json_group_array((SELECT id FROM ${table} WHERE id >= x ${extra} ORDER BY id LIMIT 1)) AS ids FROM p`);
    return [...new Set((JSON.parse(ids) as (number | null)[]).filter((id): id is number => id !== null))];
  };
  const ids = new Set(await probe("products", f.first, f.last, ""));
  ids.add(f.last);
  const skus = await probe("skus", 1, f.maxSku, "AND quantity >= 50");
  if (skus.length === 0) throw new Error(`no sku with stock in ${stateDir}`);
  return { products: f.n, firstProductId: f.first, lastProductId: f.last, deepAfter: f.deep,
    productIds: [...ids].sort((a, b) => a - b), skuIds: skus };
}

/**
 * A reused state may predate the search migration or the planted word: applies the migrations, builds
 * the index if products lack it (bulk, as the importer does), and plants the word in the same products
 * the generator plants it in (through the triggers, so the index follows).
 */
export async function ensureSearchReady(stateDir: string): Promise<void> {
  await migrateLocal({ persistTo: stateDir });
  const d1 = await openLocalD1(stateDir);
  try {
    const { missing } = (await d1.db.prepare("SELECT (SELECT count(*) FROM products) - (SELECT count(*) FROM product_facts) AS missing")
      .all<{ missing: number }>()).results[0]!;
    if (missing > 0) {
      process.stderr.write(`Building the search index for ${missing.toLocaleString("en-US")} products...\n`);
      const r = await buildSearchIndex(d1.db, d1.exec);
      process.stderr.write(`  built in ${r.seconds.toFixed(1)} s\n`);
    }
    const ids = Array.from({ length: PLANTED.upTo / PLANTED.every }, (_, i) => (i + 1) * PLANTED.every);
    await d1.exec([`UPDATE products SET description = description || '${PLANTED.sentence}' WHERE id IN (${ids.join(",")}) ` +
      `AND description NOT LIKE '%${PLANTED.sentence.trim()}'`]);
    const planted = (await d1.db.prepare("SELECT count(*) AS n FROM product_search WHERE product_search MATCH ?1")
      .bind(PLANTED_WORD).all<{ n: number }>()).results[0]!.n;
    process.stderr.write(`  "${PLANTED_WORD}" is in ${planted} products\n`);
  } finally {
    await d1.close();
  }
}
