// `npm run bench -- reads`: throughput and latency of the hot read routes, each beside /health on the same
// server, with the read cache on and off; written to docs/results.md. See USAGE.
import type { AutocannonRequest } from "autocannon";
import { resolve } from "node:path";
import { copyState, hammer, type Hammered, sampleState, serve, stateDir, withD1 } from "./lib/bench-kit";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { fmt, mdTable, provenance, writeSection } from "./lib/results-page";

interface Catalog { deepAfter: number; ids: number[] }
const random = (c: Catalog) => `/products/${c.ids[Math.floor(Math.random() * c.ids.length)]}/styles`;
/** Each route's path; a function of the catalog where it needs ids. Run in this order, after /health. */
interface Route { what: string; path: (c: Catalog) => string; perRequest?: boolean; cached?: boolean }
const ROUTES: Record<string, Route> = {
  product: { what: "GET /products/1", path: () => "/products/1", cached: true },
  styles: { what: "GET /products/1/styles", path: () => "/products/1/styles", cached: true },
  "styles-random": { what: "GET /products/<uniform random id>/styles (the long tail: mostly misses)", path: random, perRequest: true },
  "list-first": { what: "GET /products?count=5", path: () => "/products?count=5" },
  "list-deep": { what: "GET /products?after=<the 6th id from the end>&count=5 (keyset: the last page)", path: (c) => `/products?after=${c.deepAfter}&count=5` },
};

const USAGE = `Usage: npm run bench -- reads [options]

The hot read routes under \`npm run serve\` (the bundle on Miniflare), each loaded by autocannon right after
GET /health on the same server, so its ratio to /health is what it costs beyond the runtime. Two servers,
one after the other: the read cache on (as configured) and off (READ_CACHE_MS=0: every read reaches D1).
Before each route one request checks that the row measures what it claims (with the cache on, product and
styles answer from the cache; with it off, from D1). Targets: cached styles ≥ 0.6× /health; the last
keyset page within 10% of the first. Writes the "Reads" section of docs/results.md; exits 1 when a request
failed or a check did not hold.

Routes:
${Object.entries(ROUTES).map(([name, r]) => `  ${name.padEnd(14)} ${r.what}`).join("\n")}

Options:
  --seconds N      measured per route (default 10)
  --warmup N       seconds of load before each, not counted (default 2)
  --connections N  (default 16)
  --routes LIST    comma-separated subset of the routes (default all)
  --from-state DIR serve a copy of this persisted catalog (e.g. an imported 1M one) instead of the sample
  --state-dir D    (default .tmp/bench/reads, wiped)
  -h, --help
`;

const { values, fail } = parseCli("bench reads", USAGE, {
  seconds: { type: "string" }, warmup: { type: "string" }, connections: { type: "string" }, routes: { type: "string" },
  "from-state": { type: "string" }, "state-dir": { type: "string" },
});
const SECONDS = integerFlag("--seconds", values.seconds, { fallback: 10, min: 1, max: 600 }, fail);
const WARMUP = integerFlag("--warmup", values.warmup, { fallback: 2, min: 0, max: 60 }, fail);
const CONNECTIONS = integerFlag("--connections", values.connections, { fallback: 16, min: 1, max: 512 }, fail);
const STATE = stateDir("reads", values["state-dir"], fail);
const NAMES = values.routes?.split(",").map((s) => s.trim()) ?? Object.keys(ROUTES);
for (const n of NAMES) if (!ROUTES[n]) fail(`--routes: no route "${n}" (${Object.keys(ROUTES).join(", ")})`);

/** Throws unless `path` answers 200, from the cache (cache on, cached routes: the first read fills it) or from D1. */
async function check(origin: string, path: string, cache: "on" | "off", cachedRoute: boolean): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const res = await fetch(origin + path);
    await res.arrayBuffer();
    const timing = res.headers.get("Server-Timing") ?? "";
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    const hit = timing.includes("cache;desc=hit");
    if (cache === "off" ? !hit && timing.includes("db;dur=") : !cachedRoute || hit) return;
    if (cache === "off") throw new Error(`GET ${path} with the cache off should come from D1; Server-Timing "${timing}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`GET ${path} never answered from the read cache`);
}

async function measure(origin: string, pgid: number, path: () => string, perRequest: boolean): Promise<Hammered> {
  const requests: AutocannonRequest[] = [{ method: "GET", path: path(), ...(perRequest ? { setupRequest: (r) => ({ ...r, path: path() }) } : {}) }];
  if (WARMUP > 0) await hammer(origin, requests, CONNECTIONS, WARMUP, pgid);
  return hammer(origin, requests, CONNECTIONS, SECONDS, pgid);
}

await runMain("bench reads", async () => {
  if (values["from-state"]) copyState(resolve(values["from-state"]), STATE);
  else await sampleState(STATE);
  const catalog = withD1(STATE, (db) => ({
    deepAfter: (db.prepare("SELECT id FROM products ORDER BY id DESC LIMIT 1 OFFSET 5").get() as { id: number }).id,
    ids: db.prepare("SELECT id FROM products").pluck().all() as number[],
  }));
  const results: Record<string, Hammered> = {};
  let failed = false;
  for (const cache of ["on", "off"] as const) {
    const server = await serve(STATE, cache === "off" ? ["READ_CACHE_MS:0"] : []);
    try {
      for (const name of ["health", ...NAMES]) {
        const route: Route = ROUTES[name] ?? { what: "GET /health", path: () => "/health" };
        if (name !== "health") await check(server.origin, route.path(catalog), cache, route.cached === true);
        const r = (results[`${name} ${cache}`] = await measure(server.origin, server.pid, () => route.path(catalog), route.perRequest === true));
        failed ||= r.non2xx > 0 || r.errors > 0;
        process.stderr.write(`  cache ${cache}, ${name}: ${fmt(r.rps)} req/s, p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, non-2xx ${r.non2xx}, errors ${r.errors}\n`);
      }
    } finally {
      await server.stop();
    }
  }

  const cells = (name: string, cache: string) => {
    const r = results[`${name} ${cache}`]!, health = results[`health ${cache}`]!;
    return [fmt(r.rps), name === "health" ? "1" : fmt(r.rps / health.rps, 2), fmt(r.p50, 2), fmt(r.p99, 2), fmt(r.serverCpuMs, 2), fmt(r.othersCpuPct)];
  };
  const rows = ["health", ...NAMES].map((n) => [`\`${n === "health" ? "GET /health" : ROUTES[n]!.what}\``, ...cells(n, "on"), ...cells(n, "off")]);
  const ratio = (a: string, b: string) => (results[a] && results[b] ? results[a]!.rps / results[b]!.rps : NaN);
  const styles = ratio("styles on", "health on"), deep = ratio("list-deep on", "list-first on");
  const verdicts = [
    `cached styles ${fmt(styles, 2)}× /health (target ≥ 0.60): ${Number.isNaN(styles) ? "not run" : styles >= 0.6 ? "met" : "**not met**"}`,
    `last keyset page ${fmt(deep, 2)}× the first page's req/s (target ≥ 0.90): ${Number.isNaN(deep) ? "not run" : deep >= 0.9 ? "met" : "**not met**"}`,
    failed ? "**some requests failed** (non-2xx or connection errors): see the run's output" : "every answer was 2xx",
  ];
  const args = process.argv.slice(2).join(" ");
  writeSection("reads", "Reads: the hot routes beside /health", `${provenance(`npm run bench -- reads${args ? ` ${args}` : ""}`)}

\`npm run serve\` on ${values["from-state"] ? `a copy of ${values["from-state"]}` : "the sample catalog (3,000 products, seed 42)"}, ${catalog.ids.length.toLocaleString("en-US")} products;
autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up then ${SECONDS} s per route, on the same cores as the server (compare
ratios, not req/s). ×/health divides by /health on the same server in the same run. CPU ms/req is the
server's process group per request; others % is what the rest of the machine used meanwhile (% of a core):
a busy neighbour skews that row.

${mdTable(["route", "cache on req/s:", "×/health:", "p50 ms:", "p99 ms:", "CPU ms/req:", "others %:", "cache off req/s:", "×/health:", "p50 ms:", "p99 ms:", "CPU ms/req:", "others %:"], rows)}

${verdicts.map((v) => `- ${v}`).join("\n")}
`);
  if (failed || styles < 0.6 || deep < 0.9) process.exitCode = 1;
});
