import { describe, expect, it } from "vitest";
import { call, callWith } from "../support/request";

const SHOP = "https://shop.example";
const preflight = (path: string, method: string, origin = SHOP) =>
  ({ method: "OPTIONS", headers: { Origin: origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "content-type, idempotency-key" } });

describe("CORS for public routes", () => {
  it("answers a preflight for POST /orders with 204, the methods, the headers (Idempotency-Key too) and a max-age", async () => {
    const res = await call("/orders", preflight("/orders", "POST"));
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Allow-Methods")).toBe("POST");
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Idempotency-Key");
    expect(res.headers.get("Access-Control-Max-Age")).toBe("600");
  });

  it("allows only what the path's public routes accept: their methods, and never Authorization", async () => {
    for (const [path, methods] of [["/products/1", "GET,HEAD"], ["/orders/ord_abc", "GET,HEAD"], ["/search", "GET,HEAD"]] as const) {
      const res = await call(path, preflight(path, "GET"));
      expect(res.status, path).toBe(204);
      expect(res.headers.get("Access-Control-Allow-Methods"), path).toBe(methods);
      expect(res.headers.get("Access-Control-Allow-Headers"), path).toBe("Content-Type,Idempotency-Key,If-Match,If-None-Match,X-Request-Id,X-D1-Bookmark");
    }
  });

  it("lets a shop's checkout send If-Match (the cart's ETag) and Idempotency-Key from a browser", async () => {
    const path = "/carts/cart_abc/checkout";
    const res = await call(path, preflight(path, "POST"));
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Methods")).toBe("POST");
    expect(res.headers.get("Access-Control-Allow-Headers")?.split(",")).toEqual(expect.arrayContaining(["If-Match", "Idempotency-Key"]));
  });

  it("answers OPTIONS on a path that is no route 404 NOT_FOUND, preflight or not, like every method", async () => {
    for (const path of ["/nonexistent", "/products/1/", "/orders/"]) {
      for (const init of [preflight(path, "GET"), { method: "OPTIONS" }]) {
        const res = await call(path, init);
        expect(res.status, path).toBe(404);
        expect(await res.json(), path).toEqual({ error: "NOT_FOUND", message: `No route for OPTIONS ${path}`, request_id: res.headers.get("X-Request-Id") });
        expect(res.headers.get("Access-Control-Allow-Methods"), path).toBeNull();
      }
    }
  });

  it("exposes the headers a shop front end reads", async () => {
    const res = await call("/health", { headers: { Origin: SHOP } });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Access-Control-Expose-Headers")?.split(",")).toEqual(
      ["ETag", "Server-Timing", "X-Request-Id", "Idempotent-Replayed", "Idempotency-Key", "Location", "X-D1-Bookmark", "Retry-After", "Link"]);
  });

  it("echoes only a listed origin when ALLOWED_ORIGINS is a list", async () => {
    const listed = { ALLOWED_ORIGINS: "https://a.example, https://shop.example" };
    expect((await callWith(listed, "/health", { headers: { Origin: SHOP } })).headers.get("Access-Control-Allow-Origin")).toBe(SHOP);
    expect((await callWith(listed, "/health", { headers: { Origin: "https://evil.example" } })).headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("sends Vary: Origin only when the answer depends on the origin", async () => {
    expect((await call("/health", { headers: { Origin: SHOP } })).headers.get("Vary")).toBeNull();
    const listed = await callWith({ ALLOWED_ORIGINS: SHOP }, "/health", { headers: { Origin: SHOP } });
    expect(listed.headers.get("Vary")).toBe("Origin");
  });

  it("puts the CORS headers on error answers too, so a browser can read the error", async () => {
    for (const [path, status] of [["/products/424242", 404], ["/products/0", 400], ["/nope", 404]] as const) {
      const res = await call(path, { headers: { Origin: SHOP } });
      expect(res.status).toBe(status);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(res.headers.get("Access-Control-Expose-Headers")).toContain("X-Request-Id");
    }
  });
});

describe("CORS for admin routes", () => {
  it("sends no CORS headers at all to an origin not in ADMIN_ORIGINS, preflight or not", async () => {
    const pre = await call("/products/1", preflight("/products/1", "PATCH"));
    expect(pre.status).toBe(204);
    expect([...pre.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
    const list = await call("/orders", { headers: { Origin: SHOP } });
    expect([...list.headers.keys()].filter((h) => h.startsWith("access-control-"))).toEqual([]);
  });

  it("answers a listed admin origin by name, never with *", async () => {
    const admin = { ADMIN_ORIGINS: "https://admin.example" };
    const res = await callWith(admin, "/products/1", preflight("/products/1", "DELETE", "https://admin.example"));
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("https://admin.example");
    expect(res.headers.get("Access-Control-Allow-Methods")).toContain("DELETE");
    expect(res.headers.get("Access-Control-Allow-Headers")).toContain("Authorization");
    const star = await callWith({ ADMIN_ORIGINS: "*" }, "/products/1", preflight("/products/1", "DELETE"));
    expect(star.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("headers on every response", () => {
  it("sends nosniff on successes and errors alike", async () => {
    for (const res of [await call("/health"), await call("/nope"), await call("/products/0")]) {
      expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    }
  });

  it("marks order and admin answers private, errors included", async () => {
    for (const res of [await call("/orders/ord_missing"), await call("/orders"), await call("/products/1", { method: "DELETE" })]) {
      expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    }
    expect((await call("/health")).headers.get("Cache-Control")).toBeNull();
  });
});
