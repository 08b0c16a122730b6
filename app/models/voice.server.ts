// Who has a voice, derived from attendance at the moment it is asked (governance.md §1).
// Nothing about voice is stored; only the bootstrap's end is written to the log.
import { sql } from "drizzle-orm";
import { governance } from "~/governance/config";
import { hasVoice, isBootstrapping, voiceOf, withinNewcomerLimit, type Participation, type VoiceReason } from "~/governance/rules";
import { db } from "~/lib/db.server";
import { appendLog } from "./log.server";

const dayMs = 86_400_000;

/** Participations within the voice window, per member (or for the given members only). */
export function participations(now: number, memberId?: string): Map<string, Participation[]> {
  const since = now - governance.voiceWindowDays * dayMs;
  const onlyMember = memberId ? sql`AND r.member_id = ${memberId}` : sql``;
  const onlyHost = memberId ? sql`AND h.member_id = ${memberId}` : sql``;
  const attended = db().all<{ member_id: string; session_id: number; title: string; at: number }>(sql`
    SELECT r.member_id, s.id AS session_id, i.title, r.attended_at AS at
    FROM registrations r JOIN sessions s ON s.id = r.session_id JOIN initiatives i ON i.id = s.initiative_id
    WHERE r.attended_at IS NOT NULL AND r.attended_at >= ${since} AND r.attended_at <= ${now} ${onlyMember}
      -- Hosts do not earn a voice by checking in at their own session: that is hosting, which
      -- needs someone else there.
      AND NOT EXISTS (SELECT 1 FROM hosts h WHERE h.initiative_id = s.initiative_id AND h.member_id = r.member_id)`);
  // A host "hosted" a session when they were its initiative's host before it started; it counts
  // from its start, once someone else is marked present.
  const hosted = db().all<{ member_id: string; session_id: number; title: string; at: number; others: number }>(sql`
    SELECT h.member_id, s.id AS session_id, i.title, s.starts_at AS at,
      (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.attended_at IS NOT NULL
        AND r.member_id NOT IN (SELECT member_id FROM hosts WHERE initiative_id = s.initiative_id)) AS others
    FROM sessions s JOIN hosts h ON h.initiative_id = s.initiative_id AND h.since <= s.starts_at JOIN initiatives i ON i.id = s.initiative_id
    WHERE s.cancelled_at IS NULL AND s.starts_at >= ${since} AND s.starts_at <= ${now} ${onlyHost}`);
  const byMember = new Map<string, Participation[]>();
  const add = (id: string, p: Participation) => byMember.set(id, [...(byMember.get(id) ?? []), p]);
  for (const a of attended) add(a.member_id, { kind: "attended", sessionId: a.session_id, title: a.title, at: a.at });
  for (const h of hosted) add(h.member_id, { kind: "hosted", sessionId: h.session_id, title: h.title, at: h.at, otherAttendees: h.others });
  return byMember;
}

export type VoiceSnapshot = {
  bootstrapping: boolean;
  earnedCount: number;
  /** Everyone with a voice now, with the reason. */
  voices: Map<string, VoiceReason>;
};

/** The whole network's voices at `now`. */
export function voiceSnapshot(now = Date.now()): VoiceSnapshot {
  const all = participations(now);
  const members = db().all<{ id: string; created_at: number }>(sql`SELECT id, created_at FROM members`);
  const earned = members.filter((m) => {
    const reason = voiceOf({ createdAt: m.created_at, participations: all.get(m.id) ?? [] }, Number.MAX_SAFE_INTEGER, now);
    return reason.kind === "attended" || reason.kind === "hosted";
  }).length;
  const voices = new Map<string, VoiceReason>();
  for (const m of members) {
    const reason = voiceOf({ createdAt: m.created_at, participations: all.get(m.id) ?? [] }, earned, now);
    if (hasVoice(reason)) voices.set(m.id, reason);
  }
  return { bootstrapping: isBootstrapping(earned), earnedCount: earned, voices };
}

/** One member's voice at `now`, with the reason to show on their profile. */
export function voiceOfMember(memberId: string, now = Date.now()): VoiceReason {
  const member = db().get<{ created_at: number } | undefined>(sql`SELECT created_at FROM members WHERE id = ${memberId}`);
  if (!member) return { kind: "none", bootstrap: false, accountTooNew: false };
  const earnedCount = voiceSnapshot(now).earnedCount;
  return voiceOf({ createdAt: member.created_at, participations: participations(now, memberId).get(memberId) ?? [] }, earnedCount, now);
}

export function memberHasVoice(memberId: string, now = Date.now()): boolean {
  return hasVoice(voiceOfMember(memberId, now));
}

/**
 * Writes "bootstrap ended" to the log the first time five members have earned a voice (and
 * "bootstrap resumed" should voices lapse below five again). Call inside the transaction that
 * changed attendance, and from the scheduler, since voices also lapse with time.
 */
export function recordBootstrapChange(now = Date.now()) {
  const { earnedCount, bootstrapping } = voiceSnapshot(now);
  const last = db().get<{ action: string } | undefined>(
    sql`SELECT action FROM log_entries WHERE action IN ('bootstrap.ended', 'bootstrap.resumed') ORDER BY id DESC LIMIT 1`,
  );
  const ended = last?.action === "bootstrap.ended";
  if (!bootstrapping && !ended) {
    appendLog(db(), { action: "bootstrap.ended", actorId: null, subjectType: "network", subjectId: "network", detail: { membersWithVoice: earnedCount }, at: new Date(now) });
  } else if (bootstrapping && ended) {
    appendLog(db(), { action: "bootstrap.resumed", actorId: null, subjectType: "network", subjectId: "network", detail: { membersWithVoice: earnedCount }, at: new Date(now) });
  }
}

export type PostingRefusal = { status: number; message: "flag.heldPosting" | "newcomer.limit"; params?: Record<string, number> };

/**
 * Whether a member may post now (governance.md §4 held posting, §5 newcomer limits): members
 * without a voice post at most a few initiatives per 24 hours.
 */
export function postingRefusal(memberId: string, kind: "initiative", now = Date.now()): PostingRefusal | null {
  const member = db().get<{ posting_held_at: number | null } | undefined>(sql`SELECT posting_held_at FROM members WHERE id = ${memberId}`);
  if (member?.posting_held_at) return { status: 403, message: "flag.heldPosting" };
  if (memberHasVoice(memberId, now)) return null;
  const posted = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM initiatives WHERE created_by = ${memberId} AND created_at > ${now - dayMs}`).n;
  if (!withinNewcomerLimit(kind, false, posted)) return { status: 429, message: "newcomer.limit", params: { n: governance.newcomerInitiativesPerDay } };
  return null;
}
