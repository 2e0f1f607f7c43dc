// What makes a row of each CSV file loadable: its fields turned into the table's column values, or a
// Reject with the reason. Checks run in a fixed order (shape, id, duplicate, values, parents), so the
// same files always give the same decisions; `--resume` relies on that to rebuild its state by
// replaying what was already committed.
import { TEXT_LENGTH } from "../../src/schemas/limits";
import { TABLES, type TableName, type Value } from "./catalog-rows";
import { CSV_FILES } from "./csv-format";
import { IdSet, PairSet, PositionCounter } from "./import-id-sets";
import { flag, id, price, quantity, Reject, text, url } from "./import-values";

/** Everything accepted so far, in the memory-lean forms of import-id-sets.ts. */
export interface ImportState {
  ids: Record<TableName, IdSet>; // accepted ids per file (related.csv's own id column too)
  links: PairSet; // accepted (product, related product) pairs
  positions: PositionCounter; // next related position per product
}

export const newImportState = (): ImportState => ({
  ids: { products: new IdSet(), features: new IdSet(), styles: new IdSet(), photos: new IdSet(), skus: new IdSet(), related: new IdSet() },
  links: new PairSet(),
  positions: new PositionCounter(),
});

/** SQL column order of each table, as catalog-rows.ts (and the migration) has it. */
export const COLUMNS = Object.fromEntries(TABLES.map((t) => [t.name, t.columns])) as Record<TableName, readonly string[]>;

type Check = (f: string[], s: ImportState) => Value[] | Reject;

// Returns the first Reject among `values`, if any, so each check reads as one list of fields.
function firstReject(values: Array<Value | Reject>): Value[] | Reject {
  for (const v of values) if (v instanceof Reject) return v;
  return values as Value[];
}

function parent(s: ImportState, table: TableName, raw: string, name: string): number | Reject {
  const n = id(raw, name);
  if (n instanceof Reject) return n;
  return s.ids[table].has(n) ? n : new Reject("parent_not_found", `${name} ${n} does not exist`);
}

const CHECKS: Record<TableName, Check> = {
  products: ([i, name, slogan, description, category, defaultPrice], s) => firstReject([
    Number(i), text(name!, "name", ...TEXT_LENGTH.name), text(slogan!, "slogan", ...TEXT_LENGTH.slogan), text(description!, "description", ...TEXT_LENGTH.description, false, true),
    text(category!, "category", ...TEXT_LENGTH.category), price(defaultPrice!, "default_price", false),
  ]),
  features: ([i, productId, feature, value], s) => firstReject([
    Number(i), parent(s, "products", productId!, "product_id"), text(feature!, "feature", ...TEXT_LENGTH.feature), text(value!, "value", ...TEXT_LENGTH.featureValue, true),
  ]),
  styles: ([i, productId, name, sale, original, isDefault], s) => firstReject([
    Number(i), parent(s, "products", productId!, "productId"), text(name!, "name", ...TEXT_LENGTH.name),
    price(original!, "original_price", false), price(sale!, "sale_price", true), flag(isDefault!, "default_style"),
  ]),
  photos: ([i, styleId, photoUrl, thumbnail], s) => firstReject([
    Number(i), parent(s, "styles", styleId!, "styleId"), url(photoUrl!, "url"), url(thumbnail!, "thumbnail_url"),
  ]),
  skus: ([i, styleId, size, qty], s) => firstReject([
    Number(i), parent(s, "styles", styleId!, "styleId"), text(size!, "size", ...TEXT_LENGTH.size), quantity(qty!),
  ]),
  related: ([, from, to], s) => {
    const product = parent(s, "products", from!, "current_product_id");
    if (product instanceof Reject) return product;
    if (to === "0") return new Reject("related_zero", "related_product_id 0 points nowhere");
    const other = parent(s, "products", to!, "related_product_id");
    if (other instanceof Reject) return other;
    if (other === product) return new Reject("related_self", `product ${product} is related to itself`);
    if (!s.links.add(product, other)) return new Reject("duplicate_link", `link ${product} -> ${other} appears twice`);
    return [product, other, s.positions.next(product)];
  },
};

/**
 * Checks one record of `table`'s file against everything accepted before it. Accepting updates
 * `state`, so call it exactly once per record, in file order.
 */
export function checkRow(table: TableName, fields: string[], state: ImportState): Value[] | Reject {
  const width = CSV_FILES[table].header.length;
  if (fields.length !== width) return new Reject("field_count", `expected ${width} fields, got ${fields.length}`);
  for (let k = 0; k < width; k++) fields[k] = fields[k]!.trim(); // quoted fields keep their spaces until here
  const rowId = id(fields[0]!, "id");
  if (rowId instanceof Reject) return rowId;
  if (state.ids[table].has(rowId)) return new Reject("duplicate_id", `duplicate id ${rowId}`);
  const values = CHECKS[table](fields, state);
  if (!(values instanceof Reject)) state.ids[table].add(rowId);
  return values;
}
