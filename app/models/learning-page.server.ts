// The pages of the record of learning, one question each: the member's own page
// (/settings/learning), the PDF, and the public verification page (/verify/:code).
import { env } from "~/lib/env.server";
import { isLocale, translate, type Locale } from "~/lib/i18n";
import { learningPdfPlan } from "~/lib/learning-pdf.server";
import { pageOf } from "~/lib/paging";
import { drawPdf } from "~/lib/pdf-worker.server";
import { learningRules, factChanges, isLinkCode, learningRecord, linkByCode, linksOf, publicReader, storedFacts, verifyPath, type StoredLink } from "./learning.server";
import type { FactChange, LearningLinkView, LearningRecord, SessionListing } from "./learning.types";

type Member = { id: string; displayName: string };

function linkView(link: StoredLink, origin: string, current: (year: number | null) => LearningRecord): LearningLinkView {
  return {
    code: link.code,
    url: origin + verifyPath(link.code),
    year: link.year,
    name: link.name,
    createdAt: link.createdAt.getTime(),
    withdrawnAt: link.withdrawnAt?.getTime() ?? null,
    matches: factChanges(link.facts, current(link.year)).length === 0,
  };
}

/**
 * A record with more sessions than this lists one year's at a time (`?year=`, the newest year
 * unless another is asked), and as many at most per page (`&page=`): a list of years of weekly
 * evenings is long to scroll on a phone, and the page cost the server 0.3 s for 1,950 sessions.
 * The totals show every year either way, and the PDF every session.
 */
const listAllUpTo = 100;

/** What a page of the record was asked for: `?year=` and `&page=`, as typed. */
export type ListingAsked = { year: string | null; page: string | null };

/** The record with the sessions its page lists, and which year and page of them that is (null: all of them). */
function listing(record: LearningRecord, asked: ListingAsked): { record: LearningRecord; listing: SessionListing | null } {
  if (record.sessions.length <= listAllUpTo) return { record, listing: null };
  const wanted = asked.year && /^\d{4}$/.test(asked.year) ? Number(asked.year) : null;
  const year = record.years.some((y) => y.year === wanted) ? wanted! : record.years[0].year;
  const { rows, ...shown } = pageOf(record.sessions.filter((s) => s.year === year), asked.page, listAllUpTo);
  return { record: { ...record, sessions: rows }, listing: { year, ...shown } };
}

/**
 * /settings/learning: the member's record as they may read it (a year and page of its sessions
 * when it is long), their links with their state, and what they may do. Whether a link still
 * matches is decided on the public record, as its visitors see it.
 */
export function learningPage(member: Member, locale: Locale, origin: string, asked: ListingAsked) {
  const listed = listing(learningRecord(member.id, { names: { memberId: member.id, locale }, forSelf: true }), asked);
  const record = listed.record;
  const publicRecords = new Map<number | null, LearningRecord>();
  const current = (year: number | null) => {
    if (!publicRecords.has(year)) publicRecords.set(year, learningRecord(member.id, publicReader(locale), year));
    return publicRecords.get(year)!;
  };
  const links = linksOf(member.id).map((link) => linkView(link, origin, current));
  const active = links.filter((l) => l.withdrawnAt === null).length;
  return {
    record,
    listing: listed.listing,
    links,
    defaultName: member.displayName,
    nameMax: learningRules.nameMax,
    activeMax: learningRules.activeLinksMax,
    can: { makeLink: record.sessions.length > 0 && active < learningRules.activeLinksMax },
  };
}

export type VerificationPage =
  | { state: "unknown" }
  | { state: "withdrawn"; withdrawnAt: number }
  | { state: "shown"; code: string; title: string; name: string; year: number | null; createdAt: number; record: LearningRecord; listing: SessionListing | null; changes: FactChange[] };

/**
 * /verify/:code for anyone: the facts now, as a visitor may read them (hosts' names as on every
 * public page, no hidden initiative's title; a year and page of the sessions when the record is
 * long), and what changed since the link was made. A link whose member left the network no
 * longer exists.
 */
export function verificationPage(code: string, locale: Locale, asked: ListingAsked): VerificationPage {
  const link = linkByCode(code);
  if (!link || link.deleted_at !== null) return { state: "unknown" };
  if (link.withdrawn_at !== null) return { state: "withdrawn", withdrawnAt: link.withdrawn_at };
  const whole = learningRecord(link.member_id, publicReader(locale), link.year);
  const listed = listing(whole, asked);
  return {
    state: "shown",
    code,
    title: translate(locale, "verify.title", { name: link.name }),
    name: link.name,
    year: link.year,
    createdAt: link.created_at,
    record: listed.record,
    listing: listed.listing,
    changes: factChanges(storedFacts(link.facts), whole),
  };
}

export type LearningPdfRequest = { year: number | null; code: string | null };

/**
 * What the PDF shows: a link's name, period and address when one is asked for (or the newest
 * working link for the same period), otherwise the display name; hosts and titles as anyone may
 * read them, because a PDF is made to be passed on. Null: that link is not the member's.
 */
export function learningPdfContent(member: Member, locale: Locale, origin: string, asked: LearningPdfRequest) {
  const links = linksOf(member.id).filter((l) => l.withdrawnAt === null);
  const link = asked.code ? links.find((l) => l.code === asked.code) : links.find((l) => l.year === asked.year);
  if (asked.code && !link) return null;
  const year = link ? link.year : asked.year;
  return {
    name: link?.name ?? member.displayName,
    year,
    verifyUrl: link ? origin + verifyPath(link.code) : null,
    record: learningRecord(member.id, publicReader(locale), year),
  };
}

/**
 * The PDF download: `lang` nl or en (or the reader's language), `year` a year or the whole record,
 * `code` one of the member's working links. A malformed query is a bad request; "busy" when too
 * many PDFs are waiting to be drawn.
 */
export async function learningPdfDownload(member: Member, query: { lang: string | null; year: string | null; code: string | null }, readerLocale: Locale, origin: string) {
  if ((query.lang && !isLocale(query.lang)) || (query.year && !/^\d{4}$/.test(query.year)) || (query.code && !isLinkCode(query.code))) return "bad-request" as const;
  const locale = isLocale(query.lang) ? query.lang : readerLocale;
  const content = learningPdfContent(member, locale, origin, { year: query.year ? Number(query.year) : null, code: query.code || null });
  if (!content) return "not-found" as const;
  const madeAt = Date.now();
  const bytes = await drawPdf(learningPdfPlan({ ...content, siteUrl: origin, madeAt, timeZone: env().TZ_COMMUNITY }, locale), member.id);
  if (bytes === "busy") return bytes;
  // ASCII only, so that every browser and mail program keeps the name.
  const filename = `${locale === "en" ? "record-of-learning" : "leerverslag"}-${content.year ?? (locale === "en" ? "all" : "alles")}-${new Date(madeAt).toISOString().slice(0, 10)}.pdf`;
  return { bytes, filename };
}
