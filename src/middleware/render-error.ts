import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./app-env";
import { D1Unavailable } from "../db/resilient-d1";
import { AppError, ERROR_STATUS } from "../lib/errors";

/**
 * D1 having a bad day (src/db/resilient-d1.ts). A read, or a write D1 refused up front, changed nothing:
 * UNAVAILABLE. A write that failed on the way back may have committed: OUTCOME_UNKNOWN (PUT, PATCH and
 * DELETE are safe to repeat; a POST is read back first).
 */
const d1Unavailable = (err: D1Unavailable) => (err.maybeWritten
  ? new AppError("OUTCOME_UNKNOWN", "The catalog database failed while writing; the change may or may not have been made. Read it back, or repeat a PUT, PATCH or DELETE.", undefined, { "Retry-After": "1" })
  : new AppError("UNAVAILABLE", "The catalog database is unavailable; nothing was changed. Retry shortly.", undefined, { "Retry-After": "1" }));

/** Maps anything thrown into the one error shape; unknown failures become 500 INTERNAL with no internals. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // Drizzle wraps whatever a query throws (D1Unavailable included) in its own "Failed query" error.
  if (err instanceof D1Unavailable) return d1Unavailable(err);
  if (err instanceof Error && err.cause instanceof D1Unavailable) return d1Unavailable(err.cause);
  if (err instanceof HTTPException) {
    // Hono's own validators throw these for unparsable bodies (e.g. malformed JSON).
    if (err.status === 400) return new AppError("VALIDATION_ERROR", "Request body is not valid JSON");
    if (err.status === 413) return new AppError("PAYLOAD_TOO_LARGE", "Request body is larger than 64 KiB");
    if (err.status === 415) return new AppError("UNSUPPORTED_MEDIA_TYPE", "Request body must be application/json");
  }
  return new AppError("INTERNAL", "Something went wrong on our side");
}

export function renderError(err: unknown, c: Context<AppEnv>): Response {
  const appError = toAppError(err);
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  if (appError.code === "INTERNAL") {
    console.error(JSON.stringify({ level: "error", request_id: requestId, path: c.req.path, error: String(err) }));
  }
  const body: Record<string, unknown> = { error: appError.code, message: appError.message, request_id: requestId };
  if (appError.details !== undefined) body.details = appError.details;
  const res = c.json(body, ERROR_STATUS[appError.code]);
  for (const [name, value] of Object.entries(appError.headers)) res.headers.set(name, value);
  res.headers.set("X-Request-Id", requestId);
  return res;
}
