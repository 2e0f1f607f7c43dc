import { beforeAll, describe, expect, it } from "vitest";
import { catalogSnapshot } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { call } from "../support/request";

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
