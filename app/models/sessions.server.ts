import { createHash, randomInt } from "node:crypto";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { hosts, initiatives, interests, registrations, sessions } from "../../db/schema";
import type { Db } from "../../db/client";
import { governance, sessionRules } from "~/governance/config";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { optionalText, resubmitWindowMs, typedNumber, type Once } from "~/lib/forms";
import { siteUrl, queueMemberMail } from "~/lib/mail.server";
import { markdownToText } from "~/lib/mail-text.server";
import { toFtsQuery } from "~/lib/search";
import { formatDateTime, isSkippedLocalTime, parseLocalDateTime } from "~/lib/time";
import { NotAHostError } from "./errors.server";
import { actingHost } from "./host-rights.server";
import { appendLog } from "./log.server";
import { promoteFromWaitlist } from "./registrations.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

// No look-alikes: without 0/O, 1/I/L, 2/Z, 5/S, 8/B.
const codeAlphabet = "ACDEFGHJKMNPQRTUVWXY345679";

export function generateCheckinCode(): string {
  let code = "";
  for (let i = 0; i < sessionRules.checkinCodeLength; i++) code += codeAlphabet[randomInt(codeAlphabet.length)];
  return code;
}

/** What people type is forgiving: case, spaces and look-alikes (0→O is not in the alphabet) are folded. */
export function normaliseCheckinCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "").replace(/0/g, "O");
}

export function checkinWindow(session: { startsAt: Date; endsAt: Date }) {
  return {
    opens: new Date(session.startsAt.getTime() - sessionRules.checkinOpensMinutesBefore * 60_000),
    closes: new Date(session.endsAt.getTime() + sessionRules.checkinClosesHoursAfter * 3_600_000),
  };
}

export function isCheckinOpen(session: { startsAt: Date; endsAt: Date; cancelledAt: Date | null }, now: Date) {
  const { opens, closes } = checkinWindow(session);
  return !session.cancelledAt && now >= opens && now <= closes;
}

/** The session form; times are read in the community time zone. */
export function sessionInput({ now, creating }: { now: Date; creating: boolean }) {
  const timeZone = env().TZ_COMMUNITY;
  const instant = (requiredKey: "session.startsAt.invalid" | "session.endsAt.invalid") =>
    z
      .string({ error: requiredKey })
      .transform((value, ctx) => {
        const parsed = parseLocalDateTime(value, timeZone);
        if (!parsed) {
          // The hour the clocks skip gets its own message: the date is right, that time does not exist.
          ctx.addIssue({ code: "custom", message: isSkippedLocalTime(value, timeZone) ? "session.time.skipped" : requiredKey });
          return z.NEVER;
        }
        return parsed;
      });
  return z
    .object({
      startsAt: instant("session.startsAt.invalid"),
      endsAt: instant("session.endsAt.invalid"),
      place: optionalText(200, "session.place.tooLong"),
      hostOrganisation: optionalText(120, "session.hostOrganisation.tooLong"),
      capacity: z
        .string()
        .optional()
        .transform(typedNumber(null))
        .pipe(
          z
            .number({ error: "session.capacity.invalid" })
            .int({ error: "session.capacity.invalid" })
            .min(1, { error: "session.capacity.invalid" })
            .max(sessionRules.capacityMax, { error: "session.capacity.invalid" })
            .nullable(),
        ),
    })
    .superRefine((value, ctx) => {
      if (value.endsAt <= value.startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "session.endsAt.beforeStart" });
      if (creating && value.startsAt < now) ctx.addIssue({ code: "custom", path: ["startsAt"], message: "session.startsAt.past" });
      if (value.endsAt.getTime() - value.startsAt.getTime() > sessionRules.maxLengthDays * 86_400_000) {
        ctx.addIssue({ code: "custom", path: ["endsAt"], message: "session.endsAt.tooLong" });
      }
    });
}

export type SessionInput = z.output<ReturnType<typeof sessionInput>>;

export { NotAHostError };
export class SessionNotFoundError extends Error {}
export class MessageLimitError extends Error {}
export class CapacityBelowRegisteredError extends Error {
  constructor(public registered: number) {
    super("capacity below registered count");
  }
}

function assertHost(tx: Tx, initiativeId: number, memberId: string, now: Date) {
  actingHost(tx, initiativeId, memberId);
  tx.update(hosts).set({ lastActionAt: now }).where(and(eq(hosts.initiativeId, initiativeId), eq(hosts.memberId, memberId))).run();
}

function registeredCount(tx: Tx, sessionId: number) {
  return tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM registrations WHERE session_id = ${sessionId} AND status = 'registered'`).n;
}

function when(startsAt: Date, locale: string) {
  return formatDateTime(startsAt, locale, env().TZ_COMMUNITY);
}

export function addSession(initiativeId: number, memberId: string, input: SessionInput, now = new Date(), options: Once = {}): number {
  return db().transaction((tx) => {
    assertHost(tx, initiativeId, memberId, now);
    // The same session (time, place, organisation, places) added again is one session added twice.
    if (options.once) {
      const repeated = tx.get<{ id: number } | undefined>(sql`
        SELECT id FROM sessions
        WHERE initiative_id = ${initiativeId} AND starts_at = ${input.startsAt.getTime()} AND ends_at = ${input.endsAt.getTime()} AND place = ${input.place}
          AND host_organisation = ${input.hostOrganisation} AND capacity IS ${input.capacity} AND cancelled_at IS NULL
        ORDER BY id DESC LIMIT 1`);
      if (repeated) return repeated.id;
    }
    const initiative = tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, initiativeId)).get()!;
    const hadSessions = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM sessions WHERE initiative_id = ${initiativeId} AND cancelled_at IS NULL`).n > 0;
    const row = tx
      .insert(sessions)
      .values({ initiativeId, ...input, checkinCode: generateCheckinCode(), announcedAt: now, createdAt: now, updatedAt: now })
      .returning({ id: sessions.id })
      .get();
    appendLog(tx, { action: "session.added", actorId: memberId, subjectType: "session", subjectId: row.id, detail: { initiativeId, startsAt: input.startsAt.toISOString() }, at: now });
    // Members who said "I'm in" to the idea hear when it gets its first date.
    if (!hadSessions) {
      const interested = tx.select({ memberId: interests.memberId }).from(interests).where(eq(interests.initiativeId, initiativeId)).all();
      for (const { memberId: to } of interested) {
        queueMemberMail(tx, {
          memberId: to,
          kind: "invitation",
          dedupeKey: `invitation:${initiativeId}:${to}`,
          now,
          compose: (t, locale) => ({
            subject: t("mail.invitation.subject", { title: initiative.title }),
            body: t("mail.invitation.body", { title: initiative.title, when: when(input.startsAt, locale), url: siteUrl(`/initiatives/${initiativeId}`) }),
          }),
        });
      }
    }
    return row.id;
  }, { behavior: "immediate" });
}

function participantIds(tx: Tx, sessionId: number) {
  return tx
    .select({ memberId: registrations.memberId })
    .from(registrations)
    .where(and(eq(registrations.sessionId, sessionId), inArray(registrations.status, ["registered", "waitlisted"])))
    .all()
    .map((r) => r.memberId);
}

export function updateSession(sessionId: number, memberId: string, input: SessionInput, now = new Date()) {
  db().transaction((tx) => {
    const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!session) throw new SessionNotFoundError();
    assertHost(tx, session.initiativeId, memberId, now);
    const registered = registeredCount(tx, sessionId);
    if (input.capacity !== null && input.capacity < registered) throw new CapacityBelowRegisteredError(registered);
    const moved = session.startsAt.getTime() !== input.startsAt.getTime() || session.endsAt.getTime() !== input.endsAt.getTime() || session.place !== input.place;
    // A new time or place must stand on the agenda 48 hours again before the meeting counts (governance.md §1).
    tx.update(sessions).set({ ...input, updatedAt: now, ...(moved ? { announcedAt: now } : {}) }).where(eq(sessions.id, sessionId)).run();
    appendLog(tx, { action: "session.changed", actorId: memberId, subjectType: "session", subjectId: sessionId, detail: { startsAt: input.startsAt.toISOString(), place: input.place, capacity: input.capacity }, at: now });
    if (moved) {
      // A moved session may get a fresh reminder for its new time.
      tx.update(sessions).set({ remindersQueuedAt: null }).where(eq(sessions.id, sessionId)).run();
      const title = tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, session.initiativeId)).get()!.title;
      for (const to of participantIds(tx, sessionId)) {
        queueMemberMail(tx, {
          memberId: to,
          kind: "session-changed",
          dedupeKey: `session-changed:${sessionId}:${to}:${now.getTime()}`,
          now,
          compose: (t, locale) => ({
            subject: t("mail.sessionChanged.subject", { title }),
            body: t("mail.sessionChanged.body", { title, when: when(input.startsAt, locale), place: input.place || "—", url: siteUrl(`/sessions/${sessionId}`) }),
          }),
        });
      }
    }
    // More places: the waiting list moves up.
    if (session.startsAt > now) promoteFromWaitlist(tx, sessionId, now);
  }, { behavior: "immediate" });
}

export function cancelSession(sessionId: number, memberId: string, now = new Date()) {
  db().transaction((tx) => {
    const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!session) throw new SessionNotFoundError();
    assertHost(tx, session.initiativeId, memberId, now);
    if (session.cancelledAt) return;
    tx.update(sessions).set({ cancelledAt: now, updatedAt: now }).where(eq(sessions.id, sessionId)).run();
    appendLog(tx, { action: "session.cancelled", actorId: memberId, subjectType: "session", subjectId: sessionId, detail: { initiativeId: session.initiativeId }, at: now });
    const title = tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, session.initiativeId)).get()!.title;
    for (const to of participantIds(tx, sessionId)) {
      queueMemberMail(tx, {
        memberId: to,
        kind: "session-cancelled",
        dedupeKey: `session-cancelled:${sessionId}:${to}`,
        now,
        compose: (t, locale) => ({
          subject: t("mail.sessionCancelled.subject", { title }),
          body: t("mail.sessionCancelled.body", { title, when: when(session.startsAt, locale), url: siteUrl(`/initiatives/${session.initiativeId}`) }),
        }),
      });
    }
  }, { behavior: "immediate" });
}

export type SessionRow = typeof sessions.$inferSelect;

export function getSession(id: number) {
  const row = db()
    .select({ session: sessions, initiativeTitle: initiatives.title, initiativeKind: initiatives.kind, initiativeSummary: initiatives.summary, initiativeHiddenAt: initiatives.hiddenAt, initiativeHiddenRule: initiatives.hiddenRule })
    .from(sessions)
    .innerJoin(initiatives, eq(initiatives.id, sessions.initiativeId))
    .where(eq(sessions.id, id))
    .get();
  if (!row) return null;
  return {
    ...row.session,
    initiativeTitle: row.initiativeTitle,
    initiativeKind: row.initiativeKind,
    initiativeSummary: row.initiativeSummary,
    initiativeHidden: row.initiativeHiddenAt !== null,
    initiativeHiddenRule: row.initiativeHiddenRule ?? "",
  };
}

export type SessionSummary = {
  id: number;
  startsAt: number;
  endsAt: number;
  place: string;
  hostOrganisation: string;
  capacity: number | null;
  cancelled: boolean;
  registered: number;
  waitlisted: number;
  myStatus: "registered" | "waitlisted" | null;
  myPosition: number | null;
  attended: boolean;
};

/** The sessions of an initiative, in time order, with counts and the viewer's own registration. */
export function sessionsOfInitiative(initiativeId: number, viewerId: string | null): SessionSummary[] {
  const rows = db().all<{
    id: number; starts_at: number; ends_at: number; place: string; host_organisation: string; capacity: number | null; cancelled_at: number | null;
    registered: number; waitlisted: number; my_status: "registered" | "waitlisted" | "cancelled" | null; my_seq: number | null; my_attended: number | null;
  }>(sql`
    SELECT s.id, s.starts_at, s.ends_at, s.place, s.host_organisation, s.capacity, s.cancelled_at,
      (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') AS registered,
      (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'waitlisted') AS waitlisted,
      me.status AS my_status, me.queued_seq AS my_seq, me.attended_at AS my_attended
    FROM sessions s
    LEFT JOIN registrations me ON me.session_id = s.id AND me.member_id = ${viewerId ?? ""}
    WHERE s.initiative_id = ${initiativeId}
    ORDER BY s.starts_at, s.id`);
  return rows.map((r) => ({
    id: r.id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    place: r.place,
    hostOrganisation: r.host_organisation,
    capacity: r.capacity,
    cancelled: r.cancelled_at !== null,
    registered: r.registered,
    waitlisted: r.waitlisted,
    myStatus: r.my_status === "registered" || r.my_status === "waitlisted" ? r.my_status : null,
    myPosition:
      r.my_status === "waitlisted"
        ? db().get<{ n: number }>(sql`SELECT count(*) AS n FROM registrations WHERE session_id = ${r.id} AND status = 'waitlisted' AND queued_seq <= ${r.my_seq}`).n
        : null,
    attended: r.my_attended !== null,
  }));
}

export type SessionListFilter = { q?: string; kind?: string; tag?: string; after?: { startsAt: number; id: number }; limit?: number; now?: Date; until?: Date };

/** Upcoming (not yet ended, not cancelled) sessions across the network, soonest first. */
/**
 * Sessions that have not ended by `now`. The bound on the start (no session lasts longer than
 * maxLengthDays) lets the start-time index skip the past instead of reading through all of it.
 */
function notEndedBy(now: Date) {
  return [sql`s.ends_at >= ${now.getTime()}`, sql`s.starts_at >= ${now.getTime() - sessionRules.maxLengthDays * 86_400_000}`];
}

export function upcomingSessions(filter: SessionListFilter = {}) {
  const now = filter.now ?? new Date();
  const limit = filter.limit ?? 20;
  const where = [sql`s.cancelled_at IS NULL`, ...notEndedBy(now), sql`i.hidden_at IS NULL`];
  if (filter.until) where.push(sql`s.starts_at <= ${filter.until.getTime()}`);
  if (filter.after) where.push(sql`(s.starts_at, s.id) > (${filter.after.startsAt}, ${filter.after.id})`);
  if (filter.kind) where.push(sql`i.kind = ${filter.kind}`);
  if (filter.tag) where.push(sql`i.id IN (SELECT initiative_id FROM initiative_tags WHERE tag = ${filter.tag})`);
  if (filter.q) {
    const match = toFtsQuery(filter.q);
    if (!match) return { items: [], next: null };
    where.push(sql`i.id IN (SELECT rowid FROM initiatives_fts WHERE initiatives_fts MATCH ${match})`);
  }
  const rows = db().all<{
    id: number; initiative_id: number; title: string; summary: string; kind: string; starts_at: number; ends_at: number; place: string;
    host_organisation: string; capacity: number | null; cancelled_at: number | null; registered: number;
  }>(sql`
    SELECT s.id, s.initiative_id, i.title, i.summary, i.kind, s.starts_at, s.ends_at, s.place, s.host_organisation, s.capacity, s.cancelled_at,
      (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') AS registered
    FROM sessions s JOIN initiatives i ON i.id = s.initiative_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY s.starts_at, s.id
    LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      initiativeId: r.initiative_id,
      title: r.title,
      summary: r.summary,
      kind: r.kind,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      place: r.place,
      hostOrganisation: r.host_organisation,
      capacity: r.capacity,
      cancelled: r.cancelled_at !== null,
      registered: r.registered,
    })),
    next: rows.length > limit && last ? { startsAt: last.starts_at, id: last.id } : null,
  };
}

/** Queues the 24-hour reminder for every session that starts within a day; once per session. */
export function queueDueReminders(now = new Date()) {
  const horizon = now.getTime() + sessionRules.reminderHoursBefore * 3_600_000;
  const due = db()
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(isNull(sessions.cancelledAt), isNull(sessions.remindersQueuedAt), sql`${sessions.startsAt} > ${now.getTime()}`, sql`${sessions.startsAt} <= ${horizon}`))
    .orderBy(asc(sessions.startsAt))
    .all();
  for (const { id } of due) {
    db().transaction((tx) => {
      const session = tx.select().from(sessions).where(eq(sessions.id, id)).get();
      if (!session || session.remindersQueuedAt || session.cancelledAt) return;
      const title = tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, session.initiativeId)).get()!.title;
      const registered = tx
        .select({ memberId: registrations.memberId })
        .from(registrations)
        .where(and(eq(registrations.sessionId, id), eq(registrations.status, "registered")))
        .all();
      for (const { memberId } of registered) {
        queueMemberMail(tx, {
          memberId,
          kind: "reminder",
          dedupeKey: `reminder:${id}:${session.startsAt.getTime()}:${memberId}`,
          now,
          compose: (t, locale) => ({
            subject: t("mail.reminder.subject", { title }),
            body: t("mail.reminder.body", { title, when: when(session.startsAt, locale), place: session.place || "—", url: siteUrl(`/sessions/${id}`) }),
          }),
        });
      }
      tx.update(sessions).set({ remindersQueuedAt: now }).where(eq(sessions.id, id)).run();
    }, { behavior: "immediate" });
  }
  return due.length;
}

/** A host writes to everyone signed up or waiting; addresses stay hidden from the host. */
export function messageParticipants(sessionId: number, hostId: string, message: { subject: string; body: string }, now = new Date()) {
  return db().transaction((tx) => {
    const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!session) throw new SessionNotFoundError();
    assertHost(tx, session.initiativeId, hostId, now);
    const title = tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, session.initiativeId)).get()!.title;
    const host = tx.get<{ display_name: string }>(sql`SELECT display_name FROM members WHERE id = ${hostId}`).display_name;
    const recipients = participantIds(tx, sessionId);
    // The same message again shortly after (a double click, a retry) is not sent twice.
    const fingerprint = createHash("sha256").update(JSON.stringify([hostId, message.subject, message.body])).digest("hex").slice(0, 16);
    const repeated = tx.get(sql`
      SELECT 1 FROM outbox WHERE kind = 'host-message' AND dedupe_key LIKE ${`host-message:${sessionId}:${fingerprint}:%`} AND created_at > ${now.getTime() - resubmitWindowMs}`);
    if (repeated) return recipients.length;
    // At most 5 messages per session per day (governance.md §2): a host cannot flood the participants.
    const sentToday = tx.get<{ n: number }>(sql`
      SELECT count(DISTINCT substr(dedupe_key, 1, length(dedupe_key) - length(to_address))) AS n FROM (
        SELECT dedupe_key, coalesce(member_id, '') AS to_address FROM outbox
        WHERE kind = 'host-message' AND dedupe_key LIKE ${`host-message:${sessionId}:%`} AND created_at > ${now.getTime() - 86_400_000})`).n;
    if (sentToday >= governance.hostMessagesPerSessionPerDay) throw new MessageLimitError();
    const batch = `${fingerprint}:${now.getTime()}-${generateCheckinCode()}`;
    // The host writes markdown; the mail carries it as clean text (and HTML made from that).
    const text = markdownToText(message.body);
    for (const to of recipients) {
      queueMemberMail(tx, {
        memberId: to,
        kind: "host-message",
        dedupeKey: `host-message:${sessionId}:${batch}:${to}`,
        now,
        compose: (t) => ({
          subject: `[${title}] ${message.subject}`,
          body: t("mail.hostMessage.body", { message: text, host, title, url: siteUrl(`/sessions/${sessionId}`) }),
        }),
      });
    }
    return recipients.length;
  }, { behavior: "immediate" });
}

/** Sessions as calendar entries: one session, all of an initiative, or a member's own. */
export function calendarSessions(where: { sessionId?: number; initiativeId?: number; memberId?: string; upcoming?: { now: Date; limit: number } }) {
  // Hidden content leaves the calendars too.
  const conditions = [sql`i.hidden_at IS NULL`];
  if (where.sessionId) conditions.push(sql`s.id = ${where.sessionId}`);
  if (where.initiativeId) conditions.push(sql`s.initiative_id = ${where.initiativeId}`);
  if (where.memberId) {
    conditions.push(sql`s.id IN (SELECT session_id FROM registrations WHERE member_id = ${where.memberId} AND status IN ('registered', 'waitlisted'))`);
  }
  if (where.upcoming) conditions.push(sql`s.cancelled_at IS NULL`, ...notEndedBy(where.upcoming.now));
  const rows = db().all<{
    id: number; initiative_id: number; title: string; summary: string; starts_at: number; ends_at: number; place: string;
    host_organisation: string; cancelled_at: number | null; updated_at: number;
  }>(sql`
    SELECT s.id, s.initiative_id, i.title, i.summary, s.starts_at, s.ends_at, s.place, s.host_organisation, s.cancelled_at, s.updated_at
    FROM sessions s JOIN initiatives i ON i.id = s.initiative_id
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY s.starts_at, s.id
    LIMIT ${where.upcoming?.limit ?? 1000}`);
  return rows.map((r) => ({
    id: r.id,
    initiativeId: r.initiative_id,
    title: r.title,
    summary: r.summary,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    place: r.place,
    hostOrganisation: r.host_organisation,
    cancelled: r.cancelled_at !== null,
    updatedAt: r.updated_at,
  }));
}
