CREATE INDEX `registrations_attended` ON `registrations` (`attended_at`,`session_id`,`member_id`) WHERE attended_at IS NOT NULL;--> statement-breakpoint
-- Versions of derived data that the server keeps in memory (who has a voice, the agenda file),
-- raised by the database itself whenever what it is derived from changes, whichever connection writes.
CREATE TABLE `derived_versions` (
	`name` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `derived_versions` (`name`, `version`) VALUES ('voice', 0);
--> statement-breakpoint
CREATE TRIGGER `voice_registration_insert` AFTER INSERT ON `registrations` WHEN new.attended_at IS NOT NULL BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_registration_update` AFTER UPDATE OF attended_at, session_id, member_id ON `registrations`
WHEN old.attended_at IS NOT new.attended_at OR (new.attended_at IS NOT NULL AND (old.session_id IS NOT new.session_id OR old.member_id IS NOT new.member_id)) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_registration_delete` AFTER DELETE ON `registrations` WHEN old.attended_at IS NOT NULL BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_session_insert` AFTER INSERT ON `sessions` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_session_update` AFTER UPDATE OF starts_at, cancelled_at, initiative_id ON `sessions` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_session_delete` AFTER DELETE ON `sessions` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_host_insert` AFTER INSERT ON `hosts` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_host_update` AFTER UPDATE OF initiative_id, member_id, since ON `hosts` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_host_delete` AFTER DELETE ON `hosts` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_member_insert` AFTER INSERT ON `members` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_member_update` AFTER UPDATE OF id, created_at ON `members` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_member_delete` AFTER DELETE ON `members` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_initiative_update` AFTER UPDATE OF title ON `initiatives` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
CREATE TRIGGER `voice_initiative_delete` AFTER DELETE ON `initiatives` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
-- The public agenda file (agenda.ics) is kept written out until a session or what it shows of an initiative changes.
INSERT INTO `derived_versions` (`name`, `version`) VALUES ('agenda', 0);
--> statement-breakpoint
CREATE TRIGGER `agenda_session_insert` AFTER INSERT ON `sessions` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'agenda';
END;
--> statement-breakpoint
CREATE TRIGGER `agenda_session_update` AFTER UPDATE ON `sessions` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'agenda';
END;
--> statement-breakpoint
CREATE TRIGGER `agenda_session_delete` AFTER DELETE ON `sessions` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'agenda';
END;
--> statement-breakpoint
CREATE TRIGGER `agenda_initiative_update` AFTER UPDATE OF title, summary, hidden_at ON `initiatives` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'agenda';
END;
--> statement-breakpoint
CREATE TRIGGER `agenda_initiative_delete` AFTER DELETE ON `initiatives` BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'agenda';
END;
