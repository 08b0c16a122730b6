// An existing network moves to governance version 2 without losing anything (migration 0009,
// docs/decisions/018): a database made by the migrations before it, filled as version 1 left it,
// then upgraded by the real migrator.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { replayVoices } from "~/governance/voice";

const day = 86_400_000;
const dir = mkdtempSync(path.join(os.tmpdir(), "meedoen-upgrade-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations up to (not including) version 2's, as an older release shipped them. */
function migrationsBefore(tag: string) {
  const folder = path.join(dir, `before-${tag}`);
  cpSync(path.resolve("db/migrations"), folder, { recursive: true });
  const journalFile = path.join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === tag));
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

function openAt(file: string, migrationsFolder: string) {
  const sqlite = new Database(file);
  sqlite.pragma("foreign_keys = ON");
  migrate(drizzle(sqlite), { migrationsFolder });
  return sqlite;
}

const now = Date.now();

/** A version-1 network: members who attended, a host, one who only said "I'm in", proposals. */
function fillVersionOne(sqlite: Database.Database, options: { attended: boolean }) {
  const member = (id: string, ageDays: number) =>
    sqlite.prepare("INSERT INTO members (id, email, password_hash, display_name, created_at) VALUES (?, ?, 'x', ?, ?)").run(id, `${id}@example.org`, id, now - ageDays * day);
  for (const [id, age] of [["anna", 200], ["bram", 150], ["cato", 120], ["dirk", 90], ["eva", 60], ["fleur", 30], ["gijs", 2], ["newbie", 0.5]] as const) member(id, age);
  sqlite.prepare("INSERT INTO initiatives (id, title, summary, kind, created_by, created_at, updated_at) VALUES (1, 'Intervisie', 'Samen', 'course', 'anna', ?, ?)").run(now - 100 * day, now - 100 * day);
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (1, 'anna', ?, ?)").run(now - 100 * day, now - 10 * day);
  const start = now - 20 * day;
  sqlite.prepare("INSERT INTO sessions (id, initiative_id, starts_at, ends_at, checkin_code, created_at, updated_at) VALUES (1, 1, ?, ?, 'ACDEFG', ?, ?)").run(start, start + 7_200_000, start - 10 * day, start - 10 * day);
  const register = sqlite.prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at) VALUES (1, ?, 'registered', ?, ?, ?, ?, ?)");
  ["bram", "cato", "dirk", "eva"].forEach((id, i) => register.run(id, i + 1, options.attended ? start + 600_000 : null, options.attended ? (i < 3 ? "code" : "anna") : null, start - day, start));
  sqlite.prepare("INSERT INTO interests (initiative_id, member_id) VALUES (1, 'fleur')").run();
  sqlite.prepare("INSERT INTO proposals (id, scope, initiative_id, kind, title, opened_by, opened_at, deadline, closed_at, statement, statement_by, statement_at) VALUES (1, 'initiative', 1, 'consent', 'Vaker bijeenkomen', 'bram', ?, ?, ?, 'We komen elke maand.', 'bram', ?)").run(now - 15 * day, now - 8 * day, now - 8 * day, now - 7 * day);
}

const rows = (sqlite: Database.Database) =>
  Object.fromEntries(["members", "initiatives", "hosts", "sessions", "registrations", "interests", "proposals", "log_entries", "house_rules"].map((t) => [t, sqlite.prepare(`SELECT count(*) FROM ${t}`).pluck().get()]));

describe("upgrading to governance version 2", () => {
  it("makes the members with an earned voice the founders, keeps everything, and the recorded meeting keeps counting", () => {
    const file = path.join(dir, "network.sqlite");
    const old = openAt(file, migrationsBefore("0009_governance_v2"));
    fillVersionOne(old, { attended: true });
    const before = rows(old);
    old.close();

    const upgraded = openAt(file, path.resolve("db/migrations"));
    const after = rows(upgraded);
    // Nothing lost; one log entry says the rules changed.
    expect({ ...after, log_entries: (after.log_entries as number) - 1 }).toEqual(before);
    expect(upgraded.prepare("SELECT detail FROM log_entries WHERE action = 'governance.upgraded'").pluck().get()).toBe(JSON.stringify({ version: 2, founders: 5 }));
    // Founders: those who attended (bram, cato, dirk, eva) and the host who hosted with others there (anna).
    const founders = upgraded.prepare("SELECT id FROM members WHERE founder_at IS NOT NULL ORDER BY id").pluck().all();
    expect(founders).toEqual(["anna", "bram", "cato", "dirk", "eva"]);
    expect(upgraded.prepare("SELECT count(*) FROM members WHERE founder_at IS NOT NULL AND founder_at <> created_at").pluck().get()).toBe(0);
    // Sessions count as announced when they were created.
    expect(upgraded.prepare("SELECT announced_at = created_at FROM sessions WHERE id = 1").pluck().get()).toBe(1);
    // The statement is its first version, with its author; the electorate excludes "I'm in".
    expect(upgraded.prepare("SELECT member_id || ': ' || text FROM proposal_statements WHERE proposal_id = 1").pluck().all()).toEqual(["bram: We komen elke maand."]);
    expect(upgraded.prepare("SELECT member_id FROM proposal_electorate WHERE proposal_id = 1 ORDER BY member_id").pluck().all()).toEqual(["anna", "bram", "cato", "dirk", "eva"]);

    // Replayed under version 2: bram, cato and dirk checked in themselves, so for each of them two
    // other founders witnessed; eva (marked present) and anna (hosting) had three.
    const members = upgraded.prepare("SELECT id, created_at AS createdAt, founder_at AS founderAt, posting_held_at AS heldAt FROM members").all() as never[];
    const attendees = upgraded.prepare("SELECT member_id FROM registrations WHERE attended_at IS NOT NULL ORDER BY attended_at, id").pluck().all() as string[];
    const markedByHost = upgraded.prepare("SELECT member_id FROM registrations WHERE attended_at IS NOT NULL AND attendance_by <> 'code'").pluck().all() as string[];
    const session = upgraded.prepare("SELECT id, initiative_id AS initiativeId, 'Intervisie' AS title, starts_at AS startsAt, announced_at AS announcedAt FROM sessions").get() as Record<string, number>;
    const replay = replayVoices({ members, sessions: [{ ...session, cancelled: false, hosts: ["anna"], attendees, markedByHost } as never], hidden: [], now });
    expect([...replay.voices].filter(([, r]) => r.kind === "earned").map(([id]) => id).sort()).toEqual(["anna", "bram", "cato", "dirk", "eva"]);
    expect(replay.bootstrapping).toBe(false);
    upgraded.close();
  });

  it("a network where nobody had earned a voice yet makes its oldest accounts older than a day its founders", () => {
    const file = path.join(dir, "young.sqlite");
    const old = openAt(file, migrationsBefore("0009_governance_v2"));
    fillVersionOne(old, { attended: false });
    old.close();
    const upgraded = openAt(file, path.resolve("db/migrations"));
    expect(upgraded.prepare("SELECT id FROM members WHERE founder_at IS NOT NULL ORDER BY created_at").pluck().all()).toEqual(["anna", "bram", "cato", "dirk", "eva", "fleur", "gijs"]);
    upgraded.close();
  });
});

describe("the member directory's search index, kept by row (migration 0018)", () => {
  const search = (sqlite: Database.Database, words: string) =>
    sqlite.prepare("SELECT member_id FROM members_fts WHERE members_fts MATCH ? ORDER BY member_id").pluck().all(words) as string[];
  const member = (sqlite: Database.Database, id: string, name: string, organisation = "") =>
    sqlite.prepare("INSERT INTO members (id, email, password_hash, display_name, organisation, created_at) VALUES (?, ?, 'x', ?, ?, ?)").run(id, `${id}@example.org`, name, organisation, now);
  /** One row in the index for every member, noted by its rowid, and nothing else. */
  const expectConsistent = (sqlite: Database.Database) => {
    const members = sqlite.prepare("SELECT id FROM members ORDER BY id").pluck().all();
    expect(sqlite.prepare("SELECT member_id FROM members_fts ORDER BY member_id").pluck().all()).toEqual(members);
    expect(sqlite.prepare("SELECT r.member_id FROM members_fts_rows r JOIN members_fts f ON f.rowid = r.fts_rowid AND f.member_id = r.member_id ORDER BY r.member_id").pluck().all()).toEqual(members);
  };

  it("an existing directory is found as before after the upgrade, and every change after it goes to the member's own row", () => {
    const file = path.join(dir, "directory.sqlite");
    const old = openAt(file, migrationsBefore("0018_members_search_by_row"));
    member(old, "anna", "Anna de Vries", "Buurthuis De Linde");
    member(old, "bram", "Bram Visser", "GGZ Lindenveen");
    member(old, "cato", "Cato Jansen");
    // An index that drifted (a row of a member no longer there) is rebuilt from the members.
    old.prepare("INSERT INTO members_fts (member_id, display_name) VALUES ('gone', 'Verdwenen Lid')").run();
    old.close();

    const upgraded = openAt(file, path.resolve("db/migrations"));
    expectConsistent(upgraded);
    expect(search(upgraded, "linde*")).toEqual(["anna", "bram"]);
    expect(search(upgraded, "verdwenen")).toEqual([]);

    upgraded.prepare("UPDATE members SET display_name = 'Anna Smit', organisation = 'Wijkteam Noord' WHERE id = 'anna'").run();
    upgraded.prepare("DELETE FROM members WHERE id = 'bram'").run();
    member(upgraded, "dirk", "Dirk Bakker", "Buurthuis De Linde");
    // A change to other columns leaves the index alone; a second change to the same member finds its new row.
    upgraded.prepare("UPDATE members SET locale = 'en' WHERE id = 'cato'").run();
    upgraded.prepare("UPDATE members SET work = 'Taalcoach' WHERE id = 'anna'").run();
    expectConsistent(upgraded);
    expect(search(upgraded, "linde*")).toEqual(["dirk"]);
    expect(search(upgraded, "smit")).toEqual(["anna"]);
    expect(search(upgraded, "taalcoach")).toEqual(["anna"]);
    expect(search(upgraded, "vries")).toEqual([]);
    expect(search(upgraded, "bram")).toEqual([]);
    upgraded.close();
  });
});

describe("one-line fields stored before they were one line (migration 0023)", () => {
  it("makes each one line as forms make it now, leaves texts with paragraphs and the log alone, and keeps the search index right", () => {
    const file = path.join(dir, "one-line.sqlite");
    const old = openAt(file, migrationsBefore("0023_one_line_fields"));
    const scripted = "Team Meedoen\r\n\r\nJe wachtwoord verloopt:\tga naar evil.example";
    old.prepare("INSERT INTO members (id, email, password_hash, display_name, organisation, work, bio, created_at) VALUES ('anna', 'anna@example.org', 'x', ?, ?, 'Taal\ncoach', ?, ?)").run(scripted, "Buurthuis\u2028De Linde", "Eerste alinea.\n\nTweede alinea.", now);
    old.prepare("INSERT INTO members (id, email, password_hash, display_name, created_at) VALUES ('bram', 'bram@example.org', 'x', 'Bram  Visser', ?)").run(now);
    old.prepare("INSERT INTO initiatives (id, title, summary, kind, created_by, place, created_at, updated_at) VALUES (1, ?, ?, 'course', 'anna', ?, ?, ?)").run("Intervisie\n\nKlik hier", "Samen\n\nleren", "Zaal\t2", now, now);
    old.prepare("INSERT INTO venues (name, address, route_notes, created_by, created_at, updated_at) VALUES (?, ?, ?, 'anna', ?, ?)").run("De\nLinde", "Lindelaan 1\n1234 AB Utrecht", "Via de achterdeur.\nTweede verdieping.", now, now);
    old.prepare("INSERT INTO log_entries (at, action, actor_id, subject_type, subject_id, detail) VALUES (?, 'member.renamed', 'anna', 'member', 'anna', ?)").run(now, JSON.stringify({ name: scripted }));
    old.close();

    const upgraded = openAt(file, path.resolve("db/migrations"));
    const anna = upgraded.prepare("SELECT display_name AS name, organisation, work, bio FROM members WHERE id = 'anna'").get();
    expect(anna).toEqual({ name: "Team Meedoen Je wachtwoord verloopt: ga naar evil.example", organisation: "Buurthuis De Linde", work: "Taal coach", bio: "Eerste alinea.\n\nTweede alinea." });
    // A value without line ends is left as it was, double space and all.
    expect(upgraded.prepare("SELECT display_name FROM members WHERE id = 'bram'").pluck().get()).toBe("Bram  Visser");
    expect(upgraded.prepare("SELECT title || ' | ' || summary || ' | ' || place FROM initiatives WHERE id = 1").pluck().get()).toBe("Intervisie Klik hier | Samen\n\nleren | Zaal 2");
    expect(upgraded.prepare("SELECT name || ' | ' || address || ' | ' || route_notes FROM venues").pluck().get()).toBe("De Linde | Lindelaan 1 1234 AB Utrecht | Via de achterdeur.\nTweede verdieping.");
    expect(upgraded.prepare("SELECT detail FROM log_entries WHERE action = 'member.renamed'").pluck().get()).toBe(JSON.stringify({ name: scripted }));
    // The search index follows the changed name.
    expect(upgraded.prepare("SELECT member_id FROM members_fts WHERE members_fts MATCH 'verloopt'").pluck().all()).toEqual(["anna"]);
    expect(upgraded.prepare("SELECT count(*) FROM members_fts").pluck().get()).toBe(2);
    upgraded.close();
  });
});
