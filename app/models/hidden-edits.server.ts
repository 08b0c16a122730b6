// The author's one edit of hidden content (governance.md §4): the edit does not bring it back by
// itself. It waits, hidden, until a member with a voice who flagged it accepts the edit, or two
// members with a voice do, or 3 days pass without a new flag (the scheduler). Generic over the
// kinds of content that can be hidden: a new kind is one line in `hideable`.
import { sql } from "drizzle-orm";
import { editAcceptances, flags } from "../../db/schema";
import type { Db } from "../../db/client";
import { governance } from "~/governance/config";
import { editReturns, type EditReturn } from "~/governance/rules";
import { db } from "~/lib/db.server";
import type { MessageKey } from "~/lib/i18n";
import { appendLog, type LogInput } from "./log.server";
import type { EditWaiting } from "./hosts.types";
import { voiceSnapshot } from "./voice.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Reader = Pick<Db, "get" | "all">;

/** Where each kind lives: its table, its author, and the page its log entries are about. */
const hideable = {
  initiative: { table: "initiatives", author: "created_by", subjectType: "initiative", subjectColumn: "id", hostHides: false },
  outcome: { table: "outcomes", author: "member_id", subjectType: "initiative", subjectColumn: "initiative_id", hostHides: false },
  comment: { table: "comments", author: "member_id", subjectType: "initiative", subjectColumn: "initiative_id", hostHides: true },
  method: { table: "methods", author: "created_by", subjectType: "method", subjectColumn: "id", hostHides: false },
  "proposal-comment": { table: "proposal_comments", author: "member_id", subjectType: "proposal", subjectColumn: "proposal_id", hostHides: false },
} as const satisfies Record<string, { table: string; author: string; subjectType: LogInput["subjectType"]; subjectColumn: string; hostHides: boolean }>;

export type HideableType = keyof typeof hideable;
export const hideableTypes = Object.keys(hideable) as HideableType[];
export const isHideableType = (value: string): value is HideableType => Object.hasOwn(hideable, value);

type HiddenRow = { id: number; author: string | null; subject_id: number; hidden_at: number | null; times_hidden: number; author_edit_used_at: number | null; hidden_by: string | null };

function hiddenRow(reader: Reader, type: HideableType, id: number): HiddenRow | undefined {
  const k = hideable[type];
  const hiddenBy = k.hostHides ? sql`hidden_by` : sql`NULL`;
  return reader.get<HiddenRow | undefined>(sql`
    SELECT id, ${sql.identifier(k.author)} AS author, ${sql.identifier(k.subjectColumn)} AS subject_id, hidden_at, times_hidden, author_edit_used_at, ${hiddenBy} AS hidden_by
    FROM ${sql.identifier(k.table)} WHERE id = ${id}`);
}

/** Hidden by flags, edited by its author after that, and not yet back. */
const awaiting = (row: HiddenRow | undefined): row is HiddenRow & { hidden_at: number; author_edit_used_at: number } =>
  !!row?.hidden_at && row.author_edit_used_at !== null && row.author_edit_used_at >= row.hidden_at && !row.hidden_by;

export class EditAcceptanceRefusedError extends Error {
  constructor(public messageKey: MessageKey, public status = 403) {
    super(messageKey);
  }
}

/** Why hidden content may not be changed now (governance.md §4), with the answer's status. */
export type HiddenEditRefusal = { messageKey: "hidden.edit.used" | "hidden.edit.authorOnly" | "hidden.edit.decided"; status: 403 | 409 };

export class HiddenEditRefusedError extends Error {
  constructor(public refusal: HiddenEditRefusal) {
    super(refusal.messageKey);
  }
}

/**
 * Whether `editorId` may change the content now: null when it is not hidden, or when this is its
 * author's one edit. Hidden content changes by that edit only: not by anyone else, not a second
 * time (members who accept the edit must be accepting the text they read), not once it was hidden
 * a second time or by a host (a proposal decides on the text as it stands). Call inside the
 * editing transaction, before writing, and for the edit page.
 */
export function hiddenEditRefusal(reader: Reader, type: HideableType, id: number, editorId: string): HiddenEditRefusal | null {
  const row = hiddenRow(reader, type, id);
  if (!row?.hidden_at) return null;
  if (row.hidden_by || row.times_hidden >= 2) return { messageKey: "hidden.edit.decided", status: 409 };
  if (row.author !== editorId) return { messageKey: "hidden.edit.authorOnly", status: 403 };
  if (row.author_edit_used_at !== null) return { messageKey: "hidden.edit.used", status: 409 };
  return null;
}

/** hiddenEditRefusal, thrown (inside the editing transaction, before writing). */
export function refuseHiddenEdit(tx: Tx, type: HideableType, id: number, editorId: string) {
  const refusal = hiddenEditRefusal(tx, type, id, editorId);
  if (refusal) throw new HiddenEditRefusedError(refusal);
}

/**
 * Call inside the editing transaction, after the edit is written. When this is the author's one
 * edit of content hidden by flags (the first time), it starts waiting for acceptance; returns
 * whether it does. A host's hiding is undone only by a proposal, not by an edit.
 */
export function noteEditWhileHidden(tx: Tx, type: HideableType, id: number, editorId: string, now: Date): boolean {
  const row = hiddenRow(tx, type, id);
  if (!row?.hidden_at || row.hidden_by || row.author !== editorId) return false;
  if (row.author_edit_used_at !== null || row.times_hidden >= 2) return false;
  tx.run(sql`UPDATE ${sql.identifier(hideable[type].table)} SET author_edit_used_at = ${now.getTime()} WHERE id = ${id}`);
  tx.run(sql`DELETE FROM ${editAcceptances} WHERE target_type = ${type} AND target_id = ${String(id)}`);
  appendLog(tx, { action: "content.edited-while-hidden", actorId: editorId, subjectType: hideable[type].subjectType, subjectId: row.subject_id, detail: { target: type, targetId: id }, at: now });
  return true;
}

/** Standing flags on the target: who flagged, and the newest flag's time. */
function standingFlags(reader: Reader, type: HideableType, id: number) {
  const rows = reader.all<{ member_id: string; created_at: number }>(sql`
    SELECT member_id, created_at FROM ${flags} WHERE target_type = ${type} AND target_id = ${String(id)} AND cleared_at IS NULL`);
  return { flaggers: new Set(rows.map((r) => r.member_id)), lastFlagAt: rows.length ? Math.max(...rows.map((r) => r.created_at)) : null };
}

function decide(reader: Reader, type: HideableType, row: HiddenRow & { author_edit_used_at: number }, voices: { has(memberId: string): boolean }, now: number): EditReturn | null {
  const { flaggers, lastFlagAt } = standingFlags(reader, type, row.id);
  const accepted = reader.all<{ member_id: string }>(sql`SELECT member_id FROM ${editAcceptances} WHERE target_type = ${type} AND target_id = ${String(row.id)}`);
  const acceptances = accepted.map((a) => ({ hasVoice: voices.has(a.member_id), flagged: flaggers.has(a.member_id) }));
  // Only flags placed after the edit restart the wait.
  const newFlagAt = lastFlagAt !== null && lastFlagAt > row.author_edit_used_at ? lastFlagAt : null;
  return editReturns({ editedAt: row.author_edit_used_at, lastFlagAt: newFlagAt, acceptances, now });
}

function returnContent(tx: Tx, type: HideableType, row: HiddenRow, by: EditReturn, now: Date) {
  tx.run(sql`UPDATE ${sql.identifier(hideable[type].table)} SET hidden_at = NULL, hidden_rule = NULL WHERE id = ${row.id}`);
  tx.run(sql`UPDATE ${flags} SET cleared_at = ${now.getTime()} WHERE target_type = ${type} AND target_id = ${String(row.id)} AND cleared_at IS NULL`);
  const detail = type === "initiative" ? { by } : { target: type, targetId: row.id, by };
  appendLog(tx, { action: "content.restored", actorId: null, subjectType: hideable[type].subjectType, subjectId: row.subject_id, detail, at: now });
}

/** A member with a voice accepts the author's edit; returns whether the content came back. */
export function acceptEdit(type: HideableType, id: number, memberId: string, now = new Date()): { returned: boolean } {
  const voices = voiceSnapshot(now.getTime()).voices;
  if (!voices.has(memberId)) throw new EditAcceptanceRefusedError("hosts.accept.noVoice");
  return db().transaction((tx) => {
    const row = hiddenRow(tx, type, id);
    if (!row) throw new EditAcceptanceRefusedError("hosts.accept.notFound", 404);
    // Two acceptances at once: the second finds it back already and changes nothing.
    if (!row.hidden_at) return { returned: false };
    if (!awaiting(row)) throw new EditAcceptanceRefusedError("hosts.accept.notWaiting", 409);
    if (row.author === memberId) throw new EditAcceptanceRefusedError("hosts.accept.own", 403);
    const inserted = tx.insert(editAcceptances).values({ targetType: type, targetId: String(id), memberId, at: now }).onConflictDoNothing().run();
    if (inserted.changes) appendLog(tx, { action: "content.edit-accepted", actorId: memberId, subjectType: hideable[type].subjectType, subjectId: row.subject_id, detail: { target: type, targetId: id }, at: now });
    const by = decide(tx, type, row, voices, now.getTime());
    if (by) returnContent(tx, type, row, by, now);
    return { returned: !!by };
  }, { behavior: "immediate" });
}

/** A flag on content that waits for acceptance withdraws that member's acceptance (call in the flag's transaction). */
export function withdrawAcceptanceByFlag(tx: Tx, type: string, id: string, memberId: string) {
  tx.run(sql`DELETE FROM ${editAcceptances} WHERE target_type = ${type} AND target_id = ${id} AND member_id = ${memberId}`);
}

/** For the scheduler: edits that waited 3 days without a new flag come back. Idempotent. */
export function returnQuietEdits(now = new Date()): number {
  const voices = voiceSnapshot(now.getTime()).voices;
  const since = now.getTime() - governance.editReturnsAfterDays * 86_400_000;
  let returned = 0;
  for (const type of hideableTypes) {
    const k = hideable[type];
    const candidates = db().all<{ id: number }>(sql`
      SELECT id FROM ${sql.identifier(k.table)}
      WHERE hidden_at IS NOT NULL AND author_edit_used_at IS NOT NULL AND author_edit_used_at >= hidden_at AND author_edit_used_at <= ${since}`);
    for (const { id } of candidates) {
      returned += db().transaction((tx) => {
        const row = hiddenRow(tx, type, id);
        if (!awaiting(row)) return 0;
        const by = decide(tx, type, row, voices, now.getTime());
        if (!by) return 0;
        returnContent(tx, type, row, by, now);
        return 1;
      }, { behavior: "immediate" });
    }
  }
  return returned;
}

/** Whether the target waits for acceptance, as this viewer sees it (null when it does not wait). */
export function editWaiting(type: HideableType, id: number, viewer: { memberId: string | null; hasVoice: boolean }): EditWaiting | null {
  const row = hiddenRow(db(), type, id);
  if (!awaiting(row)) return null;
  const accepted = db().all<{ member_id: string }>(sql`SELECT member_id FROM ${editAcceptances} WHERE target_type = ${type} AND target_id = ${String(id)}`);
  const acceptedByMe = !!viewer.memberId && accepted.some((a) => a.member_id === viewer.memberId);
  return { since: row.author_edit_used_at, acceptances: accepted.length, acceptedByMe, canAccept: viewer.hasVoice && !acceptedByMe && row.author !== viewer.memberId };
}

/** Where the target is shown, for the redirect after accepting; null when it does not exist. */
export function hiddenTargetPage(type: HideableType, id: number): string | null {
  const row = hiddenRow(db(), type, id);
  if (!row) return null;
  if (type === "initiative") return `/initiatives/${id}?show=1`;
  if (type === "method") return `/methods/${id}`;
  if (type === "proposal-comment") return `/proposals/${row.subject_id}#proposal-comment-${id}`;
  return `/initiatives/${row.subject_id}#${type}-${id}`;
}
