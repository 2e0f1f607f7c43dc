import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { isAdminRoute, isPrivateRoute } from "../../src/middleware/route-access";

// The admin table is derived from the route declarations (createApp), so this checks the derivation
// against the registry the OpenAPI document is built from: every route that declares adminBearer is
// admin for its method and concrete path, and no other route is.
const routes = app.openAPIRegistry.definitions.flatMap((d) => (d.type === "route" ? [d.route] : []));
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, "7");

describe("which routes are admin", () => {
  it("treats exactly the eleven routes that declare admin security as admin", () => {
    const admin = routes.filter((r) => r.security?.length);
    expect(admin.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort()).toEqual([
      "DELETE /orders/{order_id}", "DELETE /products/{product_id}", "DELETE /styles/{style_id}", "GET /orders",
      "PATCH /products/{product_id}", "PATCH /styles/{style_id}", "POST /products", "POST /products/{product_id}/styles",
      "POST /skus/{sku_id}/stock", "PUT /products/{product_id}", "PUT /products/{product_id}/related",
    ]);
    for (const r of admin) expect(isAdminRoute(r.method, concrete(r.path)), `${r.method} ${r.path}`).toBe(true);
  });

  it("treats exactly the public routes as public", () => {
    const open = routes.filter((r) => !r.security?.length);
    expect(open.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort()).toEqual([
      "DELETE /carts/{cart_id}/items/{sku_id}", "GET /carts/{cart_id}", "GET /categories", "GET /health", "GET /orders/{order_id}", "GET /products", "GET /products/{product_id}",
      "GET /products/{product_id}/related", "GET /products/{product_id}/styles", "GET /search", "GET /search/suggest",
      "POST /carts", "POST /carts/{cart_id}/checkout", "POST /orders", "PUT /carts/{cart_id}/items/{sku_id}",
    ]);
    for (const r of open) expect(isAdminRoute(r.method, concrete(r.path)), `${r.method} ${r.path}`).toBe(false);
  });

  it("gives a trailing slash, an extra segment or another method no admin treatment", () => {
    expect(isAdminRoute("DELETE", "/products/7/")).toBe(false);
    expect(isAdminRoute("DELETE", "/products/7/styles")).toBe(false);
    expect(isAdminRoute("GET", "/products/7")).toBe(false);
    expect(isAdminRoute("delete", "/products/7")).toBe(true);
  });

  it("keeps every order answer private, admin or not", () => {
    expect(isPrivateRoute("GET", "/orders/ord_x")).toBe(true);
    expect(isPrivateRoute("POST", "/orders")).toBe(true);
    expect(isPrivateRoute("GET", "/products/7")).toBe(false);
  });
});
