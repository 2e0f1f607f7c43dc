// `npm run bench:search-sql -- [--persist-to DIR]`: the SQL time of each search statement on the
// persisted D1 file, with better-sqlite3 (the same statements and parameters the Worker sends; no
// Worker, no HTTP). Median and p95 of --runs runs after 3 warm-ups, read-only. See docs/search.md.
import Database from "better-sqlite3";
import { CATEGORY_COUNTS, SEARCH_CATEGORY, SEARCH_FILTERED, SEARCH_RANKED, SEARCH_WINDOW, SUGGEST } from "../src/db/search-queries";
import { ftsMatch, rankedMatch } from "../src/lib/search-text";
import { PLANTED_WORD } from "./lib/catalog-rows";
import { integerFlag, parseCli } from "./lib/cli";
import { localD1File } from "./lib/import-d1";
import { fmt, mdTable, percentile } from "./lib/scale-report";

const USAGE = "Usage: npm run bench:search-sql -- [--persist-to DIR (default .tmp/scale-1m)] [--runs N (default 50)]\n";
const { values: v, fail } = parseCli("bench:search-sql", USAGE, { "persist-to": { type: "string", default: ".tmp/scale-1m" }, runs: { type: "string" } });
const runs = integerFlag("--runs", v.runs, { fallback: 50, min: 1, max: Number.MAX_SAFE_INTEGER }, fail);
const file = localD1File(v["persist-to"]);
const db = new Database(file, { readonly: true });

const W = SEARCH_WINDOW;
const TAG = "00000000"; // the cursor tag the service binds (src/services/search-reads.ts); any value costs the same
const ranked = (q: string, extra: Partial<{ category: string; max: number; inStock: number; after: number; offset: number; tier: 1 | 2 }> = {}) => {
  const { head, last, prefix } = rankedMatch(q)!;
  return [head, extra.after ?? 0, W, extra.category ?? null, null, extra.max ?? null, extra.inStock ?? 0, 20, extra.offset ?? 0, last, prefix, extra.tier ?? 1, TAG];
};
const page50After = (db.prepare("SELECT product_id AS id FROM product_facts WHERE category = 'Pants' ORDER BY product_id LIMIT 1 OFFSET 979").get() as { id: number }).id;
// Page 50 of 20 is results 981..1000: for a word with more than 1,000 name matches (jacket has ~22K at 1M),
// in the name tier's window that starts after name match number floor(980 / W) * W, at offset 980 mod W.
const windowStart = (q: string) => Math.floor(980 / W) === 0 ? 0 : (db.prepare("SELECT rowid AS id FROM product_search WHERE product_search MATCH ? ORDER BY rowid LIMIT 1 OFFSET ?")
  .get(`{name} : (${ftsMatch(q)})`, Math.floor(980 / W) * W - 1) as { id: number }).id;

const CASES: [string, string, unknown[]][] = [
  ["product by id (baseline)", "SELECT json_object('id', id, 'name', name) AS body FROM products WHERE id = ?1", [500_000]],
  ["q=jacket", SEARCH_RANKED, ranked("jacket")],
  ["q=fabric", SEARCH_RANKED, ranked("fabric")],
  ["q=jacket, page 50", SEARCH_RANKED, ranked("jacket", { after: windowStart("jacket"), offset: 980 % W })],
  ["q=jog (prefix)", SEARCH_RANKED, ranked("jog")],
  ["q=jo (2 letters: whole word)", SEARCH_RANKED, ranked("jo")],
  ["q=retro joggers", SEARCH_RANKED, ranked("retro joggers")],
  [`q=${PLANTED_WORD} (planted)`, SEARCH_RANKED, ranked(PLANTED_WORD)],
  ["q=fabric&category=Pants&max_price=50&in_stock", SEARCH_RANKED, ranked("fabric", { category: "Pants", max: 5000, inStock: 1 })],
  ["q=jacket, first page of the rest (tier 2)", SEARCH_RANKED, ranked("jacket", { tier: 2 })],
  ["q=retro, first page of the rest (tier 2)", SEARCH_RANKED, ranked("retro", { tier: 2 })],
  ["q=shoes (category only: no name matches)", SEARCH_RANKED, ranked("shoes")],
  ["category=Pants, page 1", SEARCH_CATEGORY, [null, 0, W, "Pants", null, null, 0, 20, TAG]],
  ["category=Pants, page 50", SEARCH_CATEGORY, [null, page50After, W, "Pants", null, null, 0, 20, TAG]],
  ["category=Pants&max_price=20", SEARCH_CATEGORY, [null, 0, W, "Pants", null, 2000, 0, 20, TAG]],
  ["max_price=20 (no q, no category)", SEARCH_FILTERED, [null, 0, W, null, null, 2000, 0, 20, TAG]],
  ["suggest jog", SUGGEST, [ftsMatch("jog", "name")]],
  ["suggest heritage jack", SUGGEST, [ftsMatch("heritage jack", "name")]],
  ["categories", CATEGORY_COUNTS, []],
];

// better-sqlite3 binds ?NNN only as names: ?1 becomes @p1, bound from an object, the same values D1 gets.
const named = (sql: string) => sql.replace(/'(?:[^']|'')*'|\?(\d+)/g, (m, n?: string) => (n ? `@p${n}` : m));
const rows = CASES.map(([name, sql, values]) => {
  const stmt = db.prepare(named(sql));
  const params = [Object.fromEntries(values.map((v, i) => [`p${i + 1}`, v]))];
  for (let i = 0; i < 3; i++) stmt.get(...params);
  const ms: number[] = [];
  let body = "";
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    body = (stmt.get(...params) as { body: string }).body;
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const results = (JSON.parse(body) as { results?: unknown[] }).results?.length ?? 1;
  return [name, fmt(percentile(ms, 50), 3), fmt(percentile(ms, 95), 3), String(results)];
});
const sqliteVersion = (db.prepare("SELECT sqlite_version() AS v").get() as { v: string }).v;
const products = (db.prepare("SELECT count(*) AS n FROM products").get() as { n: number }).n;
process.stdout.write(`SQL time per statement, better-sqlite3 (SQLite ${sqliteVersion}), ${products.toLocaleString("en-US")} products, ` +
  `${runs} runs each after 3 warm-ups, window ${W}; file ${file}\n\n` +
  `${mdTable(["statement", "p50 ms", "p95 ms", "results"], rows, new Set([1, 2, 3]))}\n`);
