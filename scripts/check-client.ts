// `npm run test:client` (part of `npm test`): the typed client as a front end gets it. Builds the package,
// packs it, installs it into a copy of examples/storefront-web outside this repository next to nothing
// but typescript (npm brings hono, the client's one dependency), type-checks the sample with the DOM's
// types only, then runs it against `npm run serve` with a small seeded catalog. Ends with "N passed, N failed".
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assert, check, summary } from "./lib/checks";
import { serve } from "./lib/serve-child";
import { ensureLocalCatalog, ROOT } from "./lib/local-d1";
import { parseCli } from "./lib/cli";

parseCli("test:client", "Usage: npm run test:client\n  Builds @storefront/client, installs it into a copy of examples/storefront-web with only typescript beside it,\n" +
    "  type-checks the sample and runs it against a local server. Part of npm test.\n", {});

const SAMPLE = join(ROOT, "examples", "storefront-web");
const STATE = join(ROOT, ".tmp", "client-state");
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_loglevel: "error" } });

/** What the compiled sample exports (its own types live in the sample; this is the part the check calls). */
interface Sample {
  createClient(baseUrl: string): unknown;
  loadProductPage(api: unknown, id: number): Promise<{ product: { id: number; name: string }; styles: { skus: Record<string, { quantity: number }> }[]; related: number[] } | null>;
  renderProductPage(page: unknown): string;
  search(api: unknown, text: string): Promise<{ id: number; price: string }[]>;
  placeOrder(api: unknown, skuId: number, quantity: number, key: string): Promise<{ order: { id: string; total: string } } | { outOfStock: string }>;
}

const work = mkdtempSync(join(tmpdir(), "storefront-web-"));
let sample: Sample | null = null;
try {
  await check("npm run build:client writes the package", () => { run("npm", ["run", "--silent", "build:client"], ROOT); });
  await check("the sample installs the packed client with only typescript beside it (and hono, the client's dependency)", () => {
    const tarball = run("npm", ["pack", join(ROOT, "dist", "client"), "--pack-destination", work], ROOT).trim().split("\n").at(-1)!;
    cpSync(join(SAMPLE, "src"), join(work, "src"), { recursive: true });
    cpSync(join(SAMPLE, "tsconfig.json"), join(work, "tsconfig.json"));
    const pkg = JSON.parse(readFileSync(join(SAMPLE, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    pkg.dependencies["@storefront/client"] = `file:./${tarball}`;
    writeFileSync(join(work, "package.json"), JSON.stringify(pkg, null, 2));
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], work);
    const installed = readdirSync(join(work, "node_modules")).filter((d) => !d.startsWith(".")).sort();
    assert(installed.join() === "@storefront,hono,typescript", `node_modules holds ${installed.join(", ")}`);
  });
  await check("the sample type-checks against the built client (DOM types only, skipLibCheck off)", () => {
    try {
      run(process.execPath, [join(work, "node_modules", "typescript", "bin", "tsc"), "-p", "."], work);
    } catch (e) {
      throw new Error(`tsc failed:\n${(e as { stdout?: string }).stdout ?? e}`);
    }
  });
  sample = (await import(pathToFileURL(join(work, "dist", "storefront.js")).href)) as Sample;
} catch (e) {
  await check("the sample could be built", () => { throw e; });
}

if (sample) {
  const s: Sample = sample;
  rmSync(STATE, { recursive: true, force: true });
  await ensureLocalCatalog({ products: 200, seed: 42, persistTo: STATE, out: join(STATE, "seed") });
  const worker = await serve(STATE);
  try {
    const api = s.createClient(worker.origin);
    let skuId = 0;
    await check("the sample loads and renders product 1's page from the server", async () => {
      const page = await s.loadProductPage(api, 1);
      assert(page && page.product.id === 1 && page.styles.length > 0, `page: ${JSON.stringify(page).slice(0, 300)}`);
      assert(page.related.every((id) => Number.isInteger(id)), `related: ${JSON.stringify(page.related)}`);
      assert(s.renderProductPage(page).includes(`<h1>${page.product.name}</h1>`), "the rendered page lacks the product's name");
      skuId = Number(page.styles.flatMap((st) => Object.entries(st.skus)).find(([, sku]) => sku.quantity > 0)?.[0] ?? 0);
      assert(skuId > 0, "product 1 has no sku in stock");
    });
    await check("the sample gets null for a product that doesn't exist", async () => {
      assert((await s.loadProductPage(api, 424242)) === null, "expected null for product 424242");
    });
    await check("the sample's search box finds products, with prices as money strings", async () => {
      const results = await s.search(api, "shorts");
      assert(results.length > 0 && results.every((r) => /^\d+\.\d{2}$/.test(r.price)), `results: ${JSON.stringify(results).slice(0, 300)}`);
    });
    await check("the sample places an order, and the same key answers the same order", async () => {
      const key = `storefront-web-${Date.now()}`;
      const first = await s.placeOrder(api, skuId, 1, key);
      const again = await s.placeOrder(api, skuId, 1, key);
      assert("order" in first && "order" in again && first.order.id === again.order.id, `${JSON.stringify(first)} / ${JSON.stringify(again)}`);
    });
  } finally {
    await worker.stop();
  }
}
rmSync(work, { recursive: true, force: true });
process.exit(summary());
