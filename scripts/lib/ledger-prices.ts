// Cloudflare's published list prices, marginal (beyond what the Workers Paid plan includes each month:
// 10M Worker requests, 30M CPU ms, 25B D1 rows read, 50M rows written, 1M Durable Object requests,
// 400,000 GB-s, 10M KV reads, 1M KV writes). Read 2026-12-06 from the pages named beside each.
export const PRICES_READ_ON = "2026-12-06";

export const PRICES = {
  workerRequest: { usdPerMillion: 0.30, source: "https://developers.cloudflare.com/workers/platform/pricing/" },
  workerCpuMs: { usdPerMillion: 0.02, source: "https://developers.cloudflare.com/workers/platform/pricing/" },
  d1RowRead: { usdPerMillion: 0.001, source: "https://developers.cloudflare.com/d1/platform/pricing/" },
  d1RowWritten: { usdPerMillion: 1.00, source: "https://developers.cloudflare.com/d1/platform/pricing/" },
  objectRequest: { usdPerMillion: 0.15, source: "https://developers.cloudflare.com/durable-objects/platform/pricing/ (each RPC method call is one request)" },
  objectGbSecond: { usdPerMillion: 12.50, source: "https://developers.cloudflare.com/durable-objects/platform/pricing/ (wall time while active, 128 MB)" },
  kvRead: { usdPerMillion: 0.50, source: "https://developers.cloudflare.com/kv/platform/pricing/" },
  kvWrite: { usdPerMillion: 5.00, source: "https://developers.cloudflare.com/kv/platform/pricing/ (a delete is billed as a write)" },
} as const;

/** The serializer's memory for duration billing (Durable Objects bill 128 MB per active object). */
export const OBJECT_GB = 0.128;

/**
 * How long the serializer is active per call it answers: an assumption, not a measurement (no local
 * clock shows a deployed object's wall time). Its D1 round trips to a primary in the same region (2 ms
 * each, world/locations.json's iad) plus a millisecond of its own; a group of orders shares it.
 */
export const OBJECT_ACTIVE_MS_PER_D1_CALL = 2;
export const OBJECT_ACTIVE_MS_OWN = 1;

export interface Usage {
  requests: number; cpuMs: number; d1RowsRead: number; d1RowsWritten: number; objectCalls: number; objectActiveMs: number; kvReads: number; kvWrites: number;
}

export type Cost = Record<"workers" | "workersCpu" | "d1Read" | "d1Write" | "objects" | "objectDuration" | "kvRead" | "kvWrite" | "total", number>;

/** Dollars per million requests that each use `u`. */
export function costPerMillion(u: Usage): Cost {
  const c = {
    workers: u.requests * PRICES.workerRequest.usdPerMillion,
    workersCpu: u.cpuMs * PRICES.workerCpuMs.usdPerMillion,
    d1Read: u.d1RowsRead * PRICES.d1RowRead.usdPerMillion,
    d1Write: u.d1RowsWritten * PRICES.d1RowWritten.usdPerMillion,
    objects: u.objectCalls * PRICES.objectRequest.usdPerMillion,
    objectDuration: OBJECT_GB * (u.objectActiveMs / 1000) * PRICES.objectGbSecond.usdPerMillion,
    kvRead: u.kvReads * PRICES.kvRead.usdPerMillion,
    kvWrite: u.kvWrites * PRICES.kvWrite.usdPerMillion,
  };
  return { ...c, total: Object.values(c).reduce((a, b) => a + b, 0) };
}
