// `npm run bench -- carts`: orders, holds, releases, expiries, checkouts, cancels and restocks against the
// order serializer, its D1 a simulated round trip away, driven from inside the Worker (POST /__bench/carts,
// scripts/bench-worker/carts-driver.ts); the invariants checked in D1 during the run, the alarm alone
// freeing what is held after it. Writes the "Carts" section of docs/results.md. See USAGE and
// docs/decisions/carts.md.
import { join } from "node:path";
import { client, sampleState, serve, stateDir, withD1 } from "./lib/bench-kit";
import { integerFlag, parseCli, runMain } from "./lib/cli";
import { bundle } from "./lib/miniflare-server";
import { fmt, mdTable, provenance, writeSection } from "./lib/results-page";

const HOT = { skus: 10, stock: 8 };
const SPREAD = { skus: 30, stock: 100_000 };
/** A prepared cart costs three calls and feeds one release and one checkout: enough preparers to keep both fed. */
const PREPARERS_PER_CALLER = 6;
/** The issue's bar: hold and checkout throughput at least this share of the order throughput. */
const MIN_RATIO = 0.8;

const USAGE = `Usage: npm run bench -- carts [options]

Serves the bench entry (scripts/bench-worker/: the Worker as deployed, its serializer's D1 --rtt ms away)
with \`npm run serve\` on the sample catalog, CART_HOLD_MINUTES set to --hold-seconds so carts expire
during the run. Inside the Worker, over RPC, the same number of closed-loop callers for orders, holds,
releases and checkouts, with preparers filling carts (every fifth abandoned, to expire), a canceller and
a restocker. ${HOT.skus} hot skus of ${HOT.stock} units take a fifth of the picks, ${SPREAD.skus} others of ${SPREAD.stock.toLocaleString("en-US")}. Every 0.5 s, in
one D1 snapshot: on hand = available + held >= 0 and sold + on hand = starting stock + restocks. After the
run nothing is sent and the alarm must give every held unit back. Passes when those hold and hold and
checkout throughput are at least ${MIN_RATIO}x the order throughput of the same run. Writes the "Carts"
section of docs/results.md; exits 1 when a check fails.

Options:
  --seconds S       seconds measured (default 20)
  --warmup S        seconds of warm-up before them (default 3)
  --callers N       closed-loop callers per kind (default 16; the preparers are ${PREPARERS_PER_CALLER} times that)
  --rtt MS          simulated serializer-to-D1 round trip (default 20)
  --hold-seconds S  CART_HOLD_MINUTES for the run, in seconds (default 10)
  --state-dir D     (default .tmp/bench/carts, wiped)
  -h, --help
`;

const { values, fail } = parseCli("bench carts", USAGE, {
  seconds: { type: "string" }, warmup: { type: "string" }, callers: { type: "string" }, rtt: { type: "string" },
  "hold-seconds": { type: "string" }, "state-dir": { type: "string" },
});
const SECONDS = integerFlag("--seconds", values.seconds, { fallback: 20, min: 1, max: 600 }, fail);
const WARMUP = integerFlag("--warmup", values.warmup, { fallback: 3, min: 0, max: 60 }, fail);
const CALLERS = integerFlag("--callers", values.callers, { fallback: 16, min: 1, max: 100 }, fail);
const RTT = integerFlag("--rtt", values.rtt, { fallback: 20, min: 0, max: 500 }, fail);
const HOLD_SECONDS = integerFlag("--hold-seconds", values["hold-seconds"], { fallback: 10, min: 3, max: 3600 }, fail);
const STATE = stateDir("carts", values["state-dir"], fail);

interface Rate { count: number; perSecond: number; p50: number | null; p99: number | null }
interface DriverAnswer {
  rates: Record<string, Rate>; other: Record<string, number>; samples: number; violations: string[]; violationCount: number;
  maxExpiredUnswept: number; abandonedCarts: number; freedAfterLastExpiryMs: number | null;
  end: { held: number; lines: number; conserved: boolean };
}

async function drive(origin: string, hot: number[], spread: number[]): Promise<DriverAnswer> {
  const c = client(origin, 1);
  try {
    process.stderr.write(`Running ${WARMUP} s of warm-up and ${SECONDS} s measured, ${CALLERS} callers per kind; then waiting for the holds to expire...\n`);
    const a = await c.send({ method: "POST", path: "/__bench/carts", body: JSON.stringify({
      callers: CALLERS, preparers: CALLERS * PREPARERS_PER_CALLER, seconds: SECONDS, warmup: WARMUP, hot, spread,
      hotStock: HOT.stock, spreadStock: SPREAD.stock, holdMs: HOLD_SECONDS * 1000,
    }) });
    if (a.status !== 200) throw new Error(`/__bench/carts: ${a.status} ${a.body.slice(0, 300)}`);
    return JSON.parse(a.body) as DriverAnswer;
  } finally {
    c.close();
  }
}

function verdicts(run: DriverAnswer): { text: string; passed: boolean }[] {
  const rate = (k: string) => run.rates[k]?.perSecond ?? 0;
  const ratio = (k: string) => (rate("order") === 0 ? 0 : rate(k) / rate("order"));
  return [
    { text: `on hand = available + held ≥ 0 and sold + on hand = starting stock + restocks at every one of ${run.samples} samples (${run.violationCount} violations)`,
      passed: run.violationCount === 0 && run.samples > 0 },
    { text: `after the run, with no request sent, every held unit came back (held ${run.end.held}, cart lines ${run.end.lines}), ` +
      `${run.freedAfterLastExpiryMs === null ? "not" : `${fmt(run.freedAfterLastExpiryMs / 1000, 1)} s after the last hold's expires_at`}`,
      passed: run.end.held === 0 && run.end.lines === 0 && run.freedAfterLastExpiryMs !== null && run.end.conserved },
    { text: `holds ${fmt(rate("hold"))}/s = **${fmt(ratio("hold"), 2)}×** orders ${fmt(rate("order"))}/s (target ≥ ${MIN_RATIO}×)`, passed: ratio("hold") >= MIN_RATIO },
    { text: `checkouts ${fmt(rate("checkout"))}/s = **${fmt(ratio("checkout"), 2)}×** orders (target ≥ ${MIN_RATIO}×)`, passed: ratio("checkout") >= MIN_RATIO },
  ];
}

await runMain("bench carts", async () => {
  await sampleState(STATE, 1_000_000);
  const skus = withD1(STATE, (db) => db.prepare("SELECT id FROM skus ORDER BY id").pluck().all() as number[]);
  const hot = skus.slice(-HOT.skus), spread = skus.slice(0, SPREAD.skus);
  const entry = await bundle("scripts/bench-worker/index.ts", join(STATE, "bundle"));
  const server = await serve(STATE, [`BENCH_D1_RTT_MS:${RTT}`, `CART_HOLD_MINUTES:${HOLD_SECONDS / 60}`], ["--entry", entry]);
  let run: DriverAnswer;
  try {
    run = await drive(server.origin, hot, spread);
  } finally {
    await server.stop();
  }
  const orders = run.rates.order?.perSecond ?? 0;
  const kinds: [string, string][] = [["order", "orders (order callers)"], ["hold", "holds (hold callers)"], ["release", "releases (release callers)"],
    ["checkout", "checkouts (checkout callers)"], ["prep-hold", "holds by the preparers"], ["create", "carts created"], ["cancel", "cancels"], ["restock", "restocks"]];
  const rows = kinds.map(([k, label]) => {
    const x = run.rates[k];
    return [label, fmt(x?.perSecond), orders && x ? fmt(x.perSecond / orders, 2) : "–", fmt(x?.p50, 1), fmt(x?.p99, 1), fmt(x?.count)];
  });
  const checks = verdicts(run);
  const args = process.argv.slice(2).join(" ");
  writeSection("carts", "Carts: holds and checkouts beside orders", `${provenance(`npm run bench -- carts${args ? ` ${args}` : ""}`)}

\`npm run serve\` of scripts/bench-worker/ on the sample catalog; the serializer's D1 ${RTT} ms away (BENCH_D1_RTT_MS),
CART_HOLD_MINUTES = ${fmt(HOLD_SECONDS / 60, 3)} (${HOLD_SECONDS} s). Inside the Worker over RPC, every caller in a closed loop of one
kind: ${CALLERS} order callers (1 unit of a sku), ${CALLERS} hold callers (PUT 1-3 units of one of up to 3 skus on their own cart),
${CALLERS} release callers (DELETE a line of a prepared cart), ${CALLERS} checkout callers (a prepared cart once a line was
released); ${CALLERS * PREPARERS_PER_CALLER} preparers filling carts with two holds, every fifth abandoned; a cancel every 0.25 s and a restock
of 4 units of a hot sku every 0.5 s. ${WARMUP} s warm-up, ${SECONDS} s measured; rates count successes inside the measured window.

${mdTable(["calls", "per second:", "× orders:", "p50 ms:", "p99 ms:", "count:"], rows)}

Not successes (whole run): ${Object.entries(run.other).map(([k, n]) => `${k}: ${n}`).join(", ") || "none"}. Samples: ${run.samples}; most units
held by expired carts not yet swept at a sample: ${run.maxExpiredUnswept}; carts left to expire: ${run.abandonedCarts}.
${run.violations.length ? `\nViolations (first 20):\n${run.violations.map((v) => `- ${v}`).join("\n")}\n` : ""}
${checks.map((v) => `- ${v.passed ? "met" : "**NOT met**"}: ${v.text}`).join("\n")}
`);
  if (checks.some((v) => !v.passed)) process.exitCode = 1;
});
