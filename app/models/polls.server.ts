// Date polls ("prikken", issue 17): a host offers dates and places, members and visitors with the
// link answer yes / if need be / no, and the host turns the winning option into a session. This
// module owns the writes of date_polls, poll_options, poll_responses and poll_answers.
import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { datePolls, pollAnswersTable, pollOptions, pollResponses } from "../../db/schema";
import { pollRules } from "~/governance/config";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { cleanText, oneLine, type FieldErrors } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { queueMemberMail, siteUrl } from "~/lib/mail.server";
import { formatTimeRange, isSkippedLocalTime, parseLocalDateTime, toLocalDateTimeInput } from "~/lib/time";
import { actingHost } from "./host-rights.server";
import { addressKey, hitRateLimit } from "./rate-limits.server";
import { addSession, NewcomerSessionLimitError, sessionInput, venuesById } from "./sessions.server";
import { memberHasVoice } from "./voice.server";
import { pollAnswerValues, pollModes, type PollAnswer, type PollOptionDraft, type PollTypedAnswers } from "./polls.types";

export class PollNotFoundError extends Error {}
export class PollClosedError extends Error {}
export class PollFullError extends Error {}
export class PollRateLimitError extends Error {
  constructor(public retryAfterMinutes: number) {
    super("too many answers from this address");
  }
}
/** A form that refers to something that is not part of this poll (another poll's option, a forged edit code). */
export class PollFormError extends Error {
  constructor(public errors: FieldErrors) {
    super("poll form refused");
  }
}

const codePattern = /^[A-Za-z0-9_-]{24}$/;

/** An unguessable code for a link: 144 random bits. */
export function newPollCode(): string {
  return randomBytes(pollRules.codeBytes).toString("base64url");
}

export function isPollCode(value: string | null | undefined): value is string {
  return typeof value === "string" && codePattern.test(value);
}

export function pollByCode(code: string) {
  if (!isPollCode(code)) return null;
  return db().select().from(datePolls).where(eq(datePolls.code, code)).get() ?? null;
}

/** Polls of a hidden initiative are for its hosts and members with a voice only, like the initiative itself. */
export function maySeePoll(initiativeId: number, memberId: string | null): boolean {
  const row = db().get<{ hidden: number } | undefined>(sql`SELECT hidden_at IS NOT NULL AS hidden FROM initiatives WHERE id = ${initiativeId}`);
  if (!row) return false;
  if (!row.hidden) return true;
  if (!memberId) return false;
  return !!db().get(sql`SELECT 1 FROM hosts WHERE initiative_id = ${initiativeId} AND member_id = ${memberId}`) || memberHasVoice(memberId);
}

export function optionsOf(pollId: number) {
  return db().select().from(pollOptions).where(eq(pollOptions.pollId, pollId)).orderBy(asc(pollOptions.startsAt), asc(pollOptions.id)).all();
}

/** The polls of an initiative, newest first, for its page. */
export function pollsOfInitiative(initiativeId: number) {
  return db()
    .select({ code: datePolls.code, title: datePolls.title, closedAt: datePolls.closedAt, sessionId: datePolls.sessionId })
    .from(datePolls)
    .where(eq(datePolls.initiativeId, initiativeId))
    .orderBy(sql`${datePolls.closedAt} IS NOT NULL`, sql`${datePolls.id} DESC`)
    .limit(50)
    .all()
    .map((p) => ({ code: p.code, title: p.title, closed: p.closedAt !== null, sessionId: p.sessionId }));
}


const rowFields = ["date", "start", "end", "venueId", "place", "mode"] as const;

/** The rows of the offer form as sent: `date-0`, `start-0` … up to the most rows a form may have. */
export function offerRows(formData: FormData): { rows: PollOptionDraft[]; repeated: boolean } {
  let repeated = false;
  const rows: PollOptionDraft[] = [];
  // One row past the maximum is read, so that too many rows are refused rather than dropped.
  for (let i = 0; i <= pollRules.optionsMax; i++) {
    const row = {} as PollOptionDraft;
    let present = false;
    for (const field of rowFields) {
      const all = formData.getAll(`${field}-${i}`);
      if (all.length > 1) repeated = true;
      const value = all[0];
      row[field] = typeof value === "string" ? cleanText(value) : "";
      if (all.length) present = true;
    }
    if (!present) continue;
    rows.push(row);
  }
  return { rows, repeated };
}

const offerSchema = z.object({
  title: z.string().transform(oneLine).pipe(z.string().min(1, { error: "poll.title.required" }).max(pollRules.titleMax, { error: "poll.title.tooLong" })),
  note: z.string().max(pollRules.noteMax, { error: "poll.note.tooLong" }),
  rows: z.array(
    z.object({
      date: z.string().max(10, { error: "poll.option.date" }),
      start: z.string().max(8, { error: "poll.option.time" }),
      end: z.string().max(8, { error: "poll.option.time" }),
      venueId: z.string().max(16, { error: "poll.option.venue" }),
      place: z.string().transform(oneLine).pipe(z.string().max(200, { error: "poll.option.placeTooLong" })),
      mode: z.string().max(10, { error: "poll.option.mode" }),
    }),
  ),
});

export type PollOffer = {
  title: string;
  note: string;
  options: { startsAt: Date; endsAt: Date; place: string; venueId: number | null; mode: (typeof pollModes)[number] }[];
};

const isEmptyRow = (r: PollOptionDraft) => !r.date && !r.start && !r.end && !r.venueId && !r.place;

/**
 * Reads the offer form: title, note and 2–20 options. Times are read in the community time zone;
 * a time the clock skips gets its own message. Errors are keyed by field (`date-3`, `title`).
 */
export function readOffer(formData: FormData, now: Date): { ok: true; offer: PollOffer } | { ok: false; errors: FieldErrors } {
  const { rows, repeated } = offerRows(formData);
  const title = formData.getAll("title");
  const note = formData.getAll("note");
  if (repeated || title.length > 1 || note.length > 1) return { ok: false, errors: { form: "poll.form.repeated" } };
  const parsed = offerSchema.safeParse({ title: typeof title[0] === "string" ? cleanText(title[0]) : "", note: typeof note[0] === "string" ? cleanText(note[0]) : "", rows });
  const errors: FieldErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === "rows" ? `${String(issue.path[2])}-${String(issue.path[1])}` : String(issue.path[0]);
      errors[key] ??= issue.message as MessageKey;
    }
    return { ok: false, errors };
  }
  const zone = env().TZ_COMMUNITY;
  const filled = parsed.data.rows.map((row, index) => ({ row, index })).filter(({ row }) => !isEmptyRow(row));
  if (filled.length > pollRules.optionsMax) return { ok: false, errors: { options: "poll.options.tooMany" } };
  const venueIds = filled.map(({ row }) => row.venueId).filter((v) => /^[1-9]\d{0,15}$/.test(v)).map(Number);
  const venues = venuesById(venueIds);
  const options: PollOffer["options"] = [];
  for (const { row, index } of filled) {
    const mode = (pollModes as readonly string[]).includes(row.mode) ? (row.mode as PollOffer["options"][number]["mode"]) : row.mode === "" ? "onsite" : null;
    if (!mode) {
      errors[`mode-${index}`] = "poll.option.mode";
      continue;
    }
    // A date of the right shape that no calendar has (30 February) is the date's fault, not the time's.
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.date) || !parseLocalDateTime(`${row.date}T12:00`, zone)) {
      errors[`date-${index}`] = "poll.option.date";
      continue;
    }
    if (!/^\d{2}:\d{2}$/.test(row.start)) {
      errors[`start-${index}`] = "poll.option.time";
      continue;
    }
    if (!/^\d{2}:\d{2}$/.test(row.end)) {
      errors[`end-${index}`] = "poll.option.time";
      continue;
    }
    const startText = `${row.date}T${row.start}`;
    const endText = `${row.date}T${row.end}`;
    const startsAt = parseLocalDateTime(startText, zone);
    const endsAt = parseLocalDateTime(endText, zone);
    if (!startsAt || !endsAt) {
      const skipped = isSkippedLocalTime(startsAt ? endText : startText, zone);
      errors[`${startsAt ? "end" : "start"}-${index}`] = skipped ? "session.time.skipped" : "poll.option.time";
      continue;
    }
    if (endsAt <= startsAt) {
      errors[`end-${index}`] = "poll.option.endBeforeStart";
      continue;
    }
    if (startsAt < now) {
      errors[`date-${index}`] = "poll.option.past";
      continue;
    }
    let venueId: number | null = null;
    let place = row.place;
    if (row.venueId && mode !== "online") {
      const venue = /^[1-9]\d{0,15}$/.test(row.venueId) ? venues.get(Number(row.venueId)) : undefined;
      if (!venue) {
        errors[`venueId-${index}`] = "poll.option.venue";
        continue;
      }
      venueId = venue.id;
      place = [venue.name, venue.address].filter(Boolean).join(", ").slice(0, 200);
    }
    if (mode === "online") place = "";
    options.push({ startsAt, endsAt, place, venueId, mode });
  }
  if (!Object.keys(errors).length && options.length < pollRules.optionsMin) errors.options = "poll.options.tooFew";
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, offer: { title: parsed.data.title, note: parsed.data.note, options } };
}

/** Offers the dates: a host (not held) of the initiative only. Returns the poll's code. */
export function createPoll(initiativeId: number, memberId: string, offer: PollOffer, now = new Date()): string {
  const code = newPollCode();
  db().transaction(
    (tx) => {
      actingHost(tx, initiativeId, memberId);
      const { id } = tx.insert(datePolls).values({ code, initiativeId, title: offer.title, note: offer.note, createdBy: memberId, createdAt: now }).returning({ id: datePolls.id }).get();
      for (const option of offer.options) tx.insert(pollOptions).values({ pollId: id, ...option }).run();
    },
    { behavior: "immediate" },
  );
  return code;
}


const answerSchema = z.object({
  name: z.string().transform(oneLine).pipe(z.string().max(pollRules.nameMax, { error: "poll.name.tooLong" })),
  answers: z.array(z.object({ optionId: z.number().int().positive(), answer: z.enum(pollAnswerValues, { error: "poll.answer.invalid" }) })).min(1, { error: "poll.answer.none" }),
});

/**
 * The answer form: `answer-<optionId>` = yes / maybe / no for each option, and a name for visitors.
 * A refusal is its message key (the route says where: at the name, at the times, or above the
 * form). `typed` is what was typed and chosen, whatever the outcome: the name (cut to a bound)
 * and each answer that is one of yes / maybe / no.
 */
export function readAnswers(formData: FormData): ({ ok: true; name: string; answers: { optionId: number; answer: PollAnswer }[] } | { ok: false; refusal: MessageKey }) & { typed: PollTypedAnswers } {
  const typedName = formData.get("name");
  const typed: PollTypedAnswers = { name: typeof typedName === "string" ? typedName.slice(0, 4 * pollRules.nameMax) : "", answers: {} };
  const entries: { optionId: number; answer: string }[] = [];
  const seen = new Set<string>();
  for (const [key, value] of formData) {
    if (!key.startsWith("answer-")) continue;
    if (seen.has(key)) return { ok: false, refusal: "poll.form.repeated", typed };
    seen.add(key);
    const id = key.slice("answer-".length);
    if (!/^[1-9]\d{0,15}$/.test(id) || typeof value !== "string") return { ok: false, refusal: "poll.answer.unknownOption", typed };
    entries.push({ optionId: Number(id), answer: value });
    if ((pollAnswerValues as readonly string[]).includes(value)) typed.answers[id] = value as PollAnswer;
  }
  const names = formData.getAll("name");
  if (names.length > 1) return { ok: false, refusal: "poll.form.repeated", typed };
  const parsed = answerSchema.safeParse({ name: typeof names[0] === "string" ? cleanText(names[0]) : "", answers: entries });
  if (!parsed.success) return { ok: false, refusal: parsed.error.issues[0].message as MessageKey, typed };
  return { ok: true, ...parsed.data, typed };
}

export type Answerer = { memberId: string; displayName: string } | { memberId: null; editCode: string | null; address: string };

/**
 * Stores one person's answers, replacing their earlier ones: a member's by their account, a
 * visitor's by their edit code (a new response without one). Returns the response's edit code.
 */
export function answerPoll(code: string, who: Answerer, name: string, answers: { optionId: number; answer: PollAnswer }[], now = new Date()): string {
  const poll = pollByCode(code);
  if (!poll) throw new PollNotFoundError();
  if (!maySeePoll(poll.initiativeId, who.memberId)) throw new PollNotFoundError();
  if (poll.closedAt) throw new PollClosedError();
  if (who.memberId === null && !name) throw new PollFormError({ name: "poll.name.required" });
  // Counted before the work, so a burst of requests cannot all read the old count.
  if (who.memberId === null && !who.editCode) {
    const limit = hitRateLimit(`poll-answer:address:${addressKey(who.address)}`, pollRules.visitorAnswersPerAddress, now.getTime());
    if (!limit.allowed) throw new PollRateLimitError(limit.retryAfterMinutes);
  }
  return db().transaction(
    (tx) => {
      const current = tx.select({ closedAt: datePolls.closedAt }).from(datePolls).where(eq(datePolls.id, poll.id)).get();
      if (!current || current.closedAt) throw new PollClosedError();
      const optionIds = new Set(tx.select({ id: pollOptions.id }).from(pollOptions).where(eq(pollOptions.pollId, poll.id)).all().map((o) => o.id));
      if (answers.some((a) => !optionIds.has(a.optionId))) throw new PollFormError({ form: "poll.answer.unknownOption" });
      let response =
        who.memberId !== null
          ? tx.select().from(pollResponses).where(and(eq(pollResponses.pollId, poll.id), eq(pollResponses.memberId, who.memberId))).get()
          : who.editCode
            ? tx.select().from(pollResponses).where(and(eq(pollResponses.pollId, poll.id), eq(pollResponses.editCode, who.editCode), isNull(pollResponses.memberId))).get()
            : undefined;
      if (who.memberId === null && who.editCode && !response) throw new PollFormError({ form: "poll.edit.unknown" });
      const shownName = who.memberId !== null ? who.displayName : name;
      if (!response) {
        const count = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM poll_responses WHERE poll_id = ${poll.id}`).n;
        if (count >= pollRules.responsesMax) throw new PollFullError();
        response = tx
          .insert(pollResponses)
          .values({ pollId: poll.id, memberId: who.memberId, name: shownName, editCode: newPollCode(), createdAt: now, updatedAt: now })
          .returning()
          .get();
      } else {
        tx.update(pollResponses).set({ name: shownName, updatedAt: now }).where(eq(pollResponses.id, response.id)).run();
      }
      tx.delete(pollAnswersTable).where(eq(pollAnswersTable.responseId, response.id)).run();
      for (const a of answers) tx.insert(pollAnswersTable).values({ responseId: response.id, optionId: a.optionId, answer: a.answer }).run();
      return response.editCode;
    },
    { behavior: "immediate" },
  );
}


function openPollForHost(tx: Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0], code: string, memberId: string) {
  const poll = tx.select().from(datePolls).where(eq(datePolls.code, code)).get();
  if (!poll) throw new PollNotFoundError();
  actingHost(tx, poll.initiativeId, memberId);
  if (poll.closedAt) throw new PollClosedError();
  return poll;
}

/** Closes the poll without a session: its answers stay readable. */
export function closePoll(code: string, memberId: string, now = new Date()) {
  if (!isPollCode(code)) throw new PollNotFoundError();
  db().transaction(
    (tx) => {
      const poll = openPollForHost(tx, code, memberId);
      tx.update(datePolls).set({ closedAt: now }).where(eq(datePolls.id, poll.id)).run();
    },
    { behavior: "immediate" },
  );
}

/** The session form's fields for an option: its times in the community zone, its venue or place. */
function sessionFieldsOf(option: typeof pollOptions.$inferSelect, extra: { onlineUrl: string; capacity: string }) {
  const zone = env().TZ_COMMUNITY;
  return {
    startsAt: toLocalDateTimeInput(option.startsAt, zone),
    endsAt: toLocalDateTimeInput(option.endsAt, zone),
    place: option.venueId ? "" : option.place,
    venueIds: option.venueId ? String(option.venueId) : "",
    mode: option.mode,
    onlineUrl: option.mode === "onsite" ? "" : extra.onlineUrl,
    capacity: extra.capacity,
    hostOrganisation: "",
  };
}

/** Whether a field came more than once: a browser sends each of these forms' fields once. */
export function hasRepeatedFields(formData: FormData): boolean {
  const seen = new Set<string>();
  for (const key of formData.keys()) {
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/**
 * The errors of an option made the session, each at the field it concerns: the meeting link and the
 * places have a field in the option's form, anything else is said above the forms.
 */
export function makeSessionErrors(errors: Iterable<[string, MessageKey | undefined]>): FieldErrors {
  const placed: FieldErrors = {};
  for (const [field, key] of errors) if (key) placed[field === "onlineUrl" || field === "capacity" ? field : "form"] ??= key;
  return placed;
}

export const makeSessionSchema = z.object({
  optionId: z.string().regex(/^[1-9]\d{0,15}$/, { error: "poll.answer.unknownOption" }).transform(Number),
  onlineUrl: z.string().max(500, { error: "session.onlineUrl.tooLong" }).optional().default(""),
  capacity: z.string().max(16, { error: "session.capacity.invalid" }).optional().default(""),
});

/**
 * Makes the option the session, in one transaction: the session is added as any new session
 * (announced now, logged), the poll is closed and points to it, and every member who answered
 * yes or if need be is asked by mail to sign up; nobody is signed up for them.
 */
export function makeSessionFromOption(code: string, memberId: string, input: z.output<typeof makeSessionSchema>, now = new Date()): number {
  const poll = pollByCode(code);
  if (!poll) throw new PollNotFoundError();
  const option = db().select().from(pollOptions).where(and(eq(pollOptions.id, input.optionId), eq(pollOptions.pollId, poll.id))).get();
  if (!option) throw new PollFormError({ form: "poll.answer.unknownOption" });
  const fields = sessionFieldsOf(option, { onlineUrl: cleanText(input.onlineUrl), capacity: cleanText(input.capacity) });
  const parsed = sessionInput({ now, creating: true }).safeParse(fields);
  if (!parsed.success) throw new PollFormError(makeSessionErrors(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message as MessageKey])));
  return db().transaction(
    (tx) => {
      const open = openPollForHost(tx, code, memberId);
      // addSession's own transaction runs inside this one (a savepoint): all of it, or none.
      let sessionId: number;
      try {
        sessionId = addSession(open.initiativeId, memberId, parsed.data, now);
      } catch (error) {
        if (error instanceof NewcomerSessionLimitError) throw new PollFormError({ form: "poll.make.newcomerLimit" });
        throw error;
      }
      tx.update(datePolls).set({ closedAt: now, sessionId }).where(eq(datePolls.id, open.id)).run();
      const willing = tx.all<{ member_id: string; answer: "yes" | "maybe" }>(sql`
        SELECT r.member_id, a.answer FROM poll_answers a JOIN poll_responses r ON r.id = a.response_id
        WHERE a.option_id = ${option.id} AND r.member_id IS NOT NULL AND a.answer IN ('yes', 'maybe')`);
      const url = siteUrl(`/sessions/${sessionId}`);
      const zone = env().TZ_COMMUNITY;
      for (const { member_id: to, answer } of willing) {
        if (to === memberId) continue;
        queueMemberMail(tx, {
          memberId: to,
          kind: "invitation",
          dedupeKey: `poll-session:${open.id}:${to}`,
          now,
          compose: (t, locale) => {
            const params = { title: open.title, when: formatTimeRange(option.startsAt, option.endsAt, locale, zone), url };
            return answer === "yes"
              ? { subject: t("mail.poll.yes.subject", params), body: t("mail.poll.yes.body", params) }
              : { subject: t("mail.poll.maybe.subject", params), body: t("mail.poll.maybe.body", params) };
          },
        });
      }
      return sessionId;
    },
    { behavior: "immediate" },
  );
}
