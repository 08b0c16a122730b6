// Working methods (werkvormen): a library any member adds to and any member with a voice edits.
// Every saved change is a full version with its author (method_versions), numbered 1..n without
// gaps; hosts attach methods to their sessions and outcomes name them. Hidden methods (flags,
// governance.md §4) leave every public place.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { methodTags, methodVersions, methods, sessionMethods } from "../../db/schema";
import type { Db } from "../../db/client";
import { governance } from "~/governance/config";
import { withinNewcomerLimit } from "~/governance/rules";
import { db } from "~/lib/db.server";
import { optionalLine, optionalText, requiredLine, requiredText, resubmitWindowMs } from "~/lib/forms";
import type { MessageKey, Params } from "~/lib/i18n";
import { toFtsQuery } from "~/lib/search";
import { HeldMemberError, NotAHostError } from "./errors.server";
import { hiddenEditRefusal, noteEditWhileHidden, type HiddenEditRefusal } from "./hidden-edits.server";
import { actingHost, canActAsHost } from "./host-rights.server";
import type { SessionMethodsView } from "./methods.types";
import { normaliseTags } from "./initiatives.server";
import { isHeld, memberHasVoice } from "./voice.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { shownName, visitor, type NameViewer } from "./names.server";
import { methodsOfInitiativeSessions } from "./outcome-methods.server";

export { methodsOfOutcomes, outcomeMethodIds } from "./outcome-methods.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export const methodLimits = { title: 120, short: 200, markdown: 20_000, tag: 40, tags: 10 } as const;

const dayMs = 86_400_000;

/** The fields of a method, in the order the form and the history show them. */
export const methodFieldNames = ["title", "purpose", "groupSize", "duration", "materials", "steps", "variations", "learned", "tags"] as const;
export type MethodFieldName = (typeof methodFieldNames)[number];
export type MethodFields = Record<MethodFieldName, string>;

export const methodInput = z.object({
  title: requiredLine(methodLimits.title, "method.title.required", "method.title.tooLong"),
  purpose: requiredLine(methodLimits.short, "method.purpose.required", "method.short.tooLong"),
  groupSize: optionalLine(methodLimits.short, "method.short.tooLong"),
  duration: optionalLine(methodLimits.short, "method.short.tooLong"),
  materials: optionalLine(methodLimits.short, "method.short.tooLong"),
  steps: requiredText(methodLimits.markdown, "method.steps.required", "method.markdown.tooLong"),
  variations: optionalText(methodLimits.markdown, "method.markdown.tooLong"),
  learned: optionalText(methodLimits.markdown, "method.markdown.tooLong"),
  tags: z
    .string()
    .optional()
    .default("")
    .transform(normaliseTags)
    .refine((tags) => tags.length <= methodLimits.tags, { error: "method.tags.tooMany" })
    .refine((tags) => tags.every((t) => t.length <= methodLimits.tag), { error: "method.tags.tooLong" }),
});

export type MethodInput = z.output<typeof methodInput>;

export class MethodRefusedError extends Error {
  constructor(
    public messageKey: MessageKey,
    public status = 403,
    public params?: Params,
  ) {
    super(messageKey);
  }
}

const stored = (input: MethodInput): MethodFields => ({ ...input, tags: input.tags.join(", ") });

export type MethodRow = typeof methods.$inferSelect;

export function getMethod(id: number): MethodRow | null {
  return db().select().from(methods).where(sql`${methods.id} = ${id}`).get() ?? null;
}

/**
 * Held posting (§4) and the newcomer limit (§5). Methods are counted on their own, with the
 * initiatives' number: writing up how a meeting went should not use up a newcomer's initiatives.
 */
function creationRefusal(tx: Pick<Db, "get">, memberId: string, hasVoice: boolean, now: number): MethodRefusedError | null {
  if (isHeld(memberId, tx)) return new MethodRefusedError("flag.heldPosting", 403);
  if (hasVoice) return null;
  const posted = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM methods WHERE created_by = ${memberId} AND created_at > ${now - dayMs}`).n;
  if (!withinNewcomerLimit("initiative", false, posted)) return new MethodRefusedError("method.newcomerLimit", 429, { n: governance.newcomerInitiativesPerDay });
  return null;
}

/** Whether the member may add a method now (the form is shown). */
export function mayAddMethod(memberId: string, now = Date.now()) {
  return !creationRefusal(db(), memberId, memberHasVoice(memberId, now), now);
}

function writeTags(tx: Tx, methodId: number, tags: string[]) {
  tx.delete(methodTags).where(sql`${methodTags.methodId} = ${methodId}`).run();
  if (tags.length) tx.insert(methodTags).values(tags.map((tag) => ({ methodId, tag }))).run();
}

/** Adds a method with its version 1. A repeated submission (a double click) returns the first. */
export function createMethod(memberId: string, input: MethodInput, now = new Date()): number {
  const hasVoice = memberHasVoice(memberId, now.getTime());
  return db().transaction((tx) => {
    const repeated = tx.get<{ id: number } | undefined>(sql`
      SELECT id FROM methods WHERE created_by = ${memberId} AND title = ${input.title} AND steps = ${input.steps} AND created_at > ${now.getTime() - resubmitWindowMs}
      ORDER BY id DESC LIMIT 1`);
    if (repeated) return repeated.id;
    // Counted inside the write transaction, so parallel posts cannot pass the limit together.
    const refusal = creationRefusal(tx, memberId, hasVoice, now.getTime());
    if (refusal) throw refusal;
    const fields = stored(input);
    const row = tx.insert(methods).values({ ...fields, createdBy: memberId, createdAt: now, updatedAt: now }).returning({ id: methods.id }).get();
    tx.insert(methodVersions).values({ ...fields, methodId: row.id, version: 1, memberId, at: now }).run();
    writeTags(tx, row.id, input.tags);
    return row.id;
  }, { behavior: "immediate" });
}

/** The one edit the author of a hidden method has (governance.md §4), as for initiatives. */
export function authorEditOpen(method: Pick<MethodRow, "hiddenAt" | "authorEditUsedAt" | "timesHidden" | "createdBy">, memberId: string) {
  return !!method.hiddenAt && !method.authorEditUsedAt && method.timesHidden < 2 && method.createdBy === memberId;
}

/**
 * Who may edit: members with a voice; never a held member; a hidden method only by its author's one
 * edit (`hidden`: hiddenEditRefusal for this member, governance.md §4).
 */
export function editRefusal(method: MethodRow, memberId: string, hasVoice: boolean, held: boolean, hidden: HiddenEditRefusal | null): MethodRefusedError | null {
  if (held) return new MethodRefusedError("flag.heldPosting", 403);
  if (hidden) return new MethodRefusedError(hidden.messageKey, hidden.status);
  if (hasVoice || authorEditOpen(method, memberId)) return null;
  return new MethodRefusedError("method.edit.noVoice", 403);
}

/**
 * Saves an edit as the next version. Nothing changed: no version. The version number is read and
 * written in one immediate transaction, so two edits at once get consecutive numbers.
 */
export function updateMethod(id: number, memberId: string, input: MethodInput, now = new Date()): { version: number | null } {
  const hasVoice = memberHasVoice(memberId, now.getTime());
  return db().transaction((tx) => {
    const method = tx.select().from(methods).where(sql`${methods.id} = ${id}`).get();
    if (!method) throw new MethodRefusedError("method.notFound", 404);
    const refusal = editRefusal(method, memberId, hasVoice, isHeld(memberId, tx), hiddenEditRefusal(tx, "method", id, memberId));
    if (refusal) throw refusal;
    const fields = stored(input);
    if (methodFieldNames.every((name) => method[name] === fields[name])) return { version: null };
    const last = tx.get<{ v: number | null }>(sql`SELECT max(version) AS v FROM method_versions WHERE method_id = ${id}`).v ?? 0;
    tx.insert(methodVersions).values({ ...fields, methodId: id, version: last + 1, memberId, at: now }).run();
    tx.update(methods).set({ ...fields, updatedAt: now }).where(sql`${methods.id} = ${id}`).run();
    writeTags(tx, id, input.tags);
    // Hidden content comes back after the author's one edit (governance.md §4), as initiatives do.
    noteEditWhileHidden(tx, "method", id, memberId, now);
    return { version: last + 1 };
  }, { behavior: "immediate" });
}

export type MethodListItem = { id: number; title: string; purpose: string; groupSize: string; duration: string; tagList: string[]; updatedAt: number };
export type MethodFilter = { q?: string; tag?: string; after?: { at: number; id: number }; limit?: number };

/** A page of methods, newest changed first, never hidden ones; keyset-paged on (updated_at, id). */
export function listMethods(filter: MethodFilter): { items: MethodListItem[]; nextCursor: string | null } {
  const limit = filter.limit ?? 20;
  const match = filter.q ? toFtsQuery(filter.q) : null;
  if (filter.q && !match) return { items: [], nextCursor: null };
  const where = [sql`m.hidden_at IS NULL`];
  if (match) where.push(sql`m.id IN (SELECT rowid FROM methods_fts WHERE methods_fts MATCH ${match})`);
  if (filter.tag) where.push(sql`EXISTS (SELECT 1 FROM method_tags t WHERE t.method_id = m.id AND t.tag = ${filter.tag})`);
  if (filter.after) where.push(sql`(m.updated_at < ${filter.after.at} OR (m.updated_at = ${filter.after.at} AND m.id < ${filter.after.id}))`);
  const rows = db().all<{ id: number; title: string; purpose: string; group_size: string; duration: string; tags: string; updated_at: number }>(sql`
    SELECT m.id, m.title, m.purpose, m.group_size, m.duration, m.tags, m.updated_at FROM methods m
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY m.updated_at DESC, m.id DESC
    LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ id: r.id, title: r.title, purpose: r.purpose, groupSize: r.group_size, duration: r.duration, tagList: r.tags ? r.tags.split(", ") : [], updatedAt: r.updated_at })),
    nextCursor: rows.length > limit ? `${last.updated_at}.${last.id}` : null,
  };
}

/** "1764500000000.12" → the cursor; anything else is the first page. */
export function parseMethodCursor(value: string | null): { at: number; id: number } | undefined {
  const m = value ? /^(\d{1,15})\.(\d{1,15})$/.exec(value) : null;
  return m ? { at: Number(m[1]), id: Number(m[2]) } : undefined;
}

export type MethodVersionRow = MethodFields & { version: number; memberId: string | null; at: number; authorName: string | null; organisation: string | null; visibility: string | null };

/** Every version, newest first, with its author (name null: left the network). */
export function methodVersionsOf(id: number): MethodVersionRow[] {
  return db().all<MethodVersionRow>(sql`
    SELECT v.version, v.title, v.purpose, v.group_size AS groupSize, v.duration, v.materials, v.steps, v.variations, v.learned, v.tags,
      v.member_id AS memberId, v.at, CASE WHEN m.deleted_at IS NULL THEN m.display_name END AS authorName,
      m.organisation AS organisation, m.profile_visibility AS visibility
    FROM method_versions v LEFT JOIN members m ON m.id = v.member_id
    WHERE v.method_id = ${id} ORDER BY v.version DESC`);
}

/** Methods the viewer may attach by name: every method that is not hidden, by title. */
export function methodTitles(limit = 500) {
  return db().all<{ id: number; title: string }>(sql`SELECT id, title FROM methods WHERE hidden_at IS NULL ORDER BY title COLLATE NOCASE LIMIT ${limit}`);
}

/** The method a typed name means: the same title (without case), not hidden; the newest when several share it. */
export function methodByName(reader: Pick<Db, "get">, name: string) {
  return reader.get<{ id: number } | undefined>(sql`SELECT id FROM methods WHERE hidden_at IS NULL AND title = ${name} COLLATE NOCASE ORDER BY id DESC LIMIT 1`) ?? null;
}

function sessionInitiative(tx: Pick<Db, "get">, sessionId: number) {
  const session = tx.get<{ initiative_id: number } | undefined>(sql`SELECT initiative_id FROM sessions WHERE id = ${sessionId}`);
  if (!session) throw new MethodRefusedError("method.session.notFound", 404);
  return session.initiative_id;
}

function hostRefusal(error: unknown): never {
  if (error instanceof HeldMemberError) throw new MethodRefusedError("flag.heldPosting", 403);
  if (error instanceof NotAHostError) throw new MethodRefusedError("method.session.notHost", 403);
  throw error;
}

/** A host attaches a method to a session by its name ("We used: …"). Attaching it again changes nothing. */
export function attachMethod(sessionId: number, memberId: string, name: string, now = new Date()): number {
  return db().transaction((tx) => {
    const initiativeId = sessionInitiative(tx, sessionId);
    try {
      actingHost(tx, initiativeId, memberId);
    } catch (error) {
      hostRefusal(error);
    }
    const method = name ? methodByName(tx, name) : null;
    if (!method) throw new MethodRefusedError("method.attach.notFound", 400, { name: name.slice(0, 120) });
    tx.insert(sessionMethods).values({ sessionId, methodId: method.id, addedBy: memberId, addedAt: now }).onConflictDoNothing().run();
    return method.id;
  }, { behavior: "immediate" });
}

export function detachMethod(sessionId: number, memberId: string, methodId: number) {
  db().transaction((tx) => {
    const initiativeId = sessionInitiative(tx, sessionId);
    try {
      actingHost(tx, initiativeId, memberId);
    } catch (error) {
      hostRefusal(error);
    }
    tx.delete(sessionMethods).where(sql`${sessionMethods.sessionId} = ${sessionId} AND ${sessionMethods.methodId} = ${methodId}`).run();
  }, { behavior: "immediate" });
}

/** The methods a session used, by title; hidden ones only for those who may read them. */
export function methodsOfSession(sessionId: number, mayReadHidden: (createdBy: string | null) => boolean) {
  return db()
    .all<{ id: number; title: string; hidden_at: number | null; created_by: string | null }>(sql`
      SELECT m.id, m.title, m.hidden_at, m.created_by FROM session_methods sm JOIN methods m ON m.id = sm.method_id
      WHERE sm.session_id = ${sessionId} ORDER BY sm.added_at, m.id`)
    .filter((m) => !m.hidden_at || mayReadHidden(m.created_by))
    .map((m) => ({ id: m.id, title: m.title, hidden: !!m.hidden_at }));
}

/** The methods an outcome of the initiative may name (checkboxes on the outcome form). */
export function outcomeMethodChoices(initiativeId: number) {
  return methodsOfInitiativeSessions(db(), initiativeId);
}

/** SQL: members who used a method that is not hidden: attended, or hosted a session that used it. */
export function methodUsersSql(methodId: number) {
  return sql`(SELECT r.member_id FROM session_methods sm JOIN methods mm ON mm.id = sm.method_id JOIN registrations r ON r.session_id = sm.session_id
      WHERE sm.method_id = ${methodId} AND mm.hidden_at IS NULL AND r.attended_at IS NOT NULL
    UNION SELECT h.member_id FROM session_methods sm JOIN methods mm ON mm.id = sm.method_id JOIN sessions s ON s.id = sm.session_id JOIN hosts h ON h.initiative_id = s.initiative_id
      WHERE sm.method_id = ${methodId} AND mm.hidden_at IS NULL AND s.cancelled_at IS NULL)`;
}

/** The title of a method the directory may filter on (null when unknown or hidden). */
export function publicMethodTitle(id: number): string | null {
  return db().get<{ title: string } | undefined>(sql`SELECT title FROM methods WHERE id = ${id} AND hidden_at IS NULL`)?.title ?? null;
}

/** New methods and new versions of a span, for the digest: one line per method, not hidden. */
export function methodsChangedBetween(start: number, end: number, limit = 50) {
  return db()
    .all<{ id: number; title: string; purpose: string; created_at: number; versions: number }>(sql`
      SELECT m.id, m.title, m.purpose, m.created_at, count(v.id) AS versions FROM methods m JOIN method_versions v ON v.method_id = m.id
      WHERE v.at >= ${start} AND v.at < ${end} AND m.hidden_at IS NULL
      GROUP BY m.id ORDER BY max(v.at) DESC, m.id DESC LIMIT ${limit}`)
    .map((r) => ({ id: r.id, title: r.title, purpose: r.purpose, isNew: r.created_at >= start && r.created_at < end }));
}

/** New methods and new versions of methods that are not hidden, newest first, for /feed.xml (read by visitors). */
export function methodAtomEntries(limit = 50, viewer: NameViewer = visitor) {
  const rows = db().all<{ method_id: number; version: number; title: string; purpose: string; steps: string; at: number; member_id: string | null; display_name: string | null; organisation: string | null; profile_visibility: string | null; deleted_at: number | null }>(sql`
    SELECT v.method_id, v.version, v.title, v.purpose, v.steps, v.at, v.member_id, mb.display_name, mb.organisation, mb.profile_visibility, mb.deleted_at
    FROM method_versions v JOIN methods m ON m.id = v.method_id LEFT JOIN members mb ON mb.id = v.member_id
    WHERE m.hidden_at IS NULL ORDER BY v.at DESC, v.id DESC LIMIT ${limit}`);
  return rows.map((r) => ({
    methodId: r.method_id,
    version: r.version,
    title: r.title,
    at: r.at,
    author: r.member_id && r.display_name && !r.deleted_at ? shownName({ id: r.member_id, displayName: r.display_name, organisation: r.organisation ?? "", visibility: r.profile_visibility ?? "members" }, viewer) : null,
    html: renderMarkdown(`${r.purpose}\n\n${r.steps}`),
  }));
}

/** What the session page shows of methods: those used, and for its acting hosts the titles to add. */
export function sessionMethodsView(session: { id: number; initiativeId: number }, memberId: string | null, hasVoice: boolean): SessionMethodsView {
  const host = !!memberId && canActAsHost(session.initiativeId, memberId);
  return {
    used: methodsOfSession(session.id, (createdBy) => hasVoice || (!!memberId && createdBy === memberId)),
    choices: host ? methodTitles().map((m) => m.title) : null,
  };
}
