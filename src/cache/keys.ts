// The keys of the read cache: one per cached answer.
export const readCacheKeys = {
  product: (productId: number) => `product:${productId}`,
  styles: (productId: number) => `styles:${productId}`,
  related: (productId: number) => `related:${productId}`,
  categories: () => "categories",
};
