import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../middleware/app-env";
import { requireAdmin } from "../middleware/admin-auth";
import { bookmarkHeader } from "../middleware/d1-session";
import { jsonBody } from "../middleware/json-body";
import { throwOnInvalid } from "../middleware/validation";
import { errorResponse, rateLimitedResponse, unavailableResponse } from "../schemas/common";
import { SkuIdParams, StockDeltaBody, StockLevelSchema } from "../schemas/orders";
import type { AdjustStockOutcome, WithBookmark } from "../services/order-outcome";
import { callSerializer, throwFailure } from "../durable-objects/serializer-client";
import { ADMIN_SECURITY } from "./admin-responses";

export const stockRoutes = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid }).openapi(
  createRoute({
    method: "post", path: "/skus/{sku_id}/stock", tags: ["Catalog admin"], summary: "Adjust a sku's stock by a delta (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin(), jsonBody()] as const,
    request: { params: SkuIdParams, body: { content: { "application/json": { schema: StockDeltaBody } }, required: true } },
    responses: {
      200: { content: { "application/json": { schema: StockLevelSchema } }, description: "The sku's stock after the change" },
      400: errorResponse(["VALIDATION_ERROR"]), 401: errorResponse(["UNAUTHORIZED"]), 404: errorResponse(["SKU_NOT_FOUND"]),
      409: errorResponse(["OUT_OF_STOCK"], "OUT_OF_STOCK: the change would go below zero"), 413: errorResponse(["PAYLOAD_TOO_LARGE"]),
      415: errorResponse(["UNSUPPORTED_MEDIA_TYPE"]), 429: rateLimitedResponse(), 503: unavailableResponse,
    },
  }),
  async (c) => {
    const { sku_id } = c.req.valid("param");
    const { delta } = c.req.valid("json");
    // Not retried: a delta applied twice would be wrong, and a lost answer can be checked by reading.
    const outcome = await callSerializer<WithBookmark<AdjustStockOutcome>>(c.env.ORDER_SERIALIZER, (stub) => stub.adjustStock(sku_id, delta), false);
    if (!outcome.ok) throwFailure(outcome);
    return c.json({ sku_id: outcome.skuId, quantity: outcome.quantity }, 200, bookmarkHeader(outcome.bookmark));
  },
);
