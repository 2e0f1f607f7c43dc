import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../middleware/app-env";
import { requireAdmin } from "../middleware/admin-auth";
import { jsonBody } from "../middleware/json-body";
import { rawJson } from "./raw-json";
import { throwOnInvalid } from "../middleware/validation";
import { RelatedSchema } from "../schemas/catalog";
import { RelatedBody } from "../schemas/catalog-writes";
import { errorResponse, productIdParams } from "../schemas/common";
import { replaceRelated } from "../services/related-writes";
import { ADMIN_SECURITY, adminErrors, bodyErrors, jsonContent, jsonRequest } from "./admin-responses";

export const relatedAdminRoutes = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid }).openapi(
  createRoute({
    method: "put", path: "/products/{product_id}/related", tags: ["Catalog admin"],
    summary: "Replace a product's related product ids, in display order (admin)",
    description: "0..50 ids, no duplicates, not the product itself, each an existing product: else 400 naming the entries.",
    security: ADMIN_SECURITY, middleware: [requireAdmin(), jsonBody()] as const,
    request: { params: productIdParams, ...jsonRequest(RelatedBody) },
    responses: {
      200: jsonContent(RelatedSchema, "The related ids as GET /products/{product_id}/related now shows them"),
      ...adminErrors, 404: errorResponse(["PRODUCT_NOT_FOUND"], "PRODUCT_NOT_FOUND (the product in the path)"), ...bodyErrors,
    },
  }),
  async (c) => {
    const body = await replaceRelated(c.var.db, c.req.valid("param").product_id, c.req.valid("json"));
    return rawJson<z.infer<typeof RelatedSchema>, 200>(c, body, 200);
  },
);
