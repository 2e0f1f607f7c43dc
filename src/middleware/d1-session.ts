import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import { resilientDb } from "../db/resilient-d1";
import { AppError } from "../lib/errors";
import { isAdminRoute, isPrivateRoute } from "./route-access";

/** Where a D1 bookmark travels, both ways: the client sends its last one, every answer carries the session's. */
export const BOOKMARK_HEADER = "X-D1-Bookmark";

/** The header for a bookmark a handler got from elsewhere (the order serializer's session); none for null. */
export const bookmarkHeader = (bookmark: string | null): Record<string, string> =>
  (bookmark ? { [BOOKMARK_HEADER]: bookmark } : {});

// D1 bookmarks are opaque; this only keeps headers that can't be one out of the database.
const BOOKMARK_PATTERN = /^[A-Za-z0-9._:-]{1,256}$/;

const isRead = (method: string) => method === "GET" || method === "HEAD";

/**
 * Opens this request's D1 session (see docs/decisions/freshness.md):
 * - a client bookmark wins: the request reads at least as fresh as the write that produced it;
 * - public catalog reads start "first-unconstrained" (the nearest replica);
 * - writes, orders and admin reads start "first-primary".
 * The session's bookmark goes back in X-D1-Bookmark so the client can carry it to its next request.
 */
export function d1Session(): MiddlewareHandler<AppEnv> {
  return async function d1SessionMiddleware(c, next) {
    const sent = c.req.header(BOOKMARK_HEADER);
    const checkBookmark = () => {
      if (sent !== undefined && !BOOKMARK_PATTERN.test(sent)) {
        throw new AppError("VALIDATION_ERROR", `Invalid ${BOOKMARK_HEADER} header`, [{ field: BOOKMARK_HEADER, message: "is not a bookmark" }]);
      }
    };
    // An admin route checks its token first (API.md): there the header is judged only when the handler
    // opens the session, which is after requireAdmin, so a caller without the token learns nothing but 401.
    const admin = isAdminRoute(c.req.method, c.req.path);
    if (!admin) checkBookmark();
    const read = isRead(c.req.method);
    const primary = !read || isPrivateRoute(c.req.method, c.req.path);
    const constraint = sent ?? (primary ? "first-primary" : "first-unconstrained");
    // Opened on first use: /health and a KV hit never touch D1.
    let session: D1DatabaseSession | null = null;
    const open = () => {
      if (session) return session;
      if (admin) checkBookmark();
      return (session = c.env.DB.withSession(constraint));
    };
    // Reads retry a transient failure once; a write's statements are never retried (resilient-d1.ts).
    const db = resilientDb({
      prepare: (query) => open().prepare(query),
      batch: (statements) => open().batch(statements),
    }, { retryReads: read });
    c.set("db", db);
    c.set("sessionBookmark", () => session?.getBookmark() ?? null);
    await next();
    const bookmark = (session as D1DatabaseSession | null)?.getBookmark();
    if (bookmark && !c.res.headers.has(BOOKMARK_HEADER)) c.res.headers.set(BOOKMARK_HEADER, bookmark);
  };
}
