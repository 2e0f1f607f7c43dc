// CLI: builds the search index of a local D1 that holds a catalog loaded before migrations/0002_search.sql
// (or rebuilds what is missing after an interrupted build). `npm run import` and `npm run db:restore`
// do this themselves. See docs/search.md.
import { parseArgs } from "node:util";
import { openLocalD1 } from "./lib/import-d1";
import { migrateLocal } from "./lib/local-d1";
import { buildSearchIndex } from "./lib/search-build";

const USAGE = `Usage: npm run search:build -- [--persist-to DIR]

Applies the migrations to the LOCAL D1 in DIR (default: wrangler's .wrangler/state), then indexes
every product that isn't indexed yet, in id ranges of 50,000 (one batch each), merges the index and
recounts the categories. Prints how long each step took. Safe to run again.
`;

let args: { "persist-to"?: string; help?: boolean };
try {
  args = parseArgs({ options: { "persist-to": { type: "string" }, help: { type: "boolean", short: "h" } }, strict: true }).values;
} catch (e) {
  process.stderr.write(`search:build: ${(e as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

try {
  process.stderr.write("Applying D1 migrations (local)...\n");
  await migrateLocal({ persistTo: args["persist-to"] });
  const d1 = await openLocalD1(args["persist-to"]);
  try {
    const r = await buildSearchIndex(d1.db, d1.exec, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } finally {
    await d1.close();
  }
  process.exit(0);
} catch (e) {
  process.stderr.write(`search:build: ${(e as Error).message}\n`);
  process.exit(1);
}
