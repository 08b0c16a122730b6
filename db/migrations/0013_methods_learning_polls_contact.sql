CREATE TABLE `date_polls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`initiative_id` integer NOT NULL,
	`title` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`closed_at` integer,
	`session_id` integer,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `date_polls_code` ON `date_polls` (`code`);--> statement-breakpoint
CREATE INDEX `date_polls_initiative` ON `date_polls` (`initiative_id`);--> statement-breakpoint
CREATE TABLE `edit_acceptances` (
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`member_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`target_type`, `target_id`, `member_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `learning_links` (
	`code` text PRIMARY KEY NOT NULL,
	`member_id` text NOT NULL,
	`year` integer,
	`name` text NOT NULL,
	`facts` text NOT NULL,
	`created_at` integer NOT NULL,
	`withdrawn_at` integer,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `learning_links_member` ON `learning_links` (`member_id`);--> statement-breakpoint
CREATE TABLE `method_tags` (
	`method_id` integer NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`method_id`, `tag`),
	FOREIGN KEY (`method_id`) REFERENCES `methods`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `method_tags_tag` ON `method_tags` (`tag`,`method_id`);--> statement-breakpoint
CREATE TABLE `method_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`method_id` integer NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`purpose` text DEFAULT '' NOT NULL,
	`group_size` text DEFAULT '' NOT NULL,
	`duration` text DEFAULT '' NOT NULL,
	`materials` text DEFAULT '' NOT NULL,
	`steps` text DEFAULT '' NOT NULL,
	`variations` text DEFAULT '' NOT NULL,
	`learned` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '' NOT NULL,
	`member_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`method_id`) REFERENCES `methods`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `method_versions_method` ON `method_versions` (`method_id`,`version`);--> statement-breakpoint
CREATE INDEX `method_versions_at` ON `method_versions` (`at`);--> statement-breakpoint
CREATE TABLE `methods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`purpose` text DEFAULT '' NOT NULL,
	`group_size` text DEFAULT '' NOT NULL,
	`duration` text DEFAULT '' NOT NULL,
	`materials` text DEFAULT '' NOT NULL,
	`steps` text DEFAULT '' NOT NULL,
	`variations` text DEFAULT '' NOT NULL,
	`learned` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '' NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer NOT NULL,
	`hidden_at` integer,
	`hidden_rule` text,
	`times_hidden` integer DEFAULT 0 NOT NULL,
	`author_edit_used_at` integer,
	FOREIGN KEY (`created_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `methods_updated` ON `methods` (`updated_at`);--> statement-breakpoint
CREATE TABLE `outcome_methods` (
	`outcome_id` integer NOT NULL,
	`method_id` integer NOT NULL,
	PRIMARY KEY(`outcome_id`, `method_id`),
	FOREIGN KEY (`outcome_id`) REFERENCES `outcomes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`method_id`) REFERENCES `methods`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `outcome_methods_method` ON `outcome_methods` (`method_id`,`outcome_id`);--> statement-breakpoint
CREATE TABLE `poll_answers` (
	`response_id` integer NOT NULL,
	`option_id` integer NOT NULL,
	`answer` text NOT NULL,
	PRIMARY KEY(`response_id`, `option_id`),
	FOREIGN KEY (`response_id`) REFERENCES `poll_responses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`option_id`) REFERENCES `poll_options`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `poll_answers_option` ON `poll_answers` (`option_id`);--> statement-breakpoint
CREATE TABLE `poll_options` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`poll_id` integer NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`place` text DEFAULT '' NOT NULL,
	`venue_id` integer,
	`mode` text DEFAULT 'onsite' NOT NULL,
	FOREIGN KEY (`poll_id`) REFERENCES `date_polls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`venue_id`) REFERENCES `venues`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `poll_options_poll` ON `poll_options` (`poll_id`,`starts_at`);--> statement-breakpoint
CREATE TABLE `poll_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`poll_id` integer NOT NULL,
	`member_id` text,
	`name` text NOT NULL,
	`edit_code` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`poll_id`) REFERENCES `date_polls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `poll_responses_poll` ON `poll_responses` (`poll_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `poll_responses_member` ON `poll_responses` (`poll_id`,`member_id`) WHERE member_id IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `poll_responses_edit_code` ON `poll_responses` (`edit_code`);--> statement-breakpoint
CREATE TABLE `proposal_comments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`member_id` text NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hidden_at` integer,
	`hidden_rule` text,
	`times_hidden` integer DEFAULT 0 NOT NULL,
	`author_edit_used_at` integer,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `proposal_comments_proposal` ON `proposal_comments` (`proposal_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `proposal_comments_member` ON `proposal_comments` (`member_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `proposal_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`version` integer NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`effect` text,
	`answers` text DEFAULT '' NOT NULL,
	`member_id` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `proposal_versions_proposal` ON `proposal_versions` (`proposal_id`,`version`);--> statement-breakpoint
CREATE TABLE `session_methods` (
	`session_id` integer NOT NULL,
	`method_id` integer NOT NULL,
	`added_by` text,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`session_id`, `method_id`),
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`method_id`) REFERENCES `methods`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`added_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `session_methods_method` ON `session_methods` (`method_id`,`session_id`);--> statement-breakpoint
ALTER TABLE `comments` ADD `hidden_by` text REFERENCES members(id);--> statement-breakpoint
ALTER TABLE `members` ADD `contact_off` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `outbox` ADD `attachments` text;--> statement-breakpoint
ALTER TABLE `proposals` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `sessions` ADD `learning_minutes` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `cancel_reason` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Full-text search over working methods, with diacritics folded like initiatives_fts.
CREATE VIRTUAL TABLE `methods_fts` USING fts5(
	title, purpose, materials, steps, variations, learned, tags,
	content='methods', content_rowid='id',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `methods_fts_insert` AFTER INSERT ON `methods` BEGIN
	INSERT INTO methods_fts(rowid, title, purpose, materials, steps, variations, learned, tags)
	VALUES (new.id, new.title, new.purpose, new.materials, new.steps, new.variations, new.learned, new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `methods_fts_delete` AFTER DELETE ON `methods` BEGIN
	INSERT INTO methods_fts(methods_fts, rowid, title, purpose, materials, steps, variations, learned, tags)
	VALUES ('delete', old.id, old.title, old.purpose, old.materials, old.steps, old.variations, old.learned, old.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `methods_fts_update` AFTER UPDATE OF title, purpose, materials, steps, variations, learned, tags ON `methods` BEGIN
	INSERT INTO methods_fts(methods_fts, rowid, title, purpose, materials, steps, variations, learned, tags)
	VALUES ('delete', old.id, old.title, old.purpose, old.materials, old.steps, old.variations, old.learned, old.tags);
	INSERT INTO methods_fts(rowid, title, purpose, materials, steps, variations, learned, tags)
	VALUES (new.id, new.title, new.purpose, new.materials, new.steps, new.variations, new.learned, new.tags);
END;
--> statement-breakpoint
-- Every proposal opened before versions existed is its own version 1.
INSERT INTO `proposal_versions` (`proposal_id`, `version`, `title`, `body`, `effect`, `answers`, `member_id`, `at`)
SELECT `id`, 1, `title`, `body`, `effect`, '', `opened_by`, `opened_at` FROM `proposals`;
