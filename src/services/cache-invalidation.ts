import { keysForProduct } from "./cache-keys";
import { invalidate } from "./payload-cache";

/** Deletes every cached payload of these products; called before a write answers. */
export async function invalidateProducts(kv: KVNamespace, productIds: number[]): Promise<void> {
  await invalidate(kv, productIds.flatMap(keysForProduct));
}
