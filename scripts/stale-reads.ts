// `npm run stale-reads -- [options]`: does a read right after a successful write ever show the old value?
// See USAGE below, and docs/decisions/freshness.md for the promises it checks.
import { ORDER_STOCK_LAG_MS } from "../src/cache/timing";
import { integerFlag, parseCli } from "./lib/cli";

/** (world) A probe read elsewhere this long after a write is sent: it has committed, and won't answer for a while. */
const PROBE_AFTER_MS = 100;

const USAGE = `Usage: npm run stale-reads -- [options]

Against a running API (npm start, or wrangler dev on a copy of a big catalog), for each mode: a writer
makes --writes changes one after the other, each followed at once by a read of the payload it changed,
while --readers clients read the same payload in a loop (so cache misses and fills race every write).
A read-back that doesn't show the write it follows is a stale read; the contract (API.md) allows none.

Modes (--modes, comma-separated; style,product,stock by default):
  style    PATCH /styles/:id {sale_price}, then GET /products/:id/styles
  product  PATCH /products/:id {slogan},    then GET /products/:id
  stock    POST /skus/:id/stock {delta ±1}, then GET /products/:id/styles (the sku's quantity)
  order    POST /orders for 1 unit of the sku, then GET /products/:id/styles (its quantity) once the
           ${ORDER_STOCK_LAG_MS / 1000} s the contract gives an order's stock to show have passed since the answer

With --world (against \`npm run serve -- --world production\`): the writer and its read-back are in
--writer-location (default iad), the readers spread round-robin over every location, and after each write
a read-back in every other location with the write's X-D1-Bookmark (must be fresh) and one without (may
be stale: the contract allows other locations propagation_ms plus the replicas' lag), and while each
write is in flight, ${PROBE_AFTER_MS} ms after it was sent (it has committed), one more read in every other location
(counted, not judged: the write hasn't answered; a world that never shows one stale is kinder than
production). Readers' reads are
judged against that bound, per location: a read showing a version that a later write had replaced more
than the bound before the read was sent is stale past the bound (none allowed). Modes style and product.

Options:
  --base-url URL     the API (default http://127.0.0.1:8787)
  --world            judge per location in the production world (see above)
  --writer-location L  (world) where the writer writes and reads back (default iad)
  --admin-token T    admin bearer token (default: ADMIN_TOKEN, else dev-admin-token)
  --product ID       the product to write and read (default: the first with a style and a sku)
  --writes N         writes per mode (default 3000)
  --readers N        concurrent readers of the same payload (default 40)
  --modes LIST       style,product,stock,order (default style,product,stock)
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
  world: { type: "boolean", default: false },
  "writer-location": { type: "string", default: "iad" },
});
const BASE = values["base-url"].replace(/\/+$/, "");
const positive = (fallback: number) => ({ fallback, min: 1, max: Number.MAX_SAFE_INTEGER });
const WRITES = integerFlag("--writes", values.writes, positive(3000), fail);
const READERS = integerFlag("--readers", values.readers, positive(40), fail);
const MODES = values.modes.split(",").map((m) => m.trim()) as Mode[];
for (const m of MODES) {
  if (!["style", "product", "stock", "order"].includes(m)) fail(`unknown mode "${m}" (style, product, stock, order)`);
}
const WORLD = values.world;
if (WORLD && MODES.some((m) => m !== "style" && m !== "product")) fail("--world judges the style and product modes (their writes carry a version)");
const WRITER = values["writer-location"];
/** A write's headers: JSON, sent from the writer's location in the world. */
const WRITER_HEADERS = { "Content-Type": "application/json", ...(WORLD ? { "X-World-Location": WRITER } : {}) };
const ADMIN = { Authorization: `Bearer ${values["admin-token"]}`, ...WRITER_HEADERS };

type Styles = { results: { style_id: number; sale_price: string | null; skus: Record<string, { quantity: number }> }[] };

async function getJson<T>(path: string, location?: string, bookmark?: string): Promise<{ body: T; cache: string }> {
  const headers: Record<string, string> = {};
  if (WORLD) headers["X-World-Location"] = location ?? WRITER;
  if (bookmark) headers["X-D1-Bookmark"] = bookmark;
  const res = await fetch(BASE + path, { headers });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 200)}`);
  return { body: JSON.parse(text) as T, cache: /cache;desc=(hit|miss)/.exec(res.headers.get("Server-Timing") ?? "")?.[1] ?? "none" };
}

/** The last write's answer: its status (a 503 counts against the run) and its bookmark. */
let lastWrite = { status: 0, bookmark: "" };

/** Every write of the run, admin or order, goes through here, so its status and bookmark are the last write's. */
async function write(method: string, path: string, body: unknown, headers: Record<string, string> = ADMIN, expect = 200): Promise<unknown> {
  const res = await fetch(BASE + path, { method, headers, body: JSON.stringify(body) });
  const text = await res.text();
  lastWrite = { status: res.status, bookmark: res.headers.get("X-D1-Bookmark") ?? "" };
  if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
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

interface Step {
  readPath: string;
  change: (i: number) => Promise<(body: unknown) => boolean>;
  /** The write a body shows (its i), for the world's per-location judgement; null when it shows none of this run's. */
  versionOf?: (body: unknown) => number | null;
}

function step(mode: Mode, t: { productId: number; styleId: number; skuId: number }, run: string): Step {
  const stylesPath = `/products/${t.productId}/styles`;
  if (mode === "style") {
    const priceOf = (i: number) => `${i}.${run.slice(-2).replace(/\D/g, "0").padStart(2, "0")}`;
    const shown = (body: unknown) => (body as Styles).results.find((s) => s.style_id === t.styleId)?.sale_price;
    return {
      readPath: stylesPath,
      change: async (i) => {
        const price = priceOf(i);
        await write("PATCH", `/styles/${t.styleId}`, { sale_price: price });
        return (body) => shown(body) === price;
      },
      versionOf: (body) => {
        const price = shown(body);
        const i = price ? Number(price.split(".")[0]) : NaN;
        return Number.isInteger(i) && price === priceOf(i) ? i : null;
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
      versionOf: (body) => {
        const m = new RegExp(`^stale-reads ${run} #(\\d+)$`).exec((body as { slogan: string }).slogan);
        return m ? Number(m[1]) : null;
      },
    };
  }
  if (mode === "order") {
    let quantity = 0;
    return {
      readPath: stylesPath,
      change: async (i) => {
        // Enough stock for the whole run first (an admin change, answered with the sku's quantity), then
        // this writer is the only one changing it, so it knows what every read-back should show.
        if (i === 1) quantity = ((await write("POST", `/skus/${t.skuId}/stock`, { delta: WRITES })) as { quantity: number }).quantity;
        await write("POST", "/orders", { items: [{ sku_id: t.skuId, quantity: 1 }] },
          { ...WRITER_HEADERS, "Idempotency-Key": `stale-reads-${run}-${i}` }, 201);
        // Orders wait for no cache (docs/decisions/freshness.md): their stock shows within this bound.
        await new Promise((r) => setTimeout(r, ORDER_STOCK_LAG_MS));
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

interface WorldTally {
  reads: number; staleWithinBound: number; stalePastBound: number;
  afterWrite: number; afterWriteStale: number; bookmarkStale: number;
  /** Reads sent PROBE_AFTER_MS after a write was sent (it has committed) and answered before it did. */
  inFlight: number; inFlightStale: number;
}
const tally = (): WorldTally => ({ reads: 0, staleWithinBound: 0, stalePastBound: 0, afterWrite: 0, afterWriteStale: 0, bookmarkStale: 0, inFlight: 0, inFlightStale: 0 });


/** The world's per-location judgement of reads: answeredAt[i] is when write i answered (0: none yet). */
function worldJudge(boundMs: number) {
  const answeredAt: number[] = [0];
  /** The newest write answered at or before `t`. */
  const newestBy = (t: number) => { let i = answeredAt.length - 1; while (i > 0 && answeredAt[i]! > t) i--; return i; };
  return {
    answered: (i: number) => { answeredAt[i] = Date.now(); },
    /** A read sent at `sentAt` showing write `v`: stale past the bound, stale within it, or fresh. */
    judge(v: number, sentAt: number): "past" | "within" | "fresh" {
      if (v < newestBy(sentAt - boundMs)) return "past";
      return v < newestBy(sentAt) ? "within" : "fresh";
    },
  };
}

async function runMode(mode: Mode, t: { productId: number; styleId: number; skuId: number }, world: { locations: string[]; boundMs: number } | null) {
  const s = step(mode, t, Date.now().toString(36));
  const judge = world ? worldJudge(world.boundMs) : null;
  const places = new Map((world?.locations ?? []).map((l) => [l, tally()]));
  let stop = false;
  const readers = { reads: 0, hits: 0, failures: 0 };
  const reader = async (k: number) => {
    const location = world ? world.locations[k % world.locations.length]! : undefined;
    while (!stop) {
      try {
        const sentAt = Date.now();
        const { body, cache } = await getJson(s.readPath, location);
        readers.reads++;
        if (cache === "hit") readers.hits++;
        if (judge && location) {
          const verdict = judge.judge(s.versionOf!(body) ?? 0, sentAt);
          const place = places.get(location)!;
          place.reads++;
          if (verdict === "past") place.stalePastBound++;
          if (verdict === "within") place.staleWithinBound++;
        }
      } catch {
        readers.failures++;
      }
    }
  };
  const running = Array.from({ length: READERS }, (_, k) => reader(k));
  const result = { mode, writes: 0, stale: 0, staleFromCache: 0, readBackHits: 0, failures: 0, unavailable: 0, firstStale: "" };
  const started = Date.now();
  for (let i = 1; i <= WRITES; i++) {
    try {
      // In the world: one read in every other location while the write is in flight, after it has committed.
      let writeAnswered = false;
      const probes = (world?.locations.filter((l) => l !== WRITER) ?? []).map(async (location) => {
        await new Promise((r) => setTimeout(r, PROBE_AFTER_MS));
        const { body } = await getJson(s.readPath, location);
        return { location, body, beforeAnswer: !writeAnswered };
      });
      const fresh = await s.change(i).finally(() => { writeAnswered = true; });
      judge?.answered(i);
      for (const probe of await Promise.all(probes)) {
        if (!probe.beforeAnswer) continue;
        const place = places.get(probe.location)!;
        place.inFlight++;
        if (!fresh(probe.body)) place.inFlightStale++;
      }
      result.writes++;
      const read = await getJson(s.readPath);
      if (read.cache === "hit") result.readBackHits++;
      if (!fresh(read.body)) {
        result.stale++;
        if (read.cache === "hit") result.staleFromCache++;
        result.firstStale ||= `write #${i}: ${JSON.stringify(read.body).slice(0, 200)} (cache ${read.cache})`;
      }
      for (const location of world?.locations.filter((l) => l !== WRITER) ?? []) {
        const place = places.get(location)!;
        const [plain, bookmarked] = await Promise.all([getJson(s.readPath, location), getJson(s.readPath, location, lastWrite.bookmark)]);
        place.afterWrite++;
        if (!fresh(plain.body)) place.afterWriteStale++;
        if (!fresh(bookmarked.body)) place.bookmarkStale++;
      }
    } catch (err) {
      result.failures++;
      if (lastWrite.status === 503) result.unavailable++;
      if (result.failures <= 3) process.stderr.write(`  ${mode} #${i}: ${(err as Error).message}\n`);
    }
    if (i % 500 === 0) process.stderr.write(`  ${mode}: ${i}/${WRITES} writes, ${result.stale} stale\n`);
  }
  stop = true;
  await Promise.all(running);
  return { ...result, seconds: (Date.now() - started) / 1000, readers, places };
}

interface WorldStats { locations: Record<string, Record<string, number>>; rules: { propagation_ms: number; replica_lag_ms: number } }
const worldStats = async () => (await (await fetch(`${BASE}/__world/stats`)).json()) as WorldStats;

async function main(): Promise<number> {
  const t = await target();
  const before = WORLD ? await worldStats() : null;
  const world = before ? { locations: Object.keys(before.locations), boundMs: before.rules.propagation_ms + before.rules.replica_lag_ms } : null;
  process.stderr.write(`stale-reads: ${BASE}, product ${t.productId} (style ${t.styleId}, sku ${t.skuId}), ` +
    `${WRITES} writes per mode, ${READERS} readers${world ? `, world: writer in ${WRITER}, readers in ${world.locations.join(", ")}, bound ${world.boundMs} ms` : ""}\n`);
  let bad = false;
  for (const mode of MODES) {
    const r = await runMode(mode, t, world);
    const ratio = r.readers.reads > 0 ? (100 * r.readers.hits / r.readers.reads).toFixed(1) : "-";
    process.stdout.write(`${mode}: ${r.writes} writes in ${r.seconds.toFixed(0)} s, stale read-backs ${r.stale}` +
      ` (from the read cache ${r.staleFromCache}), read-backs from the read cache ${r.readBackHits}, failed writes/reads ${r.failures}` +
      ` (writes answered 503: ${r.unavailable}); readers: ${r.readers.reads} reads, cache hit ratio ${ratio}%, failures ${r.readers.failures}\n`);
    if (r.firstStale) process.stdout.write(`  first stale: ${r.firstStale}\n`);
    for (const [location, p] of r.places) {
      process.stdout.write(`  ${location}${location === WRITER ? " (writer)" : ""}: readers ${p.reads} reads, stale within the bound ${p.staleWithinBound}, ` +
        `past it ${p.stalePastBound}` + (location === WRITER ? "" : `; right after each write ${p.afterWriteStale} of ${p.afterWrite} stale, ` +
        `with its bookmark ${p.bookmarkStale}; ${PROBE_AFTER_MS} ms after a write was sent (committed, not yet answered) ${p.inFlightStale} of ${p.inFlight} stale`) + "\n");
      bad ||= p.stalePastBound > 0 || p.bookmarkStale > 0;
    }
    bad ||= r.stale > 0 || r.failures > 0 || r.readers.failures > 0;
  }
  if (before) {
    const after = await worldStats();
    const delta = (l: string, k: string) => (after.locations[l]?.[k] ?? 0) - (before.locations[l]?.[k] ?? 0);
    for (const l of Object.keys(after.locations)) {
      process.stdout.write(`  /__world/stats ${l}: d1_replica_reads +${delta(l, "d1_replica_reads")}, d1_primary_reads +${delta(l, "d1_primary_reads")}, ` +
        `kv_hits +${delta(l, "kv_hits")}, kv_refused_writes +${delta(l, "kv_refused_writes")}\n`);
    }
  }
  return bad ? 1 : 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`stale-reads: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
