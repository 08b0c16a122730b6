// Who has a voice, derived from attendance at the moment it is asked (governance.md §1).
// Nothing about voice is stored; only the bootstrap's end is written to the log.
import { sql } from "drizzle-orm";
import { governance } from "~/governance/config";
import { hasVoice, isBootstrapping, voiceOf, withinNewcomerLimit, type Participation, type VoiceReason } from "~/governance/rules";
import { db } from "~/lib/db.server";
import { derivedVersion } from "./derived.server";
import { appendLog } from "./log.server";

const dayMs = 86_400_000;

/**
 * The participations that can earn a voice at `now`, per member (or for one member): for each
 * kind only the latest within the voice window, since that is the one the rule looks at
 * (earnedVoice takes the latest that counts). Hosting counts only with someone else there.
 */
export function participations(now: number, memberId?: string): Map<string, Participation[]> {
  const since = now - governance.voiceWindowDays * dayMs;
  const onlyMember = memberId ? sql`AND r.member_id = ${memberId}` : sql``;
  const onlyHost = memberId ? sql`AND h.member_id = ${memberId}` : sql``;
  // SQLite takes the bare columns of a max() aggregate from the row that has the maximum.
  const attended = db().all<{ member_id: string; session_id: number; title: string; at: number }>(sql`
    SELECT latest.member_id, latest.session_id, i.title, latest.at FROM (
      SELECT r.member_id, r.session_id, s.initiative_id, max(r.attended_at) AS at
      FROM registrations r JOIN sessions s ON s.id = r.session_id
      WHERE r.attended_at IS NOT NULL AND r.attended_at >= ${since} AND r.attended_at <= ${now} ${onlyMember}
        -- Hosts do not earn a voice by checking in at their own session: that is hosting, which
        -- needs someone else there.
        AND NOT EXISTS (SELECT 1 FROM hosts h WHERE h.initiative_id = s.initiative_id AND h.member_id = r.member_id)
      GROUP BY r.member_id
    ) latest JOIN initiatives i ON i.id = latest.initiative_id`);
  // A host "hosted" a session when they were its initiative's host before it started; it counts
  // from its start, once someone else is marked present.
  const hosted = db().all<{ member_id: string; session_id: number; title: string; at: number; others: number }>(sql`
    SELECT latest.*, (SELECT count(*) FROM registrations r WHERE r.session_id = latest.session_id AND r.attended_at IS NOT NULL
        AND r.member_id NOT IN (SELECT member_id FROM hosts WHERE initiative_id = latest.initiative_id)) AS others
    FROM (
      SELECT h.member_id, s.id AS session_id, s.initiative_id, i.title, max(s.starts_at) AS at
      FROM sessions s JOIN hosts h ON h.initiative_id = s.initiative_id AND h.since <= s.starts_at JOIN initiatives i ON i.id = s.initiative_id
      WHERE s.cancelled_at IS NULL AND s.starts_at >= ${since} AND s.starts_at <= ${now} ${onlyHost}
        AND EXISTS (SELECT 1 FROM registrations r WHERE r.session_id = s.id AND r.attended_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM hosts o WHERE o.initiative_id = s.initiative_id AND o.member_id = r.member_id))
      GROUP BY h.member_id
    ) latest`);
  const byMember = new Map<string, Participation[]>();
  for (const a of attended) byMember.set(a.member_id, [{ kind: "attended", sessionId: a.session_id, title: a.title, at: a.at }]);
  for (const h of hosted) {
    const p: Participation = { kind: "hosted", sessionId: h.session_id, title: h.title, at: h.at, otherAttendees: h.others };
    byMember.set(h.member_id, [...(byMember.get(h.member_id) ?? []), p]);
  }
  return byMember;
}

export type VoiceSnapshot = {
  bootstrapping: boolean;
  earnedCount: number;
  /** Everyone with a voice now, with the reason. */
  voices: Map<string, VoiceReason>;
};

type Computed = VoiceSnapshot & { createdAt: Map<string, number>; earning: Map<string, Participation[]> };

function computeSnapshot(now: number): Computed {
  const earning = participations(now);
  const members = db().all<{ id: string; created_at: number }>(sql`SELECT id, created_at FROM members`);
  const earned = members.filter((m) => {
    const reason = voiceOf({ createdAt: m.created_at, participations: earning.get(m.id) ?? [] }, Number.MAX_SAFE_INTEGER, now);
    return reason.kind === "attended" || reason.kind === "hosted";
  }).length;
  const voices = new Map<string, VoiceReason>();
  for (const m of members) {
    const reason = voiceOf({ createdAt: m.created_at, participations: earning.get(m.id) ?? [] }, earned, now);
    if (hasVoice(reason)) voices.set(m.id, reason);
  }
  const createdAt = new Map(members.map((m) => [m.id, m.created_at]));
  return { bootstrapping: isBootstrapping(earned), earnedCount: earned, voices, createdAt, earning };
}

// Voices are read on most pages, and on a large network working them out takes tens of
// milliseconds. They change only when the data they come from changes or when time passes one of
// a few known moments, so one snapshot serves every request in between:
// - the data: triggers raise derived_versions.voice on every change to attendance, sessions,
//   hosts, members and initiative titles, whichever connection makes it (migration 0007);
// - time: a voice lapses when its latest participation leaves the window; hosting starts to
//   count when a session starts; during the bootstrap an account comes of age.
// A snapshot is never cached inside a transaction (its writes may still be rolled back).
let cached: { snapshot: Computed; from: number; until: number; version: number } | null = null;

/** The first moment after `now` at which the passing of time alone could change `snapshot`. */
function validUntil(snapshot: Computed, now: number): number {
  const windowMs = governance.voiceWindowDays * dayMs;
  let until = Number.POSITIVE_INFINITY;
  for (const reason of snapshot.voices.values()) {
    if (reason.kind === "attended" || reason.kind === "hosted") until = Math.min(until, reason.at + windowMs);
  }
  if (snapshot.bootstrapping) {
    const ageMs = governance.bootstrapAccountAgeHours * 3_600_000;
    for (const createdAt of snapshot.createdAt.values()) if (createdAt + ageMs > now) until = Math.min(until, createdAt + ageMs);
  }
  const next = db().get<{ starts: number | null; attended: number | null }>(sql`
    SELECT (SELECT min(starts_at) FROM sessions WHERE starts_at > ${now}) AS starts,
      (SELECT min(attended_at) FROM registrations WHERE attended_at > ${now}) AS attended`);
  for (const moment of [next.starts, next.attended]) if (moment !== null) until = Math.min(until, moment);
  return until;
}

function snapshotAt(now: number): Computed {
  const client = db().$client;
  if (client.inTransaction) return computeSnapshot(now);
  const version = derivedVersion("voice");
  if (cached && cached.version === version && now >= cached.from && now < cached.until) return cached.snapshot;
  const snapshot = computeSnapshot(now);
  cached = { snapshot, from: now, until: validUntil(snapshot, now), version };
  return snapshot;
}

/** The whole network's voices at `now`. */
export function voiceSnapshot(now = Date.now()): VoiceSnapshot {
  const { bootstrapping, earnedCount, voices } = snapshotAt(now);
  return { bootstrapping, earnedCount, voices };
}

/** One member's voice at `now`, with the reason to show on their profile. */
export function voiceOfMember(memberId: string, now = Date.now()): VoiceReason {
  const snapshot = snapshotAt(now);
  const createdAt = snapshot.createdAt.get(memberId);
  if (createdAt === undefined) return { kind: "none", bootstrap: false, accountTooNew: false };
  return voiceOf({ createdAt, participations: snapshot.earning.get(memberId) ?? [] }, snapshot.earnedCount, now);
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
