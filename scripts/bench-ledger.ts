// `npm run bench -- ledger`: what each kind of request costs, from real requests, priced at Cloudflare's
// list prices, per route and for a shop's mix; written to docs/results.md. See USAGE.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { cpuMs, sampleState, serve, stateDir, withD1 } from "./lib/bench-kit";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { costPerMillion, OBJECT_ACTIVE_MS_OWN, OBJECT_ACTIVE_MS_PER_D1_CALL, PRICES, PRICES_READ_ON, type Usage } from "./lib/ledger-prices";
import { ROOT } from "./lib/paths";
import { provenance, writeSection } from "./lib/results-page";
import { type Ids, type Req, resolvePath, roundTrips, type Scenario, SCENARIOS } from "../test/ledger/scenarios";

const USAGE = `Usage: npm run bench -- ledger [options]

The ledger of issue 22: for every kind of request (test/ledger's scenarios), what it uses and what that
costs at Cloudflare's list prices (scripts/lib/ledger-prices.ts, dated, with sources):
1. D1 calls and the rows D1 says they read and wrote, calls on the order serializer and the serializer's
   D1 calls: from the pinned test (test/ledger/route-costs.test.ts, run with LEDGER=1), real requests
   through the real Worker and metered bindings;
2. CPU per request: each scenario's requests, one at a time, against \`npm run serve\` (the bundle on
   Miniflare) on the sample catalog, counting the workerd process's CPU (an upper bound of the Worker's
   own: it includes local D1's SQLite and the runtime);
then prices each per million, and a shop's mix (below), with and without the KV cache of the design
before issue 20. Writes the "Ledger" section of docs/results.md.

The mix is the latency check's (issue 22): per second, 42 product reads and 42 styles reads of 200
popular products, 36 styles reads of any product, and 5 one-line orders. Reads are priced as read-cache
misses (the conservative case: a hit reads no D1 row).

Options:
  --reads N      measured requests per read scenario (default 200)
  --writes N     per order and admin scenario (default 20; an admin write waits ~1 s for freshness)
  --state-dir D  the server's state (default .tmp/bench/ledger, wiped)
  -h, --help
`;

const { values, fail } = parseCli("bench ledger", USAGE, {
  reads: { type: "string" }, writes: { type: "string" }, "state-dir": { type: "string" },
});
const READS = integerFlag("--reads", values.reads, { fallback: 200, min: 1, max: 100_000 }, fail);
const WRITES = integerFlag("--writes", values.writes, { fallback: 20, min: 1, max: 10_000 }, fail);
const STATE = stateDir("ledger", values["state-dir"], fail);

interface Figures { name: string; kind: Scenario["kind"]; status: number; workerD1: number; objectCalls: number; objectD1: number; rowsRead: number; rowsWritten: number }

/** The pinned test, printing each request's figures. */
function pinnedFigures(): Map<string, Figures> {
  process.stderr.write("Running test/ledger/route-costs.test.ts with LEDGER=1...\n");
  const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "test/ledger/route-costs.test.ts"],
    { cwd: ROOT, env: { ...process.env, LEDGER: "1" }, encoding: "utf8", maxBuffer: 64 * 2 ** 20 });
  const plain = `${run.stdout}\n${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
  if (run.status !== 0) throw new Error(`the pinned test failed; fix it first:\n${plain.slice(-3000)}`);
  const figures = new Map<string, Figures>();
  for (const m of plain.matchAll(/^LEDGER (\{.*\})$/gm)) {
    const f = JSON.parse(m[1]!) as Figures;
    figures.set(f.name, f);
  }
  const missing = SCENARIOS.filter((s) => !figures.has(s.name)).map((s) => s.name);
  if (missing.length > 0) throw new Error(`no figures for: ${missing.join(", ")}`);
  return figures;
}

const ADMIN_TOKEN = "dev-admin-token";

async function send(base: string, req: Req, placed: Map<string, string>, created: number | string | null): Promise<Response> {
  const headers: Record<string, string> = { ...(req.body === undefined ? {} : { "Content-Type": "application/json" }), ...req.headers };
  if (req.admin) headers.Authorization = `Bearer ${ADMIN_TOKEN}`;
  return fetch(base + resolvePath(req.path, placed, created), { method: req.method, headers, ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }) });
}

/** The server's CPU per measured request of `scenario`: setups first (unmeasured), then the requests one at a time. */
async function cpuPerRequest(base: string, pgid: number, ids: Ids, scenario: Scenario): Promise<number> {
  const n = scenario.kind === "admin" || scenario.kind === "order" ? WRITES : READS;
  const run = Date.now().toString(36);
  const placed = new Map<string, string>();
  const created: (number | string | null)[] = [];
  for (let i = 0; i < n; i++) {
    let last: number | string | null = null;
    for (const req of scenario.setup?.(ids, i, run) ?? []) {
      const res = await send(base, req, placed, null);
      const body = (await res.json().catch(() => ({}))) as { id?: number | string; style_id?: number };
      if (req.path === "/orders") placed.set(req.headers!["Idempotency-Key"]!, String(body.id));
      else last = body.style_id ?? body.id ?? null;
    }
    created.push(last);
  }
  const before = cpuMs(pgid, "workerd").server;
  for (let i = 0; i < n; i++) {
    const res = await send(base, scenario.request(ids, i, run), placed, created[i] ?? null);
    await res.arrayBuffer();
    if (res.status !== scenario.pin.status) throw new Error(`${scenario.name}: answered ${res.status}, expected ${scenario.pin.status}`);
  }
  return (cpuMs(pgid, "workerd").server - before) / n;
}

/** Ids in the sample catalog (3,000 products, seed 42) the scenarios need. */
async function sampleIds(base: string, facts: { skuIds: number[]; missingIds: number[]; deepAfter: number }): Promise<Ids> {
  const get = async <T>(path: string) => (await (await fetch(base + path)).json()) as T;
  const missing = new Set(facts.missingIds);
  const products = Array.from({ length: 2_000 }, (_, i) => 1_000 + i).filter((id) => !missing.has(id));
  const product = (await get<{ id: number }[]>("/products?count=50")).map((p) => p.id)[0]!;
  const style = (await get<{ results: { style_id: number }[] }>(`/products/${product}/styles`)).results[0]!.style_id;
  const category = (await get<{ results: { category: string; products: number }[] }>("/categories")).results.sort((a, b) => b.products - a.products)[0]!.category;
  const emptySku = facts.skuIds[1]!;
  await fetch(`${base}/skus/${emptySku}/stock`, { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" }, body: JSON.stringify({ delta: -1_000_000 }) });
  const word = category.split(" ")[0]!.toLowerCase();
  return { product, style, sku: facts.skuIds[0]!, emptySku, unreadProduct: (i) => products[i % products.length]!, category, word, prefix: word.slice(0, 3), after: facts.deepAfter - 500 };
}

const usd = (x: number) => (x === 0 ? "0" : x < 0.001 ? x.toExponential(1) : x.toFixed(3));

await runMain("bench ledger", async () => {
  const figures = pinnedFigures();
  await sampleState(STATE, 1_000_000);
  const facts = withD1(STATE, (db) => ({
    skuIds: db.prepare("SELECT id FROM skus ORDER BY id LIMIT 2").pluck().all() as number[],
    missingIds: db.prepare("WITH RECURSIVE gap(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM gap WHERE id < (SELECT max(id) FROM products)) " +
      "SELECT id FROM gap WHERE NOT EXISTS (SELECT 1 FROM products AS p WHERE p.id = gap.id)").pluck().all() as number[],
    deepAfter: db.prepare("SELECT id FROM products ORDER BY id DESC LIMIT 1 OFFSET 5").pluck().get() as number,
  }));
  const server = await serve(STATE);
  const cpu = new Map<string, number>();
  try {
    const ids = await sampleIds(server.origin, facts);
    for (const scenario of SCENARIOS) {
      cpu.set(scenario.name, await cpuPerRequest(server.origin, server.pid, ids, scenario));
      process.stderr.write(`  ${scenario.name}: ${cpu.get(scenario.name)!.toFixed(2)} ms of server CPU per request\n`);
    }
  } finally {
    await server.stop();
  }

  const usage = (name: string): Usage => {
    const f = figures.get(name)!;
    return {
      requests: 1, cpuMs: cpu.get(name)!, d1RowsRead: f.rowsRead, d1RowsWritten: f.rowsWritten, objectCalls: f.objectCalls,
      objectActiveMs: f.objectCalls === 0 ? 0 : f.objectD1 * OBJECT_ACTIVE_MS_PER_D1_CALL + OBJECT_ACTIVE_MS_OWN, kvReads: 0, kvWrites: 0,
    };
  };
  const rows = SCENARIOS.map((s) => {
    const f = figures.get(s.name)!;
    const u = usage(s.name);
    const c = costPerMillion(u);
    return `| ${s.name} | ${roundTrips(f)} | ${f.workerD1} / ${f.objectCalls} / ${f.objectD1} | ${f.rowsRead} | ${f.rowsWritten} | ${u.cpuMs.toFixed(2)} | ${usd(c.d1Read + c.d1Write)} | ${usd(c.objects + c.objectDuration)} | **${usd(c.total)}** |`;
  });

  // The mix, per request: 42 + 42 + 36 reads and 5 orders in every 125.
  const MIX: [string, number][] = [["product, miss", 42 / 125], ["styles, miss", 42 / 125], ["styles, miss", 36 / 125], ["order, one line", 5 / 125]];
  const mixUsage = MIX.reduce<Usage>((sum, [name, share]) => {
    const u = usage(name);
    return Object.fromEntries(Object.keys(sum).map((k) => [k, sum[k as keyof Usage] + share * u[k as keyof Usage]])) as unknown as Usage;
  }, { requests: 0, cpuMs: 0, d1RowsRead: 0, d1RowsWritten: 0, objectCalls: 0, objectActiveMs: 0, kvReads: 0, kvWrites: 0 });
  // The design before issue 20: a KV read in front of every read of a popular product (84 of 125), and
  // per order at least a delete of its product's styles key and the refill after it.
  const withKv = { ...mixUsage, kvReads: 84 / 125, kvWrites: (2 * 5) / 125 };
  const mix = costPerMillion(mixUsage);
  const kv = costPerMillion(withKv);
  const line = (label: string, c: ReturnType<typeof costPerMillion>) =>
    `| ${label} | ${usd(c.workers)} | ${usd(c.workersCpu)} | ${usd(c.d1Read)} | ${usd(c.d1Write)} | ${usd(c.objects + c.objectDuration)} | ${usd(c.kvRead + c.kvWrite)} | **${usd(c.total)}** |`;

  writeSection("ledger", "Ledger: what a request costs", `${provenance(`npm run bench -- ledger --reads ${READS} --writes ${WRITES}`)}

Per request: round trips the answer waits for in sequence (the Worker's D1 calls / calls on the order
serializer / the serializer's D1 calls), D1 rows read and written (D1's own counts, on the pinned test's
catalog: the fixtures and 300 more products), server CPU (\`npm run serve\` on the 3,000-product sample, an
upper bound of the Worker's: it includes local D1's SQLite), and dollars per million such requests at
list prices read ${PRICES_READ_ON}. No request reads or writes KV. Admin writes include their freshness poll.

| request | round trips | D1 / object / object's D1 | rows read | rows written | CPU ms | D1 $/M | object $/M | total $/M |
|---|---:|---|---:|---:|---:|---:|---:|---:|
${rows.join("\n")}

**A shop's mix** (the latency check's: per second 42 product and 42 styles reads of 200 popular products, 36
styles reads of any of 1M, 5 one-line orders; reads priced as read-cache misses), dollars per million requests:

| design | Workers requests | Workers CPU | D1 rows read | D1 rows written | Durable Object | KV | total |
|---|---:|---:|---:|---:|---:|---:|---:|
${line("replicas and the read cache (this code)", mix)}
${line("the same, with the KV cache before issue 20", kv)}

The KV line is arithmetic, not a run: a KV read ($${PRICES.kvRead.usdPerMillion}/M) in front of every read of a popular
product, and two KV writes ($${PRICES.kvWrite.usdPerMillion}/M) per order (its styles key deleted, then refilled). A replica
read of the same answer costs its rows: about $${usd(costPerMillion({ ...usage("styles, miss"), requests: 0, cpuMs: 0 }).d1Read)} per million. The Durable Object's
duration is an assumption (${OBJECT_ACTIVE_MS_PER_D1_CALL} ms per D1 call it makes plus ${OBJECT_ACTIVE_MS_OWN} ms, 128 MB); it is a rounding error either way.
Prices: ${Object.entries(PRICES).map(([k, p]) => `${k} $${p.usdPerMillion}/M (${p.source})`).join("; ")}.
`);
  process.stderr.write(`Mix: $${mix.total.toFixed(3)} per million requests ($${kv.total.toFixed(3)} with KV).\n`);
});
