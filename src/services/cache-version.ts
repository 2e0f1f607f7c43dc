import { eq, sql } from "drizzle-orm";
import { catalogDb, d1Statement } from "../db/client";
import type { Db } from "../db/resilient-d1";
import { products } from "../db/schema";

/**
 * The statement every admin catalog write puts in its batch: bumps the cache_version of the product
 * whose cached payloads it changes, so a cache fill that read before the commit sees the version move
 * and deletes what it stored (docs/decisions/cache-keys.md). No row for an unknown product: a no-op.
 */
export const bumpCacheVersion = (db: Db, productId: number): D1PreparedStatement =>
  d1Statement(db, catalogDb(db).update(products)
    .set({ cacheVersion: sql`${products.cacheVersion} + 1` })
    .where(eq(products.id, productId)));
