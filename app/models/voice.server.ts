// Who has a voice (governance.md §1, version 2): the database's meetings, attendance, founders and
// hiding, replayed in time order by the pure function in ~/governance/voice. Nothing about voice is
// stored but a copy of the replay's own state to restart from (voice_checkpoint, which only saves
// time: without it every meeting is replayed); what the replay decides is written to the log by the
// scheduler (voices started, held back by the growth brake, voided; the bootstrap's end).
import { sql } from "drizzle-orm";
import { governance } from "~/governance/config";
import { withinNewcomerLimit } from "~/governance/rules";
import type { NamedMemberVoice, VoiceReplay } from "~/governance/voice";
import type { Db } from "../../db/client";
import { db, statement } from "~/lib/db.server";
import { appendLog } from "./log.server";
import { keptVoiceVersion, replayAt, storedVoiceVersion } from "./voice-replay.server";

export type { NamedMemberVoice, VoiceReason } from "~/governance/voice";
export { replayInput } from "./voice-replay.server";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/**
 * The whole network's voices: who has one (`voices`, with the reason), who can witness a meeting and
 * flag (`witnesses`: a voice held for 30 days, or a founder with one), and the same for one member
 * (`hasVoice`, `isWitness`) without working out everyone's.
 */
export type VoiceSnapshot = Pick<VoiceReplay, "bootstrapping" | "earnedCount" | "voices" | "witnesses" | "hasVoice" | "isWitness">;

/** The whole network's voices at `now`. */
export function voiceSnapshot(now = Date.now()): VoiceSnapshot {
  return replayAt(now);
}

/**
 * One member's voice at `now`, with what the profile explains: why, what is pending, what is
 * missing, each meeting named by its initiative's title as it is now. The replay holds no titles,
 * so that renaming an initiative does not make it replay (migration 0025).
 */
export function voiceOfMember(memberId: string, now = Date.now()): NamedMemberVoice {
  const voice = replayAt(now).member(memberId);
  // A new account changes nobody's voice, so it does not make the kept replay stale
  // (migration 0014), and the replay may not know it yet: its age is read here.
  const createdAt = statement("SELECT created_at FROM members WHERE id = ?").pluck().get(memberId) as number | undefined;
  const named = [voice.reason.kind === "earned" ? voice.reason.sessionId : null, voice.pending?.sessionId, voice.lastMiss?.sessionId].filter((id) => typeof id === "number");
  const titles = new Map(
    named.length
      ? (statement("SELECT s.id, i.title FROM sessions s JOIN initiatives i ON i.id = s.initiative_id WHERE s.id IN (SELECT value FROM json_each(?))")
          .raw()
          .all(JSON.stringify(named)) as [number, string][])
      : [],
  );
  const titled = <T extends { sessionId: number }>(meeting: T) => ({ ...meeting, title: titles.get(meeting.sessionId) ?? "" });
  return {
    ...voice,
    reason: voice.reason.kind === "earned" ? titled(voice.reason) : voice.reason,
    pending: voice.pending && titled(voice.pending),
    lastMiss: voice.lastMiss && titled(voice.lastMiss),
    accountOldEnough: createdAt !== undefined && createdAt + governance.accountAgeDays * dayMs <= now,
  };
}

/**
 * When a founder who has no voice yet gets one: while the network starts up, a founder's voice
 * counts once the account is a day old (governance.md §1). Null for everyone else, and for a
 * founder who already has a voice, is held, or whose network has finished starting up.
 */
export function founderVoiceFrom(memberId: string, now = Date.now()): number | null {
  const member = statement("SELECT created_at, founder_at, posting_held_at FROM members WHERE id = ? AND deleted_at IS NULL").get(memberId) as
    | { created_at: number; founder_at: number | null; posting_held_at: number | null }
    | undefined;
  if (!member || member.founder_at === null || member.posting_held_at !== null) return null;
  const from = Math.max(member.founder_at, member.created_at + governance.bootstrapAccountAgeHours * hourMs);
  if (from <= now) return null;
  const replay = replayAt(now);
  return replay.bootstrapping && !replay.hasVoice(memberId) ? from : null;
}

export function memberHasVoice(memberId: string, now = Date.now()): boolean {
  return voiceSnapshot(now).hasVoice(memberId);
}

export function isWitness(memberId: string, now = Date.now()): boolean {
  return voiceSnapshot(now).isWitness(memberId);
}

/** The full replay (for the benchmark and the log). */
export function voiceReplay(now = Date.now()): VoiceReplay {
  return replayAt(now);
}

/**
 * Writes to the log what the replay decided and nobody has recorded yet: the bootstrap's end
 * (or its return), each new voice that started, each held back by the growth brake, each voided
 * by hiding its meeting's initiative. Run by the scheduler and after attendance changes. Also
 * removes the notes of attendance changes the kept replay has read.
 */
export function recordVoiceChanges(now = Date.now()) {
  const replay = replayAt(now);
  // Notes the kept replay has read, and that the state stored in the database does not need.
  const read = Math.min(keptVoiceVersion() ?? Number.NEGATIVE_INFINITY, storedVoiceVersion() ?? Number.POSITIVE_INFINITY);
  const last = db().get<{ action: string } | undefined>(
    sql`SELECT action FROM log_entries WHERE action IN ('bootstrap.ended', 'bootstrap.resumed') ORDER BY id DESC LIMIT 1`,
  );
  const ended = last?.action === "bootstrap.ended";
  const at = new Date(now);
  db().transaction((tx) => {
    // The attendance changes the kept replay has read are not needed again.
    if (Number.isFinite(read)) {
      tx.run(sql`DELETE FROM voice_attendance_changes WHERE version <= ${read}`);
      tx.run(sql`DELETE FROM voice_changes_from WHERE version <= ${read}`);
    }
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

/** A member held by flags (governance.md §4): no posting, no voice, no host actions, no mail. Read in `reader` (a write transaction) when given. */
export function isHeld(memberId: string, reader: Pick<Db, "get"> = db()): boolean {
  return !!reader.get(sql`SELECT 1 FROM members WHERE id = ${memberId} AND posting_held_at IS NOT NULL`);
}
