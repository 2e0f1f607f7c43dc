import { z } from "@hono/zod-openapi";
import { flagRepeatedIds, MoneyString, positiveIntString } from "./common";
import { ORDER_CURSOR_EXAMPLE, ORDER_EXAMPLE, ORDER_ID_EXAMPLE, ORDER_ITEM_EXAMPLE, PLACE_ORDER_EXAMPLE } from "./examples";

/** Lines per order, and per cart. */
export const MAX_LINES = 50;
/** Units of one sku per order line, and per cart line. */
export const MAX_QUANTITY = 1000;

const OrderItemInput = z
  .strictObject({
    sku_id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).openapi({ example: 1 }),
    quantity: z.number().int().min(1).max(MAX_QUANTITY).openapi({ example: 2 }),
  })
  .openapi("OrderItemInput");

export const PlaceOrderBody = z
  .strictObject({ items: z.array(OrderItemInput).min(1).max(MAX_LINES) })
  .superRefine((body, ctx) => flagRepeatedIds(ctx, body.items.map((item) => item.sku_id), "sku", (i) => ["items", i, "sku_id"]))
  .openapi("PlaceOrder", { example: PLACE_ORDER_EXAMPLE });
export type PlaceOrderInput = z.infer<typeof PlaceOrderBody>;

// A client secret (API.md): visible ASCII, long enough not to be guessed by accident, bounded; stored
// and compared as-is. Whoever holds the key and the body can read the order back, so a guessable key
// (a cart number, a counter) can still leak it: clients should send a random UUID.
export const IdempotencyHeaders = z.object({
  "idempotency-key": z.string().regex(/^[\x21-\x7e]{16,255}$/, "must be 16-255 visible ASCII characters (a random UUID is best)").optional()
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description: "Retry-safe placement: the same key and body answer the same order; another body under a used key answers 409 IDEMPOTENCY_CONFLICT once that body could be placed (it is judged first: SKU_NOT_FOUND or OUT_OF_STOCK tell nothing about the key). 16-255 visible ASCII characters; send a random UUID, since whoever holds the key and the body can read the order back.",
      example: "5f0c6a1e-2b7d-4c49-9a3e-8d1f2c3b4a5d",
    }),
});

export const OrderItemSchema = z
  .object({
    sku_id: z.number().int(), product_id: z.number().int(), style_id: z.number().int(),
    product_name: z.string(), style_name: z.string(), size: z.string(),
    quantity: z.number().int(), unit_price: MoneyString,
  })
  .openapi("OrderItem", { example: ORDER_ITEM_EXAMPLE });

export const OrderSchema = z
  .object({
    id: z.string().openapi({ example: ORDER_ID_EXAMPLE }),
    status: z.enum(["placed", "cancelled"]),
    created_at: z.string().openapi({ example: "2026-11-23T08:00:00.000Z" }),
    total: MoneyString,
    items: z.array(OrderItemSchema),
  })
  .openapi("Order", { example: ORDER_EXAMPLE });

export const OrderListSchema = z
  .object({ orders: z.array(OrderSchema), next_cursor: z.string().nullable() })
  .openapi("OrderList", { example: { orders: [ORDER_EXAMPLE], next_cursor: ORDER_CURSOR_EXAMPLE } });

export const OrderIdParams = z.object({
  order_id: z.string().regex(/^ord_[A-Za-z0-9]{1,64}$/, "is not an order id")
    .openapi({ param: { name: "order_id", in: "path" }, example: ORDER_ID_EXAMPLE }),
});

export const OrderListQuery = z.object({
  limit: z.string().regex(/^[1-9][0-9]{0,2}$/).refine((s) => Number(s) <= 100, "must be 1..100").optional()
    .transform((s) => (s === undefined ? 20 : Number(s)))
    .openapi({ param: { name: "limit", in: "query" }, example: "20", type: "string" }),
  cursor: z.string().regex(/^[0-9A-F]{2,512}$/, "is not a cursor from a previous page").optional()
    .openapi({ param: { name: "cursor", in: "query" } }),
});

export const SkuIdParams = z.object({
  sku_id: positiveIntString("Sku id").openapi({ param: { name: "sku_id", in: "path" } }),
});

export const StockDeltaBody = z
  .strictObject({ delta: z.number().int().min(-1_000_000).max(1_000_000).openapi({ example: 5 }) })
  .openapi("StockDelta", { example: { delta: 5 } });

export const StockLevelSchema = z
  .object({
    sku_id: z.number().int(),
    quantity: z.number().int().nonnegative().openapi({ description: "On hand" }),
    available: z.number().int().nonnegative().openapi({ description: "What a new buyer can take" }),
  })
  .openapi("StockLevel", { example: { sku_id: 1, quantity: 59, available: 59 } });
