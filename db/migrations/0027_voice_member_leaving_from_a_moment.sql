-- A member leaving (their account deleted) raised derived_versions.voice with nothing noted, so the
-- server replayed every meeting again. Leaving changes the meetings the member took part in: as an
-- attendee (a candidate, or a witness for others), as a host, as a founder; and their own hold.
-- Now it also notes the earliest of those moments, with the member to read again: the server
-- resumes its replay from its copy of the state before that moment (migration 0026), and a member
-- who never took part changes no meeting at all (the moment is "never"). Hosting a member ended
-- is kept in host_terms (migration 0010) and counts from when it began.
DROP TRIGGER `voice_member_deleted_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_member_deleted_update` AFTER UPDATE OF deleted_at ON `members`
WHEN old.deleted_at IS NOT new.deleted_at BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
	INSERT INTO voice_changes_from (version, at, member_id)
	SELECT version, min(
		coalesce((SELECT min(s.starts_at) FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.member_id = new.id AND r.attended_at IS NOT NULL), 9007199254740991),
		coalesce((SELECT min(since) FROM (SELECT since FROM hosts WHERE member_id = new.id UNION ALL SELECT since FROM host_terms WHERE member_id = new.id)), 9007199254740991),
		coalesce(old.founder_at, 9007199254740991),
		coalesce(new.founder_at, 9007199254740991),
		coalesce(old.posting_held_at, 9007199254740991),
		coalesce(new.posting_held_at, 9007199254740991)
	), new.id FROM derived_versions WHERE name = 'voice';
END;
