// Sign-ups for sessions. Every change runs in one synchronous BEGIN IMMEDIATE transaction, so
// counting the places and taking one can never interleave with another request: no overbooking.
import { and, asc, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { hosts, initiatives, interests, members, registrations, sessions } from "../../db/schema";
import type { Db } from "../../db/client";
import { sessionRules } from "~/governance/config";
import { attendanceChangeAllowed } from "~/governance/rules";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { queueMemberMail, siteUrl } from "~/lib/mail.server";
import { formatDateTime } from "~/lib/time";
import { calendarAttachments } from "~/lib/calendar.server";
import { checkinWindow, isCheckinOpen, memberCalendarSessions } from "./sessions.server";
import { AttendanceFixedError, NotAHostError, SelfCheckInError } from "./errors.server";
import { actingHost } from "./host-rights.server";
import { appendLog } from "./log.server";
import { hitRateLimit } from "./rate-limits.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type RegistrationOutcome = { status: "registered" | "waitlisted"; position: number | null; already: boolean };

export class RegistrationClosedError extends Error {
  constructor(public reason: "not-found" | "cancelled" | "started") {
    super(`registration closed: ${reason}`);
  }
}
export class NotRegisteredError extends Error {}

function when(startsAt: Date, locale: string) {
  return formatDateTime(startsAt, locale, env().TZ_COMMUNITY);
}

function waitlistPosition(tx: Tx, sessionId: number, queuedSeq: number) {
  return tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM registrations WHERE session_id = ${sessionId} AND status = 'waitlisted' AND queued_seq <= ${queuedSeq}`).n;
}

function titleOf(tx: Tx, initiativeId: number) {
  return tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, initiativeId)).get()?.title ?? "";
}

/** The core of signing up, inside a transaction the caller holds. */
export function registerInTx(tx: Tx, sessionId: number, memberId: string, now: Date, options: { mail: boolean } = { mail: true }): RegistrationOutcome {
  const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
  if (!session) throw new RegistrationClosedError("not-found");
  if (session.cancelledAt) throw new RegistrationClosedError("cancelled");
  if (session.startsAt <= now) throw new RegistrationClosedError("started");

  const existing = tx.select().from(registrations).where(and(eq(registrations.sessionId, sessionId), eq(registrations.memberId, memberId))).get();
  if (existing && existing.status !== "cancelled") {
    return {
      status: existing.status,
      position: existing.status === "waitlisted" ? waitlistPosition(tx, sessionId, existing.queuedSeq) : null,
      already: true,
    };
  }
  const registered = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM registrations WHERE session_id = ${sessionId} AND status = 'registered'`).n;
  const waitlisted = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM registrations WHERE session_id = ${sessionId} AND status = 'waitlisted'`).n;
  // Nobody jumps the queue: with people waiting, a freed place has already gone to them.
  const status = session.capacity === null || (registered < session.capacity && waitlisted === 0) ? "registered" : "waitlisted";
  const queuedSeq = tx.get<{ n: number }>(sql`SELECT coalesce(max(queued_seq), 0) + 1 AS n FROM registrations WHERE session_id = ${sessionId}`).n;
  if (existing) {
    tx.update(registrations).set({ status, queuedSeq, updatedAt: now }).where(eq(registrations.id, existing.id)).run();
  } else {
    tx.insert(registrations).values({ sessionId, memberId, status, queuedSeq, createdAt: now, updatedAt: now }).run();
  }
  const position = status === "waitlisted" ? waitlistPosition(tx, sessionId, queuedSeq) : null;
  const title = titleOf(tx, session.initiativeId);
  // A course enrolment sends one mail for all its dates instead (enrol).
  if (options.mail) queueMemberMail(tx, {
    memberId,
    kind: status === "registered" ? "registration" : "waitlist",
    dedupeKey: `registration:${sessionId}:${memberId}:${queuedSeq}`,
    now,
    compose: (t, locale) =>
      status === "registered"
        ? {
            subject: t("mail.registered.subject", { title }),
            body: t("mail.registered.body", { title, when: when(session.startsAt, locale), place: session.place || "—", url: siteUrl(`/sessions/${sessionId}`) }),
          }
        : {
            subject: t("mail.waitlisted.subject", { title }),
            body: t("mail.waitlisted.body", { title, when: when(session.startsAt, locale), position: position ?? 0, url: siteUrl(`/sessions/${sessionId}`) }),
          },
  });
  return { status, position, already: false };
}

export function register(sessionId: number, memberId: string, now = new Date()): RegistrationOutcome {
  return db().transaction((tx) => registerInTx(tx, sessionId, memberId, now), { behavior: "immediate" });
}

/** Signs a member up for every upcoming session of a course at once. */
/** `origin`: the site's address as the member reached it, for the links in the calendar file. */
export function enrol(initiativeId: number, memberId: string, now = new Date(), origin = new URL(siteUrl()).origin) {
  return db().transaction((tx) => {
    const upcoming = tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.initiativeId, initiativeId), sql`${sessions.cancelledAt} IS NULL`, sql`${sessions.startsAt} > ${now.getTime()}`))
      .orderBy(asc(sessions.startsAt))
      .all();
    const outcomes = upcoming.map(({ id }) => ({ sessionId: id, ...registerInTx(tx, id, memberId, now, { mail: false }) }));
    if (outcomes.some((o) => !o.already)) queueEnrolmentMail(tx, initiativeId, memberId, outcomes, now, origin);
    return outcomes;
  }, { behavior: "immediate" });
}

/**
 * One mail for a course enrolment: every date with "signed up" or the place on the waiting list,
 * and one calendar file holding every date (written like the member's own calendar, so the dates
 * they wait for are tentative). Its subject and words say what happened: a place everywhere, on
 * the waiting list everywhere, or some of each.
 */
function queueEnrolmentMail(tx: Tx, initiativeId: number, memberId: string, outcomes: ({ sessionId: number } & RegistrationOutcome)[], now: Date, origin: string) {
  const title = titleOf(tx, initiativeId);
  const enrolled = new Map(outcomes.map((o) => [o.sessionId, o]));
  const dates = memberCalendarSessions(memberId, outcomes.map((o) => o.sessionId));
  const waiting = outcomes.filter((o) => o.status === "waitlisted").length;
  const result = waiting === 0 ? "registered" : waiting === outcomes.length ? "waitlisted" : "some";
  queueMemberMail(tx, {
    memberId,
    kind: "registration",
    dedupeKey: `enrol:${initiativeId}:${memberId}:${outcomes.map((o) => `${o.sessionId}-${o.status}`).join(",")}:${now.getTime()}`,
    now,
    attachments: calendarAttachments(dates, title, origin),
    compose: (t, locale) => ({
      subject: t(result === "registered" ? "hosts.enrolMail.subject" : result === "waitlisted" ? "hosts.enrolMail.subject.waitlisted" : "hosts.enrolMail.subject.some", { title }),
      body: [
        t(result === "registered" ? "hosts.enrolMail.intro" : result === "waitlisted" ? "hosts.enrolMail.intro.waitlisted" : "hosts.enrolMail.intro.some", { title }),
        "",
        ...dates.map((s) => {
          const o = enrolled.get(s.id)!;
          const state = o.status === "registered" ? t("hosts.enrolMail.registered") : t("hosts.enrolMail.waitlisted", { position: o.position ?? 0 });
          const place = s.place ? ` · ${t("hosts.enrolMail.place", { place: s.place })}` : "";
          return `- ${when(new Date(s.startsAt), locale)}: ${state}${place}`;
        }),
        "",
        waiting ? `${t("hosts.enrolMail.calendar")} ${t("hosts.enrolMail.calendar.waitlisted")}` : t("hosts.enrolMail.calendar"),
        "",
        t(result === "waitlisted" ? "hosts.enrolMail.outro.waitlisted" : "hosts.enrolMail.outro", { url: siteUrl(`/initiatives/${initiativeId}`) }),
      ].join("\n"),
    }),
  });
}

/**
 * Moves people from the waiting list into free places, first in first out, and tells them; the
 * mail carries the session as their calendar now shows it (confirmed, the same UID as the
 * tentative one they had), so a calendar app updates the date.
 */
export function promoteFromWaitlist(tx: Tx, sessionId: number, now: Date, origin = new URL(siteUrl()).origin) {
  const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
  if (!session || session.cancelledAt || session.startsAt <= now) return [];
  const registered = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM registrations WHERE session_id = ${sessionId} AND status = 'registered'`).n;
  const free = session.capacity === null ? Number.MAX_SAFE_INTEGER : session.capacity - registered;
  if (free <= 0) return [];
  const next = tx
    .select()
    .from(registrations)
    .where(and(eq(registrations.sessionId, sessionId), eq(registrations.status, "waitlisted")))
    .orderBy(asc(registrations.queuedSeq))
    .limit(Math.min(free, 10_000))
    .all();
  const title = titleOf(tx, session.initiativeId);
  for (const reg of next) {
    tx.update(registrations).set({ status: "registered", updatedAt: now }).where(eq(registrations.id, reg.id)).run();
    const dates = memberCalendarSessions(reg.memberId, [sessionId]);
    queueMemberMail(tx, {
      memberId: reg.memberId,
      kind: "promoted",
      dedupeKey: `promoted:${sessionId}:${reg.memberId}:${reg.queuedSeq}`,
      now,
      attachments: dates.length ? calendarAttachments(dates, title, origin) : undefined,
      compose: (t, locale) => ({
        subject: t("mail.promoted.subject", { title }),
        body: [
          t("mail.promoted.body", { title, when: when(session.startsAt, locale), url: siteUrl(`/sessions/${sessionId}`) }),
          ...(dates.length ? [t("mail.promoted.calendar")] : []),
        ].join("\n\n"),
      }),
    });
  }
  return next.map((r) => r.memberId);
}

/** Withdraws a member from a session; a freed place goes to the first person waiting. */
export function withdraw(sessionId: number, memberId: string, now = new Date()) {
  return db().transaction((tx) => {
    const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!session) throw new RegistrationClosedError("not-found");
    const reg = tx.select().from(registrations).where(and(eq(registrations.sessionId, sessionId), eq(registrations.memberId, memberId))).get();
    if (!reg || reg.status === "cancelled") throw new NotRegisteredError();
    if (session.startsAt <= now) throw new RegistrationClosedError("started");
    tx.update(registrations).set({ status: "cancelled", updatedAt: now }).where(eq(registrations.id, reg.id)).run();
    const promoted = reg.status === "registered" ? promoteFromWaitlist(tx, sessionId, now) : [];
    return { promoted };
  }, { behavior: "immediate" });
}

export class CheckinClosedError extends Error {}
export class WrongCodeError extends Error {}
export class TooManyCodeAttemptsError extends Error {}
/** Witnesses who were there did not see this member: no check-in again for that meeting (docs/decisions/051). */
export class StruckCheckInError extends Error {
  constructor(public whose: "mine" | "theirs") {
    super(whose);
  }
}

/** A participant checks in with the code the hosts show in the room. Attendance gives a voice. */
export function checkIn(sessionId: number, memberId: string, code: string, now = new Date()) {
  const attempt = hitRateLimit(`checkin:${sessionId}:${memberId}`, sessionRules.checkinAttemptsPerSession, now.getTime());
  if (!attempt.allowed) throw new TooManyCodeAttemptsError();
  return db().transaction((tx) => {
    const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!session) throw new RegistrationClosedError("not-found");
    if (!isCheckinOpen(session, now)) throw new CheckinClosedError();
    const typed = code.toUpperCase().replace(/[\s-]/g, "");
    if (typed !== session.checkinCode) throw new WrongCodeError();
    const reg = tx.select().from(registrations).where(and(eq(registrations.sessionId, sessionId), eq(registrations.memberId, memberId))).get();
    if (reg?.unseenAt) throw new StruckCheckInError("mine");
    if (reg?.attendedAt && reg.attendanceBy === "code") return { already: true };
    if (reg?.attendedAt) {
      // Marked present by a host, and now checked in with the code too: a self check-in, which is
      // what makes a witness (governance.md §1).
      tx.update(registrations).set({ attendanceBy: "code", updatedAt: now }).where(eq(registrations.id, reg.id)).run();
      appendLog(tx, { action: "attendance.checked-in", actorId: memberId, subjectType: "session", subjectId: sessionId, detail: { memberId }, at: now });
      return { already: false };
    }
    // Hosts do not sign up for their own initiative: a host's check-in is attendance (it counts for
    // voices as any other) without taking a place, so it stays out of the sign-ups and their counts.
    const host = !!tx.get(sql`SELECT 1 FROM hosts WHERE initiative_id = ${session.initiativeId} AND member_id = ${memberId}`);
    const status = host && reg?.status !== "registered" ? "cancelled" : "registered";
    if (reg) {
      // Whoever is in the room counts, also from the waiting list or after withdrawing.
      tx.update(registrations).set({ attendedAt: now, attendanceBy: "code", status, updatedAt: now }).where(eq(registrations.id, reg.id)).run();
    } else {
      const queuedSeq = tx.get<{ n: number }>(sql`SELECT coalesce(max(queued_seq), 0) + 1 AS n FROM registrations WHERE session_id = ${sessionId}`).n;
      tx.insert(registrations).values({ sessionId, memberId, status, queuedSeq, attendedAt: now, attendanceBy: "code", createdAt: now, updatedAt: now }).run();
    }
    appendLog(tx, { action: "attendance.checked-in", actorId: memberId, subjectType: "session", subjectId: sessionId, detail: { memberId }, at: now });
    return { already: false };
  }, { behavior: "immediate" });
}

export { NotAHostError };

/**
 * A host ticks (or unticks) who came (governance.md §2): only those who were hosts when the session
 * started, from the moment check-in opens until 7 days after it ended; a self check-in is not theirs
 * to remove. Logged, because attendance gives a voice.
 */
export function markAttendance(sessionId: number, hostId: string, memberId: string, present: boolean, now = new Date()) {
  db().transaction((tx) => {
    const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!session) throw new RegistrationClosedError("not-found");
    const host = actingHost(tx, session.initiativeId, hostId);
    if (session.cancelledAt) throw new CheckinClosedError();
    const reg = tx.select().from(registrations).where(and(eq(registrations.sessionId, sessionId), eq(registrations.memberId, memberId))).get();
    if (!reg) throw new NotRegisteredError();
    refuseAttendanceChange(session, { hostSince: host.since.getTime(), selfCheckIn: reg.attendanceBy === "code", byThatMember: false }, now);
    if (present && reg.unseenAt) throw new StruckCheckInError("theirs");
    if (present === !!reg.attendedAt) return;
    tx.update(registrations)
      .set(present ? { attendedAt: now, attendanceBy: hostId, updatedAt: now } : { attendedAt: null, attendanceBy: null, updatedAt: now })
      .where(eq(registrations.id, reg.id))
      .run();
    tx.update(hosts).set({ lastActionAt: now }).where(and(eq(hosts.initiativeId, session.initiativeId), eq(hosts.memberId, hostId))).run();
    appendLog(tx, { action: present ? "attendance.marked" : "attendance.unmarked", actorId: hostId, subjectType: "session", subjectId: sessionId, detail: { memberId }, at: now });
  }, { behavior: "immediate" });
}

/** A member takes back their own check-in (only they can), within the same window as hosts. */
export function withdrawCheckIn(sessionId: number, memberId: string, now = new Date()) {
  db().transaction((tx) => {
    const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!session) throw new RegistrationClosedError("not-found");
    const reg = tx.select().from(registrations).where(and(eq(registrations.sessionId, sessionId), eq(registrations.memberId, memberId))).get();
    if (!reg?.attendedAt) throw new NotRegisteredError();
    refuseAttendanceChange(session, { hostSince: null, selfCheckIn: reg.attendanceBy === "code", byThatMember: true }, now);
    tx.update(registrations).set({ attendedAt: null, attendanceBy: null, updatedAt: now }).where(eq(registrations.id, reg.id)).run();
    appendLog(tx, { action: "attendance.withdrawn", actorId: memberId, subjectType: "session", subjectId: sessionId, detail: { memberId }, at: now });
  }, { behavior: "immediate" });
}

function refuseAttendanceChange(session: { startsAt: Date; endsAt: Date }, who: { hostSince: number | null; selfCheckIn: boolean; byThatMember: boolean }, now: Date) {
  const verdict = attendanceChangeAllowed({
    ...who,
    startsAt: session.startsAt.getTime(),
    endsAt: session.endsAt.getTime(),
    checkinOpensAt: checkinWindow(session).opens.getTime(),
    now: now.getTime(),
  });
  if (verdict === "fixed") throw new AttendanceFixedError();
  if (verdict === "not-open") throw new CheckinClosedError();
  if (verdict === "self-check-in") throw new SelfCheckInError();
  if (verdict === "not-host") throw new NotAHostError();
}

export type Participant = {
  memberId: string;
  displayName: string;
  organisation: string;
  /** "present": there without a sign-up (a host who checked in at their own session). */
  status: "registered" | "waitlisted" | "present";
  position: number | null;
  attended: boolean;
  selfCheckIn: boolean;
  /** Struck: witnesses who were there did not see them (docs/decisions/051). */
  struck: boolean;
};

/**
 * Who is coming (and who is waiting), and who was there without signing up, for participants and
 * hosts; never an email address.
 */
export function participantsOf(sessionId: number): Participant[] {
  const rows = db()
    .select({
      memberId: registrations.memberId,
      displayName: members.displayName,
      organisation: members.organisation,
      status: registrations.status,
      attendedAt: registrations.attendedAt,
      attendanceBy: registrations.attendanceBy,
      unseenAt: registrations.unseenAt,
    })
    .from(registrations)
    .innerJoin(members, eq(members.id, registrations.memberId))
    .where(and(eq(registrations.sessionId, sessionId), or(inArray(registrations.status, ["registered", "waitlisted"]), isNotNull(registrations.attendedAt))))
    .orderBy(asc(registrations.status), asc(registrations.queuedSeq))
    .all();
  let position = 0;
  return rows.map((r) => ({
    memberId: r.memberId,
    displayName: r.displayName,
    organisation: r.organisation,
    status: r.status === "cancelled" ? "present" : r.status,
    position: r.status === "waitlisted" ? ++position : null,
    attended: r.attendedAt !== null,
    // Checked in with the code themselves: only they can undo it (governance.md §2).
    selfCheckIn: r.attendedAt !== null && r.attendanceBy === "code",
    struck: r.unseenAt !== null,
  }));
}

/**
 * What the attendance rules (governance.md §2) let this member do on this session now: mark
 * others as a host who was a host when it started, and undo their own check-in.
 */
export function attendanceRights(session: { id: number; initiativeId: number; startsAt: Date; endsAt: Date; cancelledAt: Date | null }, memberId: string, now = new Date()) {
  if (session.cancelledAt) return { mark: false, withdraw: false };
  const host = db().get<{ since: number } | undefined>(sql`
    SELECT h.since FROM hosts h JOIN members m ON m.id = h.member_id
    WHERE h.initiative_id = ${session.initiativeId} AND h.member_id = ${memberId} AND m.posting_held_at IS NULL`);
  const mine = db().get<{ attendance_by: string | null } | undefined>(sql`SELECT attendance_by FROM registrations WHERE session_id = ${session.id} AND member_id = ${memberId} AND attended_at IS NOT NULL`);
  const base = { startsAt: session.startsAt.getTime(), endsAt: session.endsAt.getTime(), checkinOpensAt: checkinWindow(session).opens.getTime(), now: now.getTime() };
  return {
    mark: !!host && attendanceChangeAllowed({ ...base, hostSince: host.since, selfCheckIn: false, byThatMember: false }) === "ok",
    withdraw: mine?.attendance_by === "code" && attendanceChangeAllowed({ ...base, hostSince: null, selfCheckIn: true, byThatMember: true }) === "ok",
  };
}

/** "I'm in" on an idea: toggles the member's interest. */
export function setInterest(initiativeId: number, memberId: string, interested: boolean) {
  if (interested) db().insert(interests).values({ initiativeId, memberId }).onConflictDoNothing().run();
  else db().delete(interests).where(and(eq(interests.initiativeId, initiativeId), eq(interests.memberId, memberId))).run();
}

export function interestOf(initiativeId: number, memberId: string | null) {
  const count = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM interests WHERE initiative_id = ${initiativeId}`).n;
  const mine = memberId ? !!db().get(sql`SELECT 1 FROM interests WHERE initiative_id = ${initiativeId} AND member_id = ${memberId}`) : false;
  return { count, mine };
}

// Both below read the initiative's sessions first (CROSS JOIN keeps that order): SQLite, without
// statistics, would start from all of the member's sign-ups, and a regular has thousands (0.34 ms
// against 0.01 on the benchmark network, for every initiative page such a member opens).
/**
 * Whether the member takes part in the initiative: signed up (or waiting) for one of its sessions,
 * or said "I'm in"; with `orAttended`, also having attended one (who may post an outcome).
 */
export function takesPartIn(initiativeId: number, memberId: string, { orAttended = false } = {}) {
  const attended = orAttended ? sql` OR r.attended_at IS NOT NULL` : sql``;
  return !!db().get(sql`
    SELECT 1 FROM sessions s CROSS JOIN registrations r ON r.session_id = s.id
    WHERE s.initiative_id = ${initiativeId} AND r.member_id = ${memberId} AND (r.status IN ('registered', 'waitlisted')${attended})
    UNION ALL SELECT 1 FROM interests WHERE initiative_id = ${initiativeId} AND member_id = ${memberId}
    LIMIT 1`);
}

/** Whether the member attended one of the initiative's sessions (may ask to co-host, governance.md §2). */
export function attendedAny(initiativeId: number, memberId: string) {
  return !!db().get(sql`
    SELECT 1 FROM sessions s CROSS JOIN registrations r ON r.session_id = s.id
    WHERE s.initiative_id = ${initiativeId} AND r.member_id = ${memberId} AND r.attended_at IS NOT NULL LIMIT 1`);
}
