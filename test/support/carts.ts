import { env } from "cloudflare:workers";
import { serializerStub } from "../../src/durable-objects/serializer-client";
import { callWith, jsonInit } from "./request";

// Carts through the real Worker, and the stock they hold as D1 has it. The Worker's fetch is called
// directly (callWith), not through the pool's self binding (exports.default): in pool 0.15.1 each request
// through that binding makes the next ones slower (100 concurrent /health: 0.3 s at first, 3.8 s four
// hundred requests later), and a flash sale sends hundreds. Every answer is still contract-checked.
const call = (path: string, init?: RequestInit) => callWith({}, path, init);

export interface CartItemBody {
  sku_id: number; product_id: number; style_id: number; product_name: string; style_name: string; size: string;
  quantity: number; unit_price: string; line_total: string;
}
export interface CartBody { id: string; items: CartItemBody[]; total: string; expires_at: string; order_id?: string }

/** Each buyer its own address, so the per-address limiter (1,000 a minute) never refuses a test's crowd. */
let nextAddress = 0;
export const buyerAddress = () => { const n = nextAddress++; return `198.18.${(n >> 8) & 255}.${n & 255}`; };

export async function newCart(headers: Record<string, string> = {}): Promise<CartBody> {
  const res = await call("/carts", { method: "POST", headers: { "CF-Connecting-IP": buyerAddress(), ...headers } });
  if (res.status !== 201) throw new Error(`POST /carts answered ${res.status}: ${await res.text()}`);
  return res.json();
}

export const putItem = (cartId: string, skuId: number, quantity: number, headers: Record<string, string> = {}) =>
  call(`/carts/${cartId}/items/${skuId}`, jsonInit("PUT", { quantity }, { "CF-Connecting-IP": buyerAddress(), ...headers }));

export const deleteItem = (cartId: string, skuId: number) =>
  call(`/carts/${cartId}/items/${skuId}`, { method: "DELETE", headers: { "CF-Connecting-IP": buyerAddress() } });

export const getCart = (cartId: string, headers: Record<string, string> = {}) => call(`/carts/${cartId}`, { headers });

export const checkout = (cartId: string, headers: Record<string, string> = {}) =>
  call(`/carts/${cartId}/checkout`, { method: "POST", headers: { "CF-Connecting-IP": buyerAddress(), ...headers } });

/** What no cart holds (quantity) and what carts hold (held), as the skus row has them. */
export async function stockRow(skuId: number): Promise<{ quantity: number; held: number } | null> {
  return env.DB.prepare("SELECT quantity, held FROM skus WHERE id = ?").bind(skuId).first<{ quantity: number; held: number }>();
}

/** Units of the sku in placed orders. */
export async function soldOf(skuId: number): Promise<number> {
  return (await env.DB.prepare(`SELECT coalesce(sum(l.quantity), 0) AS n FROM order_lines AS l JOIN orders AS o ON o.id = l.order_id
    WHERE l.sku_id = ? AND o.status = 'placed'`).bind(skuId).first<number>("n")) ?? 0;
}

/** The lines every cart holds of the sku, straight from D1. */
export async function linesOf(skuId: number): Promise<{ cart_id: string; quantity: number }[]> {
  return (await env.DB.prepare("SELECT cart_id, quantity FROM cart_items WHERE sku_id = ? ORDER BY cart_id").bind(skuId)
    .all<{ cart_id: string; quantity: number }>()).results;
}

export const serializer = () => serializerStub(env.ORDER_SERIALIZER);
