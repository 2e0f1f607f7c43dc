import type { ErrorCode } from "../lib/errors";

// Examples for /openapi.json and the docs page, copied from the sample catalog that `npm start` seeds
// (`npm run seed`: 3,000 products, seed 42), so a reader can send what the docs show to a local Worker
// and get the same answer. Product 1 is "Sky High Board Shorts 3000"; its style 1 owns skus 1..6.

const description = "A relaxed fit with just enough structure for a day in town. Breathable where you sweat, warm where you don't.";

export const PRODUCT_EXAMPLE = {
  id: 1, name: "Sky High Board Shorts 3000", slogan: "Blend in to your crowd", description,
  category: "Shorts", default_price: "27.99",
};

export const PRODUCT_LIST_EXAMPLE = [
  PRODUCT_EXAMPLE,
  {
    id: 2, name: "Sky High Belt 360", slogan: "Lightweight and ready",
    description: "Breathable where you sweat, warm where you don't. A relaxed fit with just enough structure for a day in town.",
    category: "Accessories", default_price: "97.00",
  },
];

export const FEATURE_EXAMPLE = { feature: "Buttons", value: "Mother of Pearl" };

export const PRODUCT_DETAIL_EXAMPLE = {
  ...PRODUCT_EXAMPLE,
  features: [FEATURE_EXAMPLE, { feature: "Sole", value: "Foam" }],
};

export const PHOTO_EXAMPLE = {
  thumbnail_url: "https://images.example.com/styles/1/1-thumb.jpg",
  url: "https://images.example.com/styles/1/1.jpg",
};

export const SKU_EXAMPLE = { quantity: 54, size: "XS" };

export const STYLE_EXAMPLE = {
  style_id: 1, name: "Sky Blue & Crimson", original_price: "27.99", sale_price: null, "default?": false,
  photos: [PHOTO_EXAMPLE],
  skus: { "1": SKU_EXAMPLE, "2": { quantity: 51, size: "S" }, "3": { quantity: 36, size: "M" } },
};

export const STYLES_EXAMPLE = {
  product_id: "1",
  results: [
    STYLE_EXAMPLE,
    {
      style_id: 2, name: "Ocean Blue", original_price: "34.99", sale_price: "27.99", "default?": true,
      photos: [{ thumbnail_url: "https://images.example.com/styles/2/1-thumb.jpg", url: "https://images.example.com/styles/2/1.jpg" }],
      skus: { "7": { quantity: 11, size: "XS" }, "8": { quantity: 40, size: "S" } },
    },
  ],
};

export const RELATED_EXAMPLE = [33, 1436, 461, 858, 2056];

export const ORDER_ID_EXAMPLE = "ord_5GQ2mXbT9kLr0aPzW7cV1e";

export const ORDER_ITEM_EXAMPLE = {
  sku_id: 1, product_id: 1, style_id: 1, product_name: "Sky High Board Shorts 3000", style_name: "Sky Blue & Crimson",
  size: "XS", quantity: 2, unit_price: "27.99",
};

export const ORDER_EXAMPLE = {
  id: ORDER_ID_EXAMPLE, status: "placed", created_at: "2026-11-23T08:00:00.000Z", total: "83.97",
  items: [
    ORDER_ITEM_EXAMPLE,
    { sku_id: 8, product_id: 1, style_id: 2, product_name: "Sky High Board Shorts 3000", style_name: "Ocean Blue", size: "S", quantity: 1, unit_price: "27.99" },
  ],
};

/** hex("created_at|id") of the last order on the page: ORDER_EXAMPLE's. */
export const ORDER_CURSOR_EXAMPLE = "323032362D31312D32335430383A30303A30302E3030305A7C6F72645F354751326D586254396B4C723061507A573763563165";

export const CART_ID_EXAMPLE = "cart_7Hq3nWc0ZpL2xVb8TfR1sK";

export const CART_ITEM_EXAMPLE = { ...ORDER_ITEM_EXAMPLE, line_total: "55.98" };

export const CART_EXAMPLE = {
  id: CART_ID_EXAMPLE, total: "83.97", expires_at: "2026-11-23T08:15:00.000Z",
  items: [CART_ITEM_EXAMPLE, { ...ORDER_EXAMPLE.items[1]!, line_total: "27.99" }],
};

export const PLACE_ORDER_EXAMPLE = { items: [{ sku_id: 1, quantity: 2 }, { sku_id: 8, quantity: 1 }] };

export const PRODUCT_INPUT_EXAMPLE = {
  name: "Trail Cap", slogan: "Shade on the move", category: "Hats", default_price: "24.50",
  features: [{ feature: "Fabric", value: "Nylon" }],
};

export const STYLE_INPUT_EXAMPLE = {
  name: "Olive", original_price: "26.00", sale_price: "19.99", "default?": true,
  photos: [{ url: "https://img.example/o.jpg", thumbnail_url: "https://img.example/o-t.jpg" }],
  skus: [{ size: "S/M", quantity: 10 }],
};

/** One example per error code, as the Worker words it. */
export const ERROR_EXAMPLES: Record<ErrorCode, { message: string; details?: unknown }> = {
  VALIDATION_ERROR: { message: "Invalid body: default_price", details: [{ field: "default_price", message: 'must be a decimal string such as "140.00", not a number' }] },
  UNAUTHORIZED: { message: "A valid admin bearer token is required" },
  PRODUCT_NOT_FOUND: { message: "Product 424242 does not exist" },
  STYLE_NOT_FOUND: { message: "Style 424242 does not exist" },
  SKU_NOT_FOUND: { message: "Sku 424242 does not exist" },
  ORDER_NOT_FOUND: { message: `Order ${ORDER_ID_EXAMPLE} does not exist` },
  CART_NOT_FOUND: { message: `Cart ${CART_ID_EXAMPLE} does not exist` },
  NOT_FOUND: { message: "No route for GET /product/1" },
  METHOD_NOT_ALLOWED: { message: "PUT is not allowed on /orders" },
  OUT_OF_STOCK: { message: "Not enough stock for sku 12; nothing was taken", details: [{ sku_id: 12, requested: 2, available: 0 }] },
  IDEMPOTENCY_CONFLICT: { message: "This Idempotency-Key was already used with a different body" },
  CART_CLOSED: { message: `Cart ${CART_ID_EXAMPLE} was checked out: order ${ORDER_ID_EXAMPLE}`, details: { order_id: ORDER_ID_EXAMPLE } },
  CART_EMPTY: { message: `Cart ${CART_ID_EXAMPLE} is empty: add an item before checking out` },
  CART_EXPIRED: { message: `Cart ${CART_ID_EXAMPLE} has expired: its holds were released. Start a new cart.` },
  PRECONDITION_FAILED: { message: `Cart ${CART_ID_EXAMPLE} or a price in it changed since that ETag: read it again` },
  PAYLOAD_TOO_LARGE: { message: "Request body is larger than 65536 bytes" },
  UNSUPPORTED_MEDIA_TYPE: { message: "Request body must be application/json" },
  RATE_LIMITED: { message: "Too many orders from this address; retry after 60 s" },
  INTERNAL: { message: "Something went wrong on our side" },
  UNAVAILABLE: { message: "The catalog database is unavailable; nothing was changed. Retry shortly." },
  OUTCOME_UNKNOWN: { message: "The change may or may not have been made. Retry with the Idempotency-Key header of this answer: the retry answers it if it was made, and makes it if not." },
};

// Search examples (GET /search?q=joggers, /search/suggest?q=jog, /categories): the shape and kind of values
// the sample catalog answers, not copied from it (ids and counts differ).
export const SEARCH_EXAMPLE = {
  results: [
    { id: 34, name: "Retro Joggers", slogan: "Made to move", category: "Pants", default_price: "88.00", price: "61.99" },
    { id: 211, name: "Summit Joggers 500", slogan: "Less is more", category: "Pants", default_price: "142.00", price: "142.00" },
  ],
  next_cursor: "727C307C3230",
};

export const SUGGEST_EXAMPLE = { results: [{ id: 34, name: "Retro Joggers" }, { id: 211, name: "Summit Joggers 500" }] };

export const CATEGORIES_EXAMPLE = { results: [{ category: "Accessories", products: 348 }, { category: "Basketball Shoes", products: 331 }] };
