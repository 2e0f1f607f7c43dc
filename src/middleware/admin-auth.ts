import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import { AppError } from "../lib/errors";
import { sha256 } from "../lib/sha256";
import { clientKey, enforceRateLimit } from "../lib/rate-limit";

const unauthorized = () =>
  new AppError("UNAUTHORIZED", "A valid admin bearer token is required", undefined, { "WWW-Authenticate": 'Bearer realm="storefront-admin"' });

/** Constant-time token check: both sides are hashed first so their lengths can't leak either. */
export async function tokenMatches(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256(presented), sha256(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/**
 * Runs before anything else on an admin route (body checks, validation, storage), so a caller without
 * the token learns nothing but 401 — not whether the resource exists, nor whether its body was valid.
 * Admin writes are then rate limited per address, still before any storage is touched.
 */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdminMiddleware(c, next) {
    const expected = c.env.ADMIN_TOKEN;
    const header = c.req.header("Authorization") ?? "";
    // Auth schemes are case-insensitive (RFC 9110 §11.1): `Bearer`, `bearer` and `BEARER` are one scheme;
    // the credentials follow after one or more spaces (`1*SP`, §11.4).
    const match = /^Bearer +([^\s]+)$/i.exec(header);
    // No configured token means the admin API is closed, never open.
    if (!expected || !match || !(await tokenMatches(match[1]!, expected))) throw unauthorized();
    if (c.req.method !== "GET") await enforceRateLimit(c.env.ADMIN_RATE_LIMITER, clientKey(c.req.raw.headers), "admin writes");
    await next();
  };
}
