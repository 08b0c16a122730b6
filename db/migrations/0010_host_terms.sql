CREATE TABLE `host_terms` (
	`initiative_id` integer NOT NULL,
	`member_id` text NOT NULL,
	`since` integer NOT NULL,
	`ended_at` integer NOT NULL,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `host_terms_initiative` ON `host_terms` (`initiative_id`,`since`);--> statement-breakpoint
-- Hosting that ends is kept, whoever ends it (stepping back, lapsing, a proposal, leaving): a meeting
-- someone hosted keeps counting for them (docs/decisions/018). Not when the initiative or the member
-- itself is deleted (the rows cascade away).
CREATE TRIGGER `host_terms_on_delete` AFTER DELETE ON `hosts`
WHEN EXISTS (SELECT 1 FROM initiatives WHERE id = old.initiative_id) AND EXISTS (SELECT 1 FROM members WHERE id = old.member_id) BEGIN
	INSERT INTO host_terms (initiative_id, member_id, since, ended_at) VALUES (old.initiative_id, old.member_id, old.since, cast(unixepoch('subsec') * 1000 as integer));
END;
--> statement-breakpoint
-- A member who leaves the network no longer has a voice: the kept replay must know at once.
CREATE TRIGGER `voice_member_deleted_update` AFTER UPDATE OF deleted_at ON `members` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
