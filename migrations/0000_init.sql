CREATE TABLE `features` (
	`id` integer PRIMARY KEY NOT NULL,
	`product_id` integer NOT NULL,
	`feature` text NOT NULL,
	`value` text,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `features_product_id_idx` ON `features` (`product_id`);--> statement-breakpoint
CREATE TABLE `order_lines` (
	`order_id` text NOT NULL,
	`line_no` integer NOT NULL,
	`sku_id` integer NOT NULL,
	`product_id` integer NOT NULL,
	`style_id` integer NOT NULL,
	`product_name` text NOT NULL,
	`style_name` text NOT NULL,
	`size` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price` integer NOT NULL,
	PRIMARY KEY(`order_id`, `line_no`),
	FOREIGN KEY (`order_id`) REFERENCES `orders`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "order_lines_quantity_positive" CHECK("order_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE `orders` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`total` integer NOT NULL,
	`idempotency_key` text NOT NULL,
	`request_hash` text NOT NULL,
	CONSTRAINT "orders_status_known" CHECK("orders"."status" IN ('placed', 'cancelled')),
	CONSTRAINT "orders_total_non_negative" CHECK("orders"."total" >= 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_idempotencyKey_unique` ON `orders` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `orders_created_at_id_idx` ON `orders` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `photos` (
	`id` integer PRIMARY KEY NOT NULL,
	`style_id` integer NOT NULL,
	`url` text NOT NULL,
	`thumbnail_url` text NOT NULL,
	FOREIGN KEY (`style_id`) REFERENCES `styles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `photos_style_id_idx` ON `photos` (`style_id`);--> statement-breakpoint
CREATE TABLE `products` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`slogan` text DEFAULT '' NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`category` text NOT NULL,
	`default_price` integer NOT NULL,
	CONSTRAINT "products_default_price_non_negative" CHECK("products"."default_price" >= 0)
);
--> statement-breakpoint
CREATE TABLE `related` (
	`product_id` integer NOT NULL,
	`related_product_id` integer NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`product_id`, `related_product_id`),
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`related_product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `related_related_product_id_idx` ON `related` (`related_product_id`);--> statement-breakpoint
CREATE TABLE `skus` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`style_id` integer NOT NULL,
	`size` text NOT NULL,
	`quantity` integer NOT NULL,
	FOREIGN KEY (`style_id`) REFERENCES `styles`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "skus_quantity_non_negative" CHECK("skus"."quantity" >= 0)
);
--> statement-breakpoint
CREATE INDEX `skus_style_id_idx` ON `skus` (`style_id`);--> statement-breakpoint
CREATE TABLE `styles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`product_id` integer NOT NULL,
	`name` text NOT NULL,
	`original_price` integer NOT NULL,
	`sale_price` integer,
	`is_default` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`product_id`) REFERENCES `products`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "styles_original_price_non_negative" CHECK("styles"."original_price" >= 0),
	CONSTRAINT "styles_sale_price_non_negative" CHECK("styles"."sale_price" IS NULL OR "styles"."sale_price" >= 0)
);
--> statement-breakpoint
CREATE INDEX `styles_product_id_idx` ON `styles` (`product_id`);