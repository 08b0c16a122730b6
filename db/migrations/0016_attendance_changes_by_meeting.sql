-- A change to attendance raises derived_versions.voice as before, and also notes which meeting it
-- touched, under the version it raised. The server keeps its voice replay with copies of the
-- replay's state from before recent meetings: when every change since its replay is one of these,
-- it replays only from the changed meeting on instead of replaying every meeting again (issue 19).
-- Rows the server has read are removed by the scheduler.
CREATE TABLE `voice_attendance_changes` (
	`version` integer NOT NULL,
	`session_id` integer NOT NULL,
	PRIMARY KEY (`version`, `session_id`)
) WITHOUT ROWID;
--> statement-breakpoint
DROP TRIGGER `voice_registration_insert`;
--> statement-breakpoint
CREATE TRIGGER `voice_registration_insert` AFTER INSERT ON `registrations` WHEN new.attended_at IS NOT NULL BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
	INSERT OR IGNORE INTO voice_attendance_changes (version, session_id) SELECT version, new.session_id FROM derived_versions WHERE name = 'voice';
END;
--> statement-breakpoint
DROP TRIGGER `voice_registration_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_registration_update` AFTER UPDATE OF attended_at, session_id, member_id ON `registrations`
WHEN old.attended_at IS NOT new.attended_at OR (new.attended_at IS NOT NULL AND (old.session_id IS NOT new.session_id OR old.member_id IS NOT new.member_id)) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
	INSERT OR IGNORE INTO voice_attendance_changes (version, session_id) SELECT version, new.session_id FROM derived_versions WHERE name = 'voice';
	INSERT OR IGNORE INTO voice_attendance_changes (version, session_id) SELECT version, old.session_id FROM derived_versions WHERE name = 'voice';
END;
--> statement-breakpoint
DROP TRIGGER `voice_registration_delete`;
--> statement-breakpoint
CREATE TRIGGER `voice_registration_delete` AFTER DELETE ON `registrations` WHEN old.attended_at IS NOT NULL BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
	INSERT OR IGNORE INTO voice_attendance_changes (version, session_id) SELECT version, old.session_id FROM derived_versions WHERE name = 'voice';
END;
--> statement-breakpoint
DROP TRIGGER `voice_registration_by_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_registration_by_update` AFTER UPDATE OF attendance_by ON `registrations` WHEN new.attended_at IS NOT NULL BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
	INSERT OR IGNORE INTO voice_attendance_changes (version, session_id) SELECT version, new.session_id FROM derived_versions WHERE name = 'voice';
END;
