import {
  ADJUST_STOCK, INSERT_ORDER_LINES, INSERT_ORDERS, LAST_CREATED_AT, MARK_CANCELLED,
  ORDER_BODIES, ORDER_BY_ID, ORDER_EXISTS, ORDER_PAGE, ORDERS_BY_IDEMPOTENCY_KEYS, RECORD_STOCK_CHANGE, RETURN_ORDER_STOCK,
  SKU_STOCK, SKUS_FOR_ORDER, STOCK_CHANGE_BY_KEY, TAKE_STOCK,
} from "./order-queries";
import {
  CREATED_PRODUCT_WITH_FEATURES, CREATED_STYLE, LIST_PRODUCTS_AFTER, LIST_PRODUCTS_PAGE, PRODUCT_RELATED,
  PRODUCT_STYLES, PRODUCT_WITH_FEATURES, STYLE_BY_ID,
} from "./read-queries";
import { CATEGORY_COUNTS, SEARCH_CATEGORY, SEARCH_FILTERED, SEARCH_RANKED, SUGGEST } from "./search-queries";
import { STYLE_OWNER } from "./style-queries";

/**
 * Every hand-written SQL statement the API issues, by name: the one list test/db/query-plans.test.ts
 * runs EXPLAIN QUERY PLAN over (test/db/statements.test.ts fails while a `*-queries.ts` export is
 * missing from it). Writes built with Drizzle (src/services/*-writes.ts) are simple primary-key or
 * foreign-key updates and deletes; that test captures them by running every route.
 */
export const SQL_STATEMENTS: Record<string, string> = {
  LIST_PRODUCTS_AFTER, LIST_PRODUCTS_PAGE, PRODUCT_WITH_FEATURES, CREATED_PRODUCT_WITH_FEATURES, PRODUCT_STYLES,
  STYLE_BY_ID, CREATED_STYLE, PRODUCT_RELATED,
  ORDER_BY_ID, ORDER_PAGE, SKUS_FOR_ORDER, ORDERS_BY_IDEMPOTENCY_KEYS, LAST_CREATED_AT, INSERT_ORDERS, INSERT_ORDER_LINES,
  TAKE_STOCK, ORDER_BODIES, RETURN_ORDER_STOCK, MARK_CANCELLED,
  ORDER_EXISTS, ADJUST_STOCK, SKU_STOCK, STOCK_CHANGE_BY_KEY, RECORD_STOCK_CHANGE,
  STYLE_OWNER,
  SEARCH_RANKED, SEARCH_CATEGORY, SEARCH_FILTERED, SUGGEST, CATEGORY_COUNTS,
};

/**
 * The documented exception: `?page=` paging uses OFFSET, which walks every skipped row. Clients that
 * walk the catalog use `?after=` (a keyset seek) instead; see the README.
 */
export const ALLOWED_FULL_SCANS = new Set([LIST_PRODUCTS_PAGE]);
