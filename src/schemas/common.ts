import { z } from "@hono/zod-openapi";
import type { ErrorCode } from "../lib/errors";
import { ERROR_EXAMPLES } from "./examples";

// API.md: integers in paths and query strings are plain decimal digits from 1 to 2^53-1.
// A parameter given twice arrives as an array and fails the string check: 400.
const DIGITS = /^[1-9][0-9]{0,15}$/;

const isIntUpTo = (max: number) => (s: string) => DIGITS.test(s) && Number(s) <= max;

export const positiveIntString = (description: string) =>
  z
    .string()
    .refine(isIntUpTo(Number.MAX_SAFE_INTEGER), "must be an integer from 1 to 9007199254740991, in plain digits")
    .transform(Number)
    .openapi({ description, example: "1", type: "string", pattern: DIGITS.source });

export const boundedIntString = (description: string, max: number, fallback: number) =>
  z
    .string()
    .refine(isIntUpTo(max), `must be an integer from 1 to ${max}, in plain digits`)
    .optional()
    .transform((s) => (s === undefined ? fallback : Number(s)))
    .openapi({ description, example: String(fallback), type: "string", pattern: DIGITS.source });

export const productIdParams = z.object({
  product_id: positiveIntString("Product id").openapi({ param: { name: "product_id", in: "path" } }),
});

/**
 * A body that names one id twice is refused at the repeat: "<noun> <id> appears more than once", at
 * `pathOf(i)`. Undefined ids (entries that are new, so have none yet) are skipped.
 */
export function flagRepeatedIds(ctx: z.RefinementCtx, ids: (number | undefined)[], noun: string, pathOf: (i: number) => (string | number)[]): void {
  const seen = new Set<number>();
  ids.forEach((id, i) => {
    if (id === undefined) return;
    if (seen.has(id)) ctx.addIssue({ code: "custom", path: pathOf(i), message: `${noun} ${id} appears more than once` });
    seen.add(id);
  });
}

export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: "PRODUCT_NOT_FOUND", description: "A stable code: the table in docs/api.md, \"Error codes\"" }),
    message: z.string().openapi({ example: "Product 424242 does not exist" }),
    request_id: z.string(),
    details: z.unknown().optional(),
  })
  .openapi("Error");

type ResponseHeaders = Record<string, { description: string; schema: { type: "string"; example?: string } }>;

/**
 * An error response in the one Error shape, with a named example per code, worded as the Worker words it.
 * The description defaults to the codes ("OUT_OF_STOCK or IDEMPOTENCY_CONFLICT").
 */
export const errorResponse = (codes: ErrorCode[], description = codes.join(" or "), headers?: ResponseHeaders) => {
  const examples = Object.fromEntries(codes.map((code) => {
    const { message, details } = ERROR_EXAMPLES[code];
    const value = { error: code, message, request_id: "3f1c2a9e-7b4d-4c1a-9e2f-5d6b8a0c1e23", ...(details === undefined ? {} : { details }) };
    return [code, { value }];
  }));
  return {
    content: { "application/json": { schema: ErrorSchema, examples } },
    description,
    ...(headers ? { headers } : {}),
  };
};

const RETRY_AFTER: ResponseHeaders = {
  "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "string", example: "1" } },
};

/** A read's storage failed or timed out: nothing was changed (a read changes nothing), retry shortly. */
export const unavailableResponse = errorResponse(["UNAVAILABLE"], "UNAVAILABLE: storage failed or timed out; nothing was changed, retry after Retry-After seconds", RETRY_AFTER);

/**
 * A write's storage failed: UNAVAILABLE when it is known that nothing was changed; OUTCOME_UNKNOWN when
 * the change may have been made (a write to the order serializer carries the Idempotency-Key to retry with).
 */
export const writeUnavailableResponse = errorResponse(["UNAVAILABLE", "OUTCOME_UNKNOWN"],
  "UNAVAILABLE: nothing was changed, retry after Retry-After seconds; OUTCOME_UNKNOWN: the change may have been made, retry with the Idempotency-Key header of this answer (an order or stock change) or read it back (a catalog write)",
  {
    ...RETRY_AFTER,
    "Idempotency-Key": { description: "With OUTCOME_UNKNOWN from an order or a stock change: the key a retry is safe with (made up when the request sent none)", schema: { type: "string", example: "gen-5b0c7c1e-8a2f-4f3e-9d61-0c2a7e4b9f10" } },
  });

/** A per-address limit (writes by default, or searches), checked before the body is read or storage touched. */
export const rateLimitedResponse = (what = "writes") =>
  errorResponse(["RATE_LIMITED"], `RATE_LIMITED: too many ${what} from this address; retry after Retry-After seconds`, RETRY_AFTER);

/** Money as it crosses the API: a non-negative decimal string with two places. */
export const MoneyString = z.string().regex(/^\d+\.\d{2}$/).openapi({ example: "27.99" });

/** A catalog read's 200: JSON with the validators every catalog read sends (ETag, Cache-Control). */
export const catalogJson = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
  headers: {
    ETag: { description: "Strong validator: send it back in If-None-Match for a 304", schema: { type: "string" as const } },
    "Cache-Control": { description: "public, max-age=0, must-revalidate", schema: { type: "string" as const } },
  },
});

/** A catalog read's 304. */
export const notModifiedResponse = {
  description: "Sent when If-None-Match names the current ETag: the client's copy is current (no body)",
};
