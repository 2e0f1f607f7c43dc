import { sqlMoney } from "../lib/money";
import { NEWEST_PRODUCT_ID, NEWEST_STYLE_ID } from "./new-ids";

// Every catalog read is ONE statement that returns the finished response body, built by SQLite's JSON
// functions over indexed lookups (products by primary key, children through their *_product_id /
// *_style_id indexes). Nested aggregates are wrapped in json() because JSON subtypes don't survive a
// scalar subquery: without it SQLite would embed the inner array as a quoted string.
// test/db/query-plans.test.ts runs EXPLAIN QUERY PLAN on each of these (listed in src/db/statements.ts).

/** The row of a statement that answers a request (here, in order-queries.ts, in search-queries.ts): its body. */
export type BodyRow = { body: string };

const productObject = (p: string) => `json_object(
  'id', ${p}.id, 'name', ${p}.name, 'slogan', ${p}.slogan, 'description', ${p}.description,
  'category', ${p}.category, 'default_price', ${sqlMoney(`${p}.default_price`)}`;

// A full page may have more after it: next_after is its last id (the next page's `after`), else NULL.
const nextAfter = `CASE WHEN count(*) = ?2 THEN max(p.id) END AS next_after`;

/** A page of products (LIST_PRODUCTS_AFTER, LIST_PRODUCTS_PAGE). */
export type ProductPageRow = BodyRow & { next_after: number | null };

/** ?1 = last id of the previous page (0 for the first), ?2 = count. */
export const LIST_PRODUCTS_AFTER = `
SELECT json_group_array(${productObject("p")}) ORDER BY p.id) AS body, ${nextAfter}
FROM (SELECT * FROM products WHERE id > ?1 ORDER BY id LIMIT ?2) AS p`;

/** ?1 = rows to skip ((page - 1) * count), ?2 = count. OFFSET walks the skipped rows: prefer `after`. */
export const LIST_PRODUCTS_PAGE = `
SELECT json_group_array(${productObject("p")}) ORDER BY p.id) AS body, ${nextAfter}
FROM (SELECT * FROM products ORDER BY id LIMIT ?2 OFFSET ?1) AS p`;

const productWithFeatures = (id: string) => `
SELECT ${productObject("p")},
  'features', json((SELECT json_group_array(json_object('feature', f.feature, 'value', f.value) ORDER BY f.id)
                    FROM features AS f WHERE f.product_id = p.id))) AS body
FROM products AS p WHERE p.id = ${id}`;

/** ?1 = product id. No row when the product doesn't exist. */
export const PRODUCT_WITH_FEATURES = productWithFeatures("?1");

/** The product a create batch has just inserted, as PRODUCT_WITH_FEATURES shows it. */
export const CREATED_PRODUCT_WITH_FEATURES = productWithFeatures(NEWEST_PRODUCT_ID);

const styleObject = `json_object(
  'style_id', s.id, 'name', s.name,
  'original_price', ${sqlMoney("s.original_price")},
  'sale_price', CASE WHEN s.sale_price IS NULL THEN NULL ELSE ${sqlMoney("s.sale_price")} END,
  'default?', json(CASE WHEN s.is_default THEN 'true' ELSE 'false' END),
  'photos', json((SELECT json_group_array(json_object('thumbnail_url', ph.thumbnail_url, 'url', ph.url) ORDER BY ph.id)
                  FROM photos AS ph WHERE ph.style_id = s.id)),
  'skus', json((SELECT json_group_object(CAST(k.id AS TEXT), json_object('quantity', k.quantity, 'size', k.size))
                FROM skus AS k WHERE k.style_id = s.id)))`;

/** ?1 = product id. No row when the product doesn't exist. */
export const PRODUCT_STYLES = `
SELECT json_object('product_id', CAST(p.id AS TEXT),
  'results', json((SELECT json_group_array(${styleObject} ORDER BY s.id)
                   FROM styles AS s WHERE s.product_id = p.id))) AS body
FROM products AS p WHERE p.id = ?1`;

// The admin writes answer with one style exactly as it appears in PRODUCT_STYLES' results (same
// expression), plus the product it belongs to.
const styleById = (id: string) => `SELECT s.product_id, ${styleObject} AS body FROM styles AS s WHERE s.id = ${id}`;

/** A style as STYLE_BY_ID and CREATED_STYLE read it. */
export type StyleRow = BodyRow & { product_id: number };

/** ?1 = style id. No row when the style doesn't exist. */
export const STYLE_BY_ID = styleById("?1");

/** The style a create batch has just inserted. */
export const CREATED_STYLE = styleById(NEWEST_STYLE_ID);

/** ?1 = product id. Only links to products that exist, never the product itself, in the admin's order. */
export const PRODUCT_RELATED = `
SELECT json((SELECT json_group_array(r.related_product_id ORDER BY r.position, r.related_product_id)
             FROM related AS r JOIN products AS rp ON rp.id = r.related_product_id
             WHERE r.product_id = p.id AND r.related_product_id <> p.id)) AS body
FROM products AS p WHERE p.id = ?1`;
