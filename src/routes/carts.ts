import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { queueLimits } from "../durable-objects/order-serializer";
import { callSerializer, generatedKey, throwFailure } from "../durable-objects/serializer-client";
import { cartExpired, cartNotFound } from "../lib/errors";
import { strongEtag } from "../lib/http";
import { newCartId } from "../lib/ids";
import { sha256Hex } from "../lib/sha256";
import type { AppEnv } from "../middleware/app-env";
import { bookmarkHeader } from "../middleware/d1-session";
import { jsonBody } from "../middleware/json-body";
import { limitPerAddress } from "../middleware/rate-limit";
import { throwOnInvalid } from "../middleware/validation";
import { CartIdParams, CartItemBody, CartItemParams, CartSchema, CheckoutHeaders } from "../schemas/carts";
import { errorResponse, rateLimitedResponse, unavailableResponse, writeUnavailableResponse } from "../schemas/common";
import { OrderSchema } from "../schemas/orders";
import { cartRow } from "../services/cart-reads";
import type { CartOutcome, WithBookmark } from "../services/order-outcome";
import { jsonContent } from "./admin-responses";
import { placeOrderVia } from "./placed-order";
import { rawJson } from "./raw-json";

// Carts (API.md, "Carts"; docs/decisions/carts.md). Every change goes through the order serializer,
// which holds and releases stock in the same groups as orders; reads come from the primary, like orders.

type Cart = z.infer<typeof CartSchema>;

const header = (description: string) => ({ description, schema: { type: "string" as const } });
const cartAnswer = (description: string) => ({
  ...jsonContent(CartSchema, description),
  headers: { ETag: header("The cart's strong validator: send it in If-Match at checkout") },
});
// Cart changes count against the same per-address budget as orders: a hold takes stock as an order does.
const limited = () => limitPerAddress("ORDER_RATE_LIMITER", "cart changes");
const changeErrors = {
  400: errorResponse(["VALIDATION_ERROR"]), 410: errorResponse(["CART_EXPIRED"]), 429: rateLimitedResponse(), 503: writeUnavailableResponse,
};

async function sendCart<S extends 200 | 201>(c: Context<AppEnv>, outcome: WithBookmark<CartOutcome>, status: S, extra: Record<string, string> = {}) {
  if (!outcome.ok) throwFailure(outcome);
  const headers = { ETag: await strongEtag(outcome.body), ...bookmarkHeader(outcome.bookmark), ...extra };
  return rawJson<Cart, S>(c, outcome.body, status, headers);
}

const deadline = (c: Context<AppEnv>) => ({ key: null, deadlineMs: queueLimits(c.env).maxWaitMs });

export const cartsRoutes = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid }).openapi(
  createRoute({
    method: "post", path: "/carts", tags: ["Carts"], summary: "Start an empty cart",
    middleware: [limited()] as const,
    responses: {
      201: { ...cartAnswer("The new cart"), headers: { ...cartAnswer("").headers, Location: header("/carts/{cart_id}") } },
      400: errorResponse(["VALIDATION_ERROR"], "VALIDATION_ERROR: a malformed X-D1-Bookmark header"), 429: rateLimitedResponse(), 503: writeUnavailableResponse,
    },
  }),
  async (c) => {
    // Made here, so the Worker's own retry after a lost answer finds this cart rather than making another.
    const cartId = newCartId();
    const outcome = await callSerializer<WithBookmark<CartOutcome>>(c.env.ORDER_SERIALIZER, (stub) => stub.createCart(cartId),
      { ...deadline(c), retry: "Retrying makes another cart; an unused empty cart holds nothing and is deleted after 24 h." });
    return sendCart(c, outcome, 201, { Location: `/carts/${cartId}` });
  },
).openapi(
  createRoute({
    method: "get", path: "/carts/{cart_id}", tags: ["Carts"], summary: "Read a cart at today's prices (public to whoever holds its id)",
    request: { params: CartIdParams },
    responses: {
      200: cartAnswer("The cart"), 400: errorResponse(["VALIDATION_ERROR"]), 404: errorResponse(["CART_NOT_FOUND"]),
      410: errorResponse(["CART_EXPIRED"]), 503: unavailableResponse,
    },
  }),
  async (c) => {
    const { cart_id } = c.req.valid("param");
    const row = await cartRow(c.var.db, cart_id);
    if (row === null) throw cartNotFound(cart_id);
    if (row.order_id === null && row.expires_at <= new Date().toISOString()) throw cartExpired(cart_id);
    return rawJson<Cart, 200>(c, row.body, 200, { ETag: await strongEtag(row.body) });
  },
).openapi(
  createRoute({
    method: "put", path: "/carts/{cart_id}/items/{sku_id}", tags: ["Carts"], summary: "Hold a quantity of a sku in the cart (0 removes the line)",
    description: "Holds that many units for this cart, renewing all its holds. Not enough: 409 OUT_OF_STOCK with what this cart could hold (its own hold counted), the cart unchanged.",
    middleware: [limited(), jsonBody()] as const,
    request: { params: CartItemParams, body: { content: { "application/json": { schema: CartItemBody } }, required: true } },
    responses: {
      200: cartAnswer("The cart"), ...changeErrors,
      404: errorResponse(["CART_NOT_FOUND", "SKU_NOT_FOUND"]), 409: errorResponse(["OUT_OF_STOCK", "CART_CLOSED"]),
      413: errorResponse(["PAYLOAD_TOO_LARGE"]), 415: errorResponse(["UNSUPPORTED_MEDIA_TYPE"]),
    },
  }),
  async (c) => {
    const { cart_id, sku_id } = c.req.valid("param");
    const { quantity } = c.req.valid("json");
    const outcome = await callSerializer<WithBookmark<CartOutcome>>(c.env.ORDER_SERIALIZER,
      (stub) => stub.setCartItem(cart_id, sku_id, quantity), deadline(c));
    return sendCart(c, outcome, 200);
  },
).openapi(
  createRoute({
    method: "delete", path: "/carts/{cart_id}/items/{sku_id}", tags: ["Carts"], summary: "Remove a line from the cart, releasing its hold",
    middleware: [limited()] as const,
    request: { params: CartItemParams },
    responses: { 200: cartAnswer("The cart"), ...changeErrors, 404: errorResponse(["CART_NOT_FOUND"]), 409: errorResponse(["CART_CLOSED"]) },
  }),
  async (c) => {
    const { cart_id, sku_id } = c.req.valid("param");
    const outcome = await callSerializer<WithBookmark<CartOutcome>>(c.env.ORDER_SERIALIZER,
      (stub) => stub.setCartItem(cart_id, sku_id, 0), deadline(c));
    return sendCart(c, outcome, 200);
  },
).openapi(
  createRoute({
    method: "post", path: "/carts/{cart_id}/checkout", tags: ["Carts"], summary: "Turn the cart into an order at today's prices",
    description: "While the cart's holds are live this never fails for stock. The cart is then closed: the same Idempotency-Key answers the same order again; any other checkout is 409 CART_CLOSED.",
    middleware: [limited()] as const,
    request: { params: CartIdParams, headers: CheckoutHeaders },
    responses: {
      201: {
        ...jsonContent(OrderSchema, "The order, as POST /orders answers it (also when replayed for a repeated Idempotency-Key)"),
        headers: {
          Location: header("/orders/{order_id}"),
          "Idempotent-Replayed": header("`true` when this answers an earlier checkout with the same key"),
        },
      },
      ...changeErrors,
      404: errorResponse(["CART_NOT_FOUND"]), 409: errorResponse(["CART_CLOSED", "CART_EMPTY", "IDEMPOTENCY_CONFLICT"]),
      412: errorResponse(["PRECONDITION_FAILED"]),
    },
  }),
  async (c) => {
    const { cart_id } = c.req.valid("param");
    const sent = c.req.valid("header");
    const key = sent["idempotency-key"] ?? generatedKey();
    // The cart is the body: the same key on another cart (or for an order) is a different request.
    const req = { cartId: cart_id, idempotencyKey: `client:${key}`, requestHash: await sha256Hex(`cart:${cart_id}`), ifMatch: sent["if-match"] ?? null };
    return placeOrderVia(c, key, (stub) => stub.checkoutCart(req));
  },
);
