CREATE TABLE `organisations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`merged_into` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `organisations_slug_unique` ON `organisations` (`slug`);--> statement-breakpoint
CREATE INDEX `organisations_name_key` ON `organisations` (`name_key`);--> statement-breakpoint
CREATE TABLE `venues` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`organisation_id` integer,
	`name` text NOT NULL,
	`address` text DEFAULT '' NOT NULL,
	`route_notes` text DEFAULT '' NOT NULL,
	`step_free` integer DEFAULT false NOT NULL,
	`hearing_loop` integer DEFAULT false NOT NULL,
	`parking` integer DEFAULT false NOT NULL,
	`public_transport` integer DEFAULT false NOT NULL,
	`access_notes` text DEFAULT '' NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `venues_organisation` ON `venues` (`organisation_id`);--> statement-breakpoint
ALTER TABLE `members` ADD `organisation_id` integer REFERENCES organisations(id);--> statement-breakpoint
CREATE INDEX `members_organisation` ON `members` (`organisation_id`);--> statement-breakpoint
ALTER TABLE `sessions` ADD `host_organisation_id` integer REFERENCES organisations(id);--> statement-breakpoint
ALTER TABLE `sessions` ADD `venue_id` integer REFERENCES venues(id);--> statement-breakpoint
ALTER TABLE `sessions` ADD `mode` text DEFAULT 'onsite' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `online_url` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `series_id` text;--> statement-breakpoint
CREATE INDEX `sessions_venue` ON `sessions` (`venue_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `sessions_series` ON `sessions` (`series_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `sessions_host_organisation` ON `sessions` (`host_organisation_id`);