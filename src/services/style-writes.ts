import type { Db } from "../db/resilient-d1";
import { and, eq, ne, notInArray, sql, type SQL } from "drizzle-orm";
import { catalogDb, d1Statement, insertStatements, setsAnyColumn } from "../db/client";
import { isForeignKeyFailure } from "../db/d1-errors";
import { NEWEST_STYLE_ID } from "../db/new-ids";
import { CREATED_STYLE, STYLE_BY_ID, type StyleRow } from "../db/read-queries";
import { photos, skus, styles } from "../db/schema";
import { AppError, productNotFound, styleNotFound } from "../lib/errors";
import type { StyleInput, StylePatch } from "../schemas/catalog-writes";
import { STYLE_OWNER } from "../db/style-queries";

// Style writes. Each is one D1 batch: the style row, its photos and skus, the default flag of its
// siblings, and as the last statement the style read back as it appears in the styles payload.

const lastRow = (results: D1Result<StyleRow>[]) => results[results.length - 1]?.results[0] ?? null;

function insertPhotos(db: Db, styleId: number | SQL, list: StyleInput["photos"] = []): D1PreparedStatement[] {
  const rows = list.map((p) => ({ styleId, url: p.url, thumbnailUrl: p.thumbnail_url }));
  return insertStatements(db, rows, (chunk) => catalogDb(db).insert(photos).values(chunk));
}

function insertSkus(db: Db, styleId: number | SQL, list: { size: string; quantity: number }[]): D1PreparedStatement[] {
  const rows = list.map((k) => ({ styleId, size: k.size, quantity: k.quantity }));
  return insertStatements(db, rows, (chunk) => catalogDb(db).insert(skus).values(chunk));
}

/** Creates a style with its photos and skus; a default style takes the flag from its siblings. */
export async function createStyle(db: Db, productId: number, input: StyleInput): Promise<string> {
  const d = catalogDb(db);
  const isDefault = input["default?"] ?? false;
  const newStyle = sql.raw(NEWEST_STYLE_ID);
  const statements = [
    ...(isDefault ? [d1Statement(db, d.update(styles).set({ isDefault: false }).where(eq(styles.productId, productId)))] : []),
    d1Statement(db, d.insert(styles).values({
      productId, name: input.name, originalPrice: input.original_price, salePrice: input.sale_price ?? null, isDefault,
    })),
    ...insertPhotos(db, newStyle, input.photos),
    ...insertSkus(db, newStyle, input.skus ?? []),
    db.prepare(CREATED_STYLE),
  ];
  return (await runStyleBatch(db, statements, () => productNotFound(productId))).body;
}

/**
 * PATCH: changes the given fields. `photos` replaces the list. `skus` is the style's new list: an entry
 * `{sku_id}` keeps that sku untouched (stock changes only through the serializer's stock route), an
 * entry `{size, quantity}` adds one, and a sku the list leaves out is deleted.
 */
export async function updateStyle(db: Db, styleId: number, patch: StylePatch): Promise<string> {
  const d = catalogDb(db);
  const owner = await styleOwner(db, styleId);
  const keep = patch.skus ? keptSkuIds(owner, styleId, patch.skus) : [];
  const columns = {
    name: patch.name, originalPrice: patch.original_price, salePrice: patch.sale_price, isDefault: patch["default?"],
  };
  const productOfStyle = sql`(SELECT ${styles.productId} FROM ${styles} WHERE ${styles.id} = ${styleId})`;
  const statements = [
    ...(patch["default?"] === true
      ? [d1Statement(db, d.update(styles).set({ isDefault: false }).where(and(eq(styles.productId, productOfStyle), ne(styles.id, styleId))))]
      : []),
    ...(setsAnyColumn(columns) ? [d1Statement(db, d.update(styles).set(columns).where(eq(styles.id, styleId)))] : []),
    ...(patch.photos
      ? [d1Statement(db, d.delete(photos).where(eq(photos.styleId, styleId))), ...insertPhotos(db, styleId, patch.photos)]
      : []),
    ...(patch.skus
      ? [d1Statement(db, d.delete(skus).where(and(eq(skus.styleId, styleId), notInArray(skus.id, keep)))),
        ...insertSkus(db, styleId, newSkus(patch.skus))]
      : []),
    db.prepare(STYLE_BY_ID).bind(styleId),
  ];
  return (await runStyleBatch(db, statements, () => styleNotFound(styleId))).body;
}

type SkuListEntry = NonNullable<StylePatch["skus"]>[number];

/** The entries of a PATCH's sku list that add a sku (the schema makes sure they carry size and quantity). */
const newSkus = (list: SkuListEntry[]) => list.flatMap((k) =>
  (k.sku_id === undefined && k.size !== undefined && k.quantity !== undefined ? [{ size: k.size, quantity: k.quantity }] : []));

interface StyleOwner { productId: number; skuIds: Set<number> }

/** The style's product and current skus, in one read; 404 for an unknown style. */
async function styleOwner(db: Db, styleId: number): Promise<StyleOwner> {
  const row = await db.prepare(STYLE_OWNER).bind(styleId).first<{ product_id: number; sku_ids: string }>();
  if (row === null) throw styleNotFound(styleId);
  return { productId: row.product_id, skuIds: new Set(JSON.parse(row.sku_ids) as number[]) };
}

/** The ids a PATCH keeps, after checking that each is a sku of this style. */
function keptSkuIds(owner: StyleOwner, styleId: number, list: SkuListEntry[]): number[] {
  const issues = list.flatMap((k, i) => (k.sku_id === undefined || owner.skuIds.has(k.sku_id)
    ? []
    : [{ field: `skus.${i}.sku_id`, message: `sku ${k.sku_id} is not a sku of style ${styleId}` }]));
  if (issues.length > 0) {
    throw new AppError("VALIDATION_ERROR", `Invalid body: ${issues.map((i) => i.field).join(", ")}`, issues);
  }
  return list.flatMap((k) => (k.sku_id === undefined ? [] : [k.sku_id]));
}

async function runStyleBatch(db: Db, statements: D1PreparedStatement[], notFound: () => AppError): Promise<StyleRow> {
  let row: StyleRow | null;
  try {
    row = lastRow(await db.batch<StyleRow>(statements));
  } catch (err) {
    // The only foreign keys written here are the style's product and a photo's or sku's style:
    // the parent doesn't exist, and the failed batch wrote nothing.
    if (isForeignKeyFailure(err)) throw notFound();
    throw err;
  }
  if (row === null) throw notFound();
  return row;
}

/** Deletes the style; ON DELETE CASCADE takes its photos and skus in the same statement. */
export async function deleteStyle(db: Db, styleId: number): Promise<void> {
  const d = catalogDb(db);
  const deleted = await d1Statement(db, d.delete(styles).where(eq(styles.id, styleId)).returning({ id: styles.id })).first();
  if (deleted === null) throw styleNotFound(styleId);
}
