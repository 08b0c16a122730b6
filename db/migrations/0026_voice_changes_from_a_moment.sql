-- A hold by flags, its end, and becoming a founder change voices only from their moment on; hiding
-- an initiative (or showing it again) only for its meetings of the fortnight before (governance
-- voidWindowDays, applied by the server). These raised derived_versions.voice with nothing noted,
-- so the server replayed every meeting. Now each also notes its moment and whom or what to read
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
