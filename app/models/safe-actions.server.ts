// Careful actions around a sign-up: what the confirm page says before a sign-up is cancelled,
// and the undo afterwards (ADR 026). Undo signs up again under the normal rules, in the same
// kind of transaction as any sign-up, so it can never take a place someone else already has.
import { and, eq, sql } from "drizzle-orm";
import { comments, flags, hosts, initiatives, members, registrations, sessions } from "../../db/schema";
import { db } from "~/lib/db.server";
import { undoMinutes } from "~/lib/notice";
import { HostRefusedError, stepBack } from "./hosts.server";
import type { ImageRef } from "~/lib/images";
import { postNow, saveProfileForm, setAvatar, type ProfileInput } from "./profiles.server";
import { appendLog } from "./log.server";
import { NotRegisteredError, registerInTx, RegistrationClosedError, withdraw } from "./registrations.server";

export class UndoGoneError extends Error {}

/** What cancelling this member's sign-up (or leaving the waiting list) means, for the confirm page. */
export function withdrawConfirmation(sessionId: number, memberId: string, now = new Date()) {
  const row = db()
    .select({ status: registrations.status, startsAt: sessions.startsAt, cancelledAt: sessions.cancelledAt, title: initiatives.title, hiddenAt: initiatives.hiddenAt })
    .from(registrations)
    .innerJoin(sessions, eq(sessions.id, registrations.sessionId))
    .innerJoin(initiatives, eq(initiatives.id, sessions.initiativeId))
    .where(and(eq(registrations.sessionId, sessionId), eq(registrations.memberId, memberId)))
    .get();
  if (!row || row.status === "cancelled" || row.cancelledAt || row.startsAt <= now) return null;
  return {
    sessionId,
    // A hidden initiative's title stays on the server (its session page decides who reads it).
    title: row.hiddenAt ? "" : row.title,
    startsAt: row.startsAt.getTime(),
    waitlisted: row.status === "waitlisted",
    undoMinutes,
  };
}

/** Cancels the sign-up; returns the moment, which the undo must name. */
export function withdrawWithUndo(sessionId: number, memberId: string, now = new Date()) {
  const before = withdrawConfirmation(sessionId, memberId, now);
  withdraw(sessionId, memberId, now);
  return { at: now.getTime(), waitlisted: !!before?.waitlisted };
}

/**
 * Undoes a cancelled sign-up: only the member's own, only within the window, and only while the
 * registration is exactly as the cancel left it. The place comes back if it is still free;
 * otherwise the member joins the back of the waiting list, like anyone signing up now.
 */
export function undoWithdraw(sessionId: number, memberId: string, at: number, now = new Date()) {
  return db().transaction((tx) => {
    const reg = tx.select().from(registrations).where(and(eq(registrations.sessionId, sessionId), eq(registrations.memberId, memberId))).get();
    const fresh = at <= now.getTime() && now.getTime() - at <= undoMinutes * 60_000;
    if (!reg || reg.status !== "cancelled" || reg.updatedAt.getTime() !== at || !fresh) throw new UndoGoneError();
    return registerInTx(tx, sessionId, memberId, now);
  }, { behavior: "immediate" });
}


/** What stepping back as host means, for the confirm page; null when the member is not a host. */
export function stepBackConfirmation(initiativeId: number, memberId: string) {
  const row = db().select({ title: initiatives.title, hiddenAt: initiatives.hiddenAt }).from(hosts).innerJoin(initiatives, eq(initiatives.id, hosts.initiativeId)).where(and(eq(hosts.initiativeId, initiativeId), eq(hosts.memberId, memberId))).get();
  if (!row) return null;
  const others = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM hosts WHERE initiative_id = ${initiativeId} AND member_id != ${memberId}`).n;
  return { initiativeId, title: row.hiddenAt ? "" : row.title, lastHost: others === 0, undoMinutes };
}

export function stepBackWithUndo(initiativeId: number, memberId: string, now = new Date()) {
  return stepBack(initiativeId, memberId, now);
}

/**
 * Undoes stepping back: only the member's own, within the window, while nothing about hosting
 * changed since (the step back is still the initiative's latest host entry in the log) and the
 * member may host (not held). The row comes back exactly as it was, so no right is gained.
 */
export function undoStepBack(initiativeId: number, memberId: string, at: number, now = new Date()) {
  db().transaction((tx) => {
    const latest = tx.get<{ action: string; actor_id: string | null; at: number; detail: string | null } | undefined>(sql`
      SELECT action, actor_id, at, detail FROM log_entries
      WHERE subject_type = 'initiative' AND subject_id = ${String(initiativeId)} AND action LIKE 'host.%'
      ORDER BY id DESC LIMIT 1`);
    const fresh = at <= now.getTime() && now.getTime() - at <= undoMinutes * 60_000;
    if (!latest || latest.action !== "host.stepped-back" || latest.actor_id !== memberId || latest.at !== at || !fresh) throw new UndoGoneError();
    const detail = JSON.parse(latest.detail ?? "{}") as { since?: unknown; lastActionAt?: unknown };
    if (typeof detail.since !== "number" || typeof detail.lastActionAt !== "number") throw new UndoGoneError();
    const member = tx.select({ held: members.postingHeldAt }).from(members).where(eq(members.id, memberId)).get();
    if (!member) throw new UndoGoneError();
    if (member.held) throw new HostRefusedError("member.held");
    const already = tx.select({ id: hosts.memberId }).from(hosts).where(and(eq(hosts.initiativeId, initiativeId), eq(hosts.memberId, memberId))).get();
    if (already) throw new UndoGoneError();
    tx.insert(hosts).values({ initiativeId, memberId, since: new Date(detail.since), lastActionAt: new Date(detail.lastActionAt) }).run();
    appendLog(tx, { action: "host.step-back-undone", actorId: memberId, subjectType: "initiative", subjectId: initiativeId, at: now });
  }, { behavior: "immediate" });
}

/**
 * The profile page is one form: saving the profile also posts a "now" line typed on it, and
 * posting the now line also keeps profile edits, so neither button loses what was typed (ADR 026).
 * A now line equal to the current one is not posted again.
 */
export function saveProfileAndNow(memberId: string, profile: ProfileInput | null, nowText: string, now = new Date()) {
  if (profile) {
    const saved = saveProfileForm(memberId, profile, now.getTime());
    if (!saved.ok) return saved;
  }
  const current = db().select({ nowText: members.nowText }).from(members).where(eq(members.id, memberId)).get();
  if (nowText && nowText !== current?.nowText) postNow(memberId, nowText, now, { once: true });
  return { ok: true as const };
}

/**
 * The profile page is one form: whichever button is pressed (save, save the photo, remove the
 * photo), what was typed is saved with it, so choosing a photo never loses a half-written profile.
 * `avatar`: a new photo, null to remove it, undefined to leave it. The photo is set only once the
 * text was saved, so a refused profile (an organisation to confirm) changes nothing.
 */
export function saveProfilePage(memberId: string, input: { profile: ProfileInput | null; nowText: string; avatar: ImageRef | null | undefined }, now = new Date()) {
  const saved = saveProfileAndNow(memberId, input.profile, input.nowText, now);
  if (saved.ok && input.avatar !== undefined) setAvatar(memberId, input.avatar);
  return saved;
}

export class CommentDeleteRefusedError extends Error {
  constructor(public messageKey: "safe.comment.hidden" | "safe.comment.notYours", public status: number) {
    super(messageKey);
  }
}

/** The author's own comment, for the confirm page; null when it does not exist. */
export function commentDeleteConfirmation(id: number, memberId: string) {
  const row = db().select({ memberId: comments.memberId, initiativeId: comments.initiativeId, hiddenAt: comments.hiddenAt, title: initiatives.title, initiativeHiddenAt: initiatives.hiddenAt }).from(comments).innerJoin(initiatives, eq(initiatives.id, comments.initiativeId)).where(eq(comments.id, id)).get();
  if (!row) return null;
  if (row.memberId !== memberId) throw new CommentDeleteRefusedError("safe.comment.notYours", 403);
  if (row.hiddenAt) throw new CommentDeleteRefusedError("safe.comment.hidden", 409);
  return { id, initiativeId: row.initiativeId, title: row.initiativeHiddenAt ? "" : row.title };
}

/**
 * The author deletes their own comment for good (comments have no soft delete, so no undo).
 * A hidden comment stays: the network decides about it, and a proposal may name it.
 */
export function deleteOwnComment(id: number, memberId: string) {
  return db().transaction((tx) => {
    const row = tx.select({ memberId: comments.memberId, initiativeId: comments.initiativeId, hiddenAt: comments.hiddenAt }).from(comments).where(eq(comments.id, id)).get();
    if (!row) return null;
    if (row.memberId !== memberId) throw new CommentDeleteRefusedError("safe.comment.notYours", 403);
    if (row.hiddenAt) throw new CommentDeleteRefusedError("safe.comment.hidden", 409);
    tx.delete(flags).where(and(eq(flags.targetType, "comment"), eq(flags.targetId, String(id)))).run();
    tx.delete(comments).where(eq(comments.id, id)).run();
    return { initiativeId: row.initiativeId };
  }, { behavior: "immediate" });
}
