// The importer's account of itself: every rejected row in rejects.csv (file, line, code, reason, the
// raw text), counts per file and reason in summary.json and on stderr, and throttled progress.
import { closeSync, existsSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { quote } from "./csv-format";
import type { Reject, RejectCode } from "./import-values";

export interface FileStats {
  file: string;
  read: number; // records, good and bad (blank lines not counted)
  loaded: number;
  rejected: number;
  blank: number;
  reasons: Partial<Record<RejectCode, { count: number; example: string }>>;
  seconds: number; // wall time spent on this file, over all resumed runs
  done: boolean;
}

export const emptyStats = (file: string): FileStats =>
  ({ file, read: 0, loaded: 0, rejected: 0, blank: 0, reasons: {}, seconds: 0, done: false });

const REJECTS_HEADER = "file,line,code,reason,raw\n";

/**
 * rejects.csv, appended with synchronous writes once per batch, before that batch commits: the
 * checkpoint stores the file's length, and a resumed import cuts it back to that length.
 */
export class RejectLog {
  private fd: number;
  private pending = "";
  bytes: number;

  constructor(readonly path: string, resumeAt?: number) {
    if (resumeAt !== undefined && !existsSync(path)) {
      throw new Error(`${path} of the interrupted import is gone; resume with the same --report directory`);
    }
    this.fd = openSync(path, resumeAt === undefined ? "w" : "r+");
    if (resumeAt === undefined) {
      this.bytes = writeSync(this.fd, REJECTS_HEADER);
    } else {
      ftruncateSync(this.fd, resumeAt);
      this.bytes = resumeAt;
    }
  }

  add(stats: FileStats, line: number, reject: Reject, raw: string) {
    const rawText = raw.replace(/\r?\n$/, "");
    this.pending += `${stats.file},${line},${reject.code},${quote(reject.reason)},${quote(rawText)}\n`;
    stats.rejected++;
    const seen = stats.reasons[reject.code];
    if (seen) seen.count++;
    else stats.reasons[reject.code] = { count: 1, example: `line ${line}: ${reject.reason}` };
  }

  flush() {
    if (this.pending === "") return;
    const buf = Buffer.from(this.pending);
    for (let at = 0; at < buf.length;) at += writeSync(this.fd, buf, at, buf.length - at, this.bytes + at);
    this.bytes += buf.length;
    this.pending = "";
  }

  close() { this.flush(); closeSync(this.fd); }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
export const rate = (rows: number, secs: number) => (secs > 0 ? rows / secs : 0);

/** A progress line per file: a rewritten line on a terminal, one every few seconds in a log. */
export function progressLine(label: string) {
  const tty = process.stderr.isTTY;
  let shown = performance.now();
  return (fraction: number, rows: number, rejected: number | null, secs: number, done = false) => {
    const now = performance.now();
    if (!done && now - shown < (tty ? 200 : 5000)) return;
    shown = now;
    const line = `  ${label.padEnd(12)} ${(fraction * 100).toFixed(0).padStart(3)}%  ${fmt(rows).padStart(11)} rows` +
      `${rejected === null ? "" : `  ${fmt(rejected).padStart(5)} rejected`}  ${secs.toFixed(1).padStart(6)}s  ${fmt(rate(rows, secs)).padStart(8)} rows/s`;
    process.stderr.write(tty ? `\r${line}\x1b[K${done ? "\n" : ""}` : `${line}\n`);
  };
}

export function printSummary(stats: FileStats[], totalSecs: number, reportDir: string) {
  const out = (s: string) => process.stderr.write(`${s}\n`);
  const rows = stats.reduce((a, s) => a + s.read, 0), rejected = stats.reduce((a, s) => a + s.rejected, 0);
  out(`\n${"file".padEnd(13)}${"read".padStart(12)}${"loaded".padStart(12)}${"rejected".padStart(10)}${"seconds".padStart(9)}${"rows/s".padStart(10)}`);
  for (const s of stats) {
    out(`${s.file.padEnd(13)}${fmt(s.read).padStart(12)}${fmt(s.loaded).padStart(12)}${fmt(s.rejected).padStart(10)}` +
      `${s.seconds.toFixed(1).padStart(9)}${fmt(rate(s.read, s.seconds)).padStart(10)}`);
  }
  out(`${"total".padEnd(13)}${fmt(rows).padStart(12)}${fmt(rows - rejected).padStart(12)}${fmt(rejected).padStart(10)}` +
    `${totalSecs.toFixed(1).padStart(9)}${fmt(rate(rows, totalSecs)).padStart(10)}`);
  if (rejected > 0) out("\nRejected rows by file and reason:");
  for (const s of stats) {
    for (const [code, r] of Object.entries(s.reasons)) {
      out(`  ${s.file.padEnd(13)}${code.padEnd(18)}${fmt(r.count).padStart(8)}   e.g. ${r.example}`);
    }
  }
  out(`\nReport: ${reportDir}/rejects.csv (every rejected row) and ${reportDir}/summary.json`);
}
