// The record of learning (issue 15): the sessions a member attended (checked in with the code, or
// marked present by a host), with their learning hours, hosts and methods, and the verification
// links that show those facts to anyone. Everything is read from the database when asked; a link
// keeps only what the record said when it was made, so that a record that changed can say so.
import { randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { learningLinks } from "../../db/schema";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { translate, type Locale, type MessageKey } from "~/lib/i18n";
import { optionalLine } from "~/lib/forms";
import type { FactChange, LearningHost, LearningRecord, LearningSession, LearningYear } from "./learning.types";
import { anonymousName, mayName, type NameViewer } from "./names.server";
import { hitRateLimit } from "./rate-limits.server";
import { isHeld, voiceSnapshot } from "./voice.server";

export const learningRules = {
  // A member shares a handful of links (a register, an employer, a portfolio); more is a mistake.
  activeLinksMax: 20,
  // New links per member per day, so that withdrawing and making again cannot fill the database.
  newLinks: { limit: 30, windowMinutes: 24 * 60 },
  nameMax: 100,
};

/** Who reads the record: the member on their own page, or anyone (the PDF, the verification page). */
export type RecordReader = { names: NameViewer; forSelf: boolean };

export type Fact = { sessionId: number; minutes: number };

const years = new Map<string, Intl.DateTimeFormat>();

/** The calendar year of an instant in the community's time zone. */
export function yearOf(instant: number, timeZone = env().TZ_COMMUNITY): number {
  let format = years.get(timeZone);
  if (!format) years.set(timeZone, (format = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric" })));
  return Number(format.format(instant));
}

type AttendedRow = {
  session_id: number;
  initiative_id: number;
  title: string;
  hidden_at: number | null;
  starts_at: number;
  ends_at: number;
  learning_minutes: number | null;
  attendance_by: string | null;
};

type HostRow = { initiative_id: number; member_id: string; since: number; until: number; display_name: string; organisation: string; profile_visibility: string; deleted_at: number | null };

function hostName(row: HostRow, names: NameViewer): LearningHost {
  const locale = names.locale ?? "nl";
  if (row.deleted_at !== null) return { id: null, name: translate(locale, "member.former") };
  if (mayName(row.profile_visibility, names)) return { id: row.member_id, name: row.display_name };
  return { id: null, name: anonymousName(row.organisation, row.profile_visibility, names) };
}

/**
 * The member's record: attended sessions that were not cancelled, newest first, each with its
 * learning minutes (what the hosts gave it, or its length), the hosts who were hosts when it
 * started and the methods used (not hidden ones); totals per year (community time zone) and in all.
 * A hidden initiative's title is left out, except for a member reading their own record who may
 * read it (a host of it or a member with a voice, as elsewhere).
 */
export function learningRecord(memberId: string, reader: RecordReader, year: number | null = null): LearningRecord {
  const rows = db().all<AttendedRow>(sql`
    SELECT s.id AS session_id, s.initiative_id, i.title, i.hidden_at, s.starts_at, s.ends_at, s.learning_minutes, r.attendance_by
    FROM registrations r JOIN sessions s ON s.id = r.session_id JOIN initiatives i ON i.id = s.initiative_id
    WHERE r.member_id = ${memberId} AND r.attended_at IS NOT NULL AND s.cancelled_at IS NULL
    ORDER BY s.starts_at DESC, s.id DESC`);
  const zone = env().TZ_COMMUNITY;
  const inScope = rows.filter((r) => year === null || yearOf(r.starts_at, zone) === year);
  if (!inScope.length) return { sessions: [], years: [], total: { sessions: 0, minutes: 0 } };
  const hostRows = db().all<HostRow>(sql`
    SELECT h.initiative_id, h.member_id, h.since, h.until, m.display_name, m.organisation, m.profile_visibility, m.deleted_at
    FROM (SELECT initiative_id, member_id, since, ${Number.MAX_SAFE_INTEGER} AS until FROM hosts
          UNION ALL SELECT initiative_id, member_id, since, ended_at FROM host_terms) h
    JOIN members m ON m.id = h.member_id
    WHERE h.initiative_id IN (SELECT s.initiative_id FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.member_id = ${memberId} AND r.attended_at IS NOT NULL)
    ORDER BY h.since, h.member_id`);
  const hostsOf = new Map<number, HostRow[]>();
  for (const h of hostRows) hostsOf.set(h.initiative_id, [...(hostsOf.get(h.initiative_id) ?? []), h]);
  const methodRows = db().all<{ session_id: number; id: number; title: string }>(sql`
    SELECT sm.session_id, m.id, m.title
    FROM registrations r JOIN session_methods sm ON sm.session_id = r.session_id JOIN methods m ON m.id = sm.method_id
    WHERE r.member_id = ${memberId} AND r.attended_at IS NOT NULL AND m.hidden_at IS NULL
    ORDER BY m.title COLLATE NOCASE, m.id`);
  const methodsOf = new Map<number, { id: number; title: string }[]>();
  for (const m of methodRows) methodsOf.set(m.session_id, [...(methodsOf.get(m.session_id) ?? []), { id: m.id, title: m.title }]);
  const readsHidden = reader.forSelf ? hiddenReadable(memberId) : null;
  const sessions: LearningSession[] = inScope.map((r) => {
    const seen = new Set<string>();
    const hosts: LearningHost[] = [];
    for (const h of hostsOf.get(r.initiative_id) ?? []) {
      if (h.since > r.starts_at || h.until <= r.starts_at || seen.has(h.member_id)) continue;
      seen.add(h.member_id);
      hosts.push(hostName(h, reader.names));
    }
    const titleShown = r.hidden_at === null || (readsHidden !== null && (readsHidden.voice || readsHidden.hosting.has(r.initiative_id)));
    return {
      sessionId: r.session_id,
      initiative: titleShown ? { id: r.initiative_id, title: r.title } : null,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      minutes: r.learning_minutes ?? Math.max(0, Math.round((r.ends_at - r.starts_at) / 60_000)),
      year: yearOf(r.starts_at, zone),
      attendance: r.attendance_by === "code" ? "code" : "host",
      hosts,
      methods: methodsOf.get(r.session_id) ?? [],
    };
  });
  const byYear = new Map<number, LearningYear>();
  for (const s of sessions) {
    const y = byYear.get(s.year) ?? { year: s.year, sessions: 0, minutes: 0 };
    y.sessions += 1;
    y.minutes += s.minutes;
    byYear.set(s.year, y);
  }
  return {
    sessions,
    years: [...byYear.values()].sort((a, b) => b.year - a.year),
    total: { sessions: sessions.length, minutes: sessions.reduce((sum, s) => sum + s.minutes, 0) },
  };
}

/** Whether the member may read hidden initiatives' titles: with a voice, or as a host of it. */
function hiddenReadable(memberId: string) {
  const hosting = new Set(db().all<{ initiative_id: number }>(sql`SELECT initiative_id FROM hosts WHERE member_id = ${memberId}`).map((r) => r.initiative_id));
  return { voice: voiceSnapshot().hasVoice(memberId), hosting };
}

/** The facts a link keeps: each session and its minutes, in session order. */
export function factsOf(record: LearningRecord): Fact[] {
  return record.sessions.map((s) => ({ sessionId: s.sessionId, minutes: s.minutes })).sort((a, b) => a.sessionId - b.sessionId);
}

/** What changed between the facts a link kept and the record now: removed, added, other hours. */
export function factChanges(then: Fact[], record: LearningRecord): FactChange[] {
  const now = new Map(record.sessions.map((s) => [s.sessionId, s]));
  const before = new Map(then.map((f) => [f.sessionId, f.minutes]));
  const changes: FactChange[] = [];
  const gone = then.filter((f) => !now.has(f.sessionId)).map((f) => f.sessionId);
  const goneDetails = new Map<number, { starts_at: number; title: string; hidden_at: number | null }>();
  if (gone.length) {
    const rows = db().all<{ id: number; starts_at: number; title: string; hidden_at: number | null }>(sql`
      SELECT s.id, s.starts_at, i.title, i.hidden_at FROM sessions s JOIN initiatives i ON i.id = s.initiative_id
      WHERE s.id IN (${sql.join(gone.map((id) => sql`${id}`), sql`, `)})`);
    for (const r of rows) goneDetails.set(r.id, r);
  }
  for (const f of then) {
    const current = now.get(f.sessionId);
    if (!current) {
      const detail = goneDetails.get(f.sessionId);
      changes.push({ sessionId: f.sessionId, kind: "removed", minutesThen: f.minutes, minutesNow: null, startsAt: detail?.starts_at ?? null, title: detail && detail.hidden_at === null ? detail.title : null });
    } else if (current.minutes !== f.minutes) {
      changes.push({ sessionId: f.sessionId, kind: "changed", minutesThen: f.minutes, minutesNow: current.minutes, startsAt: current.startsAt, title: current.initiative?.title ?? null });
    }
  }
  for (const s of record.sessions) {
    if (!before.has(s.sessionId)) changes.push({ sessionId: s.sessionId, kind: "added", minutesThen: null, minutesNow: s.minutes, startsAt: s.startsAt, title: s.initiative?.title ?? null });
  }
  return changes.sort((a, b) => (b.startsAt ?? 0) - (a.startsAt ?? 0) || a.sessionId - b.sessionId);
}

// Codes: 18 random bytes (144 bits) in base64url, 24 characters; nothing else is looked up.
const codePattern = /^[A-Za-z0-9_-]{24}$/;

export function newLinkCode() {
  return randomBytes(18).toString("base64url");
}

export function isLinkCode(value: string) {
  return codePattern.test(value);
}

export class LearningLinkRefusal extends Error {
  constructor(
    readonly messageKey: MessageKey,
    readonly status: number,
    readonly field: "scope" | "name" | "form" = "form",
  ) {
    super(messageKey);
  }
}

/** The form that makes a link: the period ("all" or a year) and the name the record shows. */
export const learningLinkForm = z.object({
  scope: z.string({ error: "learning.scope.invalid" }).regex(/^(all|\d{4})$/, { error: "learning.scope.invalid" }),
  // One line: a name, not a message.
  name: optionalLine(learningRules.nameMax, "learning.name.tooLong"),
});

export type LearningLinkInput = z.output<typeof learningLinkForm>;

/** Whoever reads a shared record: a visitor, in `locale`. */
export function publicReader(locale: Locale): RecordReader {
  return { names: { memberId: null, locale }, forSelf: false };
}

/**
 * Makes a verification link and returns its code. Refused: a held member (the name is shown to
 * anyone, like a post), more than 20 links that still work, too many new ones today, a period in
 * which the member attended nothing. One transaction: concurrent requests never pass 20.
 */
export function makeLearningLink(member: { id: string; displayName: string }, input: LearningLinkInput, now = new Date()): string {
  if (isHeld(member.id)) throw new LearningLinkRefusal("learning.links.held", 403);
  const year = input.scope === "all" ? null : Number(input.scope);
  const name = input.name || member.displayName;
  if (!hitRateLimit(`learning-link:${member.id}`, learningRules.newLinks, now.getTime()).allowed) throw new LearningLinkRefusal("learning.links.rate", 429);
  return db().transaction((tx) => {
    const active = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM learning_links WHERE member_id = ${member.id} AND withdrawn_at IS NULL`).n;
    if (active >= learningRules.activeLinksMax) throw new LearningLinkRefusal("learning.links.limit", 409);
    const record = learningRecord(member.id, publicReader("nl"), year);
    if (!record.sessions.length) throw new LearningLinkRefusal(year === null ? "learning.links.emptyRecord" : "learning.scope.invalid", 400, "scope");
    const code = newLinkCode();
    tx.insert(learningLinks).values({ code, memberId: member.id, year, name, facts: factsOf(record), createdAt: now }).run();
    return code;
  }, { behavior: "immediate" });
}

/**
 * Withdraws one of the member's own links; a link already withdrawn stays as it was. Someone
 * else's link, or one that does not exist, is the same refusal: nobody learns which codes exist.
 */
export function withdrawLearningLink(memberId: string, code: string, now = new Date()) {
  if (!isLinkCode(code)) throw new LearningLinkRefusal("learning.link.unknown", 404);
  db().transaction((tx) => {
    const link = tx.select({ withdrawnAt: learningLinks.withdrawnAt }).from(learningLinks).where(and(eq(learningLinks.code, code), eq(learningLinks.memberId, memberId))).get();
    if (!link) throw new LearningLinkRefusal("learning.link.unknown", 404);
    if (link.withdrawnAt) return;
    tx.update(learningLinks).set({ withdrawnAt: now }).where(and(eq(learningLinks.code, code), isNull(learningLinks.withdrawnAt))).run();
  }, { behavior: "immediate" });
}

export type StoredLink = typeof learningLinks.$inferSelect;

/** The member's links: those that work, then the latest withdrawn ones; newest first. */
export function linksOf(memberId: string): StoredLink[] {
  return db()
    .select()
    .from(learningLinks)
    .where(eq(learningLinks.memberId, memberId))
    .orderBy(sql`${learningLinks.withdrawnAt} IS NOT NULL`, desc(learningLinks.createdAt), desc(learningLinks.code))
    .limit(learningRules.activeLinksMax + 30)
    .all();
}

/** A link by its code, with whether its member is still in the network; null for a code that is not one. */
export function linkByCode(code: string) {
  if (!isLinkCode(code)) return null;
  return db().get<{ code: string; member_id: string; year: number | null; name: string; facts: string; created_at: number; withdrawn_at: number | null; deleted_at: number | null }>(sql`
    SELECT l.code, l.member_id, l.year, l.name, l.facts, l.created_at, l.withdrawn_at, m.deleted_at
    FROM learning_links l JOIN members m ON m.id = l.member_id WHERE l.code = ${code}`) ?? null;
}

/** The facts a stored link kept (a JSON list written by makeLearningLink). */
export function storedFacts(json: string): Fact[] {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((f): f is Fact => !!f && typeof f.sessionId === "number" && typeof f.minutes === "number");
  } catch {
    return [];
  }
}

/** The address of a verification page. */
export function verifyPath(code: string) {
  return `/verify/${code}`;
}
