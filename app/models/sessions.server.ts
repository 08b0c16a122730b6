import { createHash, randomInt, randomUUID } from "node:crypto";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { hosts, initiatives, interests, registrations, sessions } from "../../db/schema";
import type { Db } from "../../db/client";
import { organisationKey } from "../../db/organisations";
import { governance, sessionRules } from "~/governance/config";
import { db, statement } from "~/lib/db.server";
import { sharedData } from "~/lib/shared-data.server";
import { env } from "~/lib/env.server";
import { optionalLine, resubmitWindowMs, typedNumber, type Once } from "~/lib/forms";
import { siteUrl, queueMemberMail } from "~/lib/mail.server";
import { translate } from "~/lib/i18n";
import { calendarAttachments } from "~/lib/calendar.server";
import { markdownToText } from "~/lib/mail-text.server";
import { toFtsQuery } from "~/lib/search";
import { seriesOccurrences, repeats, localChange, shiftedOccurrence } from "~/lib/series";
import { parseLearningHours } from "~/lib/learning-hours";
import { formatDateTime, formatTimeRange, isSkippedLocalTime, parseLocalDateTime, sameLocalDay, toLocalDateTimeInput } from "~/lib/time";
import { NotAHostError } from "./errors.server";
import { actingHost } from "./host-rights.server";
import { appendLog, loggedSince } from "./log.server";
import { promoteFromWaitlist } from "./registrations.server";
import { currentOrganisation } from "./organisations.server";
import { memberHasVoice } from "./voice.server";
import { dropSessionDraft, sessionFormWithDraft } from "./session-drafts.server";
import { sessionModes, type SessionFormValues, type SessionMode, type VenueGroup } from "./sessions.types";

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

export { sessionModes, type SessionMode };

/** A meeting link: a web address (http or https) only, never javascript:, data: or the like. */
function isMeetingUrl(value: string) {
  if (/\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export type PickedVenue = { id: number; name: string; address: string; organisationId: number | null; organisationName: string };

/** The venues with these ids, with their organisation (followed past a merge). */
export function venuesById(ids: number[]): Map<number, PickedVenue> {
  if (!ids.length) return new Map();
  const rows = db().all<{ id: number; name: string; address: string; organisation_id: number | null }>(
    sql`SELECT id, name, address, organisation_id FROM venues WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`,
  );
  return new Map(
    rows.map((r) => {
      const organisation = currentOrganisation(r.organisation_id);
      return [r.id, { id: r.id, name: r.name, address: r.address, organisationId: organisation?.id ?? null, organisationName: organisation?.name ?? "" }];
    }),
  );
}

/**
 * The venue list of the form, as sent: every `venueId` field in order (the first is the venue of
 * the session; more take turns in a series). The route passes it as one field, "venueIds".
 */
export function withVenueList(formData: FormData): FormData {
  const copy = new FormData();
  for (const [key, value] of formData) if (key !== "venueId" && key !== "venueIds") copy.append(key, value);
  copy.set("venueIds", formData.getAll("venueId").map((v) => (typeof v === "string" ? v.trim() : "x")).join(","));
  return copy;
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
      place: optionalLine(200, "session.place.tooLong"),
      hostOrganisation: optionalLine(120, "session.hostOrganisation.tooLong"),
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
      mode: z.enum(sessionModes, { error: "session.mode.invalid" }).optional().default("onsite"),
      onlineUrl: z
        .string()
        .max(500, { error: "session.onlineUrl.tooLong" })
        .optional()
        .default("")
        .refine((v) => v === "" || isMeetingUrl(v), { error: "session.onlineUrl.invalid" }),
      // "", or ids separated by commas; the first may be empty (another place).
      venueIds: z
        .string()
        .max(2000, { error: "session.venue.unknown" })
        .optional()
        .default("")
        .transform((value, ctx) => {
          const [first = "", ...rest] = value.split(",");
          const slots = [first, ...rest.filter(Boolean)];
          if (slots.length === 1 && slots[0] === "") return [] as (number | null)[];
          if (slots.length > sessionRules.seriesMax) {
            ctx.addIssue({ code: "custom", message: "session.venue.tooMany" });
            return z.NEVER;
          }
          if (slots.some((v, i) => !(/^[1-9]\d{0,15}$/.test(v) || (i === 0 && v === "")))) {
            ctx.addIssue({ code: "custom", message: "session.venue.unknown" });
            return z.NEVER;
          }
          return slots.map((v) => (v === "" ? null : Number(v)));
        }),
      repeat: z.enum(repeats, { error: "session.repeat.invalid" }).optional().default("none"),
      count: z
        .string()
        .optional()
        .transform(typedNumber(1))
        .pipe(z.number({ error: "session.count.invalid" }).int({ error: "session.count.invalid" }).min(1, { error: "session.count.invalid" }).max(sessionRules.seriesMax, { error: "session.count.invalid" })),
      // Learning hours for the participants' records (issue 15), typed "2,5" or "2.5"; empty: the
      // session's length (null); not sent, as by the form that adds sessions: left as they are.
      learningHours: z
        .string()
        .optional()
        .transform((value, ctx) => {
          if (value === undefined) return undefined;
          const minutes = parseLearningHours(value);
          if (minutes !== null && Number.isNaN(minutes)) {
            ctx.addIssue({ code: "custom", message: "session.learningHours.invalid" });
            return z.NEVER;
          }
          return minutes;
        }),
      // When editing a session of a series: only this one, or this and all later ones.
      scope: z.enum(["this", "later"], { error: "session.scope.invalid" }).optional().default("this"),
    })
    .superRefine((value, ctx) => {
      if (value.endsAt <= value.startsAt) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "session.endsAt.beforeStart" });
      if (creating && value.startsAt < now) ctx.addIssue({ code: "custom", path: ["startsAt"], message: "session.startsAt.past" });
      if (value.endsAt.getTime() - value.startsAt.getTime() > sessionRules.maxLengthDays * 86_400_000) {
        ctx.addIssue({ code: "custom", path: ["endsAt"], message: "session.endsAt.tooLong" });
      }
      if (value.mode !== "onsite" && !value.onlineUrl) ctx.addIssue({ code: "custom", path: ["onlineUrl"], message: "session.onlineUrl.required" });
    })
    .transform((value, ctx) => {
      // Online only: no venue; on site only: no link kept.
      const ids = value.mode === "online" ? [] : value.venueIds;
      const found = venuesById(ids.filter((id): id is number => id !== null));
      if (ids.some((id) => id !== null && !found.has(id))) {
        ctx.addIssue({ code: "custom", path: ["venueId"], message: "session.venue.unknown" });
        return z.NEVER;
      }
      const repeat = creating ? value.repeat : "none";
      const count = repeat === "none" ? 1 : value.count;
      const series = seriesOccurrences(
        { startsAt: toLocalDateTimeInput(value.startsAt, timeZone), endsAt: toLocalDateTimeInput(value.endsAt, timeZone), repeat, count },
        timeZone,
        sessionRules.seriesMax,
      );
      if (!series.ok) {
        ctx.addIssue({ code: "custom", path: [series.reason === "count" ? "count" : "startsAt"], message: series.reason === "count" ? "session.count.invalid" : "session.time.skipped" });
        return z.NEVER;
      }
      const { venueIds: _ids, learningHours, ...rest } = value;
      return {
        ...rest,
        learningMinutes: learningHours,
        onlineUrl: value.mode === "onsite" ? "" : value.onlineUrl,
        venues: ids.map((id) => (id === null ? null : found.get(id)!)),
        repeat,
        count,
        occurrences: series.occurrences,
      };
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

/** What one session of the form gets: its place and host organisation from its venue, if any. */
function placeOf(input: Pick<SessionInput, "place" | "hostOrganisation">, venue: PickedVenue | null) {
  const typed = input.hostOrganisation;
  // A typed organisation is linked when the network knows it; an empty one comes from the venue.
  const known = typed
    ? db().get<{ id: number } | undefined>(sql`SELECT id FROM organisations WHERE name_key = ${organisationKey(typed)} AND merged_into IS NULL ORDER BY id LIMIT 1`)
    : undefined;
  const fromVenue = !typed && venue?.organisationId ? { hostOrganisation: venue.organisationName, hostOrganisationId: venue.organisationId } : null;
  return {
    // The venue's name and address stand in `place` too, for every list, mail and calendar that shows it.
    place: venue ? [venue.name, venue.address].filter(Boolean).join(", ").slice(0, 200) : input.place,
    venueId: venue?.id ?? null,
    hostOrganisation: fromVenue?.hostOrganisation ?? typed,
    hostOrganisationId: fromVenue?.hostOrganisationId ?? known?.id ?? null,
  };
}

/** A session to add: the form's fields, or the few that the demo data sets. */
export type NewSession = Pick<SessionInput, "startsAt" | "endsAt" | "place" | "hostOrganisation" | "capacity"> & Partial<Pick<SessionInput, "mode" | "onlineUrl" | "venues" | "occurrences">>;

/**
 * `newcomerLimit: false` only for setting up a network that is not used yet (the demo data, tests'
 * fixtures), whose hosts add many sessions at once before anyone has a voice.
 */
type AddOptions = Once & { newcomerLimit?: boolean };

export function addSession(initiativeId: number, memberId: string, input: NewSession, now = new Date(), options: AddOptions = {}): number {
  return addSeries(initiativeId, memberId, input, now, options)[0];
}

/**
 * Adds the session, or every session of the series, in one transaction: each an ordinary
 * session (its own page, registrations and calendar entry) that shares the series id.
 */
export function addSeries(initiativeId: number, memberId: string, draft: NewSession, now = new Date(), options: AddOptions = {}): number[] {
  const input = { mode: "onsite" as const, onlineUrl: "", venues: [], occurrences: [{ startsAt: draft.startsAt, endsAt: draft.endsAt }], ...draft };
  const venues = input.venues.length ? input.venues : [null];
  const rows = input.occurrences.map((o, i) => ({ ...o, ...placeOf(input, venues[i % venues.length]) }));
  const single = rows.length === 1;
  return db().transaction((tx) => {
    assertHost(tx, initiativeId, memberId, now);
    // The same session or series (time, place, organisation, places) added again is one added twice.
    if (options.once) {
      const first = rows[0];
      const repeated = tx.get<{ id: number; series_id: string | null } | undefined>(sql`
        SELECT id, series_id FROM sessions
        WHERE initiative_id = ${initiativeId} AND starts_at = ${first.startsAt.getTime()} AND ends_at = ${first.endsAt.getTime()} AND place = ${first.place}
          AND host_organisation = ${first.hostOrganisation} AND capacity IS ${input.capacity} AND mode = ${input.mode} AND online_url = ${input.onlineUrl}
          AND venue_id IS ${first.venueId} AND cancelled_at IS NULL AND (series_id IS NULL) = ${single ? 1 : 0}
        ORDER BY id DESC LIMIT 1`);
      if (repeated && !repeated.series_id) return [repeated.id];
      if (repeated?.series_id) {
        return tx.all<{ id: number }>(sql`SELECT id FROM sessions WHERE series_id = ${repeated.series_id} ORDER BY starts_at, id`).map((r) => r.id);
      }
    }
    if (options.newcomerLimit !== false && !memberHasVoice(memberId, now.getTime())) {
      const added = loggedSince("session.added", memberId, now.getTime() - 86_400_000, tx);
      if (added + rows.length > governance.newcomerSessionsPerDay) throw new NewcomerSessionLimitError(Math.max(0, governance.newcomerSessionsPerDay - added));
    }
    const initiative = tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, initiativeId)).get()!;
    const hadSessions = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM sessions WHERE initiative_id = ${initiativeId} AND cancelled_at IS NULL`).n > 0;
    const seriesId = single ? null : randomUUID();
    const ids: number[] = [];
    for (const row of rows) {
      const { id } = tx
        .insert(sessions)
        .values({
          initiativeId,
          startsAt: row.startsAt,
          endsAt: row.endsAt,
          place: row.place,
          venueId: row.venueId,
          hostOrganisation: row.hostOrganisation,
          hostOrganisationId: row.hostOrganisationId,
          capacity: input.capacity,
          mode: input.mode,
          onlineUrl: input.onlineUrl,
          seriesId,
          checkinCode: generateCheckinCode(),
          // Every session of a series stands on the agenda from now: each counts once it has stood long enough (governance.md §1).
          announcedAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: sessions.id })
        .get();
      ids.push(id);
      // The meeting link never goes into the public log.
      appendLog(tx, { action: "session.added", actorId: memberId, subjectType: "session", subjectId: id, detail: { initiativeId, startsAt: row.startsAt.toISOString(), ...(seriesId ? { series: true } : {}) }, at: now });
    }
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
            body: t("mail.invitation.body", { title: initiative.title, when: when(rows[0].startsAt, locale), url: siteUrl(`/initiatives/${initiativeId}`) }),
          }),
        });
      }
    }
    // What the host had typed while adding a venue is saved now (docs/decisions/055).
    dropSessionDraft(tx, memberId, { initiativeId });
    return ids;
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

/**
 * Members without a voice add at most `newcomerSessionsPerDay` sessions in 24 hours (governance.md
 * §5): a fresh account does not fill the agenda with a thousand meetings. `left`: how many it may
 * still add now.
 */
export class NewcomerSessionLimitError extends Error {
  constructor(public left: number) {
    super("newcomer session limit");
  }
}

/** A time in a series that falls in the hour the clocks skip, after moving the series. */
export class SkippedTimeError extends Error {}

/**
 * A meeting that has started happened: its start and place stay as they were and it is not
 * cancelled afterwards. Moving or cancelling it would take away the voices it gave (the replay
 * reads its time, its announcement and whether it was cancelled) long after attendance is fixed
 * (governance.md §1, §2). Its end can still move earlier, not later: check-in stays open for
 * `checkinClosesHoursAfter` after the end, so a meeting that runs over is covered, and a later end
 * would open check-in and marking again long after everyone went home. Capacity and learning
 * hours can still be set.
 */
export class StartedSessionError extends Error {
  /** `field`: the form field whose change was refused (the start, the venue or the place), where the refusal is said. */
  constructor(
    public change: "fixed" | "end-later" = "fixed",
    public field: "startsAt" | "endsAt" | "venueId" | "place" | null = change === "end-later" ? "endsAt" : null,
  ) {
    super(`started session: ${change}`);
  }
}

/** The session and, for "this and later", the later sessions of its series that still take place. */
function sessionsInScope(tx: Tx, session: SessionRow, scope: "this" | "later"): SessionRow[] {
  if (scope !== "later" || !session.seriesId) return [session];
  const later = tx
    .select()
    .from(sessions)
    .where(and(eq(sessions.seriesId, session.seriesId), isNull(sessions.cancelledAt), sql`${sessions.startsAt} > ${session.startsAt.getTime()}`))
    .orderBy(asc(sessions.startsAt))
    .all();
  return [session, ...later];
}

/**
 * Changes a session, or it and every later session of its series (`input.scope`): the later ones
 * get the same change (moved as many days, to the same times; the new place, capacity, link …),
 * and keep what was not changed, such as their own venue in a series that takes turns. Everyone
 * signed up or waiting gets one mail for the whole change. `origin`: the site's address as the
 * host reached it, for the calendar file in that mail.
 */
export function updateSession(sessionId: number, memberId: string, input: SessionInput, now = new Date(), origin = new URL(siteUrl()).origin) {
  db().transaction((tx) => {
    const session = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!session) throw new SessionNotFoundError();
    assertHost(tx, session.initiativeId, memberId, now);
    const zone = env().TZ_COMMUNITY;
    const venue = input.venues[0] ?? null;
    const placed = placeOf(input, venue);
    const timesChanged = session.startsAt.getTime() !== input.startsAt.getTime() || session.endsAt.getTime() !== input.endsAt.getTime();
    const placeChanged = session.venueId !== placed.venueId || session.place !== placed.place;
    const change = localChange(toLocalDateTimeInput(session.startsAt, zone), toLocalDateTimeInput(input.startsAt, zone), toLocalDateTimeInput(input.endsAt, zone))!;
    const moves: SessionMove[] = [];
    for (const target of sessionsInScope(tx, session, input.scope)) {
      const own = target.id === session.id;
      let times = { startsAt: input.startsAt, endsAt: input.endsAt };
      if (!own) {
        const shifted = timesChanged ? shiftedOccurrence(toLocalDateTimeInput(target.startsAt, zone), change, zone) : { startsAt: target.startsAt, endsAt: target.endsAt };
        if (!shifted) throw new SkippedTimeError();
        times = { startsAt: shifted.startsAt, endsAt: shifted.endsAt };
      }
      const fields = {
        ...times,
        ...(own || placeChanged ? { place: placed.place, venueId: placed.venueId } : {}),
        ...(own || session.hostOrganisation !== placed.hostOrganisation ? { hostOrganisation: placed.hostOrganisation, hostOrganisationId: placed.hostOrganisationId } : {}),
        capacity: input.capacity,
        mode: input.mode,
        onlineUrl: input.onlineUrl,
        ...(input.learningMinutes !== undefined && (own || session.learningMinutes !== input.learningMinutes) ? { learningMinutes: input.learningMinutes } : {}),
      };
      const move = changeOne(tx, target, memberId, fields, now, origin);
      if (move) moves.push(move);
    }
    queueChangeMails(tx, session, moves, now, origin);
    dropSessionDraft(tx, memberId, { sessionId });
  }, { behavior: "immediate" });
}

type SessionChange = Pick<SessionRow, "startsAt" | "endsAt" | "capacity" | "mode" | "onlineUrl"> & Partial<Pick<SessionRow, "place" | "venueId" | "hostOrganisation" | "hostOrganisationId" | "learningMinutes">>;

/** A session that moved (time, place or link): how it was and how it is, for the participants' mail. */
type SessionMove = { before: SessionRow; after: Pick<SessionRow, "startsAt" | "endsAt" | "place" | "mode" | "onlineUrl"> };

/** Changes one session; returns its move when its participants must hear of it. */
function changeOne(tx: Tx, session: SessionRow, memberId: string, fields: SessionChange, now: Date, origin: string): SessionMove | null {
  const sessionId = session.id;
  const registered = registeredCount(tx, sessionId);
  if (fields.capacity !== null && fields.capacity < registered) throw new CapacityBelowRegisteredError(registered);
  const place = fields.place ?? session.place;
  const started = session.startsAt <= now;
  const startOrPlace = session.startsAt.getTime() !== fields.startsAt.getTime() || session.place !== place || (fields.venueId !== undefined && fields.venueId !== session.venueId);
  if (started && startOrPlace) {
    const field = session.startsAt.getTime() !== fields.startsAt.getTime() ? "startsAt" : fields.venueId !== undefined && fields.venueId !== session.venueId ? "venueId" : "place";
    throw new StartedSessionError("fixed", field);
  }
  if (started && fields.endsAt > session.endsAt) throw new StartedSessionError("end-later");
  // Online, the link is where it takes place: a new link (or a switch to or from online) is a move too.
  const whereOnline = session.mode !== fields.mode || session.onlineUrl !== fields.onlineUrl;
  const moved = startOrPlace || (!started && (session.endsAt.getTime() !== fields.endsAt.getTime() || whereOnline));
  // A new time or place must stand on the agenda 48 hours again before the meeting counts (governance.md §1).
  tx.update(sessions).set({ ...fields, updatedAt: now, ...(moved ? { announcedAt: now } : {}) }).where(eq(sessions.id, sessionId)).run();
  // The log is public: the meeting link stays out of it.
  appendLog(tx, { action: "session.changed", actorId: memberId, subjectType: "session", subjectId: sessionId, detail: { startsAt: fields.startsAt.toISOString(), place, capacity: fields.capacity }, at: now });
  // A moved session may get a fresh reminder for its new time.
  if (moved) tx.update(sessions).set({ remindersQueuedAt: null }).where(eq(sessions.id, sessionId)).run();
  // More places: the waiting list moves up.
  if (session.startsAt > now) promoteFromWaitlist(tx, sessionId, now, origin);
  return moved ? { before: session, after: { startsAt: fields.startsAt, endsAt: fields.endsAt, place, mode: fields.mode, onlineUrl: fields.onlineUrl } } : null;
}

/**
 * One mail per participant for one change, however many sessions of a series it moved: each of
 * their dates as it was and as it is now, and a calendar file with those dates (the same UIDs as
 * before, so calendar apps update them instead of adding new ones).
 */
function queueChangeMails(tx: Tx, edited: SessionRow, moves: SessionMove[], now: Date, origin: string) {
  if (!moves.length) return;
  const title = tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, edited.initiativeId)).get()!.title;
  const movesOf = new Map<string, SessionMove[]>();
  for (const move of moves) {
    for (const to of participantIds(tx, move.before.id)) movesOf.set(to, [...(movesOf.get(to) ?? []), move]);
  }
  const zone = env().TZ_COMMUNITY;
  for (const [to, theirs] of movesOf) {
    const dates = memberCalendarSessions(to, theirs.map((m) => m.before.id));
    const url = theirs.length === 1 ? siteUrl(`/sessions/${theirs[0].before.id}`) : siteUrl(`/initiatives/${edited.initiativeId}`);
    queueMemberMail(tx, {
      memberId: to,
      kind: "session-changed",
      dedupeKey: `session-changed:${edited.id}:${to}:${now.getTime()}`,
      now,
      attachments: dates.length ? calendarAttachments(dates, title, origin) : undefined,
      compose: (t, locale) => {
        const placeText = (s: Pick<SessionRow, "place" | "mode">) => s.place || (s.mode === "online" ? t("session.mode.online") : "—");
        const range = (s: Pick<SessionRow, "startsAt" | "endsAt">) => formatTimeRange(s.startsAt, s.endsAt, locale, zone);
        const dateLines = theirs.map(({ before, after }) => {
          const timeMoved = before.startsAt.getTime() !== after.startsAt.getTime() || before.endsAt.getTime() !== after.endsAt.getTime();
          const placeMoved = placeText(before) !== placeText(after);
          return [
            ...(timeMoved ? [t("mail.sessionChanged.was", { when: range(before) }), t("mail.sessionChanged.now", { when: range(after) })] : [t("mail.sessionChanged.time", { when: range(after) })]),
            placeMoved ? t("mail.sessionChanged.newPlace", { place: placeText(after), from: placeText(before) }) : t("mail.sessionChanged.place", { place: placeText(after) }),
            // The link itself only on the page: someone on the waiting list gets this mail too.
            ...(after.mode !== "onsite" && before.onlineUrl !== after.onlineUrl ? [t("mail.sessionChanged.link")] : []),
          ].join("\n");
        });
        return {
          subject: t("mail.sessionChanged.subject", { title }),
          body: [
            t("mail.sessionChanged.intro", { title, n: theirs.length }),
            ...dateLines,
            ...(dates.length ? [t("mail.sessionChanged.calendar")] : []),
            url,
          ].join("\n\n"),
        };
      },
    });
  }
}

/** Cancels a session, or it and every later session of its series; everyone signed up hears of each. */
export function cancelSession(sessionId: number, memberId: string, now = new Date(), scope: "this" | "later" = "this", reason = "") {
  db().transaction((tx) => {
    const first = tx.select().from(sessions).where(eq(sessions.id, sessionId)).get();
    if (!first) throw new SessionNotFoundError();
    assertHost(tx, first.initiativeId, memberId, now);
    if (first.startsAt <= now && !first.cancelledAt) throw new StartedSessionError();
    const title = tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, first.initiativeId)).get()!.title;
    for (const session of sessionsInScope(tx, first, scope)) {
      if (session.cancelledAt) continue;
      tx.update(sessions).set({ cancelledAt: now, cancelReason: reason, updatedAt: now }).where(eq(sessions.id, session.id)).run();
      appendLog(tx, { action: "session.cancelled", actorId: memberId, subjectType: "session", subjectId: session.id, detail: { initiativeId: session.initiativeId }, at: now });
      for (const to of participantIds(tx, session.id)) {
        queueMemberMail(tx, {
          memberId: to,
          kind: "session-cancelled",
          dedupeKey: `session-cancelled:${session.id}:${to}`,
          now,
          compose: (t, locale) => ({
            subject: t("mail.sessionCancelled.subject", { title }),
            body: [
              t("mail.sessionCancelled.body", { title, when: when(session.startsAt, locale), url: siteUrl(`/initiatives/${session.initiativeId}`) }),
              ...(reason ? [t("safe.mail.reason", { reason })] : []),
            ].join("\n\n"),
          }),
        });
      }
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
  mode: SessionMode;
  cancelled: boolean;
  registered: number;
  waitlisted: number;
  myStatus: "registered" | "waitlisted" | null;
  myPosition: number | null;
  attended: boolean;
};

/** The sessions of an initiative, in time order, with counts and the viewer's own registration. */
export function sessionsOfInitiative(initiativeId: number, viewerId: string | null): SessionSummary[] {
  // The sessions and their counts are the same for every viewer: read once while nothing changes
  // (ADR 040). The viewer's own sign-ups are read for them.
  const rows = sharedData(["sessionsOfInitiative", initiativeId], () =>
    statement(
      `SELECT s.id, s.starts_at, s.ends_at, s.place, s.host_organisation, s.capacity, s.mode, s.cancelled_at,
         (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') AS registered,
         (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'waitlisted') AS waitlisted
       FROM sessions s WHERE s.initiative_id = ? ORDER BY s.starts_at, s.id`,
    ).all(initiativeId) as SummaryRow[],
  );
  const mine = new Map<number, { status: string; seq: number; attended: boolean }>();
  if (viewerId) {
    const own = statement(
      `SELECT r.session_id, r.status, r.queued_seq, r.attended_at IS NOT NULL FROM registrations r JOIN sessions s ON s.id = r.session_id
       WHERE r.member_id = ? AND s.initiative_id = ?`,
    )
      .raw()
      .all(viewerId, initiativeId) as [number, string, number, number][];
    for (const [sessionId, status, seq, attended] of own) mine.set(sessionId, { status, seq, attended: !!attended });
  }
  return rows.map((r) => {
    const me = mine.get(r.id);
    const myStatus = me?.status === "registered" || me?.status === "waitlisted" ? me.status : null;
    return {
      ...listedSession(r),
      waitlisted: r.waitlisted,
      myStatus,
      myPosition:
        myStatus === "waitlisted"
          ? (statement("SELECT count(*) FROM registrations WHERE session_id = ? AND status = 'waitlisted' AND queued_seq <= ?").pluck().get(r.id, me!.seq) as number)
          : null,
      attended: !!me?.attended,
    };
  });
}

type ListedRow = {
  id: number; starts_at: number; ends_at: number; place: string; host_organisation: string; capacity: number | null; mode: SessionMode; cancelled_at: number | null;
  registered: number;
};
type SummaryRow = ListedRow & { waitlisted: number };

/** What every list of sessions shows of one: its time, place, seats and sign-ups. */
function listedSession(r: ListedRow) {
  return {
    id: r.id,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    place: r.place,
    hostOrganisation: r.host_organisation,
    capacity: r.capacity,
    mode: r.mode,
    cancelled: r.cancelled_at !== null,
    registered: r.registered,
  };
}

export type SessionListFilter = { q?: string; kind?: string; tag?: string; mode?: "online" | "onsite"; after?: { startsAt: number; id: number }; limit?: number; now?: Date; until?: Date };

/**
 * Sessions that have not ended by `now`. The bound on the start (no session lasts longer than
 * maxLengthDays) lets the start-time index skip the past instead of reading through all of it.
 */
function notEndedBy(now: Date) {
  return [sql`s.ends_at >= ${now.getTime()}`, sql`s.starts_at >= ${now.getTime() - sessionRules.maxLengthDays * 86_400_000}`];
}

/** Upcoming (not yet ended, not cancelled) sessions across the network, soonest first. */
export function upcomingSessions(filter: SessionListFilter = {}) {
  const now = filter.now ?? new Date();
  const limit = filter.limit ?? 20;
  const where = [sql`s.cancelled_at IS NULL`, ...notEndedBy(now), sql`i.hidden_at IS NULL`];
  if (filter.until) where.push(sql`s.starts_at <= ${filter.until.getTime()}`);
  if (filter.after) where.push(sql`(s.starts_at, s.id) > (${filter.after.startsAt}, ${filter.after.id})`);
  if (filter.kind) where.push(sql`i.kind = ${filter.kind}`);
  // A hybrid session is both on site and online.
  if (filter.mode) where.push(sql`s.mode IN (${filter.mode}, 'hybrid')`);
  // The words and the tag filter the sessions, they do not lead the search (the `+`; see below).
  if (filter.tag) where.push(sql`+i.id IN (SELECT initiative_id FROM initiative_tags WHERE tag = ${filter.tag})`);
  if (filter.q) {
    const match = toFtsQuery(filter.q);
    if (!match) return { items: [], next: null };
    where.push(sql`+i.id IN (SELECT rowid FROM initiatives_fts WHERE initiatives_fts MATCH ${match})`);
  }
  // Sessions are read in time order from the coming ones, and reading stops at the page's last:
  // the work is bounded by the sessions still to come. Led by the words instead, SQLite looked up
  // the sessions of every initiative that ever matched ("buurt": 6,730 at the benchmark's scale,
  // 4.4 ms against 1.3), a cost that grows with the network's whole history.
  const rows = db().all<ListedRow & { initiative_id: number; title: string; summary: string; kind: string }>(sql`
    SELECT s.id, s.initiative_id, i.title, i.summary, i.kind, s.starts_at, s.ends_at, s.place, s.host_organisation, s.capacity, s.mode, s.cancelled_at,
      (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') AS registered
    FROM sessions s INDEXED BY sessions_starts CROSS JOIN initiatives i ON i.id = s.initiative_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY s.starts_at, s.id
    LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ ...listedSession(r), initiativeId: r.initiative_id, title: r.title, summary: r.summary, kind: r.kind })),
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
            // Sent up to a day ahead: the session is today or tomorrow in the community's calendar.
            subject: t(sameLocalDay(session.startsAt, now, env().TZ_COMMUNITY) ? "mail.reminder.subject.today" : "mail.reminder.subject", { title }),
            // Only the people signed up get reminders, so the meeting link may go in.
            body: [
              t("mail.reminder.body", { title, when: when(session.startsAt, locale), place: session.place || (session.mode === "online" ? t("session.mode.online") : "—"), url: siteUrl(`/sessions/${id}`) }),
              ...(session.mode !== "onsite" && session.onlineUrl ? [t("mail.reminder.online", { url: session.onlineUrl })] : []),
            ].join("\n\n"),
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
export function calendarSessions(where: { sessionId?: number; sessionIds?: number[]; initiativeId?: number; memberId?: string; upcoming?: { now: Date; limit: number } }) {
  // Hidden content leaves the calendars too.
  const conditions = [sql`i.hidden_at IS NULL`];
  if (where.sessionId) conditions.push(sql`s.id = ${where.sessionId}`);
  if (where.sessionIds) conditions.push(where.sessionIds.length ? sql`s.id IN (${sql.join(where.sessionIds.map((id) => sql`${id}`), sql`, `)})` : sql`0`);
  if (where.initiativeId) conditions.push(sql`s.initiative_id = ${where.initiativeId}`);
  // A member's own calendar: the sessions they signed up for or wait for, and those of the
  // initiatives they host (not while held: no host power), each once.
  const hosting = where.memberId
    ? sql`EXISTS (SELECT 1 FROM hosts h JOIN members m ON m.id = h.member_id WHERE h.initiative_id = s.initiative_id AND h.member_id = ${where.memberId} AND m.posting_held_at IS NULL)`
    : sql`0`;
  if (where.memberId) {
    conditions.push(sql`(s.id IN (SELECT session_id FROM registrations WHERE member_id = ${where.memberId} AND status IN ('registered', 'waitlisted')) OR ${hosting})`);
  }
  if (where.upcoming) conditions.push(sql`s.cancelled_at IS NULL`, ...notEndedBy(where.upcoming.now));
  // The meeting link only in a member's own calendar, for sessions they are signed up for (not
  // waiting) or host; every other calendar is public.
  const onlineUrl = where.memberId
    ? sql`CASE WHEN s.mode != 'onsite' AND (
        EXISTS (SELECT 1 FROM registrations r WHERE r.session_id = s.id AND r.member_id = ${where.memberId} AND r.status = 'registered')
        OR ${hosting}
      ) THEN s.online_url ELSE '' END`
    : sql`''`;
  // In a member's own calendar, their sign-up: waiting or not, and when it last changed (a place
  // from the waiting list changes the event as much as a new time does).
  const mine = where.memberId
    ? sql`(SELECT r.status FROM registrations r WHERE r.session_id = s.id AND r.member_id = ${where.memberId} AND r.status IN ('registered', 'waitlisted'))`
    : sql`NULL`;
  const mineUpdated = where.memberId
    ? sql`(SELECT r.updated_at FROM registrations r WHERE r.session_id = s.id AND r.member_id = ${where.memberId} AND r.status IN ('registered', 'waitlisted'))`
    : sql`NULL`;
  const rows = db().all<{
    id: number; initiative_id: number; title: string; summary: string; starts_at: number; ends_at: number; place: string;
    host_organisation: string; mode: SessionMode; online_url: string; cancelled_at: number | null; created_at: number; updated_at: number; hosting: number;
    my_status: string | null; my_updated_at: number | null;
  }>(sql`
    SELECT s.id, s.initiative_id, i.title, i.summary, s.starts_at, s.ends_at, s.place, s.host_organisation, s.mode, s.cancelled_at, s.created_at, s.updated_at, ${onlineUrl} AS online_url, ${hosting} AS hosting,
      ${mine} AS my_status, ${mineUpdated} AS my_updated_at
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
    mode: r.mode,
    onlineUrl: r.online_url,
    cancelled: r.cancelled_at !== null,
    updatedAt: Math.max(r.updated_at, r.my_updated_at ?? 0),
    createdAt: r.created_at,
    hosting: !!r.hosting,
    // A host goes anyway: only a participant who waits for a place has a date that is not theirs yet.
    waitlisted: !r.hosting && r.my_status === "waitlisted",
  }));
}

/**
 * A member's own sessions as their calendar shows them (the feed, and the files in their mails):
 * what they host marked as such, what they wait for tentative and marked "(wachtlijst)". In
 * Dutch, the network's language, like the other calendars. `sessionIds`: only these.
 */
export function memberCalendarSessions(memberId: string, sessionIds?: number[]) {
  const hosting = translate("nl", "hosts.calendar.hosting");
  return calendarSessions({ memberId, sessionIds }).map((s) =>
    s.hosting ? { ...s, title: `${s.title} · ${hosting}` } : s.waitlisted ? { ...s, title: translate("nl", "calendar.waitlisted.title", { title: s.title }) } : s,
  );
}


/** The venues a host can pick, grouped by organisation (venues of nobody last). */
export function venueChoices(): VenueGroup[] {
  const rows = db().all<{ id: number; name: string; address: string; organisation: string | null }>(sql`
    SELECT v.id, v.name, v.address, o.name AS organisation
    FROM venues v LEFT JOIN organisations o ON o.id = v.organisation_id
    ORDER BY o.name IS NULL, o.name COLLATE NOCASE, v.name COLLATE NOCASE, v.id
    LIMIT 2000`);
  const groups: VenueGroup[] = [];
  for (const r of rows) {
    const last = groups[groups.length - 1];
    const venue = { id: r.id, name: r.name, address: r.address };
    if (last && last.organisation === r.organisation) last.venues.push(venue);
    else groups.push({ organisation: r.organisation, venues: [venue] });
  }
  return groups;
}

/** The sessions of the series after this one that still take place. */
export function laterInSeries(session: Pick<SessionRow, "seriesId" | "startsAt">): number {
  if (!session.seriesId) return 0;
  return db().get<{ n: number }>(sql`SELECT count(*) AS n FROM sessions WHERE series_id = ${session.seriesId} AND cancelled_at IS NULL AND starts_at > ${session.startsAt.getTime()}`).n;
}

/**
 * The form that adds sessions to an initiative: empty but for the initiative's place, or what the
 * host typed before adding a venue, with that venue picked (docs/decisions/055).
 */
export function sessionAddPage(initiative: { id: number; title: string; place: string }, memberId: string, search: URLSearchParams) {
  const form = sessionFormWithDraft({ place: initiative.place }, memberId, { initiativeId: initiative.id }, search);
  return { id: initiative.id, title: initiative.title, venues: venueChoices(), ...form };
}

/**
 * The edit form of a session, for its hosts: its values (the meeting link too), venues, series;
 * or what the host typed before adding a venue, with that venue picked (docs/decisions/055).
 */
export function sessionEditForm(session: SessionRow & { initiativeTitle: string }, memberId: string, search: URLSearchParams) {
  const zone = env().TZ_COMMUNITY;
  const saved: SessionFormValues = {
    startsAt: toLocalDateTimeInput(session.startsAt, zone),
    endsAt: toLocalDateTimeInput(session.endsAt, zone),
    place: session.venueId ? "" : session.place,
    venueIds: session.venueId ? String(session.venueId) : "",
    hostOrganisation: session.hostOrganisation,
    capacity: session.capacity === null ? "" : String(session.capacity),
    mode: session.mode,
    onlineUrl: session.onlineUrl,
  };
  return {
    id: session.id,
    title: session.initiativeTitle,
    cancelled: !!session.cancelledAt,
    started: session.startsAt.getTime() <= Date.now(),
    laterInSeries: laterInSeries(session),
    venues: venueChoices(),
    learning: { minutes: session.learningMinutes, lengthMinutes: Math.round((session.endsAt.getTime() - session.startsAt.getTime()) / 60_000) },
    ...sessionFormWithDraft(saved, memberId, { sessionId: session.id }, search),
  };
}
