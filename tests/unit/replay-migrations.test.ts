// Which migrations the stored voice state depends on (ADR 059): those that may change what the
// replay reads or how its changes are noted. A doubtful case must count as a change: a stored
// state that outlives a change to what it was made from leaves voices wrong, with nobody to
// correct them.
import { describe, expect, it } from "vitest";
import { knownMigrations, touchesReplay } from "~/models/voice-replay.server";

describe("a migration the voices depend on", () => {
  it("writes to, restructures, drops or rebuilds one of the replay's tables, in any spelling", () => {
    for (const statement of [
      "UPDATE `registrations` SET `attendance_by` = 'code';",
      "update registrations set attended_at = null",
      "UPDATE OR REPLACE sessions SET starts_at = 1",
      "INSERT INTO `hosts` (`initiative_id`, `member_id`, `since`) VALUES (1, 'x', 1);",
      "INSERT OR IGNORE INTO host_terms SELECT * FROM old_terms;",
      "REPLACE INTO members (id) VALUES ('x')",
      "DELETE FROM \"log_entries\" WHERE 1",
      "WITH gone AS (SELECT id FROM x) DELETE FROM initiatives WHERE id IN gone",
      "ALTER TABLE `sessions` ADD `room` text;",
      "ALTER TABLE main.members RENAME COLUMN display_name TO name",
      "DROP TABLE IF EXISTS `voice_attendance_changes`;",
      "UPDATE [derived_versions] SET version = 0",
      // drizzle's rebuild of a table: a new one, filled, renamed to the old name
      "CREATE TABLE `__new_registrations` (`id` integer);\n--> statement-breakpoint\nALTER TABLE `__new_registrations` RENAME TO `registrations`;",
      "DELETE FROM `voice_checkpoint`;",
      // any trigger: triggers raise the voices' version and note their changes
      "CREATE TRIGGER `search_insert` AFTER INSERT ON `venues` BEGIN SELECT 1; END;",
      "DROP TRIGGER `voice_registration_update`;",
    ]) {
      expect(touchesReplay(statement), statement).toBe(true);
    }
  });

  it("is not one that only adds tables of its own (naming the replay's tables as references), columns of other tables or indexes", () => {
    for (const statement of [
      "CREATE TABLE `reading_lists` (`member_id` text NOT NULL REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade);",
      "CREATE INDEX `registrations_by` ON `registrations` (`attendance_by`);",
      "DROP INDEX `sessions_starts`;",
      "ALTER TABLE `venues` ADD `floor` text;",
      "INSERT INTO `venue_kinds` (`name`) SELECT DISTINCT kind FROM venues;",
      "UPDATE `outbox` SET `attempts` = 0;",
    ]) {
      expect(touchesReplay(statement), statement).toBe(false);
    }
  });

  it("reads the project's own migrations in their order, those that made the replay's tables among them", () => {
    const migrations = knownMigrations();
    expect(migrations.length).toBeGreaterThan(20);
    const byTag = new Map(migrations.map((m) => [m.tag.replace(/^\d+_/, ""), touchesReplay(m.sql)]));
    expect(byTag.get("attendance_index")).toBe(true);
    expect(byTag.get("governance_v2")).toBe(true);
    expect(byTag.get("voice_checkpoint")).toBe(true);
    expect(byTag.get("session_drafts")).toBe(false);
  });
});
