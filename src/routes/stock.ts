import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../middleware/app-env";
import { requireAdmin } from "../middleware/admin-auth";
import { bookmarkHeader } from "../middleware/d1-session";
import { jsonBody } from "../middleware/json-body";
import { throwOnInvalid } from "../middleware/validation";
import { errorResponse, rateLimitedResponse, writeUnavailableResponse } from "../schemas/common";
import { IdempotencyHeaders, SkuIdParams, StockDeltaBody, StockLevelSchema } from "../schemas/orders";
import { sha256Hex } from "../lib/sha256";
import { queueLimits } from "../durable-objects/order-serializer";
import type { AdjustStockOutcome, WithBookmark } from "../services/order-outcome";
import { callSerializer, generatedKey, throwFailure } from "../durable-objects/serializer-client";
import { ADMIN_SECURITY } from "./admin-responses";

export const stockRoutes = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid }).openapi(
  createRoute({
    method: "post", path: "/skus/{sku_id}/stock", tags: ["Catalog admin"], summary: "Adjust a sku's stock by a delta (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin(), jsonBody()] as const,
    request: { params: SkuIdParams, headers: IdempotencyHeaders, body: { content: { "application/json": { schema: StockDeltaBody } }, required: true } },
    responses: {
      200: {
        content: { "application/json": { schema: StockLevelSchema } }, description: "The sku's stock after the change (also when replayed for a repeated Idempotency-Key)",
        headers: { "Idempotent-Replayed": { description: "`true` when this answers an earlier change with the same key and body", schema: { type: "string" as const } } },
      },
      400: errorResponse(["VALIDATION_ERROR"], "VALIDATION_ERROR: a bad body or key, or a change that would take the stock above 1,000,000,000"),
      401: errorResponse(["UNAUTHORIZED"]), 404: errorResponse(["SKU_NOT_FOUND"]),
      409: errorResponse(["OUT_OF_STOCK", "IDEMPOTENCY_CONFLICT"], "OUT_OF_STOCK: the change would go below zero; IDEMPOTENCY_CONFLICT: the key was used for another change"),
      413: errorResponse(["PAYLOAD_TOO_LARGE"]), 415: errorResponse(["UNSUPPORTED_MEDIA_TYPE"]), 429: rateLimitedResponse(), 503: writeUnavailableResponse,
    },
  }),
  async (c) => {
    const { sku_id } = c.req.valid("param");
    const { delta } = c.req.valid("json");
    // Under a key (the admin's, or one made up), a retry after a lost answer replays instead of adding twice.
    const key = c.req.valid("header")["idempotency-key"] ?? generatedKey();
    const change = { skuId: sku_id, delta, idempotencyKey: `client:${key}`, requestHash: await sha256Hex(JSON.stringify([sku_id, delta])) };
    const outcome = await callSerializer<WithBookmark<AdjustStockOutcome>>(c.env.ORDER_SERIALIZER, (stub) => stub.adjustStock(change),
      { key, deadlineMs: queueLimits(c.env).maxWaitMs });
    if (!outcome.ok) throwFailure(outcome);
    const headers = { ...bookmarkHeader(outcome.bookmark), ...(outcome.replayed ? { "Idempotent-Replayed": "true" } : {}) };
    return c.json({ sku_id: outcome.skuId, quantity: outcome.quantity, available: outcome.available }, 200, headers);
  },
);
