// `npm run test:scripts` (part of `npm test`): the backup path on real local D1 files. API.md refuses
// control characters, but a backup must restore whatever the database holds: a NUL in a product name
// once made `db:export` write SQL that `db:restore` could not load (issue 21). Here every code point
// U+0000-U+00FF is written straight into product text and order lines (past the API's rules), exported
// and restored with the command-line tools, and every column must come back byte for byte.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { exportDatabase, localSnapshot } from "../lib/backup";
import { localD1File } from "../lib/import-d1";
import { migrateLocal, ROOT } from "../lib/local-d1";

const EVERY_LATIN1 = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
const TABLES = ["products", "features", "styles", "photos", "skus", "orders", "order_lines", "carts", "cart_items"];

mkdirSync(join(ROOT, ".tmp"), { recursive: true });
const work = mkdtempSync(join(ROOT, ".tmp", "backup-test-"));
const [source, target, backup] = ["source", "target", "backup"].map((d) => join(work, d)) as [string, string, string];

/** Runs one of our tools as a user would (`npm run NAME -- …` is `tsx scripts/…`), failing with its output. */
function tool(script: string, ...args: string[]): void {
  const run = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", script), ...args], { cwd: ROOT, encoding: "utf8" });
  assert.equal(run.status, 0, `${script} ${args.join(" ")} exited ${run.status}:\n${run.stderr}`);
}

/** Every column of every table, as hex (bytes, not decoded text) with its SQLite type. */
function contents(persistTo: string): Record<string, string[]> {
  const db = new Database(localD1File(persistTo), { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((t) => {
      const columns = (db.prepare(`SELECT name FROM pragma_table_info('${t}') ORDER BY cid`).all() as { name: string }[]).map((c) => c.name);
      const row = columns.map((c) => `typeof("${c}") || ':' || hex("${c}")`).join(" || '|' || ");
      return [t, (db.prepare(`SELECT ${row} AS r FROM "${t}" ORDER BY rowid`).all() as { r: string }[]).map((x) => x.r)];
    }));
  } finally {
    db.close();
  }
}

describe("a backup of text the API would refuse", () => {
  before(async () => {
    await migrateLocal({ persistTo: source });
    const db = new Database(localD1File(source));
    const s = EVERY_LATIN1;
    db.prepare("INSERT INTO products (id, name, slogan, description, category, default_price) VALUES (1, ?, ?, ?, ?, 100)").run(s, s, s, s);
    db.prepare("INSERT INTO features (id, product_id, feature, value) VALUES (1, 1, ?, ?)").run(s, s);
    db.prepare("INSERT INTO styles (id, product_id, name, original_price, sale_price, is_default) VALUES (1, 1, ?, 100, NULL, 1)").run(s);
    db.prepare("INSERT INTO photos (id, style_id, url, thumbnail_url) VALUES (1, 1, ?, ?)").run(s, s);
    db.prepare("INSERT INTO skus (id, style_id, size, quantity) VALUES (1, 1, ?, 5)").run(s);
    db.prepare("INSERT INTO orders (id, status, created_at, total, idempotency_key, request_hash) VALUES ('ord_1', 'placed', ?, 100, ?, ?)").run(s, s, s);
    db.prepare(`INSERT INTO order_lines (order_id, line_no, sku_id, product_id, style_id, product_name, style_name, size, quantity, unit_price)
      VALUES ('ord_1', 1, 1, 1, 1, ?, ?, ?, 1, 100)`).run(s, s, s);
    // A cart line holding 2 units: its trigger moved them from quantity to held (3 and 2). A restore that
    // ran the trigger again would hold them twice (1 and 4).
    db.prepare("INSERT INTO carts (id, created_at, updated_at, expires_at) VALUES ('cart_1', 'c', 'u', 'e')").run();
    db.prepare("INSERT INTO cart_items (cart_id, sku_id, quantity, expires_at, added_at) VALUES ('cart_1', 1, 2, 'e', 'a')").run();
    db.close();
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("restores every code point U+0000-U+00FF in product text and order lines byte for byte, and cart holds once", () => {
    const before = contents(source);
    assert.equal(before.products![0]!.split("|")[1], `text:${Buffer.from(EVERY_LATIN1, "utf8").toString("hex").toUpperCase()}`);
    tool("db-export.ts", backup, "--persist-to", source);
    tool("db-restore.ts", backup, "--persist-to", target);
    assert.deepEqual(contents(target), before);
  });

  // db:export of a live database (issue 21): read table by table with no snapshot, an order that
  // committed between `orders` and `order_lines` was exported half (its lines without the order).
  it("reads one snapshot: an order that commits while the export runs is in neither orders nor order_lines", async () => {
    const server = new Database(localD1File(source)); // another connection writing, as `npm start` would
    const placeOrder = server.transaction(() => {
      server.prepare("INSERT INTO orders (id, status, created_at, total, idempotency_key, request_hash) VALUES ('ord_2', 'placed', '2026-12-06T00:00:00.000Z', 100, 'live-key-0000002', 'h')").run();
      server.prepare(`INSERT INTO order_lines (order_id, line_no, sku_id, product_id, style_id, product_name, style_name, size, quantity, unit_price)
        VALUES ('ord_2', 1, 1, 1, 1, 'Cap', 'Red', 'M', 1, 100)`).run();
    });
    const snapshot = localSnapshot(source);
    let committed = false;
    try {
      await exportDatabase(snapshot.query, join(work, "live"), (line) => {
        if (/^\s*orders:/.test(line)) { placeOrder(); committed = true; } // after orders, before order_lines
      });
    } finally {
      snapshot.close();
      server.close();
    }
    assert.equal(committed, true);
    const manifest = JSON.parse(readFileSync(join(work, "live", "manifest.json"), "utf8")) as { tables: { name: string; rows: number }[] };
    const rows = Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows]));
    assert.deepEqual([rows.orders, rows.order_lines], [1, 1]);
    assert.equal(contents(source).orders!.length, 2); // it did commit, after the snapshot
  });
});
