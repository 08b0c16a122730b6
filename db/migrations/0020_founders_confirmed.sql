CREATE TABLE `founder_confirmations` (
	`token_hash` text NOT NULL,
	`member_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`token_hash`, `member_id`),
	FOREIGN KEY (`token_hash`) REFERENCES `founder_invitations`(`token_hash`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `founder_invitations` ADD `confirmed_at` integer;--> statement-breakpoint
-- Invitations accepted before this version made their member a founder at once.
UPDATE `founder_invitations` SET `confirmed_at` = `used_at` WHERE `used_at` IS NOT NULL;
