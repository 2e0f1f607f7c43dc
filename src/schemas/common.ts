import { z } from "@hono/zod-openapi";

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

export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: "PRODUCT_NOT_FOUND" }),
    message: z.string().openapi({ example: "Product 42 does not exist" }),
    request_id: z.string(),
    details: z.unknown().optional(),
  })
  .openapi("Error");

export const errorResponse = (description: string) => ({
  content: { "application/json": { schema: ErrorSchema } },
  description,
});

/** Money as it crosses the API: a non-negative decimal string with two places. */
export const MoneyString = z.string().regex(/^\d+\.\d{2}$/).openapi({ example: "140.00" });
