import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../middleware/app-env";
import { requireAdmin } from "../middleware/admin-auth";
import { jsonBody } from "../middleware/json-body";
import { rawJson } from "./raw-json";
import { throwOnInvalid } from "../middleware/validation";
import { StyleSchema } from "../schemas/catalog";
import { StyleBody, StyleIdParams, StylePatchBody } from "../schemas/catalog-writes";
import { errorResponse, productIdParams } from "../schemas/common";
import { createStyle, deleteStyle, updateStyle } from "../services/style-writes";
import { ADMIN_SECURITY, adminErrors, bodyErrors, jsonContent, jsonRequest } from "./admin-responses";

type Style = z.infer<typeof StyleSchema>;
const unknownStyle = { 404: errorResponse(["STYLE_NOT_FOUND"]) };

export const stylesAdminRoutes = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid }).openapi(
  createRoute({
    method: "post", path: "/products/{product_id}/styles", tags: ["Catalog admin"],
    summary: "Add a style with its photos and skus; a default style takes the flag from the others (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin(), jsonBody()] as const,
    request: { params: productIdParams, ...jsonRequest(StyleBody) },
    responses: {
      201: jsonContent(StyleSchema, "The style as it appears in the styles payload's results"),
      ...adminErrors, 404: errorResponse(["PRODUCT_NOT_FOUND"]), ...bodyErrors,
    },
  }),
  async (c) => {
    const { product_id } = c.req.valid("param");
    const body = await createStyle(c.var.db, product_id, c.req.valid("json"));
    return rawJson<Style, 201>(c, body, 201, { Location: `/products/${product_id}/styles` });
  },
).openapi(
  createRoute({
    method: "patch", path: "/styles/{style_id}", tags: ["Catalog admin"],
    summary: "Change some fields of a style; `photos` and `skus`, when given, are its new lists (admin)",
    description: 'In `skus`, `{"sku_id": 37}` keeps an existing sku untouched and `{"size", "quantity"}` adds one; ' +
      "skus left out are deleted. Stock of an existing sku changes only through POST /skus/{sku_id}/stock.",
    security: ADMIN_SECURITY, middleware: [requireAdmin(), jsonBody()] as const,
    request: { params: StyleIdParams, ...jsonRequest(StylePatchBody) },
    responses: { 200: jsonContent(StyleSchema, "The style"), ...adminErrors, ...unknownStyle, ...bodyErrors },
  }),
  async (c) => {
    const body = await updateStyle(c.var.db, c.req.valid("param").style_id, c.req.valid("json"));
    return rawJson<Style, 200>(c, body, 200);
  },
).openapi(
  createRoute({
    method: "delete", path: "/styles/{style_id}", tags: ["Catalog admin"], summary: "Delete a style with its photos and skus (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin()] as const,
    request: { params: StyleIdParams },
    responses: { 204: { description: "Deleted" }, ...adminErrors, ...unknownStyle },
  }),
  async (c) => {
    await deleteStyle(c.var.db, c.req.valid("param").style_id);
    return c.body(null, 204);
  },
);
