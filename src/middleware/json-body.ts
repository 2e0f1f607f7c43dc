import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import { AppError } from "../lib/errors";

export const MAX_BODY_BYTES = 64 * 1024;
/**
 * How much of a chunked upload that is already over the limit is read (and dropped) before the 413.
 * `wrangler dev`'s proxy answers 503 "Your worker restarted mid-request" in place of any answer sent
 * while the client is still uploading; reading to the end of a body up to this size lets the 413 through.
 * Past it the rest is left unread (docs/faults.md): a bigger upload is not worth the Worker's time.
 */
export const DRAIN_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = /^application\/json\s*(;|$)/i;

const tooLarge = () => new AppError("PAYLOAD_TOO_LARGE", `Request body is larger than ${MAX_BODY_BYTES} bytes`);

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, seen: number): Promise<void> {
  try {
    for (let read = seen; read <= DRAIN_BODY_BYTES;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing left to drain.
  }
}

/** The body, read chunk by chunk and refused as soon as it passes the limit, whatever Content-Length said. */
async function readLimited(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await drain(reader, size);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The body as text; bytes that aren't UTF-8 (a raw lone surrogate included) are 400, not U+FFFD. */
function utf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new AppError("VALIDATION_ERROR", "Request body is not valid UTF-8");
  }
}

/**
 * Guards every route that takes a body: JSON only (415), at most 64 KiB (413: a declared Content-Length
 * over it at once, a chunked body as soon as it passes it), UTF-8 (400). Malformed JSON is the validator's 400.
 */
export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async function jsonBodyMiddleware(c, next) {
    if (!JSON_TYPE.test(c.req.header("Content-Type") ?? "")) {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Request body must be application/json");
    }
    const declared = c.req.header("Content-Length");
    if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
    if (c.req.raw.body) c.req.raw = new Request(c.req.raw, { body: utf8(await readLimited(c.req.raw.body)) });
    await next();
  };
}
