import type { z } from "@hono/zod-openapi";
import { errorResponse, rateLimitedResponse, unavailableResponse, writeUnavailableResponse } from "../schemas/common";

// OpenAPI fragments shared by the admin catalog routes (products-admin, styles-admin, related-admin).

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const jsonRequest = <T extends z.ZodType>(schema: T) => ({
  // required: without it zod-openapi would skip validation for a body that isn't JSON.
  body: { content: { "application/json": { schema } }, required: true },
});

export const ADMIN_SECURITY = [{ adminBearer: [] }];

/** What every admin route can answer besides its own outcomes. */
export const adminReadErrors = {
  400: errorResponse(["VALIDATION_ERROR"], "VALIDATION_ERROR naming the fields"),
  401: errorResponse(["UNAUTHORIZED"], "UNAUTHORIZED: missing or wrong admin token (checked before anything else)"),
  503: unavailableResponse,
};

/** What every admin write can answer besides its own outcomes: admin writes are also rate limited. */
export const adminErrors = { ...adminReadErrors, 429: rateLimitedResponse(), 503: writeUnavailableResponse };

export const bodyErrors = {
  413: errorResponse(["PAYLOAD_TOO_LARGE"], "PAYLOAD_TOO_LARGE: over 64 KiB"),
  415: errorResponse(["UNSUPPORTED_MEDIA_TYPE"], "UNSUPPORTED_MEDIA_TYPE: not application/json"),
};
