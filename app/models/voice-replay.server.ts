// The voice replay (~/governance/voice) over the database's meetings, kept in memory between
// changes. Voices are read on most pages, and replaying every meeting of a large network takes
// most of a second, so:
// - one replay serves every request until derived_versions.voice rises (triggers raise it on every
//   change to attendance, founders, holds, hiding and leaving, to the time of a meeting with
//   attendance and to who hosted it, whichever connection makes it; migrations 0014, 0016, 0025)
//   or time passes a moment the replay names (a voice starts or ends, a witness reaches 30 days, a
//   session starts);
// - copies of the replay's state are kept from before the meetings of the last three weeks and of
//   the last day. When every change since the replay was noted with what it changes (attendance
//   with its meeting in voice_attendance_changes, migration 0016; a hold, its end, a founder, an
//   initiative's hiding, a meeting moved or cancelled, a member leaving, with its moment in
//   voice_changes_from, migrations 0026 and 0027), the replay resumes from the latest copy before
//   the earliest meeting those may change, with that meeting's attendance, the member or the hiding
//   read again: the same result as replaying every meeting, since a meeting's outcome depends only
//   on the meetings before it and on the members and hiding as they are. Anything else, or a change
//   before the oldest copy, replays every meeting again.
// - the oldest copy is also kept in the database (voice_checkpoint, migration 0019), written by the
//   scheduler: a restart reads it and replays only the meetings after it, when every change since
//   it was written is noted and changes only those meetings, and the voice code is the same (ADRs
//   038, 041, 062); after an upgrade that changed that code, the install stores it for the new
//   code (ADR 059).
// Nothing is kept from inside a transaction (its writes may still be rolled back).
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import { sql } from "drizzle-orm";
import { migrationsFolder } from "../../db/client";
import { governance, sessionRules } from "~/governance/config";
import {
  hiddenByInitiative,
  isMeeting,
  meetingOrder,
  memberNumber,
  numberedMeeting,
  replayVoices,
  VoiceReplayer,
  type NumberedMeeting,
  type HiddenSpan,
  type ReplayerState,
  type ReplayMember,
  type ReplaySession,
  type VoiceReplay,
} from "~/governance/voice";
import { packState, unpackState, type PackedState } from "~/governance/voice-state";
import { db, statement } from "~/lib/db.server";
import { moduleCode } from "~/lib/module-code.server";
import { hostsAt, MeetingReader, ReaderFailed, releaseStandingReader, type ReaderQueries } from "./voice-reader.server";
import { derivedVersion, derivedVersionSql } from "./derived.server";

const dayMs = 86_400_000;
const hourMs = 3_600_000;
const stillHosting = Number.MAX_SAFE_INTEGER;
const noneMarked: string[] = [];

type MemberRow = [string, number, number | null, number | null];
const memberColumns = "id, created_at, founder_at, posting_held_at";
const memberOf = ([id, createdAt, founderAt, heldAt]: MemberRow): ReplayMember => ({ id, createdAt, founderAt, heldAt });

/** A member as the replay reads them now; undefined when gone or left. */
function memberNow(id: string): ReplayMember | undefined {
  const row = statement(`SELECT ${memberColumns} FROM members WHERE id = ? AND deleted_at IS NULL`).raw().get(id) as MemberRow | undefined;
  return row && memberOf(row);
}

type SessionRow = [number, number, number, number, number];
const sessionColumns = "s.id, s.initiative_id, s.starts_at, coalesce(s.announced_at, s.created_at), s.cancelled_at IS NOT NULL";

type SessionInputRow = [...SessionRow, string, string | null];

/**
 * The meetings with attendance up to a moment (params: now, then for `upTo` the sessions' first
 * start and the bound it names, then now), each with who came in the order they arrived (first in
 * line for the growth brake among those of one meeting) and those a host marked present, as
 * strings: far fewer values to make than a row per check-in. A member signs up for a session once,
 * so each is named once. In the replay's order (meetingOrder).
 */
const meetingsSql = (upTo: string) => `SELECT ${sessionColumns}, a.attendees, a.marked FROM (
    SELECT session_id, group_concat(member_id, char(31) ORDER BY attended_at, id) AS attendees,
      group_concat(iif(attendance_by = 'code', NULL, member_id), char(31)) AS marked
    FROM registrations WHERE attended_at IS NOT NULL AND attended_at <= ?
      ${upTo && `AND session_id IN (SELECT id FROM sessions WHERE starts_at >= ? ${upTo})`} GROUP BY session_id
  ) a JOIN sessions s ON s.id = a.session_id WHERE s.starts_at <= ?
  ORDER BY s.starts_at, s.id`;

const currentMembers = () => (statement(`SELECT ${memberColumns} FROM members WHERE deleted_at IS NULL`).raw().all() as MemberRow[]).map(memberOf);

/** Hosts now and ended hosting (host_terms) as [initiative, member, since, until], for the initiatives `which` names (params: stillHosting, then which's). */
const hostsSql = (which: string) =>
  `SELECT initiative_id, member_id, since, ? FROM hosts ${which} UNION ALL SELECT initiative_id, member_id, since, ended_at FROM host_terms ${which}`;

/**
 * What the replay reads, from the database, for meetings up to `now` (and from `from` on, if
 * given): the members, the hiding, and the meetings as rows to be read one by one (`meetingsIn`).
 * Raw rows from prepared statements: at the bench network's scale this is a hundred thousand
 * check-ins. Sessions nobody attended are left out: they change nobody's voice.
 */
function replaySource(now: number, from?: number) {
  const client = db().$client;
  const members = currentMembers();
  // Hosts now, and hosting that ended (host_terms): who was a host when each meeting started.
  const hostsOf = new Map<number, [string, number, number][]>();
  // From `from` on, only the initiatives that met between then and `now`.
  const meeting = from === undefined ? "" : "WHERE initiative_id IN (SELECT initiative_id FROM sessions WHERE starts_at >= ? AND starts_at <= ?)";
  const hostRows = client
    .prepare(hostsSql(meeting))
    .raw()
    .all(...(from === undefined ? [stillHosting] : [stillHosting, from, now, from, now])) as [number, string, number, number][];
  for (const [initiativeId, memberId, since, until] of hostRows) {
    const list = hostsOf.get(initiativeId);
    if (list) list.push([memberId, since, until]);
    else hostsOf.set(initiativeId, [[memberId, since, until]]);
  }
  // The meetings with attendance (others change nothing).
  const rows = client.prepare(meetingsSql(from === undefined ? "" : "AND starts_at <= ?")).raw();
  const args = from === undefined ? [now, now] : [now, from, now, now];
  const sessionOf = (row: SessionInputRow): ReplaySession => ({
    id: row[0],
    initiativeId: row[1],
    startsAt: row[2],
    announcedAt: row[3],
    cancelled: !!row[4],
    hosts: hostsAt(hostsOf.get(row[1]), row[2]),
    attendees: row[5].split("\x1f"),
    markedByHost: row[6] === null ? noneMarked : row[6].split("\x1f"),
  });
  return {
    members,
    hidden: hiddenSpans(),
    /**
     * The meetings (`isMeeting`) in the replay's order, made one at a time as they are read (none
     * is kept that the caller does not keep).
     */
    *meetingsIn(): Generator<ReplaySession> {
      let last: ReplaySession | undefined;
      for (const row of rows.iterate(...args) as IterableIterator<SessionInputRow>) {
        const session = sessionOf(row);
        if (!isMeeting(session, now)) continue;
        if (last && meetingOrder(last, session) > 0) throw new Error("The meetings were not read in the replay's order.");
        last = session;
        yield session;
      }
    },
    /** The meetings, all at once. */
    sessions: () => (rows.all(...args) as SessionInputRow[]).map(sessionOf),
  };
}

/** Everything the replay reads, from the database, for meetings up to `now` (and from `from` on, if given). */
export function replayInput(now: number, from?: number) {
  const source = replaySource(now, from);
  return { members: source.members, sessions: source.sessions(), hidden: source.hidden, now };
}

/** One session as the replay reads it at `now`: "later" when it has not started, "gone" when deleted. */
function sessionAt(id: number, now: number): ReplaySession | "later" | "gone" {
  const row = statement(`SELECT ${sessionColumns} FROM sessions s WHERE s.id = ?`).raw().get(id) as SessionRow | undefined;
  if (!row) return "gone";
  const [, initiativeId, startsAt, announcedAt, cancelled] = row;
  if (startsAt > now) return "later";
  const terms = statement("SELECT member_id, since, ? FROM hosts WHERE initiative_id = ? UNION ALL SELECT member_id, since, ended_at FROM host_terms WHERE initiative_id = ?")
    .raw()
    .all(stillHosting, initiativeId, initiativeId) as [string, number, number][];
  const attendance = statement("SELECT member_id, attendance_by FROM registrations WHERE session_id = ? AND attended_at IS NOT NULL AND attended_at <= ? ORDER BY attended_at, id")
    .raw()
    .all(id, now) as [string, string | null][];
  const attendees = attendance.map(([memberId]) => memberId);
  const markedByHost = attendance.filter(([, by]) => by !== "code").map(([memberId]) => memberId);
  return { id, initiativeId, startsAt, announcedAt, cancelled: !!cancelled, hosts: hostsAt(terms, startsAt), attendees, markedByHost };
}

/** When each initiative was hidden by flags, from the log (which nobody can change). */
function hiddenSpans(): HiddenSpan[] {
  const rows = db().all<{ subject_id: string; action: string; at: number }>(sql`
    SELECT subject_id, action, at FROM log_entries
    -- By the action's index (a few rows), not the subject's (every initiative's entries): "+" keeps SQLite off the latter.
    WHERE action IN ('content.hidden', 'content.restored') AND +subject_type = 'initiative'
      -- an outcome or comment hidden or restored is logged on its initiative, naming itself as the target
      AND json_extract(detail, '$.target') IS NULL
    ORDER BY id`);
  const open = new Map<number, HiddenSpan>();
  const spans: HiddenSpan[] = [];
  for (const r of rows) {
    const id = Number(r.subject_id);
    if (r.action === "content.hidden" && !open.has(id)) {
      const span = { initiativeId: id, from: r.at, until: null as number | null };
      open.set(id, span);
      spans.push(span);
    } else if (r.action === "content.restored" && open.has(id)) {
      open.get(id)!.until = r.at;
      open.delete(id);
    }
  }
  // Hidden without a log entry (written by hand): hidden from then on.
  const stillHidden = db().all<{ id: number; hidden_at: number }>(sql`SELECT id, hidden_at FROM initiatives WHERE hidden_at IS NOT NULL`);
  for (const h of stillHidden) if (!open.has(h.id)) spans.push({ initiativeId: h.id, from: h.hidden_at, until: null });
  return spans;
}

// Copies of the state are kept from before the meetings of the last days: attendance can be changed
// through the app until a week after a session ends, and a session lasts at most two weeks. Most
// check-ins are made at a meeting going on now, hence the latest copy; hosts mark attendance in
// the days after, hence those between. A copy costs little (the state's large parts are shared).
const checkpointAges = [(sessionRules.maxLengthDays + governance.attendanceFixedAfterDays + 1) * dayMs, 14 * dayMs, 7 * dayMs, 3 * dayMs, dayMs];

type Kept = {
  version: number;
  /** The moment the replay is for. */
  from: number;
  members: Map<string, ReplayMember>;
  hiddenBy: Map<number, HiddenSpan[]>;
  /** States before every meeting from `at` on, oldest first. */
  checkpoints: { at: number; replayer: VoiceReplayer }[];
  /** The meetings from the oldest checkpoint up to `from`, in order, as replayed. */
  tail: ReplaySession[];
  /** The state after every meeting up to `from`. */
  live: VoiceReplayer;
  replay: VoiceReplay;
  /** The next session start after `from`, and the next attendance written ahead of its time. */
  nextStart: number;
  nextAttendance: number;
};

let kept: Kept | null = null;

/**
 * How often every meeting was replayed, how often a replay resumed, and how often one went on from
 * the state stored in the database (read by tests, the start's log and the benchmark).
 */
export const replayCounts = { full: 0, resumed: 0, restored: 0, readOnWorker: 0 };

/** Forgets the kept replay, as a restart does (for tests). */
export function forgetKeptReplay() {
  kept = null;
}

/** The replay at `now`: kept, resumed, or made again. */
export function replayAt(now: number): VoiceReplay {
  const client = db().$client;
  if (client.inTransaction) return replayVoices(replayInput(now));
  // One read transaction: the version and the rows read with it are of the same moment. What
  // fails half-way leaves nothing kept.
  const refresh = client.transaction(() => {
    const version = derivedVersion("voice");
    if (kept && now >= kept.from && now < kept.nextAttendance) {
      if (kept.version === version && now < kept.replay.nextChange && now < kept.nextStart) return kept.replay;
      const changed = kept.version === version ? noChanges() : changesBetween(kept.version, version);
      if (changed) {
        if (now >= kept.nextStart) changed.sessions.push(...startedBetween(kept.from, now));
        if (resume(kept, changed, now)) {
          kept.version = version;
          replayCounts.resumed++;
          return kept.replay;
        }
      }
    }
    const stored = kept ? null : restored(now, version);
    if (stored) {
      replayCounts.restored++;
      takeEarlyReader(null);
    } else replayCounts.full++;
    kept = stored ?? replayed(now, version);
    return kept.replay;
  });
  try {
    return refresh();
  } catch (error) {
    kept = null;
    throw error;
  }
}

/** The version of the kept replay: the changes it has read. */
export function keptVoiceVersion(): number | null {
  return kept?.version ?? null;
}

/** Changes to resume after: meetings to read again, the moment from which others may come out otherwise, members and hiding to read again. */
type Changes = { sessions: number[]; from: number; members: string[]; hiding: boolean };
const noChanges = (): Changes => ({ sessions: [], from: Number.POSITIVE_INFINITY, members: [], hiding: false });

/**
 * What changed after version `from` up to `to`, as the triggers noted it: the meetings whose
 * attendance, time or announcement changed (migrations 0016, 0026), and the members whose holds or
 * founding changed and whether an initiative's hiding did, with the moments from which meetings
 * may come out otherwise (migration 0026; hiding voids the meetings of the fortnight before it).
 * Null when anything else changed too: then every meeting is replayed.
 */
function changesBetween(from: number, to: number): Changes | null {
  const attendance = statement("SELECT version, session_id FROM voice_attendance_changes WHERE version > ? AND version <= ?").raw().all(from, to) as [number, number][];
  const moments = statement("SELECT version, at, member_id, initiative_id FROM voice_changes_from WHERE version > ? AND version <= ?").raw().all(from, to) as [
    number,
    number,
    string | null,
    number | null,
  ][];
  if (new Set([...attendance.map(([version]) => version), ...moments.map(([version]) => version)]).size !== to - from) return null;
  const changes = noChanges();
  changes.sessions = [...new Set(attendance.map(([, sessionId]) => sessionId))];
  for (const [, at, memberId, initiativeId] of moments) {
    if (memberId !== null && !changes.members.includes(memberId)) changes.members.push(memberId);
    if (initiativeId !== null) changes.hiding = true;
    changes.from = Math.min(changes.from, initiativeId !== null ? at - governance.voidWindowDays * dayMs : at);
  }
  return changes;
}

/** Sessions with attendance that started after `from`, up to `now`. */
function startedBetween(from: number, now: number): number[] {
  return statement(
    `SELECT s.id FROM sessions s WHERE s.starts_at > ? AND s.starts_at <= ?
     AND EXISTS (SELECT 1 FROM registrations r WHERE r.session_id = s.id AND r.attended_at IS NOT NULL)`,
  )
    .pluck()
    .all(from, now) as number[];
}

function nextStartAfter(from: number): number {
  return (statement("SELECT min(starts_at) FROM sessions WHERE starts_at > ?").pluck().get(from) as number | null) ?? Number.POSITIVE_INFINITY;
}

function nextAttendanceAfter(from: number): number {
  return (statement("SELECT min(attended_at) FROM registrations WHERE attended_at IS NOT NULL AND attended_at > ?").pluck().get(from) as number | null) ?? Number.POSITIVE_INFINITY;
}

/** The members, the hiding and the meetings in the replay's order, as `keptFrom` steps them. */
type MeetingSource = { members: ReplayMember[]; hidden: HiddenSpan[]; meetingsIn: () => Iterable<ReplaySession | KeptMeeting> };

/**
 * Every meeting replayed, with the checkpoints taken on the way. When the start began reading them
 * on a worker for this moment (`readMeetingsEarly`), those it read are replayed as they come
 * (./voice-reader.server, ADR 063); should the worker fail or read another version, and for any
 * other replay, they are read here.
 */
function replayed(now: number, version: number): Kept {
  const reader = takeEarlyReader(now);
  if (reader) {
    try {
      // Of another version, the members and the hiding are read with the meetings below.
      if (reader.version() === version) {
        const source = { members: currentMembers(), hidden: hiddenSpans(), meetingsIn: () => meetingsFrom(reader, now - checkpointAges[0]) };
        const done = keptFrom(now, version, source, Number.NEGATIVE_INFINITY, null);
        replayCounts.readOnWorker++;
        return done;
      }
    } catch (error) {
      if (!(error instanceof ReaderFailed)) throw error;
    } finally {
      reader.stop();
    }
  }
  return mapped(() => keptFrom(now, version, replaySource(now), Number.NEGATIVE_INFINITY, null));
}

/** Whether the network has `replayReader.fromCheckIns` check-ins or more (counted no further than that). */
const largeNetwork = () =>
  replayReader.fromCheckIns <= 0 ||
  statement("SELECT EXISTS (SELECT 1 FROM registrations WHERE attended_at IS NOT NULL LIMIT 1 OFFSET ?)").pluck().get(replayReader.fromCheckIns - 1) === 1;

// The worker reading the meetings for the replay at `now`, begun by the start (readMeetingsEarly).
let early: { reader: MeetingReader; now: number } | null = null;

/** The worker begun for a replay at `now`, if any; any other is ended (all of them, for null). */
function takeEarlyReader(now: number | null): MeetingReader | null {
  const reader = early?.now === now ? early.reader : null;
  if (!reader) early?.reader.stop();
  early = null;
  return reader;
}

/**
 * Begins reading the meetings for a replay of every meeting at `now` on a worker, when the replay
 * at `now` will be one (nothing kept, and no stored state that holds) on a large network: the start
 * calls this as soon as the database is migrated, so that the worker reads while the server checks
 * the file. The replay at `now` takes what it read; any other one ends it. Without memory-mapped
 * reads: the file is not checked yet. A worker the start loaded ahead (`standByMeetingReader`) is
 * taken, or let go when none is needed.
 */
export function readMeetingsEarly(now: number) {
  try {
    const client = db().$client;
    // With one core the worker would only take turns with the check, and the replay wait for it.
    if (kept || early || client.memory || availableParallelism() < 2 || storedVoicesHold(now) || !largeNetwork()) return;
    early = { reader: new MeetingReader(client.name, now, readerQueries), now };
  } catch {
    // A file the check is about to refuse, or one the replay reads for itself later.
  } finally {
    releaseStandingReader();
  }
}

/** The version the worker begun by `readMeetingsEarly` reads (once it has begun), or null when none was begun (for tests). */
export function earlyReadVersion(): number | null {
  try {
    return early ? early.reader.version() : null;
  } catch {
    return null;
  }
}

/** From how many check-ins on a replay of every meeting reads them on a worker (changed by tests). */
export const replayReader = { fromCheckIns: 20_000 };

/**
 * Whether the database at `file` may hold enough check-ins for `readMeetingsEarly` to read them on
 * a worker, judged by its size alone (the file and its write-ahead log, not opened): a check-in
 * takes well over 50 bytes in the file with its indexes. For the start, before it opens the file.
 */
export function mayReadMeetingsEarly(file: string): boolean {
  const bytes = (name: string) => statSync(name, { throwIfNoEntry: false })?.size ?? 0;
  return bytes(file) + bytes(`${file}-wal`) >= replayReader.fromCheckIns * 50;
}

const readerQueries: ReaderQueries = {
  version: derivedVersionSql,
  versionParams: ["voice"],
  hosts: hostsSql(""),
  hostsParams: [stillHosting],
  meetings: meetingsSql("AND starts_at < ?"),
  nthStart: "SELECT starts_at FROM sessions WHERE starts_at >= ? ORDER BY starts_at LIMIT 1 OFFSET ?",
};

/**
 * The meetings the worker reads, in the replay's order: those before `named` with their people as
 * member numbers (one object, filled in again for each: `stepWithCheckpoints` steps it at once),
 * the others as sessions, which the kept replay holds.
 */
function* meetingsFrom(reader: MeetingReader, named: number): Generator<KeptMeeting> {
  const texts: string[] = [];
  const numbers: number[] = [];
  const meeting: KeptMeeting = { ...numberedMeeting(), session: undefined };
  // The meeting before, to check the order (the one object is filled in again for each).
  const last = { id: 0, startsAt: Number.NEGATIVE_INFINITY };
  for (const { texts: added, data } of reader.batches()) {
    for (const id of added) {
      texts.push(id);
      numbers.push(memberNumber(id));
    }
    let o = 0;
    while (o < data.length) {
      const id = data[o] | 0;
      const startsAt = data[o + 2];
      meeting.id = id;
      meeting.startsAt = startsAt;
      if (meetingOrder(last, meeting) > 0) throw new Error("The meetings were not read in the replay's order.");
      last.id = id;
      last.startsAt = startsAt;
      meeting.initiativeId = data[o + 1] | 0;
      meeting.announcedAt = data[o + 3];
      const hostsAt = o + 4;
      const attendeesAt = fill(meeting.hosts, data, hostsAt, numbers);
      const markedAt = fill(meeting.attendees, data, attendeesAt, numbers);
      o = fill(meeting.marked, data, markedAt, numbers);
      meeting.session = undefined;
      if (startsAt >= named) {
        const people = (at: number) => Array.from(data.subarray(at + 1, at + 1 + data[at]), (k) => texts[k | 0]);
        meeting.session = { id, initiativeId: meeting.initiativeId, startsAt, announcedAt: meeting.announcedAt, cancelled: false, hosts: people(hostsAt), attendees: people(attendeesAt), markedByHost: people(markedAt) };
      }
      yield meeting;
    }
  }
}

/** A meeting as numbers, with the session the kept replay holds when it is one of the last weeks' (`tail`). */
type KeptMeeting = NumberedMeeting & { session: ReplaySession | undefined };

/** Fills `into` with the member numbers of the count and worker numbers at `at`; the position after them. */
function fill(into: number[], data: Float64Array, at: number, numbers: number[]): number {
  const count = data[at] | 0;
  into.length = count;
  for (let k = 0; k < count; k++) into[k] = numbers[data[at + 1 + k] | 0];
  return at + 1 + count;
}

/**
 * Runs `read` with the database file mapped into memory (SQLite's memory-mapped I/O), then unmapped
 * again. A replay from the start reads most of the attendance, sessions and initiatives once, page
 * by page, through a page cache of 2 MB: mapped, the pages are read in place instead of copied one
 * system call at a time (a quarter of the query's time on the bench network). Only for these reads:
 * a read error on a mapped file stops the process instead of failing the query (ADR 058).
 */
function mapped<T>(read: () => T): T {
  const client = db().$client;
  client.pragma(`mmap_size = ${mappedBytes}`);
  try {
    return read();
  } finally {
    client.pragma("mmap_size = 0");
  }
}
const mappedBytes = 1 << 30;

/**
 * The meetings of `source` (all from `from` on) stepped from `state` (the state before them; null
 * for none at all), with the checkpoints taken on the way, none before `from`. Each meeting is
 * stepped as it is read: those before the oldest checkpoint are never all held at once, so they
 * are dropped young, not moved into the old generation to be collected there (collecting garbage
 * took a quarter of a full replay; this takes nearly a third of that away).
 */
function keptFrom(now: number, version: number, source: MeetingSource, from: number, state: ReplayerState | null): Kept {
  const members = new Map(source.members.map((m) => [m.id, m]));
  const hiddenBy = hiddenByInitiative(source.hidden);
  const live = state ? VoiceReplayer.fromState(state, members, hiddenBy) : new VoiceReplayer(members, hiddenBy);
  const tail: ReplaySession[] = [];
  const checkpoints = stepWithCheckpoints(live, source.meetingsIn(), checkpointAges.map((age) => Math.max(from, now - age)), tail);
  return { version, from: now, members, hiddenBy, checkpoints, tail, live, replay: live.result(now), nextStart: nextStartAfter(now), nextAttendance: nextAttendanceAfter(now) };
}

let codeFingerprint: string | null = null;

/** The modules whose code a stored state depends on: the voice rules and their numbers, how the replay reads the database and packs its state. */
export const isVoiceModule = (source: string) =>
  source.startsWith("app/governance/") ||
  ["app/models/voice-replay.server.ts", "app/models/voice-reader.server.ts", "app/models/voice.server.ts", "app/models/derived.server.ts"].includes(source);

/** The code a stored state depends on, out of the server build (or the whole file, when it holds no marked modules). */
export function voiceCode(build: Buffer): string | Buffer {
  return moduleCode(build, isVoiceModule) ?? build;
}

/**
 * The code that wrote a stored state: in production the voice modules' code in the server build
 * (ADR 041), the migrations that may change what the replay reads (`touchesReplay`), the governance
 * numbers and the engine's serialization. A new build that changed none of these goes on from the
 * stored state; one that did replays every meeting once and stores its own. The migrations are
 * those of the migrations folder, which the server has applied before it reads a voice (it
 * refuses to start on a database that has more).
 */
function fingerprint(): string {
  if (codeFingerprint) return codeFingerprint;
  const hash = createHash("sha256")
    .update(voiceCode(readFileSync(fileURLToPath(import.meta.url))))
    .update(JSON.stringify({ governance, sessionRules, v8: process.versions.v8 }));
  for (const migration of knownMigrations()) if (touchesReplay(migration.sql)) hash.update(migration.tag).update(migration.sql);
  codeFingerprint = hash.digest("base64url");
  return codeFingerprint;
}

/** The migrations of the migrations folder, in the order they are applied. */
export function knownMigrations(): { tag: string; sql: string }[] {
  const folder = migrationsFolder();
  const journal = JSON.parse(readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
  return journal.entries.map(({ tag }) => ({ tag, sql: readFileSync(path.join(folder, `${tag}.sql`), "utf8") }));
}

// The tables the replay reads, and those its version and its notes of changes live in.
const replayTables = new Set([
  "members",
  "sessions",
  "registrations",
  "hosts",
  "host_terms",
  "initiatives",
  "log_entries",
  "derived_versions",
  "voice_attendance_changes",
  "voice_changes_from",
  "voice_checkpoint",
]);
// A statement that writes rows or changes a table's structure, with the table it names (after its
// schema, if one is named): drizzle rebuilds a table as a new one renamed to the old name.
const tableChange =
  /\b(?:ALTER\s+TABLE|DROP\s+TABLE(?:\s+IF\s+EXISTS)?|CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE(?:\s+IF\s+NOT\s+EXISTS)?|INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM|RENAME\s+TO)\s+(?:[`"[]?\w+[`"\]]?\s*\.\s*)?[`"[]?(\w+)/gi;
const triggerChange = /\b(?:CREATE|DROP)\s+(?:TEMP(?:ORARY)?\s+)?TRIGGER\b/i;

/**
 * Whether a migration may change what the replay reads or how its changes are noted: it writes to
 * or changes one of the replay's tables, or makes or drops any trigger (triggers raise the
 * version and note the changes). One that only adds other tables, columns of other tables or
 * indexes does not: the stored state holds across it (ADR 059). Read as plain text, comments and
 * quoted texts too, so that a doubtful case counts as a change.
 */
export function touchesReplay(migrationSql: string): boolean {
  if (triggerChange.test(migrationSql)) return true;
  for (const [, table] of migrationSql.matchAll(tableChange)) if (replayTables.has(table.toLowerCase())) return true;
  return false;
}

type Stored = { fingerprint: string; version: number; at: number; until: number };

/** The version the stored state holds for (the notes of attendance changes after it are still needed), if there is one. */
export function storedVoiceVersion(): number | null {
  return storedMeta()?.version ?? null;
}

function storedMeta(): Stored | undefined {
  return statement("SELECT fingerprint, version, at, until FROM voice_checkpoint WHERE id = 1").get() as Stored | undefined;
}

/**
 * Whether the stored state still gives the replay at `version` and `now`: written by this code,
 * before `now`, before any attendance written ahead of its time counts, and every change since it
 * was written is attendance at a meeting that starts at or after it (which the replay from it
 * reads again).
 */
function storedHolds(stored: Stored, version: number, now: number): boolean {
  if (stored.fingerprint !== fingerprint() || stored.version > version || stored.at > now || now >= stored.until) return false;
  const changed = stored.version === version ? noChanges() : changesBetween(stored.version, version);
  if (!changed || changed.from < stored.at) return false;
  if (!changed.sessions.length) return true;
  const after = statement("SELECT count(*) FROM sessions WHERE id IN (SELECT value FROM json_each(?)) AND starts_at >= ?").pluck().get(JSON.stringify(changed.sessions), stored.at) as number;
  return after === changed.sessions.length;
}

/** The replay from the state stored in the database, or null when there is none that holds. */
function restored(now: number, version: number): Kept | null {
  const stored = storedMeta();
  if (!stored || !storedHolds(stored, version, now)) return null;
  let state: ReplayerState;
  try {
    state = unpackState(deserialize(statement("SELECT state FROM voice_checkpoint WHERE id = 1").pluck().get() as Buffer) as PackedState);
  } catch {
    // Unreadable (a damaged file): every meeting is replayed, and the scheduler stores a new one.
    return null;
  }
  return mapped(() => keptFrom(now, version, replaySource(now, stored.at), stored.at, state));
}

// When this process began: a state of other code stored after it is a newer build's, prepared for
// the start that will replace this process (ADR 059).
const processStarted = Date.now();

/**
 * Stores the kept replay's oldest checkpoint in the database when the stored one is missing, no
 * longer holds, or is a day older than it could be; the oldest checkpoint first moves up to its
 * age, so the state stored follows time. Run by the scheduler. True when it wrote.
 *
 * A state other code stored after this process began is left alone: an install prepared it for
 * the next start (`prepareVoicesForNextStart`), which this server is about to make way for. The
 * rule is in the write's own statement, so a preparation that writes in between is not undone.
 * The preparation itself (`forNextStart`) replaces whatever is stored.
 */
export function storeVoiceCheckpoint(now: number, { forNextStart = false } = {}): boolean {
  const client = db().$client;
  if (!kept || client.inTransaction || now < kept.from) return false;
  advanceOldest(kept, now);
  const oldest = kept.checkpoints[0];
  const stored = storedMeta();
  if (stored && storedHolds(stored, derivedVersion("voice"), now) && oldest.at - stored.at < dayMs) return false;
  const written = statement(
    `INSERT INTO voice_checkpoint (id, fingerprint, version, at, until, state, saved_at) VALUES (1, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, version = excluded.version, at = excluded.at, until = excluded.until,
       state = excluded.state, saved_at = excluded.saved_at
     WHERE ? OR voice_checkpoint.fingerprint = excluded.fingerprint OR voice_checkpoint.saved_at < ?`,
  ).run(
    fingerprint(),
    kept.version,
    oldest.at,
    Math.min(kept.nextAttendance, Number.MAX_VALUE),
    serialize(packState(oldest.replayer.state())),
    now,
    forNextStart ? 1 : 0,
    processStarted,
  );
  return written.changes > 0;
}

/** Whether the stored state holds for this code at `now`: a start would go on from it. */
export function storedVoicesHold(now: number): boolean {
  const stored = storedMeta();
  return !!stored && storedHolds(stored, derivedVersion("voice"), now);
}

/** Moves the oldest checkpoint up to its age at `now` (not past the next), stepping the meetings between. */
function advanceOldest(k: Kept, now: number) {
  const oldest = k.checkpoints[0];
  const to = Math.min(now - checkpointAges[0], k.checkpoints[1]?.at ?? Number.POSITIVE_INFINITY, k.from);
  if (to - oldest.at < dayMs) return;
  const replayer = oldest.replayer.clone();
  for (const meeting of k.tail) if (meeting.startsAt < to) replayer.step(meeting);
  k.checkpoints[0] = { at: to, replayer };
  k.tail = k.tail.filter((m) => m.startsAt >= to);
}

/**
 * Steps `meetings` (in order), taking a copy of the state before the meetings from each of `ats`;
 * those from the first of `ats` on are also added to `tail`, when given.
 */
function stepWithCheckpoints(replayer: VoiceReplayer, meetings: Iterable<ReplaySession | KeptMeeting>, ats: number[], tail?: ReplaySession[]) {
  const checkpoints: Kept["checkpoints"] = [];
  for (const meeting of meetings) {
    while (checkpoints.length < ats.length && ats[checkpoints.length] <= meeting.startsAt) checkpoints.push({ at: ats[checkpoints.length], replayer: replayer.clone() });
    if ("markedByHost" in meeting) {
      if (tail && meeting.startsAt >= ats[0]) tail.push(meeting);
      replayer.step(meeting);
    } else {
      if (tail && meeting.startsAt >= ats[0]) {
        if (!meeting.session) throw new Error("A meeting the kept replay holds came without its session.");
        tail.push(meeting.session);
      }
      replayer.stepNumbered(meeting);
    }
  }
  while (checkpoints.length < ats.length) checkpoints.push({ at: ats[checkpoints.length], replayer: replayer.clone() });
  return checkpoints;
}

/**
 * Reads the changed sessions, members and hiding again and replays from the latest checkpoint
 * before the earliest meeting they may change. False when that cannot give the full replay's
 * result: a change before the oldest checkpoint, or a session deleted that the kept meetings do
 * not hold. The members and the hiding are shared by every copy of the state, which reads them as
 * it steps a meeting: changed in place, they are what a full replay would read, and the meetings
 * before the change's moment came out the same with them.
 */
function resume(k: Kept, changes: Changes, now: number): boolean {
  let earliest = changes.from;
  if (earliest < k.checkpoints[0].at) return false;
  for (const id of changes.members) {
    const member = memberNow(id);
    if (member) k.members.set(id, member);
    else k.members.delete(id);
    k.live.memberChanged(id);
  }
  if (changes.hiding) {
    const hiddenBy = hiddenByInitiative(hiddenSpans());
    k.hiddenBy.clear();
    for (const [initiativeId, spans] of hiddenBy) k.hiddenBy.set(initiativeId, spans);
  }
  const lastStepped = k.tail.length ? k.tail[k.tail.length - 1].startsAt : Number.NEGATIVE_INFINITY;
  for (const id of new Set(changes.sessions)) {
    const at = k.tail.findIndex((s) => s.id === id);
    if (at >= 0) {
      earliest = Math.min(earliest, k.tail[at].startsAt);
      k.tail.splice(at, 1);
    }
    const fresh = sessionAt(id, now);
    if (fresh === "gone" && at < 0) return false;
    if (fresh === "gone" || fresh === "later") continue;
    if (fresh.startsAt < k.checkpoints[0].at) return false;
    for (const memberId of fresh.attendees) {
      if (k.members.has(memberId)) continue;
      const member = memberNow(memberId);
      if (member) k.members.set(memberId, member);
    }
    earliest = Math.min(earliest, fresh.startsAt);
    if (!isMeeting(fresh, now)) continue;
    const before = k.tail.findIndex((s) => meetingOrder(s, fresh) > 0);
    k.tail.splice(before < 0 ? k.tail.length : before, 0, fresh);
  }
  if (earliest > lastStepped && earliest >= k.checkpoints[k.checkpoints.length - 1].at) {
    // Only meetings after every one replayed so far, and after the latest copy (which must not
    // miss a meeting before its moment): a copy of the live state goes on.
    k.live = k.live.clone();
    for (const meeting of k.tail) if (meeting.startsAt >= earliest) k.live.step(meeting);
  } else {
    let from = 0;
    while (from + 1 < k.checkpoints.length && k.checkpoints[from + 1].at <= earliest) from++;
    const start = k.checkpoints[from];
    const live = start.replayer.clone();
    const index = k.tail.findIndex((s) => s.startsAt >= start.at);
    // The checkpoints after this one are taken again, at their age at `now` (never back). The one
    // it resumed from stays as it is (a copy saved), unless it is an hour or more behind its age.
    const stays = now - checkpointAges[from] - start.at < hourMs;
    const ats = k.checkpoints.slice(from).map((c, i) => (i === 0 && stays ? c.at : Math.max(c.at, now - checkpointAges[from + i])));
    const retaken = stepWithCheckpoints(live, index < 0 ? [] : k.tail.slice(index), stays ? ats.slice(1) : ats);
    k.checkpoints.splice(from, ats.length, ...(stays ? [start, ...retaken] : retaken));
    k.tail = k.tail.filter((s) => s.startsAt >= k.checkpoints[0].at);
    k.live = live;
  }
  k.from = now;
  k.replay = k.live.result(now);
  k.nextStart = nextStartAfter(now);
  k.nextAttendance = nextAttendanceAfter(now);
  return true;
}
