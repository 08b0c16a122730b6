// Changing one's password or e-mail address while logged in. Both ask for the current password,
// counted on the same limit as failed logins (a borrowed login session cannot be used to guess
// it). A new address is used only once the link mailed to it has been followed.
import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import { authSessions, emailChanges, members } from "../../db/schema";
import type { Db } from "../../db/client";
import { rateLimitRules } from "~/governance/config";
import { hashPassword } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { queueMemberMail, siteUrl } from "~/lib/mail.server";
import { deleteAccount, endResetLinks, hashResetToken, isOwnPassword, resetTokenPattern } from "./account.server";
import { normaliseEmail } from "./members.server";
import { hitRateLimit, refundRateLimit } from "./rate-limits.server";

export const emailChangeValidHours = 24;

type PasswordCheck = { ok: true } | { ok: false; refusal: "wrong" } | { ok: false; refusal: "limited"; retryAfterMinutes: number };

/** The same counter as failed logins and leaving the network, counted before the hash is checked. */
async function claimPasswordCheck(memberId: string, password: string): Promise<PasswordCheck> {
  const key = `login:account:${memberId}`;
  const rule = rateLimitRules.loginFailuresPerAccount;
  const countedAt = Date.now();
  const hit = hitRateLimit(key, rule, countedAt);
  if (!hit.allowed) return { ok: false, refusal: "limited", retryAfterMinutes: hit.retryAfterMinutes };
  if (!(await isOwnPassword(memberId, password))) return { ok: false, refusal: "wrong" };
  refundRateLimit(key, rule, countedAt);
  return { ok: true };
}

export type PasswordChange = PasswordCheck;

/** Leaving the network: the account is deleted once its password is given (see deleteAccount). */
export async function leaveNetwork(memberId: string, password: string): Promise<PasswordCheck> {
  const check = await claimPasswordCheck(memberId, password);
  if (check.ok) deleteAccount(memberId);
  return check;
}

/**
 * Stores the new password (argon2id) and ends every other login session of the member; the one
 * this was asked from (`keepSessionId`) stays. The member is mailed that it changed.
 */
export async function changePassword(memberId: string, keepSessionId: string, input: { current: string; password: string }, now = new Date()): Promise<PasswordChange> {
  const check = await claimPasswordCheck(memberId, input.current);
  if (!check.ok) return check;
  const passwordHash = await hashPassword(input.password);
  db().transaction(
    (tx) => {
      tx.update(members).set({ passwordHash }).where(eq(members.id, memberId)).run();
      tx.delete(authSessions).where(and(eq(authSessions.userId, memberId), ne(authSessions.id, keepSessionId))).run();
      // A reset link still waiting would set another password over this one: whoever asked for it
      // is the one the change keeps out.
      endResetLinks(tx, memberId, now);
      queueMemberMail(tx, {
        memberId,
        kind: "password-changed",
        dedupeKey: `password-changed:${memberId}:${now.getTime()}:${randomBytes(4).toString("hex")}`,
        now,
        compose: (t) => ({ subject: t("mail.passwordChanged.subject"), body: t("mail.passwordChanged.body", { forgot: siteUrl("/password/forgot") }) }),
      });
    },
    { behavior: "immediate" },
  );
  return { ok: true };
}

export type EmailChangeRequest = { ok: true; token: string } | { ok: false; refusal: "wrong" | "limited" | "same"; retryAfterMinutes?: number };

/**
 * Mails a single-use link to the new address (valid 24 hours) and a notice to the old one; an
 * earlier change still waiting is replaced. When another account has the new address, its holder
 * is told instead and no link is sent: the one asking gets the very same answer, as at sign-up
 * (docs/decisions/005), so this does not tell which addresses have an account. Returns the token
 * only for tests.
 */
export async function requestEmailChange(memberId: string, input: { email: string; password: string }, now = new Date()): Promise<EmailChangeRequest> {
  const perAccount = hitRateLimit(`email-change:account:${memberId}`, rateLimitRules.emailChangePerAccount, now.getTime());
  if (!perAccount.allowed) return { ok: false, refusal: "limited", retryAfterMinutes: perAccount.retryAfterMinutes };
  const check = await claimPasswordCheck(memberId, input.password);
  if (!check.ok) return check;
  const newEmail = normaliseEmail(input.email);
  return db().transaction(
    (tx): EmailChangeRequest => {
      const member = tx.select({ email: members.email }).from(members).where(and(eq(members.id, memberId), isNull(members.deletedAt))).get();
      if (!member || member.email === newEmail) return { ok: false, refusal: "same" };
      tx.delete(emailChanges).where(and(eq(emailChanges.memberId, memberId), isNull(emailChanges.usedAt))).run();
      const token = randomBytes(32).toString("base64url");
      const tokenHash = hashResetToken(token);
      const expiresAt = new Date(now.getTime() + emailChangeValidHours * 3_600_000);
      tx.insert(emailChanges).values({ tokenHash, memberId, newEmail, createdAt: now, expiresAt }).run();
      const holder = tx.select({ id: members.id }).from(members).where(eq(members.email, newEmail)).get();
      if (holder) {
        queueMemberMail(tx, {
          memberId: holder.id,
          kind: "email-change-taken",
          dedupeKey: `email-change-taken:${tokenHash}`,
          now,
          compose: (t) => ({ subject: t("mail.emailChangeTaken.subject"), body: t("mail.emailChangeTaken.body", { login: siteUrl("/login"), forgot: siteUrl("/password/forgot") }) }),
        });
      } else {
        const url = siteUrl(`/settings/email/${token}`);
        queueMemberMail(tx, {
          memberId,
          toAddress: newEmail,
          kind: "email-change",
          dedupeKey: `email-change:${tokenHash}`,
          now,
          compose: (t) => ({ subject: t("mail.emailChange.subject"), body: t("mail.emailChange.body", { url, hours: emailChangeValidHours }) }),
        });
      }
      queueMemberMail(tx, {
        memberId,
        kind: "email-change-asked",
        dedupeKey: `email-change-asked:${tokenHash}`,
        now,
        compose: (t) => ({ subject: t("mail.emailChangeAsked.subject"), body: t("mail.emailChangeAsked.body", { email: newEmail, forgot: siteUrl("/password/forgot") }) }),
      });
      return { ok: true, token };
    },
    { behavior: "immediate" },
  );
}

/** The address in use and, when a change waits for its link, the new one: for /settings. */
export function emailSettingsOf(memberId: string, now = new Date()) {
  const member = db().select({ email: members.email }).from(members).where(eq(members.id, memberId)).get();
  const waiting = db()
    .select({ newEmail: emailChanges.newEmail, expiresAt: emailChanges.expiresAt })
    .from(emailChanges)
    .where(and(eq(emailChanges.memberId, memberId), isNull(emailChanges.usedAt), gt(emailChanges.expiresAt, now)))
    .orderBy(desc(emailChanges.createdAt))
    .get();
  return { email: member?.email ?? "", waiting: waiting ? { email: waiting.newEmail, until: waiting.expiresAt.getTime() } : null };
}

export type EmailChangeState = "valid" | "expired" | "used" | "unknown" | "taken";

function emailChangeState(tx: Pick<Db, "select">, token: string, now: Date) {
  const none = { memberId: null, newEmail: null };
  if (!resetTokenPattern.test(token)) return { state: "unknown" as const, ...none };
  const row = tx
    .select({ memberId: emailChanges.memberId, newEmail: emailChanges.newEmail, expiresAt: emailChanges.expiresAt, usedAt: emailChanges.usedAt, deletedAt: members.deletedAt })
    .from(emailChanges)
    .innerJoin(members, eq(members.id, emailChanges.memberId))
    .where(eq(emailChanges.tokenHash, hashResetToken(token)))
    .get();
  if (!row || row.deletedAt) return { state: "unknown" as const, ...none };
  if (row.usedAt) return { state: "used" as const, ...none };
  if (row.expiresAt.getTime() <= now.getTime()) return { state: "expired" as const, ...none };
  return { state: "valid" as const, memberId: row.memberId, newEmail: row.newEmail };
}

/** What the link's page shows: whether it still works, and to which address it changes. Changes nothing. */
export function emailChangePage(token: string, now = new Date()) {
  const { state, newEmail } = emailChangeState(db(), token, now);
  return { state, newEmail };
}

/**
 * Makes the waiting address the member's, in one immediate transaction, unless another account
 * took it meanwhile ("taken"): of two accounts confirming the same address at once, one wins.
 */
export function confirmEmailChange(token: string, now = new Date()): { state: EmailChangeState } {
  return db().transaction(
    (tx) => {
      const found = emailChangeState(tx, token, now);
      if (found.state !== "valid" || !found.memberId || !found.newEmail) return { state: found.state };
      const holder = tx.select({ id: members.id }).from(members).where(and(eq(members.email, found.newEmail), ne(members.id, found.memberId))).get();
      if (holder) return { state: "taken" as const };
      tx.update(members).set({ email: found.newEmail }).where(eq(members.id, found.memberId)).run();
      tx.update(emailChanges).set({ usedAt: now }).where(and(eq(emailChanges.memberId, found.memberId), isNull(emailChanges.usedAt))).run();
      // Reset links mailed to the old address stop working: that mailbox no longer speaks for the account.
      endResetLinks(tx, found.memberId, now);
      return { state: "valid" as const };
    },
    { behavior: "immediate" },
  );
}
