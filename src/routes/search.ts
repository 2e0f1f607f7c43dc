import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../middleware/app-env";
import { AppError } from "../lib/errors";
import { sendPayload } from "./send-payload";
import { limitPerAddress } from "../middleware/rate-limit";
import { utf8Query } from "../middleware/utf8-query";
import { throwOnInvalid } from "../middleware/validation";
import { catalogJson, errorResponse, notModifiedResponse, rateLimitedResponse, unavailableResponse } from "../schemas/common";
import { CategoriesSchema, SearchPageSchema, SearchQuerySchema, SuggestionsSchema, SuggestQuerySchema } from "../schemas/search";
import { readCacheKeys } from "../cache/keys";
import { readCached, readDirect } from "./read-payload";
import { categoriesBody, searchBody, suggestBody } from "../services/search-reads";

const json = catalogJson;
const notModified = notModifiedResponse;

const hasFilter = (q: z.infer<typeof SearchQuerySchema>) =>
  q.category !== undefined || q.min_price !== undefined || q.max_price !== undefined || q.in_stock !== undefined;

export const searchRoutes = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid }).openapi(
  createRoute({
    method: "get", path: "/search", tags: ["Search"], summary: "Find products by words and filters",
    description: "With words in `q`: every product whose name holds them all first, then the other matches, each tier ranked by the columns matched (name, then category, then slogan; ties by id); else by id. Each page weighs a bounded window of 500 candidates of its tier (docs/decisions/search.md), so a page may be short and still carry a `next_cursor`: follow it until null. A cursor is refused (400) by any search but the one that answered it (`limit` may change).",
    // A ranked search costs D1 up to a few ms of the one query it runs at a time (a product read costs a
    // tenth of one), so one address gets a budget of its own: docs/decisions/search.md, "Rate limit".
    middleware: [limitPerAddress("SEARCH_RATE_LIMITER", "searches"), utf8Query("q", "category")] as const,
    request: { query: SearchQuerySchema },
    responses: {
      200: json(SearchPageSchema, "A page of matching products"), 304: notModified,
      400: errorResponse(["VALIDATION_ERROR"], "VALIDATION_ERROR: neither q nor a filter, a malformed parameter, text whose percent-encoding is not UTF-8, or a cursor of another search"),
      429: rateLimitedResponse("searches"), 503: unavailableResponse,
    },
  }),
  async (c) => {
    const query = c.req.valid("query");
    if ((query.q ?? "").trim() === "" && !hasFilter(query)) {
      throw new AppError("VALIDATION_ERROR", "Invalid query: q", [{ field: "q", message: "give words to find, or a category, price or stock filter" }]);
    }
    if (query.min_price !== undefined && query.max_price !== undefined && query.min_price > query.max_price) {
      throw new AppError("VALIDATION_ERROR", "Invalid query: min_price", [{ field: "min_price", message: "must not be above max_price" }]);
    }
    const payload = await readDirect(() => searchBody(c.var.db, query));
    return sendPayload(c, payload!);
  },
).openapi(
  createRoute({
    method: "get", path: "/search/suggest", tags: ["Search"], summary: "Typeahead: product names for what has been typed",
    description: "At most 10 products whose name holds the words typed, the last one as a prefix, in product id order (oldest first; no ranking, so it is cheap enough for every keystroke). Under 3 characters answers `[]`.",
    middleware: [utf8Query("q")] as const,
    request: { query: SuggestQuerySchema },
    responses: { 200: json(SuggestionsSchema, "Up to 10 suggestions"), 304: notModified, 400: errorResponse(["VALIDATION_ERROR"]), 503: unavailableResponse },
  }),
  async (c) => {
    const { q } = c.req.valid("query");
    const payload = await readDirect(() => suggestBody(c.var.db, q));
    return sendPayload(c, payload!);
  },
).openapi(
  createRoute({
    method: "get", path: "/categories", tags: ["Search"], summary: "Every category with its product count",
    description: "Counts kept current by every catalog write. Browse one with `GET /search?category=…`.",
    responses: { 200: json(CategoriesSchema, "Categories by name"), 304: notModified, 503: unavailableResponse },
  }),
  async (c) => {
    const payload = await readCached(c, readCacheKeys.categories(), (db) => categoriesBody(db));
    return sendPayload(c, payload!);
  },
);
