// Founders (governance.md §1): the first account of a network, and whoever a founder invites while
// the network bootstraps (a link by mail, at most 15 founders in all). During the bootstrap founders
// have a voice; while they hold one they are witnesses. Every invitation and acceptance is logged,
// never the address.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { founderInvitations, members, outbox } from "../../db/schema";
import { governance } from "~/governance/config";
import { db } from "~/lib/db.server";
import { translator, type Locale } from "~/lib/i18n";
import { resubmitWindowMs } from "~/lib/forms";
import { siteUrl } from "~/lib/mail.server";
import { appendLog } from "./log.server";
import { normaliseEmail } from "./members.server";
import { voiceSnapshot } from "./voice.server";

const dayMs = 86_400_000;
export const invitationTokenPattern = /^[A-Za-z0-9_-]{43}$/;

export class FounderRefusedError extends Error {
  constructor(public messageKey: "founder.notFounder" | "founder.notBootstrapping" | "founder.full" | "founder.invalid" | "founder.already" | "member.held", public status = 403) {
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

function foundersAndOpenInvitations(tx: Pick<ReturnType<typeof db>, "get">, now: Date) {
  return tx.get<{ n: number }>(sql`
    SELECT (SELECT count(*) FROM members WHERE founder_at IS NOT NULL AND deleted_at IS NULL)
      + (SELECT count(*) FROM founder_invitations WHERE used_at IS NULL AND expires_at > ${now.getTime()}) AS n`).n;
}

export type FounderInvitePanel = { canInvite: boolean; places: number; reason: FounderRefusedError["messageKey"] | null };

/** What the settings page shows a member about inviting founders. */
export function founderInvitePanel(memberId: string, now = new Date()): FounderInvitePanel | null {
  const member = db().get<{ founder_at: number | null; posting_held_at: number | null } | undefined>(sql`SELECT founder_at, posting_held_at FROM members WHERE id = ${memberId}`);
  if (!member?.founder_at) return null;
  const refusal = inviteRefusal(memberId, now);
  return { canInvite: refusal === null, places: Math.max(0, governance.maxFounders - foundersAndOpenInvitations(db(), now)), reason: refusal };
}

function inviteRefusal(memberId: string, now: Date): FounderRefusedError["messageKey"] | null {
  const member = db().get<{ founder_at: number | null; posting_held_at: number | null } | undefined>(sql`SELECT founder_at, posting_held_at FROM members WHERE id = ${memberId}`);
  if (!member?.founder_at) return "founder.notFounder";
  if (member.posting_held_at) return "member.held";
  const snapshot = voiceSnapshot(now.getTime());
  // After the bootstrap a founder would only be a shortcut to witness status: voices come from meetings then.
  if (!snapshot.bootstrapping) return "founder.notBootstrapping";
  if (!snapshot.hasVoice(memberId)) return "founder.notFounder";
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
    const inviter = tx.get<{ display_name: string }>(sql`SELECT display_name FROM members WHERE id = ${inviterId}`).display_name;
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

/** The invited member accepts: a founder from now on (once; at most 15 founders). */
export function acceptFounderInvitation(token: string, memberId: string, now = new Date()) {
  if (!invitationTokenPattern.test(token)) throw new FounderRefusedError("founder.invalid", 404);
  // After the bootstrap no new founders: an invitation sent before it ended is void.
  if (!voiceSnapshot(now.getTime()).bootstrapping) throw new FounderRefusedError("founder.notBootstrapping", 403);
  db().transaction((tx) => {
    const row = tx.select().from(founderInvitations).where(and(eq(founderInvitations.tokenHash, hashToken(token)), isNull(founderInvitations.usedAt))).get();
    if (!row || row.expiresAt <= now) throw new FounderRefusedError("founder.invalid", 404);
    const member = tx.select({ founderAt: members.founderAt, heldAt: members.postingHeldAt }).from(members).where(eq(members.id, memberId)).get();
    if (!member) throw new FounderRefusedError("founder.invalid", 404);
    if (member.founderAt) throw new FounderRefusedError("founder.already", 409);
    // A held member gains no governance standing until a proposal restores them (governance.md §4).
    if (member.heldAt) throw new FounderRefusedError("member.held", 403);
    const founders = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM members WHERE founder_at IS NOT NULL AND deleted_at IS NULL`).n;
    if (founders >= governance.maxFounders) throw new FounderRefusedError("founder.full", 409);
    tx.update(founderInvitations).set({ usedAt: now, usedBy: memberId }).where(eq(founderInvitations.tokenHash, row.tokenHash)).run();
    tx.update(members).set({ founderAt: now }).where(eq(members.id, memberId)).run();
    appendLog(tx, { action: "founder.joined", actorId: memberId, subjectType: "member", subjectId: memberId, detail: { invitedBy: row.invitedBy }, at: now });
  }, { behavior: "immediate" });
}
