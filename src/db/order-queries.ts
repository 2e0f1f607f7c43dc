import { sqlMoney } from "../lib/money";
import type { BodyRow } from "./read-queries";

// Orders are read as one statement each, their lines through order_lines' primary key
// (order_id, line_no); the list walks orders_created_at_id_idx newest first.

const orderObject = (o: string) => `json_object(
  'id', ${o}.id, 'status', ${o}.status, 'created_at', ${o}.created_at, 'total', ${sqlMoney(`${o}.total`)},
  'items', json((SELECT json_group_array(json_object(
      'sku_id', l.sku_id, 'product_id', l.product_id, 'style_id', l.style_id,
      'product_name', l.product_name, 'style_name', l.style_name, 'size', l.size,
      'quantity', l.quantity, 'unit_price', ${sqlMoney("l.unit_price")}) ORDER BY l.line_no)
    FROM order_lines AS l WHERE l.order_id = ${o}.id)))`;

/** ?1 = order id. */
export const ORDER_BY_ID = `SELECT ${orderObject("o")} AS body FROM orders AS o WHERE o.id = ?1`;

/**
 * ?1/?2 = (created_at, id) of the last order on the previous page ('~', '' for the first page: '~'
 * sorts after every ISO date), ?3 = limit. The cursor is hex so it is URL-safe as it stands.
 */
export const ORDER_PAGE = `
WITH page AS (
  SELECT * FROM orders WHERE (created_at, id) < (?1, ?2) ORDER BY created_at DESC, id DESC LIMIT ?3
), last AS (
  SELECT created_at, id FROM page ORDER BY created_at ASC, id ASC LIMIT 1
)
SELECT json_object(
  'orders', json((SELECT json_group_array(${orderObject("p")} ORDER BY p.created_at DESC, p.id DESC) FROM page AS p)),
  'next_cursor', (SELECT hex(l.created_at || '|' || l.id) FROM last AS l
                  WHERE EXISTS (SELECT 1 FROM orders AS o WHERE (o.created_at, o.id) < (l.created_at, l.id)))
) AS body`;

/**
 * What a group needs to know about each sku it names (?1, JSON array) or its carts hold (?2, cart ids),
 * priced as the catalog says right now. `quantity` is what no cart holds; `expired_held` is what carts
 * whose expires_at is at or before ?3 (now) still hold: a new buyer can take quantity + expired_held.
 */
export const SKUS_FOR_GROUP = `
SELECT k.id AS sku_id, k.quantity,
       (SELECT coalesce(sum(i.quantity), 0) FROM cart_items AS i WHERE i.sku_id = k.id AND i.expires_at <= ?3) AS expired_held,
       k.size, s.id AS style_id, s.name AS style_name,
       COALESCE(s.sale_price, s.original_price) AS unit_price, p.id AS product_id, p.name AS product_name
FROM skus AS k JOIN styles AS s ON s.id = k.style_id JOIN products AS p ON p.id = s.product_id
WHERE k.id IN (SELECT value FROM json_each(?1)
               UNION SELECT sku_id FROM cart_items WHERE cart_id IN (SELECT value FROM json_each(?2)))`;

/** ?1 = the idempotency keys of a group (JSON array): the orders already placed under any of them. */
export const ORDERS_BY_IDEMPOTENCY_KEYS = `SELECT idempotency_key AS key, id, request_hash FROM orders
WHERE idempotency_key IN (SELECT value FROM json_each(?1))`;

/** The newest created_at, read once when the serializer starts, so its clock never goes backwards. */
export const LAST_CREATED_AT = `SELECT max(created_at) AS last FROM orders`;

// A group's orders are written by these three statements (plus ORDER_BODIES), whatever their number.

/** ?1 = [{id, total, key, hash}], ?2 = the group's created_at. */
export const INSERT_ORDERS = `INSERT INTO orders (id, status, created_at, total, idempotency_key, request_hash)
SELECT value->>'id', 'placed', ?2, value->>'total', value->>'key', value->>'hash' FROM json_each(?1)`;

/**
 * ?1 = [{order, line, sku, product, style, product_name, style_name, size, quantity, price}].
 * The size is kept only while the sku still exists: a sku deleted since the group read it (a style
 * or product delete, a style PATCH that drops it) makes it NULL, and the NOT NULL constraint aborts
 * the whole batch, so no line ever names a sku that was gone when the order committed.
 */
export const INSERT_ORDER_LINES = `INSERT INTO order_lines
(order_id, line_no, sku_id, product_id, style_id, product_name, style_name, size, quantity, unit_price)
SELECT j.value->>'order', j.value->>'line', j.value->>'sku', j.value->>'product', j.value->>'style',
       j.value->>'product_name', j.value->>'style_name',
       CASE WHEN EXISTS (SELECT 1 FROM skus AS k WHERE k.id = j.value->>'sku') THEN j.value->>'size' END,
       j.value->>'quantity', j.value->>'price'
FROM json_each(?1) AS j`;

/**
 * ?1 = [[sku_id, units], …], one entry per sku. A plain UPDATE of skus.quantity per row (row triggers
 * fire as for any other stock change); the CHECK (quantity >= 0) aborts the batch rather than oversell.
 */
export const TAKE_STOCK = `UPDATE skus SET quantity = skus.quantity - t.units
FROM (SELECT value->>'$[0]' AS sku_id, value->>'$[1]' AS units FROM json_each(?1)) AS t
WHERE skus.id = t.sku_id`;

/** An order as ORDER_BODIES reads it. */
export type OrderBodyRow = BodyRow & { id: string };

/** ?1 = order ids (JSON array): each order's body. */
export const ORDER_BODIES = `SELECT o.id, ${orderObject("o")} AS body
FROM orders AS o WHERE o.id IN (SELECT value FROM json_each(?1))`;

/**
 * Returns an order's stock only while it is still placed, so a repeated cancel returns nothing.
 * UPDATE … FROM drives the join from the order's own lines (primary key (order_id, line_no)), so the
 * cost is the order's size, not the number of orders that ever bought the sku.
 */
export const RETURN_ORDER_STOCK = `
UPDATE skus SET quantity = skus.quantity + l.quantity
FROM order_lines AS l
WHERE l.order_id = ?1 AND skus.id = l.sku_id
  AND EXISTS (SELECT 1 FROM orders WHERE id = ?1 AND status = 'placed')`;

export const MARK_CANCELLED = `UPDATE orders SET status = 'cancelled' WHERE id = ?1 AND status = 'placed' RETURNING id`;

export const ORDER_EXISTS = `SELECT status FROM orders WHERE id = ?1`;

// An admin stock change (POST /skus/:id/stock) reads, decides in the serializer, then writes; the
// serializer is the only writer of stock, so nothing changes in between but a sku deleted by a catalog write.

/** ?1 = the change's idempotency key: the change already made under that key. */
export const STOCK_CHANGE_BY_KEY = `SELECT request_hash, sku_id, quantity_after, available_after FROM stock_changes WHERE idempotency_key = ?1`;

/** ?1 = sku id, ?2 = now: what no cart holds, what carts hold, and what expired carts still hold of it. */
export const SKU_STOCK = `SELECT quantity, held,
  (SELECT coalesce(sum(i.quantity), 0) FROM cart_items AS i WHERE i.sku_id = ?1 AND i.expires_at <= ?2) AS expired_held
FROM skus WHERE id = ?1`;

/**
 * ?1 = sku id, ?2 = delta (the serializer has checked the bounds), after RELEASE_EXPIRED_HOLDS in its
 * batch: the delta changes what no cart holds, so held units are never taken. No row when the sku is gone.
 */
export const ADJUST_STOCK = `UPDATE skus SET quantity = quantity + ?2 WHERE id = ?1 RETURNING quantity, held`;

/** ?1 = key, ?2 = request hash, ?3 = sku id, ?4 = delta, ?5 = created_at; after ADJUST_STOCK in its batch. */
export const RECORD_STOCK_CHANGE = `INSERT INTO stock_changes (idempotency_key, request_hash, sku_id, delta, quantity_after, available_after, created_at)
SELECT ?1, ?2, id, ?4, quantity + held, quantity, ?5 FROM skus WHERE id = ?3`;
