CREATE TABLE `comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`initiative_id` integer NOT NULL,
	`member_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hidden_at` integer,
	`hidden_rule` text,
	`times_hidden` integer DEFAULT 0 NOT NULL,
	`author_edit_used_at` integer,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `comments_initiative` ON `comments` (`initiative_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_member` ON `comments` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `member_tags` (
	`member_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`member_id`, `tag`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `member_tags_tag` ON `member_tags` (`tag`,`member_id`);--> statement-breakpoint
CREATE TABLE `now_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `now_updates_created` ON `now_updates` (`created_at`);--> statement-breakpoint
CREATE INDEX `now_updates_member` ON `now_updates` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `outcomes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`initiative_id` integer NOT NULL,
	`session_id` integer,
	`member_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hidden_at` integer,
	`hidden_rule` text,
	`times_hidden` integer DEFAULT 0 NOT NULL,
	`author_edit_used_at` integer,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outcomes_initiative` ON `outcomes` (`initiative_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `outcomes_session` ON `outcomes` (`session_id`);--> statement-breakpoint
CREATE INDEX `outcomes_member` ON `outcomes` (`member_id`);--> statement-breakpoint
CREATE INDEX `outcomes_created` ON `outcomes` (`created_at`);--> statement-breakpoint
CREATE TABLE `password_resets` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `members` ADD `work` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `expertise` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `bio` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `now_text` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `now_at` integer;--> statement-breakpoint
ALTER TABLE `members` ADD `profile_visibility` text DEFAULT 'public' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `digest_opt_in` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `mail_off` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `unsubscribe_token` text;--> statement-breakpoint
ALTER TABLE `members` ADD `deleted_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `members_unsubscribe_token` ON `members` (`unsubscribe_token`);