import * as orderQueries from "./order-queries";
import * as readQueries from "./read-queries";
import * as searchQueries from "./search-queries";
import * as styleQueries from "./style-queries";

/**
 * Every hand-written SQL statement the API issues, by name: the one list test/db/query-plans.test.ts
 * runs EXPLAIN QUERY PLAN over. Writes built with Drizzle (src/services/*-writes.ts) are simple
 * primary-key or foreign-key updates and deletes; that test captures them by running every route.
 */
const modules: Record<string, unknown>[] = [readQueries, orderQueries, styleQueries, searchQueries];

export const SQL_STATEMENTS: Record<string, string> = Object.fromEntries(
  modules.flatMap((m) => Object.entries(m))
    .filter((entry): entry is [string, string] => typeof entry[1] === "string" && /^\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b/i.test(entry[1])),
);

/**
 * The documented exception: `?page=` paging uses OFFSET, which walks every skipped row. Clients that
 * walk the catalog use `?after=` (a keyset seek) instead; see the README.
 */
export const ALLOWED_FULL_SCANS = new Set([readQueries.LIST_PRODUCTS_PAGE]);
