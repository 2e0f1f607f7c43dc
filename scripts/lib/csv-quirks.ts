// The flaws real exports of the reference storefront have, planted a few times each in the sample CSVs
// so that the importer's handling of every one of them is exercised by `npm start` and by every test
// catalog. Which products carry them depends only on (products, seed), so the bytes stay deterministic.
import { mix } from "./catalog-rows";

export const QUIRKS = {
  // Loaded as intended once parsed correctly:
  "comma-quotes": "a product name with a comma and escaped quotes",
  "newline": "a product description with an embedded newline (a quoted row broken across lines)",
  "whitespace": "stray whitespace around every field of a product row and of a sku row",
  "crlf": "sku rows ending in CRLF",
  // Rejected, each with its own reason:
  "duplicate-id": "a second row reusing the id of the row before it, in every file",
  "broken-row": "a feature row broken across two lines outside quotes",
  "empty-name": "a product with an empty name (its styles, features and links go with it)",
  "bad-price": "a style whose original_price is not a price (its photos and skus go with it)",
  "negative-quantity": "a sku with a negative quantity",
  "bad-url": "a photo whose url is a relative path",
  "related-zero": "a related link to product 0",
  "related-nowhere": "a related link to a product id that no row has",
  "related-self": "a product related to itself",
  "duplicate-link": "a related link repeated under a new id",
} as const;
export type QuirkKind = keyof typeof QUIRKS;

type ChildTable = "features" | "styles" | "photos" | "skus" | "related";
// Which rows a quirk needs in its product's bundle; a product without them passes it to the next.
const NEEDS: Partial<Record<QuirkKind, ChildTable[]>> = {
  "broken-row": ["features"], "bad-price": ["styles"], "negative-quantity": ["skus"], "crlf": ["skus"],
  "bad-url": ["photos"], "duplicate-id": ["features", "photos", "skus", "related"],
  "duplicate-link": ["related"], "whitespace": ["skus"],
};

/** Each kind this many times. */
export const COPIES = 2;
/** Smaller catalogs are generated clean: there is no room to spread the quirks out. */
export const MIN_PRODUCTS_FOR_QUIRKS = 50;

export interface QuirkTarget { kind: QuirkKind; from: number }

// Every (kind, copy) gets its own start id spread over 2..products, so quirks rarely share a product;
// product 1 is never touched (the README's examples read it).
export function planQuirks(products: number, seed: number): QuirkTarget[] {
  if (products < MIN_PRODUCTS_FOR_QUIRKS) return [];
  const kinds = Object.keys(QUIRKS) as QuirkKind[];
  const targets: QuirkTarget[] = [];
  kinds.forEach((kind, k) => {
    for (let c = 0; c < COPIES; c++) {
      const slot = k * COPIES + c;
      const span = (products - 1) / (kinds.length * COPIES);
      const jitter = (mix(seed, 0x51f15 + slot) / 4294967296) * span * 0.5;
      targets.push({ kind, from: 2 + Math.floor(slot * span + jitter) });
    }
  });
  return targets.sort((a, b) => a.from - b.from);
}

/** Quirks still waiting for a product that can carry them; hands them out in id order. */
export class QuirkQueue {
  private waiting: QuirkTarget[];
  constructor(products: number, seed: number) { this.waiting = planQuirks(products, seed); }

  // At most one quirk per product keeps each reject easy to attribute to its cause.
  take(productId: number, has: (table: ChildTable) => boolean): QuirkKind | null {
    const i = this.waiting.findIndex((t) => t.from <= productId && (NEEDS[t.kind] ?? []).every(has));
    if (i < 0) return null;
    return this.waiting.splice(i, 1)[0]!.kind;
  }

  get left(): number { return this.waiting.length; }
}
