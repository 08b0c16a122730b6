-- The kept voice replay (app/models/voice.server.ts) is made again whenever derived_versions.voice
-- rises. It rose on every new account, initiative, session and co-host, none of which can change
-- anyone's voice until someone attends a meeting (attendance raises it itself). On a large network
-- a replay takes about a second, so these now raise it only when they touch a meeting that already
-- has attendance: a new account only when it is made a founder or held at once.
DROP TRIGGER `voice_member_insert`;
--> statement-breakpoint
CREATE TRIGGER `voice_member_insert` AFTER INSERT ON `members`
WHEN new.founder_at IS NOT NULL OR new.posting_held_at IS NOT NULL BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
-- A new session has nobody attending yet.
DROP TRIGGER `voice_session_insert`;
--> statement-breakpoint
DROP TRIGGER `voice_session_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_session_update` AFTER UPDATE OF starts_at, cancelled_at, initiative_id ON `sessions`
WHEN EXISTS (SELECT 1 FROM registrations WHERE session_id = new.id AND attended_at IS NOT NULL) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
DROP TRIGGER `voice_session_announced_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_session_announced_update` AFTER UPDATE OF announced_at ON `sessions`
WHEN EXISTS (SELECT 1 FROM registrations WHERE session_id = new.id AND attended_at IS NOT NULL) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
-- Who hosted a meeting counts only for meetings with attendance, from the day they became host.
DROP TRIGGER `voice_host_insert`;
--> statement-breakpoint
CREATE TRIGGER `voice_host_insert` AFTER INSERT ON `hosts`
WHEN EXISTS (SELECT 1 FROM sessions s JOIN registrations r ON r.session_id = s.id WHERE s.initiative_id = new.initiative_id AND s.starts_at >= new.since AND r.attended_at IS NOT NULL) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
DROP TRIGGER `voice_host_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_host_update` AFTER UPDATE OF initiative_id, member_id, since ON `hosts`
WHEN EXISTS (SELECT 1 FROM sessions s JOIN registrations r ON r.session_id = s.id WHERE s.initiative_id IN (old.initiative_id, new.initiative_id) AND s.starts_at >= min(old.since, new.since) AND r.attended_at IS NOT NULL) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
DROP TRIGGER `voice_host_delete`;
--> statement-breakpoint
CREATE TRIGGER `voice_host_delete` AFTER DELETE ON `hosts`
WHEN EXISTS (SELECT 1 FROM sessions s JOIN registrations r ON r.session_id = s.id WHERE s.initiative_id = old.initiative_id AND s.starts_at >= old.since AND r.attended_at IS NOT NULL) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
--> statement-breakpoint
-- The replay names meetings by their initiative's title (in the log and on profiles).
DROP TRIGGER `voice_initiative_update`;
--> statement-breakpoint
CREATE TRIGGER `voice_initiative_update` AFTER UPDATE OF title ON `initiatives`
WHEN EXISTS (SELECT 1 FROM sessions s JOIN registrations r ON r.session_id = s.id WHERE s.initiative_id = new.id AND r.attended_at IS NOT NULL) BEGIN
	UPDATE derived_versions SET version = version + 1 WHERE name = 'voice';
END;
