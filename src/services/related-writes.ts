import type { Db } from "../db/resilient-d1";
import { eq, inArray } from "drizzle-orm";
import { catalogDb, d1Statement, insertStatements } from "../db/client";
import { isForeignKeyFailure } from "../db/d1-errors";
import { type BodyRow, PRODUCT_RELATED } from "../db/read-queries";
import { products, related } from "../db/schema";
import { AppError, productNotFound } from "../lib/errors";

// Related links are read from D1 on every request (never cached in KV), so replacing them deletes no
// cache entry.

/**
 * Replaces a product's related list, keeping the given order. Every id must name another existing
 * product (400 naming the bad entries otherwise); the product itself must exist (404).
 */
// A product deleted between the check and the batch makes the batch fail on its foreign key; the check
// then answers 404 or 400. Should the batch keep failing while the check passes, this many attempts end
// in 503 rather than a loop that holds the request (and the database) forever.
const RELATED_WRITE_ATTEMPTS = 3;

export async function replaceRelated(db: Db, productId: number, ids: number[], attempt = 1): Promise<string> {
  const d = catalogDb(db);
  const found = await d.select({ id: products.id }).from(products).where(inArray(products.id, [productId, ...ids]));
  const existing = new Set(found.map((r) => r.id));
  if (!existing.has(productId)) throw productNotFound(productId);
  const issues = ids.flatMap((id, i) => {
    if (id === productId) return [{ field: String(i), message: "a product can't be related to itself" }];
    return existing.has(id) ? [] : [{ field: String(i), message: `product ${id} does not exist` }];
  });
  if (issues.length > 0) throw new AppError("VALIDATION_ERROR", `Invalid body: ${issues.map((i) => i.field).join(", ")}`, issues);

  const rows = ids.map((relatedProductId, position) => ({ productId, relatedProductId, position }));
  try {
    const results = await db.batch<BodyRow>([
      d1Statement(db, d.delete(related).where(eq(related.productId, productId))),
      ...insertStatements(db, rows, (chunk) => d.insert(related).values(chunk)),
      db.prepare(PRODUCT_RELATED).bind(productId),
    ]);
    const body = results[results.length - 1]?.results[0]?.body;
    if (body === undefined) throw productNotFound(productId);
    return body;
  } catch (err) {
    // A product was deleted between the check and the batch, which then wrote nothing: check again,
    // which now answers 404 or 400 naming it.
    if (!isForeignKeyFailure(err)) throw err;
    if (attempt < RELATED_WRITE_ATTEMPTS) return replaceRelated(db, productId, ids, attempt + 1);
    throw new AppError("UNAVAILABLE", "The related list could not be saved; nothing was changed. Retry shortly.", undefined, { "Retry-After": "1" });
  }
}
