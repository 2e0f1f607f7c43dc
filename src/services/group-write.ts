import {
  CART_BODIES, DELETE_CART_ITEMS, INSERT_CARTS, RELEASE_EXPIRED_HOLDS, RENEW_CART_ITEMS, SET_CART_ITEMS, UPDATE_CARTS, UPSERT_CART_ITEMS,
} from "../db/cart-queries";
import { INSERT_ORDER_LINES, INSERT_ORDERS, ORDER_BODIES, TAKE_STOCK } from "../db/order-queries";
import type { Db } from "../db/resilient-d1";
import type { GroupPlan, NewOrder } from "./group-decide";

// A group's one write batch: a fixed list of statements whatever the number of requests in it. D1 runs a
// batch as one transaction, and CHECK (quantity >= 0) on skus is checked after every row, so the order
// matters: whatever gives units back to skus.quantity (expired holds, released lines, lines a checkout
// turns into its order) comes first; then the orders take their units; only then do lines that hold
// more take theirs. At no point does a sku's quantity go below where the group leaves it, so the CHECK
// fires only when something outside the serializer changed stock since the read (then the group is
// decided again from a fresh read: src/services/stock-group.ts).

/** Which statements of the batch answer the requests: the order bodies and the cart bodies (-1: none). */
export interface WriteBatch { statements: D1PreparedStatement[]; orderBodies: number; cartBodies: number }

export function groupWrite(db: Db, plan: GroupPlan, createdAt: string, answer: { orderIds: string[]; cartIds: string[] }): WriteBatch {
  const removed: [string, number][] = [];
  const fewer: [string, number, number][] = [];
  const more: [string, number, number, string, string][] = [];
  for (const cart of plan.carts) {
    for (const sku of cart.readItems.keys()) if (!cart.items.has(sku)) removed.push([cart.id, sku]);
    for (const [sku, item] of cart.items) {
      const was = cart.readItems.get(sku) ?? 0;
      if (item.quantity < was) fewer.push([cart.id, sku, item.quantity]);
      if (item.quantity > was) more.push([cart.id, sku, item.quantity, item.addedAt, cart.expiresAt]);
    }
  }
  const json = (value: unknown) => JSON.stringify(value);
  const created = plan.carts.filter((c) => c.isNew);
  const statements = [
    ...(created.length > 0 ? [db.prepare(INSERT_CARTS).bind(json(created.map((c) => ({ id: c.id, at: c.createdAt, expires: c.expiresAt }))))] : []),
    ...(plan.expiredSkus.length > 0 ? [db.prepare(RELEASE_EXPIRED_HOLDS).bind(json(plan.expiredSkus), plan.now)] : []),
    ...(removed.length > 0 ? [db.prepare(DELETE_CART_ITEMS).bind(json(removed))] : []),
    ...(fewer.length > 0 ? [db.prepare(SET_CART_ITEMS).bind(json(fewer))] : []),
    ...(plan.orders.length > 0 ? orderStatements(db, plan.orders, createdAt) : []),
    ...(more.length > 0 ? [db.prepare(UPSERT_CART_ITEMS).bind(json(more))] : []),
    ...(plan.carts.length > 0 ? [db.prepare(UPDATE_CARTS).bind(json(plan.carts.map((c) => ({
      id: c.id, updated: c.updatedAt, expires: c.expiresAt, first_hold: c.firstHoldAt, order_id: c.orderId,
    }))))] : []),
    ...(plan.carts.some((c) => c.items.size > 0)
      ? [db.prepare(RENEW_CART_ITEMS).bind(json(plan.carts.filter((c) => c.items.size > 0).map((c) => [c.id, c.expiresAt])))]
      : []),
  ];
  const orderBodies = answer.orderIds.length > 0 ? statements.push(db.prepare(ORDER_BODIES).bind(json(answer.orderIds))) - 1 : -1;
  const cartBodies = answer.cartIds.length > 0 ? statements.push(db.prepare(CART_BODIES).bind(json(answer.cartIds))) - 1 : -1;
  return { statements, orderBodies, cartBodies };
}

function orderStatements(db: Db, orders: NewOrder[], createdAt: string): D1PreparedStatement[] {
  const rows = orders.map((o) => ({ id: o.id, total: o.total, key: o.key, hash: o.hash }));
  const lines = orders.flatMap((o) => o.lines.map((l, n) => ({
    order: o.id, line: n + 1, sku: l.sku.sku_id, product: l.sku.product_id, style: l.sku.style_id, product_name: l.sku.product_name,
    style_name: l.sku.style_name, size: l.sku.size, quantity: l.quantity, price: l.sku.unit_price,
  })));
  const units = new Map<number, number>();
  for (const l of orders.flatMap((o) => o.lines)) units.set(l.sku.sku_id, (units.get(l.sku.sku_id) ?? 0) + l.quantity);
  return [
    db.prepare(INSERT_ORDERS).bind(JSON.stringify(rows), createdAt),
    db.prepare(INSERT_ORDER_LINES).bind(JSON.stringify(lines)),
    db.prepare(TAKE_STOCK).bind(JSON.stringify([...units])),
  ];
}
