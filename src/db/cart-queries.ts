import { sqlMoney } from "../lib/money";

// Carts (docs/decisions/carts.md). The serializer reads the carts of a group with CARTS_FOR_GROUP and
// CART_ITEMS_FOR_GROUP in its read batch and writes them with the statements below in its write batch;
// the triggers of migrations/0006_carts.sql move each line's units between skus.quantity and skus.held.
// Times are ISO strings of the serializer's clock. Every statement seeks by primary key or index.

/** ?1 = cart ids (JSON array). */
export const CARTS_FOR_GROUP = `SELECT id, created_at, updated_at, expires_at, first_hold_at, order_id
FROM carts WHERE id IN (SELECT value FROM json_each(?1))`;

/** ?1 = cart ids (JSON array): their lines, through cart_items' primary key (cart_id, sku_id). */
export const CART_ITEMS_FOR_GROUP = `SELECT cart_id, sku_id, quantity, added_at
FROM cart_items WHERE cart_id IN (SELECT value FROM json_each(?1))`;

// ---- a group's write, in this order (see src/services/group-write.ts for why) ----

/** ?1 = [{id, at, expires}]: new, empty carts. */
export const INSERT_CARTS = `INSERT INTO carts (id, created_at, updated_at, expires_at)
SELECT value->>'id', value->>'at', value->>'at', value->>'expires' FROM json_each(?1)`;

/**
 * ?1 = sku ids (JSON array), ?2 = now: drops the lines of expired carts that hold these skus, so their
 * units are back in skus.quantity before the group takes stock (the serializer already counted them as
 * free: a hold counts for nothing once its cart's expires_at has passed).
 */
export const RELEASE_EXPIRED_HOLDS = `DELETE FROM cart_items
WHERE sku_id IN (SELECT value FROM json_each(?1)) AND expires_at <= ?2`;

/** ?1 = [[cart_id, sku_id], …]: lines removed (released, or turned into an order by checkout). */
export const DELETE_CART_ITEMS = `DELETE FROM cart_items
WHERE (cart_id, sku_id) IN (SELECT value->>'$[0]', value->>'$[1]' FROM json_each(?1))`;

/** ?1 = [[cart_id, sku_id, quantity], …]: lines that hold fewer units than before. */
export const SET_CART_ITEMS = `UPDATE cart_items SET quantity = t.quantity
FROM (SELECT value->>'$[0]' AS cart_id, value->>'$[1]' AS sku_id, value->>'$[2]' AS quantity FROM json_each(?1)) AS t
WHERE cart_items.cart_id = t.cart_id AND cart_items.sku_id = t.sku_id`;

/** ?1 = [[cart_id, sku_id, quantity, added_at, expires_at], …]: new lines, and lines that hold more than before. */
export const UPSERT_CART_ITEMS = `INSERT INTO cart_items (cart_id, sku_id, quantity, added_at, expires_at)
SELECT value->>'$[0]', value->>'$[1]', value->>'$[2]', value->>'$[3]', value->>'$[4]' FROM json_each(?1) WHERE true
ON CONFLICT (cart_id, sku_id) DO UPDATE SET quantity = excluded.quantity`;

/** ?1 = [{id, updated, expires, first_hold, order_id}]: every cart a group changed. */
export const UPDATE_CARTS = `UPDATE carts SET updated_at = t.updated, expires_at = t.expires,
  first_hold_at = t.first_hold, order_id = t.order_id
FROM (SELECT value->>'id' AS id, value->>'updated' AS updated, value->>'expires' AS expires,
             value->>'first_hold' AS first_hold, value->>'order_id' AS order_id FROM json_each(?1)) AS t
WHERE carts.id = t.id`;

/** ?1 = [[cart_id, expires_at], …]: a renewal reaches every line of the cart (the copy of expires_at). */
export const RENEW_CART_ITEMS = `UPDATE cart_items SET expires_at = t.expires
FROM (SELECT value->>'$[0]' AS cart_id, value->>'$[1]' AS expires FROM json_each(?1)) AS t
WHERE cart_items.cart_id = t.cart_id`;

// ---- what GET /carts/:id shows, and what PUT, DELETE and POST /carts answer ----

const PRICE = "COALESCE(s.sale_price, s.original_price)";
const OPEN_LINES = `FROM cart_items AS i JOIN skus AS k ON k.id = i.sku_id JOIN styles AS s ON s.id = k.style_id
  JOIN products AS p ON p.id = s.product_id WHERE i.cart_id = c.id`;

/**
 * An open cart at today's prices; a closed one as the order it became (its lines and total as bought),
 * with order_id. expires_at, the lines and the prices are all in the body, so its ETag changes when the
 * cart or a price does (If-Match at checkout).
 */
const cartObject = `CASE WHEN c.order_id IS NULL THEN json_object(
  'id', c.id,
  'items', json((SELECT json_group_array(json_object(
      'sku_id', i.sku_id, 'product_id', p.id, 'style_id', s.id, 'product_name', p.name, 'style_name', s.name,
      'size', k.size, 'quantity', i.quantity, 'unit_price', ${sqlMoney(PRICE)},
      'line_total', ${sqlMoney(`${PRICE} * i.quantity`)}) ORDER BY i.added_at, i.sku_id) ${OPEN_LINES})),
  'total', (SELECT ${sqlMoney(`coalesce(sum(${PRICE} * i.quantity), 0)`)} ${OPEN_LINES}),
  'expires_at', c.expires_at)
ELSE json_object(
  'id', c.id,
  'items', json((SELECT json_group_array(json_object(
      'sku_id', l.sku_id, 'product_id', l.product_id, 'style_id', l.style_id, 'product_name', l.product_name,
      'style_name', l.style_name, 'size', l.size, 'quantity', l.quantity, 'unit_price', ${sqlMoney("l.unit_price")},
      'line_total', ${sqlMoney("l.unit_price * l.quantity")}) ORDER BY l.line_no)
    FROM order_lines AS l WHERE l.order_id = c.order_id)),
  'total', (SELECT ${sqlMoney("o.total")} FROM orders AS o WHERE o.id = c.order_id),
  'expires_at', c.expires_at,
  'order_id', c.order_id)
END`;

/** A cart as CART_BY_ID reads it: the body, and what the route judges it by. */
export type CartRow = { body: string; expires_at: string; order_id: string | null };

/** ?1 = cart id. No row: no such cart. */
export const CART_BY_ID = `SELECT c.expires_at, c.order_id, ${cartObject} AS body FROM carts AS c WHERE c.id = ?1`;

/** ?1 = cart ids (JSON array): each cart's body (the answers of a group's cart changes). */
export const CART_BODIES = `SELECT c.id, ${cartObject} AS body FROM carts AS c WHERE c.id IN (SELECT value FROM json_each(?1))`;

// ---- the serializer's sweep (its alarm): no request needed for held units to come back ----

/** ?1 = now, ?2 = at most this many lines: the lines of expired carts, oldest expiry first. */
export const SWEEP_EXPIRED_HOLDS = `DELETE FROM cart_items
WHERE rowid IN (SELECT rowid FROM cart_items WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)`;

/** ?1 = 24 h ago, ?2 = at most this many carts: carts unchanged since (their lines go with them). */
export const SWEEP_OLD_CARTS = `DELETE FROM carts
WHERE id IN (SELECT id FROM carts WHERE updated_at <= ?1 ORDER BY updated_at LIMIT ?2)`;

/** When the next sweep has work: the earliest expiry of a line, the oldest last change of a cart. */
export const NEXT_CART_DUE = `SELECT (SELECT min(expires_at) FROM cart_items) AS next_expiry,
  (SELECT min(updated_at) FROM carts) AS oldest_change`;
