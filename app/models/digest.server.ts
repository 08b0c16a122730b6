// The weekly digest (the newsletter): what happened in one ISO week, in the community's time
// zone, shown on /digest and mailed on Monday morning to members who opted in.
import { sql } from "drizzle-orm";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import type { Locale, Translate } from "~/lib/i18n";
import { queueMemberMail, siteUrl } from "~/lib/mail.server";
import { markdownToText } from "~/lib/mail-text.server";
import { formatDateTime, parseLocalDateTime, toLocalDateTimeInput } from "~/lib/time";
import { proposalOnHiddenInitiative } from "./log.server";
import { methodsChangedBetween } from "./methods.server";
import { anyMember, nameVisibleSql, proposalNaming, shownName, visitor, type NameViewer } from "./names.server";
import { mayTakePart } from "./proposals.server";

const dayMs = 86_400_000;

export type IsoWeek = { year: number; week: number };

/** "2026-W48" for a week. */
export function weekLabel({ year, week }: IsoWeek) {
  return `${year}-W${String(week).padStart(2, "0")}`;
}

// The Monday (as a UTC date at midnight) of ISO week 1: the week with 4 January in it.
function firstMonday(year: number) {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * dayMs;
}

function weeksIn(year: number) {
  return Math.round((firstMonday(year + 1) - firstMonday(year)) / (7 * dayMs));
}

/** Reads "2026-W48"; null for anything that is not a real ISO week. */
export function parseWeek(value: string): IsoWeek | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (year < 2000 || year > 9998 || week < 1 || week > weeksIn(year)) return null;
  return { year, week };
}

// The ISO week of a calendar date given as a UTC midnight.
function weekOfDate(dateUtc: number): IsoWeek {
  const thursday = dateUtc + (3 - ((new Date(dateUtc).getUTCDay() + 6) % 7)) * dayMs;
  const year = new Date(thursday).getUTCFullYear();
  return { year, week: Math.floor((thursday - firstMonday(year)) / (7 * dayMs)) + 1 };
}

/** The ISO week an instant falls in, in the community's time zone. */
export function weekOf(instant: Date | number, timeZone = env().TZ_COMMUNITY): IsoWeek {
  const [y, m, d] = toLocalDateTimeInput(instant, timeZone).slice(0, 10).split("-").map(Number);
  return weekOfDate(Date.UTC(y, m - 1, d));
}

export function shiftWeek(week: IsoWeek, by: number): IsoWeek {
  return weekOfDate(firstMonday(week.year) + (week.week - 1 + by) * 7 * dayMs);
}

function localMidnight(dateUtc: number, timeZone: string) {
  const date = new Date(dateUtc).toISOString().slice(0, 10);
  return (parseLocalDateTime(`${date}T00:00`, timeZone) ?? parseLocalDateTime(`${date}T01:00`, timeZone) ?? new Date(dateUtc)).getTime();
}

/** Monday 00:00 up to (not including) the next Monday 00:00, local time, as UTC instants. */
export function weekRange(week: IsoWeek, timeZone = env().TZ_COMMUNITY) {
  const monday = firstMonday(week.year) + (week.week - 1) * 7 * dayMs;
  return { start: localMidnight(monday, timeZone), end: localMidnight(monday + 7 * dayMs, timeZone) };
}

export function compareWeeks(a: IsoWeek, b: IsoWeek) {
  return a.year - b.year || a.week - b.week;
}

export type Digest = {
  week: string;
  start: number;
  end: number;
  upcomingFrom: number;
  initiatives: { id: number; title: string; summary: string; kind: string }[];
  sessions: { id: number; initiativeId: number; title: string; startsAt: number; place: string }[];
  outcomes: { id: number; initiativeId: number; title: string; body: string; author: string | null; createdAt: number }[];
  decisions: { id: number; title: string; adopted: boolean; closedAt: number }[];
  nowUpdates: { memberId: string; name: string; text: string; createdAt: number }[];
  /** New and improved working methods of the week. */
  methods: { id: number; title: string; purpose: string; isNew: boolean }[];
  // Open at the end of the week (or now, while it runs); still open now when `open` is true.
  openProposals: { id: number; title: string; scope: string; initiativeId: number | null; deadline: number; open: boolean }[];
};

/**
 * What happened in a week. Upcoming sessions are those of the 7 days after the week (or after
 * `now` while the week is still running). Hidden content, decisions about it and people who left
 * are left out; `forMembers` (the mail, or a member reading the page) includes "now" updates of
 * profiles visible to members only, and their names; otherwise people are named as a visitor may
 * see them (names.server.ts), in `locale`.
 */
export function digestFor(week: IsoWeek, options: { now?: Date; forMembers?: boolean; locale?: Locale } = {}): Digest {
  const viewer: NameViewer = options.forMembers ? anyMember : { memberId: null, locale: options.locale };
  const now = (options.now ?? new Date()).getTime();
  const { start, end } = weekRange(week);
  const upcomingFrom = Math.min(end, Math.max(now, start));
  const d = db();
  const initiatives = d
    .all<{ id: number; title: string; summary: string; kind: string }>(sql`
    SELECT id, title, summary, kind FROM initiatives
    WHERE created_at >= ${start} AND created_at < ${end} AND hidden_at IS NULL
    ORDER BY created_at, id LIMIT 100`).map((r) => ({ ...r, summary: excerpt(r.summary, 200, 2) }));
  const sessions = d
    .all<{ id: number; initiative_id: number; title: string; starts_at: number; place: string }>(sql`
    SELECT s.id, s.initiative_id, i.title, s.starts_at, s.place FROM sessions s JOIN initiatives i ON i.id = s.initiative_id
    WHERE s.starts_at >= ${upcomingFrom} AND s.starts_at < ${upcomingFrom + 7 * dayMs} AND s.cancelled_at IS NULL AND i.hidden_at IS NULL
    ORDER BY s.starts_at, s.id LIMIT 100`)
    .map((r) => ({ id: r.id, initiativeId: r.initiative_id, title: r.title, startsAt: r.starts_at, place: r.place }));
  const outcomes = d
    .all<{ id: number; initiative_id: number; title: string; body: string; member_id: string; author: string; organisation: string; profile_visibility: string; deleted_at: number | null; created_at: number }>(sql`
    SELECT o.id, o.initiative_id, i.title, o.body, o.member_id, m.display_name AS author, m.organisation, m.profile_visibility, m.deleted_at, o.created_at
    FROM outcomes o JOIN initiatives i ON i.id = o.initiative_id JOIN members m ON m.id = o.member_id
    WHERE o.created_at >= ${start} AND o.created_at < ${end} AND o.hidden_at IS NULL AND i.hidden_at IS NULL
    ORDER BY o.created_at, o.id LIMIT 100`)
    .map((r) => ({ id: r.id, initiativeId: r.initiative_id, title: r.title, body: excerpt(r.body), author: r.deleted_at ? null : shownName({ id: r.member_id, displayName: r.author, organisation: r.organisation, visibility: r.profile_visibility }, viewer), createdAt: r.created_at }));
  const decisionRows = d.all<{ id: number; title: string; outcome: string | null; closed_at: number }>(sql`
    SELECT p.id, p.title, p.outcome, p.closed_at FROM proposals p
    WHERE p.closed_at >= ${start} AND p.closed_at < ${end} AND NOT ${proposalOnHiddenInitiative("p")}
    ORDER BY p.closed_at, p.id LIMIT 100`);
  const naming = proposalNaming(decisionRows.map((r) => r.id), viewer);
  const decisions = decisionRows
    .map((r) => ({ id: r.id, title: naming.title(r.id, r.title), adopted: r.outcome ? (JSON.parse(r.outcome) as { adopted?: boolean }).adopted === true : false, closedAt: r.closed_at }));
  const nowUpdates = d
    .all<{ member_id: string; name: string; text: string; created_at: number }>(sql`
    SELECT n.member_id, m.display_name AS name, n.text, n.created_at FROM now_updates n JOIN members m ON m.id = n.member_id
    WHERE n.created_at >= ${start} AND n.created_at < ${end} AND m.deleted_at IS NULL
      ${nameVisibleSql("m.", !!options.forMembers)}
    ORDER BY n.created_at, n.id LIMIT 100`)
    .map((r) => ({ memberId: r.member_id, name: r.name, text: excerpt(r.text, 280, 3), createdAt: r.created_at }));
  const openAt = Math.min(end, now);
  const openRows = d.all<{ id: number; title: string; scope: string; initiative_id: number | null; deadline: number; closed_at: number | null }>(sql`
    SELECT p.id, p.title, p.scope, p.initiative_id, p.deadline, p.closed_at FROM proposals p
    WHERE p.opened_at < ${openAt} AND p.deadline > ${openAt} AND (p.closed_at IS NULL OR p.closed_at > ${openAt}) AND NOT ${proposalOnHiddenInitiative("p")}
    ORDER BY p.deadline, p.id LIMIT 100`);
  const openNaming = proposalNaming(openRows.map((r) => r.id), viewer);
  const openProposals = openRows.map((r) => ({
    id: r.id, title: openNaming.title(r.id, r.title), scope: r.scope, initiativeId: r.initiative_id, deadline: r.deadline, open: r.closed_at === null && r.deadline > now,
  }));
  return { week: weekLabel(week), start, end, upcomingFrom, initiatives, sessions, outcomes, decisions, nowUpdates, openProposals, methods: methodsChangedBetween(start, end) };
}

/** The page of one week, with its neighbours, as `viewer` may read it; null for a week that has not started yet. */
export function digestPage(week: IsoWeek, now = new Date(), viewer: NameViewer = visitor) {
  const current = weekOf(now);
  const order = compareWeeks(week, current);
  if (order > 0) return null;
  const digest = digestFor(week, { now, forMembers: viewer.memberId !== null, locale: viewer.locale });
  const began = db().get<{ at: number | null }>(sql`SELECT min(created_at) AS at FROM members`).at;
  const firstWeek = began === null ? null : weekOf(began);
  return {
    digest,
    // The open proposals on which this reader's voice is asked (a visitor: none, and a line says who is).
    asked: viewer.memberId ? askedOf(digest, viewer.memberId, now.getTime()) : [],
    forMembers: viewer.memberId !== null,
    // Back to the week the network began (its first account), not through the years before it.
    previous: firstWeek && compareWeeks(week, firstWeek) > 0 ? weekLabel(shiftWeek(week, -1)) : null,
    next: order < 0 ? weekLabel(shiftWeek(week, 1)) : null,
    isCurrent: order === 0,
  };
}

/** The proposals still open on which `memberId` may respond. */
function askedOf(digest: Digest, memberId: string, now: number) {
  return digest.openProposals.filter((p) => p.open && mayTakePart(p, memberId, now)).map((p) => p.id);
}

/**
 * The start of a text as clean text (the same on the page and in the mail): markdown becomes its
 * words, lines and list items, and a shortened text ends after a whole word, with "…".
 */
export function excerpt(markdown: string, maxChars = 280, maxLines = 8) {
  const text = markdownToText(markdown).replace(/\n{2,}/g, "\n");
  const lines = text.split("\n");
  let cut = lines.length > maxLines ? lines.slice(0, maxLines).join("\n") : text;
  const chars = [...cut];
  if (chars.length > maxChars) {
    const room = chars.slice(0, maxChars).join("");
    // The last word that fits whole; a text with no space in reach (one long address) goes entirely.
    const space = /\s/.test(chars[maxChars] ?? "") ? room.length : room.search(/\s\S*$/);
    cut = space > 0 ? room.slice(0, space) : "";
  }
  if (cut === text) return text;
  return `${cut.replace(/[\s(:;,–—-]+$/, "")}…`;
}

/** Further lines of a list item in the mail's text, indented under it. */
const indented = (text: string) => text.replace(/\n/g, "\n  ");

export function isEmpty(digest: Digest) {
  return !digest.initiatives.length && !digest.sessions.length && !digest.outcomes.length && !digest.decisions.length && !digest.nowUpdates.length && !digest.methods.length && !digest.openProposals.length;
}

/** The digest as a plain-text mail in one language (sent with an HTML part made from it: mail.server.ts). */
export function composeDigestMail(digest: Digest, t: Translate, locale: string, asked: number[] = []) {
  const zone = env().TZ_COMMUNITY;
  const parts: string[] = [t("digest.mail.intro", { week: digest.week })];
  const section = (titleKey: Parameters<Translate>[0], lines: string[]) => {
    if (lines.length) parts.push(`${t(titleKey)}\n${lines.join("\n")}`);
  };
  section("digest.initiatives", digest.initiatives.map((i) => `- ${i.title}: ${indented(i.summary)}\n  ${siteUrl(`/initiatives/${i.id}`)}`));
  section("digest.sessions", digest.sessions.map((s) => `- ${formatDateTime(s.startsAt, locale, zone)}: ${s.title}${s.place ? ` (${s.place})` : ""}\n  ${siteUrl(`/sessions/${s.id}`)}`));
  // An excerpt of one line follows its heading; one with more lines (a list…) goes under it.
  section("digest.outcomes", digest.outcomes.map((o) => `- ${o.title} — ${o.author ?? t("member.former")}:${o.body.includes("\n") ? "\n  " : " "}${indented(o.body)}\n  ${siteUrl(`/initiatives/${o.initiativeId}`)}`));
  section("digest.decisions", digest.decisions.map((p) => `- ${p.title}: ${t(p.adopted ? "digest.adopted" : "digest.notAdopted")}\n  ${siteUrl(`/proposals/${p.id}`)}`));
  section("digest.now", digest.nowUpdates.map((n) => `- ${n.name}: ${indented(n.text)}`));
  section("method.digest", digest.methods.map((m) => `- ${m.title} (${t(m.isNew ? "method.digest.new" : "method.digest.improved")}): ${indented(m.purpose)}\n  ${siteUrl(`/methods/${m.id}`)}`));
  section("digest.open", digest.openProposals.filter((p) => p.open).map((p) => `- ${p.title} (${t("digest.open.until", { date: formatDateTime(p.deadline, locale, zone) })})${asked.includes(p.id) ? ` — ${t("digest.open.mailYourVoice")}` : ""}\n  ${siteUrl(`/proposals/${p.id}`)}`));
  if (isEmpty(digest)) parts.push(t("digest.empty"));
  parts.push(t("digest.mail.online", { url: siteUrl(`/digest/${digest.week}`) }));
  return { subject: t("digest.mail.subject", { week: digest.week }), body: parts.join("\n\n") };
}

// Sent from Monday 07:00 (community time) for the week that just ended.
const sendFromHour = 7;

/**
 * Queues last week's digest for every member who opted in and has not had it yet. The dedupe key
 * `digest:<week>:<member>` makes this safe to run every scheduler tick and across restarts.
 */
/** The newest week whose digest is due: last week from Monday 07:00 on, before that the week before. */
export function dueDigestWeek(now = new Date(), zone = env().TZ_COMMUNITY): IsoWeek {
  const thisWeek = weekOf(now, zone);
  const sendingStarted = now.getTime() >= weekRange(thisWeek, zone).start + sendFromHour * 3_600_000;
  return shiftWeek(thisWeek, sendingStarted ? -1 : -2);
}

export function queueWeeklyDigests(now = new Date()): number {
  const dueWeek = dueDigestWeek(now);
  const week = weekLabel(dueWeek);
  const due = db().all<{ id: string }>(sql`
    SELECT id FROM members m
    WHERE digest_opt_in = 1 AND deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM json_each(m.mail_off) WHERE value = 'digest')
      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'digest:' || ${week} || ':' || m.id)`);
  if (!due.length) return 0;
  const digest = digestFor(dueWeek, { now, forMembers: true });
  return db().transaction((tx) => {
    for (const { id } of due) {
      const asked = askedOf(digest, id, now.getTime());
      queueMemberMail(tx, { memberId: id, kind: "digest", dedupeKey: `digest:${week}:${id}`, now, compose: (t, locale) => composeDigestMail(digest, t, locale, asked) });
    }
    return due.length;
  }, { behavior: "immediate" });
}
