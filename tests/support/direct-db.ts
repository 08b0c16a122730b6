// Writes test data straight into a running server's database file (WAL allows a second
// connection), for tests that need many members without paying for argon2 each time.
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";

export function openServerDatabase(file: string) {
  const sqlite = new Database(file);
  sqlite.pragma("busy_timeout = 5000");
  return sqlite;
}

/** Members with a valid login session; returns their ids and Cookie headers. */
export function insertMembers(sqlite: Database.Database, count: number, prefix = "m") {
  const insertMember = sqlite.prepare("INSERT INTO members (id, email, password_hash, display_name, organisation) VALUES (?, ?, 'x', ?, ?)");
  const insertSession = sqlite.prepare("INSERT INTO auth_sessions (id, member_id, expires_at) VALUES (?, ?, ?)");
  const members: { id: string; cookie: string }[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `${prefix}${i}-${randomBytes(4).toString("hex")}`;
      const sessionId = randomBytes(20).toString("hex");
      insertMember.run(id, `${id}@example.org`, `Deelnemer ${prefix}${i}`, `Organisatie ${i % 7}`);
      insertSession.run(sessionId, id, Math.floor(Date.now() / 1000) + 86_400);
      members.push({ id, cookie: `meedoen_session=${sessionId}` });
    }
  })();
  return members;
}

/** An initiative hosted by `hostId` with one session starting in a week. */
export function insertCourseSession(sqlite: Database.Database, hostId: string, capacity: number | null) {
  const now = Date.now();
  const initiative = sqlite
    .prepare("INSERT INTO initiatives (title, summary, body, kind, updated_at, created_by) VALUES ('Race', 'Veel aanmeldingen', '', 'course', ?, ?) RETURNING id")
    .get(now, hostId) as { id: number };
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiative.id, hostId, now, now);
  const start = now + 7 * 86_400_000;
  const session = sqlite
    .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, capacity, checkin_code, updated_at) VALUES (?, ?, ?, ?, 'ACDEFG', ?) RETURNING id")
    .get(initiative.id, start, start + 7_200_000, capacity, now) as { id: number };
  return { initiativeId: initiative.id, sessionId: session.id };
}

/**
 * Moves the whole network `ms` into the past: for the app, that much time has passed. The log,
 * login sessions, the outbox, rate limits and cache versions keep their times; every other timestamp moves.
 */
export function passTime(sqlite: Database.Database, ms: number) {
  const skip = new Set(["log_entries", "auth_sessions", "outbox", "derived_versions", "rate_limits", "sqlite_sequence"]);
  const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%\\_fts%' ESCAPE '\\'").all() as { name: string }[]).map((t) => t.name).filter((t) => !skip.has(t));
  // IMMEDIATE: take the write lock first, so that the server writing meanwhile makes this wait, not fail.
  sqlite.transaction(() => {
    for (const table of tables) {
      const columns = (sqlite.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name);
      for (const column of columns.filter((c) => /(_at|^since|^deadline|^starts_at|^ends_at)$/.test(c))) {
        sqlite.prepare(`UPDATE "${table}" SET "${column}" = "${column}" - ? WHERE "${column}" IS NOT NULL AND typeof("${column}") = 'integer'`).run(ms);
      }
    }
  }).immediate();
}

/**
 * A course `hostId` hosts, with a two-hour session at each of `starts` (past instants) that
 * `memberId` attended, marked present by a host: a record of learning of any length. Returns how
 * many of those sessions fall in each year, in the community's time zone (Europe/Amsterdam).
 */
export function insertAttendedSessions(sqlite: Database.Database, { hostId, memberId, title, starts }: { hostId: string; memberId: string; title: string; starts: number[] }) {
  const hour = 3_600_000;
  const day = 24 * hour;
  const first = Math.min(...starts);
  const yearOf = new Intl.DateTimeFormat("en", { timeZone: "Europe/Amsterdam", year: "numeric" });
  const perYear = new Map<number, number>();
  sqlite.transaction(() => {
    const initiative = sqlite.prepare("INSERT INTO initiatives (title, summary, kind, created_by, created_at, updated_at) VALUES (?, 'Samen leren', 'course', ?, ?, ?) RETURNING id").pluck().get(title, hostId, first - day, first - day) as number;
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiative, hostId, first - day, first - day);
    const session = sqlite.prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at) VALUES (?, ?, ?, 'Buurthuis', 'ACDEFG', ?, ?, ?) RETURNING id").pluck();
    const attended = sqlite.prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at) VALUES (?, ?, 'registered', 1, ?, 'host', ?, ?)");
    for (const start of starts) {
      const id = session.get(initiative, start, start + 2 * hour, start - day, start - day, start - day) as number;
      attended.run(id, memberId, start + hour, start - day, start + hour);
      const year = Number(yearOf.format(start));
      perYear.set(year, (perYear.get(year) ?? 0) + 1);
    }
  })();
  return perYear;
}
