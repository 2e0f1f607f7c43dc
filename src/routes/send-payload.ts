import type { Context } from "hono";
import type { Payload } from "./read-payload";
import { CATALOG_CACHE_CONTROL, etagMatches } from "../lib/http";

/** Server-Timing tells clients, k6 and the bench whether the read cache answered and how long D1 took. */
export function serverTiming(payload: Payload): string {
  const parts: string[] = [];
  if (payload.cache !== "none") parts.push(`cache;desc=${payload.cache}`);
  if (payload.dbMs !== null) parts.push(`db;dur=${payload.dbMs.toFixed(1)}`);
  return parts.join(", ");
}

/** Sends a catalog payload exactly as stored, or 304 when the client already holds it. */
export function sendPayload(c: Context, payload: Payload): Response {
  const headers: Record<string, string> = {
    ETag: payload.etag,
    "Cache-Control": CATALOG_CACHE_CONTROL,
    "Server-Timing": serverTiming(payload),
  };
  if (etagMatches(c.req.header("If-None-Match"), payload.etag)) {
    return c.body(null, 304, headers);
  }
  return c.body(payload.body, 200, { ...headers, "Content-Type": "application/json; charset=UTF-8" });
}
