// handleSummary for every script: the full k6 data as JSON plus a short text summary, written to
// load/results/summary-<scenario>.{json,txt} (RESULTS_DIR to change; paths are relative to where k6
// runs) and printed. Written here because jslib's textSummary can't be fetched offline.
import { BASE_URL, STAGES_NAME } from "./config.ts";

interface Metric {
  type: "counter" | "gauge" | "rate" | "trend";
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}
interface Group {
  name: string;
  groups: Group[];
  checks: { name: string; passes: number; fails: number }[];
}
export interface SummaryData {
  metrics: Record<string, Metric>;
  root_group: Group;
  state: { testRunDurationMs: number };
}

/** options.summaryTrendStats for every script: `count` gives the per-route request counts. */
export const TREND_STATS = ["avg", "min", "med", "max", "p(90)", "p(95)", "count"];

const BUILTIN = /^(http_|data_|iteration|group_duration|vus|checks$|server_errors$|cache_hit)/;
const RESULTS_DIR = (__ENV.RESULTS_DIR ?? "load/results").replace(/\/+$/, "");
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const ms = (x: number | undefined) => (x === undefined ? "-" : `${x.toFixed(1)}ms`);

function checkLines(group: Group, out: string[]): void {
  for (const c of group.checks) {
    out.push(`  ${c.fails === 0 ? "✓" : "✗"} ${group.name ? `${group.name} › ` : ""}${c.name}: ${c.passes} passed, ${c.fails} failed`);
  }
  for (const g of group.groups) checkLines(g, out);
}

export function textSummary(scenario: string, data: SummaryData, stages = STAGES_NAME): string {
  const m = data.metrics;
  const v = (name: string, key: string) => m[name]?.values[key];
  const out = [
    `k6 ${scenario} — ended ${new Date().toISOString()} — ${BASE_URL} — STAGES=${stages} — ${(data.state.testRunDurationMs / 1000).toFixed(1)}s`,
    `requests: ${v("http_reqs", "count") ?? 0} (${(v("http_reqs", "rate") ?? 0).toFixed(1)}/s), iterations: ${v("iterations", "count") ?? 0}`,
    `http_req_failed: ${pct(v("http_req_failed", "rate") ?? 0)} (${v("http_req_failed", "passes") ?? 0} failed)`,
    `server_errors (5xx): ${pct(v("server_errors", "rate") ?? 0)} (${v("server_errors", "passes") ?? 0})`,
    `checks: ${pct(v("checks", "rate") ?? 0)} (${v("checks", "passes") ?? 0} passed, ${v("checks", "fails") ?? 0} failed)`,
  ];
  for (const name of ["cache_hit", "cache_hit_product", "cache_hit_styles"]) {
    const hits = m[name];
    if (hits) out.push(`${name}: ${pct(hits.values.rate!)} (${hits.values.passes} hits / ${hits.values.passes! + hits.values.fails!} cached reads)`);
  }
  // The scripts' own metrics (out_of_stock, stale_read, …).
  for (const [name, metric] of Object.entries(m).sort()) {
    if (BUILTIN.test(name) || name.includes("{")) continue;
    const x = metric.values;
    out.push(`${name}: ${metric.type === "rate" ? `${pct(x.rate!)} (${x.passes} of ${x.passes! + x.fails!})`
      : metric.type === "trend" ? `${x.count} (p50 ${ms(x.med)}, max ${ms(x.max)})` : `${x.count ?? x.value}`}`);
  }
  out.push("", "route                     count      p50      p90      p95      max");
  const all = m.http_req_duration;
  if (all) out.push(row("(all requests)", all.values));
  const routes = Object.keys(m).map((name) => /^http_req_duration\{route:(.+)\}$/.exec(name)?.[1]).filter((r) => r !== undefined);
  for (const route of routes.sort()) out.push(row(route, m[`http_req_duration{route:${route}}`]!.values));
  out.push("", "thresholds:");
  for (const [name, metric] of Object.entries(m).sort()) {
    for (const [expr, { ok }] of Object.entries(metric.thresholds ?? {})) out.push(`  ${ok ? "✓" : "✗"} ${name}: ${expr}`);
  }
  out.push("", "checks:");
  checkLines(data.root_group, out);
  return `${out.join("\n")}\n`;
}

function row(label: string, t: Record<string, number>): string {
  const cells = [t.med, t["p(90)"], t["p(95)"], t.max].map((x) => ms(x).padStart(9)).join("");
  return `${label.padEnd(22)}${String(t.count ?? "").padStart(9)}${cells}`;
}

/**
 * `export const handleSummary = summaryFor("browse")` in each script; `stages` is the ramp to print, for a
 * script whose default ramp is not the shared presets' (long-tail).
 */
export function summaryFor(scenario: string, stages = STAGES_NAME): (data: SummaryData) => Record<string, string> {
  return (data) => {
    const text = textSummary(scenario, data, stages);
    return {
      stdout: text,
      [`${RESULTS_DIR}/summary-${scenario}.json`]: JSON.stringify(data, null, 2),
      [`${RESULTS_DIR}/summary-${scenario}.txt`]: text,
    };
  };
}
