// CLI: writes the deterministic sample catalog in the reference export format (six CSV files);
// `npm run import -- DIR` loads them.
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { QUIRKS, COPIES, MIN_PRODUCTS_FOR_QUIRKS } from "./lib/csv-quirks";
import { DEFAULT_CATALOG, generateCatalog } from "./lib/local-d1";

const USAGE = `Usage: npm run seed -- [options]
       npx tsx scripts/generate-catalog.ts [options]

Writes a deterministic sample catalog as the reference storefront exports one: product.csv,
features.csv, styles.csv, photos.csv, skus.csv and related.csv (about 2 styles and 2 features
and 4-5 related links a product, about 3 photos and 5-6 skus a style), plus quirks.json listing the
flaws planted in them. The same --products and --seed always give byte-identical files.
\`npm run import -- DIR\` loads them into the local D1.

Catalogs of ${MIN_PRODUCTS_FOR_QUIRKS}+ products carry ${COPIES} of each quirk real exports have, so that importing them
exercises the importer's handling of each:
${Object.entries(QUIRKS).map(([k, v]) => `  ${k.padEnd(18)} ${v}`).join("\n")}

Options:
  --products N       number of products to generate (default ${DEFAULT_CATALOG.products})
  --seed S           PRNG seed, an integer 0..4294967295 (default ${DEFAULT_CATALOG.seed})
  --out DIR          where to write the CSV files (default .tmp/catalog)
  -h, --help         show this help
`;

const { values: args, fail } = parseCli("generate-catalog", USAGE, {
  products: { type: "string" }, seed: { type: "string" }, out: { type: "string" },
});
// Ids must stay far below SQLite's and JS's integer limits even at ~12 photos/skus per product.
const products = integerFlag("--products", args.products, { fallback: DEFAULT_CATALOG.products, min: 1, max: 100_000_000 }, fail);
const seed = integerFlag("--seed", args.seed, { fallback: DEFAULT_CATALOG.seed, min: 0, max: 0xffffffff }, fail);
const out = args.out ?? ".tmp/catalog";
if (out === "") fail("--out needs a directory");

await runMain("generate-catalog", async () => { await generateCatalog(out, { products, seed }); });
