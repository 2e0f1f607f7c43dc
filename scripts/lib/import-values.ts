// Field checks for the importer, one per kind of value, each answering the clean value or a Reject
// naming the field and the problem. Bounds are the admin API's (src/schemas/catalog-writes.ts), so an
// imported catalog holds nothing an admin could not have typed in; money goes through the same
// parseMoney as the API, so "140" and "140.50" mean what they mean there (14000 and 14050 cents).
import { parseMoney } from "../../src/lib/money";
import { CONTROL_CHARACTER, MAX_STOCK, MAX_URL_LENGTH, NO_CONTROL_CHARACTERS_BUT_TAB_OR_LINE_BREAK } from "../../src/schemas/limits";
import { NULL_WORD } from "./csv-format";

/** Stable codes for the report's summary; `reason` says what exactly was wrong with the row. */
export type RejectCode = "malformed_csv" | "field_count" | "bad_id" | "duplicate_id" | "parent_not_found"
  | "missing" | "empty_text" | "text_too_long" | "bad_price" | "bad_flag" | "bad_quantity" | "bad_url"
  | "related_zero" | "related_self" | "duplicate_link" | "control_character";
export class Reject {
  constructor(readonly code: RejectCode, readonly reason: string) {}
}

const shown = (s: string) => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
/** The export's word for "no value"; an empty field means the same. */
const isMissing = (s: string) => s === NULL_WORD || s === "";

export function id(s: string, name: string): number | Reject {
  if (isMissing(s)) return new Reject("bad_id", `${name} is missing`);
  const n = Number(s);
  // Number() alone would take "1e3", "0x10" or " 7"; the digit check keeps ids plain decimal.
  if (!Number.isSafeInteger(n) || n < 1 || !/^[1-9][0-9]*$/.test(s)) {
    return new Reject("bad_id", `${name} is not a positive integer: ${shown(s)}`);
  }
  return n;
}

export function price(s: string, name: string, nullable: boolean): number | null | Reject {
  if (isMissing(s)) return nullable ? null : new Reject("missing", `${name} is missing`);
  const cents = parseMoney(s);
  return cents ?? new Reject("bad_price", `${name} is not a price: ${shown(s)}`);
}

/** The first control character in `s` as U+XXXX, for a reject's reason. */
const controlIn = (s: string) => `U+${s.charCodeAt(s.search(CONTROL_CHARACTER)).toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Trimmed like the API trims; `null`/empty become null where allowed, else "" or a reject by `min`.
 * Control characters are refused as the API refuses them (src/schemas/limits.ts), tab and line breaks
 * allowed where `lineBreaks` (descriptions); checked after the trim, since CSV fields are trimmed first.
 */
export function text(s: string, name: string, min: number, max: number, nullable = false, lineBreaks = false): string | null | Reject {
  const t = s.trim();
  if (lineBreaks ? !NO_CONTROL_CHARACTERS_BUT_TAB_OR_LINE_BREAK.test(t) : CONTROL_CHARACTER.test(t)) {
    return new Reject("control_character", `${name} holds a control character (${controlIn(t)})${lineBreaks ? "; only tab and line breaks may" : ""}`);
  }
  if (t === NULL_WORD) {
    if (nullable) return null;
    if (min > 0) return new Reject("missing", `${name} is missing`);
    return "";
  }
  if (t.length < min) return new Reject("empty_text", `${name} is empty`);
  if (t.length > max) return new Reject("text_too_long", `${name} is longer than ${max} characters (${t.length})`);
  return t;
}

export function flag(s: string, name: string): number | Reject {
  if (s === "1" || s === "true") return 1;
  if (s === "0" || s === "false") return 0;
  return new Reject("bad_flag", `${name} is not 1/0: ${shown(s)}`);
}

export function quantity(s: string): number | Reject {
  if (!/^-?[0-9]{1,16}$/.test(s)) return new Reject("bad_quantity", `quantity is not an integer: ${shown(s)}`);
  const n = Number(s);
  if (n < 0) return new Reject("bad_quantity", `quantity is negative: ${n}`);
  if (n > MAX_STOCK) return new Reject("bad_quantity", `quantity is above ${MAX_STOCK}: ${n}`);
  return n;
}

// Nearly every URL matches this and is certainly a valid http(s) URL; parsing only the rest with
// new URL() (the API's own test) keeps 11M URL checks from costing a minute.
const PLAIN_HTTP_URL = /^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?(\/[A-Za-z0-9._~%!$&'()*+,;=:@/?#-]*)?$/;

export function url(s: string, name: string): string | Reject {
  const t = s.trim();
  if (isMissing(t)) return new Reject("missing", `${name} is missing`);
  if (t.length > MAX_URL_LENGTH) return new Reject("bad_url", `${name} is longer than ${MAX_URL_LENGTH} characters`);
  if (CONTROL_CHARACTER.test(t)) return new Reject("control_character", `${name} holds a control character (${controlIn(t)})`);
  if (PLAIN_HTTP_URL.test(t)) return t;
  try {
    const { protocol } = new URL(t);
    if (protocol === "http:" || protocol === "https:") return t;
  } catch { /* not a URL at all */ }
  return new Reject("bad_url", `${name} is not an http(s) URL: ${shown(t)}`);
}
