// A member writes to another member (/members/:id/message). The server relays the message by
// mail through the outbox: the recipient's address is never shown to the sender, the sender's
// address goes along (as Reply-To) only when they tick that box, and once the mail is delivered
// its text is blanked (mail.server.ts), so the network keeps only how many messages were sent.
import { createHmac, randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { members } from "../../db/schema";
import { contactRules } from "~/governance/config";
import { db } from "~/lib/db.server";
import { resubmitWindowMs } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { memberMessageKind, queueMemberMail, siteUrl } from "~/lib/mail.server";
import { hitRateLimit, peekRateLimit } from "./rate-limits.server";
import { voiceSnapshot } from "./voice.server";

export class ContactRefusedError extends Error {
  constructor(
    readonly messageKey: MessageKey,
    readonly status: number,
  ) {
    super(messageKey);
  }
}

type Party = { id: string; display_name: string; organisation: string; contact_off: number; deleted_at: number | null; posting_held_at: number | null };

function party(id: string): Party | undefined {
  return db().get<Party | undefined>(sql`
    SELECT id, display_name, organisation, contact_off, deleted_at, posting_held_at FROM members WHERE id = ${id}`);
}

/** The limit that applies to this sender now: more with a voice (governance.md §5). */
function limitFor(senderId: string) {
  return voiceSnapshot().hasVoice(senderId) ? contactRules.perDayWithVoice : contactRules.perDayWithoutVoice;
}

const limitKey = (senderId: string) => `contact:member:${senderId}`;

/** Why `senderId` may not write to `recipientId` (null: they may), before any limit is counted. */
function refusalOf(sender: Party | undefined, recipient: Party | undefined): ContactRefusedError | null {
  if (!recipient) return new ContactRefusedError("contact.unknown", 404);
  if (!sender || sender.deleted_at) return new ContactRefusedError("error.forbidden", 403);
  if (recipient.deleted_at) return new ContactRefusedError("contact.former", 410);
  if (sender.id === recipient.id) return new ContactRefusedError("contact.self", 400);
  // Held after flags (governance.md §4): a member the network is deciding about writes to nobody.
  if (sender.posting_held_at) return new ContactRefusedError("contact.held", 403);
  if (recipient.contact_off) return new ContactRefusedError("contact.off", 403);
  return null;
}

/** The page with the form: whom it goes to, and whether the sender may write (with the reason if not). */
export function contactPage(recipientId: string, senderId: string, now = Date.now()) {
  const recipient = party(recipientId);
  if (!recipient) return null;
  const refusal = refusalOf(party(senderId), recipient);
  const limit = limitFor(senderId);
  const used = peekRateLimit(limitKey(senderId), limit, now);
  return {
    recipient: { id: recipient.id, name: recipient.deleted_at ? "" : recipient.display_name },
    refusal: refusal ? { messageKey: refusal.messageKey, status: refusal.status } : used.allowed ? null : { messageKey: "contact.limit" as MessageKey, status: 429 },
    perDay: limit.limit,
    messageMax: contactRules.messageMax,
  };
}

// The fingerprint that spots the same message sent twice (a double click, a retry) is keyed with
// a secret that lives only as long as the process: it cannot be used to confirm a guessed text.
const fingerprintKey = randomBytes(32);
const fingerprint = (parts: string[]) => createHmac("sha256", fingerprintKey).update(JSON.stringify(parts)).digest("hex").slice(0, 16);

/**
 * Queues one message. The limit is counted in the same immediate transaction as the mail is
 * queued, so of many requests at once exactly the allowed number go out. The outbox key carries
 * the sender and whether they want their address as Reply-To: the address itself is looked up
 * when the mail is sent (mail.server.ts), so it is never stored with the message.
 */
export function sendMemberMessage(senderId: string, recipientId: string, input: { body: string; replyTo: boolean }, now = new Date()) {
  return db().transaction(
    (tx) => {
      const sender = party(senderId);
      const recipient = party(recipientId);
      const refusal = refusalOf(sender, recipient);
      if (refusal) throw refusal;
      const print = fingerprint([senderId, recipientId, input.body]);
      const keyStart = `${memberMessageKind}:${input.replyTo ? "reply" : "private"}:${senderId}:${recipientId}:${print}:`;
      const repeated = tx.get(sql`
        SELECT 1 FROM outbox WHERE kind = ${memberMessageKind} AND dedupe_key LIKE ${`${keyStart}%`} AND created_at > ${now.getTime() - resubmitWindowMs}`);
      if (repeated) return;
      const limit = limitFor(senderId);
      const verdict = hitRateLimit(limitKey(senderId), limit, now.getTime());
      if (!verdict.allowed) throw new ContactRefusedError("contact.limit", 429);
      const name = sender!.display_name;
      const profileUrl = siteUrl(`/members/${senderId}`);
      queueMemberMail(tx, {
        memberId: recipientId,
        kind: memberMessageKind,
        dedupeKey: `${keyStart}${now.getTime()}-${randomBytes(4).toString("hex")}`,
        now,
        compose: (t) => ({
          subject: t("contact.mail.subject", { name }),
          body: [
            t(sender!.organisation ? "contact.mail.fromOrganisation" : "contact.mail.from", { name, organisation: sender!.organisation }),
            input.body,
            input.replyTo ? t("contact.mail.replyTo", { name }) : t("contact.mail.noReplyTo", { name, url: `${profileUrl}/message` }),
            t("contact.mail.profile", { name, url: profileUrl }),
            t("contact.mail.switchOff", { name, url: siteUrl("/settings#contact") }),
          ].join("\n\n"),
        }),
      });
    },
    { behavior: "immediate" },
  );
}

export function contactIsOff(memberId: string): boolean {
  return db().select({ off: members.contactOff }).from(members).where(eq(members.id, memberId)).get()?.off ?? false;
}

/** The member's switch "messages from members" on /settings. */
export function setContactOff(memberId: string, off: boolean) {
  db().update(members).set({ contactOff: off }).where(eq(members.id, memberId)).run();
}
