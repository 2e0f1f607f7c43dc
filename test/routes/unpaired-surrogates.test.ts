import { beforeAll, describe, expect, it } from "vitest";
import { admin, catalogSnapshot, expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { ADMIN_TOKEN, call } from "../support/request";

beforeAll(seedCatalog);

const product = (fields: Record<string, unknown>) => ({ name: "Cap", category: "Hats", default_price: "10.00", ...fields });
const SURROGATE = "must not hold an unpaired UTF-16 surrogate";

// API.md: text holding an unpaired UTF-16 surrogate is 400, not silently altered (D1 would store U+FFFD).
describe("text with an unpaired UTF-16 surrogate is refused, not altered", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ["a high surrogate inside a name", product({ name: "x\ud800y" }), "name"],
    ["200 high surrogates as a name", product({ name: "\ud800".repeat(200) }), "name"],
    ["a low surrogate alone in a slogan", product({ slogan: "\udc00" }), "slogan"],
    ["a reversed pair in a description", product({ description: "\ude00\ud83d" }), "description"],
    ["a surrogate in a feature value", product({ features: [{ feature: "Fabric", value: "cotton\ud800" }] }), "features.0.value"],
  ];
  for (const [what, body, field] of cases) {
    it(`answers 400 naming ${field} for ${what}, changing nothing`, async () => {
      const before = await catalogSnapshot();
      const res = await admin("POST", "/products", body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: "VALIDATION_ERROR", details: [{ field, message: SURROGATE }] });
      expect(await catalogSnapshot()).toEqual(before);
    });
  }

  it("answers 400 for a photo URL holding a surrogate (URL parsing would have percent-encoded U+FFFD)", async () => {
    const style = { name: "Red", original_price: "10.00", photos: [{ url: "https://img.example/\ud800.jpg", thumbnail_url: "https://img.example/t.jpg" }] };
    const res = await admin("POST", "/products/1/styles", style);
    expect(await res.json()).toMatchObject({ error: "VALIDATION_ERROR", details: [{ field: "photos.0.url", message: SURROGATE }] });
  });

  it("stores a proper surrogate pair (an emoji) exactly as sent", async () => {
    const res = await admin("POST", "/products", product({ name: "Cap \ud83d\ude00" }));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { name: string }).name).toBe("Cap 😀");
  });

  it("answers 400 for a body whose bytes are not UTF-8 (a raw encoded surrogate), changing nothing", async () => {
    const before = await catalogSnapshot();
    const json = new TextEncoder().encode(JSON.stringify(product({ name: "x_y" })));
    const at = json.indexOf("_".charCodeAt(0));
    const bytes = new Uint8Array([...json.slice(0, at), 0xed, 0xa0, 0x80, ...json.slice(at + 1)]);
    const res = await call("/products", { method: "POST", headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" }, body: bytes });
    await expectError(res, 400, "VALIDATION_ERROR", "Request body is not valid UTF-8");
    expect(await catalogSnapshot()).toEqual(before);
  });
});
