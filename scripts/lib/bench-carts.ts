// `npm run bench -- carts` (scripts/bench-carts.ts): serves the bench entry (scripts/bench-worker/) on
// `wrangler dev` with the serializer's D1 a simulated round trip away and short cart holds, asks it for
// one mixed run from inside the Worker (POST /__bench/carts, carts-driver.ts), and judges the answer:
// the invariants held at every sample, every held unit came back after the run with no request, and
// hold and checkout throughput were at least 0.8× the order throughput of the same run.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleBenchWorker } from "./bench-orders";
import { client } from "./bench-orders-load";
import { codeVersion, machineInfo } from "./bench-report";
import { prepareState, startServer } from "./bench-server";
import { ROOT } from "./local-d1";

export interface CartBenchOptions {
  port: number; seconds: number; warmup: number; callers: number; rttMs: number; holdSeconds: number; stateDir: string; command: string;
}

interface Rate { count: number; perSecond: number; p50: number | null; p99: number | null }
interface DriverAnswer {
  rates: Record<string, Rate>; other: Record<string, number>; samples: number; violations: string[]; violationCount: number;
  maxExpiredUnswept: number; abandonedCarts: number; freedAfterLastExpiryMs: number | null;
  end: { held: number; lines: number; conserved: boolean };
}
export interface CartReport {
  date: string; command: string; code: ReturnType<typeof codeVersion>; machine: ReturnType<typeof machineInfo>;
  options: Omit<CartBenchOptions, "stateDir" | "command">; skus: { hot: number; spread: number; hotStock: number; spreadStock: number };
  run: DriverAnswer;
}

const HOT = { skus: 10, stock: 8 };
/** A prepared cart costs three calls and feeds one release and one checkout: enough preparers to keep both fed. */
const PREPARERS_PER_CALLER = 6;
const SPREAD = { skus: 30, stock: 100_000 };
/** The issue's bar: hold and checkout throughput at least this share of the order throughput. */
export const MIN_RATIO = 0.8;

export async function runCartBench(o: CartBenchOptions): Promise<CartReport> {
  const started = new Date();
  const catalog = await prepareState(o.stateDir);
  const entry = await bundleBenchWorker(o.stateDir);
  const ids = catalog.skuIds;
  const hot = ids.slice(-HOT.skus), spread = ids.slice(0, SPREAD.skus);
  const vars = [`BENCH_D1_RTT_MS:${o.rttMs}`, `CART_HOLD_MINUTES:${o.holdSeconds / 60}`];
  const server = await startServer("carts", entry, o.port, o.stateDir, vars);
  try {
    const c = client(server.baseUrl, 1);
    process.stderr.write(`Running ${o.warmup} s of warm-up and ${o.seconds} s measured, ${o.callers} callers per kind; then waiting for the holds to expire...\n`);
    const a = await c.send({ method: "POST", path: "/__bench/carts", body: JSON.stringify({
      callers: o.callers, preparers: o.callers * PREPARERS_PER_CALLER, seconds: o.seconds, warmup: o.warmup, hot, spread, hotStock: HOT.stock, spreadStock: SPREAD.stock, holdMs: o.holdSeconds * 1000,
    }) });
    c.close();
    if (a.status !== 200) throw new Error(`/__bench/carts: ${a.status} ${a.body.slice(0, 300)}`);
    const { command, stateDir, ...options } = o;
    void stateDir;
    return {
      date: started.toISOString(), command, code: codeVersion(), machine: machineInfo(), options,
      skus: { hot: HOT.skus, spread: SPREAD.skus, hotStock: HOT.stock, spreadStock: SPREAD.stock }, run: JSON.parse(a.body) as DriverAnswer,
    };
  } finally {
    await server.stop();
  }
}

const num = (n: number | null, d = 0) => (n === null ? "–" : n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }));

export function cartVerdicts(r: CartReport): { text: string; passed: boolean }[] {
  const rate = (k: string) => r.run.rates[k]?.perSecond ?? 0;
  const orders = rate("order");
  const ratio = (k: string) => (orders === 0 ? 0 : rate(k) / orders);
  return [
    { text: `on hand = available + held ≥ 0 and sold + on hand = starting stock + restocks at every one of ${r.run.samples} samples (${r.run.violationCount} violations)`,
      passed: r.run.violationCount === 0 && r.run.samples > 0 },
    { text: `after the run, with no request sent, every held unit came back (held ${r.run.end.held}, cart lines ${r.run.end.lines}), ` +
      `${r.run.freedAfterLastExpiryMs === null ? "not" : `${num(r.run.freedAfterLastExpiryMs / 1000, 1)} s after the last hold's expires_at`}`,
      passed: r.run.end.held === 0 && r.run.end.lines === 0 && r.run.freedAfterLastExpiryMs !== null && r.run.end.conserved },
    { text: `holds ${num(rate("hold"))}/s = **${num(ratio("hold"), 2)}×** orders ${num(orders)}/s (target ≥ ${MIN_RATIO}×)`, passed: ratio("hold") >= MIN_RATIO },
    { text: `checkouts ${num(rate("checkout"))}/s = **${num(ratio("checkout"), 2)}×** orders (target ≥ ${MIN_RATIO}×)`, passed: ratio("checkout") >= MIN_RATIO },
  ];
}

export function cartMarkdown(r: CartReport): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const orders = r.run.rates.order?.perSecond ?? 0;
  const kinds: [string, string][] = [["order", "orders (order callers)"], ["hold", "holds (hold callers)"], ["release", "releases (release callers)"],
    ["checkout", "checkouts (checkout callers)"], ["prep-hold", "holds by the preparers"], ["create", "carts created"], ["cancel", "cancels"], ["restock", "restocks"]];
  return [
    "# Benchmark: carts beside orders", "",
    `- Command: \`${r.command}\``,
    `- Date: ${r.date}; code: commit ${r.code.commit}${r.code.uncommittedSrcFiles ? ` plus ${r.code.uncommittedSrcFiles} uncommitted file(s) under src/` : ""}`,
    `- Machine: nproc ${r.machine.nproc} (${r.machine.cpu}), Node ${r.machine.node}, wrangler ${r.machine.wrangler}. **Shared** with other engineers' jobs: compare rows of this run, not absolute numbers.`,
    `- \`wrangler dev\` of scripts/bench-worker/index.ts; the serializer's D1 ${r.options.rttMs} ms away (BENCH_D1_RTT_MS), CART_HOLD_MINUTES = ${num(r.options.holdSeconds / 60, 3)} (${r.options.holdSeconds} s).`,
    `- Load, inside the Worker over RPC (scripts/bench-worker/carts-driver.ts), every caller in a closed loop making calls of one kind only: ` +
      `${r.options.callers} order callers (1 unit of a sku), ${r.options.callers} hold callers (PUT 1-3 units of one of up to 3 skus on their own cart), ` +
      `${r.options.callers} release callers (DELETE a line of a prepared cart) and ${r.options.callers} checkout callers (check out a prepared cart once a line was released); ` +
      `${r.options.callers * PREPARERS_PER_CALLER} preparers filling carts with two holds, every fifth abandoned to expire; a cancel every 0.25 s and a restock of 4 units of a hot sku every 0.5 s. ` +
      `${r.skus.hot} hot skus of ${r.skus.hotStock} units take a fifth of the picks, ${r.skus.spread} others of ${num(r.skus.spreadStock)}. ` +
      `${r.options.warmup} s warm-up, ${r.options.seconds} s measured; rates count successes inside the measured window.`,
    "",
    line(["calls", "per second", "× orders", "p50 ms", "p99 ms", "count"]), line(["---", "---:", "---:", "---:", "---:", "---:"]),
    ...kinds.map(([k, label]) => {
      const x = r.run.rates[k]!;
      return line([label, num(x.perSecond), orders ? num(x.perSecond / orders, 2) : "–", num(x.p50, 1), num(x.p99, 1), num(x.count)]);
    }),
    "",
    `Not successes (whole run): ${Object.entries(r.run.other).map(([k, n]) => `${k}: ${n}`).join(", ") || "none"}.`,
    `Samples: ${r.run.samples}; most units held by expired carts not yet swept at a sample: ${r.run.maxExpiredUnswept}; carts left to expire: ${r.run.abandonedCarts}.`,
    ...(r.run.violations.length ? ["", "Violations (first 20):", ...r.run.violations.map((v) => `- ${v}`)] : []),
    "", "## Against the issue's targets", "",
    ...cartVerdicts(r).map((v) => `- ${v.passed ? "met" : "**NOT met**"}: ${v.text}`), "",
  ].join("\n");
}

/** bench-results/bench-carts-<stamp>.{json,md} and docs/bench-carts.md. */
export function writeCartReport(r: CartReport): string[] {
  const stamp = r.date.replace(/[:.]/g, "-");
  const dir = join(ROOT, "bench-results");
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, `bench-carts-${stamp}.json`), join(dir, `bench-carts-${stamp}.md`), join(ROOT, "docs", "bench-carts.md")];
  writeFileSync(files[0]!, `${JSON.stringify(r, null, 2)}\n`);
  writeFileSync(files[1]!, cartMarkdown(r));
  writeFileSync(files[2]!, cartMarkdown(r));
  return files;
}
