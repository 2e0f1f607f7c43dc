import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";

const DEFAULT_SLOW_MS = 1000;

/** SLOW_REQUEST_MS from the config: "0" logs every request (for debugging, or to measure what that costs). */
function slowThresholdMs(raw: string | undefined): number {
  const ms = Number(raw);
  return raw !== undefined && raw.trim() !== "" && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_SLOW_MS;
}

// This isolate's KV-cached reads since it started, counted from the Server-Timing the routes set:
// every logged line carries the hit ratio, so a log search shows how well the cache is doing.
const cacheReads = { hits: 0, reads: 0 };

function countCacheRead(timing: string | null): void {
  const status = timing === null ? undefined : /cache;desc=(hit|miss)/.exec(timing)?.[1];
  if (status === undefined) return;
  cacheReads.reads++;
  if (status === "hit") cacheReads.hits++;
}

/**
 * One JSON line per failed (5xx) or slow request, nothing for a healthy fast one: per-request logging
 * costs throughput (see the README's bench). Cache and D1 figures come from the Server-Timing header
 * the route already set, so logging adds no work to the request itself.
 */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function requestLogMiddleware(c, next) {
    const start = performance.now();
    await next();
    const duration = performance.now() - start;
    countCacheRead(c.res.headers.get("Server-Timing"));
    if (c.res.status < 500 && duration < slowThresholdMs(c.env.SLOW_REQUEST_MS)) return;
    const timing = c.res.headers.get("Server-Timing") ?? "";
    console.log(JSON.stringify({
      level: c.res.status >= 500 ? "error" : "warn",
      event: c.res.status >= 500 ? "request_failed" : "request_slow",
      request_id: c.get("requestId"),
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      duration_ms: Math.round(duration),
      cache: /cache;desc=(hit|miss)/.exec(timing)?.[1] ?? null,
      d1_ms: Number(/db;dur=([\d.]+)/.exec(timing)?.[1] ?? NaN) || null,
      cache_hits: cacheReads.hits,
      cache_reads: cacheReads.reads,
      cache_hit_ratio: cacheReads.reads > 0 ? Number((cacheReads.hits / cacheReads.reads).toFixed(3)) : null,
    }));
  };
}
