import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../middleware/app-env";
import { requireAdmin } from "../middleware/admin-auth";
import { jsonBody } from "../middleware/json-body";
import { rawJson } from "./raw-json";
import { throwOnInvalid } from "../middleware/validation";
import { ProductDetailSchema } from "../schemas/catalog";
import { ProductBody, ProductPatchBody } from "../schemas/catalog-writes";
import { errorResponse, productIdParams } from "../schemas/common";
import { createProduct, deleteProduct, replaceProduct, updateProduct } from "../services/catalog-writes";
import { ADMIN_SECURITY, adminErrors, bodyErrors, jsonContent, jsonRequest } from "./admin-responses";

type ProductDetail = z.infer<typeof ProductDetailSchema>;
const unknownProduct = { 404: errorResponse(["PRODUCT_NOT_FOUND"]) };

export const productsAdminRoutes = new OpenAPIHono<AppEnv>({ defaultHook: throwOnInvalid }).openapi(
  createRoute({
    method: "post", path: "/products", tags: ["Catalog admin"], summary: "Create a product with its features (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin(), jsonBody()] as const,
    request: jsonRequest(ProductBody),
    responses: { 201: jsonContent(ProductDetailSchema, "The product as GET /products/{product_id} shows it"), ...adminErrors, ...bodyErrors },
  }),
  async (c) => {
    const { id, body } = await createProduct(c.var.db, c.req.valid("json"));
    return rawJson<ProductDetail, 201>(c, body, 201, { Location: `/products/${id}` });
  },
).openapi(
  createRoute({
    method: "put", path: "/products/{product_id}", tags: ["Catalog admin"],
    summary: "Replace a product and its features; omitted optional fields reset to their defaults (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin(), jsonBody()] as const,
    request: { params: productIdParams, ...jsonRequest(ProductBody) },
    responses: { 200: jsonContent(ProductDetailSchema, "The product"), ...adminErrors, ...unknownProduct, ...bodyErrors },
  }),
  async (c) => {
    const body = await replaceProduct(c.var.db, c.req.valid("param").product_id, c.req.valid("json"));
    return rawJson<ProductDetail, 200>(c, body, 200);
  },
).openapi(
  createRoute({
    method: "patch", path: "/products/{product_id}", tags: ["Catalog admin"],
    summary: "Change some fields of a product; `features`, when given, replaces the list (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin(), jsonBody()] as const,
    request: { params: productIdParams, ...jsonRequest(ProductPatchBody) },
    responses: { 200: jsonContent(ProductDetailSchema, "The product"), ...adminErrors, ...unknownProduct, ...bodyErrors },
  }),
  async (c) => {
    const body = await updateProduct(c.var.db, c.req.valid("param").product_id, c.req.valid("json"));
    return rawJson<ProductDetail, 200>(c, body, 200);
  },
).openapi(
  createRoute({
    method: "delete", path: "/products/{product_id}", tags: ["Catalog admin"],
    summary: "Delete a product with its features, styles, photos, skus and related links; orders keep their lines (admin)",
    security: ADMIN_SECURITY, middleware: [requireAdmin()] as const,
    request: { params: productIdParams },
    responses: { 204: { description: "Deleted" }, ...adminErrors, ...unknownProduct },
  }),
  async (c) => {
    await deleteProduct(c.var.db, c.req.valid("param").product_id);
    return c.body(null, 204);
  },
);
