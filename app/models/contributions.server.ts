// Outcomes (opbrengsten) and comments on initiatives: posting, the author's edits, and the
// moderation columns they share with initiatives (governance.md §4, §5).
import { sql } from "drizzle-orm";
import sanitizeHtml from "sanitize-html";
import { z } from "zod";
import { comments, flags, outcomes } from "../../db/schema";
import type { Db } from "../../db/client";
import { governance } from "~/governance/config";
import { withinNewcomerLimit } from "~/governance/rules";
import { db } from "~/lib/db.server";
import { sharedData } from "~/lib/shared-data.server";
import { requiredText, resubmitWindowMs, type Once } from "~/lib/forms";
import type { MessageKey, Params } from "~/lib/i18n";
import { renderMarkdown } from "~/lib/markdown.server";
import { memoText } from "~/lib/text-cache.server";
import { appendLog } from "./log.server";
import { takesPartIn } from "./registrations.server";
import { publicName, shownName, visitor, type NameViewer, type ShownMember } from "./names.server";
import { memberHasVoice } from "./voice.server";
import { mayNameMethods, methodsOfInitiativeSessions, methodsOfOutcomes, nameMethodsInOutcome } from "./outcome-methods.server";
import { hiddenEditRefusal, noteEditWhileHidden } from "./hidden-edits.server";
import { contributionModeration } from "./host-moderation.server";
import type { ContributionModeration } from "./hosts.types";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Reader = Pick<Db, "get" | "all">;

export type ContributionKind = "outcome" | "comment";
/** What the moderation helpers below handle: outcomes, comments, and comments on proposals. */
export type ModeratedKind = ContributionKind | "proposal-comment";

const dayMs = 86_400_000;

export const contributionLimits = { outcome: 10_000, comment: 5_000 } as const;

export const outcomeInput = z.object({
  body: requiredText(contributionLimits.outcome, "outcome.body.required", "outcome.body.tooLong"),
  // Empty: an outcome of the initiative as a whole.
  sessionId: z
    .union([z.literal(""), z.string().regex(/^[1-9]\d{0,15}$/, { error: "outcome.session.invalid" })])
    .optional()
    .transform((v) => (v ? Number(v) : null)),
});

export const commentInput = z.object({
  body: requiredText(contributionLimits.comment, "comment.body.required", "comment.body.tooLong"),
});

/** The edit form of either kind has one field, with the limit of its kind. */
export const editInput = (kind: ContributionKind) => (kind === "outcome" ? outcomeInput.pick({ body: true }) : commentInput);

export class ContributionRefusedError extends Error {
  constructor(
    public messageKey: MessageKey,
    public status = 403,
    public params?: Params,
  ) {
    super(messageKey);
  }
}

const tableName = (kind: ModeratedKind) => sql.identifier(kind === "outcome" ? "outcomes" : kind === "comment" ? "comments" : "proposal_comments");

type StoredRow = {
  id: number;
  initiative_id: number;
  /** The proposal a proposal comment belongs to (its initiative_id is 0); null for the others. */
  proposal_id: number | null;
  session_id: number | null;
  member_id: string;
  body: string;
  created_at: number;
  updated_at: number;
  hidden_at: number | null;
  hidden_rule: string | null;
  times_hidden: number;
  author_edit_used_at: number | null;
};

function storedRow(reader: Reader, kind: ModeratedKind, id: number): StoredRow | undefined {
  const sessionColumn = kind === "outcome" ? sql`session_id` : sql`NULL AS session_id`;
  const page = kind === "proposal-comment" ? sql`0 AS initiative_id, proposal_id` : sql`initiative_id, NULL AS proposal_id`;
  return reader.get<StoredRow | undefined>(sql`
    SELECT id, ${page}, ${sessionColumn}, member_id, body, created_at, updated_at, hidden_at, hidden_rule, times_hidden, author_edit_used_at
    FROM ${tableName(kind)} WHERE id = ${id}`);
}

/**
 * Held posting (§4) and the newcomer limit (§5): members without a voice post at most
 * `newcomerCommentsPerDay` comments and outcomes together per 24 hours.
 */
export function contributionRefusal(memberId: string, now = Date.now()): ContributionRefusedError | null {
  const member = db().get<{ posting_held_at: number | null } | undefined>(sql`SELECT posting_held_at FROM members WHERE id = ${memberId}`);
  if (member?.posting_held_at) return new ContributionRefusedError("flag.heldPosting", 403);
  if (memberHasVoice(memberId, now)) return null;
  const since = now - dayMs;
  const posted = db().get<{ n: number }>(sql`
    SELECT (SELECT count(*) FROM outcomes WHERE member_id = ${memberId} AND created_at > ${since})
         + (SELECT count(*) FROM comments WHERE member_id = ${memberId} AND created_at > ${since})
         + (SELECT count(*) FROM proposal_comments WHERE member_id = ${memberId} AND created_at > ${since}) AS n`).n;
  if (!withinNewcomerLimit("comment", false, posted)) {
    return new ContributionRefusedError("contribution.newcomerLimit", 429, { n: governance.newcomerCommentsPerDay });
  }
  return null;
}

/** The log's subjects are pages: the initiative, or the proposal a proposal comment is on. */
function logSubject(row: StoredRow) {
  return row.proposal_id !== null ? { subjectType: "proposal" as const, subjectId: row.proposal_id } : { subjectType: "initiative" as const, subjectId: row.initiative_id };
}

function isHostOf(initiativeId: number, memberId: string) {
  return !!db().get(sql`SELECT 1 FROM hosts WHERE initiative_id = ${initiativeId} AND member_id = ${memberId}`);
}

/**
 * Who may post an outcome (product.md): for a session once it has started, its participants
 * (registered or attended) and the initiative's hosts; for the initiative as a whole, its hosts
 * and participants. Returns the refusal, or null when allowed.
 */
export function outcomeRefusal(initiativeId: number, memberId: string, sessionId: number | null, now = Date.now()): ContributionRefusedError | null {
  const initiative = db().get<{ id: number } | undefined>(sql`SELECT id FROM initiatives WHERE id = ${initiativeId}`);
  if (!initiative) return new ContributionRefusedError("contribution.notFound", 404);
  const host = isHostOf(initiativeId, memberId);
  if (sessionId === null) return host || takesPartIn(initiativeId, memberId, { orAttended: true }) ? null : new ContributionRefusedError("outcome.notParticipant", 403);
  const session = db().get<{ starts_at: number; cancelled_at: number | null } | undefined>(
    sql`SELECT starts_at, cancelled_at FROM sessions WHERE id = ${sessionId} AND initiative_id = ${initiativeId}`,
  );
  if (!session) return new ContributionRefusedError("outcome.session.invalid", 400);
  if (session.cancelled_at) return new ContributionRefusedError("outcome.sessionCancelled", 409);
  const registered = !!db().get(sql`
    SELECT 1 FROM registrations WHERE session_id = ${sessionId} AND member_id = ${memberId} AND (status = 'registered' OR attended_at IS NOT NULL)`);
  if (!host && !registered) return new ContributionRefusedError("outcome.notParticipant", 403);
  if (session.starts_at > now) return new ContributionRefusedError("outcome.notStarted", 409);
  return null;
}

function throwIfRefused(refusal: ContributionRefusedError | null) {
  if (refusal) throw refusal;
}

export function postOutcome(initiativeId: number, memberId: string, input: { body: string; sessionId: number | null; methodIds?: number[] }, now = new Date(), options: Once = {}): number {
  // The limit is counted inside the write transaction, so parallel posts cannot pass it together.
  return db().transaction((tx) => {
    throwIfRefused(outcomeRefusal(initiativeId, memberId, input.sessionId, now.getTime()));
    if (options.once) {
      const repeated = tx.get<{ id: number } | undefined>(sql`
        SELECT id FROM outcomes
        WHERE initiative_id = ${initiativeId} AND member_id = ${memberId} AND session_id IS ${input.sessionId} AND body = ${input.body}
          AND created_at > ${now.getTime() - resubmitWindowMs}
        ORDER BY id DESC LIMIT 1`);
      if (repeated) return repeated.id;
    }
    throwIfRefused(contributionRefusal(memberId, now.getTime()));
    // Working methods it names: only those the initiative's sessions used.
    if (!mayNameMethods(tx, initiativeId, input.methodIds ?? [])) throw new ContributionRefusedError("method.outcome.notUsed", 400);
    const id = tx
      .insert(outcomes)
      .values({ initiativeId, sessionId: input.sessionId, memberId, body: input.body, createdAt: now, updatedAt: now })
      .returning({ id: outcomes.id })
      .get().id;
    nameMethodsInOutcome(tx, id, input.methodIds ?? []);
    return id;
  }, { behavior: "immediate" });
}

export function postComment(initiativeId: number, memberId: string, input: { body: string }, now = new Date(), options: Once = {}): number {
  return db().transaction((tx) => {
    if (!tx.get(sql`SELECT 1 FROM initiatives WHERE id = ${initiativeId}`)) throw new ContributionRefusedError("contribution.notFound", 404);
    if (options.once) {
      const repeated = tx.get<{ id: number } | undefined>(sql`
        SELECT id FROM comments
        WHERE initiative_id = ${initiativeId} AND member_id = ${memberId} AND body = ${input.body} AND created_at > ${now.getTime() - resubmitWindowMs}
        ORDER BY id DESC LIMIT 1`);
      if (repeated) return repeated.id;
    }
    throwIfRefused(contributionRefusal(memberId, now.getTime()));
    return tx
      .insert(comments)
      .values({ initiativeId, memberId, body: input.body, createdAt: now, updatedAt: now })
      .returning({ id: comments.id })
      .get().id;
  }, { behavior: "immediate" });
}

/** The author's edit. The first time it was hidden, the one edit waits for acceptance (§4, hidden-edits.server.ts). */
export function editContribution(kind: ContributionKind, id: number, memberId: string, body: string, now = new Date()) {
  return db().transaction((tx) => {
    const row = storedRow(tx, kind, id);
    if (!row) throw new ContributionRefusedError("contribution.notFound", 404);
    if (row.member_id !== memberId) throw new ContributionRefusedError("contribution.notAuthor", 403);
    const held = tx.get<{ posting_held_at: number | null } | undefined>(sql`SELECT posting_held_at FROM members WHERE id = ${memberId}`);
    if (held?.posting_held_at) throw new ContributionRefusedError("flag.heldPosting", 403);
    const hidden = hiddenEditRefusal(tx, kind, id, memberId);
    if (hidden) throw new ContributionRefusedError(hidden.messageKey, hidden.status);
    tx.run(sql`UPDATE ${tableName(kind)} SET body = ${body}, updated_at = ${now.getTime()} WHERE id = ${id}`);
    const awaitsAcceptance = noteEditWhileHidden(tx, kind, id, memberId, now);
    return { initiativeId: row.initiative_id, sessionId: row.session_id, awaitsAcceptance };
  }, { behavior: "immediate" });
}

/**
 * Brings hidden content back and clears its flags after an adopted "restore or keep hidden"
 * proposal. Call inside a transaction. Logged on its initiative, since the log's subjects are pages.
 */
export function restoreContribution(tx: Tx, kind: ModeratedKind, id: number, how: { by: "author-edit"; actorId: string } | { by: "proposal"; proposalId: number }, now: Date): boolean {
  const row = storedRow(tx, kind, id);
  if (!row?.hidden_at) return false;
  const hiddenBy = kind === "comment" ? sql`, hidden_by = NULL` : sql``;
  tx.run(sql`UPDATE ${tableName(kind)} SET hidden_at = NULL, hidden_rule = NULL ${hiddenBy} WHERE id = ${id}`);
  tx.run(sql`UPDATE ${flags} SET cleared_at = ${now.getTime()} WHERE target_type = ${kind} AND target_id = ${String(id)} AND cleared_at IS NULL`);
  appendLog(tx, {
    action: "content.restored",
    actorId: how.by === "author-edit" ? how.actorId : null,
    ...logSubject(row),
    detail: how.by === "author-edit" ? { target: kind, targetId: id, by: "author-edit" } : { target: kind, targetId: id, by: "proposal", proposalId: how.proposalId },
    at: now,
  });
  return true;
}

/**
 * Hides an outcome, comment or proposal comment at the flag threshold (called by flag(), inside
 * its transaction). `page` is where it stands (its initiative, or for a proposal comment its proposal).
 */
export function hideContribution(tx: Tx, kind: ModeratedKind, id: number, rule: string, flagCount: number, now: Date) {
  const row = storedRow(tx, kind, id)!;
  const subject = logSubject(row);
  const pageTitle =
    tx.get<{ title: string } | undefined>(subject.subjectType === "proposal" ? sql`SELECT title FROM proposals WHERE id = ${subject.subjectId}` : sql`SELECT title FROM initiatives WHERE id = ${subject.subjectId}`)?.title ?? "";
  const page = { type: subject.subjectType, id: subject.subjectId, title: pageTitle };
  if (row.hidden_at) return { alreadyHidden: true, times: row.times_hidden, initiativeId: row.initiative_id, initiativeTitle: pageTitle, page };
  const times = row.times_hidden + 1;
  tx.run(sql`UPDATE ${tableName(kind)} SET hidden_at = ${now.getTime()}, hidden_rule = ${rule}, times_hidden = ${times} WHERE id = ${id}`);
  const detail = { target: kind, targetId: id, rule };
  appendLog(tx, { action: "flag.threshold-reached", actorId: null, ...subject, detail: { ...detail, flags: flagCount }, at: now });
  appendLog(tx, { action: "content.hidden", actorId: null, ...subject, detail: { ...detail, times }, at: now });
  return { alreadyHidden: false, times, initiativeId: row.initiative_id, initiativeTitle: pageTitle, page };
}

/** Kept hidden after a proposal: only logged. */
export function logKeptHidden(tx: Tx, kind: ModeratedKind, id: number, proposalId: number, now: Date) {
  const row = storedRow(tx, kind, id);
  if (!row) return;
  appendLog(tx, { action: "content.kept-hidden", actorId: null, ...logSubject(row), detail: { target: kind, targetId: id, proposalId }, at: now });
}

export function contributionExists(reader: Reader, kind: ModeratedKind, id: number) {
  return !!storedRow(reader, kind, id);
}

// Reading.

/** Who is looking (names.server.ts): a member or a visitor, with or without a voice. */
export type Viewer = NameViewer & { hasVoice: boolean };

export type ContributionView = {
  id: number;
  kind: ContributionKind;
  initiativeId: number;
  initiativeTitle: string;
  sessionId: number | null;
  sessionStartsAt: number | null;
  /** null when the author left the network ("former member"); named as the viewer may see them. */
  author: ShownMember | null;
  createdAt: number;
  edited: boolean;
  hidden: { rule: string; times: number } | null;
  /** Empty when hidden and the viewer may not read it. */
  bodyHtml: string;
  mine: boolean;
  canFlag: boolean;
  /** The working methods an outcome names ("Werkvormen: …"); hidden ones only for members with a voice. */
  methods?: { id: number; title: string }[];
};

type ListedRow = Omit<StoredRow, "proposal_id"> & { initiative_title: string; session_starts_at: number | null; display_name: string; organisation: string; profile_visibility: string; deleted_at: number | null };

function listed(kind: ContributionKind, where: ReturnType<typeof sql>, order: ReturnType<typeof sql>, limit = 500): ListedRow[] {
  const session = kind === "outcome" ? sql`c.session_id, s.starts_at AS session_starts_at` : sql`NULL AS session_id, NULL AS session_starts_at`;
  const join = kind === "outcome" ? sql`LEFT JOIN sessions s ON s.id = c.session_id` : sql``;
  return db().all<ListedRow>(sql`
    SELECT c.id, c.initiative_id, ${session}, c.member_id, c.body, c.created_at, c.updated_at, c.hidden_at, c.hidden_rule, c.times_hidden, c.author_edit_used_at,
      i.title AS initiative_title, m.display_name, m.organisation, m.profile_visibility, m.deleted_at
    FROM ${tableName(kind)} c JOIN initiatives i ON i.id = c.initiative_id JOIN members m ON m.id = c.member_id ${join}
    WHERE ${where}
    ORDER BY ${order}
    LIMIT ${limit}`);
}

function authorOf(row: ListedRow, viewer: NameViewer): ShownMember | null {
  if (row.deleted_at) return null;
  return publicName({ id: row.member_id, displayName: row.display_name, organisation: row.organisation, visibility: row.profile_visibility }, viewer);
}

function toView(kind: ContributionKind, row: ListedRow, viewer: Viewer): ContributionView {
  const mine = !!viewer.memberId && viewer.memberId === row.member_id;
  // Hidden content stays readable on click-through for its author and members with a voice.
  const readable = !row.hidden_at || mine || viewer.hasVoice;
  return {
    id: row.id,
    kind,
    initiativeId: row.initiative_id,
    initiativeTitle: row.initiative_title,
    sessionId: row.session_id,
    sessionStartsAt: row.session_starts_at,
    author: authorOf(row, viewer),
    createdAt: row.created_at,
    edited: row.updated_at > row.created_at,
    hidden: row.hidden_at ? { rule: row.hidden_rule ?? "", times: row.times_hidden } : null,
    bodyHtml: readable ? renderMarkdown(row.body) : "",
    mine,
    canFlag: viewer.hasVoice && !mine,
  };
}

/** Outcomes of an initiative (of its sessions and of the whole), oldest first. */
export function outcomesOfInitiative(initiativeId: number, viewer: Viewer) {
  // The rows are the same for every viewer (what each may read is decided in toView): read once while nothing changes (ADR 040).
  const rows = sharedData(["outcomesOfInitiative", initiativeId], () => listed("outcome", sql`c.initiative_id = ${initiativeId}`, sql`c.created_at, c.id`));
  return withMethods(rows.map((r) => toView("outcome", r, viewer)), viewer);
}

export function outcomesOfSession(sessionId: number, viewer: Viewer) {
  return withMethods(listed("outcome", sql`c.session_id = ${sessionId}`, sql`c.created_at, c.id`).map((r) => toView("outcome", r, viewer)), viewer);
}

function withMethods(views: ContributionView[], viewer: Viewer): ContributionView[] {
  const named = methodsOfOutcomes(views.filter((v) => v.bodyHtml).map((v) => v.id), viewer.hasVoice);
  return views.map((v) => ({ ...v, methods: named.get(v.id) ?? [] }));
}

/** For the member profile: what this member posted, newest first. */
export function outcomesByMember(memberId: string, viewer: Viewer = { memberId: null, hasVoice: false }) {
  return listed("outcome", sql`c.member_id = ${memberId} AND i.hidden_at IS NULL`, sql`c.created_at DESC, c.id DESC`, 100).map((r) => toView("outcome", r, viewer));
}

/** Questions and coordination, oldest first. */
export function commentsOfInitiative(initiativeId: number, viewer: Viewer) {
  const rows = sharedData(["commentsOfInitiative", initiativeId], () => listed("comment", sql`c.initiative_id = ${initiativeId}`, sql`c.created_at, c.id`));
  return rows.map((r) => toView("comment", r, viewer));
}

export function getContribution(kind: ContributionKind, id: number, viewer: Viewer) {
  const row = listed(kind, sql`c.id = ${id}`, sql`c.id`, 1)[0];
  // Why the viewer may not change it while it is hidden (the edit page says so instead of a form).
  return row ? { view: toView(kind, row, viewer), body: row.body, memberId: row.member_id, editRefusal: hiddenEditRefusal(db(), kind, id, viewer.memberId ?? "")?.messageKey ?? null } : null;
}

/** Plain text of user markdown, for short excerpts (React escapes it again when shown). */
const plainText = memoText((markdown) => sanitizeHtml(renderMarkdown(markdown), { allowedTags: [], allowedAttributes: {} }), 1_000_000);

export function plainExcerpt(markdown: string, max = 200) {
  const text = plainText(markdown)
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

export type LatestOutcome = { id: number; initiativeId: number; initiativeTitle: string; sessionId: number | null; author: string | null; createdAt: number; excerpt: string };

/** The newest outcomes for the feed; hidden ones (or on hidden initiatives) left out. */
export function latestOutcomes(limit = 3, viewer: NameViewer = visitor): LatestOutcome[] {
  return listed("outcome", sql`c.hidden_at IS NULL AND i.hidden_at IS NULL`, sql`c.created_at DESC, c.id DESC`, limit).map((r) => ({
    id: r.id,
    initiativeId: r.initiative_id,
    initiativeTitle: r.initiative_title,
    sessionId: r.session_id,
    author: authorOf(r, viewer)?.displayName ?? null,
    createdAt: r.created_at,
    excerpt: plainExcerpt(r.body),
  }));
}

export type AtomEntry = { kind: "initiative" | "outcome"; id: number; initiativeId: number; title: string; author: string | null; at: number; html: string };

/** The newest initiatives and outcomes, not hidden, newest first, for /feed.xml (read by visitors). */
export function atomEntries(limit = 50, viewer: NameViewer = visitor): AtomEntry[] {
  const initiativeRows = db().all<{ id: number; title: string; summary: string; body: string; created_at: number; updated_at: number; created_by: string | null; display_name: string | null; organisation: string | null; profile_visibility: string | null; deleted_at: number | null }>(sql`
    SELECT i.id, i.title, i.summary, i.body, i.created_at, i.updated_at, i.created_by, m.display_name, m.organisation, m.profile_visibility, m.deleted_at
    FROM initiatives i LEFT JOIN members m ON m.id = i.created_by
    WHERE i.hidden_at IS NULL ORDER BY i.created_at DESC, i.id DESC LIMIT ${limit}`);
  const entries: AtomEntry[] = initiativeRows.map((r) => ({
    kind: "initiative",
    id: r.id,
    initiativeId: r.id,
    title: r.title,
    author: r.created_by && r.display_name && !r.deleted_at ? shownName({ id: r.created_by, displayName: r.display_name, organisation: r.organisation ?? "", visibility: r.profile_visibility ?? "members" }, viewer) : null,
    at: Math.max(r.created_at, r.updated_at),
    html: renderMarkdown(`${r.summary}\n\n${r.body}`),
  }));
  for (const r of listed("outcome", sql`c.hidden_at IS NULL AND i.hidden_at IS NULL`, sql`c.created_at DESC, c.id DESC`, limit)) {
    entries.push({ kind: "outcome", id: r.id, initiativeId: r.initiative_id, title: r.initiative_title, author: authorOf(r, viewer)?.displayName ?? null, at: Math.max(r.created_at, r.updated_at), html: renderMarkdown(r.body) });
  }
  return entries.sort((a, b) => b.at - a.at).slice(0, limit);
}

/**
 * The sessions of an initiative a member may post an outcome of (those outcomeRefusal allows), in
 * one query: started and not cancelled, and the member hosts the initiative or was signed up for
 * (or marked present at) the session. In order of time.
 */
export function sessionsOpenForOutcome(initiativeId: number, memberId: string, now = Date.now()) {
  const host = isHostOf(initiativeId, memberId);
  return db()
    .all<{ id: number; starts_at: number }>(sql`
      SELECT s.id, s.starts_at FROM sessions s
      WHERE s.initiative_id = ${initiativeId} AND s.cancelled_at IS NULL AND s.starts_at <= ${now}
        ${host ? sql`` : sql`AND EXISTS (SELECT 1 FROM registrations r WHERE r.session_id = s.id AND r.member_id = ${memberId} AND (r.status = 'registered' OR r.attended_at IS NOT NULL))`}
      ORDER BY s.starts_at, s.id`)
    .map((s) => ({ id: s.id, startsAt: s.starts_at }));
}

/** Everything the initiative page shows of outcomes and comments, for this viewer. */
export function initiativeContributions(initiativeId: number, viewer: Viewer, now = Date.now()) {
  const memberId = viewer.memberId;
  const outcomes = outcomesOfInitiative(initiativeId, viewer);
  const comments = commentsOfInitiative(initiativeId, viewer);
  return {
    outcomes,
    comments,
    moderation: contributionModeration(initiativeId, [...outcomes, ...comments], viewer),
    loggedIn: !!memberId,
    mayPostOutcome: !!memberId && !outcomeRefusal(initiativeId, memberId, null, now),
    outcomeSessions: memberId ? sessionsOpenForOutcome(initiativeId, memberId, now) : [],
    // The working methods its sessions used, to name in an outcome.
    outcomeMethods: memberId ? methodsOfInitiativeSessions(db(), initiativeId) : [],
  };
}

// Without moderation where the viewer may not read the hidden initiative at all.
export type InitiativeContributions = Omit<ReturnType<typeof initiativeContributions>, "moderation" | "outcomeMethods"> & { moderation?: ContributionModeration; outcomeMethods?: { id: number; title: string }[] };

/** The session page's outcomes, and whether this viewer may post one now. */
export function sessionContributions(session: { id: number; initiativeId: number }, viewer: Viewer, now = Date.now()) {
  const outcomes = outcomesOfSession(session.id, viewer);
  const mayPostOutcome = !!viewer.memberId && !outcomeRefusal(session.initiativeId, viewer.memberId, session.id, now);
  return {
    outcomes,
    moderation: contributionModeration(session.initiativeId, outcomes, viewer),
    mayPostOutcome,
    outcomeMethods: mayPostOutcome ? methodsOfInitiativeSessions(db(), session.initiativeId) : [],
  };
}

export type SessionContributions = Omit<ReturnType<typeof sessionContributions>, "moderation" | "outcomeMethods"> & { moderation?: ContributionModeration; outcomeMethods?: { id: number; title: string }[] };
