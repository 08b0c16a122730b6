// Who has a voice (governance.md §1, version 2): the database's meetings, attendance, founders and
// hiding, replayed in time order by the pure function in ~/governance/voice. Nothing about voice is
// stored; what the replay decides is written to the log by the scheduler (voices started, held
// back by the growth brake, voided; the bootstrap's end).
import { sql } from "drizzle-orm";
import { governance } from "~/governance/config";
import { withinNewcomerLimit } from "~/governance/rules";
import { replayVoices, type HiddenSpan, type MemberVoice, type ReplaySession, type VoiceReason, type VoiceReplay } from "~/governance/voice";
import { db, statement } from "~/lib/db.server";
import { derivedVersion } from "./derived.server";
import { appendLog } from "./log.server";

export type { MemberVoice, VoiceReason } from "~/governance/voice";

const dayMs = 86_400_000;

/**
 * Everything the replay reads, from the database, for meetings up to `now`. Raw rows from
 * prepared statements: at the bench network's scale this is a hundred thousand check-ins.
 */
export function replayInput(now: number) {
  const client = db().$client;
  const members = (client.prepare("SELECT id, created_at, founder_at, posting_held_at FROM members WHERE deleted_at IS NULL").raw().all() as [string, number, number | null, number | null][]).map(
    ([id, createdAt, founderAt, heldAt]) => ({ id, createdAt, founderAt, heldAt }),
  );
  // Hosts now, and hosting that ended (host_terms): who was a host when each meeting started.
  const hostsOf = new Map<number, [string, number, number][]>();
  const hostRows = client
    .prepare("SELECT initiative_id, member_id, since, ? FROM hosts UNION ALL SELECT initiative_id, member_id, since, ended_at FROM host_terms")
    .raw()
    .all(Number.MAX_SAFE_INTEGER) as [number, string, number, number][];
  for (const [initiativeId, memberId, since, until] of hostRows) {
    const list = hostsOf.get(initiativeId);
    if (list) list.push([memberId, since, until]);
    else hostsOf.set(initiativeId, [[memberId, since, until]]);
  }
  const sessions: ReplaySession[] = [];
  const byId = new Map<number, ReplaySession>();
  const sessionRows = client
    .prepare(
      `SELECT s.id, s.initiative_id, i.title, s.starts_at, coalesce(s.announced_at, s.created_at), s.cancelled_at IS NOT NULL
       FROM sessions s JOIN initiatives i ON i.id = s.initiative_id WHERE s.starts_at <= ?`,
    )
    .raw()
    .all(now) as [number, number, string, number, number, number][];
  for (const [id, initiativeId, title, startsAt, announcedAt, cancelled] of sessionRows) {
    const hosts: string[] = [];
    for (const [memberId, since, until] of hostsOf.get(initiativeId) ?? []) if (since <= startsAt && until > startsAt && !hosts.includes(memberId)) hosts.push(memberId);
    const session: ReplaySession = { id, initiativeId, title, startsAt, announcedAt, cancelled: !!cancelled, hosts, attendance: [] };
    sessions.push(session);
    byId.set(id, session);
  }
  // In the order people arrived: who is first in line for the growth brake among those of one meeting.
  const attendance = client
    .prepare("SELECT session_id, member_id, attendance_by FROM registrations WHERE attended_at IS NOT NULL AND attended_at <= ? ORDER BY attended_at, id")
    .raw()
    .all(now) as [number, string, string | null][];
  for (const [sessionId, memberId, by] of attendance) byId.get(sessionId)?.attendance.push({ memberId, by: by === "code" ? "code" : "host" });
  return { members, sessions, hidden: hiddenSpans(), now };
}

/** When each initiative was hidden by flags, from the log (which nobody can change). */
function hiddenSpans(): HiddenSpan[] {
  const rows = db().all<{ subject_id: string; action: string; at: number }>(sql`
    SELECT subject_id, action, at FROM log_entries
    WHERE subject_type = 'initiative' AND action IN ('content.hidden', 'content.restored')
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

// Voices are read on most pages, and replaying a large network takes a noticeable time. They
// change only when the data they come from changes (triggers raise derived_versions.voice on every
// change to attendance, founders, holds, hiding and leaving, and to the time, title or hosts of a
// meeting with attendance, whichever connection makes it; migration 0014) or when time passes a
// moment the replay names (a voice starts or ends, a witness reaches 30 days), so one replay
// serves every request in between. A replay is never cached inside
// a transaction (its writes may still be rolled back).
let cached: { replay: VoiceReplay; from: number; version: number } | null = null;

function replayAt(now: number): VoiceReplay {
  const client = db().$client;
  if (client.inTransaction) return replayVoices(replayInput(now));
  const version = derivedVersion("voice");
  if (cached && cached.version === version && now >= cached.from && now < cached.replay.nextChange && now < nextSessionStart(cached.from)) return cached.replay;
  const replay = replayVoices(replayInput(now));
  cached = { replay, from: now, version };
  return replay;
}

// A meeting that starts later joins the replay once it has started.
let nextStart: { from: number; at: number; version: number } | null = null;
function nextSessionStart(from: number): number {
  const version = derivedVersion("voice");
  if (nextStart && nextStart.from === from && nextStart.version === version) return nextStart.at;
  const row = db().get<{ at: number | null }>(sql`SELECT min(starts_at) AS at FROM sessions WHERE starts_at > ${from}`);
  nextStart = { from, at: row.at ?? Number.POSITIVE_INFINITY, version };
  return nextStart.at;
}

export type VoiceSnapshot = {
  bootstrapping: boolean;
  earnedCount: number;
  /** Everyone with a voice now, with the reason. */
  voices: Map<string, VoiceReason>;
  /** Members who can witness a meeting and flag: a voice held for 30 days, or a founder with one. */
  witnesses: Set<string>;
};

/** The whole network's voices at `now`. */
export function voiceSnapshot(now = Date.now()): VoiceSnapshot {
  const { bootstrapping, earnedCount, voices, witnesses } = replayAt(now);
  return { bootstrapping, earnedCount, voices, witnesses };
}

/** One member's voice at `now`, with what the profile explains: why, what is pending, what is missing. */
export function voiceOfMember(memberId: string, now = Date.now()): MemberVoice {
  const voice = replayAt(now).member(memberId);
  // A new account changes nobody's voice, so it does not make the kept replay stale
  // (migration 0014), and the replay may not know it yet: its age is read here.
  const createdAt = statement("SELECT created_at FROM members WHERE id = ?").pluck().get(memberId) as number | undefined;
  return { ...voice, accountOldEnough: createdAt !== undefined && createdAt + governance.accountAgeDays * dayMs <= now };
}

export function memberHasVoice(memberId: string, now = Date.now()): boolean {
  return voiceSnapshot(now).voices.has(memberId);
}

export function isWitness(memberId: string, now = Date.now()): boolean {
  return voiceSnapshot(now).witnesses.has(memberId);
}

/** The full replay (for the benchmark and the log). */
export function voiceReplay(now = Date.now()): VoiceReplay {
  return replayAt(now);
}

/**
 * Writes to the log what the replay decided and nobody has recorded yet: the bootstrap's end
 * (or its return), each new voice that started, each held back by the growth brake, each voided
 * by hiding its meeting's initiative. Run by the scheduler and after attendance changes.
 */
export function recordVoiceChanges(now = Date.now()) {
  const replay = replayAt(now);
  const last = db().get<{ action: string } | undefined>(
    sql`SELECT action FROM log_entries WHERE action IN ('bootstrap.ended', 'bootstrap.resumed') ORDER BY id DESC LIMIT 1`,
  );
  const ended = last?.action === "bootstrap.ended";
  const at = new Date(now);
  db().transaction((tx) => {
    if (!replay.bootstrapping && !ended) {
      appendLog(tx, { action: "bootstrap.ended", actorId: null, subjectType: "network", subjectId: "network", detail: { membersWithVoice: replay.earnedCount }, at });
    } else if (replay.bootstrapping && ended) {
      appendLog(tx, { action: "bootstrap.resumed", actorId: null, subjectType: "network", subjectId: "network", detail: { membersWithVoice: replay.earnedCount }, at });
    }
    const logged = new Set(
      tx
        .all<{ action: string; subject_id: string; session_id: number | null }>(sql`
          SELECT action, subject_id, json_extract(detail, '$.sessionId') AS session_id FROM log_entries
          WHERE action LIKE 'voice.%'`)
        .map((r) => `${r.action}:${r.subject_id}:${r.session_id}`),
    );
    const once = (action: "voice.started" | "voice.held-back" | "voice.voided", memberId: string, detail: { sessionId: number } & Record<string, unknown>) => {
      if (logged.has(`${action}:${memberId}:${detail.sessionId}`)) return;
      logged.add(`${action}:${memberId}:${detail.sessionId}`);
      appendLog(tx, { action, actorId: null, subjectType: "member", subjectId: memberId, detail, at });
    };
    for (const e of replay.earnings) {
      if (!e.newVoice) continue;
      if (e.startsAt <= now) once("voice.started", e.memberId, { sessionId: e.sessionId, startsAt: new Date(e.startsAt).toISOString() });
      else if (e.eligibleAt <= now) once("voice.held-back", e.memberId, { sessionId: e.sessionId, startsAt: new Date(e.startsAt).toISOString() });
    }
    for (const v of replay.voided) {
      // Only meetings that were giving (or about to give) a voice: within the pending week or after.
      if (now - v.meetingAt <= governance.voiceWindowDays * dayMs) once("voice.voided", v.memberId, { sessionId: v.sessionId, initiativeId: v.initiativeId });
    }
  }, { behavior: "immediate" });
}

export type PostingRefusal = { status: number; message: "flag.heldPosting" | "newcomer.limit"; params?: Record<string, number> };

/**
 * Whether a member may post now (governance.md §4 held posting, §5 newcomer limits): members
 * without a voice post at most a few initiatives per 24 hours.
 */
export function postingRefusal(memberId: string, kind: "initiative", now = Date.now()): PostingRefusal | null {
  if (isHeld(memberId)) return { status: 403, message: "flag.heldPosting" };
  if (memberHasVoice(memberId, now)) return null;
  const posted = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM initiatives WHERE created_by = ${memberId} AND created_at > ${now - dayMs}`).n;
  if (!withinNewcomerLimit(kind, false, posted)) return { status: 429, message: "newcomer.limit", params: { n: governance.newcomerInitiativesPerDay } };
  return null;
}

/** A member held by flags (governance.md §4): no posting, no voice, no host actions, no mail. */
export function isHeld(memberId: string): boolean {
  return !!db().get(sql`SELECT 1 FROM members WHERE id = ${memberId} AND posting_held_at IS NOT NULL`);
}
