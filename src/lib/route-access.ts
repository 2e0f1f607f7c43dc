// Which requests are admin, which are private: one table the CORS, rate-limit and cache-header
// middleware all read, so they can't disagree about a route. Patterns are exact: a trailing slash
// is no route (404, API.md), so it gets no admin treatment either.

const ADMIN_RULES: { method: string; pattern: RegExp }[] = [
  { method: "POST", pattern: /^\/products$/ },
  { method: "PUT", pattern: /^\/products\/[^/]+$/ },
  { method: "PATCH", pattern: /^\/products\/[^/]+$/ },
  { method: "DELETE", pattern: /^\/products\/[^/]+$/ },
  { method: "POST", pattern: /^\/products\/[^/]+\/styles$/ },
  { method: "PUT", pattern: /^\/products\/[^/]+\/related$/ },
  { method: "PATCH", pattern: /^\/styles\/[^/]+$/ },
  { method: "DELETE", pattern: /^\/styles\/[^/]+$/ },
  { method: "POST", pattern: /^\/skus\/[^/]+\/stock$/ },
  { method: "GET", pattern: /^\/orders$/ },
  { method: "DELETE", pattern: /^\/orders\/[^/]+$/ },
];

export const isAdminRoute = (method: string, path: string) =>
  ADMIN_RULES.some((rule) => rule.method === method.toUpperCase() && rule.pattern.test(path));

/** Writes that the rate limiter counts: placing an order and every admin write. */
export const isLimitedWrite = (method: string, path: string) =>
  (method.toUpperCase() === "POST" && /^\/orders$/.test(path)) || (isAdminRoute(method, path) && method.toUpperCase() !== "GET");

/** Orders and admin answers may be cached by nobody: an order is private to whoever holds its id. */
export const isPrivateRoute = (method: string, path: string) => /^\/orders(\/|$)/.test(path) || isAdminRoute(method, path);
