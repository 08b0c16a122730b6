CREATE TABLE `founder_invitations` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`invited_by` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by` text,
	FOREIGN KEY (`invited_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`used_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `host_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`initiative_id` integer NOT NULL,
	`member_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`answered_at` integer,
	`answer` text,
	`answered_by` text,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`answered_by`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `host_requests_open` ON `host_requests` (`answered_at`,`created_at`);--> statement-breakpoint
CREATE INDEX `host_requests_initiative` ON `host_requests` (`initiative_id`,`answered_at`);--> statement-breakpoint
CREATE TABLE `proposal_electorate` (
	`proposal_id` integer NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`proposal_id`, `member_id`),
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `proposal_statements` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`member_id` text,
	`text` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`proposal_id`) REFERENCES `proposals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `proposal_statements_proposal` ON `proposal_statements` (`proposal_id`,`id`);--> statement-breakpoint
ALTER TABLE `members` ADD `founder_at` integer;--> statement-breakpoint
ALTER TABLE `sessions` ADD `announced_at` integer;--> statement-breakpoint
-- Governance version 2 (docs/decisions/018). Sessions from before it count as announced when they
-- were created.
UPDATE `sessions` SET `announced_at` = `created_at` WHERE `announced_at` IS NULL;
--> statement-breakpoint
-- The founders of an existing network are the members who had an earned voice when it upgrades
-- (attended a session within 180 days, or hosted one with someone else there). They count as
-- founders from their account's start, so recorded meetings where two of them checked in keep
-- counting.
UPDATE `members` SET `founder_at` = `created_at`
WHERE `deleted_at` IS NULL AND `id` IN (
  SELECT r.member_id FROM registrations r JOIN sessions s ON s.id = r.session_id
  WHERE r.attended_at IS NOT NULL
    AND r.attended_at >= cast(unixepoch('subsec') * 1000 as integer) - 180 * 86400000
    AND NOT EXISTS (SELECT 1 FROM hosts h WHERE h.initiative_id = s.initiative_id AND h.member_id = r.member_id)
  UNION
  SELECT h.member_id FROM sessions s JOIN hosts h ON h.initiative_id = s.initiative_id AND h.since <= s.starts_at
  WHERE s.cancelled_at IS NULL
    AND s.starts_at >= cast(unixepoch('subsec') * 1000 as integer) - 180 * 86400000
    AND s.starts_at <= cast(unixepoch('subsec') * 1000 as integer)
    AND EXISTS (SELECT 1 FROM registrations r WHERE r.session_id = s.id AND r.attended_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM hosts o WHERE o.initiative_id = s.initiative_id AND o.member_id = r.member_id))
);
--> statement-breakpoint
-- A network that was still starting up (nobody had earned a voice) keeps the voices it had: the
-- fifteen oldest accounts older than a day become its founders.
UPDATE `members` SET `founder_at` = `created_at`
WHERE NOT EXISTS (SELECT 1 FROM members WHERE founder_at IS NOT NULL)
  AND `id` IN (SELECT id FROM members WHERE deleted_at IS NULL
    AND created_at <= cast(unixepoch('subsec') * 1000 as integer) - 86400000 ORDER BY created_at LIMIT 15);
--> statement-breakpoint
INSERT INTO `log_entries` (`at`, `action`, `actor_id`, `subject_type`, `subject_id`, `detail`)
SELECT cast(unixepoch('subsec') * 1000 as integer), 'governance.upgraded', NULL, 'network', 'network',
  json_object('version', 2, 'founders', (SELECT count(*) FROM members WHERE founder_at IS NOT NULL))
WHERE EXISTS (SELECT 1 FROM members);
--> statement-breakpoint
-- Outcome statements written before keep their author as the first version.
INSERT INTO `proposal_statements` (`proposal_id`, `member_id`, `text`, `at`)
SELECT id, statement_by, statement, coalesce(statement_at, closed_at, opened_at) FROM proposals WHERE statement IS NOT NULL;
--> statement-breakpoint
-- The electorate of initiative proposals made before: its hosts and whoever attended or was signed
-- up for one of its sessions ("I'm in" no longer decides).
INSERT OR IGNORE INTO `proposal_electorate` (`proposal_id`, `member_id`)
SELECT p.id, h.member_id FROM proposals p JOIN hosts h ON h.initiative_id = p.initiative_id WHERE p.scope = 'initiative'
UNION
SELECT p.id, r.member_id FROM proposals p JOIN sessions s ON s.initiative_id = p.initiative_id JOIN registrations r ON r.session_id = s.id
WHERE p.scope = 'initiative' AND (r.status IN ('registered', 'waitlisted') OR r.attended_at IS NOT NULL);
--> statement-breakpoint
CREATE TRIGGER `voice_member_governance_update` AFTER UPDATE OF founder_at, posting_held_at ON `members` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_session_announced_update` AFTER UPDATE OF announced_at ON `sessions` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_initiative_hidden_update` AFTER UPDATE OF hidden_at ON `initiatives` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_registration_by_update` AFTER UPDATE OF attendance_by ON `registrations` WHEN new.attended_at IS NOT NULL BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
