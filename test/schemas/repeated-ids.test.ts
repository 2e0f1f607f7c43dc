import { describe, expect, it } from "vitest";
import { RelatedBody, StylePatchBody } from "../../src/schemas/catalog-writes";
import { PlaceOrderBody } from "../../src/schemas/orders";

const issues = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.error?.issues.map(({ path, message }) => ({ path, message }));

describe("a body that names one id twice is refused at the repeat", () => {
  it("refuses an order that lists a sku twice, at the second line", () => {
    const body = { items: [{ sku_id: 7, quantity: 1 }, { sku_id: 8, quantity: 1 }, { sku_id: 7, quantity: 2 }] };
    expect(issues(PlaceOrderBody.safeParse(body))).toEqual([{ path: ["items", 2, "sku_id"], message: "sku 7 appears more than once" }]);
  });

  it("refuses a related list that names a product twice, at the second place", () => {
    expect(issues(RelatedBody.safeParse([3, 4, 3]))).toEqual([{ path: [2], message: "product 3 appears more than once" }]);
  });

  it("refuses a style patch whose skus keep one sku twice, and ignores new skus (they have no id yet)", () => {
    const body = { skus: [{ sku_id: 5 }, { size: "M", quantity: 1 }, { size: "M", quantity: 1 }, { sku_id: 5 }] };
    expect(issues(StylePatchBody.safeParse(body))).toEqual([{ path: ["skus", 3, "sku_id"], message: "sku 5 appears more than once" }]);
  });

  it("accepts each id once", () => {
    expect(PlaceOrderBody.safeParse({ items: [{ sku_id: 7, quantity: 1 }, { sku_id: 8, quantity: 1 }] }).success).toBe(true);
    expect(RelatedBody.safeParse([3, 4]).success).toBe(true);
    expect(StylePatchBody.safeParse({ skus: [{ sku_id: 5 }, { sku_id: 6 }] }).success).toBe(true);
  });
});
