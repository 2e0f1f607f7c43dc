// Resuming an interrupted import. The checkpoint of each file (see import-d1.ts) says how far it was
// committed; the in-memory state (accepted ids, related pairs and positions) is rebuilt by replaying
// the committed part of each file through the same checks, which decide the same way every time.
// Replay also checks the files did not change: it must count exactly the checkpoint's rows.
import { statSync } from "node:fs";
import type { TableName } from "./catalog-rows";
import { readCsv, readHeader } from "./csv-reader";
import { catalogRowCount, type Checkpoint, type D1Like } from "./import-d1";
import { checkRow, type ImportState } from "./import-rules";
import { Reject } from "./import-values";

/** Size and modification time: cheap, and enough to notice a file replaced between runs. */
export const fingerprint = (path: string) => { const s = statSync(path); return `${s.size}:${Math.trunc(s.mtimeMs)}`; };

/** Replays a committed prefix through the same checks (no output), rebuilding `state` exactly. */
async function replay(table: TableName, path: string, cp: Checkpoint, state: ImportState) {
  let read = 0, loaded = 0;
  // cp.line is where the first uncommitted record starts: everything before it was committed.
  for await (const chunk of readCsv(path, (await readHeader(path)).offset, 2)) {
    for (const r of chunk.records) {
      if (r.line >= cp.line) break;
      if (r.fields.length === 1 && r.fields[0] === "" && !r.error) continue;
      read++;
      if (!r.error && !(checkRow(table, r.fields, state) instanceof Reject)) loaded++;
    }
    if (chunk.line >= cp.line) break;
  }
  if (read !== cp.stats.read || loaded !== cp.stats.loaded) {
    throw new Error(`${cp.stats.file} changed since the interrupted import (replayed ${read} rows, ${loaded} loaded; ` +
      `the checkpoint says ${cp.stats.read}, ${cp.stats.loaded})`);
  }
}

// Whose ids later files check against.
const PARENT_OF: Partial<Record<TableName, TableName[]>> = { products: ["features", "styles", "related"], styles: ["photos", "skus"] };

/**
 * Rebuilds what `table` contributes to `state` when a later step needs it: its own ids when it is
 * unfinished, its ids as parents while a child file is still to come.
 */
export async function restoreTable(table: TableName, path: string, cp: Checkpoint | undefined,
  checkpoints: Map<TableName, Checkpoint>, state: ImportState, db: D1Like | null) {
  if (!cp) return;
  if (cp.source !== fingerprint(path)) throw new Error(`${cp.stats.file} changed since the interrupted import`);
  // A finished file matters only while a file that checks against its ids (directly, or through
  // styles for products) is still to be loaded.
  const needed = (t: TableName): boolean =>
    (PARENT_OF[t] ?? []).some((child) => !checkpoints.get(child)?.stats.done || needed(child));
  if (cp.stats.done && !needed(table)) return;
  process.stderr.write(`  ${cp.stats.file}: replaying ${cp.stats.read.toLocaleString("en-US")} committed rows...\n`);
  await replay(table, path, cp, state);
  if (db && (await catalogRowCount(db, table)) !== cp.stats.loaded) {
    throw new Error(`${table} holds a different number of rows than the checkpoint of ${cp.stats.file} says`);
  }
}
