import { AppError } from "./errors";

/** Turns the app's route table into a lookup: which methods does some route serve at this path? */
/** All the finder needs of an app: its route table (Hono's `app.routes`). */
interface RouteTable {
  routes: { method: string; path: string }[];
}

export function allowedMethodsFinder(app: RouteTable): (path: string) => string[] {
  let table: { method: string; pattern: RegExp }[] | null = null;
  return (path) => {
    // Built lazily: routes are all mounted by the time the first unmatched request arrives. Exact paths:
    // `/products/1/` is no route at all (404), not a route that refuses the method.
    table ??= app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => ({ method: r.method, pattern: new RegExp(`^${r.path.replace(/:[^/]+/g, "[^/]+")}$`) }));
    return [...new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method))];
  };
}

export function methodNotAllowed(method: string, path: string, allowed: string[]): AppError {
  return new AppError("METHOD_NOT_ALLOWED", `${method} is not allowed on ${path}`, undefined, {
    Allow: allowed.join(", "),
  });
}
