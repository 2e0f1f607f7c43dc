// Every KV key the API writes is built here. Bump KEY_VERSION when a payload's shape changes:
// old entries are then never read again and expire by their TTL.
const KEY_VERSION = "v1";

export const cacheKeys = {
  product: (productId: number) => `${KEY_VERSION}:product:${productId}`,
  styles: (productId: number) => `${KEY_VERSION}:styles:${productId}`,
};

/** The keys a change to one product (its fields, features, styles, photos or skus) makes stale. */
export const keysForProduct = (productId: number) => [cacheKeys.product(productId), cacheKeys.styles(productId)];

/**
 * The keys a change to several products' stock makes stale (orders, cancels, restocks): stock appears
 * only in the styles payload, so the product payload (fields and features) stays. Half the KV deletes
 * per order, and KV takes one write per key per second.
 */
export const keysForStock = (productIds: number[]) => productIds.map(cacheKeys.styles);

/** The key a change to one of a product's styles (or their photos or skus) makes stale. */
export const keysForStyles = (productId: number) => [cacheKeys.styles(productId)];
