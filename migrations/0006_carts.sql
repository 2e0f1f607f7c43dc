-- Issue 23: carts that hold stock (docs/decisions/carts.md). Tables and columns from src/db/schema.ts;
-- the triggers below are hand-written. skus.quantity stays what a new buyer can take; skus.held counts
-- the units cart lines hold (on hand = quantity + held).
CREATE TABLE `cart_items` (
	`cart_id` text NOT NULL,
	`sku_id` integer NOT NULL,
	`quantity` integer NOT NULL,
	`expires_at` text NOT NULL,
	`added_at` text NOT NULL,
	PRIMARY KEY(`cart_id`, `sku_id`),
	FOREIGN KEY (`cart_id`) REFERENCES `carts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sku_id`) REFERENCES `skus`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "cart_items_quantity_in_range" CHECK("cart_items"."quantity" BETWEEN 1 AND 1000)
);
--> statement-breakpoint
CREATE INDEX `cart_items_sku_id_expires_at_idx` ON `cart_items` (`sku_id`,`expires_at`);--> statement-breakpoint
CREATE INDEX `cart_items_expires_at_idx` ON `cart_items` (`expires_at`);--> statement-breakpoint
CREATE TABLE `carts` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`first_hold_at` text,
	`order_id` text
);
--> statement-breakpoint
CREATE INDEX `carts_updated_at_idx` ON `carts` (`updated_at`);--> statement-breakpoint
ALTER TABLE `skus` ADD `held` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `stock_changes` ADD `available_after` integer;
--> statement-breakpoint
-- A cart line holds its quantity of the sku: these triggers move the units between skus.quantity and
-- skus.held in the same statement that writes the line, so nothing can change one without the other.
-- CHECK (quantity >= 0) then refuses a hold bigger than what is left, as it refuses an order, and the
-- search triggers on skus.quantity (in_stock) see a hold like any other stock change. held stays the sum
-- of the sku's lines (each 1..1000), so it is never negative. A sku's delete cascades to its lines,
-- whose trigger then finds no sku row to give the units back to.
CREATE TRIGGER `hold_insert` AFTER INSERT ON `cart_items` BEGIN
	UPDATE skus SET quantity = quantity - new.quantity, held = held + new.quantity WHERE id = new.sku_id;
END;
--> statement-breakpoint
CREATE TRIGGER `hold_update` AFTER UPDATE OF quantity ON `cart_items` BEGIN
	UPDATE skus SET quantity = quantity + old.quantity - new.quantity, held = held - old.quantity + new.quantity WHERE id = new.sku_id;
END;
--> statement-breakpoint
CREATE TRIGGER `hold_delete` AFTER DELETE ON `cart_items` BEGIN
	UPDATE skus SET quantity = quantity + old.quantity, held = held - old.quantity WHERE id = old.sku_id;
END;
