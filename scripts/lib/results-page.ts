// docs/results.md: the latest run of every bench suite, each in its own section between markers, written
// by the suite that measured it (history is in git, not in the page).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { ROOT } from "./paths";

const PAGE = join(ROOT, "docs", "results.md");
const HEADER = `# Results

The latest run of each measurement, written by \`npm run bench -- <suite>\` (one section per suite, each
replaced by its next run; earlier runs are in git history). Each section names its command, date, machine
and commit. Decisions and their reasons are in docs/decisions/.
`;

/** Where and on what a run happened, for its section's first line. */
export function provenance(command: string): string {
  const commit = (() => {
    try {
      const sha = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
      const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "world", "scripts"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
      return dirty ? `${sha} (with uncommitted changes)` : sha;
    } catch {
      return "unknown";
    }
  })();
  const machine = `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GiB, load ${loadavg()[0]!.toFixed(2)} at the start`;
  return `\`${command}\`, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, commit ${commit}, ${machine}.`;
}

/** A Markdown table; columns named with a trailing ":" are numbers, right-aligned. */
export function mdTable(head: string[], rows: (string | number)[][]): string {
  const cells = (r: (string | number)[]) => `| ${r.join(" | ")} |`;
  return [cells(head.map((h) => h.replace(/:$/, ""))), cells(head.map((h) => (h.endsWith(":") ? "---:" : "---"))), ...rows.map(cells)].join("\n");
}

/** A number for a table: `digits` decimals, thousands separated, "–" when it isn't one. */
export const fmt = (n: number | null | undefined, digits = 0) =>
  n == null || !Number.isFinite(n) ? "–" : n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Replaces (or adds) the section of `suite` with `body`, and prints it. */
export function writeSection(suite: string, title: string, body: string): void {
  const start = `<!-- ${suite}:start -->`;
  const end = `<!-- ${suite}:end -->`;
  const section = `${start}\n## ${title}\n\n${body.trim()}\n${end}`;
  let page = existsSync(PAGE) ? readFileSync(PAGE, "utf8") : HEADER;
  const from = page.indexOf(start);
  const to = page.indexOf(end);
  page = from >= 0 && to > from ? page.slice(0, from) + section + page.slice(to + end.length) : `${page.trimEnd()}\n\n${section}\n`;
  writeFileSync(PAGE, page);
  process.stdout.write(`${section}\n\nWritten to docs/results.md.\n`);
}
