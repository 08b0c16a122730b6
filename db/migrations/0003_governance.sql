CREATE TABLE `flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`member_id` text NOT NULL,
	`rule` text NOT NULL,
	`reason` text NOT NULL,
	`created_at` integer NOT NULL,
	`cleared_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `flags_target` ON `flags` (`target_type`,`target_id`,`cleared_at`);--> statement-breakpoint
CREATE TABLE `house_rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`text` text NOT NULL,
	`proposal_id` integer,
	`adopted_at` integer NOT NULL,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `proposal_positions` (
	`proposal_id` integer NOT NULL,
	`member_id` text NOT NULL,
	`position` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`proposal_id`, `member_id`),
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `proposals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`scope` text NOT NULL,
	`initiative_id` integer,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`body` text DEFAULT '' NOT NULL,
	`effect` text,
	`fallback_of` integer,
	`opened_by` text,
	`opened_at` integer NOT NULL,
	`deadline` integer NOT NULL,
	`closed_at` integer,
	`outcome` text,
	`statement` text,
	`statement_by` text,
	`statement_at` integer,
	`reminders_queued_at` integer,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`opened_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`statement_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `proposals_open` ON `proposals` (`closed_at`,`deadline`);--> statement-breakpoint
CREATE INDEX `proposals_initiative` ON `proposals` (`initiative_id`);--> statement-breakpoint
ALTER TABLE `initiatives` ADD `hidden_at` integer;--> statement-breakpoint
ALTER TABLE `initiatives` ADD `hidden_rule` text;--> statement-breakpoint
ALTER TABLE `initiatives` ADD `times_hidden` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `initiatives` ADD `author_edit_used_at` integer;--> statement-breakpoint
ALTER TABLE `members` ADD `posting_held_at` integer;--> statement-breakpoint
ALTER TABLE `members` ADD `posting_held_rule` text;