import type { Context, MiddlewareHandler, Next } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "./app-env";
import { BOOKMARK_HEADER } from "./d1-session";
import { isAdminRoute } from "./route-access";

// What a browser may send: public routes take no Authorization (a page elsewhere has no business
// sending credentials to them); admin routes, answered only to ADMIN_ORIGINS, take it too.
// If-Match: a cart's checkout names the ETag the shopper saw.
const PUBLIC_HEADERS = ["Content-Type", "Idempotency-Key", "If-Match", "If-None-Match", "X-Request-Id", BOOKMARK_HEADER];
const ALLOW_HEADERS = { public: PUBLIC_HEADERS, admin: [...PUBLIC_HEADERS, "Authorization"] };
// Idempotency-Key: an OUTCOME_UNKNOWN answer carries the key a browser retries with.
const EXPOSE_HEADERS = ["ETag", "Server-Timing", "X-Request-Id", "Idempotent-Replayed", "Idempotency-Key", "Location", BOOKMARK_HEADER, "Retry-After", "Link"];
// Browsers cap this (Chrome at 2 h); 10 minutes keeps a config change from lingering long.
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const parsed = new Map<string, string[]>();
/** "a, b" → ["a", "b"], parsed once per distinct value. */
function originList(value: string | undefined): string[] {
  const raw = value ?? "";
  let list = parsed.get(raw);
  if (!list) {
    list = raw.split(",").map((o) => o.trim()).filter(Boolean);
    parsed.set(raw, list);
  }
  return list;
}

// One middleware per distinct configuration, built on first use: the vars are fixed for an isolate,
// so a request doesn't re-parse them or rebuild Hono's cors handler.
const built = new Map<string, MiddlewareHandler<AppEnv>>();

function corsFor(allowed: string[], methods: string[], kind: keyof typeof ALLOW_HEADERS): MiddlewareHandler<AppEnv> {
  const key = `${kind}|${methods.join()}|${allowed.join()}`;
  let middleware = built.get(key);
  if (!middleware) {
    middleware = cors({
      // A plain "*" (not a function) also keeps Hono from adding `Vary: Origin`: the answer doesn't vary.
      origin: allowed.includes("*") ? "*" : (origin) => (allowed.includes(origin) ? origin : null),
      allowMethods: methods,
      allowHeaders: ALLOW_HEADERS[kind],
      exposeHeaders: EXPOSE_HEADERS,
      maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    }) as MiddlewareHandler<AppEnv>;
    built.set(key, middleware);
  }
  return middleware;
}

const nothingNext = async () => {};

/**
 * Hono's cors sets its headers on `c.res` before calling next(), which makes Hono build a placeholder
 * Response and then copy it into the handler's; that copy was most of the CORS cost on every request
 * (measured 2026-11-30; the page was retired in commit 831322c, `git show 549da0e:docs/edge-middleware-cost.md`). A preflight needs the middleware before routing (it answers the 204
 * itself); any other request gets the same middleware run on the finished response, with nothing after.
 */
async function applyCors(middleware: MiddlewareHandler<AppEnv>, c: Context<AppEnv>, next: Next, preflight: boolean) {
  if (preflight) return middleware(c, next);
  await next();
  await middleware(c, nothingNext);
}

/** The methods of `served` that are (or are not) admin at this path; GET brings HEAD, as Hono serves it. */
function methodsOf(served: string[], path: string, admin: boolean): string[] {
  const methods = served.filter((m) => isAdminRoute(m, path) === admin);
  return methods.includes("GET") ? [...methods, "HEAD"] : methods;
}

/**
 * Public routes answer CORS to ALLOWED_ORIGINS ("*" by default). Admin routes answer CORS only to an
 * origin listed in ADMIN_ORIGINS — never to "*" — and otherwise send no CORS headers at all, so a
 * browser page elsewhere can't even learn the admin API's shape. A preflight is judged by the method it
 * asks for (Access-Control-Request-Method), since OPTIONS itself is neither, and allows only the methods
 * and headers that the path's routes of that kind accept. `methodsAt` names the methods some route
 * serves at an exact path: where none does, OPTIONS is no preflight but a request for no route, 404
 * like every method (API.md).
 */
export function corsPolicy(methodsAt: (path: string) => string[]): MiddlewareHandler<AppEnv> {
  return async function corsPolicyMiddleware(c, next) {
    const origin = c.req.header("Origin");
    const path = c.req.path;
    const served = c.req.method === "OPTIONS" ? methodsAt(path) : [];
    if (c.req.method === "OPTIONS" && served.length === 0) return next();
    const preflight = served.length > 0;
    const method = preflight ? c.req.header("Access-Control-Request-Method") ?? "" : c.req.method;
    if (!isAdminRoute(method, path)) {
      const middleware = corsFor(originList(c.env.ALLOWED_ORIGINS), preflight ? methodsOf(served, path, false) : [], "public");
      return applyCors(middleware, c, next, preflight);
    }
    const adminOrigins = originList(c.env.ADMIN_ORIGINS).filter((o) => o !== "*");
    if (origin && adminOrigins.includes(origin)) {
      return applyCors(corsFor(adminOrigins, preflight ? methodsOf(served, path, true) : [], "admin"), c, next, preflight);
    }
    if (preflight && origin) return c.body(null, 204);
    await next();
  };
}
