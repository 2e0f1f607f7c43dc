import { env } from "cloudflare:workers";
import { adminInit, call, jsonInit } from "./request";

export interface OrderBody {
  id: string;
  status: "placed" | "cancelled";
  created_at: string;
  total: string;
  items: { sku_id: number; product_id: number; style_id: number; product_name: string; style_name: string; size: string; quantity: number; unit_price: string }[];
}

export const placeOrder = (items: { sku_id: number; quantity: number }[], headers: Record<string, string> = {}) =>
  call("/orders", jsonInit("POST", { items }, headers));

export const cancelOrder = (id: string) => call(`/orders/${id}`, adminInit({ method: "DELETE" }));

export async function stockOf(skuId: number): Promise<number | null> {
  return env.DB.prepare("SELECT quantity FROM skus WHERE id = ?").bind(skuId).first<number>("quantity");
}

export async function orderCount(): Promise<number> {
  return (await env.DB.prepare("SELECT count(*) AS n FROM orders").first<number>("n")) ?? 0;
}

/** Adds a sku with the given stock under an existing style (default: style 3 of the fixture catalog). */
export async function addSku(id: number, quantity: number, styleId = 3, size = "L"): Promise<void> {
  await env.DB.prepare("INSERT INTO skus (id, style_id, size, quantity) VALUES (?, ?, ?, ?)").bind(id, styleId, size, quantity).run();
}
