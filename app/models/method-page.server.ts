// The pages of working methods (/methods/…) as this viewer may see them, with the viewer's rights
// decided here: hidden methods (governance.md §4), who edits, who flags.
import { sql } from "drizzle-orm";
import { db } from "~/lib/db.server";
import { changedWithContext, diffMethodField } from "~/lib/method-diff";
import { env } from "~/lib/env.server";
import { renderMarkdown } from "~/lib/markdown.server";
import type { MethodFieldView, MethodHistoryPage, MethodPage, MethodUse } from "./methods.types";
import { flagsOn } from "./flags.server";
import { editWaiting, hiddenEditRefusal } from "./hidden-edits.server";
import { authorEditOpen, editRefusal, getMethod, listMethods, mayAddMethod, methodFieldNames, methodVersionsOf, parseMethodCursor, type MethodRow } from "./methods.server";
import { plainExcerpt } from "./contributions.server";
import { publicName, type NameViewer } from "./names.server";
import type { PageViewer } from "./session-page.server";
import { currentRuleHeadings } from "./proposals.server";
import { isHeld, voiceSnapshot } from "./voice.server";

type Access = { hasVoice: boolean; isWitness: boolean; held: boolean; isAuthor: boolean; canRead: boolean };

function accessTo(method: MethodRow, member: PageViewer, now: number): Access {
  const snapshot = voiceSnapshot(now);
  const hasVoice = !!member && snapshot.hasVoice(member.id);
  const isAuthor = !!member && method.createdBy === member.id;
  // Hidden content stays readable on click-through for its author and members with a voice.
  return { hasVoice, isWitness: !!member && snapshot.isWitness(member.id), held: !!member && isHeld(member.id), isAuthor, canRead: !method.hiddenAt || isAuthor || hasVoice };
}

function authorOf(memberId: string | null, viewer: NameViewer) {
  if (!memberId) return null;
  const row = db().get<{ id: string; display_name: string; organisation: string; profile_visibility: string; deleted_at: number | null } | undefined>(
    sql`SELECT id, display_name, organisation, profile_visibility, deleted_at FROM members WHERE id = ${memberId}`,
  );
  if (!row || row.deleted_at) return null;
  return publicName({ id: row.id, displayName: row.display_name, organisation: row.organisation, visibility: row.profile_visibility }, viewer);
}

/** Sessions and outcomes that used the method, newest first; nothing hidden. */
function usesOf(methodId: number): MethodUse {
  const sessions = db().all<{ id: number; starts_at: number; initiative_id: number; title: string }>(sql`
    SELECT s.id, s.starts_at, s.initiative_id, i.title FROM session_methods sm JOIN sessions s ON s.id = sm.session_id JOIN initiatives i ON i.id = s.initiative_id
    WHERE sm.method_id = ${methodId} AND s.cancelled_at IS NULL AND i.hidden_at IS NULL
    ORDER BY s.starts_at DESC, s.id DESC LIMIT 100`);
  const outcomes = db().all<{ id: number; created_at: number; initiative_id: number; session_id: number | null; title: string; body: string }>(sql`
    SELECT o.id, o.created_at, o.initiative_id, o.session_id, i.title, o.body FROM outcome_methods om JOIN outcomes o ON o.id = om.outcome_id JOIN initiatives i ON i.id = o.initiative_id
    WHERE om.method_id = ${methodId} AND o.hidden_at IS NULL AND i.hidden_at IS NULL
    ORDER BY o.created_at DESC, o.id DESC LIMIT 100`);
  return {
    sessions: sessions.map((s) => ({ id: s.id, startsAt: s.starts_at, initiativeId: s.initiative_id, initiativeTitle: s.title })),
    outcomes: outcomes.map((o) => ({ id: o.id, createdAt: o.created_at, initiativeId: o.initiative_id, sessionId: o.session_id, initiativeTitle: o.title, excerpt: plainExcerpt(o.body, 160) })),
  };
}

export function methodPage(id: number, member: PageViewer, names: NameViewer, now = Date.now()): MethodPage | null {
  const method = getMethod(id);
  if (!method) return null;
  const access = accessTo(method, member, now);
  const hidden = method.hiddenAt
    ? {
        rule: method.hiddenRule ?? "",
        canRead: access.canRead,
        authorEdit: !!member && authorEditOpen(method, member.id),
        // The author's edit waits for members with a voice to accept it (governance.md §4).
        waiting: access.canRead ? editWaiting("method", method.id, { memberId: member?.id ?? null, hasVoice: access.hasVoice }) : null,
      }
    : null;
  const versions = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM method_versions WHERE method_id = ${id}`).n;
  const readable = access.canRead;
  return {
    id: method.id,
    hidden,
    method: readable
      ? {
          title: method.title,
          purpose: method.purpose,
          groupSize: method.groupSize,
          duration: method.duration,
          materials: method.materials,
          stepsHtml: renderMarkdown(method.steps),
          variationsHtml: method.variations ? renderMarkdown(method.variations) : "",
          learnedHtml: method.learned ? renderMarkdown(method.learned) : "",
          tagList: method.tags ? method.tags.split(", ") : [],
          author: authorOf(method.createdBy, names),
          createdAt: method.createdAt.getTime(),
          updatedAt: method.updatedAt.getTime(),
          versions,
        }
      : null,
    // A hidden method's uses and people stay out of sight, as the method itself.
    uses: method.hiddenAt ? { sessions: [], outcomes: [] } : usesOf(method.id),
    can: {
      edit: !!member && !editRefusal(method, member.id, access.hasVoice, access.held, hiddenEditRefusal(db(), "method", method.id, member.id)),
      history: readable,
      flag: access.isWitness && !access.isAuthor && !method.hiddenAt,
    },
    rules: access.isWitness && !access.isAuthor ? currentRuleHeadings() : [],
    flags: access.hasVoice ? flagsOn({ type: "method", id: String(method.id) }) : null,
    timeZone: env().TZ_COMMUNITY,
  };
}

/** The edit form's method and values, or why this member may not edit it. */
export function methodEditPage(id: number, member: NonNullable<PageViewer>, now = Date.now()) {
  const method = getMethod(id);
  if (!method) return null;
  const access = accessTo(method, member, now);
  const refusal = editRefusal(method, member.id, access.hasVoice, access.held, hiddenEditRefusal(db(), "method", method.id, member.id));
  return {
    refusal,
    id: method.id,
    values: Object.fromEntries(methodFieldNames.map((name) => [name, method[name]])) as Record<string, string>,
  };
}

/** Every version with its author, and per field what changed against the version before. */
export function methodHistoryPage(id: number, member: PageViewer, names: NameViewer, now = Date.now()): MethodHistoryPage | null {
  const method = getMethod(id);
  if (!method) return null;
  const access = accessTo(method, member, now);
  // The history of a hidden method is as hidden as the method.
  if (!access.canRead) return { id: method.id, title: "", hidden: true, versions: [] };
  const versions = methodVersionsOf(id);
  return {
    id: method.id,
    title: method.title,
    hidden: !!method.hiddenAt,
    versions: versions.map((v, i) => {
      const before = versions[i + 1];
      const changes: MethodFieldView[] = before
        ? methodFieldNames.filter((name) => before[name] !== v[name]).map((name) => ({ name, diff: changedWithContext(diffMethodField(before[name], v[name])) }))
        : [];
      return {
        version: v.version,
        at: v.at,
        author: v.memberId && v.authorName !== null ? publicName({ id: v.memberId, displayName: v.authorName, organisation: v.organisation ?? "", visibility: v.visibility ?? "members" }, names) : null,
        first: !before,
        changes,
      };
    }),
  };
}

/** /methods: a page of the library and whether this member may add to it. */
export function methodListPage(params: URLSearchParams, member: PageViewer, now = Date.now()) {
  const q = (params.get("q") ?? "").slice(0, 200).trim();
  const tag = (params.get("tag") ?? "").trim().toLocaleLowerCase("nl").replace(/^#/, "").slice(0, 40);
  const after = parseMethodCursor(params.get("after"));
  const page = listMethods({ q: q || undefined, tag: tag || undefined, after });
  return { ...page, filter: { q, tag }, isFirstPage: !after, can: { add: !!member && mayAddMethod(member.id, now) }, loggedIn: !!member };
}
