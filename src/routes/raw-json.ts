import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * Sends a JSON body that SQLite already built, typed as the route's declared schema so handlers and
 * `hc<AppType>` callers see the real shape. This is the one place that vouches for such a body; the
 * exact-body route tests (and the contract tests) are what hold it to the schema.
 */
export function rawJson<T, S extends ContentfulStatusCode>(
  c: Context,
  body: string,
  status: S,
  headers: Record<string, string> = {},
): Response & TypedResponse<T, S, "json"> {
  const res = c.body(body, status, { "Content-Type": "application/json; charset=UTF-8", ...headers });
  return res as unknown as Response & TypedResponse<T, S, "json">;
}
