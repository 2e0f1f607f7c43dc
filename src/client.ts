import { hc } from "hono/client";
import type { AppType } from "./app";

// The typed client a front end uses: Hono's hc over the app's own route declarations, with one addition
// the contract asks for (docs/api.md, "Catalog writes"): it remembers the newest X-D1-Bookmark any answer
// carried and sends it with every request, so a shopper who placed an order, or an admin who edited a
// product, reads it back at once in any location. Not part of the Worker: nothing in src/ imports it.
// `npm run build:client` ships this file, compiled, as @storefront/client.

const BOOKMARK = "X-D1-Bookmark";

/** A fetch that sends the newest bookmark it has seen (bookmarks sort oldest to newest) and keeps newer ones. */
export function bookmarkingFetch(inner: typeof fetch = (input, init) => fetch(input, init)): typeof fetch & { bookmark(): string | null } {
  let newest: string | null = null;
  const wrapped = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    if (newest !== null && !req.headers.has(BOOKMARK)) req.headers.set(BOOKMARK, newest);
    const res = await inner(req);
    const seen = res.headers.get(BOOKMARK);
    if (seen !== null && (newest === null || seen > newest)) newest = seen;
    return res;
  };
  return Object.assign(wrapped as typeof fetch, { bookmark: () => newest });
}

export interface ClientOptions {
  fetch?: typeof fetch;
  /** Send the newest bookmark seen (default true); false for a client that never needs its own writes back. */
  bookmarks?: boolean;
  headers?: Record<string, string>;
}

/** A client for the Storefront API at baseUrl (e.g. "https://shop-api.example.com"). */
export function createClient(baseUrl: string, options: ClientOptions = {}) {
  const inner = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return hc<AppType>(baseUrl, {
    fetch: options.bookmarks === false ? inner : bookmarkingFetch(inner),
    ...(options.headers ? { headers: options.headers } : {}),
  });
}
