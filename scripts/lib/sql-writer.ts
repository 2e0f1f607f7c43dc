// Turns catalog rows into plain INSERT statements for `wrangler d1 execute --file`.
// No BEGIN/COMMIT: wrangler rejects files with their own transactions and runs the whole file as
// one batch (one transaction) itself, so a failed import leaves the database untouched.
import { createWriteStream, mkdirSync } from "node:fs";
import { once } from "node:events";
import { dirname } from "node:path";
import { TABLES, productBundles, type CatalogOptions, type Row, type TableName, type Value } from "./catalog-rows";

const MAX_ROWS = 500;
// D1 refuses statements longer than 100,000 bytes; stay well below it even with long text rows.
const MAX_BYTES = 90_000;

export function sqlLiteral(v: Value | undefined): string {
  if (v === undefined) throw new Error("row is missing a column");
  if (v === null) return "NULL";
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new Error(`not an integer: ${v}`); // money is integer cents
    return String(v);
  }
  return `'${v.replaceAll("'", "''")}'`;
}

export interface Progress {
  table: TableName;
  rows: number; // rows written for this table so far
  fraction: number; // share of products processed for this table, 0..1
  done: boolean;
}

// Writes every table in foreign-key order to `path`, awaiting the stream whenever it is full.
export async function writeCatalogSql(path: string, opts: CatalogOptions,
  onProgress: (p: Progress) => void = () => {}): Promise<Record<TableName, number>> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path, { encoding: "utf8" });
  const failed = once(out, "error").then(([e]) => { throw e; });
  failed.catch(() => {}); // surfaced by the awaits below
  const write = async (text: string) => {
    if (!out.write(text)) await Promise.race([once(out, "drain"), failed]);
  };
  const counts = {} as Record<TableName, number>;

  await write(`-- Sample catalog: ${opts.products} products, seed ${opts.seed}. Generated; do not edit.\n`);
  for (const { name, columns } of TABLES) {
    const head = `INSERT INTO ${name} (${columns.join(", ")}) VALUES\n`;
    let batch: string[] = [];
    let bytes = 0;
    let rows = 0;
    onProgress({ table: name, rows, fraction: 0, done: false }); // starts the table's clock
    const flush = async () => {
      if (batch.length === 0) return;
      await write(head + batch.join(",\n") + ";\n");
      batch = [];
      bytes = 0;
    };
    for (const bundle of productBundles(opts)) {
      for (const row of bundle[name] as Row[]) {
        const tuple = `(${columns.map((c) => sqlLiteral(row[c])).join(",")})`;
        const size = Buffer.byteLength(tuple) + 2;
        if (batch.length >= MAX_ROWS || bytes + size > MAX_BYTES - head.length) await flush();
        batch.push(tuple);
        bytes += size;
        rows++;
      }
      const id = bundle.products[0]!.id as number;
      if (id % 1000 === 0) onProgress({ table: name, rows, fraction: id / opts.products, done: false });
    }
    await flush();
    counts[name] = rows;
    onProgress({ table: name, rows, fraction: 1, done: true });
  }
  out.end();
  await Promise.race([once(out, "finish"), failed]);
  return counts;
}
