import { z } from "@hono/zod-openapi";
import { MoneyString, positiveIntString } from "./common";
import { CART_EXAMPLE, CART_ID_EXAMPLE, CART_ITEM_EXAMPLE } from "./examples";
import { IdempotencyHeaders, MAX_QUANTITY } from "./orders";

// Carts (API.md, "Carts"): a cart id is opaque like an order id, and the only key to the cart.

const cartId = z.string().regex(/^cart_[A-Za-z0-9]{1,64}$/, "is not a cart id")
  .openapi({ param: { name: "cart_id", in: "path" }, example: CART_ID_EXAMPLE });

export const CartIdParams = z.object({ cart_id: cartId });

export const CartItemParams = z.object({
  cart_id: cartId,
  sku_id: positiveIntString("Sku id").openapi({ param: { name: "sku_id", in: "path" } }),
});

/** PUT /carts/:id/items/:sku_id: how many units the cart holds (0 removes the line). */
export const CartItemBody = z
  .strictObject({ quantity: z.number().int().min(0).max(MAX_QUANTITY).openapi({ example: 2, description: `0..${MAX_QUANTITY}; 0 removes the line` }) })
  .openapi("CartItemInput", { example: { quantity: 2 } });

const CartItemSchema = z
  .object({
    sku_id: z.number().int(), product_id: z.number().int(), style_id: z.number().int(),
    product_name: z.string(), style_name: z.string(), size: z.string(),
    quantity: z.number().int(), unit_price: MoneyString, line_total: MoneyString,
  })
  .openapi("CartItem", { example: CART_ITEM_EXAMPLE });

export const CartSchema = z
  .object({
    id: z.string().openapi({ example: CART_ID_EXAMPLE }),
    items: z.array(CartItemSchema).openapi({ description: "Open: the held lines at today's prices. Closed: the lines of its order, as bought" }),
    total: MoneyString,
    expires_at: z.string().openapi({ description: "The holds count until then (renewed by every change, never past 60 minutes after the first hold)", example: "2026-11-23T08:15:00.000Z" }),
    order_id: z.string().optional().openapi({ description: "Only on a closed cart: the order its checkout placed" }),
  })
  .openapi("Cart", { example: CART_EXAMPLE });

/** Checkout: Idempotency-Key as for orders, and If-Match with the cart's ETag. */
export const CheckoutHeaders = z.object({
  ...IdempotencyHeaders.shape,
  "if-match": z.string().regex(/^[\x20-\x7e]{1,1000}$/, "must be the cart's ETag (or a list of entity tags, or *)").optional()
    .openapi({
      param: { name: "if-match", in: "header" },
      description: "The cart's ETag from GET /carts/{cart_id} (or a PUT's answer): 412 if the cart or a price in it changed since",
      example: '"4f9d0c2a7b1e8d3c5a6f0e9b2d1c4a7e"',
    }),
});
