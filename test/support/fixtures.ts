import { env } from "cloudflare:workers";

// A small, fully known catalog written straight into the test's real D1, so route tests can assert
// exact bodies. Ids are fixed; each test file gets its own storage from the pool.

export const CAMO_STYLES_BODY = {
  product_id: "1",
  results: [
    {
      style_id: 1, name: "Forest Green & Black", original_price: "140.00", sale_price: null, "default?": true,
      photos: [
        { thumbnail_url: "https://img.test/1-thumb.jpg", url: "https://img.test/1.jpg" },
        { thumbnail_url: "https://img.test/2-thumb.jpg", url: "https://img.test/2.jpg" },
      ],
      skus: { "37": { quantity: 8, size: "XS" }, "38": { quantity: 16, size: "S" } },
    },
    {
      style_id: 2, name: "Desert Brown & Tan", original_price: "140.00", sale_price: "100.05", "default?": false,
      photos: [], skus: {},
    },
  ],
};

export const CAMO_PRODUCT_BODY = {
  id: 1, name: "Camo Onesie", slogan: "Blend in to your crowd", description: "The So Fatigues will wake you up",
  category: "Jackets", default_price: "140.00",
  features: [{ feature: "Fabric", value: "Canvas" }, { feature: "Buttons", value: null }],
};

/** Writes the catalog into the test's real D1 (a `beforeAll` hook: it takes no argument). */
export const seedCatalog = () => seedCatalogInto(env.DB);

/** Writes the catalog through `db`: the real D1, or a production world's primary (so its replica replays it). */
export async function seedCatalogInto(db: D1Database): Promise<void> {
  await db.batch([
    db.prepare(`INSERT INTO products (id, name, slogan, description, category, default_price) VALUES
      (1, 'Camo Onesie', 'Blend in to your crowd', 'The So Fatigues will wake you up', 'Jackets', 14000),
      (2, 'Bright Future Sunglasses', 'You''ve got to wear shades', '', 'Accessories', 6900),
      (3, 'Morning Joggers', 'Make yourself a morning person', 'Whether you''re a morning person or not', 'Pants', 4000),
      (4, 'Slacker''s Slacks', 'Comfortable for everything', '', 'Pants', 6500),
      (5, 'Heir Force Ones', 'A sneaker dynasty', '', 'Kicks', 9900),
      (6, 'Pumped Up Kicks', 'Faster than a just about anything', '', 'Kicks', 8900),
      (7, 'Blues Suede Shoes', '2019 Stanley Cup Limited Edition', '', 'Dress Shoes', 12001)`),
    db.prepare(`INSERT INTO features (id, product_id, feature, value) VALUES
      (1, 1, 'Fabric', 'Canvas'), (2, 1, 'Buttons', NULL), (3, 3, 'Fabric', '100% Cotton')`),
    db.prepare(`INSERT INTO styles (id, product_id, name, original_price, sale_price, is_default) VALUES
      (1, 1, 'Forest Green & Black', 14000, NULL, 1), (2, 1, 'Desert Brown & Tan', 14000, 10005, 0),
      (3, 3, 'Black', 4000, NULL, 1)`),
    db.prepare(`INSERT INTO photos (id, style_id, url, thumbnail_url) VALUES
      (1, 1, 'https://img.test/1.jpg', 'https://img.test/1-thumb.jpg'),
      (2, 1, 'https://img.test/2.jpg', 'https://img.test/2-thumb.jpg')`),
    db.prepare(`INSERT INTO skus (id, style_id, size, quantity) VALUES
      (37, 1, 'XS', 8), (38, 1, 'S', 16), (40, 3, 'M', 0)`),
    db.prepare(`INSERT INTO related (product_id, related_product_id, position) VALUES
      (1, 2, 0), (1, 3, 1), (1, 8 - 1, 2), (1, 1, 3)`),
  ]);
}
