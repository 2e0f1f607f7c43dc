// CLI: builds the search index of a local D1 that holds a catalog loaded before migrations/0002_search.sql
// (or rebuilds what is missing after an interrupted build). `npm run import` and `npm run db:restore`
// do this themselves. See docs/search.md.
import { parseCli, runMain } from "./lib/cli";
import { withMigratedLocalD1 } from "./lib/local-d1";
import { buildSearchIndex } from "./lib/search-build";

const USAGE = `Usage: npm run search:build -- [--persist-to DIR]

Applies the migrations to the LOCAL D1 in DIR (default: wrangler's .wrangler/state), then indexes
every product that isn't indexed yet, in id ranges of 50,000 (one batch each), merges the index and
recounts the categories. Prints how long each step took. Safe to run again.
`;

const { values: args } = parseCli("search:build", USAGE, { "persist-to": { type: "string" } });

await runMain("search:build", () => withMigratedLocalD1(args["persist-to"], async (d1) => {
  const r = await buildSearchIndex(d1.db, d1.exec, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${JSON.stringify(r)}\n`);
}));
