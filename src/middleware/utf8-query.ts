import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
import { AppError } from "../lib/errors";

const BROKEN = "must be percent-encoded UTF-8 (this holds an unpaired surrogate or bytes that are not UTF-8)";

/** Every run of %XX escapes in a raw query value decodes as UTF-8; a `%` that starts no escape is a literal. */
function decodesAsUtf8(raw: string): boolean {
  return (raw.match(/(?:%[0-9A-Fa-f]{2})+/g) ?? []).every((run) => {
    try {
      decodeURIComponent(run);
      return true;
    } catch {
      return false; // URIError: a lone surrogate (%ED%A0%80) or bytes that are no UTF-8 at all (%FF)
    }
  });
}

/**
 * API.md: text holding an unpaired UTF-16 surrogate is 400, not silently altered. Hono decodes what it
 * can of a query value and leaves a broken escape as literal text, so `q=%ED%A0%80` would be searched as
 * the words "ED", "A0" and "80"; these text parameters are checked in their raw form first, and such a value is 400
 * naming the parameter. (Search text never errors on what a shopper types: a browser encodes any
 * typed text as UTF-8, so only a hand-made URL gets here.)
 */
export function utf8Query(...names: string[]): MiddlewareHandler<AppEnv> {
  return async function utf8QueryMiddleware(c, next) {
    const url = c.req.url;
    const start = url.indexOf("?");
    if (start !== -1) {
      for (const pair of url.slice(start + 1).split("&")) {
        const at = pair.indexOf("=");
        const name = at === -1 ? pair : pair.slice(0, at);
        if (at !== -1 && names.includes(name) && !decodesAsUtf8(pair.slice(at + 1))) {
          throw new AppError("VALIDATION_ERROR", `Invalid query: ${name}`, [{ field: name, message: BROKEN }]);
        }
      }
    }
    await next();
  };
}
