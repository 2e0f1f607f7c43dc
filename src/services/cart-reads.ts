import { CART_BY_ID, type CartRow } from "../db/cart-queries";
import type { Db } from "../db/resilient-d1";

/** GET /carts/:id: one statement, the body built by SQLite (null: no such cart). */
export async function cartRow(db: Db, cartId: string): Promise<CartRow | null> {
  return db.prepare(CART_BY_ID).bind(cartId).first<CartRow>();
}
