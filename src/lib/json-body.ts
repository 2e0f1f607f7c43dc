import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../app-env";
import { AppError } from "./errors";

export const MAX_BODY_BYTES = 64 * 1024;
const JSON_TYPE = /^application\/json\s*(;|$)/i;

const limit = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${MAX_BODY_BYTES} bytes`);
  },
});

/**
 * Guards every route that takes a body: JSON only (415), at most 64 KiB (413, counted while streaming
 * too, so a missing or lying Content-Length doesn't get past it). Malformed JSON is the validator's 400.
 */
export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async function jsonBodyMiddleware(c, next) {
    if (!JSON_TYPE.test(c.req.header("Content-Type") ?? "")) {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Request body must be application/json");
    }
    return limit(c, next);
  };
}
