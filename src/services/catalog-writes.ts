import type { Db } from "../db/resilient-d1";
import { eq, sql, type SQL } from "drizzle-orm";
import { catalogDb, d1Statement, insertStatements, setsAnyColumn } from "../db/client";
import { isForeignKeyFailure } from "../db/d1-errors";
import { NEWEST_PRODUCT_ID } from "../db/new-ids";
import { type BodyRow, CREATED_PRODUCT_WITH_FEATURES, PRODUCT_WITH_FEATURES } from "../db/read-queries";
import { features, products } from "../db/schema";
import { productNotFound } from "../lib/errors";
import type { ProductInput, ProductPatch } from "../schemas/catalog-writes";

// Product writes. Each is one D1 batch (one transaction) whose last statement reads the product back
// as GET /products/:id shows it, so the answer is what was committed and a failure writes nothing.

const lastBody = (results: D1Result<BodyRow>[]) => results[results.length - 1]?.results[0]?.body ?? null;

/** POST and PUT take the whole product: what it omits is reset to the defaults. */
const withDefaults = (input: ProductInput): Required<ProductInput> =>
  ({ slogan: "", description: "", features: [], ...input });

/** The API's fields as Drizzle columns; a field left undefined is left unchanged by an update. */
function productColumns<T extends ProductPatch>(p: T): {
  name: T["name"]; slogan: T["slogan"]; description: T["description"]; category: T["category"]; defaultPrice: T["default_price"];
} {
  return { name: p.name, slogan: p.slogan, description: p.description, category: p.category, defaultPrice: p.default_price };
}

function insertFeatures(db: Db, productId: number | SQL, list: ProductInput["features"] = []): D1PreparedStatement[] {
  const rows = list.map((f) => ({ productId, feature: f.feature, value: f.value }));
  return insertStatements(db, rows, (chunk) => catalogDb(db).insert(features).values(chunk));
}

/** Creates a product with its features. */
export async function createProduct(db: Db, input: ProductInput): Promise<{ id: number; body: string }> {
  const full = withDefaults(input);
  const insert = catalogDb(db).insert(products).values(productColumns(full)).returning({ id: products.id });
  const results = await db.batch<Record<string, unknown>>([
    d1Statement(db, insert),
    ...insertFeatures(db, sql.raw(NEWEST_PRODUCT_ID), full.features),
    db.prepare(CREATED_PRODUCT_WITH_FEATURES),
  ]);
  const id = Number(results[0]!.results[0]!.id);
  return { id, body: lastBody(results as D1Result<BodyRow>[])! };
}

/** PATCH: changes the given fields; `features`, when given, replaces the list. */
export async function updateProduct(db: Db, id: number, change: ProductPatch): Promise<string> {
  const d = catalogDb(db);
  const columns = productColumns(change);
  const statements = [
    ...(setsAnyColumn(columns) ? [d1Statement(db, d.update(products).set(columns).where(eq(products.id, id)))] : []),
    ...(change.features
      ? [d1Statement(db, d.delete(features).where(eq(features.productId, id))), ...insertFeatures(db, id, change.features)]
      : []),
    db.prepare(PRODUCT_WITH_FEATURES).bind(id),
  ];
  let body: string | null;
  try {
    body = lastBody(await db.batch<BodyRow>(statements));
  } catch (err) {
    // The only foreign key here is a feature's product: the product doesn't exist, and nothing was written.
    if (isForeignKeyFailure(err)) throw productNotFound(id);
    throw err;
  }
  if (body === null) throw productNotFound(id);
  return body;
}

/** PUT: the whole product, features included. */
export const replaceProduct = (db: Db, id: number, input: ProductInput) =>
  updateProduct(db, id, withDefaults(input));

/**
 * Deletes the product; the schema's ON DELETE CASCADE takes its features, styles (with their photos and
 * skus) and related links in both directions within the same statement. Order lines have no foreign key
 * to the catalog, so orders keep theirs.
 */
export async function deleteProduct(db: Db, id: number): Promise<void> {
  const d = catalogDb(db);
  const deleted = await d1Statement(db, d.delete(products).where(eq(products.id, id)).returning({ id: products.id })).first();
  if (deleted === null) throw productNotFound(id);
}
