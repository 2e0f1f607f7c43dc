// The reference storefront's export format: six CSV files, their names and headers exactly as they
// ship (note styles' `productId`, photos' and skus' `styleId`, related's `current_product_id`), and
// how values are written: text quoted, prices in dollars, a missing value as the bare word `null`.
import type { TableName, Value } from "./catalog-rows";

export const CSV_FILES: Record<TableName, { file: string; header: readonly string[] }> = {
  products: { file: "product.csv", header: ["id", "name", "slogan", "description", "category", "default_price"] },
  features: { file: "features.csv", header: ["id", "product_id", "feature", "value"] },
  styles: { file: "styles.csv", header: ["id", "productId", "name", "sale_price", "original_price", "default_style"] },
  photos: { file: "photos.csv", header: ["id", "styleId", "url", "thumbnail_url"] },
  skus: { file: "skus.csv", header: ["id", "styleId", "size", "quantity"] },
  related: { file: "related.csv", header: ["id", "current_product_id", "related_product_id"] },
};

/** Foreign-key order: every table only points at tables before it, so parents are always known first. */
export const TABLE_ORDER: readonly TableName[] = ["products", "features", "styles", "photos", "skus", "related"];

/** RFC 4180 quoting: the whole field in double quotes, a quote inside doubled. */
export const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;

export const NULL_WORD = "null";

/** Integer cents as the export writes prices: whole dollars as `140`, others as `139.99`. */
export function dollars(cents: Value | undefined): string {
  if (cents === undefined) throw new Error("row is missing a price");
  if (cents === null) return NULL_WORD;
  if (typeof cents === "string") return cents; // a deliberately broken price, written as is
  if (cents % 100 === 0) return String(cents / 100);
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

export function text(v: Value | undefined): string {
  if (v === undefined) throw new Error("row is missing a column");
  return v === null ? NULL_WORD : quote(String(v));
}
