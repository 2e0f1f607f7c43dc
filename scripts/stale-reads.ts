// `npm run stale-reads -- [options]`: does a read right after a successful write ever show the old value?
// See USAGE below, and docs/decisions/cache-keys.md for the race it hunts.
import { integerFlag, parseCli } from "./lib/cli";

/**
 * By default orders are placed at most about once a second (this long from the previous stock change's
 * answer to the next order): API.md lets cached stock lag only while it changes more than once a second.
 */
const ORDER_SPACING_MS = 1100;

const USAGE = `Usage: npm run stale-reads -- [options]

Against a running API (npm start, or wrangler dev on a copy of a big catalog), for each mode: a writer
makes --writes changes one after the other, each followed at once by a read of the payload it changed,
while --readers clients read the same payload in a loop (so cache misses and fills race every write).
A read-back that doesn't show the write it follows is a stale read; the contract (API.md) allows none.

Modes (--modes, comma-separated; style,product,stock by default):
  style    PATCH /styles/:id {sale_price}, then GET /products/:id/styles
  product  PATCH /products/:id {slogan},    then GET /products/:id
  stock    POST /skus/:id/stock {delta ±1}, then GET /products/:id/styles (the sku's quantity)
  order    POST /orders for 1 unit of the sku, then GET /products/:id/styles (its quantity). The
           contract lets cached stock lag while orders change it more than once a second, so orders
           are paced --order-spacing-ms apart (answer to next request): there, no lag is allowed

Options:
  --base-url URL     the API (default http://127.0.0.1:8787)
  --admin-token T    admin bearer token (default: ADMIN_TOKEN, else dev-admin-token)
  --product ID       the product to write and read (default: the first with a style and a sku)
  --writes N         writes per mode (default 3000)
  --readers N        concurrent readers of the same payload (default 40)
  --modes LIST       style,product,stock,order (default style,product,stock)
  --order-spacing-ms N  order mode: from a stock change's answer to the next order (default ${ORDER_SPACING_MS},
                     at least 1000: faster than once a second the contract allows a lag)
  --help             this text

Exit code 1 when any read-back was stale or any request failed. Wrap runs in \`flock /work/bench.lock\`
on a shared machine.
`;

type Mode = "style" | "product" | "stock" | "order";

const { values, fail } = parseCli("stale-reads", USAGE, {
  "base-url": { type: "string", default: "http://127.0.0.1:8787" },
  "admin-token": { type: "string", default: process.env.ADMIN_TOKEN ?? "dev-admin-token" },
  product: { type: "string" },
  writes: { type: "string" },
  readers: { type: "string" },
  modes: { type: "string", default: "style,product,stock" },
  "order-spacing-ms": { type: "string" },
});
const BASE = values["base-url"].replace(/\/+$/, "");
const positive = (fallback: number) => ({ fallback, min: 1, max: Number.MAX_SAFE_INTEGER });
const WRITES = integerFlag("--writes", values.writes, positive(3000), fail);
const READERS = integerFlag("--readers", values.readers, positive(40), fail);
const SPACING_MS = integerFlag("--order-spacing-ms", values["order-spacing-ms"], positive(ORDER_SPACING_MS), fail);
if (SPACING_MS < 1000) fail("--order-spacing-ms must be at least 1000 (faster, API.md allows cached stock to lag)");
const MODES = values.modes.split(",").map((m) => m.trim()) as Mode[];
for (const m of MODES) {
  if (!["style", "product", "stock", "order"].includes(m)) fail(`unknown mode "${m}" (style, product, stock, order)`);
}
const ADMIN = { Authorization: `Bearer ${values["admin-token"]}`, "Content-Type": "application/json" };

type Styles = { results: { style_id: number; sale_price: string | null; skus: Record<string, { quantity: number }> }[] };

async function getJson<T>(path: string): Promise<{ body: T; cache: string }> {
  const res = await fetch(BASE + path);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 200)}`);
  return { body: JSON.parse(text) as T, cache: /cache;desc=(hit|miss)/.exec(res.headers.get("Server-Timing") ?? "")?.[1] ?? "none" };
}

async function write(method: string, path: string, body: unknown): Promise<unknown> {
  const res = await fetch(BASE + path, { method, headers: ADMIN, body: JSON.stringify(body) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

/** The product to hammer, its first style and that style's first sku. */
async function target(): Promise<{ productId: number; styleId: number; skuId: number }> {
  const candidates = values.product ? [Number(values.product)] : (await getJson<{ id: number }[]>("/products?count=50")).body.map((p) => p.id);
  for (const productId of candidates) {
    const styles = (await getJson<Styles>(`/products/${productId}/styles`)).body.results;
    const style = styles.find((s) => Object.keys(s.skus).length > 0);
    if (style) return { productId, styleId: style.style_id, skuId: Number(Object.keys(style.skus)[0]) };
  }
  throw new Error("no product with a style that has a sku (pass --product)");
}

interface Step { readPath: string; change: (i: number) => Promise<(body: unknown) => boolean> }

function step(mode: Mode, t: { productId: number; styleId: number; skuId: number }, run: string): Step {
  const stylesPath = `/products/${t.productId}/styles`;
  if (mode === "style") {
    return {
      readPath: stylesPath,
      change: async (i) => {
        const price = `${100 + (i % 800)}.${String(i % 100).padStart(2, "0")}`;
        await write("PATCH", `/styles/${t.styleId}`, { sale_price: price });
        return (body) => (body as Styles).results.find((s) => s.style_id === t.styleId)?.sale_price === price;
      },
    };
  }
  if (mode === "product") {
    return {
      readPath: `/products/${t.productId}`,
      change: async (i) => {
        const slogan = `stale-reads ${run} #${i}`;
        await write("PATCH", `/products/${t.productId}`, { slogan });
        return (body) => (body as { slogan: string }).slogan === slogan;
      },
    };
  }
  if (mode === "order") {
    let quantity = 0;
    let lastAnswer = 0;
    return {
      readPath: stylesPath,
      change: async (i) => {
        // Enough stock for the whole run first (an admin change, answered with the sku's quantity), then
        // this writer is the only one changing it, so it knows what every read-back should show.
        if (i === 1) {
          quantity = ((await write("POST", `/skus/${t.skuId}/stock`, { delta: WRITES })) as { quantity: number }).quantity;
          lastAnswer = Date.now(); // the restock is a stock change too
        }
        await new Promise((r) => setTimeout(r, Math.max(0, lastAnswer + SPACING_MS - Date.now())));
        const res = await fetch(`${BASE}/orders`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "Idempotency-Key": `stale-reads-${run}-${i}` },
          body: JSON.stringify({ items: [{ sku_id: t.skuId, quantity: 1 }] }),
        });
        const text = await res.text();
        lastAnswer = Date.now();
        if (res.status !== 201) throw new Error(`POST /orders: ${res.status} ${text.slice(0, 200)}`);
        const expected = --quantity;
        return (body) => (body as Styles).results.find((s) => String(t.skuId) in s.skus)?.skus[String(t.skuId)]?.quantity === expected;
      },
    };
  }
  return {
    readPath: stylesPath,
    change: async (i) => {
      const { quantity } = (await write("POST", `/skus/${t.skuId}/stock`, { delta: i % 2 === 0 ? 1 : -1 })) as { quantity: number };
      return (body) => (body as Styles).results.find((s) => String(t.skuId) in s.skus)?.skus[String(t.skuId)]?.quantity === quantity;
    },
  };
}

async function runMode(mode: Mode, t: { productId: number; styleId: number; skuId: number }) {
  const s = step(mode, t, Date.now().toString(36));
  let stop = false;
  const readers = { reads: 0, hits: 0, failures: 0 };
  const reader = async () => {
    while (!stop) {
      try {
        const { cache } = await getJson(s.readPath);
        readers.reads++;
        if (cache === "hit") readers.hits++;
      } catch {
        readers.failures++;
      }
    }
  };
  const running = Array.from({ length: READERS }, reader);
  const result = { mode, writes: 0, stale: 0, staleFromKv: 0, readBackHits: 0, failures: 0, firstStale: "" };
  const started = Date.now();
  for (let i = 1; i <= WRITES; i++) {
    try {
      const fresh = await s.change(i);
      result.writes++;
      const read = await getJson(s.readPath);
      if (read.cache === "hit") result.readBackHits++;
      if (!fresh(read.body)) {
        result.stale++;
        if (read.cache === "hit") result.staleFromKv++;
        result.firstStale ||= `write #${i}: ${JSON.stringify(read.body).slice(0, 200)} (cache ${read.cache})`;
      }
    } catch (err) {
      result.failures++;
      if (result.failures <= 3) process.stderr.write(`  ${mode} #${i}: ${(err as Error).message}\n`);
    }
    if (i % 500 === 0) process.stderr.write(`  ${mode}: ${i}/${WRITES} writes, ${result.stale} stale\n`);
  }
  stop = true;
  await Promise.all(running);
  return { ...result, seconds: (Date.now() - started) / 1000, readers };
}

async function main(): Promise<number> {
  const t = await target();
  process.stderr.write(`stale-reads: ${BASE}, product ${t.productId} (style ${t.styleId}, sku ${t.skuId}), ` +
    `${WRITES} writes per mode, ${READERS} readers\n`);
  let bad = false;
  for (const mode of MODES) {
    const r = await runMode(mode, t);
    const ratio = r.readers.reads > 0 ? (100 * r.readers.hits / r.readers.reads).toFixed(1) : "-";
    process.stdout.write(`${mode}: ${r.writes} writes in ${r.seconds.toFixed(0)} s, stale read-backs ${r.stale}` +
      ` (from KV ${r.staleFromKv}), read-backs served from KV ${r.readBackHits}, failed writes/reads ${r.failures}; ` +
      `readers: ${r.readers.reads} reads, cache hit ratio ${ratio}%, failures ${r.readers.failures}\n`);
    if (r.firstStale) process.stdout.write(`  first stale: ${r.firstStale}\n`);
    bad ||= r.stale > 0 || r.failures > 0 || r.readers.failures > 0;
  }
  return bad ? 1 : 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`stale-reads: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
