-- Full-text search over initiatives. Diacritics are folded so that "coordinatie" finds
-- "coördinatie" and the other way round. External content: the text lives once, in initiatives.
CREATE VIRTUAL TABLE `initiatives_fts` USING fts5(
	title, summary, body, tags,
	content='initiatives', content_rowid='id',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `initiatives_fts_insert` AFTER INSERT ON `initiatives` BEGIN
	INSERT INTO initiatives_fts(rowid, title, summary, body, tags)
	VALUES (new.id, new.title, new.summary, new.body, new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `initiatives_fts_delete` AFTER DELETE ON `initiatives` BEGIN
	INSERT INTO initiatives_fts(initiatives_fts, rowid, title, summary, body, tags)
	VALUES ('delete', old.id, old.title, old.summary, old.body, old.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `initiatives_fts_update` AFTER UPDATE OF title, summary, body, tags ON `initiatives` BEGIN
	INSERT INTO initiatives_fts(initiatives_fts, rowid, title, summary, body, tags)
	VALUES ('delete', old.id, old.title, old.summary, old.body, old.tags);
	INSERT INTO initiatives_fts(rowid, title, summary, body, tags)
	VALUES (new.id, new.title, new.summary, new.body, new.tags);
END;
--> statement-breakpoint
-- The public log is append-only (governance.md §7): the database itself refuses changes.
CREATE TRIGGER `log_entries_no_update` BEFORE UPDATE ON `log_entries` BEGIN
	SELECT RAISE(ABORT, 'the log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `log_entries_no_delete` BEFORE DELETE ON `log_entries` BEGIN
	SELECT RAISE(ABORT, 'the log is append-only');
END;
