import { beforeAll, describe, expect, it } from "vitest";
import { catalogSnapshot, expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { ADMIN_TOKEN, call } from "../support/request";

beforeAll(seedCatalog);

// API.md: admin routes check the token before anything else, so without it a request learns nothing but
// 401 — not whether the id exists, nor whether its body would have been valid — and changes nothing.

const VALID_BODY: Record<string, unknown> = {
  "POST /products": { name: "Cap", category: "Hats", default_price: "10.00" },
  "PUT /products/:id": { name: "Cap", category: "Hats", default_price: "10.00" },
  "PATCH /products/:id": { name: "Cap" },
  "POST /products/:id/styles": { name: "Red", original_price: "10.00" },
  "PATCH /styles/:id": { name: "Red" },
  "PUT /products/:id/related": [2],
  "POST /skus/:id/stock": { delta: 1 },
};

const routes: { route: string; method: string; path: (id: string) => string }[] = [
  { route: "POST /products", method: "POST", path: () => "/products" },
  { route: "PUT /products/:id", method: "PUT", path: (id) => `/products/${id}` },
  { route: "PATCH /products/:id", method: "PATCH", path: (id) => `/products/${id}` },
  { route: "DELETE /products/:id", method: "DELETE", path: (id) => `/products/${id}` },
  { route: "POST /products/:id/styles", method: "POST", path: (id) => `/products/${id}/styles` },
  { route: "PATCH /styles/:id", method: "PATCH", path: (id) => `/styles/${id}` },
  { route: "DELETE /styles/:id", method: "DELETE", path: (id) => `/styles/${id}` },
  { route: "PUT /products/:id/related", method: "PUT", path: (id) => `/products/${id}/related` },
  { route: "POST /skus/:id/stock", method: "POST", path: () => "/skus/37/stock" },
];

type Case = { what: string; authorization?: string; id: string; body: (route: string) => string | undefined; contentType: string };
const validBody = (route: string) => (route in VALID_BODY ? JSON.stringify(VALID_BODY[route]) : undefined);
const cases: Case[] = [
  { what: "without a token", id: "1", body: validBody, contentType: "application/json" },
  { what: "with a wrong token", authorization: "Bearer not-the-token", id: "1", body: validBody, contentType: "application/json" },
  { what: "with the token in another scheme", authorization: "Basic test-admin-token", id: "1", body: validBody, contentType: "application/json" },
  { what: "for an unknown id", authorization: "Bearer wrong", id: "424242", body: validBody, contentType: "application/json" },
  { what: "for a malformed id", authorization: "Bearer wrong", id: "abc", body: validBody, contentType: "application/json" },
  { what: "for an invalid body", authorization: "Bearer wrong", id: "1", body: (r) => (r in VALID_BODY ? '{"bogus": true}' : undefined), contentType: "application/json" },
  { what: "for a non-JSON body", id: "1", body: (r) => (r in VALID_BODY ? "name=Cap" : undefined), contentType: "text/plain" },
  { what: "for a body over 64 KiB", id: "1", body: (r) => (r in VALID_BODY ? JSON.stringify({ name: "x".repeat(70_000) }) : undefined), contentType: "application/json" },
];

describe("every admin route answers 401 before anything else", () => {
  for (const { route, method, path } of routes) {
    for (const c of cases) {
      it(`answers 401 to ${route} ${c.what}, changing nothing`, async () => {
        const before = await catalogSnapshot();
        const headers: Record<string, string> = { "Content-Type": c.contentType };
        if (c.authorization) headers.Authorization = c.authorization;
        const body = c.body(route);
        const res = await call(path(c.id), { method, headers, ...(body === undefined ? {} : { body }) });
        expect(res.status).toBe(401);
        expect(res.headers.get("WWW-Authenticate")).toBe('Bearer realm="storefront-admin"');
        expect(await res.json()).toEqual({
          error: "UNAUTHORIZED", message: "A valid admin bearer token is required", request_id: res.headers.get("X-Request-Id"),
        });
        expect(await catalogSnapshot()).toEqual(before);
      });
    }
  }
});

describe("the token is checked before the X-D1-Bookmark header", () => {
  const adminPaths: [string, string][] = [
    ...routes.map(({ method, path }): [string, string] => [method, path("1")]),
    ["GET", "/orders"],
    ["DELETE", "/orders/ord_unknown"],
  ];
  for (const [method, path] of adminPaths) {
    it(`answers 401, not 400, to ${method} ${path} with a malformed bookmark and no token`, async () => {
      const res = await call(path, { method, headers: { "X-D1-Bookmark": "not a bookmark; drop table" } });
      await expectError(res, 401, "UNAUTHORIZED", "A valid admin bearer token is required");
    });
  }

  it("still answers 400 naming the header once the token is right", async () => {
    const res = await call("/products/1", { method: "DELETE", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "X-D1-Bookmark": "not a bookmark" } });
    await expectError(res, 400, "VALIDATION_ERROR", "Invalid X-D1-Bookmark header", [{ field: "X-D1-Bookmark", message: "is not a bookmark" }]);
    expect((await call("/products/1")).status).toBe(200);
  });
});

describe("the auth scheme is case-insensitive and followed by one or more spaces (RFC 9110 §11.1)", () => {
  for (const scheme of ["bearer", "BEARER", "Bearer"]) {
    it(`accepts "${scheme} <token>"`, async () => {
      const res = await call("/orders?limit=1", { headers: { Authorization: `${scheme} ${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ orders: [], next_cursor: null });
    });
  }

  for (const gap of ["  ", "     "]) {
    it(`accepts ${gap.length} spaces between the scheme and the token (RFC 9110: one or more)`, async () => {
      const res = await call("/orders?limit=1", { headers: { Authorization: `Bearer${gap}${ADMIN_TOKEN}` } });
      expect(res.status).toBe(200);
    });
  }

  it("still refuses a token under another scheme", async () => {
    const res = await call("/orders?limit=1", { headers: { Authorization: `Basic ${ADMIN_TOKEN}` } });
    await expectError(res, 401, "UNAUTHORIZED", "A valid admin bearer token is required");
  });
});
