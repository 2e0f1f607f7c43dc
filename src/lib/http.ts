// Small HTTP helpers shared by the routes: strong ETags, If-None-Match and If-Match matching.
import { sha256Hex } from "./sha256";

/** 128 bits of the body's SHA-256: a strong validator (same bytes, same tag). */
export async function strongEtag(body: string): Promise<string> {
  return `"${await sha256Hex(body, 16)}"`;
}

/** True when an If-None-Match header names this ETag (or is `*`): the client's copy is current. */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

// Catalog reads may be stored by browsers and CDNs but must be revalidated every time (a cheap 304),
// so a price change is never hidden behind a max-age.
export const CATALOG_CACHE_CONTROL = "public, max-age=0, must-revalidate";
export const PRIVATE_CACHE_CONTROL = "private, no-store";

/**
 * If-Match (RFC 9110 §13.1.1): `*` matches whatever is current; otherwise one of the listed entity tags
 * must be the current one by strong comparison (a weak tag never matches). `etag` undefined: the current
 * representation's tag is not known to be any the client could hold.
 */
export function ifMatchAccepts(ifMatch: string, etag: string | undefined): boolean {
  const tags = ifMatch.split(",").map((t) => t.trim());
  if (tags.includes("*")) return true;
  return etag !== undefined && tags.includes(etag);
}
