-- Two writes raised derived_versions.voice, and so made the server replay every meeting again
-- (a quarter to half a second on a large network), without changing anyone's voice:
-- - A host who steps back, lapses or is removed keeps their hosting (host_terms, migration 0010):
--   every meeting that has started was hosted by them as before. Only a meeting with attendance
--   that starts at or after that moment (attendance noted ahead of its time), or hosting that is
--   not kept (the initiative or the member deleted with it), is changed.
-- - An initiative's title: the replay no longer holds titles; the profile reads them when it
--   names a meeting (ADR 062).
DROP TRIGGER `voice_host_delete`;
--> statement-breakpoint
CREATE TRIGGER `voice_host_delete` AFTER DELETE ON `hosts`
WHEN EXISTS (
	SELECT 1 FROM sessions s JOIN registrations r ON r.session_id = s.id
	WHERE s.initiative_id = old.initiative_id AND r.attended_at IS NOT NULL
	AND s.starts_at >= CASE
		WHEN EXISTS (SELECT 1 FROM initiatives WHERE id = old.initiative_id) AND EXISTS (SELECT 1 FROM members WHERE id = old.member_id)
		THEN cast(unixepoch('subsec') * 1000 as integer)
		ELSE old.since
	END
) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
DROP TRIGGER `voice_initiative_update`;
