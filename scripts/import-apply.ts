// `npm run import:apply -- OUT --remote`: loads the files `npm run import -- --emit-sql OUT` wrote into a D1,
// in order, one `wrangler d1 execute --file` each, and resumes where a stopped load left off: the database
// itself says which files are in (each file records its own name in the same unit as its rows).
// `--local` does the same to a local D1, which is how the files are proven (docs/import.md, "Remote D1").
import { createHash } from "node:crypto";
import { createReadStream, existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseCli, runMain } from "./lib/cli";
import { d1Execute, localTarget, runWrangler } from "./lib/local-d1";
import { LOAD_TABLE, MANIFEST, type Manifest } from "./lib/remote-load";

const USAGE = `Usage: npm run import:apply -- OUT (--remote | --local) [options]

Loads the numbered .sql files of \`npm run import -- DIR --emit-sql OUT\` into the D1 bound as DB, in
order, with \`wrangler d1 execute DB --file\`. Each file is one unit (D1 applies it whole or not at all)
and records itself in the table ${LOAD_TABLE}, so running the same command again after any stop skips
what is in and goes on from the next file. Before the first file it checks the files against
OUT/${MANIFEST} (size and SHA-256) and the database's applied migrations against the ones the files
were written for; after the last it checks every table's row count. A database that already holds
another catalog is refused, and nothing is written to it.

  --remote           the deployed database (top level of wrangler.toml, or --env); needs wrangler login
  --local            the local D1 ([env.dev]), for proving the files: see docs/import.md
  --persist-to DIR   with --local: the state directory (default .wrangler/state)
  --env NAME         with --remote: another environment of wrangler.toml (preview)
  -h, --help         show this help
`;

const { values, positionals, fail } = parseCli("import-apply", USAGE, {
  remote: { type: "boolean" }, local: { type: "boolean" }, "persist-to": { type: "string" }, env: { type: "string" },
}, true);
if (positionals.length !== 1) fail("name one OUT directory (what --emit-sql wrote)");
if (Boolean(values.remote) === Boolean(values.local)) fail("say where: --remote or --local");
if (values["persist-to"] !== undefined && !values.local) fail("--persist-to goes with --local");
if (values.env !== undefined && !values.remote) fail("--env goes with --remote");
if (values.env === "dev") fail("[env.dev] is the local database: use --local");
const out = resolve(positionals[0]!);
const target = values.remote ? [`--env=${values.env ?? ""}`, "--remote"] : localTarget({ persistTo: values["persist-to"] });
const where = values.remote ? `the remote D1${values.env ? ` of [env.${values.env}]` : ""}` : `the local D1${values["persist-to"] ? ` in ${values["persist-to"]}` : ""}`;

const query = <T>(sql: string) => d1Execute<T>(sql, target);

const sha256 = (path: string) => new Promise<string>((done, failed) => {
  const hash = createHash("sha256");
  createReadStream(path).on("data", (d) => hash.update(d)).on("error", failed).on("end", () => done(hash.digest("hex")));
});

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const log = (line: string) => process.stderr.write(`${line}\n`);

await runMain("import-apply", async () => {
  const manifestPath = join(out, MANIFEST);
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: OUT must be what \`npm run import -- --emit-sql OUT\` wrote, completely`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  log(`Checking ${manifest.files.length} files (${mb(manifest.files.reduce((n, f) => n + f.bytes, 0))}) against ${MANIFEST}...`);
  for (const f of manifest.files) {
    const path = join(out, f.name);
    if (!existsSync(path) || statSync(path).size !== f.bytes || (await sha256(path)) !== f.sha256) {
      throw new Error(`${f.name} is missing or not the file ${MANIFEST} describes: write the files again`);
    }
  }

  const applied = (await query<{ name: string }>("SELECT name FROM d1_migrations ORDER BY id").catch(() => [])).map((m) => m.name);
  if (applied.join() !== manifest.migrations.join()) {
    throw new Error(`${where} has migrations [${applied.join(", ")}]; the files were written for [${manifest.migrations.join(", ")}]. ` +
      "Apply the migrations first (README), or write the files again from this checkout");
  }
  const [{ loading, products }] = await query<{ loading: number; products: number }>(
    `SELECT (SELECT count(*) FROM sqlite_master WHERE name = '${LOAD_TABLE}') AS loading, (SELECT count(*) FROM products) AS products`) as [{ loading: number; products: number }];
  let done = new Set<string>();
  if (loading > 0) {
    done = new Set((await query<{ file: string }>(`SELECT file FROM ${LOAD_TABLE}`)).map((r) => r.file));
    log(`${where} holds a load that stopped after ${done.size} of ${manifest.files.length} files: going on from there`);
  } else if (products > 0) {
    if (products !== manifest.rows.products) throw new Error(`${where} already holds a catalog of ${products} products; a load never merges into one`);
    log(`${where} already holds these ${products} products and no load is under way: nothing to do`);
    return;
  }

  const started = performance.now();
  for (const [i, f] of manifest.files.entries()) {
    if (done.has(f.name)) continue;
    const t = performance.now();
    await runWrangler(["d1", "execute", "DB", ...target, "--file", join(out, f.name), "--yes"]);
    log(`  [${i + 1}/${manifest.files.length}] ${f.name} (${mb(f.bytes)}) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  log(`Applied in ${((performance.now() - started) / 1000).toFixed(1)} s. Checking the row counts...`);

  const tables = Object.keys(manifest.rows);
  const [counts] = await query<Record<string, number>>(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(", ")}, ` +
    `(SELECT count(*) FROM product_facts) AS indexed, (SELECT count(*) FROM sqlite_master WHERE name IN ('${LOAD_TABLE}', '_search_triggers')) AS bookkeeping`);
  const wrong = tables.filter((t) => counts?.[t] !== manifest.rows[t]);
  if (!counts || wrong.length > 0 || counts.indexed !== manifest.rows.products || counts.bookkeeping !== 0) {
    throw new Error(`the loaded database does not match ${MANIFEST}: ${JSON.stringify(counts)} against ${JSON.stringify(manifest.rows)}`);
  }
  log(`${where} holds ${tables.map((t) => `${counts[t]!.toLocaleString("en-US")} ${t}`).join(", ")}; every product is in the search index`);
});
