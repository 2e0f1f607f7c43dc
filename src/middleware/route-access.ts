// Which requests are admin, which are private: one table the CORS, rate-limit, D1-session and
// cache-header middleware all read, so they can't disagree about a route. The table is not written
// by hand: createApp() derives it from the route declarations, where every admin route declares the
// `adminBearer` security scheme (and the requireAdmin middleware beside it), so the two can't drift.
// Patterns are exact: a trailing slash is no route (404, API.md), so it gets no admin treatment either.

export interface DeclaredRoute { method: string; path: string }

let adminRules: { method: string; pattern: RegExp }[] = [];

/** `/products/{product_id}` (OpenAPI form) → a pattern for one path segment per parameter. */
const pathPattern = (path: string) =>
  new RegExp(`^${path.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&")).join("[^/]+")}$`);

/** Called once by createApp() with the routes that declare admin security. */
export function declareAdminRoutes(routes: DeclaredRoute[]): void {
  adminRules = routes.map((r) => ({ method: r.method.toUpperCase(), pattern: pathPattern(r.path) }));
}

export const isAdminRoute = (method: string, path: string) =>
  adminRules.some((rule) => rule.method === method.toUpperCase() && rule.pattern.test(path));

/** Orders, carts and admin answers may be cached by nobody: an order or a cart is private to whoever holds its id. */
export const isPrivateRoute = (method: string, path: string) => /^\/(orders|carts)(\/|$)/.test(path) || isAdminRoute(method, path);
