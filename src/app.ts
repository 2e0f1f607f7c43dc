import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./middleware/app-env";
import { ReadCache } from "./cache/read-cache";
import { AppError } from "./lib/errors";
import { allowedMethodsFinder, methodNotAllowed } from "./lib/method-not-allowed";
import { renderError } from "./middleware/render-error";
import { corsPolicy } from "./middleware/cors-policy";
import { d1Session } from "./middleware/d1-session";
import { freshHere } from "./middleware/fresh-here";
import { requestLog } from "./middleware/request-log";
import { declareAdminRoutes } from "./middleware/route-access";
import { requestId } from "./middleware/request-id";
import { responseHeaders } from "./middleware/response-headers";
import { throwOnInvalid } from "./middleware/validation";
import { OPENAPI_DOCUMENT } from "./openapi";
import { cartsRoutes } from "./routes/carts";
import { docsRoutes } from "./routes/docs";
import { healthRoutes } from "./routes/health";
import { ordersRoutes } from "./routes/orders";
import { productsAdminRoutes } from "./routes/products-admin";
import { productsReadRoutes } from "./routes/products-read";
import { relatedAdminRoutes } from "./routes/related-admin";
import { searchRoutes } from "./routes/search";
import { stockRoutes } from "./routes/stock";
import { stylesAdminRoutes } from "./routes/styles-admin";

/**
 * One app per isolate (src/index.ts makes the Worker's): the read cache it owns is that isolate's memory.
 * The production world (world/) makes one per location, as production has isolates per location.
 */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid });
  const readCache = new ReadCache();
  // Order matters: the request id and response headers wrap everything (errors included); CORS answers
  // preflights before routing; an admin write waits until it is visible where it was answered, after the
  // D1 session (which opens only for requests that reach a route's handler) has set its bookmark.
  app.use(requestId());
  app.use(responseHeaders());
  app.use(requestLog());
  // Built on first use, once every route below is mounted: which methods some route serves at a path.
  const allowedMethods = allowedMethodsFinder(app);
  app.use(corsPolicy(allowedMethods));
  app.use(freshHere());
  app.use(d1Session());
  app.use(async function readCacheMiddleware(c, next) {
    c.set("readCache", readCache);
    await next();
  });

  const routed = app
    .route("/", healthRoutes)
    .route("/", productsReadRoutes)
    .route("/", searchRoutes)
    .route("/", ordersRoutes)
    .route("/", cartsRoutes)
    .route("/", stockRoutes)
    .route("/", productsAdminRoutes)
    .route("/", stylesAdminRoutes)
    .route("/", relatedAdminRoutes)
    .route("/", docsRoutes);

  app.openAPIRegistry.registerComponent("securitySchemes", "adminBearer", {
    type: "http", scheme: "bearer", description: "The ADMIN_TOKEN secret",
  });

  // The admin table the edge middleware reads comes from the same declarations as the OpenAPI document.
  declareAdminRoutes(app.openAPIRegistry.definitions.flatMap((d) =>
    d.type === "route" && d.route.security?.length ? [{ method: d.route.method, path: d.route.path }] : []));

  app.doc31("/openapi.json", OPENAPI_DOCUMENT);

  app.notFound((c) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed.length > 0) return renderError(methodNotAllowed(c.req.method, c.req.path, allowed), c);
    return renderError(new AppError("NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`), c);
  });
  app.onError((err, c) => renderError(err, c));
  return routed;
}

export const app = createApp();
export type AppType = typeof app;
