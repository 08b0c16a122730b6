-- The member directory's search index (0006) found a member's own row by `member_id`, a column
-- the full-text index does not index: every change to a profile, every deleted account and every
-- organisation linked at start read the whole index, text and all (0.9 ms a member at 7,000
-- members, so 1.9 s to link 2,000 at start; issue 19). Each member's row in the index is now
-- noted by its rowid, which the index keeps (its own INTEGER PRIMARY KEY), so the triggers go
-- straight to it. The index is rebuilt from the members, with the rows noted.
CREATE TABLE `members_fts_rows` (
	`member_id` text PRIMARY KEY NOT NULL,
	`fts_rowid` integer NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
DELETE FROM members_fts;
--> statement-breakpoint
INSERT INTO members_fts(member_id, display_name, organisation, work, expertise, now_text, bio)
	SELECT id, display_name, organisation, work, expertise, now_text, bio FROM members;
--> statement-breakpoint
INSERT INTO members_fts_rows (member_id, fts_rowid) SELECT member_id, rowid FROM members_fts;
--> statement-breakpoint
DROP TRIGGER `members_fts_insert`;
--> statement-breakpoint
-- Inside a trigger, last_insert_rowid() is the row the trigger itself inserted last.
CREATE TRIGGER `members_fts_insert` AFTER INSERT ON `members` BEGIN
	INSERT INTO members_fts(member_id, display_name, organisation, work, expertise, now_text, bio)
	VALUES (new.id, new.display_name, new.organisation, new.work, new.expertise, new.now_text, new.bio);
	INSERT OR REPLACE INTO members_fts_rows (member_id, fts_rowid) VALUES (new.id, last_insert_rowid());
END;
--> statement-breakpoint
DROP TRIGGER `members_fts_delete`;
--> statement-breakpoint
CREATE TRIGGER `members_fts_delete` AFTER DELETE ON `members` BEGIN
	DELETE FROM members_fts WHERE rowid = (SELECT fts_rowid FROM members_fts_rows WHERE member_id = old.id);
	DELETE FROM members_fts_rows WHERE member_id = old.id;
END;
--> statement-breakpoint
DROP TRIGGER `members_fts_update`;
--> statement-breakpoint
CREATE TRIGGER `members_fts_update` AFTER UPDATE OF display_name, organisation, work, expertise, now_text, bio ON `members` BEGIN
	DELETE FROM members_fts WHERE rowid = (SELECT fts_rowid FROM members_fts_rows WHERE member_id = old.id);
	DELETE FROM members_fts_rows WHERE member_id = old.id;
	INSERT INTO members_fts(member_id, display_name, organisation, work, expertise, now_text, bio)
	VALUES (new.id, new.display_name, new.organisation, new.work, new.expertise, new.now_text, new.bio);
	INSERT OR REPLACE INTO members_fts_rows (member_id, fts_rowid) VALUES (new.id, last_insert_rowid());
END;
