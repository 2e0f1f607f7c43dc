// CLI: `npm run db:restore -- BACKUP --persist-to NEW`: loads a db:export backup into a fresh LOCAL D1
// and rebuilds the search index in bulk. See docs/backup.md.
import { parseArgs } from "node:util";
import { restoreFiles } from "./lib/backup";
import { beginImport, openLocalD1 } from "./lib/import-d1";
import { migrateLocal } from "./lib/local-d1";
import { TABLE_ORDER } from "./lib/csv-format";
import { buildSearchIndex, restoreSearchTriggers, suspendSearchTriggers } from "./lib/search-build";

const USAGE = `Usage: npm run db:restore -- BACKUP [--persist-to DIR]

Applies the migrations to the LOCAL D1 in DIR (default .wrangler/state), which must hold no catalog,
loads BACKUP (written by \`npm run db:export\`) with the search triggers suspended, then builds the
search index and category counts in bulk and puts the triggers back.
`;

let parsed: { values: { "persist-to"?: string; help?: boolean }; positionals: string[] };
try {
  parsed = parseArgs({ options: { "persist-to": { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true, allowPositionals: true });
} catch (e) {
  process.stderr.write(`db:restore: ${(e as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
const { values: args, positionals } = parsed;
if (args.help) { process.stdout.write(USAGE); process.exit(0); }
if (positionals.length !== 1) { process.stderr.write(`db:restore: give one BACKUP directory\n\n${USAGE}`); process.exit(2); }

const started = performance.now();
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  log("Applying D1 migrations (local)...");
  await migrateLocal({ persistTo: args["persist-to"] });
  const d1 = await openLocalD1(args["persist-to"]);
  try {
    await beginImport(d1.db, TABLE_ORDER); // refuses a database that already holds a catalog
    await d1.exec(["DROP TABLE _import_progress"]);
    await suspendSearchTriggers(d1.db, d1.exec);
    await restoreFiles(positionals[0]!, d1.exec, log);
    const search = await buildSearchIndex(d1.db, d1.exec, log);
    await restoreSearchTriggers(d1.db, d1.exec);
    log(`Restored in ${((performance.now() - started) / 1000).toFixed(1)} s (search index ${search.seconds.toFixed(1)} s)`);
  } finally {
    await d1.close();
  }
  process.exit(0);
} catch (e) {
  process.stderr.write(`db:restore: ${(e as Error).message}\n`);
  process.exit(1);
}
