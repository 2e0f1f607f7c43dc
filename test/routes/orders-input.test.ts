import { beforeAll, describe, expect, it } from "vitest";
import { seedCatalog } from "../support/fixtures";
import { orderCount, stockOf } from "../support/orders";
import { call } from "../support/request";

beforeAll(seedCatalog);

const post = (body: string, contentType = "application/json", headers: Record<string, string> = {}) =>
  call("/orders", { method: "POST", body, headers: { "Content-Type": contentType, ...headers } });

async function expectRejected(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.error).toBe(code);
  expect(body.request_id).toBe(res.headers.get("X-Request-Id"));
  expect(await stockOf(37)).toBe(8);
  expect(await orderCount()).toBe(0);
  return body;
}

const line = (sku_id: unknown, quantity: unknown) => ({ sku_id, quantity });
const badBodies: [string, unknown, string][] = [
  ["no items field", {}, "items"],
  ["an empty items list", { items: [] }, "items"],
  ["51 lines", { items: Array.from({ length: 51 }, (_, i) => line(1000 + i, 1)) }, "items"],
  ["quantity 0", { items: [line(37, 0)] }, "items.0.quantity"],
  ["a negative quantity", { items: [line(37, -1)] }, "items.0.quantity"],
  ["quantity 1001", { items: [line(37, 1001)] }, "items.0.quantity"],
  ["a fractional quantity", { items: [line(37, 1.5)] }, "items.0.quantity"],
  ["a quantity as a string", { items: [line(37, "2")] }, "items.0.quantity"],
  ["a huge sku id", { items: [line(1e308, 1)] }, "items.0.sku_id"],
  ["a SQL-looking sku id", { items: [line("37; DROP TABLE skus", 1)] }, "items.0.sku_id"],
  ["the same sku twice", { items: [line(37, 1), line(37, 2)] }, "items.1.sku_id"],
  ["a client-set price", { items: [{ sku_id: 37, quantity: 1, price: "0.01" }] }, "items.0.price"],
  ["an unknown top-level field", { items: [line(37, 1)], total: "1.00" }, "total"],
  ["items that aren't a list", { items: "37" }, "items"],
];

describe("POST /orders rejects bad input with nothing taken", () => {
  for (const [what, body, field] of badBodies) {
    it(`answers 400 VALIDATION_ERROR naming ${field} for ${what}`, async () => {
      const res = await post(JSON.stringify(body));
      const error = await expectRejected(res, 400, "VALIDATION_ERROR");
      expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });
  }

  it("answers 400 for malformed JSON", async () => {
    await expectRejected(await post('{"items": [{"sku_id": 37,'), 400, "VALIDATION_ERROR");
  });

  it("answers 400 for a JSON body that isn't an object", async () => {
    await expectRejected(await post("[1,2]"), 400, "VALIDATION_ERROR");
  });

  it("answers 415 for a body that isn't JSON", async () => {
    await expectRejected(await post("items=37", "application/x-www-form-urlencoded"), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers 415 when the Content-Type is missing", async () => {
    await expectRejected(await call("/orders", { method: "POST", body: new TextEncoder().encode("{}") }), 415, "UNSUPPORTED_MEDIA_TYPE");
  });

  it("answers 413 for a body over 64 KiB", async () => {
    const padded = JSON.stringify({ items: [line(37, 1)], pad: "x".repeat(70 * 1024) });
    await expectRejected(await post(padded), 413, "PAYLOAD_TOO_LARGE");
  });

  it("answers 400 for an Idempotency-Key that is too long", async () => {
    await expectRejected(await post(JSON.stringify({ items: [line(37, 1)] }), "application/json", { "Idempotency-Key": "k".repeat(256) }), 400, "VALIDATION_ERROR");
  });
});
