// `npm run bench -- long-tail`: the seeds' k6 test (load/long-tail.ts) on a fresh `npm run serve` of a copy of a
// persisted catalog, one unmeasured run and then --runs measured ones; written to docs/results.md. See USAGE.
import { execFileSync, spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { copyState, serve, stateDir, withD1 } from "./lib/bench-kit";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { ROOT } from "./lib/paths";
import { fmt, mdTable, provenance, writeSection } from "./lib/results-page";

const USAGE = `Usage: npm run bench -- long-tail --from-state DIR [options]

The seeds' peer test at scale: load/long-tail.ts (styles of a product drawn uniformly from the whole
catalog, 0 -> 500 VUs in 10 s, 1 s think) run by k6 against a freshly started \`npm run serve\` on a copy
of DIR (a persisted catalog, e.g. the 1M one \`npm run import\` makes). The copy's SQLite files are read
once before the server starts (this VM drops idle page cache); the first k6 run warms the server and is
shown but not counted; then --runs measured runs. Checks p95 <= 100 ms in every measured run (issue 22).
Writes the "k6: the long tail" section of docs/results.md (with --shm, "... in memory"). Needs k6 (v2,
runs TypeScript): --k6, $K6, \`k6\` on PATH, or ../shared/tools/k6 beside the project.

The local D1 commits a transaction for every query, reads too (Miniflare runs each call in
transactionSync, and workerd's SQLite storage bumps its bookmark counter in _cf_METADATA), so each read
waits for an fsync, one at a time in the one local D1 object. --shm puts the copy in /dev/shm, where an
fsync costs nothing: the difference between the two sections is this machine's disk, not the code.

Options:
  --from-state DIR  the catalog to copy (required)
  --runs N          measured runs after the warm-up (default 3)
  --k6 PATH         the k6 binary
  --shm             the copy goes to /dev/shm/storefront-bench-long-tail (wiped) instead
  --state-dir D     where the copy goes (default .tmp/bench/long-tail, wiped)
  -h, --help
`;

const { values, fail } = parseCli("bench long-tail", USAGE, {
  "from-state": { type: "string" }, runs: { type: "string" }, k6: { type: "string" }, "state-dir": { type: "string" }, shm: { type: "boolean" },
});
if (!values["from-state"]) fail("give --from-state DIR (a persisted catalog)");
const FROM = resolve(values["from-state"]!);
const RUNS = integerFlag("--runs", values.runs, { fallback: 3, min: 1, max: 20 }, fail);
if (values.shm && values["state-dir"]) fail("give --shm or --state-dir, not both");
const SHM = values.shm === true;
const STATE = SHM ? "/dev/shm/storefront-bench-long-tail" : stateDir("long-tail", values["state-dir"], fail);
const P95_MS = 100;

/** The first k6 that runs, and its version line. */
function findK6(): { k6: string; version: string } {
  // A k6 named on the command line is the only one tried: a typo there must not measure with another.
  const candidates = values.k6 ? [values.k6] : [process.env.K6, "k6", join(dirname(ROOT), "shared/tools/k6")].filter((c): c is string => !!c);
  for (const k6 of candidates) {
    const run = spawnSync(k6, ["version"], { encoding: "utf8" });
    if (run.status === 0) return { k6, version: run.stdout.split("\n")[0]!.trim() };
  }
  return fail(`no k6 found (tried ${candidates.join(", ")}): pass --k6 PATH`);
}

/** Reads every file under `dir` once, so the first requests don't wait on the disk. */
async function readOnce(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    await new Promise<void>((done, failed) => createReadStream(path).on("data", () => {}).on("end", done).on("error", failed));
    bytes += statSync(path).size;
  }
  return bytes;
}

interface Run { requests: number; p50: number; p90: number; p95: number; max: number; d1p50: number; d1max: number; failed: number; checksFailed: number }

function k6Run(k6: string, origin: string, maxId: number, n: number): Run {
  const results = join(STATE, "k6", String(n));
  mkdirSync(results, { recursive: true });
  process.stderr.write(`k6 run ${n === 0 ? "(warm-up, not counted)" : `${n} of ${RUNS}`}...\n`);
  // A crossed threshold exits 99: the table shows it. Anything else is k6 failing to run.
  const k6Exit = spawnSync(k6, ["run", "-q", "-e", `BASE_URL=${origin}`, "-e", `MAX_PRODUCT_ID=${maxId}`, "-e", `RESULTS_DIR=${results}`, "load/long-tail.ts"],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] }).status;
  if (k6Exit !== 0 && k6Exit !== 99) throw new Error(`k6 exited ${k6Exit}`);
  const file = join(results, "summary-long-tail.json");
  if (!existsSync(file)) throw new Error(`k6 wrote no summary (${file})`);
  const m = (JSON.parse(readFileSync(file, "utf8")) as { metrics: Record<string, { values: Record<string, number> }> }).metrics;
  const t = m["http_req_duration{route:styles}"]!.values, d1 = m.d1_ms?.values ?? {};
  return { requests: m.http_reqs!.values.count!, p50: t.med!, p90: t["p(90)"]!, p95: t["p(95)"]!, max: t.max!, d1p50: d1.med ?? NaN, d1max: d1.max ?? NaN,
    failed: m.http_req_failed!.values.passes ?? 0, checksFailed: m.checks?.values.fails ?? 0 };
}

await runMain("bench long-tail", async () => {
  const { k6, version } = findK6();
  copyState(FROM, STATE); // a fresh server on a fresh copy: the original is never written
  const maxId = withD1(STATE, (db) => (db.prepare("SELECT max(id) AS m FROM products").get() as { m: number }).m);
  execFileSync("sync"); // the copy's 2 GB of writes flushed now, not while the runs read
  const bytes = await readOnce(STATE);
  process.stderr.write(`Read the copy once (${(bytes / 2 ** 30).toFixed(2)} GiB).\n`);
  const server = await serve(STATE);
  const runs: Run[] = [];
  try {
    for (let n = 0; n <= RUNS; n++) runs.push(k6Run(k6, server.origin, maxId, n));
  } finally {
    await server.stop();
    if (SHM) rmSync(STATE, { recursive: true, force: true }); // 2 GB of memory back
  }
  const measured = runs.slice(1);
  const met = measured.every((r) => r.p95 <= P95_MS && r.failed === 0 && r.checksFailed === 0);
  if (!met) process.exitCode = 1;
  const ms = (x: number) => `${fmt(x, 1)} ms`;
  const table = mdTable(["run", "requests:", "p50:", "p90:", "p95:", "max:", "D1 time p50 / max (Server-Timing db)", "errors:"],
    runs.map((r, i) => [i === 0 ? "warm-up (not counted)" : String(i), fmt(r.requests), ms(r.p50), ms(r.p90), i === 0 ? ms(r.p95) : `**${ms(r.p95)}**`, ms(r.max),
      `${fmt(r.d1p50)} / ${fmt(r.d1max)} ms`, fmt(r.failed + r.checksFailed)]));
  writeSection(SHM ? "k6-long-tail-shm" : "k6-long-tail", SHM ? "k6: the long tail, the copy in memory" : "k6: the long tail",
    `${provenance(`npm run bench -- long-tail --from-state ${values["from-state"]} --runs ${RUNS}${SHM ? " --shm" : ""}`)}

load/long-tail.ts (styles of a product drawn uniformly from ${fmt(maxId)} ids, 0 → 500 VUs in 10 s, 1 s think), k6
${version}, against a fresh \`npm run serve\` (no world: nothing far away) on a copy of the catalog
${SHM ? "in /dev/shm (tmpfs: an fsync costs nothing)" : "on this machine's disk"}, its files (${(bytes / 2 ** 30).toFixed(2)} GiB) read once first. The first run warms the server
(the local D1 object's SQLite page cache, the isolates) and is not counted.

${table}

- p95 ≤ ${P95_MS} ms with no error in each of ${RUNS} runs after the warm-up: ${met ? "met" : "**not met**"}

The peer (Express + Postgres, same machine and catalog) measured p95 5.3 ms on this test. Where the tail
queues: the local D1 commits a transaction for every query, reads included (workerd's SQLite storage bumps
its bookmark counter in _cf_METADATA: +1 per uncached read, 0 for /health), so every read waits for an fsync,
one at a time in the one local D1 object; on a shared VM disk that fsync is milliseconds and varies from
hour to hour. Production's replicas don't commit on a read. \`--shm\` runs the same test with the copy in
memory; the rest above D1's own time is the local runtime's per-request cost under 500 VUs on two cores.
`);
});
