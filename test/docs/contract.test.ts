import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { contractViolation } from "../support/contract";
import { CAMO_PRODUCT_BODY, CAMO_STYLES_BODY, seedCatalog } from "../support/fixtures";
import { BASE, call, callWith } from "../support/request";

// The contract check that call()/callWith() run on every answer (test/support/contract.ts): it passes
// the Worker's real answers and catches each kind of drift a handler could make.

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json; charset=UTF-8" } });
const check = (method: string, path: string, res: Response) => contractViolation(method, `${BASE}${path}`, res);
const { slogan: _slogan, ...productWithoutSlogan } = CAMO_PRODUCT_BODY;
const error = { error: "PRODUCT_NOT_FOUND", message: "Product 9 does not exist", request_id: "r-1" };

beforeAll(seedCatalog);

describe("the contract check", () => {
  it("passes the Worker's real answers, errors and 304s included", async () => {
    for (const path of ["/products/1", "/products/1/styles", "/products/1/related", "/products?count=2", "/products/424242", "/nope"]) {
      const res = await fetchRaw(path);
      expect(await check("GET", path, res), path).toBeNull();
    }
    const etag = (await fetchRaw("/products/1")).headers.get("ETag")!;
    const notModified = await fetchRaw("/products/1", { headers: { "If-None-Match": etag } });
    expect(notModified.status).toBe(304);
    expect(await check("GET", "/products/1", notModified)).toBeNull();
  });

  it("fails a body missing a declared field", async () => {
    expect(await check("GET", "/products/1", json(productWithoutSlogan))).toMatch(/body does not match.*\n.*slogan/);
  });

  it("fails a body with a field the schema doesn't declare (a renamed or extra field)", async () => {
    expect(await check("GET", "/products/1", json({ ...CAMO_PRODUCT_BODY, tagline: "x" }))).toMatch(/#\/tagline: is not a field the schema declares/);
  });

  it("fails a field of the wrong type deep inside a body", async () => {
    const styles = structuredClone(CAMO_STYLES_BODY) as { results: { skus: Record<string, { quantity: unknown }> }[] };
    styles.results[0]!.skus["37"]!.quantity = "8";
    expect(await check("GET", "/products/1/styles", json(styles))).toMatch(/\/results\/0\/skus\/37\/quantity/);
  });

  it("fails a status the operation doesn't declare", async () => {
    expect(await check("GET", "/products/1", json(error, 418))).toMatch(/status 418 is not declared \(declared: 200, 304, 400, 404, 503\)/);
  });

  it("fails an error answer that isn't the Error shape, or whose code belongs to another status", async () => {
    expect(await check("GET", "/products/1", json({ error: "PRODUCT_NOT_FOUND" }, 404))).toMatch(/message/);
    expect(await check("GET", "/products/1", json({ ...error, error: "UNAVAILABLE" }, 404))).toMatch(/UNAVAILABLE belongs to status 503, not 404/);
    expect(await check("GET", "/products/1", json({ ...error, error: "GONE" }, 404))).toMatch(/GONE is not one of API.md's codes/);
  });

  it("fails a body where the operation declares none, and an answer that isn't JSON", async () => {
    // (workerd itself refuses a body on 204/304, so the forged drift is a 200 where 204 is declared.)
    expect(await check("DELETE", "/products/1", json({ deleted: true }))).toMatch(/status 200 is not declared \(declared: 204,/);
    expect(await check("GET", "/products/1", new Response("<html>", { headers: { "Content-Type": "text/html" } }))).toMatch(/not application\/json/);
  });

  it("holds unrouted requests to 404 NOT_FOUND and 405 METHOD_NOT_ALLOWED in the Error shape", async () => {
    expect(await check("GET", "/nope", json(CAMO_PRODUCT_BODY))).toMatch(/no path of the spec matches \/nope, so the answer must be 404/);
    expect(await check("PUT", "/orders", json(error, 404))).toMatch(/PUT is not declared on \/orders, so the answer must be 405/);
    const notAllowed = { ...error, error: "METHOD_NOT_ALLOWED" };
    expect(await check("PUT", "/orders", json(notAllowed, 405))).toBeNull();
    expect(await check("GET", "/nope", json({ ...error, error: "PRODUCT_NOT_FOUND" }, 404))).toMatch(/error code must be NOT_FOUND, not PRODUCT_NOT_FOUND/);
  });

  it("runs inside callWith(): a served body that lost a field fails the request that got it", async () => {
    // A database whose statement answers a drifted body: the read route serves it verbatim.
    const drifted = { ...env.DB, withSession: () => ({
      prepare: () => ({ bind: () => ({ first: async () => ({ body: JSON.stringify(productWithoutSlogan) }) }) }),
      getBookmark: () => null,
    }) } as unknown as D1Database;
    await expect(callWith({ DB: drifted }, "/products/1")).rejects.toThrow(/^Contract: GET \/products\/1 answered 200, which breaks \/openapi.json: body does not match/);
  });
});

/** The Worker's answer without the contract check, so the check can be called on it directly. */
function fetchRaw(path: string, init?: RequestInit): Promise<Response> {
  return exports.default.fetch(new Request(`${BASE}${path}`, init));
}
