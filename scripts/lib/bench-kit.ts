// What every `npm run bench -- <suite>` shares: a state to serve (the sample catalog, or a copy of a
// persisted one: the original is never written), the server (`serve`, from serve-child.ts), its CPU, two
// load generators and percentiles. A suite reads its flags with parseCli (cli.ts) and writes its section
// of docs/results.md (results-page.ts).
import autocannon, { type AutocannonRequest } from "autocannon";
import Database from "better-sqlite3";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { scratchDir, type Fail } from "./cli";
import { localD1File } from "./import-d1";
import { ensureLocalCatalog } from "./local-d1";
export { serve } from "./serve-child";

/** --state-dir: where the suite's state goes, wiped (so only inside .tmp/); .tmp/bench/<suite> by default. */
export const stateDir = (suite: string, raw: string | undefined, fail: Fail) => scratchDir("--state-dir", raw ?? `.tmp/bench/${suite}`, fail);

/** Wipes `dir` and seeds the sample catalog (3,000 products, seed 42) into it, every sku at `stock` when given. */
export async function sampleState(dir: string, stock?: number): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  await ensureLocalCatalog({ persistTo: dir, out: join(dir, "seed") });
  if (stock !== undefined) withD1(dir, (db) => db.prepare("UPDATE skus SET quantity = ?").run(stock), false);
}

/** Wipes `dir` and copies the persisted catalog `from` into it (serve migrates the copy). */
export function copyState(from: string, dir: string): void {
  if (!existsSync(from)) throw new Error(`--from-state ${from} does not exist`);
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`Copying ${from} to ${dir}...\n`);
  cpSync(from, dir, { recursive: true });
}

/** `work` on the state's D1 file through better-sqlite3 (read-only unless said; WAL, so beside a running server too). */
export function withD1<T>(dir: string, work: (db: Database) => T, readonly = true): T {
  const db = new Database(localD1File(dir), { readonly, fileMustExist: true });
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/**
 * CPU time (ms) used so far by the processes of group `pgid` (only those named `only`, e.g. "workerd", when
 * given), and by everything on the machine but that group and this process (Linux /proc).
 */
export function cpuMs(pgid: number, only?: string): { server: number; others: number } {
  let server = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try { stat = readFileSync(`/proc/${pid}/stat`, "utf8"); } catch { continue; } // exited meanwhile
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // state ppid pgrp … utime (12th) stime (13th)
    const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    if (Number(f[2]) === pgid && (only === undefined || name === only)) server += (Number(f[11]) + Number(f[12])) * 10; // ticks of 10 ms
  }
  const machine = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const busy = (machine.reduce((a, b) => a + b, 0) - machine[3]! - machine[4]!) * 10;
  const own = process.cpuUsage();
  return { server, others: busy - server - (own.user + own.system) / 1000 };
}

/** The value at percentile p (0-100) of ascending `sorted`. */
export const pct = (sorted: ArrayLike<number>, p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export interface Hammered { rps: number; p50: number; p99: number; non2xx: number; errors: number; serverCpuMs: number; othersCpuPct: number }

/**
 * autocannon on `origin` (the most requests a few connections get through): req/s, latency from each
 * response's own timing (autocannon's histogram keeps whole ms; a cached read takes 2-3), the server's CPU
 * per request, and how much of a core everything else on the machine used meanwhile (a busy neighbour skews a row).
 */
export async function hammer(origin: string, requests: AutocannonRequest[], connections: number, seconds: number, pgid: number): Promise<Hammered> {
  const ms: number[] = [];
  const before = cpuMs(pgid), started = performance.now();
  const run = autocannon({ url: origin, connections, duration: seconds, requests, timeout: 10 });
  run.on("response", (_c, _s, _b, t) => ms.push(t));
  const result = await run;
  const after = cpuMs(pgid), wall = performance.now() - started;
  const sorted = Float64Array.from(ms).sort();
  return { rps: result.requests.total / result.duration, p50: pct(sorted, 50), p99: pct(sorted, 99), non2xx: result.non2xx, errors: result.errors,
    serverCpuMs: (after.server - before.server) / Math.max(1, result.requests.total), othersCpuPct: (100 * (after.others - before.others)) / wall };
}

export interface Req { method: string; path: string; headers?: Record<string, string>; body?: string }
export interface Answer { status: number; ms: number; retryAfter: string | null; body: string }

/** Keep-alive HTTP for load that needs each answer's status and body (autocannon has one histogram for all). */
export function client(origin: string, sockets: number) {
  const url = new URL(origin);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const send = (req: Req): Promise<Answer> => new Promise((done, fail) => {
    const started = performance.now();
    const headers = { ...(req.body === undefined ? {} : { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(req.body)) }), ...req.headers };
    request({ host: url.hostname, port: url.port, method: req.method, path: req.path, agent, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => done({ status: res.statusCode ?? 0, ms: performance.now() - started, retryAfter: (res.headers["retry-after"] as string) ?? null, body }));
    }).on("error", fail).end(req.body);
  });
  return { send, close: () => agent.destroy() };
}

export interface Loop { seconds: number; byStatus: Map<number, number[]>; errors: number }

/** `callers` closed loops for `seconds`: each sends `next()` as soon as its last answer came (errors back off 10 ms). */
export async function closedLoop(send: (r: Req) => Promise<Answer>, callers: number, seconds: number, next: () => Req,
  onAnswer: (a: Answer) => void = () => {}): Promise<Loop> {
  const loop: Loop = { seconds: 0, byStatus: new Map(), errors: 0 };
  const started = performance.now(), stopAt = started + seconds * 1000;
  await Promise.all(Array.from({ length: callers }, async () => {
    while (performance.now() < stopAt) {
      const a = await send(next()).catch(() => null);
      if (a === null) { loop.errors++; await new Promise((r) => setTimeout(r, 10)); continue; }
      onAnswer(a);
      if (!loop.byStatus.has(a.status)) loop.byStatus.set(a.status, []);
      loop.byStatus.get(a.status)!.push(a.ms);
    }
  }));
  loop.seconds = (performance.now() - started) / 1000;
  return loop;
}

/** Per second, p50 and p99 of the answers with `status` (201: orders placed). */
export function rateOf(loop: Loop, status: number) {
  const ms = [...(loop.byStatus.get(status) ?? [])].sort((a, b) => a - b);
  return { perSecond: ms.length / loop.seconds, p50: pct(ms, 50), p99: pct(ms, 99) };
}

export const statusCounts = (loop: Loop) => [...loop.byStatus].sort(([a], [b]) => a - b).map(([s, l]) => `${s}: ${l.length}`).join(", ");
