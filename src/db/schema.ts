import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Money is integer cents everywhere below; formatting to "140.00" happens in SQL or src/lib/money.ts.
// Every foreign key has an index whose leading column is that key: a lookup by parent and a cascade
// delete from the parent both search instead of scanning a table that grows with the shop.

// AUTOINCREMENT on products, styles and skus: an id is never handed out again after a delete, so an
// order line's product_id / style_id / sku_id can never come to name a different thing.
export const products = sqliteTable("products", {
  id: integer().primaryKey({ autoIncrement: true }),
  name: text().notNull(),
  slogan: text().notNull().default(""),
  description: text().notNull().default(""),
  category: text().notNull(),
  defaultPrice: integer().notNull(),
}, (t) => [check("products_default_price_non_negative", sql`${t.defaultPrice} >= 0`)]);

export const features = sqliteTable("features", {
  id: integer().primaryKey(),
  productId: integer().notNull().references(() => products.id, { onDelete: "cascade" }),
  feature: text().notNull(),
  value: text(),
}, (t) => [index("features_product_id_idx").on(t.productId)]);

export const styles = sqliteTable("styles", {
  id: integer().primaryKey({ autoIncrement: true }),
  productId: integer().notNull().references(() => products.id, { onDelete: "cascade" }),
  name: text().notNull(),
  originalPrice: integer().notNull(),
  salePrice: integer(),
  isDefault: integer({ mode: "boolean" }).notNull().default(false),
}, (t) => [
  index("styles_product_id_idx").on(t.productId),
  check("styles_original_price_non_negative", sql`${t.originalPrice} >= 0`),
  check("styles_sale_price_non_negative", sql`${t.salePrice} IS NULL OR ${t.salePrice} >= 0`),
]);

export const photos = sqliteTable("photos", {
  id: integer().primaryKey(),
  styleId: integer().notNull().references(() => styles.id, { onDelete: "cascade" }),
  url: text().notNull(),
  thumbnailUrl: text().notNull(),
}, (t) => [index("photos_style_id_idx").on(t.styleId)]);

export const skus = sqliteTable("skus", {
  id: integer().primaryKey({ autoIncrement: true }),
  styleId: integer().notNull().references(() => styles.id, { onDelete: "cascade" }),
  size: text().notNull(),
  // What a new buyer can take: units on hand that no cart holds (on hand is quantity + held). The last
  // line of defence against overselling, by orders and by holds alike: a decrement below zero aborts
  // its whole batch.
  quantity: integer().notNull(),
  // Units held by carts: the sum of this sku's cart_items, kept by the triggers of
  // migrations/0006_carts.sql, which move units between quantity and held as items come and go.
  held: integer().notNull().default(0),
}, (t) => [
  index("skus_style_id_idx").on(t.styleId),
  check("skus_quantity_non_negative", sql`${t.quantity} >= 0`),
]);

// `position` keeps the order an admin gave in PUT /products/:id/related.
export const related = sqliteTable("related", {
  productId: integer().notNull().references(() => products.id, { onDelete: "cascade" }),
  relatedProductId: integer().notNull().references(() => products.id, { onDelete: "cascade" }),
  position: integer().notNull(),
}, (t) => [
  primaryKey({ columns: [t.productId, t.relatedProductId] }),
  index("related_related_product_id_idx").on(t.relatedProductId),
]);

// Orders outlive the catalog: no foreign key from a line to a product, style or sku, and each line
// keeps its own copy of the names, size and unit price the buyer saw.
export const orders = sqliteTable("orders", {
  id: text().primaryKey(),
  status: text({ enum: ["placed", "cancelled"] }).notNull(),
  createdAt: text().notNull(),
  total: integer().notNull(),
  // Set for every order (the client's Idempotency-Key or one the Worker made up); unique, so a
  // retried placement can never write a second order even if the serializer forgot the key.
  idempotencyKey: text().notNull().unique(),
  requestHash: text().notNull(),
}, (t) => [
  index("orders_created_at_id_idx").on(t.createdAt, t.id),
  check("orders_status_known", sql`${t.status} IN ('placed', 'cancelled')`),
  check("orders_total_non_negative", sql`${t.total} >= 0`),
]);

export const orderLines = sqliteTable("order_lines", {
  orderId: text().notNull().references(() => orders.id, { onDelete: "cascade" }),
  lineNo: integer().notNull(),
  skuId: integer().notNull(),
  productId: integer().notNull(),
  styleId: integer().notNull(),
  productName: text().notNull(),
  styleName: text().notNull(),
  size: text().notNull(),
  quantity: integer().notNull(),
  unitPrice: integer().notNull(),
}, (t) => [
  primaryKey({ columns: [t.orderId, t.lineNo] }),
  check("order_lines_quantity_positive", sql`${t.quantity} > 0`),
]);

// Admin stock changes (POST /skus/:id/stock), one row per Idempotency-Key (the client's, or one the
// Worker made up and hands back when the outcome is unknown): a retry replays the stored answer.
export const stockChanges = sqliteTable("stock_changes", {
  idempotencyKey: text().primaryKey(),
  requestHash: text().notNull(),
  skuId: integer().notNull(),
  delta: integer().notNull(),
  // The sku's stock right after this change, as the first answer said: on hand, and what a new buyer
  // could take (null for changes recorded before carts held stock: then it was the same as on hand).
  quantityAfter: integer().notNull(),
  availableAfter: integer(),
  createdAt: text().notNull(),
});

// Carts (docs/decisions/carts.md). Written only by the order serializer, like stock. Times are ISO
// strings of the serializer's clock, so they sort as they compare.
export const carts = sqliteTable("carts", {
  // Opaque and unguessable, like an order id: the only key to the cart.
  id: text().primaryKey(),
  createdAt: text().notNull(),
  // The last change (create, hold, release, checkout): the cart is deleted 24 h after it.
  updatedAt: text().notNull(),
  // Its holds count until then; every change renews it, never past first_hold_at + 60 minutes.
  expiresAt: text().notNull(),
  firstHoldAt: text(),
  // Set by checkout: the cart is closed and became this order.
  orderId: text(),
}, (t) => [index("carts_updated_at_idx").on(t.updatedAt)]);

// An open cart's lines; each one holds its quantity of the sku (see skus.held). A checkout or an expiry
// deletes them; deleting a sku deletes its lines from every cart.
export const cartItems = sqliteTable("cart_items", {
  cartId: text().notNull().references(() => carts.id, { onDelete: "cascade" }),
  skuId: integer().notNull().references(() => skus.id, { onDelete: "cascade" }),
  quantity: integer().notNull(),
  // The cart's expires_at, copied at every renewal, so a sku's expired holds and the next expiry are
  // index searches.
  expiresAt: text().notNull(),
  addedAt: text().notNull(),
}, (t) => [
  primaryKey({ columns: [t.cartId, t.skuId] }),
  index("cart_items_sku_id_expires_at_idx").on(t.skuId, t.expiresAt),
  index("cart_items_expires_at_idx").on(t.expiresAt),
  check("cart_items_quantity_in_range", sql`${t.quantity} BETWEEN 1 AND 1000`),
]);

// Search (docs/decisions/search.md). What /search filters on, one row per indexed product, kept by the
// triggers of migrations/0002_search.sql in the same statement as the write that changes it. A product
// has a row here exactly when it is in the FTS5 index (product_search), which the triggers check.
export const productFacts = sqliteTable("product_facts", {
  productId: integer().primaryKey(),
  category: text().notNull(),
  // What a shopper pays: the lowest COALESCE(sale_price, original_price) of its styles, else default_price.
  price: integer().notNull(),
  // Some sku of some style has quantity > 0.
  inStock: integer({ mode: "boolean" }).notNull(),
}, (t) => [index("product_facts_category_idx").on(t.category, t.productId)]);

// GET /categories: one row per category that has products, counted by the same triggers.
export const categoryCounts = sqliteTable("category_counts", {
  category: text().primaryKey(),
  products: integer().notNull(),
});
