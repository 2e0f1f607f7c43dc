// Shared by bench:scale and bench:soak: percentiles, load average, and docs/scale.md, which both
// scripts write into (each replaces only its own marked section, so one can be rerun without the other).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { codeVersion, machineInfo } from "./bench-report";
import { ROOT } from "./local-d1";

export const DOC = join(ROOT, "docs", "scale.md");
export const ADMIN_TOKEN = "dev-admin-token"; // .dev.vars.example; local only

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
export const fmt = (n: number | null, digits = 2) => n === null || Number.isNaN(n) ? "–"
  : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const load = () => loadavg().map((l) => l.toFixed(2)).join(" / ");

export function mdTable(head: string[], rows: string[][], numeric: Set<number>): string {
  const line = (c: string[]) => `| ${c.map((x) => x.replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(head), line(head.map((_, i) => numeric.has(i) ? "---:" : "---")), ...rows.map(line)].join("\n");
}

/** Command, date, code, machine: the lines every section starts with. */
export function provenance(command: string, started: Date, code = codeVersion()): string[] {
  const m = machineInfo();
  return [
    `- Command: \`${command}\``,
    `- Date: ${started.toISOString()} to ${new Date().toISOString()}`,
    `- Code: commit ${code.commit}${code.uncommittedSrcFiles > 0 ? ` plus ${code.uncommittedSrcFiles} uncommitted file(s) under src/` : ""}; ` +
      "bundled once with `wrangler deploy --dry-run`, served by `wrangler dev --no-bundle` on 127.0.0.1",
    `- Machine: nproc ${m.nproc} (${m.cpu}), ${m.platform}, Node ${m.node}, wrangler ${m.wrangler}, autocannon ${m.autocannon}`,
  ];
}

const HEADER = "# Catalog scale and soak: storefront API under `wrangler dev`\n\n" +
  "Written by `npm run bench:scale` (section *Scale*) and `npm run bench:soak` (section *Soak*); each run " +
  "replaces only its own section. **`wrangler dev` on loopback (workerd + miniflare's local D1 and KV), " +
  "not production**: the load generator shares the 2 cores, so compare ratios, not absolute numbers.\n";

/** Replaces `<!-- name:start -->…<!-- name:end -->` in docs/scale.md (appending it the first time). */
export function writeSection(name: "scale" | "soak", body: string): string {
  mkdirSync(join(ROOT, "docs"), { recursive: true });
  let doc = existsSync(DOC) ? readFileSync(DOC, "utf8") : HEADER;
  const start = `<!-- ${name}:start -->`, end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const i = doc.indexOf(start), j = doc.indexOf(end);
  doc = i >= 0 && j > i ? doc.slice(0, i) + block + doc.slice(j + end.length) : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(DOC, doc);
  return DOC;
}

/** Raw numbers beside the Markdown, for whoever wants to recompute something. */
export function writeJson(prefix: string, started: Date, data: unknown): string {
  const dir = join(ROOT, "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${prefix}-${started.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(data, null, 2) + "\n");
  return file;
}
