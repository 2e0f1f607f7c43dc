// `npm run test:scripts` (part of `npm test`): the importer refuses control characters as the API does
// (API.md; src/schemas/limits.ts), with a reason, and keeps tab and line breaks in a description.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkRow, newImportState } from "../lib/import-rules";
import { Reject } from "../lib/import-values";

const product = (fields: Partial<Record<"name" | "slogan" | "description" | "category", string>>) =>
  ["1", fields.name ?? "Cap", fields.slogan ?? "Warm", fields.description ?? "Soft", fields.category ?? "Hats", "10"];

describe("the importer and control characters", () => {
  for (const [field, value, reason] of [
    ["name", "Nul\u0000Name", "name holds a control character (U+0000)"],
    ["slogan", "Fast\u007f", "slogan holds a control character (U+007F)"],
    ["category", "\u001b[31mHats", "category holds a control character (U+001B)"],
    ["name", "Cap\tHat", "name holds a control character (U+0009)"],
    ["description", "soft\u0000", "description holds a control character (U+0000); only tab and line breaks may"],
  ] as const) {
    it(`rejects a product whose ${field} holds ${JSON.stringify(value)}, naming it`, () => {
      const result = checkRow("products", product({ [field]: value }), newImportState());
      assert.deepEqual(result, new Reject("control_character", reason));
    });
  }

  it("keeps tab and line breaks inside a description", () => {
    const description = "Line one\n\tindented\r\nLine three";
    assert.deepEqual(checkRow("products", product({ description }), newImportState()), [1, "Cap", "Warm", description, "Hats", 1000]);
  });

  it("rejects a photo URL holding a control character", () => {
    const state = newImportState();
    checkRow("products", product({}), state);
    checkRow("styles", ["1", "1", "Red", "null", "10", "1"], state);
    const result = checkRow("photos", ["1", "1", "https://img.example/a\u0000.jpg", "https://img.example/t.jpg"], state);
    assert.deepEqual(result, new Reject("control_character", "url holds a control character (U+0000)"));
  });
});
