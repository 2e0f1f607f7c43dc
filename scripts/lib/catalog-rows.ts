// Deterministic sample catalog. Every product draws from its own PRNG seeded by (seed, product id),
// so a product's rows never depend on how far a caller has iterated; only the sequential child ids
// carry state from one product to the next. Rows use the SQL column names of migrations/0000_init.sql.

export interface CatalogOptions { products: number; seed: number }
/** The sample catalog `npm start` seeds (and test/routes/search-ranking.test.ts searches). */
export const DEFAULT_CATALOG = { products: 3000, seed: 42 } as const;
export type Value = string | number | null;
export type Row = Record<string, Value>;
export interface ProductBundle {
  products: Row[]; features: Row[]; styles: Row[]; photos: Row[]; skus: Row[]; related: Row[];
}
export type TableName = keyof ProductBundle;

// Column order per table, listed in foreign-key order: a table only references tables before it.
export const TABLES: ReadonlyArray<{ name: TableName; columns: readonly string[] }> = [
  { name: "products", columns: ["id", "name", "slogan", "description", "category", "default_price"] },
  { name: "features", columns: ["id", "product_id", "feature", "value"] },
  { name: "styles", columns: ["id", "product_id", "name", "original_price", "sale_price", "is_default"] },
  { name: "photos", columns: ["id", "style_id", "url", "thumbnail_url"] },
  { name: "skus", columns: ["id", "style_id", "size", "quantity"] },
  { name: "related", columns: ["product_id", "related_product_id", "position"] },
];

// mulberry32: tiny, fast, and good enough for sample data; returns floats in [0, 1).
function mulberry32(a: number): () => number {
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// murmur3's finaliser spreads neighbouring (seed, id) pairs over unrelated PRNG states.
export function mix(seed: number, id: number): number {
  let h = (seed ^ Math.imul(id, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const CATEGORIES: Record<string, string[]> = {
  Jackets: ["Jacket", "Parka", "Windbreaker", "Bomber", "Rain Shell"],
  "Basketball Shoes": ["Air Minis", "Court Kings", "Hoop Runners", "Skyhooks"],
  "Running Shoes": ["Trail Blazers", "Road Racers", "Cloud Striders"],
  Kicks: ["Low Tops", "High Tops", "Slip-Ons", "Canvas Kicks"],
  Pants: ["Joggers", "Chinos", "Cargo Pants", "Slacks"],
  Shorts: ["Board Shorts", "Running Shorts", "Cargo Shorts"],
  Tops: ["Tee", "Hoodie", "Polo", "Tank Top", "Flannel Shirt"],
  Onesies: ["Onesie", "Romper", "Sleepsuit"],
  Accessories: ["Cap", "Sunglasses", "Backpack", "Beanie", "Belt", "Scarf"],
};
const CATEGORY_NAMES = Object.keys(CATEGORIES);
const ADJECTIVES = ["Camo", "Bright Future", "Heir Force", "Morning Joy", "Slacker's", "Retro", "Summit",
  "Urban", "Classic", "Coastal", "Midnight", "Heritage", "Pumped Up", "Blues Suede", "Sky High", "Nomad"];
const SLOGANS = ["Blend in to your crowd", "Stay warm, look cool", "Made to move", "Comfort that lasts",
  "Dress for the job you want", "Built for the long run", "Your new favourite", "Less is more",
  "Rain or shine, it's fine", "Lightweight and ready"];
const DESCRIPTIONS = ["Cut from a soft, hard-wearing fabric that keeps its shape wash after wash.",
  "A relaxed fit with just enough structure for a day in town.", "Reinforced seams where it matters.",
  "Designed with athletes and tested on the weekend crowd.", "Packs down small and goes anywhere.",
  "A modern take on a timeless silhouette.", "Breathable where you sweat, warm where you don't."];
const FEATURES: Record<string, string[]> = {
  Fabric: ["100% Cotton", "Canvas", "Fleece", "Recycled Polyester", "Denim"],
  Buttons: ["Brass", "Wooden", "Mother of Pearl"], Sole: ["Rubber", "Foam", "Gum"],
  Lenses: ["Polarized", "Ultrasheen", "Mirrored"], Closure: ["Zipper", "Snap", "Velcro", "Laces"],
  Fit: ["Slim", "Relaxed", "Regular"], Lining: ["Mesh", "Quilted", "Sherpa"],
};
// Yes/no features carry a null value, so clients see how the API renders one.
const FLAGS = ["Green Leaf Certified", "Non-GMO", "Machine Washable", "Vegan"];
const COLOURS = ["Black", "White", "Forest Green", "Ocean Blue", "Desert Brown", "Crimson", "Charcoal",
  "Sky Blue", "Goldenrod", "Olive", "Navy", "Cream", "Dark Grey", "Sunset Orange"];
const SIZES = ["XS", "S", "M", "L", "XL", "XXL"];
const IMAGES = "https://images.example.com/styles";
// A word in the same 20 products at every catalog size from 10,000 up (every 500th id up to 10,000), so a
// benchmark can time a search whose answer doesn't grow with the catalog (`npm run bench -- search`). Appended
// without drawing from the PRNG, so every other value is what it was before the word was planted.
export const PLANTED_WORD = "zephyr";
export const PLANTED = { every: 500, upTo: 10_000, sentence: " Zephyr edition." };
export const isPlanted = (id: number) => id <= PLANTED.upTo && id % PLANTED.every === 0;

export function* productBundles({ products, seed }: CatalogOptions): Generator<ProductBundle> {
  let featureId = 0, styleId = 0, photoId = 0, skuId = 0;
  for (let id = 1; id <= products; id++) {
    const rnd = mulberry32(mix(seed, id));
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const first = id === 1; // README's curl examples need product 1 to be a full product
    const b: ProductBundle = { products: [], features: [], styles: [], photos: [], skus: [], related: [] };

    const category = pick(CATEGORY_NAMES);
    const model = rnd() < 0.35 ? ` ${pick([100, 250, 360, 500, 1000, 3000])}` : "";
    const name = `${pick(ADJECTIVES)} ${pick(CATEGORIES[category]!)}${model}`;
    // Whole dollars mostly; a fifth end in .99 like real price tags.
    const dollars = int(15, 250);
    const price = dollars * 100 - (rnd() < 0.2 && dollars > 15 ? 1 : 0);
    const description = rnd() < 0.5 ? pick(DESCRIPTIONS) : `${pick(DESCRIPTIONS)} ${pick(DESCRIPTIONS)}`;
    b.products.push({ id, name, slogan: pick(SLOGANS), description: isPlanted(id) ? description + PLANTED.sentence : description,
      category, default_price: price });

    const valued = Object.keys(FEATURES), flags = [...FLAGS]; // drawn without replacement
    for (let n = int(0, 4); n > 0; n--) {
      const flag = rnd() < 0.1;
      const from = flag ? flags : valued;
      const feature = from.splice(Math.floor(rnd() * from.length), 1)[0]!;
      b.features.push({ id: ++featureId, product_id: id, feature, value: flag ? null : pick(FEATURES[feature]!) });
    }

    const r = rnd(); // 3% none; otherwise 1-4 styles averaging about 2
    const styleCount = first ? 3 : r < 0.03 ? 0 : r < 0.37 ? 1 : r < 0.71 ? 2 : r < 0.9 ? 3 : 4;
    const defaultIndex = int(0, Math.max(0, styleCount - 1));
    for (let s = 0; s < styleCount; s++) {
      const sid = ++styleId;
      const original = rnd() < 0.7 ? price : Math.max(100, price + int(-10, 10) * 100);
      const sale = rnd() < 0.3 ? Math.max(0, Math.round((original * int(50, 90)) / 10000) * 100 - 1) : null;
      const colour = rnd() < 0.4 ? `${pick(COLOURS)} & ${pick(COLOURS)}` : pick(COLOURS);
      b.styles.push({ id: sid, product_id: id, name: colour, original_price: original,
        sale_price: sale !== null && sale < original ? sale : null, is_default: s === defaultIndex ? 1 : 0 });

      // 1-5 photos, none for 7%: about 2.8 a style, the reference export's 5.7M photos for 2.0M styles.
      const photoCount = rnd() < 0.07 && !first ? 0 : int(1, 5);
      for (let n = 1; n <= photoCount; n++) {
        b.photos.push({ id: ++photoId, style_id: sid, url: `${IMAGES}/${sid}/${n}.jpg`,
          thumbnail_url: `${IMAGES}/${sid}/${n}-thumb.jpg` });
      }

      // 5% sold without sizes, 80% in the full range, the rest a contiguous run of 3-5 sizes.
      const k = rnd();
      const span = k < 0.05 && !first ? 0 : k < 0.85 ? SIZES.length : int(3, 5);
      const start = int(0, SIZES.length - span);
      for (let n = start; n < start + span; n++) {
        const quantity = rnd() < 0.1 ? 0 : int(1, 60);
        b.skus.push({ id: ++skuId, style_id: sid, size: SIZES[n]!, quantity });
      }
    }

    // 4-5 distinct other products (fewer only when the catalog is too small to have that many).
    const want = Math.min(products - 1, int(4, 5));
    const chosen: number[] = [];
    while (chosen.length < want) {
      const other = int(1, products);
      if (other !== id && !chosen.includes(other)) chosen.push(other);
    }
    chosen.forEach((other, position) => b.related.push({ product_id: id, related_product_id: other, position }));
    yield b;
  }
}

// One table's rows in id order; regenerating the bundles per table keeps memory flat at any size.
export function* tableRows(opts: CatalogOptions, table: TableName): Generator<Row> {
  for (const bundle of productBundles(opts)) yield* bundle[table];
}
