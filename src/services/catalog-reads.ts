import type { Db } from "../db/resilient-d1";
import {
  LIST_PRODUCTS_AFTER,
  LIST_PRODUCTS_PAGE,
  PRODUCT_RELATED,
  PRODUCT_STYLES,
  PRODUCT_WITH_FEATURES,
  type BodyRow,
  type ProductPageRow,
} from "../db/read-queries";

// Each function runs exactly one D1 statement and returns the response body as SQLite wrote it,
// or null when the product doesn't exist.

async function firstBody(db: Db, query: string, ...params: number[]): Promise<string | null> {
  const row = await db.prepare(query).bind(...params).first<BodyRow>();
  return row?.body ?? null;
}

export type ProductListQuery = { after: number; count: number } | { page: number; count: number };

/** A page of products and, when the page is full (there may be more), the `after` of the next one. */
export interface ProductListPage {
  body: string;
  nextAfter: number | null;
}

export async function listProductsPage(db: Db, query: ProductListQuery): Promise<ProductListPage> {
  const row = "after" in query
    ? await db.prepare(LIST_PRODUCTS_AFTER).bind(query.after, query.count).first<ProductPageRow>()
    : await db.prepare(LIST_PRODUCTS_PAGE).bind((query.page - 1) * query.count, query.count).first<ProductPageRow>();
  return { body: row?.body ?? "[]", nextAfter: row?.next_after ?? null };
}

export const productBody = (db: Db, productId: number) => firstBody(db, PRODUCT_WITH_FEATURES, productId);
export const stylesBody = (db: Db, productId: number) => firstBody(db, PRODUCT_STYLES, productId);
export const relatedBody = (db: Db, productId: number) => firstBody(db, PRODUCT_RELATED, productId);
