import { z } from "@hono/zod-openapi";
import { MoneyString } from "./common";
import {
  FEATURE_EXAMPLE, PHOTO_EXAMPLE, PRODUCT_DETAIL_EXAMPLE, PRODUCT_EXAMPLE, PRODUCT_LIST_EXAMPLE, RELATED_EXAMPLE, SKU_EXAMPLE,
  STYLE_EXAMPLE, STYLES_EXAMPLE,
} from "./examples";

export const ProductSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    slogan: z.string(),
    description: z.string(),
    category: z.string(),
    default_price: MoneyString,
  })
  .openapi("Product", { example: PRODUCT_EXAMPLE });

export const FeatureSchema = z
  .object({ feature: z.string(), value: z.string().nullable() })
  .openapi("Feature", { example: FEATURE_EXAMPLE });

// Flat rather than ProductSchema.extend(): extend renders as allOf, which the contract tests can't close.
export const ProductDetailSchema = z
  .object({ ...ProductSchema.shape, features: z.array(FeatureSchema) })
  .openapi("ProductDetail", { example: PRODUCT_DETAIL_EXAMPLE });

export const ProductListSchema = z.array(ProductSchema).openapi("ProductList", { example: PRODUCT_LIST_EXAMPLE });

export const PhotoSchema = z
  .object({ thumbnail_url: z.string(), url: z.string() })
  .openapi("Photo", { example: PHOTO_EXAMPLE });

export const SkuSchema = z
  .object({ quantity: z.number().int().nonnegative(), size: z.string() })
  .openapi("Sku", { example: SKU_EXAMPLE });

export const StyleSchema = z
  .object({
    style_id: z.number().int(),
    name: z.string(),
    original_price: MoneyString,
    sale_price: MoneyString.nullable(),
    "default?": z.boolean(),
    photos: z.array(PhotoSchema),
    skus: z.record(z.string(), SkuSchema).openapi({ description: "Keyed by sku id" }),
  })
  .openapi("Style", { example: STYLE_EXAMPLE });

export const StylesSchema = z
  .object({ product_id: z.string().openapi({ description: "The product id, as a string (a quirk of the original API)" }), results: z.array(StyleSchema) })
  .openapi("ProductStyles", { example: STYLES_EXAMPLE });

export const RelatedSchema = z.array(z.number().int()).openapi("RelatedProductIds", { example: RELATED_EXAMPLE });
