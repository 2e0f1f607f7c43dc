import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { admin } from "../support/admin";
import { seedCatalog } from "../support/fixtures";
import { addSku, cancelOrder, placeOrder } from "../support/orders";
import { call } from "../support/request";

// Search is kept by triggers in the same statement as each write: a write that has answered is
// already what search answers (migrations/0002_search.sql).

beforeAll(seedCatalog);

const ids = async (query: string) =>
  ((await (await call(`/search?${query}`)).json()) as { results: { id: number }[] }).results.map((r) => r.id);
const priceOf = async (id: number, q: string) =>
  ((await (await call(`/search?q=${q}`)).json()) as { results: { id: number; price: string }[] }).results.find((r) => r.id === id)?.price;
const categories = async () => ((await (await call("/categories")).json()) as { results: { category: string; products: number }[] }).results;
const created = async (res: Response) => ((await res.json()) as { id: number }).id;

describe("GET /categories", () => {
  it("answers every category with its product count, by name", async () => {
    const res = await call("/categories");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ results: [
      { category: "Accessories", products: 1 }, { category: "Dress Shoes", products: 1 }, { category: "Jackets", products: 1 },
      { category: "Kicks", products: 2 }, { category: "Pants", products: 2 },
    ] });
  });
});

describe("search follows every catalog write", () => {
  it("finds a created product at once and counts it in its category", async () => {
    const id = await created(await admin("POST", "/products", { name: "Quokka Parka", category: "Outerwear", default_price: "120" }));
    expect(await ids("q=quokka")).toEqual([id]);
    expect(await ids("category=Outerwear")).toEqual([id]);
    expect(await categories()).toContainEqual({ category: "Outerwear", products: 1 });
  });

  it("finds a renamed product by its new name only, and moves it between category counts", async () => {
    const id = await created(await admin("POST", "/products", { name: "Wombat Vest", category: "Vests", default_price: "50" }));
    await admin("PATCH", `/products/${id}`, { name: "Numbat Vest", category: "Gilets" });
    expect(await ids("q=wombat")).toEqual([]);
    expect(await ids("q=numbat")).toEqual([id]);
    expect((await categories()).map((c) => c.category)).not.toContain("Vests");
    expect(await categories()).toContainEqual({ category: "Gilets", products: 1 });
  });

  it("re-prices a product as its styles are created, re-priced and deleted, and as its default price changes", async () => {
    const id = await created(await admin("POST", "/products", { name: "Platypus Boots", category: "Boots", default_price: "90" }));
    expect(await priceOf(id, "platypus")).toBe("90.00");
    const style = (await (await admin("POST", `/products/${id}/styles`, { name: "Brown", original_price: "120", sale_price: "75" })).json()) as { style_id: number };
    expect(await priceOf(id, "platypus")).toBe("75.00");
    await admin("PATCH", `/styles/${style.style_id}`, { sale_price: null });
    expect(await priceOf(id, "platypus")).toBe("120.00");
    await admin("DELETE", `/styles/${style.style_id}`);
    expect(await priceOf(id, "platypus")).toBe("90.00");
    await admin("PATCH", `/products/${id}`, { default_price: "95" });
    expect(await priceOf(id, "platypus")).toBe("95.00");
  });

  it("drops a deleted product from results and from its category count", async () => {
    const id = await created(await admin("POST", "/products", { name: "Echidna Mitts", category: "Mitts", default_price: "15" }));
    await admin("DELETE", `/products/${id}`);
    expect(await ids("q=echidna")).toEqual([]);
    expect((await categories()).map((c) => c.category)).not.toContain("Mitts");
  });

  it("flips in_stock when an order empties the last stocked sku and a cancel refills it", async () => {
    const id = await created(await admin("POST", "/products", { name: "Bilby Beanie", category: "Hats", default_price: "20" }));
    const style = (await (await admin("POST", `/products/${id}/styles`, { name: "Grey", original_price: "20", skus: [{ size: "M", quantity: 1 }] })).json()) as { skus: Record<string, unknown> };
    const skuId = Number(Object.keys(style.skus)[0]);
    expect(await ids("q=bilby&in_stock=true")).toEqual([id]);
    const order = (await (await placeOrder([{ sku_id: skuId, quantity: 1 }])).json()) as { id: string };
    expect(await ids("q=bilby&in_stock=true")).toEqual([]);
    expect(await ids("q=bilby")).toEqual([id]);
    await cancelOrder(order.id);
    expect(await ids("q=bilby&in_stock=true")).toEqual([id]);
  });

  it("keeps a product in stock while another sku still has some", async () => {
    await addSku(900, 2, 1); // a second stocked sku under product 1's style 1
    await env.DB.prepare("UPDATE skus SET quantity = 0 WHERE id IN (37, 38)").run();
    expect(await ids("q=camo&in_stock=true")).toEqual([1]);
    await env.DB.prepare("UPDATE skus SET quantity = 0 WHERE id = 900").run();
    expect(await ids("q=camo&in_stock=true")).toEqual([]);
  });
});
