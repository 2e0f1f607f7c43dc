// CPU accounting during a measurement. The load generator and workerd share the same (2) cores, so a
// requests/s number means little without knowing who was burning the CPU: the client, the server, or
// nobody (then the limit is latency, e.g. a serialized Durable Object). Linux /proc only; elsewhere the
// server and idle figures are left out.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

const CLK_TCK = 100; // USER_HZ; 100 on every mainstream Linux build
const hasProc = existsSync("/proc/stat");

export interface CpuSample {
  at: number;
  client: NodeJS.CpuUsage;
  perProcess: Map<string, number>; // "comm:pid" of the server's process group → ticks
  machine: { idle: number; total: number };
}

export interface CpuShare {
  /** Percent of ONE core over the interval (200 = both cores of a 2-core machine). */
  client: number;
  server: number | null;
  serverProcesses: Record<string, number>;
  /** Everything else on the machine (other sessions, builds, test runs): they skew the numbers. */
  other: number | null;
  /** Idle time, also in percent of one core: client + server + other + idle ≈ 100 × CPUs. */
  idle: number | null;
}

function groupTicks(pgid: number): Map<string, number> {
  const ticks = new Map<string, number>();
  if (!hasProc) return ticks;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try { stat = readFileSync(`/proc/${pid}/stat`, "utf8"); } catch { continue; } // exited meanwhile
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    // Fields after "comm)": state ppid pgrp ... utime is the 14th field overall, stime the 15th.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(f[2]) !== pgid) continue;
    ticks.set(`${comm}:${pid}`, Number(f[11]) + Number(f[12]));
  }
  return ticks;
}

function machineTicks() {
  if (!hasProc) return { idle: 0, total: 0 };
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: (cpu[3] ?? 0) + (cpu[4] ?? 0), total: cpu.reduce((a, b) => a + b, 0) };
}

export function sampleCpu(pgid: number): CpuSample {
  return { at: performance.now(), client: process.cpuUsage(), perProcess: groupTicks(pgid), machine: machineTicks() };
}

export function cpuShare(before: CpuSample, after: CpuSample): CpuShare {
  const seconds = (after.at - before.at) / 1000;
  const clientMicros = after.client.user + after.client.system - before.client.user - before.client.system;
  const serverProcesses: Record<string, number> = {};
  let server = 0;
  for (const [key, ticks] of after.perProcess) {
    const pct = (100 * (ticks - (before.perProcess.get(key) ?? 0))) / CLK_TCK / seconds;
    server += pct;
    if (pct >= 0.5) serverProcesses[key] = Math.round(pct);
  }
  const total = after.machine.total - before.machine.total;
  const idle = after.machine.idle - before.machine.idle;
  // /proc/stat sums all CPUs, so busy time in "percent of one core" scales by the CPU count.
  const busy = total > 0 ? (100 * cpus().length * (total - idle)) / total : 0;
  return {
    client: Math.round(clientMicros / 1e4 / seconds),
    server: hasProc ? Math.round(server) : null,
    serverProcesses,
    other: hasProc && total > 0 ? Math.max(0, Math.round(busy - server - clientMicros / 1e4 / seconds)) : null,
    idle: hasProc && total > 0 ? Math.round((100 * cpus().length * idle) / total) : null,
  };
}

export const QUIET_THRESHOLD = 25; // percent of one core that other processes may use before a target runs

/**
 * Waits (up to maxSeconds) until processes other than this one and the server group use less than
 * QUIET_THRESHOLD of a core, so a target doesn't start in the middle of someone's build or load test.
 */
export async function waitForQuiet(pgid: number, maxSeconds: number): Promise<{ other: number | null; waited: number }> {
  const start = performance.now();
  for (;;) {
    const before = sampleCpu(pgid);
    await new Promise((r) => setTimeout(r, 1000));
    const other = cpuShare(before, sampleCpu(pgid)).other;
    const waited = Math.round((performance.now() - start) / 1000);
    if (other === null || other < QUIET_THRESHOLD || waited >= maxSeconds) return { other, waited };
  }
}

/** CPU ticks (10 ms each) the workerd processes of a server's process group have used so far. */
export function cpuTicks(pgid: number): number {
  let total = 0;
  for (const [key, ticks] of groupTicks(pgid)) if (key.startsWith("workerd:")) total += ticks;
  return total;
}
