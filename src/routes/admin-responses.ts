import type { z } from "@hono/zod-openapi";
import { errorResponse, rateLimitedResponse, unavailableResponse } from "../schemas/common";

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

/** What every admin catalog write can answer besides its own outcomes (all of them are writes). */
export const adminErrors = {
  400: errorResponse("VALIDATION_ERROR naming the fields"),
  401: errorResponse("UNAUTHORIZED: missing or wrong admin token (checked before anything else)"),
  429: rateLimitedResponse,
  503: unavailableResponse,
};

export const bodyErrors = {
  413: errorResponse("PAYLOAD_TOO_LARGE: over 64 KiB"),
  415: errorResponse("UNSUPPORTED_MEDIA_TYPE: not application/json"),
};
