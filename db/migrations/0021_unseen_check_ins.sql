CREATE TABLE `unseen_check_ins` (
	`registration_id` integer NOT NULL,
	`witness_id` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`registration_id`, `witness_id`),
	FOREIGN KEY (`registration_id`) REFERENCES `registrations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`witness_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `registrations` ADD `unseen_at` integer;