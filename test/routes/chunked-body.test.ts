import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { addSku } from "../support/orders";
import { ADMIN_TOKEN, call, settled } from "../support/request";

beforeAll(async () => {
  await seedCatalog();
  await addSku(250, 10);
});

/**
 * A body sent chunked (no Content-Length), in 16 KiB pieces, as a client streaming an upload does; `sent`
 * counts the bytes the Worker has taken. A native stream written here rather than a JS ReadableStream:
 * when the Worker stops reading, the write waiting here fails and is caught, where workerd's pump of a JS
 * stream would fail unobserved ("Uncaught (in promise) Error: Network connection lost").
 * The uploads the Worker stops reading go through `settled()` (the entry called in this isolate), not
 * `call()`: through the loopback, workerd's own pump into the aborted request body logs
 * "kj/async-io … read end of pipe was aborted" with a stack trace on every green run. In this isolate the
 * stream is handed over as is, so the Worker's cancel reaches this writer and nothing else.
 */
function chunked(text: string, piece = 16 * 1024, sent = { bytes: 0 }): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const { readable, writable } = new IdentityTransformStream();
  const writer = writable.getWriter();
  void (async () => {
    try {
      for (let at = 0; at < bytes.length; at += piece) {
        const chunk = bytes.slice(at, at + piece);
        await writer.write(chunk);
        sent.bytes += chunk.byteLength;
      }
      await writer.close();
    } catch {
      // The Worker stopped reading: how far it got is what the tests assert.
    }
  })();
  return readable;
}
const stockOf250 = () => env.DB.prepare("SELECT quantity FROM skus WHERE id = 250").first<number>("quantity");

const orderOf = (bytes: number) => JSON.stringify({ items: [{ sku_id: 250, quantity: 1 }], pad: "x".repeat(bytes) });
const TOO_LARGE = "Request body is larger than 65536 bytes";

describe("a chunked body is held to the same 64 KiB as one with Content-Length", () => {
  for (const size of [70_000, 1_000_000, 10_000_000]) {
    it(`answers POST /orders with a ${size.toLocaleString("en-US")}-byte chunked body 413 in the error shape, taking no stock`, async () => {
      // The Worker reads up to 1 MiB to its end and stops reading a bigger one (see chunked() on settled()).
      const send = size > 1024 * 1024 ? settled : call;
      const res = await send("/orders", { method: "POST", headers: { "Content-Type": "application/json" }, body: chunked(orderOf(size)), duplex: "half" } as RequestInit);
      expect(res.headers.get("X-Request-Id")).toBeTruthy();
      await expectError(res, 413, "PAYLOAD_TOO_LARGE", TOO_LARGE);
      expect(await stockOf250()).toBe(10);
    });
  }

  it("reads an over-limit upload of up to 1 MiB to its end before answering, so wrangler dev's proxy passes the 413 on", async () => {
    const sent = { bytes: 0 };
    const body = orderOf(1_000_000);
    const res = await call("/orders", { method: "POST", headers: { "Content-Type": "application/json" }, body: chunked(body, 16 * 1024, sent), duplex: "half" } as RequestInit);
    await expectError(res, 413, "PAYLOAD_TOO_LARGE", TOO_LARGE);
    expect(sent.bytes).toBe(new TextEncoder().encode(body).byteLength);
  });

  it("stops reading a bigger upload about 1 MiB in", async () => {
    const sent = { bytes: 0 };
    const res = await settled("/orders", { method: "POST", headers: { "Content-Type": "application/json" }, body: chunked(orderOf(10_000_000), 16 * 1024, sent), duplex: "half" } as RequestInit);
    await expectError(res, 413, "PAYLOAD_TOO_LARGE", TOO_LARGE);
    expect(sent.bytes).toBeGreaterThanOrEqual(1024 * 1024);
    expect(sent.bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it("answers an admin POST with a chunked body over 64 KiB 413 in the error shape", async () => {
    const body = chunked(JSON.stringify({ name: "x".repeat(70_000), category: "Hats", default_price: "1.00" }));
    const res = await call("/products", { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${ADMIN_TOKEN}` }, body, duplex: "half" } as RequestInit);
    await expectError(res, 413, "PAYLOAD_TOO_LARGE", TOO_LARGE);
  });

  it("reads a chunked body under the limit as usual", async () => {
    const res = await call("/orders", { method: "POST", headers: { "Content-Type": "application/json" }, body: chunked(JSON.stringify({ items: [{ sku_id: 250, quantity: 1 }] }), 8), duplex: "half" } as RequestInit);
    expect(res.status).toBe(201);
  });

  it("answers a body whose Content-Length is over the limit 413 without reading it", async () => {
    const body = orderOf(70_000);
    const res = await call("/orders", { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": String(body.length) }, body });
    await expectError(res, 413, "PAYLOAD_TOO_LARGE", TOO_LARGE);
  });
});
