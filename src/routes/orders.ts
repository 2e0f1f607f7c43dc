import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { queueLimits } from "../durable-objects/order-serializer";
import { callSerializer, generatedKey, throwFailure } from "../durable-objects/serializer-client";
import { AppError, orderNotFound } from "../lib/errors";
import { sha256Hex } from "../lib/sha256";
import { requireAdmin } from "../middleware/admin-auth";
import type { AppEnv } from "../middleware/app-env";
import { bookmarkHeader } from "../middleware/d1-session";
import { jsonBody } from "../middleware/json-body";
import { limitPerAddress } from "../middleware/rate-limit";
import { throwOnInvalid } from "../middleware/validation";
import { errorResponse, rateLimitedResponse, unavailableResponse, writeUnavailableResponse } from "../schemas/common";
import { IdempotencyHeaders, OrderIdParams, OrderListQuery, OrderListSchema, OrderSchema, PlaceOrderBody, type PlaceOrderInput } from "../schemas/orders";
import type { CancelOrderOutcome, WithBookmark } from "../services/order-outcome";
import { decodeOrderCursor, orderBody, orderPageBody } from "../services/order-reads";
import { ADMIN_SECURITY, adminErrors, adminReadErrors, jsonContent } from "./admin-responses";
import { placeOrderVia } from "./placed-order";
import { rawJson } from "./raw-json";

type Order = z.infer<typeof OrderSchema>;

/** The same items in any order are the same order: the hash is taken over the lines sorted by sku. */
const requestHashOf = (body: PlaceOrderInput) =>
  sha256Hex(JSON.stringify([...body.items].sort((a, b) => a.sku_id - b.sku_id).map((i) => [i.sku_id, i.quantity])));

export const ordersRoutes = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid }).openapi(
  createRoute({
    method: "post", path: "/orders", tags: ["Orders"], summary: "Place an order",
    middleware: [limitPerAddress("ORDER_RATE_LIMITER", "orders"), jsonBody()] as const,
    request: { headers: IdempotencyHeaders, body: { content: { "application/json": { schema: PlaceOrderBody } }, required: true } },
    responses: {
      201: {
        ...jsonContent(OrderSchema, "The order (also when replayed for a repeated Idempotency-Key)"),
        headers: {
          Location: { description: "/orders/{order_id}", schema: { type: "string" as const } },
          "Idempotent-Replayed": { description: "`true` when this answers an earlier request with the same key and body", schema: { type: "string" as const } },
        },
      },
      400: errorResponse(["VALIDATION_ERROR"]), 404: errorResponse(["SKU_NOT_FOUND"]),
      409: errorResponse(["OUT_OF_STOCK", "IDEMPOTENCY_CONFLICT"]), 413: errorResponse(["PAYLOAD_TOO_LARGE"]),
      415: errorResponse(["UNSUPPORTED_MEDIA_TYPE"]), 429: rateLimitedResponse(), 503: writeUnavailableResponse,
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    // Every order carries a key (the buyer's, or one made up and handed back if the outcome is unknown),
    // so a retry, the Worker's own or the buyer's, can't order twice.
    const key = c.req.valid("header")["idempotency-key"] ?? generatedKey();
    // created_at is set by the serializer when the order commits (the list is in commit order).
    const request = { items: body.items, idempotencyKey: `client:${key}`, requestHash: await requestHashOf(body) };
    return placeOrderVia(c, key, (stub) => stub.placeOrder(request));
  },
).openapi(
  createRoute({
    method: "get", path: "/orders/{order_id}", tags: ["Orders"], summary: "Read an order (public to whoever holds its id)",
    request: { params: OrderIdParams },
    responses: { 200: jsonContent(OrderSchema, "The order"), 400: errorResponse(["VALIDATION_ERROR"]), 404: errorResponse(["ORDER_NOT_FOUND"]), 503: unavailableResponse },
  }),
  async (c) => {
    const { order_id } = c.req.valid("param");
    const body = await orderBody(c.var.db, order_id);
    if (body === null) throw orderNotFound(order_id);
    return rawJson<Order, 200>(c, body, 200);
  },
).openapi(
  createRoute({
    method: "get", path: "/orders", tags: ["Orders"], summary: "List orders, newest first (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin()] as const,
    request: { query: OrderListQuery },
    responses: { 200: jsonContent(OrderListSchema, "A page of orders"), ...adminReadErrors },
  }),
  async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = cursor === undefined ? null : decodeOrderCursor(cursor);
    if (cursor !== undefined && after === null) {
      throw new AppError("VALIDATION_ERROR", "Invalid query: cursor", [{ field: "cursor", message: "is not a cursor from a previous page" }]);
    }
    return rawJson<z.infer<typeof OrderListSchema>, 200>(c, await orderPageBody(c.var.db, after, limit), 200);
  },
).openapi(
  createRoute({
    method: "delete", path: "/orders/{order_id}", tags: ["Orders"], summary: "Cancel an order and return its stock (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin()] as const,
    request: { params: OrderIdParams },
    responses: {
      204: { description: "Cancelled (now or before)" }, 404: errorResponse(["ORDER_NOT_FOUND"]), ...adminErrors,
    },
  }),
  async (c) => {
    const { order_id } = c.req.valid("param");
    const outcome = await callSerializer<WithBookmark<CancelOrderOutcome>>(c.env.ORDER_SERIALIZER, (stub) => stub.cancelOrder(order_id),
      { key: null, deadlineMs: queueLimits(c.env).maxWaitMs });
    if (!outcome.ok) throwFailure(outcome);
    return c.body(null, 204, bookmarkHeader(outcome.bookmark));
  },
);
