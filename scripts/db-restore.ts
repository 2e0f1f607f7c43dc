// CLI: `npm run db:restore -- BACKUP --persist-to NEW`: loads a db:export backup into a fresh LOCAL D1
// and rebuilds the search index in bulk. See docs/operations.md.
import { restoreBackup } from "./lib/backup";
import { parseCli, runMain, usageError } from "./lib/cli";
import { withMigratedLocalD1 } from "./lib/local-d1";

const USAGE = `Usage: npm run db:restore -- BACKUP [--persist-to DIR]

Applies the migrations to the LOCAL D1 in DIR (default .wrangler/state), which must hold no catalog,
loads BACKUP (written by \`npm run db:export\`) with the search triggers suspended, then builds the
search index and category counts in bulk and puts the triggers back.
`;

const { positionals, values: args } = parseCli("db:restore", USAGE, { "persist-to": { type: "string" } }, true);
if (positionals.length !== 1) usageError("db:restore", "give one BACKUP directory", USAGE);

const started = performance.now();
const log = (line: string) => process.stderr.write(`${line}\n`);
await runMain("db:restore", () => withMigratedLocalD1(args["persist-to"], async (d1) => {
  const search = await restoreBackup(d1, positionals[0]!, log);
  log(`Restored in ${((performance.now() - started) / 1000).toFixed(1)} s (search index ${search.seconds.toFixed(1)} s)`);
}));
