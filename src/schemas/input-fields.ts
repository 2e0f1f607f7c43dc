import { z } from "@hono/zod-openapi";
import { MONEY_PATTERN, parseMoney } from "../lib/money";
import { CONTROL_CHARACTER, MAX_STOCK, MAX_URL_LENGTH, NO_CONTROL_CHARACTERS, NO_CONTROL_CHARACTERS_BUT_TAB_OR_LINE_BREAK } from "./limits";

// The field types admin request bodies are built from, with messages a client can act on.
// Text is trimmed before its length is checked.

export const MAX_LIST_ITEMS = 50;

// JSON may escape half of a UTF-16 pair ("\ud800"); such text has no UTF-8 form, and D1 would store
// U+FFFD in its place, so the client would read back something it never sent (API.md: 400 instead).
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const stringOf = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? "is required" : `must be ${what}`) })
    .refine((s) => !UNPAIRED_SURROGATE.test(s), "must not hold an unpaired UTF-16 surrogate");

// Checked before trimming: a name that arrives with a trailing newline is refused, not quietly cut.
const NO_CONTROLS = { pattern: NO_CONTROL_CHARACTERS, message: "must not hold a control character (U+0000-U+001F, U+007F)" };
const LINE_BREAKS_ONLY = { pattern: NO_CONTROL_CHARACTERS_BUT_TAB_OR_LINE_BREAK, message: "must not hold a control character other than tab and line breaks" };

/** Trimmed text of [min, max] characters; `lineBreaks` lets tab and line breaks in (descriptions). */
export const text = ([min, max]: readonly [number, number], { lineBreaks = false } = {}) => {
  const controls = lineBreaks ? LINE_BREAKS_ONLY : NO_CONTROLS;
  const trimmed = stringOf("a string").regex(controls.pattern, controls.message).trim();
  return (min > 0 ? trimmed.min(min, "must not be empty") : trimmed).max(max, `must be at most ${max} characters`);
};

/** API.md money: a decimal string, never a JSON number (a float could already have lost a cent). */
export const money = stringOf('a decimal string such as "140.00", not a number')
  .refine((s) => parseMoney(s) !== null, 'must be a non-negative amount with at most two decimals, at most 99999999.99')
  .transform((s) => parseMoney(s) ?? 0) // never 0 by fallback: the refine above has passed
  .openapi({ type: "string", pattern: MONEY_PATTERN.source, example: "27.99", description: "Decimal string; stored as integer cents" });

/** Money or null (a sale price that can be cleared). The type is restated: money's override would hide the null. */
export const nullableMoney = money.nullable().openapi({ type: ["string", "null"] });

// `new URL` quietly drops tabs and newlines, so they (and every other control character) are refused
// here rather than stored.
const isHttpUrl = (s: string) => {
  if (/\s/.test(s) || CONTROL_CHARACTER.test(s)) return false;
  try {
    const { protocol } = new URL(s);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
};

export const httpUrl = stringOf("a URL").trim().max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .refine(isHttpUrl, "must be an absolute http(s) URL")
  .openapi({ example: "https://img.example/1.jpg" });

export const stock = z.number({ error: (issue) => (issue.input === undefined ? "is required" : "must be a number") })
  .int("must be an integer").min(0, "must be at least 0").max(MAX_STOCK, `must be at most ${MAX_STOCK}`);

export const listOf = <T extends z.ZodType>(item: T) =>
  z.array(item, { error: "must be a list" }).max(MAX_LIST_ITEMS, `must have at most ${MAX_LIST_ITEMS} items`);
