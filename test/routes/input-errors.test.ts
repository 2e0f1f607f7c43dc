import { describe, expect, it } from "vitest";
import { call } from "../support/request";

async function expectError(path: string, status: number, code: string, init?: RequestInit) {
  const res = await call(path, init);
  expect(res.status).toBe(status);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.error).toBe(code);
  expect(typeof body.message).toBe("string");
  expect(body.request_id).toBe(res.headers.get("X-Request-Id"));
  return body;
}

describe("bad ids and query values answer 400 VALIDATION_ERROR", () => {
  const badIds = ["0", "-1", "1.5", "abc", "01", "1e3", "9007199254740992", "99999999999999999999", "%20%31", "1;DROP%20TABLE%20products"];
  for (const id of badIds) {
    it(`rejects product id ${JSON.stringify(id)}`, async () => {
      const body = await expectError(`/products/${id}/styles`, 400, "VALIDATION_ERROR");
      expect(body.details).toEqual([expect.objectContaining({ field: "product_id" })]);
    });
  }

  it("accepts the largest safe integer as an id (and answers 404 for it)", async () => {
    await expectError("/products/9007199254740991", 404, "PRODUCT_NOT_FOUND");
  });

  const badQueries = ["page=0", "page=-2", "page=x", "count=0", "count=101", "count=5.5", "after=0", "after=abc", "count=1&count=2", "page=1&page=2", "page=1&after=3"];
  for (const query of badQueries) {
    it(`rejects /products?${query}`, async () => {
      await expectError(`/products?${query}`, 400, "VALIDATION_ERROR");
    });
  }
});

describe("unknown routes and methods", () => {
  it("answers 404 NOT_FOUND in the error shape for an unknown path", async () => {
    await expectError("/nope", 404, "NOT_FOUND");
  });

  it("answers 405 METHOD_NOT_ALLOWED with Allow for a known path", async () => {
    const res = await call("/health", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("GET");
    expect(((await res.json()) as { error: string }).error).toBe("METHOD_NOT_ALLOWED");
  });
});

describe("methods workerd delivers to the Worker", () => {
  // CONNECT and methods workerd doesn't know never reach the Worker (docs/faults.md); these all do.
  for (const method of ["TRACE", "PROPFIND", "PURGE", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH", "ACL", "QUERY"]) {
    it(`answers every method workerd delivers in the error shape: ${method} /health is 405, ${method} /nope is 404`, async () => {
      const known = await call("/health", { method });
      expect(known.headers.get("Allow")).toBe("GET");
      expect(known.headers.get("Content-Type")).toMatch(/^application\/json/);
      expect(await known.json()).toEqual({ error: "METHOD_NOT_ALLOWED", message: `${method} is not allowed on /health`, request_id: known.headers.get("X-Request-Id") });
      expect(known.status).toBe(405);
      await expectError("/nope", 404, "NOT_FOUND", { method });
    });
  }
});

describe("request ids", () => {
  it("echoes a sane client request id", async () => {
    for (const sent of ["shop-abc.123", "svc:web.1234", "a".repeat(128)]) {
      const res = await call("/health", { headers: { "X-Request-Id": sent } });
      expect(res.headers.get("X-Request-Id")).toBe(sent);
    }
  });

  it("replaces a client request id longer than 128 characters", async () => {
    const res = await call("/health", { headers: { "X-Request-Id": "a".repeat(129) } });
    expect(res.headers.get("X-Request-Id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("replaces an unsafe client request id with its own", async () => {
    const res = await call("/nope", { headers: { "X-Request-Id": "bad id <script>" } });
    const id = res.headers.get("X-Request-Id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { request_id: string }).request_id).toBe(id);
  });
});

describe("GET /openapi.json", () => {
  it("describes every read route", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    const spec = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(spec.openapi).toBe("3.1.0");
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining([
      "/health", "/products", "/products/{product_id}", "/products/{product_id}/styles", "/products/{product_id}/related",
    ]));
  });
});
