// npm run test:browser: the docs page in a real browser. Starts `npm run serve` with its own small seeded
// catalog, opens /docs in headless Chromium (Debian's package, driven by playwright-core), checks that
// the page lists every operation of /openapi.json, runs one request with "Try it out", checks that the
// page loaded nothing from another origin, and takes a screenshot: into .tmp/, or over the committed
// docs/screenshots/docs-page.png only when asked (--update-screenshot), so a run leaves `git status` clean.
// Ends with "N passed, N failed"; exits 1 when a check failed.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { chromium, type Page } from "playwright-core";
import { assert, check, summary } from "./lib/checks";
import { integerFlag, parseCli } from "./lib/cli";
import { serve } from "./lib/serve-child";
import { ensureLocalCatalog, exitIfPortBusy, ROOT } from "./lib/local-d1";

const USAGE = `Usage: npm run test:browser -- [options]

Serves the Worker (npm run serve, 200 seeded products in .tmp/browser-state), opens /docs in
headless Chromium and checks it; ends with "N passed, N failed".

  --port P              serve on this port (default: a free one)
  --update-screenshot   save the screenshot over docs/screenshots/docs-page.png (default: .tmp/docs-page.png,
                        so a run leaves git status clean)
  -h, --help            show this help

Environment: CHROMIUM_PATH, the browser to drive (default /usr/bin/chromium: apt-get install chromium).
`;
const { values, fail } = parseCli("test-browser", USAGE, { port: { type: "string" }, "update-screenshot": { type: "boolean" } });
const PORT = integerFlag("--port", values.port, { fallback: 0, min: 1, max: 65535 }, fail);
if (PORT) await exitIfPortBusy("test:browser", "127.0.0.1", PORT, "npm run test:browser");

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Checked before anything is seeded or started: playwright-core downloads no browser.
if (!existsSync(CHROMIUM)) {
  console.error(`test:browser: no Chromium at ${CHROMIUM}. Install Debian's package (sudo apt-get install chromium), ` +
    "or set CHROMIUM_PATH to a Chromium or Chrome binary.");
  process.exit(1);
}
const STATE = join(ROOT, ".tmp", "browser-state");
const SCREENSHOT = values["update-screenshot"] ? join(ROOT, "docs", "screenshots", "docs-page.png") : join(ROOT, ".tmp", "docs-page.png");
// The sample catalog's product 1 (seed 42), as the spec's examples show it.
const PRODUCT_1_NAME = "Sky High Board Shorts 3000";

type Spec = { paths: Record<string, Record<string, unknown>> };
const specOperations = (spec: Spec) =>
  Object.entries(spec.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)).sort();

/** Every operation Swagger UI rendered, as "METHOD /path". */
const pageOperations = (page: Page) =>
  page.$$eval(".opblock-summary", (summaries) => summaries.map((s) => {
    const method = s.querySelector(".opblock-summary-method")?.textContent?.trim() ?? "?";
    const path = s.querySelector(".opblock-summary-path")?.getAttribute("data-path") ?? "?";
    return `${method} ${path}`;
  }).sort());

async function tryProductRequest(page: Page, origin: string): Promise<void> {
  const block = page.locator(".opblock-get").filter({ has: page.locator('.opblock-summary-path[data-path="/products/{product_id}"]') }).first();
  await block.locator(".opblock-summary").click();
  await block.locator(".try-out__btn").click();
  const input = block.locator('tr[data-param-name="product_id"] input');
  await input.fill("1");
  await block.locator(".btn.execute").click();
  const live = block.locator(".live-responses-table");
  await live.waitFor({ timeout: 15_000 });
  const row = live.locator("tr.response").first();
  const status = (await row.locator(".response-col_status").textContent())?.trim();
  assert(status === "200", `the response panel shows status ${status}, not 200`);
  const body = await row.locator(".response-col_description").textContent() ?? "";
  assert(body.includes(`"name": "${PRODUCT_1_NAME}"`), `the response body doesn't show product 1: ${body.slice(0, 300)}`);
  const url = (await block.locator(".request-url pre").textContent())?.trim();
  assert(url === `${origin}/products/1`, `the request went to ${url}, not ${origin}/products/1`);
  await block.scrollIntoViewIfNeeded();
}

async function main(): Promise<void> {
  rmSync(STATE, { recursive: true, force: true });
  mkdirSync(STATE, { recursive: true });
  // Small and deterministic; the seed files go inside the state dir so .tmp/seed is left alone.
  await ensureLocalCatalog({ products: 200, seed: 42, persistTo: STATE, out: join(STATE, "seed") });
  const worker = await serve(STATE, [], [], PORT || undefined);
  const profile = mkdtempSync(join(tmpdir(), "storefront-chromium-"));
  console.log(`npm run serve on ${worker.origin}; Chromium at ${CHROMIUM}`);
  // launchPersistentContext so the profile (user-data-dir) is a fresh directory of our own.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 1000 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const requested: string[] = [];
    page.on("request", (r) => requested.push(r.url()));
    const pageErrors: string[] = [];
    page.on("pageerror", (err) => pageErrors.push(err.message));

    const spec = (await (await fetch(`${worker.origin}/openapi.json`)).json()) as Spec;
    await page.goto(`${worker.origin}/docs`, { waitUntil: "networkidle" });

    await check("the page renders the spec's title", async () => {
      await page.locator(".swagger-ui .info .title").waitFor({ timeout: 15_000 });
      const title = await page.locator(".swagger-ui .info .title").textContent();
      assert(title?.startsWith("Storefront API"), `title is ${title}`);
    });
    await check("the page lists every operation of /openapi.json", async () => {
      const expected = specOperations(spec);
      const shown = await pageOperations(page);
      // 26 operations: the catalog, orders, admin and docs routes, search's three and carts' five. A new route
      // updates this.
      assert(expected.length === 26, `the spec has ${expected.length} operations, expected 26`);
      assert(JSON.stringify(shown) === JSON.stringify(expected), `shown:\n${shown.join("\n")}\nexpected:\n${expected.join("\n")}`);
    });
    await check("the admin routes carry the bearer lock, and Authorize offers adminBearer", async () => {
      const locks = await page.locator(".opblock .authorization__btn").count();
      assert(locks === 11, `${locks} operations show a lock, expected the 11 admin routes`);
      await page.locator(".auth-wrapper .authorize").click();
      const dialog = await page.locator(".dialog-ux").textContent();
      assert(dialog?.includes("adminBearer"), `the Authorize dialog shows: ${dialog?.slice(0, 200)}`);
      await page.locator(".dialog-ux .close-modal").click();
    });
    await check("Try it out on GET /products/{product_id} answers 200 with product 1", () => tryProductRequest(page, worker.origin));
    await check("the page ran without script errors", async () => {
      assert(pageErrors.length === 0, pageErrors.join("\n"));
    });
    await check("every request the page made went to the Worker's own origin", async () => {
      const offOrigin = requested.filter((u) => !u.startsWith("data:") && new URL(u).origin !== worker.origin);
      assert(requested.some((u) => u.endsWith("/docs/assets/swagger-ui-dist/swagger-ui-bundle.js")), "the page never loaded the bundled Swagger UI");
      assert(offOrigin.length === 0, `off-origin requests:\n${offOrigin.join("\n")}`);
    });
    await check(`a screenshot is saved to ${relative(ROOT, SCREENSHOT)}`, async () => {
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    });
    console.log(`${requested.length} requests, all to ${worker.origin}`);
  } finally {
    await context.close();
    await worker.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}

await check("the page is served and Chromium opens it", main);
process.exit(summary());
