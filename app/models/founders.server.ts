// Founders (governance.md §1): the first account of a network, and whoever a founder invites while
// the network bootstraps (a link by mail, at most 15 founders in all) once more than half of the
// founders with a voice said yes: the invitation is its inviter's yes, the others say theirs after
// the invited member accepted. During the bootstrap founders have a voice; while they hold one they
// are witnesses. Every invitation, acceptance and yes is logged, never the address.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { founderConfirmations, founderInvitations, members, outbox } from "../../db/schema";
import { governance } from "~/governance/config";
import { founderYesNeeded } from "~/governance/rules";
import type { Db } from "../../db/client";
import { db } from "~/lib/db.server";
import { translator, type Locale } from "~/lib/i18n";
import { resubmitWindowMs } from "~/lib/forms";
import { queueMemberMail, siteUrl } from "~/lib/mail.server";
import { appendLog } from "./log.server";
import { normaliseEmail } from "./members.server";
import { founderVoiceFrom, voiceSnapshot } from "./voice.server";

const dayMs = 86_400_000;
export const invitationTokenPattern = /^[A-Za-z0-9_-]{43}$/;
const invitationHashPattern = /^[0-9a-f]{64}$/;

export class FounderRefusedError extends Error {
  constructor(
    public messageKey:
      | "founder.notFounder"
      | "founder.noVoiceYet"
      | "founder.notBootstrapping"
      | "founder.full"
      | "founder.invalid"
      | "founder.already"
      | "founder.awaiting"
      | "founder.yes.own"
      | "founder.yes.already"
      | "member.held",
    public status = 403,
  ) {
    super(messageKey);
  }
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Makes the network's first account its first founder (call right after creating it). */
export function foundIfFirst(memberId: string, now = new Date()) {
  db().transaction((tx) => {
    const others = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM members WHERE id <> ${memberId}`).n;
    if (others > 0) return;
    tx.update(members).set({ founderAt: now }).where(eq(members.id, memberId)).run();
    appendLog(tx, { action: "founder.joined", actorId: memberId, subjectType: "member", subjectId: memberId, detail: { first: true }, at: now });
  }, { behavior: "immediate" });
}

type Reader = Pick<ReturnType<typeof db>, "get" | "all">;
type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** How long an accepted invitation waits for the founders' yes. */
const yesWindowMs = governance.founderInvitationDays * dayMs;

const founderCount = (tx: Reader) => tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM members WHERE founder_at IS NOT NULL AND deleted_at IS NULL`).n;

const displayName = (tx: Reader, id: string | null) =>
  id ? (tx.get<{ display_name: string } | undefined>(sql`SELECT display_name FROM members WHERE id = ${id}`)?.display_name ?? null) : null;

/** Founders, plus the places open invitations and accepted ones still waiting for a yes keep. */
function foundersAndOpenInvitations(tx: Reader, now: Date) {
  const open = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM founder_invitations WHERE used_at IS NULL AND expires_at > ${now.getTime()}`).n;
  return founderCount(tx) + open + waitingInvitations(tx, now).length;
}

/** The founders who have a voice now: who says yes to a new founder. */
function foundersWithVoice(tx: Reader, snapshot: ReturnType<typeof voiceSnapshot>): string[] {
  return tx
    .all<{ id: string }>(sql`SELECT id FROM members WHERE founder_at IS NOT NULL AND deleted_at IS NULL`)
    .map((r) => r.id)
    .filter((id) => snapshot.hasVoice(id));
}

type Waiting = { tokenHash: string; invitedBy: string | null; usedBy: string; usedAt: number };

/** Who said yes to a waiting invitation, among the founders with a voice: its inviter and those who confirmed it. */
function yesOf(tx: Reader, invitation: Waiting, electorate: string[]): string[] {
  const confirmed = tx.all<{ member_id: string }>(sql`SELECT member_id FROM founder_confirmations WHERE token_hash = ${invitation.tokenHash} ORDER BY at`).map((r) => r.member_id);
  return [...new Set([invitation.invitedBy, ...confirmed])].filter((id): id is string => id !== null && electorate.includes(id));
}

/**
 * Makes the invited member a founder when more than half of `electorate` (the founders with a
 * voice) said yes, in the transaction of the acceptance or the last yes. True when it did.
 */
function settle(tx: Tx, invitation: Waiting, electorate: string[], now: Date): boolean {
  const yes = yesOf(tx, invitation, electorate);
  if (yes.length < founderYesNeeded(electorate.length)) return false;
  if (founderCount(tx) >= governance.maxFounders) throw new FounderRefusedError("founder.full", 409);
  tx.update(members).set({ founderAt: now }).where(and(eq(members.id, invitation.usedBy), isNull(members.founderAt))).run();
  tx.update(founderInvitations).set({ confirmedAt: now }).where(eq(founderInvitations.tokenHash, invitation.tokenHash)).run();
  appendLog(tx, { action: "founder.joined", actorId: invitation.usedBy, subjectType: "member", subjectId: invitation.usedBy, detail: { invitedBy: invitation.invitedBy, yes }, at: now });
  return true;
}

/**
 * The accepted invitations still waiting for a yes, oldest first; not those of a member who left
 * or is held (a held member gains no standing, governance.md §4).
 */
function waitingInvitations(tx: Reader, now: Date): Waiting[] {
  return tx.all<Waiting>(sql`
    SELECT f.token_hash AS tokenHash, f.invited_by AS invitedBy, f.used_by AS usedBy, f.used_at AS usedAt
    FROM founder_invitations f JOIN members m ON m.id = f.used_by
    WHERE f.used_at > ${now.getTime() - yesWindowMs} AND f.confirmed_at IS NULL AND m.deleted_at IS NULL AND m.posting_held_at IS NULL
    ORDER BY f.used_at`);
}

/** `voiceFrom`: when a founder without a voice yet gets one, and can invite (null otherwise). */
export type FounderInvitePanel = { canInvite: boolean; places: number; reason: FounderRefusedError["messageKey"] | null; voiceFrom: number | null };

/** What the settings page shows a member about inviting founders. */
export function founderInvitePanel(memberId: string, now = new Date()): FounderInvitePanel | null {
  const member = db().get<{ founder_at: number | null; posting_held_at: number | null } | undefined>(sql`SELECT founder_at, posting_held_at FROM members WHERE id = ${memberId}`);
  if (!member?.founder_at) return null;
  const refusal = inviteRefusal(memberId, now);
  return {
    canInvite: refusal === null,
    places: Math.max(0, governance.maxFounders - foundersAndOpenInvitations(db(), now)),
    reason: refusal,
    voiceFrom: refusal === "founder.noVoiceYet" ? founderVoiceFrom(memberId, now.getTime()) : null,
  };
}

function inviteRefusal(memberId: string, now: Date): FounderRefusedError["messageKey"] | null {
  const member = db().get<{ founder_at: number | null; posting_held_at: number | null } | undefined>(sql`SELECT founder_at, posting_held_at FROM members WHERE id = ${memberId}`);
  if (!member?.founder_at) return "founder.notFounder";
  if (member.posting_held_at) return "member.held";
  const snapshot = voiceSnapshot(now.getTime());
  // After the bootstrap a founder would only be a shortcut to witness status: voices come from meetings then.
  if (!snapshot.bootstrapping) return "founder.notBootstrapping";
  if (!snapshot.hasVoice(memberId)) return "founder.noVoiceYet";
  if (foundersAndOpenInvitations(db(), now) >= governance.maxFounders) return "founder.full";
  return null;
}

/** A founder invites someone by mail; returns the token (the mail carries the link), or null when it was just sent. */
export function inviteFounder(inviterId: string, email: string, locale: Locale, now = new Date()): string | null {
  const refusal = inviteRefusal(inviterId, now);
  if (refusal) throw new FounderRefusedError(refusal, refusal === "founder.full" ? 409 : 403);
  const token = randomBytes(32).toString("base64url");
  return db().transaction((tx) => {
    // The same invitation sent again at once (a double click, a retry) is the one already sent.
    const repeated = tx.get(sql`
      SELECT 1 FROM outbox WHERE kind = 'founder-invitation' AND to_address = ${normaliseEmail(email)} AND created_at > ${now.getTime() - resubmitWindowMs}`);
    if (repeated) return null;
    if (foundersAndOpenInvitations(tx, now) >= governance.maxFounders) throw new FounderRefusedError("founder.full", 409);
    const expiresAt = new Date(now.getTime() + governance.founderInvitationDays * dayMs);
    tx.insert(founderInvitations).values({ tokenHash: hashToken(token), invitedBy: inviterId, createdAt: now, expiresAt }).run();
    const inviter = displayName(tx, inviterId) ?? "";
    const t = translator(locale);
    // The address is used for this one mail and kept nowhere else.
    tx.insert(outbox)
      .values({
        dedupeKey: `founder-invitation:${hashToken(token)}`,
        kind: "founder-invitation",
        memberId: null,
        toAddress: normaliseEmail(email),
        subject: t("mail.founderInvitation.subject", { name: inviter }),
        body: t("mail.founderInvitation.body", { name: inviter, url: siteUrl(`/founders/${token}`), days: governance.founderInvitationDays }),
        createdAt: now,
        nextAttemptAt: now.getTime(),
      })
      .run();
    appendLog(tx, { action: "founder.invited", actorId: inviterId, subjectType: "network", subjectId: "network", detail: { expiresAt: expiresAt.toISOString() }, at: now });
    return token;
  }, { behavior: "immediate" });
}

export type InvitationState = "valid" | "invalid" | "full";

export function invitationState(token: string, now = new Date()): InvitationState {
  if (!invitationTokenPattern.test(token)) return "invalid";
  const row = db().select().from(founderInvitations).where(eq(founderInvitations.tokenHash, hashToken(token))).get();
  if (!row || row.usedAt || row.expiresAt <= now) return "invalid";
  return "valid";
}

/**
 * The invited member accepts: a founder at once when the inviter's yes is enough (more than half
 * of the founders with a voice), otherwise once enough other founders said yes, within 14 days.
 */
export function acceptFounderInvitation(token: string, memberId: string, now = new Date()): "founder" | "waiting" {
  if (!invitationTokenPattern.test(token)) throw new FounderRefusedError("founder.invalid", 404);
  // After the bootstrap no new founders: an invitation sent before it ended is void.
  const snapshot = voiceSnapshot(now.getTime());
  if (!snapshot.bootstrapping) throw new FounderRefusedError("founder.notBootstrapping", 403);
  return db().transaction((tx) => {
    const row = tx.select().from(founderInvitations).where(and(eq(founderInvitations.tokenHash, hashToken(token)), isNull(founderInvitations.usedAt))).get();
    if (!row || row.expiresAt <= now) throw new FounderRefusedError("founder.invalid", 404);
    const member = tx.select({ founderAt: members.founderAt, heldAt: members.postingHeldAt }).from(members).where(eq(members.id, memberId)).get();
    if (!member) throw new FounderRefusedError("founder.invalid", 404);
    if (member.founderAt) throw new FounderRefusedError("founder.already", 409);
    // A held member gains no governance standing until a proposal restores them (governance.md §4).
    if (member.heldAt) throw new FounderRefusedError("member.held", 403);
    if (waitingInvitations(tx, now).some((w) => w.usedBy === memberId)) throw new FounderRefusedError("founder.awaiting", 409);
    if (founderCount(tx) >= governance.maxFounders) throw new FounderRefusedError("founder.full", 409);
    tx.update(founderInvitations).set({ usedAt: now, usedBy: memberId }).where(eq(founderInvitations.tokenHash, row.tokenHash)).run();
    const waiting: Waiting = { tokenHash: row.tokenHash, invitedBy: row.invitedBy, usedBy: memberId, usedAt: now.getTime() };
    const electorate = foundersWithVoice(tx, snapshot);
    if (settle(tx, waiting, electorate, now)) return "founder";
    appendLog(tx, { action: "founder.accepted", actorId: memberId, subjectType: "member", subjectId: memberId, detail: { invitedBy: row.invitedBy }, at: now });
    // The other founders with a voice are asked for their yes.
    const name = displayName(tx, memberId) ?? "";
    const inviter = displayName(tx, row.invitedBy);
    for (const founderId of electorate) {
      if (founderId === row.invitedBy) continue;
      queueMemberMail(tx, {
        memberId: founderId,
        kind: "founder-yes",
        dedupeKey: `founder-yes:${row.tokenHash}:${founderId}`,
        now,
        compose: (t) => ({
          subject: t("mail.founderYes.subject", { name }),
          body: t("mail.founderYes.body", { name, inviter: inviter ?? t("founder.waiting.unknownInviter"), url: siteUrl("/founders"), days: governance.founderInvitationDays }),
        }),
      });
    }
    return "waiting";
  }, { behavior: "immediate" });
}

/**
 * A founder with a voice says yes to a member who accepted an invitation (not their own, nor one
 * they sent: that is already its inviter's yes). The member becomes a founder with the yes that
 * makes more than half.
 */
export function sayYesToFounder(founderId: string, invitation: string, now = new Date()): "founder" | "waiting" {
  if (!invitationHashPattern.test(invitation)) throw new FounderRefusedError("founder.invalid", 404);
  const snapshot = voiceSnapshot(now.getTime());
  if (!snapshot.bootstrapping) throw new FounderRefusedError("founder.notBootstrapping", 403);
  const me = db().get<{ founder_at: number | null; posting_held_at: number | null } | undefined>(sql`SELECT founder_at, posting_held_at FROM members WHERE id = ${founderId}`);
  if (me?.posting_held_at) throw new FounderRefusedError("member.held", 403);
  if (!me?.founder_at) throw new FounderRefusedError("founder.notFounder", 403);
  if (!snapshot.hasVoice(founderId)) throw new FounderRefusedError("founder.noVoiceYet", 403);
  return db().transaction((tx) => {
    const waiting = waitingInvitations(tx, now).find((w) => w.tokenHash === invitation);
    if (!waiting) throw new FounderRefusedError("founder.invalid", 404);
    if (waiting.invitedBy === founderId || waiting.usedBy === founderId) throw new FounderRefusedError("founder.yes.own", 403);
    const added = tx.insert(founderConfirmations).values({ tokenHash: invitation, memberId: founderId, at: now }).onConflictDoNothing().run();
    if (added.changes === 0) throw new FounderRefusedError("founder.yes.already", 409);
    appendLog(tx, { action: "founder.confirmed", actorId: founderId, subjectType: "member", subjectId: waiting.usedBy, detail: { invitedBy: waiting.invitedBy }, at: now });
    return settle(tx, waiting, foundersWithVoice(tx, snapshot), now) ? "founder" : "waiting";
  }, { behavior: "immediate" });
}

export type WaitingFounder = {
  invitation: string;
  memberId: string;
  name: string;
  invitedBy: string | null;
  acceptedAt: number;
  until: number;
  yes: number;
  needed: number;
  /** Whether the reader may still say yes (a founder with a voice who did not send it, nor said yes). */
  canSayYes: boolean;
};

/** The /founders page: inviting, the accepted invitations waiting for a yes, and the reader's own. */
export function foundersPage(memberId: string, now = new Date()) {
  const snapshot = voiceSnapshot(now.getTime());
  const reader = db();
  const electorate = foundersWithVoice(reader, snapshot);
  const needed = founderYesNeeded(electorate.length);
  const voter = electorate.includes(memberId);
  const waiting: WaitingFounder[] = snapshot.bootstrapping
    ? waitingInvitations(reader, now).map((w) => {
        const yes = yesOf(reader, w, electorate);
        return {
          invitation: w.tokenHash,
          memberId: w.usedBy,
          name: displayName(reader, w.usedBy) ?? "",
          invitedBy: displayName(reader, w.invitedBy),
          acceptedAt: w.usedAt,
          until: w.usedAt + yesWindowMs,
          yes: yes.length,
          needed,
          canSayYes: voter && w.usedBy !== memberId && w.invitedBy !== memberId && !yes.includes(memberId),
        };
      })
    : [];
  return {
    panel: founderInvitePanel(memberId, now),
    voters: electorate.length,
    waiting: waiting.filter((w) => w.memberId !== memberId),
    mine: waiting.find((w) => w.memberId === memberId) ?? null,
    max: governance.maxFounders,
    days: governance.founderInvitationDays,
  };
}
