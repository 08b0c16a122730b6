CREATE TABLE `auth_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `auth_sessions_member` ON `auth_sessions` (`member_id`);--> statement-breakpoint
CREATE TABLE `hosts` (
	`initiative_id` integer NOT NULL,
	`member_id` text NOT NULL,
	`since` integer NOT NULL,
	`last_action_at` integer NOT NULL,
	PRIMARY KEY(`initiative_id`, `member_id`),
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `hosts_member` ON `hosts` (`member_id`);--> statement-breakpoint
CREATE TABLE `initiative_tags` (
	`initiative_id` integer NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`initiative_id`, `tag`),
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `initiative_tags_tag` ON `initiative_tags` (`tag`,`initiative_id`);--> statement-breakpoint
CREATE TABLE `initiatives` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`summary` text NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`kind` text NOT NULL,
	`tags` text DEFAULT '' NOT NULL,
	`place` text DEFAULT '' NOT NULL,
	`target` integer,
	`status` text DEFAULT 'idea' NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `initiatives_kind_id` ON `initiatives` (`kind`,`id`);--> statement-breakpoint
CREATE TABLE `log_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`action` text NOT NULL,
	`actor_id` text,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `log_entries_subject` ON `log_entries` (`subject_type`,`subject_id`);--> statement-breakpoint
CREATE INDEX `log_entries_action` ON `log_entries` (`action`,`id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`display_name` text NOT NULL,
	`organisation` text DEFAULT '' NOT NULL,
	`locale` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_email_unique` ON `members` (`email`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` integer NOT NULL,
	`count` integer NOT NULL
);
