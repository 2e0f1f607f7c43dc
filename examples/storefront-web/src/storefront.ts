// What a front end builds on @storefront/client: a product page, a search box and an order, with every
// path, parameter and body typed from the API's own declarations. No fetch code, no hand-written types.
import { createClient, type InferResponseType, type StorefrontClient } from "@storefront/client";

export { createClient };
export type Product = InferResponseType<StorefrontClient["products"][":product_id"]["$get"], 200>;
export type Style = InferResponseType<StorefrontClient["products"][":product_id"]["styles"]["$get"], 200>["results"][number];
export type SearchResult = InferResponseType<StorefrontClient["search"]["$get"], 200>["results"][number];
export type Order = InferResponseType<StorefrontClient["orders"]["$post"], 201>;

export interface ProductPage { product: Product; styles: Style[]; related: number[] }

/** Everything a product page shows, in three parallel reads; null when the product doesn't exist. */
export async function loadProductPage(api: StorefrontClient, id: number): Promise<ProductPage | null> {
  const param = { product_id: String(id) }; // ids travel in the URL, as strings
  const [product, styles, related] = await Promise.all([
    api.products[":product_id"].$get({ param }),
    api.products[":product_id"].styles.$get({ param }),
    api.products[":product_id"].related.$get({ param }),
  ]);
  if (product.status === 404) return null;
  if (product.status !== 200 || styles.status !== 200 || related.status !== 200) {
    throw new Error(`product ${id}: ${product.status} / ${styles.status} / ${related.status}`);
  }
  return { product: await product.json(), styles: (await styles.json()).results, related: await related.json() };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page as HTML: the price a shopper pays for each style, and its sizes in stock. */
export function renderProductPage({ product, styles }: ProductPage): string {
  const rows = styles.map((style) => {
    const price = style.sale_price ?? style.original_price; // money is a string such as "140.00"
    const sizes = Object.values(style.skus).filter((sku) => sku.quantity > 0).map((sku) => escape(sku.size));
    return `<li>${escape(style.name)}${style["default?"] ? " (default)" : ""}: $${price}, sizes ${sizes.join(", ") || "sold out"}</li>`;
  });
  return `<h1>${escape(product.name)}</h1><p>${escape(product.slogan)}</p><ul>${rows.join("")}</ul>`;
}

/** The search box: the first page of results for what was typed, in stock only. */
export async function search(api: StorefrontClient, text: string): Promise<SearchResult[]> {
  const res = await api.search.$get({ query: { q: text, in_stock: "true", limit: "10" } });
  if (res.status !== 200) throw new Error(`search "${text}": ${res.status}`);
  return (await res.json()).results;
}

/** Places an order; a retry with the same key answers the same order. */
export async function placeOrder(api: StorefrontClient, skuId: number, quantity: number, key: string):
  Promise<{ order: Order } | { outOfStock: string }> {
  const res = await api.orders.$post({ json: { items: [{ sku_id: skuId, quantity }] }, header: { "idempotency-key": key } });
  if (res.status === 201) return { order: await res.json() };
  if (res.status === 409) return { outOfStock: (await res.json()).message };
  throw new Error(`order: ${res.status}`);
}

/**
 * Never called: lines `tsc` must reject. If the client's types were lost (everything `any`), these
 * would compile, and "Unused '@ts-expect-error' directive" fails the build instead.
 */
export function typeChecks(api: StorefrontClient): void {
  // @ts-expect-error ids in paths are strings, as they travel in the URL
  void api.products[":product_id"].$get({ param: { product_id: 1 } });
  // @ts-expect-error there is no such route
  void api.produce;
  // @ts-expect-error a client never sets a price
  void api.orders.$post({ json: { items: [{ sku_id: 1, quantity: 1, unit_price: "1.00" }] } });
  const money: Product["default_price"] = "140.00";
  // @ts-expect-error money is a string, never a float
  const float: Product["default_price"] = 140;
  void money; void float;
}
