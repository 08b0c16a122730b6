-- A hold by flags, its end, and becoming a founder change voices only from their moment on; hiding
-- an initiative (or showing it again) only for its meetings of the fortnight before (governance
-- voidWindowDays, applied by the server); a meeting moved or cancelled, only from its earlier time
-- on (below). These raised derived_versions.voice with nothing noted, so the server replayed every
-- meeting. Now each also notes its moment and whom or what to read
-- again, under the version it raised: the server resumes its replay from its copy of the state
-- before that moment, as it does for attendance (migration 0016, ADR 062). A write that leaves the
-- value as it was raises nothing. Rows the server has read are removed by the scheduler.
CREATE TABLE `voice_changes_from` (
	`version` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`member_id` text,
	`initiative_id` integer
);
--> statement-breakpoint
DROP TRIGGER `voice_member_governance_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_member_governance_update` AFTER UPDATE OF founder_at, posting_held_at ON `members`
WHEN old.founder_at IS NOT new.founder_at OR old.posting_held_at IS NOT new.posting_held_at BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
	INSERT INTO voice_changes_from (version, at, member_id)
	SELECT version, min(
		iif(old.founder_at IS NOT new.founder_at, min(coalesce(old.founder_at, 9007199254740991), coalesce(new.founder_at, 9007199254740991)), 9007199254740991),
		iif(old.posting_held_at IS NOT new.posting_held_at, min(coalesce(old.posting_held_at, 9007199254740991), coalesce(new.posting_held_at, 9007199254740991)), 9007199254740991)
	), new.id FROM derived_versions WHERE name = 'voice';
END;
--> statement-breakpoint
DROP TRIGGER `voice_initiative_hidden_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_initiative_hidden_update` AFTER UPDATE OF hidden_at ON `initiatives`
WHEN old.hidden_at IS NOT new.hidden_at BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
	INSERT INTO voice_changes_from (version, at, initiative_id)
	SELECT version, min(coalesce(old.hidden_at, 9007199254740991), coalesce(new.hidden_at, 9007199254740991)), new.id
	FROM derived_versions WHERE name = 'voice';
END;
--> statement-breakpoint
-- A meeting with attendance moved, cancelled or given back, or moved to another initiative: its
-- own outcome is read again (noted like attendance), and every meeting from the earlier of its two
-- times on may come out otherwise. Saved with the same values (a form saves them all), nothing.
DROP TRIGGER `voice_session_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_session_update` AFTER UPDATE OF starts_at, cancelled_at, initiative_id ON `sessions`
WHEN (old.starts_at IS NOT new.starts_at OR old.cancelled_at IS NOT new.cancelled_at OR old.initiative_id IS NOT new.initiative_id)
AND EXISTS (SELECT 1 FROM registrations WHERE session_id = new.id AND attended_at IS NOT NULL) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
	INSERT OR IGNORE INTO voice_attendance_changes (version, session_id) SELECT version, new.id FROM derived_versions WHERE name = 'voice';
	INSERT INTO voice_changes_from (version, at) SELECT version, min(old.starts_at, new.starts_at) FROM derived_versions WHERE name = 'voice';
END;
--> statement-breakpoint
-- Its announcement changed: only its own outcome (announced in time or not), read again.
DROP TRIGGER `voice_session_announced_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_session_announced_update` AFTER UPDATE OF announced_at ON `sessions`
WHEN old.announced_at IS NOT new.announced_at AND EXISTS (SELECT 1 FROM registrations WHERE session_id = new.id AND attended_at IS NOT NULL) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
	INSERT OR IGNORE INTO voice_attendance_changes (version, session_id) SELECT version, new.id FROM derived_versions WHERE name = 'voice';
END;
