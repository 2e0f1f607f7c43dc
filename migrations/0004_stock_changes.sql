-- Issue 20: admin stock changes take an Idempotency-Key (stock_changes), and cache_version goes: the KV
-- cache it versioned is gone (docs/decisions/freshness.md).
CREATE TABLE `stock_changes` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`request_hash` text NOT NULL,
	`sku_id` integer NOT NULL,
	`delta` integer NOT NULL,
	`quantity_after` integer NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `products` DROP COLUMN `cache_version`;