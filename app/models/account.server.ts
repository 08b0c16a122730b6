// A member's own account (changing the password or address: account-changes.server.ts): password reset by mail, the link that logs in past the login delay,
// the mail about a sign-up with a known address, mail settings and the one-click unsubscribe,
// the download of all their data, and leaving the network (governance.md §8).
import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import {
  authSessions,
  comments,
  emailChanges,
  flags,
  hosts,
  initiatives,
  interests,
  learningLinks,
  memberTags,
  members,
  nowUpdates,
  outcomes,
  passwordResets,
  proposalComments,
  proposalPositionsTable,
  proposals,
  proposalVersions,
  registrations,
  sessionDrafts,
  sessions,
} from "../../db/schema";
import type { Db } from "../../db/client";
import { rateLimitRules } from "~/governance/config";
import { verifyPassword } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { imageUrl } from "~/lib/images";
import { optionalMailKinds, queueMemberMail, siteUrl, type OptionalMailKind } from "~/lib/mail.server";
import { releaseImages } from "./images.server";
import { appendLog } from "./log.server";
import { normaliseEmail } from "./members.server";
import { promoteFromWaitlist } from "./registrations.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const resetValidMs = 3_600_000;

/** Only this is stored: a leaked database does not hand out working reset links. */
export function hashResetToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}

export const resetTokenPattern = /^[A-Za-z0-9_-]{43}$/;

/**
 * Mails a reset link when an account has this address; does nothing otherwise, so the caller
 * answers the same either way. Returns the token only for tests.
 */
export function requestPasswordReset(email: string, now = new Date()): string | null {
  const address = normaliseEmail(email);
  return db().transaction((tx) => {
    const member = tx.select({ id: members.id }).from(members).where(and(eq(members.email, address), isNull(members.deletedAt))).get();
    if (!member) return null;
    const token = randomBytes(32).toString("base64url");
    const tokenHash = hashResetToken(token);
    tx.insert(passwordResets).values({ tokenHash, memberId: member.id, expiresAt: new Date(now.getTime() + resetValidMs) }).run();
    const url = siteUrl(`/password/reset/${token}`);
    queueMemberMail(tx, {
      memberId: member.id,
      kind: "password-reset",
      dedupeKey: `password-reset:${tokenHash}`,
      now,
      compose: (t) => ({ subject: t("mail.passwordReset.subject"), body: t("mail.passwordReset.body", { url }) }),
    });
    return token;
  }, { behavior: "immediate" });
}

export type ResetTokenState = "valid" | "expired" | "used" | "unknown";

function resetTokenState(tx: Pick<Db, "select">, token: string, now: Date) {
  if (!resetTokenPattern.test(token)) return { state: "unknown" as const, memberId: null };
  const row = tx
    .select({ memberId: passwordResets.memberId, expiresAt: passwordResets.expiresAt, usedAt: passwordResets.usedAt, deletedAt: members.deletedAt })
    .from(passwordResets)
    .innerJoin(members, eq(members.id, passwordResets.memberId))
    .where(eq(passwordResets.tokenHash, hashResetToken(token)))
    .get();
  if (!row || row.deletedAt) return { state: "unknown" as const, memberId: null };
  if (row.usedAt) return { state: "used" as const, memberId: null };
  if (row.expiresAt.getTime() <= now.getTime()) return { state: "expired" as const, memberId: null };
  return { state: "valid" as const, memberId: row.memberId };
}

export function checkResetToken(token: string, now = new Date()): ResetTokenState {
  return resetTokenState(db(), token, now).state;
}

export class ResetTokenError extends Error {
  constructor(public state: Exclude<ResetTokenState, "valid">) {
    super(`reset token ${state}`);
  }
}

/** Uses up every reset link of the member that is still open: a new password or address ends them. */
export function endResetLinks(tx: Tx, memberId: string, now: Date) {
  tx.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.memberId, memberId), isNull(passwordResets.usedAt))).run();
}

/**
 * Sets the new password (already hashed by the caller), uses up the token and every other open
 * link of the member, and ends all their login sessions. Returns the member id.
 */
export function resetPassword(token: string, passwordHash: string, now = new Date()): string {
  return db().transaction((tx) => {
    const { state, memberId } = resetTokenState(tx, token, now);
    if (state !== "valid" || !memberId) throw new ResetTokenError(state === "valid" ? "unknown" : state);
    tx.update(members).set({ passwordHash }).where(eq(members.id, memberId)).run();
    endResetLinks(tx, memberId, now);
    tx.delete(authSessions).where(eq(authSessions.userId, memberId)).run();
    return memberId;
  }, { behavior: "immediate" });
}

// Logging in past the delay, and sign-ups with a known address.
// docs/decisions/020-login-limits.md. An unlock link is kept in rate_limits, so it needs no
// table of its own: key `login:unlock:<sha256 of the token>:<member id>`, window_start when it
// was made, count the password attempts made with it. Only the hash is stored.

const unlockRule = rateLimitRules.loginUnlock;
const unlockKeyPrefix = (token: string) => `login:unlock:${hashResetToken(token)}:`;

/**
 * Mails the member with `email`, if there is one, a link that lets them log in while logging in to
 * their account is slowed down; at most one per account per `mailEveryMinutes`. Returns the
 * token only for tests.
 */
export function offerLoginUnlock(email: string, now = new Date()): string | null {
  const address = normaliseEmail(email);
  const at = now.getTime();
  return db().transaction(
    (tx) => {
      const member = tx.select({ id: members.id }).from(members).where(and(eq(members.email, address), isNull(members.deletedAt))).get();
      if (!member) return null;
      const mailKey = `login:unlock-mail:${member.id}`;
      const last = tx.get<{ window_start: number } | undefined>(sql`SELECT window_start FROM rate_limits WHERE key = ${mailKey}`);
      if (last && last.window_start > at - unlockRule.mailEveryMinutes * 60_000) return null;
      tx.run(sql`INSERT INTO rate_limits (key, window_start, count) VALUES (${mailKey}, ${at}, 1)
        ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, count = 1`);
      const token = randomBytes(32).toString("base64url");
      tx.run(sql`INSERT INTO rate_limits (key, window_start, count) VALUES (${unlockKeyPrefix(token) + member.id}, ${at}, 0)`);
      const url = siteUrl(`/login/unlock/${token}`);
      queueMemberMail(tx, {
        memberId: member.id,
        kind: "login-unlock",
        dedupeKey: `login-unlock:${hashResetToken(token)}`,
        now,
        compose: (t) => ({
          subject: t("mail.loginUnlock.subject"),
          body: t("mail.loginUnlock.body", { url, minutes: unlockRule.windowMinutes, forgot: siteUrl("/password/forgot") }),
        }),
      });
      return token;
    },
    { behavior: "immediate" },
  );
}

export type UnlockState = "valid" | "expired" | "spent" | "unknown";
type UnlockCheck = { state: UnlockState; memberId: string | null; email: string | null; key: string | null };

function unlockTokenState(tx: Pick<Db, "get" | "select">, token: string, now: number): UnlockCheck {
  const none = { memberId: null, email: null, key: null };
  if (!resetTokenPattern.test(token)) return { state: "unknown", ...none };
  const prefix = unlockKeyPrefix(token);
  // Every key that starts with the prefix (":" + 1 is ";").
  const row = tx.get<{ key: string; window_start: number; count: number } | undefined>(
    sql`SELECT key, window_start, count FROM rate_limits WHERE key >= ${prefix} AND key < ${`${prefix.slice(0, -1)};`} LIMIT 1`,
  );
  if (!row) return { state: "unknown", ...none };
  const memberId = row.key.slice(prefix.length);
  const member = tx.select({ email: members.email, deletedAt: members.deletedAt }).from(members).where(eq(members.id, memberId)).get();
  if (!member || member.deletedAt) return { state: "unknown", ...none };
  if (row.window_start <= now - unlockRule.windowMinutes * 60_000) return { state: "expired", ...none };
  if (row.count >= unlockRule.limit) return { state: "spent", ...none };
  return { state: "valid", memberId, email: member.email, key: row.key };
}

/** What an unlock link is worth now, and whose it is (to show the address on its page). */
export function checkUnlockToken(token: string, now = new Date()) {
  const { state, email } = unlockTokenState(db(), token, now.getTime());
  return { state, email };
}

/**
 * Counts one password attempt with an unlock link, before the password is checked. Returns the
 * member whose password is to be checked, or the state that stops it.
 */
export function claimUnlockAttempt(token: string, now = new Date()): { state: UnlockState; memberId: string | null } {
  return db().transaction(
    (tx) => {
      const found = unlockTokenState(tx, token, now.getTime());
      if (found.state !== "valid" || !found.key) return { state: found.state, memberId: null };
      tx.run(sql`UPDATE rate_limits SET count = count + 1 WHERE key = ${found.key}`);
      return { state: "valid" as const, memberId: found.memberId };
    },
    { behavior: "immediate" },
  );
}

/** An unlock link that has let its member in works no more. */
export function useUpUnlockToken(token: string) {
  const prefix = unlockKeyPrefix(token);
  db().run(sql`DELETE FROM rate_limits WHERE key >= ${prefix} AND key < ${`${prefix.slice(0, -1)};`}`);
}

/**
 * Someone tried to make an account with the address of `memberId`: tell them, at most once an
 * hour, and point them to logging in and to a new password.
 */
export function mailSignupWithKnownAddress(memberId: string, now = new Date()) {
  const hour = Math.floor(now.getTime() / 3_600_000);
  db().transaction(
    (tx) =>
      queueMemberMail(tx, {
        memberId,
        kind: "signup-existing",
        dedupeKey: `signup-existing:${memberId}:${hour}`,
        now,
        compose: (t) => ({
          subject: t("mail.signupExisting.subject"),
          body: t("mail.signupExisting.body", { login: siteUrl("/login"), forgot: siteUrl("/password/forgot") }),
        }),
      }),
    { behavior: "immediate" },
  );
}

// Mail settings.

export type MailSettings = {
  digestOptIn: boolean;
  on: Record<OptionalMailKind, boolean>;
  /** The last mail to the member that the mail server refused for good, in the past 30 days. */
  undelivered: { at: number; error: string } | null;
};

export function mailSettingsOf(memberId: string, now = Date.now()): MailSettings {
  const row = db().select({ digestOptIn: members.digestOptIn, mailOff: members.mailOff }).from(members).where(eq(members.id, memberId)).get();
  const off = new Set(row?.mailOff ?? []);
  const on = Object.fromEntries(optionalMailKinds.map((kind) => [kind, !off.has(kind)])) as Record<OptionalMailKind, boolean>;
  const failed = db().get<{ at: number; error: string | null } | undefined>(sql`
    SELECT failed_at AS at, last_error AS error FROM outbox
    WHERE member_id = ${memberId} AND failed_at > ${now - 30 * 86_400_000}
    ORDER BY failed_at DESC LIMIT 1`);
  return { digestOptIn: row?.digestOptIn ?? false, on, undelivered: failed ? { at: failed.at, error: (failed.error ?? "").split("\n")[0].slice(0, 200) } : null };
}

/** Saves which kinds of mail the member wants; `digest` is the weekly digest opt-in. */
export function saveMailSettings(memberId: string, input: { kindsOn: string[]; digestOptIn: boolean }) {
  const on = new Set(input.kindsOn);
  const mailOff = optionalMailKinds.filter((kind) => kind !== "digest" && !on.has(kind));
  db().update(members).set({ mailOff, digestOptIn: input.digestOptIn }).where(eq(members.id, memberId)).run();
}

export function memberByUnsubscribeToken(token: string) {
  if (!/^[\w-]{20,64}$/.test(token)) return null;
  return db().select({ id: members.id }).from(members).where(and(eq(members.unsubscribeToken, token), isNull(members.deletedAt))).get() ?? null;
}

/** The one-click unsubscribe: every kind of mail off, the digest and messages from members too. */
export function unsubscribeAll(memberId: string) {
  db().update(members).set({ mailOff: [...optionalMailKinds], digestOptIn: false, contactOff: true }).where(eq(members.id, memberId)).run();
}

// Your data.

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Everything the network holds about and by one member, for the JSON download. */
export function exportMemberData(memberId: string) {
  const d = db();
  const member = d.select().from(members).where(eq(members.id, memberId)).get();
  if (!member) return null;
  const mail = mailSettingsOf(memberId);
  return {
    format: "meedoen-export-1",
    exportedAt: new Date().toISOString(),
    profile: {
      id: member.id,
      email: member.email,
      displayName: member.displayName,
      organisation: member.organisation,
      work: member.work,
      expertise: member.expertise,
      tags: d.select({ tag: memberTags.tag }).from(memberTags).where(eq(memberTags.memberId, memberId)).all().map((r) => r.tag),
      bio: member.bio,
      now: member.nowText,
      nowAt: iso(member.nowAt),
      profileVisibility: member.profileVisibility,
      locale: member.locale,
      createdAt: iso(member.createdAt),
      postingHeldAt: iso(member.postingHeldAt),
      hasCalendarFeed: member.calendarToken !== null,
      // The profile photo as stored (the largest version); the original upload is not kept.
      avatar: member.avatarImage ? siteUrl(imageUrl(member.avatarImage, 1200)) : null,
    },
    mailSettings: { digestOptIn: mail.digestOptIn, switchedOff: member.mailOff },
    // A new address waiting for its link (the link's token is not part of the data, not even hashed).
    emailChanges: d
      .select({ newEmail: emailChanges.newEmail, createdAt: emailChanges.createdAt, expiresAt: emailChanges.expiresAt, usedAt: emailChanges.usedAt })
      .from(emailChanges)
      .where(eq(emailChanges.memberId, memberId))
      .orderBy(asc(emailChanges.createdAt))
      .all()
      .map((r) => ({ ...r, createdAt: iso(r.createdAt), expiresAt: iso(r.expiresAt), usedAt: iso(r.usedAt) })),
    registrations: d
      .select({
        sessionId: registrations.sessionId,
        initiativeId: sessions.initiativeId,
        initiative: initiatives.title,
        startsAt: sessions.startsAt,
        status: registrations.status,
        attendedAt: registrations.attendedAt,
        // When two witnesses who were there struck the check-in, not having seen the member (ADR 051).
        checkInStruckAt: registrations.unseenAt,
        createdAt: registrations.createdAt,
      })
      .from(registrations)
      .innerJoin(sessions, eq(sessions.id, registrations.sessionId))
      .innerJoin(initiatives, eq(initiatives.id, sessions.initiativeId))
      .where(eq(registrations.memberId, memberId))
      .orderBy(asc(sessions.startsAt))
      .all()
      .map((r) => ({ ...r, startsAt: iso(r.startsAt), attendedAt: iso(r.attendedAt), checkInStruckAt: iso(r.checkInStruckAt), createdAt: iso(r.createdAt) })),
    interests: d
      .select({ initiativeId: interests.initiativeId, initiative: initiatives.title, createdAt: interests.createdAt })
      .from(interests)
      .innerJoin(initiatives, eq(initiatives.id, interests.initiativeId))
      .where(eq(interests.memberId, memberId))
      .all()
      .map((r) => ({ ...r, createdAt: iso(r.createdAt) })),
    hosting: d
      .select({ initiativeId: hosts.initiativeId, initiative: initiatives.title, since: hosts.since })
      .from(hosts)
      .innerJoin(initiatives, eq(initiatives.id, hosts.initiativeId))
      .where(eq(hosts.memberId, memberId))
      .all()
      .map((r) => ({ ...r, since: iso(r.since) })),
    initiativesStarted: d
      .select({ id: initiatives.id, title: initiatives.title, summary: initiatives.summary, body: initiatives.body, createdAt: initiatives.createdAt })
      .from(initiatives)
      .where(eq(initiatives.createdBy, memberId))
      .all()
      .map((r) => ({ ...r, createdAt: iso(r.createdAt) })),
    outcomes: d
      .select({ id: outcomes.id, initiativeId: outcomes.initiativeId, sessionId: outcomes.sessionId, body: outcomes.body, createdAt: outcomes.createdAt, updatedAt: outcomes.updatedAt })
      .from(outcomes)
      .where(eq(outcomes.memberId, memberId))
      .all()
      .map((r) => ({ ...r, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) })),
    comments: d
      .select({ id: comments.id, initiativeId: comments.initiativeId, body: comments.body, createdAt: comments.createdAt, updatedAt: comments.updatedAt })
      .from(comments)
      .where(eq(comments.memberId, memberId))
      .all()
      .map((r) => ({ ...r, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) })),
    proposalComments: d
      .select({ id: proposalComments.id, proposalId: proposalComments.proposalId, body: proposalComments.body, createdAt: proposalComments.createdAt, updatedAt: proposalComments.updatedAt })
      .from(proposalComments)
      .where(eq(proposalComments.memberId, memberId))
      .all()
      .map((r) => ({ ...r, createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) })),
    proposalVersionsWritten: d
      .select({ proposalId: proposalVersions.proposalId, version: proposalVersions.version, title: proposalVersions.title, body: proposalVersions.body, answers: proposalVersions.answers, at: proposalVersions.at })
      .from(proposalVersions)
      .where(eq(proposalVersions.memberId, memberId))
      .all()
      .map((r) => ({ ...r, at: iso(r.at) })),
    // Every version of a working method this member saved, as they wrote it.
    methodVersions: d
      .all<{ methodId: number; version: number; title: string; purpose: string; steps: string; variations: string; learned: string; tags: string; at: number }>(
        sql`SELECT method_id AS methodId, version, title, purpose, steps, variations, learned, tags, at FROM method_versions WHERE member_id = ${memberId} ORDER BY at, id`,
      )
      .map((r) => ({ ...r, at: new Date(r.at).toISOString() })),
    proposalsOpened: d
      .select({ id: proposals.id, title: proposals.title, body: proposals.body, openedAt: proposals.openedAt })
      .from(proposals)
      .where(eq(proposals.openedBy, memberId))
      .all()
      .map((r) => ({ ...r, openedAt: iso(r.openedAt) })),
    proposalPositions: d
      .select({ proposalId: proposalPositionsTable.proposalId, proposal: proposals.title, position: proposalPositionsTable.position, reason: proposalPositionsTable.reason, updatedAt: proposalPositionsTable.updatedAt })
      .from(proposalPositionsTable)
      .innerJoin(proposals, eq(proposals.id, proposalPositionsTable.proposalId))
      .where(eq(proposalPositionsTable.memberId, memberId))
      .all()
      .map((r) => ({ ...r, updatedAt: iso(r.updatedAt) })),
    flags: d
      .select({ targetType: flags.targetType, targetId: flags.targetId, rule: flags.rule, reason: flags.reason, createdAt: flags.createdAt, clearedAt: flags.clearedAt })
      .from(flags)
      .where(eq(flags.memberId, memberId))
      .all()
      .map((r) => ({ ...r, createdAt: iso(r.createdAt), clearedAt: iso(r.clearedAt) })),
    // Check-ins the member said they did not see at a meeting they were at (ADR 051).
    notSeen: d
      .all<{ session_id: number; member_id: string; at: number }>(sql`
        SELECT r.session_id, r.member_id, u.at FROM unseen_check_ins u JOIN registrations r ON r.id = u.registration_id WHERE u.witness_id = ${memberId} ORDER BY u.at`)
      .map((r) => ({ sessionId: r.session_id, memberId: r.member_id, at: iso(new Date(r.at)) })),
    // The record of learning's verification links (issue 15), with what each showed when made.
    learningLinks: d
      .select()
      .from(learningLinks)
      .where(eq(learningLinks.memberId, memberId))
      .orderBy(asc(learningLinks.createdAt))
      .all()
      .map((l) => ({ url: siteUrl(`/verify/${l.code}`), year: l.year, name: l.name, facts: l.facts, createdAt: iso(l.createdAt), withdrawnAt: iso(l.withdrawnAt) })),
    // What the member typed in a session's form while adding a venue, kept for a day (ADR 055).
    sessionFormDrafts: d
      .select({ form: sessionDrafts.form, fields: sessionDrafts.fields, savedAt: sessionDrafts.savedAt })
      .from(sessionDrafts)
      .where(eq(sessionDrafts.memberId, memberId))
      .orderBy(asc(sessionDrafts.savedAt))
      .all()
      .map((r) => ({ form: r.form, fields: JSON.parse(r.fields) as Record<string, unknown>, savedAt: iso(r.savedAt) })),
    nowUpdates: d
      .select({ text: nowUpdates.text, createdAt: nowUpdates.createdAt })
      .from(nowUpdates)
      .where(eq(nowUpdates.memberId, memberId))
      .orderBy(asc(nowUpdates.createdAt))
      .all()
      .map((r) => ({ ...r, createdAt: iso(r.createdAt) })),
  };
}

// Leaving.

/** Leaving asks for the password again, so a borrowed login session is not enough. */
export async function isOwnPassword(memberId: string, password: string) {
  const row = db().select({ passwordHash: members.passwordHash, deletedAt: members.deletedAt }).from(members).where(eq(members.id, memberId)).get();
  if (!row || row.deletedAt) return verifyPassword(null, password);
  return verifyPassword(row.passwordHash, password);
}

/**
 * Deletes an account in one transaction (governance.md §8): future registrations are withdrawn
 * (waiting lists move up, as with withdraw()), the member steps back as host everywhere (logged),
 * and personal data is erased. Public contributions stay, shown as "former member".
 */
export function deleteAccount(memberId: string, now = new Date()) {
  const result = db().transaction((tx) => {
    const member = tx.select({ id: members.id, deletedAt: members.deletedAt, avatarImage: members.avatarImage }).from(members).where(eq(members.id, memberId)).get();
    if (!member || member.deletedAt) return { withdrawn: 0, promoted: [] as string[], avatar: null };
    const future = tx
      .select({ id: registrations.id, sessionId: registrations.sessionId, status: registrations.status })
      .from(registrations)
      .innerJoin(sessions, eq(sessions.id, registrations.sessionId))
      .where(and(eq(registrations.memberId, memberId), inArray(registrations.status, ["registered", "waitlisted"]), gt(sessions.startsAt, now)))
      .all();
    const promoted: string[] = [];
    for (const reg of future) {
      tx.update(registrations).set({ status: "cancelled", updatedAt: now }).where(eq(registrations.id, reg.id)).run();
      if (reg.status === "registered") promoted.push(...promoteFromWaitlist(tx, reg.sessionId, now));
    }
    const hosted = tx.delete(hosts).where(eq(hosts.memberId, memberId)).returning().all();
    for (const h of hosted) {
      appendLog(tx, { action: "host.stepped-back", actorId: memberId, subjectType: "initiative", subjectId: h.initiativeId, detail: { leaving: true }, at: now });
    }
    eraseMember(tx, memberId, now);
    return { withdrawn: future.length, promoted, avatar: member.avatarImage };
  }, { behavior: "immediate" });
  // The profile photo is personal data: its files go too, unless the same picture is used elsewhere.
  releaseImages([result.avatar]);
  return { withdrawn: result.withdrawn, promoted: result.promoted };
}

function eraseMember(tx: Tx, memberId: string, now: Date) {
  tx.delete(interests).where(eq(interests.memberId, memberId)).run();
  tx.delete(passwordResets).where(eq(passwordResets.memberId, memberId)).run();
  tx.delete(emailChanges).where(eq(emailChanges.memberId, memberId)).run();
  // What the member typed in a session form while adding a venue (docs/decisions/055).
  tx.delete(sessionDrafts).where(eq(sessionDrafts.memberId, memberId)).run();
  tx.delete(authSessions).where(eq(authSessions.userId, memberId)).run();
  tx.delete(memberTags).where(eq(memberTags.memberId, memberId)).run();
  tx.delete(nowUpdates).where(eq(nowUpdates.memberId, memberId)).run();
  // Verification links show a name the member chose: they stop working when the member leaves.
  tx.delete(learningLinks).where(eq(learningLinks.memberId, memberId)).run();
  // The schema's convention for initiatives: no author once they have left.
  tx.update(initiatives).set({ createdBy: null }).where(eq(initiatives.createdBy, memberId)).run();
  tx.update(members)
    .set({
      email: `deleted-${memberId}@invalid`,
      // An empty hash never verifies: the account cannot log in again.
      passwordHash: "",
      displayName: "",
      organisation: "",
      work: "",
      expertise: "",
      bio: "",
      nowText: "",
      nowAt: null,
      locale: null,
      calendarToken: null,
      unsubscribeToken: null,
      digestOptIn: false,
      mailOff: [],
      avatarImage: null,
      deletedAt: now,
    })
    .where(eq(members.id, memberId))
    .run();
  // Pending mail to the old address is not sent any more.
  tx.run(sql`DELETE FROM outbox WHERE member_id = ${memberId} AND sent_at IS NULL`);
}
