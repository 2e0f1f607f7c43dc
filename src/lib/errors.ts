import type { ContentfulStatusCode } from "hono/utils/http-status";

// The error model of API.md: a stable code, its one status, one JSON shape (src/middleware/render-error.ts renders it).
export const ERROR_STATUS = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  PRODUCT_NOT_FOUND: 404,
  STYLE_NOT_FOUND: 404,
  SKU_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  CART_NOT_FOUND: 404,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  OUT_OF_STOCK: 409,
  IDEMPOTENCY_CONFLICT: 409,
  // The cart was checked out: `details.order_id` is its order.
  CART_CLOSED: 409,
  CART_EMPTY: 409,
  // Its holds ran out (expires_at passed): nothing in it is held any more.
  CART_EXPIRED: 410,
  // If-Match named a cart ETag that is no longer current (the cart or a price changed).
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // Nothing was changed: retry after Retry-After.
  UNAVAILABLE: 503,
  // The change may have been made: retry with the Idempotency-Key the answer carries (always safe).
  OUTCOME_UNKNOWN: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get status(): ContentfulStatusCode {
    return ERROR_STATUS[this.code];
  }
}

export const productNotFound = (id: number) => new AppError("PRODUCT_NOT_FOUND", `Product ${id} does not exist`);
export const styleNotFound = (id: number) => new AppError("STYLE_NOT_FOUND", `Style ${id} does not exist`);
export const orderNotFound = (id: string) => new AppError("ORDER_NOT_FOUND", `Order ${id} does not exist`);
export const cartNotFound = (id: string) => new AppError("CART_NOT_FOUND", `Cart ${id} does not exist`);
export const cartExpired = (id: string) =>
  new AppError("CART_EXPIRED", `Cart ${id} has expired: its holds were released. Start a new cart.`);
