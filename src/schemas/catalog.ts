import { z } from "@hono/zod-openapi";
import { MoneyString } from "./common";

export const ProductSchema = z
  .object({
    id: z.number().int().openapi({ example: 1 }),
    name: z.string().openapi({ example: "Camo Onesie" }),
    slogan: z.string().openapi({ example: "Blend in to your crowd" }),
    description: z.string(),
    category: z.string().openapi({ example: "Jackets" }),
    default_price: MoneyString,
  })
  .openapi("Product");

export const FeatureSchema = z
  .object({ feature: z.string().openapi({ example: "Sole" }), value: z.string().nullable().openapi({ example: "Rubber" }) })
  .openapi("Feature");

export const ProductDetailSchema = ProductSchema.extend({ features: z.array(FeatureSchema) }).openapi("ProductDetail");

export const ProductListSchema = z.array(ProductSchema).openapi("ProductList");

export const PhotoSchema = z
  .object({ thumbnail_url: z.string(), url: z.string() })
  .openapi("Photo");

export const SkuSchema = z
  .object({ quantity: z.number().int().nonnegative().openapi({ example: 8 }), size: z.string().openapi({ example: "XS" }) })
  .openapi("Sku");

export const StyleSchema = z
  .object({
    style_id: z.number().int().openapi({ example: 1 }),
    name: z.string().openapi({ example: "Forest Green & Black" }),
    original_price: MoneyString,
    sale_price: MoneyString.nullable(),
    "default?": z.boolean(),
    photos: z.array(PhotoSchema),
    skus: z.record(z.string(), SkuSchema).openapi({ description: "Keyed by sku id" }),
  })
  .openapi("Style");

export const StylesSchema = z
  .object({ product_id: z.string().openapi({ example: "1" }), results: z.array(StyleSchema) })
  .openapi("ProductStyles");

export const RelatedSchema = z.array(z.number().int()).openapi("RelatedProductIds", { example: [2, 3, 8, 7] });
