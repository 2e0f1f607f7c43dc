// `npm run bench -- search`: the SQL time of every search statement on a persisted D1 file, with
// better-sqlite3 (the statements and parameters the Worker sends; no Worker, no HTTP), read-only;
// written to docs/results.md. See USAGE and docs/search.md.
import type Database from "better-sqlite3";
import { resolve } from "node:path";
import { CATEGORY_COUNTS, SEARCH_CATEGORY, SEARCH_FILTERED, SEARCH_RANKED, SEARCH_WINDOW as W, SUGGEST } from "../src/db/search-queries";
import { ftsMatch, rankedMatch } from "../src/lib/search-text";
import { pct, sampleState, stateDir, withD1 } from "./lib/bench-kit";
import { PLANTED_WORD } from "./lib/catalog-rows";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { fmt, mdTable, provenance, writeSection } from "./lib/results-page";

const USAGE = `Usage: npm run bench -- search [options]

Times each search statement (ranked words, prefixes, page 50, both tiers, category pages, filters,
suggest, categories) with better-sqlite3 on a persisted catalog's D1 file, opened read-only, with the
statements and parameters the Worker sends: the median and p95 of --runs runs after 3 warm-ups, beside a
product read by id. Writes the "Search SQL" section of docs/results.md.

Options:
  --from-state DIR  the catalog (e.g. the 1M one \`npm run import -- … --persist-to DIR\` makes; default:
                    the sample catalog, seeded into --state-dir)
  --runs N          (default 50)
  --state-dir D     where the sample goes (default .tmp/bench/search, wiped; unused with --from-state)
  -h, --help
`;
const { values, fail } = parseCli("bench search", USAGE, { "from-state": { type: "string" }, runs: { type: "string" }, "state-dir": { type: "string" } });
const RUNS = integerFlag("--runs", values.runs, { fallback: 50, min: 1, max: 100_000 }, fail);

const TAG = "00000000"; // the cursor tag the service binds (src/services/search-reads.ts); any value costs the same
type Extra = Partial<{ category: string; max: number; inStock: number; after: number; offset: number; tier: 1 | 2 }>;
const ranked = (q: string, x: Extra = {}) => {
  const { head, last, prefix } = rankedMatch(q)!;
  return [head, x.after ?? 0, W, x.category ?? null, null, x.max ?? null, x.inStock ?? 0, 20, x.offset ?? 0, last, prefix, x.tier ?? 1, TAG];
};
const byId = (after: number, category: string | null, max: number | null) => [null, after, W, category, null, max, 0, 20, TAG];

function cases(db: Database): [string, string, unknown[]][] {
  const one = (sql: string, ...params: unknown[]) => (db.prepare(sql).pluck().get(...params) as number | undefined) ?? 0;
  const page50After = one("SELECT product_id FROM product_facts WHERE category = 'Pants' ORDER BY product_id LIMIT 1 OFFSET 979");
  // Page 50 of 20 is results 981..1000: for a word with more than 1,000 name matches (jacket has ~22K at 1M),
  // in the name tier's window that starts after name match number floor(980 / W) * W, at offset 980 mod W.
  const windowStart = Math.floor(980 / W) === 0 ? 0 : one("SELECT rowid FROM product_search WHERE product_search MATCH ? ORDER BY rowid LIMIT 1 OFFSET ?",
    `{name} : (${ftsMatch("jacket")})`, Math.floor(980 / W) * W - 1);
  return [
    ["product by id (baseline)", "SELECT json_object('id', id, 'name', name) AS body FROM products WHERE id = ?1", [one("SELECT max(id) / 2 FROM products")]],
    ["q=jacket", SEARCH_RANKED, ranked("jacket")],
    ["q=fabric", SEARCH_RANKED, ranked("fabric")],
    ["q=jacket, page 50", SEARCH_RANKED, ranked("jacket", { after: windowStart, offset: 980 % W })],
    ["q=jog (prefix)", SEARCH_RANKED, ranked("jog")],
    ["q=jo (2 letters: whole word)", SEARCH_RANKED, ranked("jo")],
    ["q=retro joggers", SEARCH_RANKED, ranked("retro joggers")],
    [`q=${PLANTED_WORD} (planted)`, SEARCH_RANKED, ranked(PLANTED_WORD)],
    ["q=fabric&category=Pants&max_price=50&in_stock", SEARCH_RANKED, ranked("fabric", { category: "Pants", max: 5000, inStock: 1 })],
    ["q=jacket, first page of the rest (tier 2)", SEARCH_RANKED, ranked("jacket", { tier: 2 })],
    ["q=retro, first page of the rest (tier 2)", SEARCH_RANKED, ranked("retro", { tier: 2 })],
    ["q=shoes (category only: no name matches)", SEARCH_RANKED, ranked("shoes")],
    ["category=Pants, page 1", SEARCH_CATEGORY, byId(0, "Pants", null)],
    ["category=Pants, page 50", SEARCH_CATEGORY, byId(page50After, "Pants", null)],
    ["category=Pants&max_price=20", SEARCH_CATEGORY, byId(0, "Pants", 2000)],
    ["max_price=20 (no q, no category)", SEARCH_FILTERED, byId(0, null, 2000)],
    ["suggest jog", SUGGEST, [ftsMatch("jog", "name")]],
    ["suggest heritage jack", SUGGEST, [ftsMatch("heritage jack", "name")]],
    ["categories", CATEGORY_COUNTS, []],
  ];
}

// better-sqlite3 binds ?NNN only as names: ?1 becomes @p1, bound from an object, the same values D1 gets.
const named = (sql: string) => sql.replace(/'(?:[^']|'')*'|\?(\d+)/g, (m, n?: string) => (n ? `@p${n}` : m));

await runMain("bench search", async () => {
  const dir = values["from-state"] ? resolve(values["from-state"]) : stateDir("search", values["state-dir"], fail);
  if (!values["from-state"]) await sampleState(dir);
  const { rows, sqlite, products } = withD1(dir, (db) => ({
    rows: cases(db).map(([name, sql, params]) => {
      const stmt = db.prepare(named(sql));
      const bound = Object.fromEntries(params.map((v, i) => [`p${i + 1}`, v]));
      for (let i = 0; i < 3; i++) stmt.get(bound);
      const ms: number[] = [];
      let body = "";
      for (let i = 0; i < RUNS; i++) {
        const t = process.hrtime.bigint();
        body = (stmt.get(bound) as { body: string }).body;
        ms.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      ms.sort((a, b) => a - b);
      return [name, fmt(pct(ms, 50), 3), fmt(pct(ms, 95), 3), String((JSON.parse(body) as { results?: unknown[] }).results?.length ?? 1)];
    }),
    sqlite: db.prepare("SELECT sqlite_version()").pluck().get() as string,
    products: db.prepare("SELECT count(*) FROM products").pluck().get() as number,
  }));
  const args = process.argv.slice(2).join(" ");
  writeSection("search", "Search SQL: time per statement", `${provenance(`npm run bench -- search${args ? ` ${args}` : ""}`)}

better-sqlite3 (SQLite ${sqlite}) on ${values["from-state"] ? values["from-state"] : "the sample catalog"}, ${products.toLocaleString("en-US")} products, read-only; ${RUNS} runs of each
statement after 3 warm-ups, window ${W}. SQL time only: no Worker, no D1 round trip. Design: docs/decisions/search.md.

${mdTable(["statement", "p50 ms:", "p95 ms:", "results:"], rows)}
`);
});
