import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { ADMIN_TOKEN, call } from "../support/request";

beforeAll(seedCatalog);

// API.md: a path with a trailing slash is not a route: 404 NOT_FOUND for every method, with or without
// a token, never a 405 (whose Allow would name a method that doesn't work there either) and no redirect.
const cases: [string, string][] = [
  ["GET", "/products/1/"],
  ["GET", "/docs/"],
  ["GET", "/health/"],
  ["GET", "/products/"],
  ["DELETE", "/products/1/"],
  ["PATCH", "/styles/1/"],
  ["POST", "/skus/37/stock/"],
  ["GET", "/orders/"],
  ["OPTIONS", "/products/1/"],
];

describe("a path with a trailing slash is no route", () => {
  for (const [method, path] of cases) {
    for (const token of [null, ADMIN_TOKEN]) {
      it(`answers 404 NOT_FOUND to ${method} ${path} ${token ? "with" : "without"} the admin token`, async () => {
        const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
        const res = await call(path, { method, headers });
        expect(res.headers.get("Allow")).toBeNull();
        expect(res.headers.get("Location")).toBeNull();
        await expectError(res, 404, "NOT_FOUND", `No route for ${method} ${path}`);
      });
    }
  }

  it("gives an admin path with a trailing slash no admin CORS treatment: it is an unknown public path", async () => {
    const res = await call("/products/1/", { method: "DELETE", headers: { Origin: "https://shop.example" } });
    expect(res.status).toBe(404);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});
