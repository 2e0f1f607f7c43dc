-- Search: an FTS5 index over products' text, the facts /search filters on, and category counts, all
-- kept by triggers so every write updates them in the same statement (hence the same D1 batch).
-- docs/decisions/search.md explains the choices. A product is indexed exactly when it has a
-- product_facts row: the triggers that touch the FTS index check that first, so a catalog loaded
-- before the index was built (scripts/lib/search-build.ts builds it in bulk) is never half-deleted
-- from an index it was never in.
CREATE TABLE `product_facts` (
	`product_id` integer PRIMARY KEY NOT NULL,
	`category` text NOT NULL,
	`price` integer NOT NULL,
	`in_stock` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `product_facts_category_idx` ON `product_facts` (`category`,`product_id`);
--> statement-breakpoint
CREATE TABLE `category_counts` (
	`category` text PRIMARY KEY NOT NULL,
	`products` integer NOT NULL
);
--> statement-breakpoint
-- External content: the index stores no copy of the text (products holds it); porter over unicode61
-- with diacritics removed: case-, accent-insensitive and stemmed. prefix='3' keeps a ready doclist per
-- 3-character prefix, so typeahead's shortest prefix reads one list instead of merging every term.
CREATE VIRTUAL TABLE `product_search` USING fts5(
	name, slogan, description, category,
	content='products', content_rowid='id',
	tokenize='porter unicode61 remove_diacritics 2',
	prefix='3'
);
--> statement-breakpoint
CREATE TRIGGER `search_product_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO product_search (rowid, name, slogan, description, category) VALUES (new.id, new.name, new.slogan, new.description, new.category);
	INSERT INTO product_facts (product_id, category, price, in_stock) VALUES (new.id, new.category, new.default_price, 0);
	INSERT INTO category_counts (category, products) VALUES (new.category, 1)
		ON CONFLICT (category) DO UPDATE SET products = products + 1;
END;
--> statement-breakpoint
-- Only the columns search reads: a cache_version bump (or any other column) never re-indexes.
CREATE TRIGGER `search_product_text` AFTER UPDATE OF name, slogan, description, category ON `products`
WHEN EXISTS (SELECT 1 FROM product_facts WHERE product_id = new.id) BEGIN
	INSERT INTO product_search (product_search, rowid, name, slogan, description, category) VALUES ('delete', old.id, old.name, old.slogan, old.description, old.category);
	INSERT INTO product_search (rowid, name, slogan, description, category) VALUES (new.id, new.name, new.slogan, new.description, new.category);
	UPDATE product_facts SET category = new.category WHERE product_id = new.id AND old.category IS NOT new.category;
	UPDATE category_counts SET products = products - 1 WHERE category = old.category AND old.category IS NOT new.category;
	DELETE FROM category_counts WHERE category = old.category AND products <= 0;
	INSERT INTO category_counts (category, products) SELECT new.category, 1 WHERE old.category IS NOT new.category
		ON CONFLICT (category) DO UPDATE SET products = products + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `search_product_price` AFTER UPDATE OF default_price ON `products` BEGIN
	UPDATE product_facts SET price = COALESCE((SELECT min(COALESCE(s.sale_price, s.original_price)) FROM styles AS s WHERE s.product_id = new.id), new.default_price)
	WHERE product_id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_product_delete` AFTER DELETE ON `products`
WHEN EXISTS (SELECT 1 FROM product_facts WHERE product_id = old.id) BEGIN
	INSERT INTO product_search (product_search, rowid, name, slogan, description, category) VALUES ('delete', old.id, old.name, old.slogan, old.description, old.category);
	DELETE FROM product_facts WHERE product_id = old.id;
	UPDATE category_counts SET products = products - 1 WHERE category = old.category;
	DELETE FROM category_counts WHERE category = old.category AND products <= 0;
END;
--> statement-breakpoint
-- A style's prices change the product's price: recomputed from its few styles (styles_product_id_idx).
CREATE TRIGGER `search_style_insert` AFTER INSERT ON `styles` BEGIN
	UPDATE product_facts SET price = COALESCE((SELECT min(COALESCE(s.sale_price, s.original_price)) FROM styles AS s WHERE s.product_id = new.product_id), (SELECT p.default_price FROM products AS p WHERE p.id = new.product_id))
	WHERE product_id = new.product_id;
END;
--> statement-breakpoint
CREATE TRIGGER `search_style_price` AFTER UPDATE OF original_price, sale_price ON `styles` BEGIN
	UPDATE product_facts SET price = COALESCE((SELECT min(COALESCE(s.sale_price, s.original_price)) FROM styles AS s WHERE s.product_id = new.product_id), (SELECT p.default_price FROM products AS p WHERE p.id = new.product_id))
	WHERE product_id = new.product_id;
END;
--> statement-breakpoint
-- Its skus go with it (ON DELETE CASCADE) and can no longer find their product, so stock is recounted
-- here; the join through styles leaves out the deleted style's skus whichever delete runs first. When
-- the product itself is being deleted (the cascade runs before its own trigger), its price stays put.
CREATE TRIGGER `search_style_delete` AFTER DELETE ON `styles` BEGIN
	UPDATE product_facts SET
		price = COALESCE((SELECT min(COALESCE(s.sale_price, s.original_price)) FROM styles AS s WHERE s.product_id = old.product_id), (SELECT p.default_price FROM products AS p WHERE p.id = old.product_id), product_facts.price),
		in_stock = EXISTS (SELECT 1 FROM styles AS s JOIN skus AS k ON k.style_id = s.id WHERE s.product_id = old.product_id AND k.quantity > 0)
	WHERE product_id = old.product_id;
END;
--> statement-breakpoint
-- Stock: only a sku that crosses zero touches the facts, so an order's decrements stay one plain UPDATE
-- each unless one empties a sku (or a cancel refills one).
CREATE TRIGGER `search_sku_insert` AFTER INSERT ON `skus` WHEN new.quantity > 0 BEGIN
	UPDATE product_facts SET in_stock = 1 WHERE product_id = (SELECT s.product_id FROM styles AS s WHERE s.id = new.style_id);
END;
--> statement-breakpoint
CREATE TRIGGER `search_sku_stock` AFTER UPDATE OF quantity ON `skus` WHEN (old.quantity > 0) <> (new.quantity > 0) BEGIN
	UPDATE product_facts SET in_stock = EXISTS (SELECT 1 FROM styles AS s JOIN skus AS k ON k.style_id = s.id WHERE s.product_id = product_facts.product_id AND k.quantity > 0)
	WHERE product_id = (SELECT s.product_id FROM styles AS s WHERE s.id = new.style_id);
END;
--> statement-breakpoint
CREATE TRIGGER `search_sku_delete` AFTER DELETE ON `skus` WHEN old.quantity > 0 BEGIN
	UPDATE product_facts SET in_stock = EXISTS (SELECT 1 FROM styles AS s JOIN skus AS k ON k.style_id = s.id WHERE s.product_id = product_facts.product_id AND k.quantity > 0)
	WHERE product_id = (SELECT s.product_id FROM styles AS s WHERE s.id = old.style_id);
END;
