// A check-in code that gets out lets people check in from elsewhere, and a host can mark people
// present who never came. The meeting's own witnesses can say so (docs/decisions/051): a witness
// who was there (checked in with the code, or was a host when it started) says "I did not see this
// member here"; once two such witnesses said it, the member's attendance is struck, and they cannot
// check in, or be marked present, again for that meeting. Only until attendance is fixed, a week
// after the meeting; every step is logged.
import { and, eq, sql } from "drizzle-orm";
import { registrations, sessions, unseenCheckIns } from "../../db/schema";
import type { Db } from "../../db/client";
import { governance } from "~/governance/config";
import { attendanceWindow, unseenStrikes } from "~/governance/rules";
import { db } from "~/lib/db.server";
import type { MessageKey } from "~/lib/i18n";
import { queueMemberMail, siteUrl } from "~/lib/mail.server";
import { appendLog } from "./log.server";
import { checkinWindow } from "./sessions.server";
import { voiceSnapshot, type VoiceSnapshot } from "./voice.server";

type Reader = Pick<Db, "get" | "all">;
type Meeting = { id: number; initiativeId: number; startsAt: Date; endsAt: Date; cancelledAt: Date | null };

export class UnseenRefusedError extends Error {
  constructor(
    public messageKey: MessageKey,
    public status: number,
  ) {
    super(messageKey);
  }
}

/** Whether the member was at the meeting: checked in there with the code, or a host when it started. */
function wasThere(tx: Reader, meeting: Meeting, memberId: string) {
  const start = meeting.startsAt.getTime();
  return !!tx.get(sql`
    SELECT 1 FROM registrations WHERE session_id = ${meeting.id} AND member_id = ${memberId} AND attended_at IS NOT NULL AND attendance_by = 'code'
    UNION ALL SELECT 1 FROM hosts WHERE initiative_id = ${meeting.initiativeId} AND member_id = ${memberId} AND since <= ${start}
    UNION ALL SELECT 1 FROM host_terms WHERE initiative_id = ${meeting.initiativeId} AND member_id = ${memberId} AND since <= ${start} AND ended_at > ${start}
    LIMIT 1`);
}

/** Whether the meeting's attendance can change now (never for a cancelled one): "ok", "not-open" or "fixed". */
function windowOf(meeting: Meeting, now: number) {
  return meeting.cancelledAt ? "not-open" : attendanceWindow({ endsAt: meeting.endsAt.getTime(), checkinOpensAt: checkinWindow(meeting).opens.getTime(), now });
}

/** Whether the member may say now that they did not see someone at this meeting. */
function mayTell(tx: Reader, meeting: Meeting, memberId: string, snapshot: VoiceSnapshot, now: number) {
  return windowOf(meeting, now) === "ok" && snapshot.isWitness(memberId) && wasThere(tx, meeting, memberId);
}

/** The witnesses whose "not seen" counts now: witnesses who were there (a hold or a lapse takes it away). */
function countedWitnesses(tx: Reader, meeting: Meeting, registrationId: number, snapshot: VoiceSnapshot) {
  const said = tx.all<{ witness_id: string }>(sql`SELECT witness_id FROM unseen_check_ins WHERE registration_id = ${registrationId} ORDER BY at, witness_id`);
  return said.map((r) => r.witness_id).filter((id) => snapshot.isWitness(id) && wasThere(tx, meeting, id));
}

/**
 * A witness who was at the meeting says they did not see `memberId` there (`unseen`), or takes
 * that back. With the second witness the member's attendance is struck.
 */
export function tellUnseen(sessionId: number, witnessId: string, memberId: string, unseen: boolean, now = new Date()): "noted" | "struck" | "taken-back" {
  const snapshot = voiceSnapshot(now.getTime());
  const me = db().get<{ posting_held_at: number | null } | undefined>(sql`SELECT posting_held_at FROM members WHERE id = ${witnessId}`);
  if (me?.posting_held_at) throw new UnseenRefusedError("member.held", 403);
  if (!snapshot.isWitness(witnessId)) throw new UnseenRefusedError("session.unseen.notWitness", 403);
  return db().transaction((tx) => {
    const meeting = tx
      .select({ id: sessions.id, initiativeId: sessions.initiativeId, startsAt: sessions.startsAt, endsAt: sessions.endsAt, cancelledAt: sessions.cancelledAt })
      .from(sessions)
      .where(eq(sessions.id, sessionId))
      .get();
    if (!meeting) throw new UnseenRefusedError("session.closed.notFound", 404);
    const window = windowOf(meeting, now.getTime());
    if (window === "fixed") throw new UnseenRefusedError("session.attendance.fixed", 409);
    if (window === "not-open") throw new UnseenRefusedError("session.checkin.closed", 409);
    if (!wasThere(tx, meeting, witnessId)) throw new UnseenRefusedError("session.unseen.notThere", 403);
    if (memberId === witnessId) throw new UnseenRefusedError("session.unseen.own", 403);
    const reg = tx.select().from(registrations).where(and(eq(registrations.sessionId, sessionId), eq(registrations.memberId, memberId))).get();
    if (reg?.unseenAt) throw new UnseenRefusedError("session.unseen.struck", 409);
    // Checked in with the code or marked present by a host: a host who marks people present who
    // never came gives voices as surely as a code that got out.
    if (!reg?.attendedAt) throw new UnseenRefusedError("session.unseen.notCheckedIn", 409);
    if (!unseen) {
      const removed = tx.delete(unseenCheckIns).where(and(eq(unseenCheckIns.registrationId, reg.id), eq(unseenCheckIns.witnessId, witnessId))).run();
      if (removed.changes === 0) throw new UnseenRefusedError("session.unseen.none", 409);
      appendLog(tx, { action: "attendance.seen", actorId: witnessId, subjectType: "session", subjectId: sessionId, detail: { memberId }, at: now });
      return "taken-back";
    }
    const added = tx.insert(unseenCheckIns).values({ registrationId: reg.id, witnessId, at: now }).onConflictDoNothing().run();
    if (added.changes === 0) throw new UnseenRefusedError("session.unseen.already", 409);
    appendLog(tx, { action: "attendance.unseen", actorId: witnessId, subjectType: "session", subjectId: sessionId, detail: { memberId }, at: now });
    const by = countedWitnesses(tx, meeting, reg.id, snapshot);
    if (!unseenStrikes(by.length)) return "noted";
    tx.update(registrations).set({ attendedAt: null, attendanceBy: null, unseenAt: now, updatedAt: now }).where(eq(registrations.id, reg.id)).run();
    appendLog(tx, { action: "attendance.struck", actorId: witnessId, subjectType: "session", subjectId: sessionId, detail: { memberId, by }, at: now });
    const title = tx.get<{ title: string }>(sql`SELECT title FROM initiatives WHERE id = ${meeting.initiativeId}`).title;
    queueMemberMail(tx, {
      memberId,
      kind: "check-in-struck",
      dedupeKey: `check-in-struck:${reg.id}`,
      now,
      compose: (t) => ({
        subject: t("mail.checkInStruck.subject", { title }),
        body: t("mail.checkInStruck.body", { title, n: by.length, url: siteUrl(`/sessions/${sessionId}`) }),
      }),
    });
    return "struck";
  }, { behavior: "immediate" });
}

export type UnseenView = {
  /** Whether the reader may say now that they did not see someone (a witness who was there). */
  mayTell: boolean;
  /** Per member: how many witnesses said they did not see them, and whether the reader is one. */
  said: Map<string, { count: number; mine: boolean }>;
};

/** What the session page shows of "not seen": who may say it, and what was said. */
export function unseenView(meeting: Meeting, readerId: string | null, now: Date): UnseenView {
  const reader = db();
  const rows = reader.all<{ member_id: string; witness_id: string }>(sql`
    SELECT r.member_id, u.witness_id FROM unseen_check_ins u JOIN registrations r ON r.id = u.registration_id WHERE r.session_id = ${meeting.id}`);
  const said = new Map<string, { count: number; mine: boolean }>();
  for (const row of rows) {
    const entry = said.get(row.member_id) ?? { count: 0, mine: false };
    entry.count++;
    if (row.witness_id === readerId) entry.mine = true;
    said.set(row.member_id, entry);
  }
  return { mayTell: !!readerId && mayTell(reader, meeting, readerId, voiceSnapshot(now.getTime()), now.getTime()), said };
}

/**
 * The member's latest check-in that was struck within the voice window, for their own profile: it
 * explains a voice they expected and did not get.
 */
export function latestStruckCheckIn(memberId: string, now = Date.now()) {
  return (
    db().get<{ sessionId: number; title: string; at: number } | undefined>(sql`
      SELECT r.session_id AS sessionId, i.title, s.starts_at AS at FROM registrations r
      JOIN sessions s ON s.id = r.session_id JOIN initiatives i ON i.id = s.initiative_id
      WHERE r.member_id = ${memberId} AND r.unseen_at IS NOT NULL AND s.starts_at > ${now - governance.voiceWindowDays * 86_400_000}
      ORDER BY r.unseen_at DESC LIMIT 1`) ?? null
  );
}
