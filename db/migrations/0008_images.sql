CREATE TABLE `images` (
	`id` text PRIMARY KEY NOT NULL,
	`width` integer NOT NULL,
	`height` integer NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `initiatives` ADD `cover_image` text REFERENCES images(id);--> statement-breakpoint
ALTER TABLE `initiatives` ADD `cover_alt` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `initiatives_cover_image` ON `initiatives` (`cover_image`);--> statement-breakpoint
ALTER TABLE `members` ADD `avatar_image` text REFERENCES images(id);--> statement-breakpoint
CREATE INDEX `members_avatar_image` ON `members` (`avatar_image`);