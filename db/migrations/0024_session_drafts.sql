CREATE TABLE `session_drafts` (
	`member_id` text NOT NULL,
	`form` text NOT NULL,
	`fields` text NOT NULL,
	`saved_at` integer NOT NULL,
	PRIMARY KEY(`member_id`, `form`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `session_drafts_saved` ON `session_drafts` (`saved_at`);