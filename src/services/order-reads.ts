import type { Db } from "../db/resilient-d1";
import { ORDER_BY_ID, ORDER_PAGE } from "../db/order-queries";
import type { BodyRow } from "../db/read-queries";

// One statement per read, whatever the number of orders and lines.

export async function orderBody(db: Db, orderId: string): Promise<string | null> {
  const row = await db.prepare(ORDER_BY_ID).bind(orderId).first<BodyRow>();
  return row?.body ?? null;
}

/** A cursor is hex("created_at|id") of the last order on the previous page; null when it isn't one. */
export function decodeOrderCursor(cursor: string): { createdAt: string; id: string } | null {
  if (cursor.length % 2 !== 0) return null;
  const bytes = new Uint8Array(cursor.length / 2).map((_, i) => parseInt(cursor.slice(i * 2, i * 2 + 2), 16));
  const [createdAt, id, ...rest] = new TextDecoder().decode(bytes).split("|");
  if (!createdAt || !id || rest.length > 0) return null;
  return { createdAt, id };
}

export async function orderPageBody(db: Db, after: { createdAt: string; id: string } | null, limit: number): Promise<string> {
  const row = await db.prepare(ORDER_PAGE).bind(after?.createdAt ?? "~", after?.id ?? "", limit).first<BodyRow>();
  return row!.body;
}
