/**
 * ?1 = style id. Which product a style belongs to (its cache key) and its current sku ids, read before a
 * style write so the write can clear the cache first and check a PATCH's kept skus. No row: no style.
 */
export const STYLE_OWNER = `
SELECT s.product_id, json((SELECT json_group_array(k.id) FROM skus AS k WHERE k.style_id = s.id)) AS sku_ids
FROM styles AS s WHERE s.id = ?1`;
