-- A second FTS5 index over product names alone (docs/decisions/search.md, "Names first"). Ranked search
-- lists the products whose name matches before the rest; a column filter on product_search ({name} : …)
-- would find them, but it reads a word's whole doclist to skip the rows where the word is elsewhere
-- (`fabric`: 200K rows, none in a name), so no window would bound it. Here a name word's doclist holds
-- only names: the first 500 name matches are the first 500 rows, and a product is checked for a name
-- match by one seek. Same tokenizer and 3-character prefix index as product_search; external content
-- (names are read from products).
-- Its rows follow the same rule as product_search: a product is in it exactly when it has a
-- product_facts row, so the three product triggers that touch product_search touch it too, and a catalog
-- loaded before the index was built is never half-deleted from it.
CREATE VIRTUAL TABLE `product_name_search` USING fts5(
	name,
	content='products', content_rowid='id',
	tokenize='porter unicode61 remove_diacritics 2',
	prefix='3'
);
--> statement-breakpoint
INSERT INTO product_name_search (rowid, name)
SELECT p.id, p.name FROM products AS p WHERE EXISTS (SELECT 1 FROM product_facts AS f WHERE f.product_id = p.id);
--> statement-breakpoint
-- One b-tree per term after the bulk insert (at 1M: 6 s for the insert, 0.8 s for this).
INSERT INTO product_name_search (product_name_search) VALUES ('optimize');
--> statement-breakpoint
DROP TRIGGER `search_product_insert`;
--> statement-breakpoint
CREATE TRIGGER `search_product_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO product_search (rowid, name, slogan, description, category) VALUES (new.id, new.name, new.slogan, new.description, new.category);
	INSERT INTO product_name_search (rowid, name) VALUES (new.id, new.name);
	INSERT INTO product_facts (product_id, category, price, in_stock) VALUES (new.id, new.category, new.default_price, 0);
	INSERT INTO category_counts (category, products) VALUES (new.category, 1)
		ON CONFLICT (category) DO UPDATE SET products = products + 1;
END;
--> statement-breakpoint
DROP TRIGGER `search_product_text`;
--> statement-breakpoint
-- Only the columns search reads: a cache_version bump (or any other column) never re-indexes.
CREATE TRIGGER `search_product_text` AFTER UPDATE OF name, slogan, description, category ON `products`
WHEN EXISTS (SELECT 1 FROM product_facts WHERE product_id = new.id) BEGIN
	INSERT INTO product_search (product_search, rowid, name, slogan, description, category) VALUES ('delete', old.id, old.name, old.slogan, old.description, old.category);
	INSERT INTO product_search (rowid, name, slogan, description, category) VALUES (new.id, new.name, new.slogan, new.description, new.category);
	INSERT INTO product_name_search (product_name_search, rowid, name) SELECT 'delete', old.id, old.name WHERE old.name IS NOT new.name;
	INSERT INTO product_name_search (rowid, name) SELECT new.id, new.name WHERE old.name IS NOT new.name;
	UPDATE product_facts SET category = new.category WHERE product_id = new.id AND old.category IS NOT new.category;
	UPDATE category_counts SET products = products - 1 WHERE category = old.category AND old.category IS NOT new.category;
	DELETE FROM category_counts WHERE category = old.category AND products <= 0;
	INSERT INTO category_counts (category, products) SELECT new.category, 1 WHERE old.category IS NOT new.category
		ON CONFLICT (category) DO UPDATE SET products = products + 1;
END;
--> statement-breakpoint
DROP TRIGGER `search_product_delete`;
--> statement-breakpoint
CREATE TRIGGER `search_product_delete` AFTER DELETE ON `products`
WHEN EXISTS (SELECT 1 FROM product_facts WHERE product_id = old.id) BEGIN
	INSERT INTO product_search (product_search, rowid, name, slogan, description, category) VALUES ('delete', old.id, old.name, old.slogan, old.description, old.category);
	INSERT INTO product_name_search (product_name_search, rowid, name) VALUES ('delete', old.id, old.name);
	DELETE FROM product_facts WHERE product_id = old.id;
	UPDATE category_counts SET products = products - 1 WHERE category = old.category;
	DELETE FROM category_counts WHERE category = old.category AND products <= 0;
END;
