// Writes the sample catalog as the reference export's six CSV files, in one pass over the products,
// with the planted quirks of csv-quirks.ts. Each file is buffered in 64 KiB pieces and every write
// waits for its stream to drain, so memory stays flat at any catalog size.
import { once } from "node:events";
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from "node:fs";
import { join } from "node:path";
import { productBundles, type CatalogOptions, type ProductBundle, type Row, type TableName } from "./catalog-rows";
import { CSV_FILES, dollars, text, TABLE_ORDER } from "./csv-format";
import { QuirkQueue, type QuirkKind } from "./csv-quirks";

/** Where each planted quirk landed and what the importer should make of it ("loaded" or a reject code). */
export interface ManifestEntry { kind: QuirkKind; file: string; line: number; expect: string }

class CsvOut {
  private stream: WriteStream;
  private buffer = "";
  private failed: Promise<never>;
  line = 1; // physical lines written so far: the header
  rows = 0;

  constructor(path: string, header: readonly string[]) {
    this.stream = createWriteStream(path, { encoding: "utf8" });
    this.failed = once(this.stream, "error").then(([e]) => { throw e; });
    this.failed.catch(() => {}); // surfaced by the awaits below
    this.buffer = `${header.join(",")}\n`;
  }

  /** Adds one record and answers the line it starts on. */
  add(record: string): number {
    const start = this.line + 1;
    this.buffer += record;
    for (let i = record.indexOf("\n"); i >= 0; i = record.indexOf("\n", i + 1)) this.line++;
    this.rows++;
    return start;
  }

  async flush(force = false) {
    if (this.buffer.length < 65536 && !force) return;
    const ok = this.stream.write(this.buffer);
    this.buffer = "";
    if (!ok) await Promise.race([once(this.stream, "drain"), this.failed]);
  }

  async end() {
    await this.flush(true);
    this.stream.end();
    await Promise.race([once(this.stream, "finish"), this.failed]);
  }
}

const FIELDS: Record<TableName, (r: Row) => string[]> = {
  products: (r) => [String(r.id), text(r.name), text(r.slogan), text(r.description), text(r.category), dollars(r.default_price)],
  features: (r) => [String(r.id), String(r.product_id), text(r.feature), text(r.value)],
  styles: (r) => [String(r.id), String(r.product_id), text(r.name), dollars(r.sale_price), dollars(r.original_price), String(r.is_default)],
  photos: (r) => [String(r.id), String(r.style_id), text(r.url), text(r.thumbnail_url)],
  skus: (r) => [String(r.id), String(r.style_id), text(r.size), String(r.quantity)],
  related: (r) => [String(r.id), String(r.product_id), String(r.related_product_id)],
};

export async function writeCatalogCsv(dir: string, opts: CatalogOptions,
  onProgress: (fraction: number, rows: number, done: boolean) => void = () => {}) {
  mkdirSync(dir, { recursive: true });
  const outs = Object.fromEntries(TABLE_ORDER.map((t) =>
    [t, new CsvOut(join(dir, CSV_FILES[t].file), CSV_FILES[t].header)])) as Record<TableName, CsvOut>;
  const quirks = new QuirkQueue(opts.products, opts.seed);
  const manifest: ManifestEntry[] = [];
  let relatedId = 0;

  for (const bundle of productBundles(opts)) {
    const pid = bundle.products[0]!.id as number;
    // The export numbers related rows itself; the catalog only knows (product, related, position).
    const related: Row[] = bundle.related.map((r) => ({ ...r, id: ++relatedId }));
    const kind = quirks.take(pid, (t) => (t === "related" ? related : bundle[t]).length > 0);
    const note = (table: TableName, line: number, expect: string) =>
      manifest.push({ kind: kind!, file: CSV_FILES[table].file, line, expect });
    if (kind) breakRows(kind, bundle);

    for (const table of TABLE_ORDER) {
      const rows = table === "related" ? related : bundle[table];
      rows.forEach((row, i) => {
        const fields = FIELDS[table](row);
        const first = i === 0;
        let record = `${fields.join(",")}\n`;
        if (kind === "whitespace" && first && (table === "products" || table === "skus")) {
          record = `${fields.map((f, j) => (j % 2 ? `\t${f}  ` : `  ${f} `)).join(",")}\n`;
        } else if (kind === "crlf" && table === "skus") record = `${fields.join(",")}\r\n`;
        else if (kind === "broken-row" && first && table === "features") {
          record = `${fields.slice(0, 2).join(",")}\n,${fields.slice(2).join(",")}\n`;
        }
        const line = outs[table].add(record);
        if (kind && first) noteFirst(kind, table, line, note);
        if (kind === "duplicate-id" && first) {
          const copy = table === "products" ? FIELDS.products({ ...row, name: `${row.name} (second copy)` }) : fields;
          note(table, outs[table].add(`${copy.join(",")}\n`), "duplicate_id");
        }
      });
    }
    if (kind?.startsWith("related-") || kind === "duplicate-link") {
      const to = { "related-zero": 0, "related-nowhere": opts.products + pid, "related-self": pid }[kind as string]
        ?? (related[0]!.related_product_id as number);
      const expect = { "related-zero": "related_zero", "related-nowhere": "parent_not_found", "related-self": "related_self" }[kind as string]
        ?? "duplicate_link";
      note("related", outs.related.add(`${++relatedId},${pid},${to}\n`), expect);
    }
    for (const out of Object.values(outs)) await out.flush();
    if (pid % 5000 === 0) onProgress(pid / opts.products, totalRows(outs), false);
  }
  for (const out of Object.values(outs)) await out.end();
  writeFileSync(join(dir, "quirks.json"), `${JSON.stringify({ ...opts, left: quirks.left, manifest }, null, 1)}\n`);
  const counts = Object.fromEntries(TABLE_ORDER.map((t) => [t, outs[t].rows])) as Record<TableName, number>;
  onProgress(1, totalRows(outs), true);
  return { counts, manifest };
}

const totalRows = (outs: Record<TableName, CsvOut>) => Object.values(outs).reduce((a, o) => a + o.rows, 0);

// Row-level quirks: the values are wrong, the CSV around them is fine.
function breakRows(kind: QuirkKind, b: ProductBundle) {
  const p = b.products[0]!;
  if (kind === "comma-quotes") p.name = `${p.name}, "Limited" Edition`;
  if (kind === "newline") p.description = `${p.description}\nCare: machine wash cold, hang dry.`;
  if (kind === "empty-name") p.name = "";
  if (kind === "bad-price") b.styles[0]!.original_price = "N/A";
  if (kind === "negative-quantity") b.skus[0]!.quantity = -3;
  if (kind === "bad-url") b.photos[0]!.url = `images/${b.photos[0]!.style_id}/1.jpg`;
}

const EXPECT_FIRST: Partial<Record<QuirkKind, [TableName, string][]>> = {
  "comma-quotes": [["products", "loaded"]], "newline": [["products", "loaded"]],
  "whitespace": [["products", "loaded"], ["skus", "loaded"]], "crlf": [["skus", "loaded"]],
  "broken-row": [["features", "field_count"]], "empty-name": [["products", "empty_text"]],
  "bad-price": [["styles", "bad_price"]], "negative-quantity": [["skus", "bad_quantity"]],
  "bad-url": [["photos", "bad_url"]],
};

function noteFirst(kind: QuirkKind, table: TableName, line: number, note: (t: TableName, l: number, e: string) => void) {
  for (const [t, expect] of EXPECT_FIRST[kind] ?? []) {
    if (t !== table) continue;
    note(t, line, expect);
    if (kind === "broken-row") note(t, line + 1, expect); // the second half is a record of its own
  }
}
