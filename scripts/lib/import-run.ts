// The import itself: each CSV file in foreign-key order, streamed, every record checked, accepted
// rows loaded in large transactions (or written as chunked SQL), rejected ones reported.
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TableName } from "./catalog-rows";
import { CSV_FILES, TABLE_ORDER } from "./csv-format";
import { readCsv, readHeader } from "./csv-reader";
import { beginImport, commitBatch, finishImport, openLocalD1, readCheckpoints, secondaryIndexes, type Checkpoint, type LocalD1 } from "./import-d1";
import { fingerprint, restoreTable } from "./import-resume";
import { emptyStats, printSummary, progressLine, rate, RejectLog, type FileStats } from "./import-report";
import { checkRow, COLUMNS, newImportState, type ImportState } from "./import-rules";
import { Reject } from "./import-values";
import { beginStatements, DROP_LOAD_TABLE, finishStatements, migrationNames, searchGroups, type Trigger } from "./remote-load";
import { BUILD_CHUNK_IDS, buildSearchIndex, restoreTriggers, suspendTriggers, type BuildReport } from "./search-build";
import { InsertBuilder, SqlFileSink } from "./sql-writer";

export interface ImportOptions {
  dir: string; // the six CSV files
  reportDir: string;
  persistTo?: string; // local D1 state (wrangler's --persist-to); migrations must be applied
  emitSql?: string; // instead of loading: write chunked .sql files here
  suspendedTriggers?: Trigger[]; // with emitSql: the search and hold triggers the migrations create, suspended while the files load
  chunkBytes?: number; // --emit-sql file size limit
  batchRows?: number; // rows per transaction in the local D1
  resume?: boolean;
  quiet?: boolean; // no progress lines and no summary table (the caller says what happened)
}
export interface ImportResult { stats: FileStats[]; seconds: number; search: BuildReport | null }

/** Rows per transaction: big enough to amortise a batch round trip, small enough to resume cheaply. */
export const DEFAULT_BATCH_ROWS = 20_000;
export const DEFAULT_CHUNK_BYTES = 50_000_000;

/** The six files are there with the expected headers; checked before anything is written. */
export async function checkFiles(dir: string) {
  for (const table of TABLE_ORDER) {
    const { file, header } = CSV_FILES[table];
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`${path} is missing`);
    const got = (await readHeader(path)).fields;
    if (got.join(",") !== header.join(",")) {
      throw new Error(`${file}: the header is "${got.join(",")}", expected "${header.join(",")}"`);
    }
  }
}

export async function importCatalog(opts: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  await checkFiles(opts.dir);
  mkdirSync(opts.reportDir, { recursive: true });
  let d1: LocalD1 | null = null, rejects: RejectLog | null = null, sink: SqlFileSink | null = null;
  const all: FileStats[] = [];
  let search: BuildReport | null = null;
  try {
    let checkpoints = new Map<TableName, Checkpoint>();
    if (opts.emitSql === undefined) {
      d1 = await openLocalD1(opts.persistTo);
      const saved = await readCheckpoints(d1.db);
      if (saved && !opts.resume) throw new Error("an interrupted import is in this database: run again with --resume to continue it");
      if (!saved) await beginImport(d1.db, TABLE_ORDER);
      await suspendTriggers(d1.db, d1.exec); // the index is built in bulk at the end instead
      checkpoints = new Map((saved ?? []).map((cp) => [TABLE_ORDER.find((t) => CSV_FILES[t].file === cp.stats.file)!, cp]));
    } else {
      if (opts.resume) throw new Error("--resume works with the local D1 only; --emit-sql is simply run again");
      sink = new SqlFileSink(opts.emitSql, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
      sink.whole("begin", beginStatements(opts.suspendedTriggers ?? []), false); // it records itself, with its check
    }
    rejects = new RejectLog(join(opts.reportDir, "rejects.csv"),
      checkpoints.size ? Math.max(...[...checkpoints.values()].map((c) => c.rejectsBytes)) : undefined);
    const state = newImportState();
    const seen = { maxProductId: 0 };
    for (const table of TABLE_ORDER) {
      const path = join(opts.dir, CSV_FILES[table].file);
      const cp = checkpoints.get(table);
      await restoreTable(table, path, cp, checkpoints, state, d1?.db ?? null);
      const stats: FileStats = cp ? structuredClone(cp.stats) : emptyStats(CSV_FILES[table].file);
      all.push(stats);
      if (!stats.done) await importFile(table, path, cp, stats, state, { d1, sink, rejects, opts, seen });
    }
    if (sink) {
      // The index in bulk, as the local import builds it, then the triggers back (remote-load.ts).
      for (const group of searchGroups(seen.maxProductId, BUILD_CHUNK_IDS)) sink.whole("search", group);
      sink.whole("finish", [...finishStatements(opts.suspendedTriggers ?? []), DROP_LOAD_TABLE], false);
      sink.finish({
        migrations: migrationNames(), maxProductId: seen.maxProductId,
        rows: Object.fromEntries(TABLE_ORDER.map((t, i) => [t, all[i]?.loaded ?? 0])),
      });
    }
    if (d1) {
      process.stderr.write("Building the search index...\n");
      search = await buildSearchIndex(d1.db, d1.exec, (line) => process.stderr.write(`${line}\n`));
      await restoreTriggers(d1.db, d1.exec);
      process.stderr.write(`Search index: ${search.products.toLocaleString("en-US")} products in ${search.seconds.toFixed(1)} s ` +
        `(${search.chunks} batches, slowest statement ${search.slowestSeconds.toFixed(1)} s, merge and counts ${search.mergeSeconds.toFixed(1)} s)\n`);
      await finishImport(d1.db);
    }
  } finally {
    rejects?.close();
    sink?.finish();
    await d1?.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const total = all.reduce((a, s) => a + s.read, 0), spent = all.reduce((a, s) => a + s.seconds, 0);
  const summary = {
    target: opts.emitSql ? { emitSql: opts.emitSql, files: sink?.files } : { persistTo: opts.persistTo ?? ".wrangler/state" },
    files: all, rows: total, seconds: spent, rowsPerSecond: Math.round(rate(total, spent)), thisRunSeconds: seconds, search,
  };
  const centiseconds = (_: string, v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? Math.round(v * 100) / 100 : v);
  writeFileSync(join(opts.reportDir, "summary.json"), `${JSON.stringify(summary, centiseconds, 1)}\n`);
  if (!opts.quiet) printSummary(all, spent, opts.reportDir);
  return { stats: all, seconds, search };
}

interface Ends { d1: LocalD1 | null; sink: SqlFileSink | null; rejects: RejectLog; opts: ImportOptions; seen: { maxProductId: number } }

/** Streams one file from its checkpoint (or its start) to its end. */
async function importFile(table: TableName, path: string, cp: Checkpoint | undefined, stats: FileStats,
  state: ImportState, { d1, sink, rejects, opts, seen }: Ends): Promise<void> {
  const size = statSync(path).size, source = fingerprint(path);
  const builder = new InsertBuilder(table, COLUMNS[table]);
  const show = opts.quiet ? () => {} : progressLine(stats.file);
  const batchRows = opts.batchRows ?? DEFAULT_BATCH_ROWS;
  const start = performance.now(), before = stats.seconds;
  const elapsed = () => before + (performance.now() - start) / 1000;
  let inflight: Promise<unknown> = Promise.resolve();

  // Rejects reach disk before their batch commits; the checkpoint records how far rejects.csv goes.
  const indexes = cp?.indexes ?? (d1 ? await secondaryIndexes(d1.db, table) : []);
  let drop = cp ? [] : indexes.map((i) => `DROP INDEX ${i.name}`); // with the first batch, atomically
  const flush = async (offset: number, line: number, done: boolean) => {
    rejects.flush();
    stats.seconds = elapsed();
    stats.done = done;
    const checkpoint: Checkpoint = structuredClone({ stats, offset, line, rejectsBytes: rejects.bytes, source, indexes });
    const statements = [...drop, ...builder.take(), ...(done ? indexes.map((i) => i.sql) : [])];
    drop = [];
    await inflight; // at most one batch in flight: the next one is parsed while this one commits
    if (d1) inflight = commitBatch(d1, statements, checkpoint);
    else sink!.write(table, statements);
  };

  let offset = cp?.offset ?? (await readHeader(path)).offset, line = cp?.line ?? 2;
  for await (const chunk of readCsv(path, offset, line)) {
    for (const r of chunk.records) {
      if (r.fields.length === 1 && r.fields[0] === "" && !r.error) { stats.blank++; continue; }
      stats.read++;
      const values = r.error ? new Reject("malformed_csv", r.error) : checkRow(table, r.fields, state);
      if (values instanceof Reject) rejects.add(stats, r.line, values, chunk.text.slice(r.start, r.end));
      else {
        builder.add(values);
        stats.loaded++;
        if (table === "products") seen.maxProductId = Math.max(seen.maxProductId, values[0] as number);
      }
    }
    ({ offset, line } = chunk);
    if (builder.rows >= batchRows) await flush(offset, line, false);
    show(offset / size, stats.read, stats.rejected, elapsed());
  }
  await flush(offset, line, true);
  await inflight;
  stats.seconds = elapsed(); // include the last commit
  show(1, stats.read, stats.rejected, elapsed(), true);
}
