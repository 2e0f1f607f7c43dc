// CLI: `npm run db:export -- OUT [--persist-to DIR | --remote]`: a backup read with paged SELECTs.
// Never calls `wrangler d1 export` (D1 refuses databases with FTS5 tables). See docs/operations.md.
import { exportDatabase, localSnapshot, type Query } from "./lib/backup";
import { parseCli, runMain, usageError } from "./lib/cli";
import { d1Execute } from "./lib/local-d1";

const USAGE = `Usage: npm run db:export -- OUT [--persist-to DIR | --remote]

Writes every table that holds facts (the catalog, orders) to OUT as INSERT statements in foreign-key
order, reading each table in pages of 5,000 rows by rowid, plus OUT/manifest.json (row counts and
AUTOINCREMENT high-water marks). The search index and its derived tables are left out: restore
rebuilds them. Text holding a control character is written as its bytes, so any stored text restores.
The default is the LOCAL D1 (--persist-to, default .wrangler/state), read from its file in one SQLite
read transaction: a consistent snapshot, also while \`npm start\` serves orders (it is not blocked).
--remote reads the production D1 through \`wrangler d1 execute --remote --json\` (needs a logged-in
wrangler), table by table with no snapshot: production's backup is D1 Time Travel (README, "Backups").
`;

const { values: args, positionals } = parseCli("db:export", USAGE, { "persist-to": { type: "string" }, remote: { type: "boolean" } }, true);
if (positionals.length !== 1) usageError("db:export", "give one OUT directory", USAGE);
if (args.remote && args["persist-to"]) usageError("db:export", "--remote or --persist-to, not both");

const remoteQuery: Query = <T>(sql: string) => d1Execute<T>(sql, ["--env=", "--remote"]);

const started = performance.now();
await runMain("db:export", async () => {
  const snapshot = args.remote ? null : localSnapshot(args["persist-to"]);
  try {
    const manifest = await exportDatabase(snapshot?.query ?? remoteQuery, positionals[0]!, (line) => process.stderr.write(`${line}\n`));
    const rows = manifest.tables.reduce((a, t) => a + t.rows, 0);
    process.stderr.write(`Exported ${rows.toLocaleString("en-US")} rows of ${manifest.tables.length} tables to ${positionals[0]} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    snapshot?.close();
  }
});
