// One target = a pre-check, a discarded warm-up, then a fixed-duration autocannon run with CPU accounting.
import autocannon, { type AutocannonInstance, type AutocannonRequest } from "autocannon";
import { cpuShare, QUIET_THRESHOLD, sampleCpu, waitForQuiet, type CpuShare } from "./bench-cpu";
import type { Server } from "./bench-server";
import { requestLine, TARGETS, type ServerKind, type TargetContext, type TargetName } from "./bench-targets";

export interface Row {
  target: TargetName;
  server: ServerKind;
  request: string;
  connections: number;
  seconds: number;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  /** rps ÷ the rps of /health measured on the same server in this run; null for /health itself. */
  ratio: number | null;
  baseline: TargetName;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  evidence: string;
  /** CPU (% of one core) other processes used just before the run, and how long we waited for quiet. */
  otherBefore: number | null;
  waitedSeconds: number;
  cpu: CpuShare;
  /**
   * Server CPU time per request (ms). Unlike req/s it barely moves when other processes compete for
   * the cores, so it is the number to compare between runs on a busy machine.
   */
  serverCpuMsPerRequest: number | null;
}

export interface RunSettings { duration: number; warmup: number; connections: number; quietWait: number }

let current: AutocannonInstance | null = null;

/** Ends the run in progress (Ctrl-C), so the process can clean up instead of waiting it out. */
export function stopCurrentRun() {
  current?.stop();
}

async function cannon(baseUrl: string, requests: AutocannonRequest[], connections: number, duration: number,
  onLatency?: (ms: number) => void) {
  current = autocannon({ url: baseUrl, connections, duration, requests, timeout: 10 });
  // autocannon's own histogram stores whole milliseconds; the response event has hrtime precision,
  // which matters when a cached read takes 2-3 ms at p50.
  if (onLatency) current.on("response", (_client, _status, _bytes, ms) => onLatency(ms));
  try {
    return await current;
  } finally {
    current = null;
  }
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function measure(name: TargetName, server: Server, ctx: TargetContext, settings: RunSettings,
  baselineRps: number | null): Promise<Row> {
  const target = TARGETS[name];
  const evidence = await target.check(ctx);
  const requests = target.requests(ctx);
  process.stderr.write(`  ${name}: ${evidence}\n`);
  const quiet = settings.quietWait > 0 ? await waitForQuiet(server.pgid, settings.quietWait) : { other: null, waited: 0 };
  if (quiet.other !== null && quiet.other >= QUIET_THRESHOLD) {
    process.stderr.write(`  ${name}: other processes still use ${quiet.other}% of a core after ${quiet.waited} s; measuring anyway\n`);
  }
  if (settings.warmup > 0) await cannon(ctx.baseUrl, requests, settings.connections, settings.warmup);

  const latencies: number[] = [];
  const before = sampleCpu(server.pgid);
  const result = await cannon(ctx.baseUrl, requests, settings.connections, settings.duration, (ms) => latencies.push(ms));
  const cpu = cpuShare(before, sampleCpu(server.pgid));
  const sorted = Float64Array.from(latencies).sort();
  const completed = result.requests.total;
  const rps = completed / result.duration;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));

  return {
    target: name,
    server: target.server,
    request: requestLine(name, ctx),
    connections: settings.connections,
    seconds: result.duration,
    requests: completed,
    rps: round(rps, 1),
    p50: round(percentile(sorted, 50), 2),
    p99: round(percentile(sorted, 99), 2),
    ratio: baselineRps ? round(rps / baselineRps, 3) : null,
    baseline: target.server === "cache-on" ? "health" : "health-nocache",
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    evidence,
    otherBefore: quiet.other,
    waitedSeconds: quiet.waited,
    cpu,
    serverCpuMsPerRequest: cpu.server === null || rps === 0 ? null : round((cpu.server * 10) / rps, 2),
  };
}
