// Who may see a member's name (issue 12, "members-only means members-only"). Members see every
// name. A visitor (not logged in) sees the names of public profiles only; anyone else appears as
// "a member", or "a member from <organisation>" when they chose to show their organisation. Every
// page, feed, calendar and card that names a person asks here, so the rule lives in one place.
import { sql } from "drizzle-orm";
import { db } from "~/lib/db.server";
import { defaultLocale, translate, type Locale } from "~/lib/i18n";
import { resolveLocale } from "~/lib/i18n/locale.server";

export const profileVisibilities = ["public", "organisation", "members"] as const;
export type ProfileVisibility = (typeof profileVisibilities)[number];

/** Who is looking: a logged-in member, or a visitor (memberId null) reading in `locale`. */
export type NameViewer = { memberId: string | null; locale?: Locale };

/** The public feeds (Atom, calendars) are read without logging in, in the network's language. */
export const visitor: NameViewer = { memberId: null, locale: defaultLocale };

/** Whatever only members receive (the digest mail): every name may be read there. */
export const anyMember: NameViewer = { memberId: "*", locale: defaultLocale };

/** The viewer of a request, from the member its loader already looked up (or none). */
export function nameViewer(request: Request, member: { id: string; locale?: Locale | null } | null | undefined): NameViewer {
  return { memberId: member?.id ?? null, locale: resolveLocale(request, member?.locale ?? null) };
}

/** A member as stored: the name, organisation and who may see them. */
export type NamedMember = { id: string; displayName: string; organisation: string; visibility: string };

/** A member as a page shows them; id null when the viewer may not know who it is (no profile link). */
export type ShownMember = { id: string | null; displayName: string; organisation: string };

/** Whether the viewer may see who this is. */
export function mayName(visibility: string, viewer: NameViewer) {
  return visibility === "public" || viewer.memberId !== null;
}

/** Whether the viewer may see the member's organisation (also when the name stays hidden). */
export function mayShowOrganisation(visibility: string, viewer: NameViewer) {
  return visibility === "public" || visibility === "organisation" || viewer.memberId !== null;
}

/** What stands in for a member the viewer may not see. */
export function anonymousName(organisation: string, visibility: string, viewer: NameViewer) {
  const locale = viewer.locale ?? defaultLocale;
  return visibility === "organisation" && organisation ? translate(locale, "member.someoneFrom", { organisation }) : translate(locale, "member.someone");
}

export function publicName(member: NamedMember, viewer: NameViewer): ShownMember {
  if (mayName(member.visibility, viewer)) return { id: member.id, displayName: member.displayName, organisation: member.organisation };
  // The organisation, when shown, is part of the stand-in ("a member from X"), not a second field.
  return { id: null, displayName: anonymousName(member.organisation, member.visibility, viewer), organisation: "" };
}

/** Just the name to show. */
export function shownName(member: NamedMember, viewer: NameViewer) {
  return publicName(member, viewer).displayName;
}

/** SQL: only members the viewer may name (lists of people: the directory, "now", the digest's). */
export function nameVisibleSql(alias: string, includeMembersOnly: boolean) {
  return includeMembersOnly ? sql`` : sql`AND ${sql.raw(alias)}profile_visibility = 'public'`;
}

/** SQL: members whose organisation counts in what visitors see (the network's organisations). */
export function organisationVisibleSql(alias: string, includeMembersOnly: boolean) {
  return includeMembersOnly ? sql`` : sql`AND ${sql.raw(alias)}profile_visibility IN ('public', 'organisation')`;
}

// Proposals that name a member.
// A held member's proposal is titled "Mag <name> weer berichten plaatsen?" and names them in its
// body (flags.server.ts). The stored text stays for members; others read it with the stand-in.

type Subject = NamedMember & { deleted: boolean };
const heldTitle = /^Mag (.+) weer berichten plaatsen\?$/s;

/** The members that these proposals are about (restore-posting), by proposal id. */
function proposalSubjects(ids: number[]): Map<number, Subject> {
  const subjects = new Map<number, Subject>();
  const unique = [...new Set(ids)];
  if (!unique.length) return subjects;
  const rows = db().all<{ proposal_id: number; id: string; display_name: string; organisation: string; profile_visibility: string; deleted_at: number | null }>(sql`
    SELECT p.id AS proposal_id, m.id, m.display_name, m.organisation, m.profile_visibility, m.deleted_at
    FROM proposals p JOIN members m ON m.id = json_extract(p.effect, '$.memberId')
    WHERE p.id IN (${sql.join(unique.map((id) => sql`${id}`), sql`, `)}) AND json_extract(p.effect, '$.type') = 'restore-posting'`);
  for (const r of rows) {
    subjects.set(r.proposal_id, { id: r.id, displayName: r.display_name, organisation: r.organisation, visibility: r.profile_visibility, deleted: r.deleted_at !== null });
  }
  return subjects;
}

/**
 * Titles and texts of these proposals as the viewer may read them: for one about a member the
 * viewer may not see (or who left), the name is replaced by the stand-in.
 */
export function proposalNaming(ids: number[], viewer: NameViewer) {
  const subjects = proposalSubjects(ids);
  const locale = viewer.locale ?? defaultLocale;
  const standIn = (id: number) => {
    const subject = subjects.get(id);
    if (!subject) return null;
    if (subject.deleted) return translate(locale, "member.former");
    return mayName(subject.visibility, viewer) ? null : anonymousName(subject.organisation, subject.visibility, viewer);
  };
  // The name as it was written (the title keeps the name of the day it opened) and as it is now.
  const namesIn = (id: number, title: string) => {
    const subject = subjects.get(id)!;
    return [heldTitle.exec(title)?.[1], subject.displayName].filter((n): n is string => !!n && n.trim() !== "");
  };
  return {
    title(id: number, title: string) {
      const name = standIn(id);
      return name === null ? title : translate(locale, "proposal.restorePosting.title", { name });
    },
    text(id: number, title: string, text: string) {
      const name = standIn(id);
      if (name === null) return text;
      return namesIn(id, title).reduce((result, known) => result.split(known).join(name), text);
    },
  };
}
