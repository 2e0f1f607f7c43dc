// `npm run db:check-backup`: the backup path end to end on the LOCAL D1. A fresh sample catalog (with
// some orders and a deleted product, so AUTOINCREMENT marks matter) is exported with `db:export`'s
// code, restored into a new state with `db:restore`'s, and both are asked the same search questions
// with the Worker's own statements. Exits 1 on any difference. See docs/operations.md.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CATEGORY_COUNTS, SEARCH_CATEGORY, SEARCH_FILTERED, SEARCH_RANKED, SEARCH_WINDOW, SUGGEST } from "../src/db/search-queries";
import { ftsMatch, rankedMatch } from "../src/lib/search-text";
import { exportDatabase, localQuery, restoreBackup } from "./lib/backup";
import { integerFlag, parseCli } from "./lib/cli";
import { openLocalD1, type LocalD1 } from "./lib/import-d1";
import { generateCatalog, migrateLocal, ROOT, withMigratedLocalD1 } from "./lib/local-d1";
import { importCatalog } from "./lib/import-run";

const USAGE = `Usage: npm run db:check-backup -- [PRODUCTS]

The backup path end to end on the local D1: generates a sample catalog of PRODUCTS (default 3000),
exports it with db:export's code, restores it into a fresh state with db:restore's, and asks both the
same search questions. Exits 1 on any difference. Works in .tmp/check-backup-*, removed afterwards.
`;
const { positionals, fail } = parseCli("db:check-backup", USAGE, {}, true);
if (positionals.length > 1) fail(`one PRODUCTS at most, got ${positionals.join(" ")}`);
const PRODUCTS = integerFlag("PRODUCTS", positionals[0], { fallback: 3000, min: 1, max: Number.MAX_SAFE_INTEGER }, fail);
mkdirSync(join(ROOT, ".tmp"), { recursive: true }); // a fresh checkout has none
const work = mkdtempSync(join(ROOT, ".tmp", "check-backup-"));
const log = (line: string) => process.stderr.write(`${line}\n`);

const W = SEARCH_WINDOW;
const TAG = "00000000"; // the cursor tag the service binds; any value, the same on both sides
/** SEARCH_RANKED's parameters: the words of q as ?1, then ?2..?9 as given, then ?10, ?11, the name tier, the tag. */
const ranked = (q: string, rest: unknown[]) => { const m = rankedMatch(q)!; return [m.head, ...rest, m.last, m.prefix, 1, TAG]; };

const QUESTIONS: [string, string, unknown[]][] = [
  ["q=jacket", SEARCH_RANKED, ranked("jacket", [0, W, null, null, null, 0, 20, 0])],
  ["q=fabric, in stock, under 100", SEARCH_RANKED, ranked("fabric", [0, W, null, null, 10000, 1, 20, 0])],
  ["q=heritage jog, page 2", SEARCH_RANKED, ranked("heritage jog", [0, W, null, null, null, 0, 5, 5])],
  ["category=Pants", SEARCH_CATEGORY, [null, 0, W, "Pants", null, null, 0, 20, TAG]],
  ["min_price=50", SEARCH_FILTERED, [null, 100, W, null, 5000, null, 0, 20, TAG]],
  ["suggest jog", SUGGEST, [ftsMatch("jog", "name")]],
  ["categories", CATEGORY_COUNTS, []],
  ["row counts", "SELECT json_array((SELECT count(*) FROM products), (SELECT count(*) FROM skus), (SELECT sum(quantity) FROM skus), " +
    "(SELECT count(*) FROM orders), (SELECT json_group_object(name, seq) FROM sqlite_sequence)) AS body", []],
];

async function answers(d1: LocalD1): Promise<string[]> {
  const out: string[] = [];
  for (const [, sql, params] of QUESTIONS) out.push((await d1.db.prepare(sql).bind(...params).all<{ body: string }>()).results[0]?.body ?? "");
  return out;
}

let failed = false;
try {
  const [a, b, backup] = ["a", "b", "backup"].map((d) => join(work, d)) as [string, string, string];
  await generateCatalog(join(work, "csv"), { products: PRODUCTS, seed: 7 });
  await migrateLocal({ persistTo: a });
  await importCatalog({ dir: join(work, "csv"), reportDir: join(work, "report"), persistTo: a });
  const source = await openLocalD1(a);
  // Writes after the import: a deleted product (so the id sequence is ahead of max(id)), a sold-out sku.
  await source.exec(["DELETE FROM products WHERE id = (SELECT max(id) FROM products)", "UPDATE skus SET quantity = 0 WHERE id = 1",
    "INSERT INTO orders (id, status, created_at, total, idempotency_key, request_hash) VALUES ('o1', 'placed', '2026-01-01T00:00:00Z', 100, 'k1', 'h')"]);
  const before = await answers(source);
  log("Exporting...");
  await exportDatabase(localQuery(source.db), backup, log);
  await source.close();

  log("Restoring into a new state...");
  const after = await withMigratedLocalD1(b, async (target) => {
    await restoreBackup(target, backup, log);
    return answers(target);
  });

  QUESTIONS.forEach(([name], i) => {
    const same = before[i] === after[i];
    failed ||= !same;
    log(`${same ? "same" : "DIFFERENT"}  ${name}${same ? "" : `\n  before: ${before[i]!.slice(0, 300)}\n  after:  ${after[i]!.slice(0, 300)}`}`);
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
log(failed ? "Backup check FAILED" : "Backup check passed: every answer is the same after export and restore");
process.exit(failed ? 1 : 0);
