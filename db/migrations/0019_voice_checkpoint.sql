-- The voice replay's state from before the meetings whose attendance can still change (three
-- weeks back), kept in the database so that a restart replays only the meetings after it instead
-- of every meeting the network ever held (issue 19). One row. It holds for the changes up to
-- `version` (derived_versions.voice); the notes of attendance changes after that version are kept
-- until a newer state is written. It holds only before `until`, the first attendance that was
-- written ahead of its time when it was stored (a check-in is normally written at its time, so
-- this is rarely set). `fingerprint` names the code that wrote it: a server with other code
-- replays every meeting and writes its own.
CREATE TABLE `voice_checkpoint` (
	`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
	`fingerprint` text NOT NULL,
	`version` integer NOT NULL,
	`at` integer NOT NULL,
	`until` real NOT NULL,
	`state` blob NOT NULL,
	`saved_at` integer NOT NULL
);
--> statement-breakpoint
-- What every replay reads, without reading whole tables at a cold start: the members' four
-- columns the replay needs, and the initiatives hidden now (almost none).
CREATE INDEX `members_voice_replay` ON `members` (`id`, `created_at`, `founder_at`, `posting_held_at`) WHERE `deleted_at` IS NULL;
--> statement-breakpoint
CREATE INDEX `initiatives_hidden` ON `initiatives` (`hidden_at`) WHERE `hidden_at` IS NOT NULL;
