import type { OpenAPIObjectConfigure } from "@hono/zod-openapi";
import type { AppEnv } from "./middleware/app-env";

type DocumentConfig = Exclude<OpenAPIObjectConfigure<AppEnv, "/openapi.json">, (...args: never[]) => unknown>;

/**
 * The one OpenAPI document config. `GET /openapi.json` serves it (src/app.ts), `GET /docs` renders it
 * (src/routes/docs.ts), and the contract tests validate every response the suite receives against the
 * document it generates (test/support/contract.ts), so the spec can't drift from the handlers.
 */
export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Storefront API",
    version: "1.0.0",
    description: [
      "Catalog, stock and orders at the edge. JSON in and out; money is a decimal string such as `\"27.99\"`.",
      "",
      "Every error is one shape with a stable code: `{\"error\": \"PRODUCT_NOT_FOUND\", \"message\": \"…\", \"request_id\": \"…\"}`,",
      "plus `details` where useful. Every response carries `X-Request-Id`.",
      "Admin routes need `Authorization: Bearer <ADMIN_TOKEN>` (the lock button), checked before anything else.",
      "Catalog reads answer a strong `ETag`; send it back in `If-None-Match` for a 304.",
      "",
      "Beyond what each operation lists: an unknown path answers 404 `NOT_FOUND`, a method a path doesn't serve",
      "405 `METHOD_NOT_ALLOWED` (with `Allow`), and an unexpected failure 500 `INTERNAL`, all in the same shape.",
    ].join("\n"),
  },
  // Relative: the docs page's "Try it out" calls the Worker that served it, wherever that runs.
  servers: [{ url: "/", description: "This Worker" }],
  tags: [
    { name: "Catalog", description: "Public reads: the storefront's hot path (KV-cached, ETag/304)" },
    { name: "Search", description: "Public: full-text search, typeahead and categories (D1 FTS5)" },
    { name: "Orders", description: "Place and read orders; list and cancel them (admin)" },
    { name: "Carts", description: "Collect items while their stock is held for you, then check out (the cart id is the key)" },
    { name: "Catalog admin", description: "Catalog writes and stock (admin bearer token)" },
    { name: "Operations", description: "Liveness" },
  ],
} satisfies DocumentConfig;
