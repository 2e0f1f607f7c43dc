import { cacheKeys, keysForProduct } from "./cache-keys";
import { invalidate } from "./payload-cache";

// Each write deletes the payloads it made stale, and awaits that before it answers.
// What embeds what: GET /products/:id holds the product's fields and features; GET
// /products/:id/styles holds its styles, photos and skus (and only the product's id). A product write
// deletes both (docs/decisions/cache-keys.md: keysForProduct; the styles entry is cheap to rebuild and
// stays right if that payload ever shows a product field); a style write deletes only the styles entry.
// Neither payload embeds another product, and the list and related payloads are not cached, so a write
// to product X never makes another product's entry stale — deleting X included (links to X vanish with
// it, and related ids are read from D1 every time).

/** Deletes every cached payload of these products; called before a write answers. */
export async function invalidateProducts(kv: KVNamespace, productIds: number[]): Promise<void> {
  await invalidate(kv, productIds.flatMap(keysForProduct));
}

/** One of the product's styles (or its photos or skus) changed: only the styles payload shows them. */
export async function invalidateStyles(kv: KVNamespace, productId: number): Promise<void> {
  await invalidate(kv, [cacheKeys.styles(productId)]);
}
