// The load generator of the orders bench: N buyers in a closed loop over keep-alive sockets (each
// sends its next request as soon as its last one answered), timing every answer by status, so
// orders/s and latency percentiles count only 201s. node:http, not autocannon, because autocannon
// reports one latency distribution for all answers, and a fast 503 would flatter an orders row.
import { Agent, request } from "node:http";

export interface Answer { status: number; ms: number; retryAfter: string | null; body: string }

export interface Sample {
  seconds: number;
  /** Latencies (ms) per status code, in the order they arrived. */
  byStatus: Map<number, number[]>;
  errors: number;
  /** 503s without a Retry-After header (the contract says every one has it). */
  missingRetryAfter: number;
  /** What failed or was refused, by kind: connection error codes and the messages of non-2xx/409 answers. */
  reasons: Record<string, number>;
}

export interface Req { method: string; path: string; headers?: Record<string, string>; body?: string }

export function client(baseUrl: string, sockets: number) {
  const url = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const send = (req: Req): Promise<Answer> => new Promise((done, fail) => {
    const started = performance.now();
    const r = request({
      host: url.hostname, port: url.port, method: req.method, path: req.path, agent,
      headers: { ...(req.body === undefined ? {} : { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(req.body) }), ...req.headers },
    }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => done({
        status: res.statusCode ?? 0, ms: performance.now() - started,
        retryAfter: (res.headers["retry-after"] as string | undefined) ?? null, body,
      }));
    });
    r.on("error", fail);
    r.end(req.body);
  });
  return { send, close: () => agent.destroy() };
}

/** `buyers` closed loops for `seconds`, each request built by `next` (it may look at the previous answer). */
export async function closedLoop(send: (r: Req) => Promise<Answer>, buyers: number, seconds: number, next: () => Req,
  onAnswer: (a: Answer) => void = () => {}): Promise<Sample> {
  const byStatus = new Map<number, number[]>();
  let errors = 0, missingRetryAfter = 0;
  const reasons: Record<string, number> = {};
  const note = (why: string) => { reasons[why] = (reasons[why] ?? 0) + 1; };
  const started = performance.now();
  const stopAt = started + seconds * 1000;
  await Promise.all(Array.from({ length: buyers }, async () => {
    while (performance.now() < stopAt) {
      try {
        const a = await send(next());
        if (!byStatus.has(a.status)) byStatus.set(a.status, []);
        byStatus.get(a.status)!.push(a.ms);
        if (a.status === 503 && a.retryAfter === null) missingRetryAfter++;
        if (a.status >= 500 || a.status === 429) note(`${a.status} ${messageOf(a.body)}`);
        onAnswer(a);
      } catch (e) {
        errors++;
        note(`error ${(e as { code?: string }).code ?? (e as Error).message}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }));
  return { seconds: (performance.now() - started) / 1000, byStatus, errors, missingRetryAfter, reasons };
}

function messageOf(body: string): string {
  try {
    return String((JSON.parse(body) as { message?: string }).message ?? "").slice(0, 80);
  } catch {
    return body.slice(0, 80);
  }
}

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Rate, p50 and p99 of one status (e.g. 201: orders); null latencies when there were none. */
export function rateOf(sample: Sample, status: number) {
  const ms = [...(sample.byStatus.get(status) ?? [])].sort((a, b) => a - b);
  return { count: ms.length, perSecond: ms.length / sample.seconds, p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

export const statusCounts = (sample: Sample) =>
  Object.fromEntries([...sample.byStatus].sort(([a], [b]) => a - b).map(([s, l]) => [String(s), l.length]));
