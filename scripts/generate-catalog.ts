// CLI: writes the deterministic sample catalog as SQL and optionally loads it into the local D1.
import { parseArgs } from "node:util";
import { applyCatalogFile, DEFAULT_CATALOG, generateCatalogFile } from "./lib/local-d1";

const USAGE = `Usage: npm run seed -- [options]
       npx tsx scripts/generate-catalog.ts [options]

Writes a deterministic sample catalog (products, features, styles, photos, skus, related)
as SQL INSERT statements. The same --products and --seed always give byte-identical output.

Options:
  --products N       number of products to generate (default ${DEFAULT_CATALOG.products})
  --seed S           PRNG seed, an integer 0..4294967295 (default ${DEFAULT_CATALOG.seed})
  --out FILE         where to write the SQL (default .tmp/seed.sql)
  --apply            load FILE into the LOCAL D1 afterwards:
                       wrangler d1 execute DB --local --file FILE --yes
                     The catalog tables must exist (run migrations) and be empty.
  --persist-to DIR   local state directory for --apply (default: wrangler's .wrangler/state)
  -h, --help         show this help
`;

function fail(message: string): never {
  process.stderr.write(`generate-catalog: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    fail(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

function parse() {
  try {
    return parseArgs({
      options: {
        products: { type: "string" }, seed: { type: "string" }, out: { type: "string" },
        apply: { type: "boolean" }, "persist-to": { type: "string" }, help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

const args = parse();
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
// Ids must stay far below SQLite's and JS's integer limits even at ~12 photos/skus per product.
const products = integer("products", args.products, DEFAULT_CATALOG.products, 1, 100_000_000);
const seed = integer("seed", args.seed, DEFAULT_CATALOG.seed, 0, 0xffffffff);
const out = args.out ?? ".tmp/seed.sql";
if (out === "") fail("--out needs a file name");
if (args["persist-to"] !== undefined && !args.apply) fail("--persist-to only makes sense with --apply");

try {
  await generateCatalogFile(out, { products, seed });
  if (args.apply) await applyCatalogFile(out, { persistTo: args["persist-to"] });
} catch (e) {
  process.stderr.write(`generate-catalog: ${(e as Error).message}\n`);
  process.exit(1);
}
