// CLI: imports a catalog export (the reference storefront's six CSV files) into the local D1, or
// writes it as chunked SQL for a remote D1. See docs/import.md.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { closeAllLocalD1 } from "./lib/import-d1";
import { migrateLocal, withMigratedLocalD1 } from "./lib/local-d1";
import { readSuspendedTriggers } from "./lib/search-build";
import { checkFiles, DEFAULT_BATCH_ROWS, DEFAULT_CHUNK_BYTES, importCatalog } from "./lib/import-run";

const USAGE = `Usage: npm run import -- [options] [DIR]
       npx tsx scripts/import-catalog.ts [options] [DIR]

Imports product.csv, features.csv, styles.csv, photos.csv, skus.csv and related.csv from DIR
(default .tmp/catalog) in that order. Every row is validated; good rows are loaded into the LOCAL
D1 in transactions of --batch-rows rows, every rejected row goes to DIR/report/rejects.csv with
its reason, and a summary by file and reason is printed and written to summary.json.
The catalog tables must be empty (a fresh --persist-to); migrations are applied first.

Options:
  --persist-to DIR   local state directory (default: wrangler's .wrangler/state, what
                     \`npm start\` / \`wrangler dev\` serve)
  --report DIR       where rejects.csv and summary.json go (default DIR/report)
  --resume           continue an interrupted import (Ctrl-C, a crash) from its last commit
  --batch-rows N     rows per transaction (default ${DEFAULT_BATCH_ROWS})
  --emit-sql OUT     load nothing: write the catalog as numbered .sql files in OUT (rows, search
                     index, manifest.json) for a remote D1: \`npm run import:apply -- OUT --remote\`
                     loads them in order and resumes where a stopped load left off
  --chunk-mb N       with --emit-sql: largest file size in MB (default ${DEFAULT_CHUNK_BYTES / 1e6})
  -h, --help         show this help

Exit status: 0 when every file was read to the end (rejected rows included), 130 when
interrupted (resumable), 1 on an error that stopped the import.
`;

const { values: args, positionals, fail } = parseCli("import-catalog", USAGE, {
  "persist-to": { type: "string" }, report: { type: "string" }, resume: { type: "boolean" },
  "batch-rows": { type: "string" }, "emit-sql": { type: "string" }, "chunk-mb": { type: "string" },
}, true);
if (positionals.length > 1) fail(`one DIR at most, got ${positionals.join(" ")}`);
const dir = positionals[0] ?? ".tmp/catalog";
const emitSql = args["emit-sql"];
if (emitSql !== undefined && (args["persist-to"] !== undefined || args.resume)) fail("--emit-sql writes files only: no --persist-to or --resume");
const chunkMb = integerFlag("--chunk-mb", args["chunk-mb"], { fallback: DEFAULT_CHUNK_BYTES / 1e6, min: 1, max: 5000 }, fail);
if (args["chunk-mb"] !== undefined && emitSql === undefined) fail("--chunk-mb only makes sense with --emit-sql");
const batchRows = integerFlag("--batch-rows", args["batch-rows"], { fallback: DEFAULT_BATCH_ROWS, min: 1, max: 1_000_000 }, fail);
// Every argument is checked, and the six files found with their headers, before anything is written:
// no --persist-to directory, migration or report appears for a command that cannot run.
try {
  await checkFiles(dir);
} catch (e) {
  fail(`${(e as Error).message} (DIR must hold the six CSV files: docs/import.md)`);
}

// Nothing to finish on Ctrl-C: every batch commits together with its checkpoint, so an import stopped
// at any moment (a signal, a crash, a power cut) keeps exactly its committed batches. Miniflare stops
// workerd on the same signal, so waiting for the batch in flight would not work anyway.
process.on("SIGINT", () => {
  process.stderr.write("\nInterrupted. Committed batches are kept: run the same command with --resume to continue.\n");
  void closeAllLocalD1().finally(() => process.exit(130));
});

await runMain("import-catalog", async () => {
  if (emitSql === undefined) {
    process.stderr.write("Applying D1 migrations (local)...\n");
    await migrateLocal({ persistTo: args["persist-to"] });
  }
  await importCatalog({
    dir, reportDir: args.report ?? join(dir, "report"), persistTo: args["persist-to"], emitSql,
    chunkBytes: chunkMb * 1e6, resume: args.resume, batchRows,
    suspendedTriggers: emitSql === undefined ? undefined : await migratedSuspendedTriggers(),
  });
});

/** The search and hold triggers exactly as migrations/ creates them, read from a throwaway migrated local D1. */
async function migratedSuspendedTriggers() {
  const scratch = mkdtempSync(join(tmpdir(), "storefront-triggers-"));
  try {
    return await withMigratedLocalD1(scratch, (d1) => readSuspendedTriggers(d1.db));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
