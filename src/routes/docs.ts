import { swaggerUI } from "@hono/swagger-ui";
import { Hono } from "hono";
import swaggerUiBundle from "swagger-ui-dist/swagger-ui-bundle.js";
import swaggerUiCss from "swagger-ui-dist/swagger-ui.css";
import type { AppEnv } from "../middleware/app-env";

// GET /docs: Swagger UI rendering /openapi.json. Its script and stylesheet are bundled into the Worker
// as Text modules (wrangler.toml [[rules]]) and served from /docs/assets, so the page loads nothing
// from another origin. Why Swagger UI and what it costs: docs/decisions/docs-page.md.

const ASSETS_BASE = "/docs/assets";
// @hono/swagger-ui appends "/swagger-ui-dist/<file>" to its baseUrl.
export const DOCS_ASSET_PATHS = {
  js: `${ASSETS_BASE}/swagger-ui-dist/swagger-ui-bundle.js`,
  css: `${ASSETS_BASE}/swagger-ui-dist/swagger-ui.css`,
} as const;

// Not content-addressed, so an hour: after an upgrade a browser may pair the new page with the old
// bundle for at most that long.
const ASSET_CACHE_CONTROL = "public, max-age=3600";

export const docsRoutes = new Hono<AppEnv>()
  .get("/docs", swaggerUI({
    title: "Storefront API reference",
    url: "/openapi.json",
    baseUrl: ASSETS_BASE,
    // Swagger UI's default badge asks validator.swagger.io about the spec; the page stays on-origin.
    validatorUrl: "none",
    deepLinking: true,
    displayRequestDuration: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    persistAuthorization: false,
  }))
  .get(DOCS_ASSET_PATHS.js, (c) =>
    c.body(swaggerUiBundle, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": ASSET_CACHE_CONTROL }))
  .get(DOCS_ASSET_PATHS.css, (c) =>
    c.body(swaggerUiCss, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": ASSET_CACHE_CONTROL }));
