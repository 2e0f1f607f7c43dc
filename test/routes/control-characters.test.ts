import { beforeAll, describe, expect, it } from "vitest";
import { admin, catalogSnapshot, expectError } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { call } from "../support/request";

beforeAll(seedCatalog);

// API.md: control characters (U+0000-U+001F, U+007F) are 400 in every body field, except tab and line
// breaks in descriptions; in search text they count as spaces (a shopper's typing never errors).
// A NUL in a product name once made `db:export` write a backup that could not be restored (issue 21).

const NO_CONTROLS = "must not hold a control character (U+0000-U+001F, U+007F)";
const ONLY_LINE_BREAKS = "must not hold a control character other than tab and line breaks";
const product = (fields: Record<string, unknown>) => ({ name: "Cap", category: "Hats", default_price: "10.00", ...fields });

describe("control characters in a body are refused, changing nothing", () => {
  const cases: [string, string, string, unknown, string, string][] = [
    ["a NUL inside a product name (PATCH)", "PATCH", "/products/3", { name: "Nul\u0000Name" }, "name", NO_CONTROLS],
    ["a NUL in a new product's name", "POST", "/products", product({ name: "Nul\u0000Name" }), "name", NO_CONTROLS],
    ["DEL in a slogan", "POST", "/products", product({ slogan: "Fast\u007f" }), "slogan", NO_CONTROLS],
    ["an escape (U+001B) in a category", "POST", "/products", product({ category: "\u001b[31mHats" }), "category", NO_CONTROLS],
    ["a trailing newline in a name", "PUT", "/products/3", product({ name: "Cap\n" }), "name", NO_CONTROLS],
    ["a tab in a name", "POST", "/products", product({ name: "Cap\tHat" }), "name", NO_CONTROLS],
    ["a NUL in a description", "POST", "/products", product({ description: "soft\u0000" }), "description", ONLY_LINE_BREAKS],
    ["a vertical tab in a description", "POST", "/products", product({ description: "a\u000bb" }), "description", ONLY_LINE_BREAKS],
    ["U+0001 in a feature", "POST", "/products", product({ features: [{ feature: "Fab\u0001ric", value: null }] }), "features.0.feature", NO_CONTROLS],
    ["U+001F in a feature value", "POST", "/products", product({ features: [{ feature: "Fabric", value: "cot\u001fton" }] }), "features.0.value", NO_CONTROLS],
    ["a NUL in a style name", "POST", "/products/1/styles", { name: "Red\u0000", original_price: "10.00" }, "name", NO_CONTROLS],
    ["a NUL in a new sku's size", "POST", "/products/1/styles", { name: "Red", original_price: "10.00", skus: [{ size: "X\u0000L", quantity: 1 }] }, "skus.0.size", NO_CONTROLS],
    ["a carriage return in a style name (PATCH)", "PATCH", "/styles/1", { name: "Red\r" }, "name", NO_CONTROLS],
  ];
  for (const [what, method, path, body, field, message] of cases) {
    it(`answers 400 naming ${field} for ${what}`, async () => {
      const before = await catalogSnapshot();
      const res = await admin(method, path, body);
      await expectError(res, 400, "VALIDATION_ERROR", `Invalid body: ${field}`, [{ field, message }]);
      expect(await catalogSnapshot()).toEqual(before);
    });
  }

  it("keeps tab and line breaks in a description exactly as sent", async () => {
    const description = "Line one\n\tindented\r\nLine three";
    const res = await admin("POST", "/products", product({ description }));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { description: string }).description).toBe(description);
  });
});

describe("control characters in search text count as spaces", () => {
  const ids = async (query: string) => {
    const res = await call(`/search?${query}`);
    expect(res.status, query).toBe(200);
    return ((await res.json()) as { results: { id: number }[] }).results.map((r) => r.id);
  };

  it("browses the category when q holds nothing but control characters and a filter is given", async () => {
    expect(await ids("q=%00%01&category=Pants")).toEqual(await ids("category=Pants"));
  });

  it("answers 400 naming q when q holds nothing but control characters, as for blank q", async () => {
    const res = await call("/search?q=%00%09%7F");
    await expectError(res, 400, "VALIDATION_ERROR", "Invalid query: q", [{ field: "q", message: "give words to find, or a category, price or stock filter" }]);
  });

  it("splits words at a control character", async () => {
    expect(await ids("q=morning%00jog")).toEqual([3]);
    const res = await call("/search/suggest?q=morning%1Bjog");
    expect(await res.json()).toEqual({ results: [{ id: 3, name: "Morning Joggers" }] });
  });
});
