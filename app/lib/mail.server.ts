// Mail goes through the outbox table: queued in the same transaction as the change it reports,
// sent by the scheduler over SMTP when SMTP_URL is set, retried with back-off until it succeeds.
// Without SMTP the mails stay in the outbox (and the server log says so), so nothing is lost.
import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { members, outbox } from "../../db/schema";
import type { Db } from "../../db/client";
import { db } from "./db.server";
import { env } from "./env.server";
import { defaultLocale, isLocale, translator, type Locale, type Translate } from "./i18n";
import { textToHtml } from "./mail-text.server";

type Tx = Pick<Db, "insert" | "select" | "update">;

/**
 * The kinds of mail a member can switch off one by one on /settings (members.mail_off). The
 * digest is opt-in instead (members.digest_opt_in). A password reset is always sent.
 */
export const optionalMailKinds = [
  "registration",
  "waitlist",
  "promoted",
  "session-changed",
  "session-cancelled",
  "reminder",
  "invitation",
  "host-message",
  "host-request",
  "founder-yes",
  "check-in-struck",
  "proposal-reminder",
  "proposal-opened",
  "digest",
] as const;
export type OptionalMailKind = (typeof optionalMailKinds)[number];
/**
 * Sent whatever the settings say: a new password, a founder invitation (to an address, not a
 * member), and the account's security notices. These carry no List-Unsubscribe header.
 */
export const alwaysSentMailKinds = [
  "password-reset",
  "founder-invitation",
  "login-unlock",
  "signup-existing",
  "password-changed",
  "email-change",
  "email-change-asked",
  "email-change-taken",
] as const;
const alwaysSent = new Set<string>(alwaysSentMailKinds);
/**
 * A message one member sends another (contact.server.ts). Its outbox key reads
 * `member-message:<reply|private>:<sender>:…`: with "reply" the sender's address (looked up when
 * sending, never stored with the message) is the Reply-To. Its text is blanked once delivered.
 */
export const memberMessageKind = "member-message";
const optional = new Set<string>(optionalMailKinds);

let toldAboutOutbox = false;

export type MailContent = { subject: string; body: string };
/** A file sent with a mail (a calendar file), kept in the outbox as text. */
export type MailAttachment = { filename: string; contentType: string; content: string };

/**
 * Queues one mail to a member, written in their language. `dedupeKey` makes it idempotent:
 * the same key queued twice (a retried request, a restart) sends once.
 */
export function queueMemberMail(
  tx: Tx,
  input: {
    memberId: string;
    kind: string;
    dedupeKey: string;
    now?: Date;
    compose: (t: Translate, locale: Locale) => MailContent;
    attachments?: MailAttachment[];
    /** Another address than the member's (a new address not yet confirmed): sent without the unsubscribe footer. */
    toAddress?: string;
  },
) {
  const member = tx
    .select({ email: members.email, locale: members.locale, mailOff: members.mailOff, digestOptIn: members.digestOptIn, unsubscribeToken: members.unsubscribeToken, deletedAt: members.deletedAt })
    .from(members)
    .where(eq(members.id, input.memberId))
    .get();
  // A member who left has no address any more.
  if (!member || member.deletedAt) return;
  if (!alwaysSent.has(input.kind)) {
    if (member.mailOff.includes(input.kind)) return;
    if (input.kind === "digest" && !member.digestOptIn) return;
  }
  const locale: Locale = isLocale(member.locale) ? member.locale : defaultLocale;
  const t = translator(locale);
  const composed = input.compose(t, locale);
  const subject = composed.subject;
  // Every mail says how to stop mail with one click (no login needed) or choose per kind; not a
  // mail to an address that is not yet known to be the member's, whose reader could use the link.
  let body = composed.body;
  if (!input.toAddress) {
    const token = member.unsubscribeToken ?? createUnsubscribeToken(tx, input.memberId);
    body = `${composed.body}\n\n-- \n${t("mail.unsubscribe.footer", { url: unsubscribeUrl(token), settings: siteUrl("/settings") })}`;
  }
  const now = input.now ?? new Date();
  tx.insert(outbox)
    .values({
      dedupeKey: input.dedupeKey,
      kind: input.kind,
      memberId: input.memberId,
      toAddress: input.toAddress ?? member.email,
      subject,
      body,
      createdAt: now,
      nextAttemptAt: now.getTime(),
      attachments: input.attachments?.length ? input.attachments : null,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .run();
  if (!env().SMTP_URL && env().NODE_ENV !== "test" && !toldAboutOutbox) {
    toldAboutOutbox = true;
    console.info("[mail] SMTP_URL is not set: mails are kept in the outbox table and sent once it is configured.");
  }
}

function createUnsubscribeToken(tx: Tx, memberId: string) {
  const token = randomBytes(24).toString("base64url");
  tx.update(members).set({ unsubscribeToken: token }).where(eq(members.id, memberId)).run();
  return token;
}

export function unsubscribeUrl(token: string) {
  return siteUrl(`/unsubscribe/${token}`);
}

/** The site's address for links in mails. */
export function siteUrl(path = "/"): string {
  const base = env().PUBLIC_URL ?? `http://localhost:${env().PORT}`;
  return new URL(path, base).toString();
}

let transporter: Transporter | undefined;
function smtp(): Transporter | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  // Pooled: one SMTP connection carries many mails instead of one connection per mail. A mail
  // server that never greets or stops answering is given up on after SMTP_TIMEOUT_MS.
  const timeout = env().SMTP_TIMEOUT_MS;
  transporter ??= nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return transporter;
}

// 1, 2, 4 … minutes, at most 6 hours between attempts.
function backoffMs(attempts: number) {
  return Math.min(60_000 * 2 ** attempts, 6 * 3_600_000);
}

/** After this many failed attempts (about two and a half days) a mail is given up. */
const maxAttempts = 16;
/**
 * A connection that broke off mid-conversation without an answer (closed, reset, silent) leaves
 * it unknown whether the mail was taken: the server may deliver a copy for every attempt, so such
 * a mail is tried at most this often (a server that refused the connection took nothing).
 */
const maxUncertainAttempts = 4;

type SmtpError = Error & { responseCode?: number; code?: string };

/** The mail was not taken for sure: no connection at all, or no greeting. */
const surelyNotTaken = (error: SmtpError) => ["ECONNREFUSED", "ENOTFOUND", "EDNS", "EGREETING", "ECONNRESET_BEFORE_GREETING"].includes(error.code ?? "") || /greeting/i.test(error.message);

/** The mail server said no for good (550 no such user, 554 refused): trying again changes nothing. */
const isPermanent = (error: SmtpError) => typeof error.responseCode === "number" && error.responseCode >= 500 && error.responseCode < 600;
/** No answer at all (a timeout, a refused or dropped connection): the next mails would only wait too. */
const isConnectionFault = (error: SmtpError) => typeof error.responseCode !== "number";

/** The domain of our Message-IDs: the site's, so that a copy sent twice is recognisably the same mail. */
function messageDomain() {
  return new URL(siteUrl()).hostname || "localhost";
}

/** The sender's address for a member's message that asked for it; null when not asked or the sender left. */
function replyToOf(dedupeKey: string): string | null {
  const [, reply, senderId] = dedupeKey.split(":");
  if (reply !== "reply" || !senderId) return null;
  return db().get<{ email: string } | undefined>(sql`SELECT email FROM members WHERE id = ${senderId} AND deleted_at IS NULL`)?.email ?? null;
}

/** What members write to each other is not kept once it is out (or given up): only that a mail was sent. */
const forgetText = (kind: string) => (kind === memberMessageKind ? { body: "" } : {});

let delivering = false;

/** Sends what is due. Returns how many were sent. Safe to call often: runs one batch at a time. */
export async function deliverOutbox(now = new Date(), batch = 25): Promise<number> {
  const transport = smtp();
  if (!transport || delivering) return 0;
  delivering = true;
  let sent = 0;
  try {
    const due = db()
      .select({ id: outbox.id, dedupeKey: outbox.dedupeKey, toAddress: outbox.toAddress, subject: outbox.subject, body: outbox.body, attempts: outbox.attempts, kind: outbox.kind, createdAt: outbox.createdAt, unsubscribeToken: members.unsubscribeToken, locale: members.locale, attachments: outbox.attachments })
      .from(outbox)
      .leftJoin(members, eq(members.id, outbox.memberId))
      .where(and(isNull(outbox.sentAt), isNull(outbox.failedAt), lte(outbox.nextAttemptAt, now.getTime())))
      .orderBy(asc(outbox.id))
      .limit(batch)
      .all();
    for (const mail of due) {
      try {
        const oneClick = mail.unsubscribeToken && optional.has(mail.kind);
        const replyTo = mail.kind === memberMessageKind ? replyToOf(mail.dedupeKey) : null;
        await transport.sendMail({
          // The same for every attempt: when a server took a mail but the connection dropped
          // before it said so, the copy sent again is the same message to mail programs.
          messageId: `<outbox-${mail.id}.${mail.createdAt.getTime()}@${messageDomain()}>`,
          from: env().MAIL_FROM,
          to: mail.toAddress,
          subject: mail.subject,
          text: mail.body,
          // The same text as simple HTML, with the same links (made here: the outbox keeps the text).
          html: textToHtml(mail.body, { lang: isLocale(mail.locale) ? mail.locale : defaultLocale, title: mail.subject }),
          // Sent by the system, not a person: no out-of-office replies to it (RFC 3834).
          headers: {
            "Auto-Submitted": "auto-generated",
            // Mail programs offer "unsubscribe", and may do it with one POST (RFC 8058).
            ...(oneClick ? { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : {}),
          },
          ...(oneClick ? { list: { unsubscribe: unsubscribeUrl(mail.unsubscribeToken!) } } : {}),
          ...(mail.attachments?.length ? { attachments: mail.attachments.map(({ filename, contentType, content }) => ({ filename, contentType, content })) } : {}),
          ...(replyTo ? { replyTo } : {}),
        });
        db().update(outbox).set({ sentAt: new Date(), lastError: null, ...forgetText(mail.kind) }).where(eq(outbox.id, mail.id)).run();
        sent++;
      } catch (caught) {
        const error = caught as SmtpError;
        const message = String(error.message ?? error).slice(0, 500);
        const uncertain = isConnectionFault(error) && !surelyNotTaken(error);
        const giveUp = isPermanent(error) || mail.attempts + 1 >= (uncertain ? maxUncertainAttempts : maxAttempts);
        db()
          .update(outbox)
          .set({
            attempts: sql`${outbox.attempts} + 1`,
            nextAttemptAt: now.getTime() + backoffMs(mail.attempts),
            lastError: message,
            ...(giveUp ? { failedAt: now, ...forgetText(mail.kind) } : {}),
          })
          .where(eq(outbox.id, mail.id))
          .run();
        // The operator sees why, without the address (the outbox row has it).
        if (giveUp) console.warn(`[mail] gave up mail ${mail.id} (${mail.kind}) after ${mail.attempts + 1} attempt(s): ${message.split("\n")[0]}`);
        // Without a mail server to talk to, the rest of the batch waits for the next round.
        if (isConnectionFault(error)) break;
      }
    }
  } finally {
    delivering = false;
  }
  return sent;
}

/** For tests and shutdown: forget the SMTP connection so a new SMTP_URL is read. */
export function resetMailTransport() {
  transporter?.close();
  transporter = undefined;
}
