// Turns rows into the terminal table, the JSON/Markdown files in bench-results/ and docs/bench-latest.md.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { QUIET_THRESHOLD } from "./bench-cpu";
import type { Row, RunSettings } from "./bench-run";
import type { Runtime } from "./dev-worker";
import { ROOT } from "./local-d1";

export interface Report {
  date: string;
  command: string;
  machine: { nproc: number; cpu: string; node: string; wrangler: string; autocannon: string; platform: string };
  /** The commit, and how many files under src/ differed from it when the Worker was bundled. */
  code: { commit: string; uncommittedSrcFiles: number };
  /** `wrangler dev`, or `npm run serve` (--no-inspector). */
  runtime: Runtime;
  settings: RunSettings;
  catalog: { products: number; skus: number; fromState?: string };
  /** Complete = every target ran as configured on wrangler dev (no --only, --var, --from-state, --no-inspector; no failure); only then is docs/bench-latest.md written. */
  complete: boolean;
  rows: Row[];
  failures: { target: string; message: string }[];
}

const version = (pkg: string) =>
  (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;

function nproc(): number {
  // nproc honours CPU affinity/cgroup limits, which is what the client and workerd actually share.
  try { return Number(execFileSync("nproc", { encoding: "utf8" }).trim()); } catch { return cpus().length; }
}

export function codeVersion(): Report["code"] {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  try {
    const changed = git("status", "--porcelain", "--", "src").split("\n").filter((l) => l !== "").length;
    return { commit: git("rev-parse", "--short", "HEAD"), uncommittedSrcFiles: changed };
  } catch {
    return { commit: "unknown", uncommittedSrcFiles: 0 };
  }
}

export function machineInfo(): Report["machine"] {
  return {
    nproc: nproc(), cpu: cpus()[0]?.model.trim() ?? "unknown", node: process.version,
    wrangler: version("wrangler"), autocannon: version("autocannon"), platform: `${process.platform}-${process.arch}`,
  };
}

const num = (n: number | null, digits = 0) => n === null || Number.isNaN(n) ? "–"
  : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (r: Row) => r.ratio === null ? "1.00 (baseline)" : `${num(r.ratio, 2)}× ${r.baseline}`;
const pct = (n: number | null) => n === null ? "–" : `${n}%`;
const cpuCell = (r: Row) => `${pct(r.cpu.client)} / ${pct(r.cpu.server)} / ${pct(r.cpu.other)} / ${pct(r.cpu.idle)}`;
const HEAD = ["target", "request", "req/s", "p50 ms", "p99 ms", "vs /health (same server)", "non-2xx", "errors",
  "CPU client/server/other/idle", "server CPU ms/req"];
const cells = (r: Row) => [r.target, r.request, num(r.rps), num(r.p50, 2), num(r.p99, 2), ratio(r),
  String(r.non2xx), String(r.errors), cpuCell(r), num(r.serverCpuMsPerRequest, 2)];
const NUMERIC = new Set([2, 3, 4, 6, 7, 9]);

export function textTable(rows: Row[]): string {
  const table = [HEAD, ...rows.map(cells)];
  const widths = HEAD.map((_, i) => Math.max(...table.map((line) => line[i]!.length)));
  const fmt = (line: string[]) => line.map((c, i) => NUMERIC.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)).join("  ");
  return [fmt(table[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...table.slice(1).map(fmt)].join("\n");
}

/** One line per project target (cached styles ≥ 0.6× /health, deep page as fast as the first) and errors. */
export function verdicts(rows: Row[]): string[] {
  const row = (name: string) => rows.find((r) => r.target === name);
  const out: string[] = [];
  // A ratio between two rows means nothing if other processes took the cores during either of them.
  const judge = (met: boolean, ...involved: (Row | undefined)[]) =>
    involved.some((r) => (r?.cpu.other ?? 0) >= QUIET_THRESHOLD) ? "inconclusive (machine busy, see below)"
      : met ? "met" : "**not met**";
  const styles = row("styles-cached");
  if (styles?.ratio != null) {
    out.push(`- Cached styles vs /health: **${num(styles.ratio, 2)}×** (target ≥ 0.60): ${judge(styles.ratio >= 0.6, styles, row("health"))}`);
  }
  const first = row("list-first"), deep = row("list-deep");
  if (first && deep) {
    const r = deep.rps / first.rps;
    out.push(`- Deep keyset page vs first page: **${num(r, 2)}×** req/s, p50 ${num(deep.p50, 2)} vs ${num(first.p50, 2)} ms ` +
      `(target: as fast, within 10%): ${judge(r >= 0.9, first, deep)}`);
  }
  const contended = rows.filter((r) => (r.cpu.other ?? 0) >= QUIET_THRESHOLD);
  if (contended.length > 0) {
    out.push(`- Other processes used ≥ ${QUIET_THRESHOLD}% of a core during: ${contended.map((r) => `${r.target} (${r.cpu.other}%)`).join(", ")}` +
      " — those rows (and ratios built on them) are skewed; rerun on a quiet machine.");
  }
  const failed = rows.filter((r) => r.non2xx > 0 || r.errors > 0);
  out.push(failed.length === 0 ? "- Every response was 2xx; no connection errors."
    : `- Non-2xx or errors in: ${failed.map((r) => `${r.target} ${JSON.stringify(r.statusCodes)} errors=${r.errors}`).join("; ")}`);
  return out;
}

export function markdown(report: Report): string {
  const m = report.machine, s = report.settings;
  const line = (c: string[]) => `| ${c.join(" | ")} |`;
  const served = report.runtime === "serve" ? "`npm run serve` (wrangler dev's runtime without its DevTools inspector)" : "`wrangler dev`";
  return [
    `# Benchmark: storefront API under ${served}`, "",
    `- Command: \`${report.command}\``,
    `- Date: ${report.date}`,
    `- Code: commit ${report.code.commit}` + (report.code.uncommittedSrcFiles > 0
      ? ` plus ${report.code.uncommittedSrcFiles} uncommitted file(s) under src/` : "") +
      `; bundled once with \`wrangler deploy --dry-run\` and served as is by ${report.runtime === "serve" ? "`npm run serve -- --entry`" : "`wrangler dev --no-bundle`"}`,
    `- Machine: nproc ${m.nproc} (${m.cpu}), ${m.platform}, Node ${m.node}, wrangler ${m.wrangler}, autocannon ${m.autocannon}`,
    `- Load: ${s.connections} connections, ${s.warmup} s warm-up then ${s.duration} s measured per target; ` +
      (report.catalog.fromState
        ? `catalog ${num(report.catalog.products)} products, a copy of ${report.catalog.fromState} (stock as imported)`
        : `catalog ${num(report.catalog.products)} products / ${num(report.catalog.skus)} skus (seed 42), every sku stocked to 1,000,000`),
    `- **This is ${served} (workerd + miniflare's local D1/KV simulators) on loopback, not production.** ` +
      "The load generator runs on the same cores as workerd, so absolute numbers are a floor; compare ratios.",
    ...(report.complete ? [] : ["- Partial run (`--only`, `--var`, `--from-state` or `--no-inspector`, or a target failed): docs/bench-latest.md was left as it was."]),
    "",
    line(HEAD), line(HEAD.map((_, i) => NUMERIC.has(i) ? "---:" : "---")),
    ...report.rows.map((r) => line(cells(r).map((c) => c.replace(/\|/g, "\\|")))),
    "",
    "Ratios divide a target's req/s by the `/health` req/s of the same server in this run: `health` for the " +
      "server started as configured (KV cache on), `health-nocache` for the one started with " +
      "`--var READ_CACHE_MS:0` (every catalog read from D1). Latencies are client-side, per response " +
      "(sub-millisecond precision). CPU is in percent of one core during the measured seconds (they add up to about 100 × nproc): the bench process " +
      "(autocannon), the server's process group (workerd + wrangler dev, or + serve.ts), everything else on the machine " +
      "(other processes skew a run: compare only rows where it is low), and idle time. Server CPU ms/req " +
      "(workerd + wrangler time per request) is the figure least disturbed by other load.",
    "",
    "## Against the project's targets", "", ...verdicts(report.rows),
    ...report.failures.map((f) => `- **${f.target} failed**: ${f.message}`),
    "",
    "## What each row checked first", "",
    ...report.rows.map((r) => `- \`${r.target}\`: ${r.evidence}`),
    "",
  ].join("\n");
}

/** Writes bench-results/bench-<timestamp>.{json,md} and, for a complete run, docs/bench-latest.md. */
export function writeReport(report: Report): string[] {
  const stamp = report.date.replace(/[:.]/g, "-");
  const dir = join(ROOT, "bench-results");
  mkdirSync(dir, { recursive: true });
  const md = markdown(report);
  const files = [join(dir, `bench-${stamp}.json`), join(dir, `bench-${stamp}.md`)];
  writeFileSync(files[0]!, JSON.stringify(report, null, 2) + "\n");
  writeFileSync(files[1]!, md);
  if (report.complete) {
    mkdirSync(join(ROOT, "docs"), { recursive: true });
    files.push(join(ROOT, "docs", "bench-latest.md"));
    writeFileSync(files[2]!, md);
  }
  return files;
}
