-- Full-text search over the member directory: name, organisation, work, expertise, "now" and bio,
-- with diacritics folded like the initiatives' index. The index keeps its own copy of the text
-- (members have a text key, and an implicit rowid may change on VACUUM).
CREATE VIRTUAL TABLE `members_fts` USING fts5(
	member_id UNINDEXED, display_name, organisation, work, expertise, now_text, bio,
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO members_fts(member_id, display_name, organisation, work, expertise, now_text, bio)
	SELECT id, display_name, organisation, work, expertise, now_text, bio FROM members;
--> statement-breakpoint
CREATE TRIGGER `members_fts_insert` AFTER INSERT ON `members` BEGIN
	INSERT INTO members_fts(member_id, display_name, organisation, work, expertise, now_text, bio)
	VALUES (new.id, new.display_name, new.organisation, new.work, new.expertise, new.now_text, new.bio);
END;
--> statement-breakpoint
CREATE TRIGGER `members_fts_delete` AFTER DELETE ON `members` BEGIN
	DELETE FROM members_fts WHERE member_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `members_fts_update` AFTER UPDATE OF display_name, organisation, work, expertise, now_text, bio ON `members` BEGIN
	DELETE FROM members_fts WHERE member_id = old.id;
	INSERT INTO members_fts(member_id, display_name, organisation, work, expertise, now_text, bio)
	VALUES (new.id, new.display_name, new.organisation, new.work, new.expertise, new.now_text, new.bio);
END;
