// `npm run sql-timing -- [options]`: SQLite time of the catalog reads' statements on a persisted D1 file.
// Locally D1's meta.duration doesn't advance during SQLite work, so this opens the file itself with
// better-sqlite3 (a recent SQLite: Debian's 3.40 lacks ORDER BY inside aggregates), read-only.
import Database from "better-sqlite3";
import { PRODUCT_RELATED, PRODUCT_STYLES, PRODUCT_WITH_FEATURES } from "../src/db/read-queries";
import { integerFlag, parseCli } from "./lib/cli";
import { localD1File } from "./lib/import-d1";

const USAGE = `Usage: npm run sql-timing -- --persist-to DIR [options]

Times, with better-sqlite3 on DIR's D1 database file (opened read-only), the one statement each of
GET /products/:id, /products/:id/styles and /products/:id/related runs when the read cache misses, for
--samples product ids drawn uniformly from the catalog (the same ids for every statement, after one
untimed pass over them, so this is SQL time with the pages in memory, interleaved).

Options:
  --persist-to DIR   a wrangler --persist-to directory (e.g. a copy of /work/data/state-1m)
  --samples N        ids per statement (default 20000)
  --help
`;

const { values, fail } = parseCli("sql-timing", USAGE, { "persist-to": { type: "string" }, samples: { type: "string" } });
if (!values["persist-to"]) fail("give --persist-to DIR");
const samples = integerFlag("--samples", values.samples, { fallback: 20_000, min: 1, max: Number.MAX_SAFE_INTEGER }, fail);

const file = localD1File(values["persist-to"]);
const db = new Database(file, { readonly: true, fileMustExist: true });

const ids = db.prepare("SELECT id FROM products").pluck().all() as number[];
const draw = (n: number) => Array.from({ length: n }, () => ids[Math.floor(Math.random() * ids.length)]!);
const measured = draw(samples);

function prepared(name: string, numbered: string) {
  // better-sqlite3 binds positional values to plain `?` only: each `?1` becomes one, given the id.
  const uses = numbered.match(/\?1\b/g)?.length ?? 0;
  const stmt = db.prepare(numbered.replace(/\?1\b/g, "?"));
  return { name, run: (id: number) => stmt.get(...Array.from({ length: uses }, () => id)), us: [] as number[] };
}

const statements = [
  prepared("product", PRODUCT_WITH_FEATURES),
  prepared("styles", PRODUCT_STYLES),
  prepared("related", PRODUCT_RELATED),
];
// One untimed pass over the same ids first, so every timed run finds the pages in memory: otherwise the
// first statement to touch an id's photos and skus pays for reading them and the other does not.
for (const id of measured) for (const s of statements) s.run(id);
// Then interleaved, in a fresh random order for each id (what runs just before a statement warms the
// CPU caches for it, so no statement should always follow the same one).
measured.forEach((id) => {
  const order = statements.map((s) => ({ s, r: Math.random() })).sort((a, b) => a.r - b.r);
  for (const { s } of order) {
    const t = process.hrtime.bigint();
    s.run(id);
    s.us.push(Number(process.hrtime.bigint() - t) / 1000);
  }
});
const rows = statements.map(({ name, us }) => {
  us.sort((a, b) => a - b);
  const at = (p: number) => us[Math.min(us.length - 1, Math.ceil(p * us.length) - 1)]!;
  return { name, mean: us.reduce((a, b) => a + b, 0) / us.length, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
});

const f = (x: number) => x.toFixed(1).padStart(9);
process.stdout.write(`${ids.length.toLocaleString("en-US")} products in ${file}; SQLite ${db.prepare("SELECT sqlite_version()").pluck().get()}; ${samples} ids per statement\n`);
process.stdout.write(`${"statement".padEnd(32)}  mean µs   p50 µs   p95 µs   p99 µs\n`);
for (const r of rows) process.stdout.write(`${r.name.padEnd(32)}${f(r.mean)}${f(r.p50)}${f(r.p95)}${f(r.p99)}\n`);
