import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../middleware/app-env";
import { AppError, productNotFound } from "../lib/errors";
import { sendPayload } from "./send-payload";
import { throwOnInvalid } from "../middleware/validation";
import { catalogJson, boundedIntString, errorResponse, positiveIntString, productIdParams, unavailableResponse, notModifiedResponse } from "../schemas/common";
import { ProductDetailSchema, ProductListSchema, RelatedSchema, StylesSchema } from "../schemas/catalog";
import { listProductsPage, productBody, relatedBody, stylesBody } from "../services/catalog-reads";
import { readCacheKeys } from "../cache/keys";
import { readCached, readDirect } from "./read-payload";

const json = catalogJson;
const notModified = notModifiedResponse;
const badRequest = errorResponse(["VALIDATION_ERROR"], "VALIDATION_ERROR: invalid id or query parameter");
const unknownProduct = errorResponse(["PRODUCT_NOT_FOUND"]);

// OFFSET makes the one database walk every skipped row (~195 ms of D1 time at row 1M), so no anonymous
// client may ask for a page that starts this deep: `after` reaches any depth at the cost of the first page.
const MAX_OFFSET_ROWS = 10_000;
const offsetTooDeep = () => new AppError("VALIDATION_ERROR",
  `A page may start at most ${MAX_OFFSET_ROWS - 1} rows in ((page - 1) × count < ${MAX_OFFSET_ROWS}); page deeper with ?after=<last id of the previous page>, as the Link header of each page does`,
  [{ field: "page", message: `(page - 1) × count must be below ${MAX_OFFSET_ROWS}; use after` }]);

const nextLink = {
  Link: { description: 'On a full page (there may be more): `</products?after=<last id>&count=<count>>; rel="next"`', schema: { type: "string" as const } },
};

const listQuery = z.object({
  page: boundedIntString("Page number (offset paging, only while (page - 1) × count < 10000; deeper pages use `after`)", Number.MAX_SAFE_INTEGER, 1)
    .openapi({ param: { name: "page", in: "query" } }),
  count: boundedIntString("Products per page, 1..100", 100, 5).openapi({ param: { name: "count", in: "query" } }),
  after: positiveIntString("Keyset paging: the last id of the previous page").optional()
    .openapi({ param: { name: "after", in: "query" } }),
});

export const productsReadRoutes = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid }).openapi(
  createRoute({
    method: "get", path: "/products", tags: ["Catalog"], summary: "List products by id",
    request: { query: listQuery },
    responses: {
      200: { ...json(ProductListSchema, "A page of products"), headers: { ...json(ProductListSchema, "").headers, ...nextLink } },
      304: notModified,
      400: errorResponse(["VALIDATION_ERROR"], "VALIDATION_ERROR: a non-integer or out-of-range query value, page with after, or a page starting 10,000 or more rows in (use after)"),
      503: unavailableResponse,
    },
  }),
  async (c) => {
    const { page, count, after } = c.req.valid("query");
    if (after !== undefined && c.req.query("page") !== undefined) {
      throw new AppError("VALIDATION_ERROR", "Use either page or after, not both", [{ field: "page", message: "not allowed with after" }]);
    }
    if (after === undefined && (page - 1) * count >= MAX_OFFSET_ROWS) throw offsetTooDeep();
    const query = after !== undefined ? { after, count } : { page, count };
    let nextAfter: number | null = null;
    const payload = await readDirect(async () => {
      const list = await listProductsPage(c.var.db, query);
      nextAfter = list.nextAfter;
      return list.body;
    });
    if (nextAfter !== null) c.header("Link", `</products?after=${nextAfter}&count=${count}>; rel="next"`);
    return sendPayload(c, payload!);
  },
).openapi(
  createRoute({
    method: "get", path: "/products/{product_id}", tags: ["Catalog"], summary: "A product with its features",
    request: { params: productIdParams },
    responses: { 200: json(ProductDetailSchema, "The product"), 304: notModified, 400: badRequest, 404: unknownProduct, 503: unavailableResponse },
  }),
  async (c) => {
    const { product_id } = c.req.valid("param");
    const payload = await readCached(c, readCacheKeys.product(product_id), (db) => productBody(db, product_id));
    if (!payload) throw productNotFound(product_id);
    return sendPayload(c, payload);
  },
).openapi(
  createRoute({
    method: "get", path: "/products/{product_id}/styles", tags: ["Catalog"], summary: "A product's styles with photos and skus",
    request: { params: productIdParams },
    responses: { 200: json(StylesSchema, "The styles"), 304: notModified, 400: badRequest, 404: unknownProduct, 503: unavailableResponse },
  }),
  async (c) => {
    const { product_id } = c.req.valid("param");
    const payload = await readCached(c, readCacheKeys.styles(product_id), (db) => stylesBody(db, product_id));
    if (!payload) throw productNotFound(product_id);
    return sendPayload(c, payload);
  },
).openapi(
  createRoute({
    method: "get", path: "/products/{product_id}/related", tags: ["Catalog"], summary: "Ids of related products",
    request: { params: productIdParams },
    responses: { 200: json(RelatedSchema, "Related product ids"), 304: notModified, 400: badRequest, 404: unknownProduct, 503: unavailableResponse },
  }),
  async (c) => {
    const { product_id } = c.req.valid("param");
    const payload = await readCached(c, readCacheKeys.related(product_id), (db) => relatedBody(db, product_id));
    if (!payload) throw productNotFound(product_id);
    return sendPayload(c, payload);
  },
);
