import { z } from "@hono/zod-openapi";
import { flagRepeatedIds, positiveIntString } from "./common";
import { PRODUCT_INPUT_EXAMPLE, RELATED_EXAMPLE, STYLE_INPUT_EXAMPLE } from "./examples";
import { httpUrl, listOf, MAX_LIST_ITEMS, money, nullableMoney, stock, text } from "./input-fields";
import { TEXT_LENGTH } from "./limits";

// Request bodies of the admin catalog routes. Strict objects: an unknown field is a 400 naming it.
// Money strings become integer cents here (see input-fields.ts), so services only ever see cents.

const FeatureInput = z
  .strictObject({ feature: text(TEXT_LENGTH.feature), value: text(TEXT_LENGTH.featureValue).nullable() })
  .openapi("FeatureInput");

const productFields = {
  name: text(TEXT_LENGTH.name),
  slogan: text(TEXT_LENGTH.slogan),
  description: text(TEXT_LENGTH.description, { lineBreaks: true }),
  category: text(TEXT_LENGTH.category),
  default_price: money,
  features: listOf(FeatureInput),
};

/** POST /products and PUT /products/:id. Omitted optional fields are the defaults: "" and no features. */
export const ProductBody = z
  .strictObject({
    ...productFields,
    slogan: productFields.slogan.optional(),
    description: productFields.description.optional(),
    features: productFields.features.optional(),
  })
  .openapi("ProductInput", { example: PRODUCT_INPUT_EXAMPLE });

const nonEmpty = (o: object) => Object.keys(o).length > 0;
// Only judged when the fields themselves passed: `{"id": 1}` is an unknown field, not an empty patch.
const NON_EMPTY = { message: "must name at least one field to change", when: (p: { issues: unknown[] }) => p.issues.length === 0 };

/** PATCH /products/:id: a non-empty subset of the fields; `features`, when given, replaces the list. */
export const ProductPatchBody = z
  .strictObject(productFields)
  .partial()
  .refine(nonEmpty, NON_EMPTY)
  .openapi("ProductPatch", { example: { default_price: "22.00" } });

const PhotoInput = z.strictObject({ url: httpUrl, thumbnail_url: httpUrl }).openapi("PhotoInput");

const NewSkuInput = z.strictObject({ size: text(TEXT_LENGTH.size), quantity: stock }).openapi("SkuInput");

/** POST /products/:id/styles. */
export const StyleBody = z
  .strictObject({
    name: text(TEXT_LENGTH.name),
    original_price: money,
    sale_price: nullableMoney.optional(),
    "default?": z.boolean({ error: "must be true or false" }).optional(),
    photos: listOf(PhotoInput).optional(),
    skus: listOf(NewSkuInput).optional(),
  })
  .openapi("StyleInput", { example: STYLE_INPUT_EXAMPLE });

/**
 * A sku in PATCH /styles/:id `skus`: `{"sku_id": 37}` keeps an existing sku exactly as it is (its stock
 * changes only through POST /skus/:sku_id/stock, which goes through the serializer), `{"size", "quantity"}`
 * adds a new one. Skus of the style that the list doesn't name are deleted.
 */
const SkuListEntry = z
  .strictObject({
    sku_id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    size: text(TEXT_LENGTH.size).optional(),
    quantity: stock.optional(),
  })
  .superRefine((entry, ctx) => {
    if (entry.sku_id !== undefined) {
      for (const key of ["size", "quantity"] as const) {
        if (entry[key] === undefined) continue;
        const message = key === "quantity"
          ? "can't be set for an existing sku: change its stock with POST /skus/{sku_id}/stock"
          : "can't be changed for an existing sku: add a new sku and leave this one out";
        ctx.addIssue({ code: "custom", path: [key], message });
      }
      return;
    }
    if (entry.size === undefined) ctx.addIssue({ code: "custom", path: ["size"], message: "is required for a new sku" });
    if (entry.quantity === undefined) ctx.addIssue({ code: "custom", path: ["quantity"], message: "is required for a new sku" });
  })
  .openapi("StyleSkuListEntry", { description: '`{"sku_id": 37}` keeps an existing sku; `{"size": "XL", "quantity": 5}` adds one' });

/** PATCH /styles/:id: a non-empty subset of the fields; `photos` and `skus`, when given, are the style's new lists. */
export const StylePatchBody = z
  .strictObject({
    name: text(TEXT_LENGTH.name),
    original_price: money,
    sale_price: nullableMoney,
    "default?": z.boolean({ error: "must be true or false" }),
    photos: listOf(PhotoInput),
    skus: listOf(SkuListEntry).superRefine((skus, ctx) => flagRepeatedIds(ctx, skus.map((s) => s.sku_id), "sku", (i) => [i, "sku_id"])),
  })
  .partial()
  .refine(nonEmpty, NON_EMPTY)
  .openapi("StylePatch", { example: { sale_price: null, skus: [{ sku_id: 1 }, { sku_id: 2 }, { size: "XXXL", quantity: 5 }] } });

/** PUT /products/:id/related: the complete list, in display order. */
const productId = z.number({ error: "must be a product id" })
  .int("must be a product id").min(1, "must be a product id").max(Number.MAX_SAFE_INTEGER, "must be a product id");

export const RelatedBody = z
  .array(productId, { error: "must be a list of product ids" })
  .max(MAX_LIST_ITEMS, `must have at most ${MAX_LIST_ITEMS} ids`)
  .superRefine((ids, ctx) => flagRepeatedIds(ctx, ids, "product", (i) => [i]))
  .openapi("RelatedInput", { example: RELATED_EXAMPLE });

export const StyleIdParams = z.object({
  style_id: positiveIntString("Style id").openapi({ param: { name: "style_id", in: "path" } }),
});

export type ProductInput = z.infer<typeof ProductBody>;
export type ProductPatch = z.infer<typeof ProductPatchBody>;
export type StyleInput = z.infer<typeof StyleBody>;
export type StylePatch = z.infer<typeof StylePatchBody>;
export type RelatedInput = z.infer<typeof RelatedBody>;
