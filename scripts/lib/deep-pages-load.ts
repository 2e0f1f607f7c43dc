// Several autocannon streams against one server at once, each with its own connections and its own
// latency record, so one stream's effect on another is measured in the same seconds.
import autocannon, { type AutocannonRequest } from "autocannon";

export interface Load {
  connections: number;
  /** Built before every send (a random product, sku or page). */
  request: () => AutocannonRequest;
}

export interface StreamResult { rps: number; p50: number; p99: number; statusCodes: Record<string, number> }

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function stream(baseUrl: string, load: Load, seconds: number): Promise<StreamResult> {
  const latencies: number[] = [];
  const run = autocannon({
    url: baseUrl, connections: load.connections, duration: seconds, timeout: 30,
    requests: [{ ...load.request(), setupRequest: (req) => ({ ...req, ...load.request() }) }],
  });
  // hrtime precision (autocannon's own histogram keeps whole milliseconds).
  run.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await run;
  const sorted = Float64Array.from(latencies).sort();
  return {
    rps: result.requests.total / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count])),
  };
}

export async function runTogether(baseUrl: string, loads: Record<string, Load>, seconds: number): Promise<Record<string, StreamResult>> {
  const names = Object.keys(loads);
  const results = await Promise.all(names.map((name) => stream(baseUrl, loads[name]!, seconds)));
  return Object.fromEntries(names.map((name, i) => [name, results[i]!]));
}
