// Mail through a real SMTP server on loopback.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { bodyOf, startSmtp } from "../support/smtp";

// The SMTP address must be known before the app reads its configuration.
let smtp = await startSmtp();
process.env.SMTP_URL = smtp.url;
process.env.MAIL_FROM = "Meedoen <meedoen@example.org>";

const { db } = await import("~/lib/db.server");
const { deliverOutbox, resetMailTransport } = await import("~/lib/mail.server");
const { register } = await import("~/models/registrations.server");
const { memberWithSession } = await import("../support/requests");
const { initiativeBy, sessionOf } = await import("../support/fixtures");

afterAll(async () => {
  resetMailTransport();
  await smtp.close();
});

const pending = () => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`).n;

describe("mail over SMTP", () => {
  it("delivers the sign-up confirmation to the member's address, in their language", async () => {
    const host = await memberWithSession("Host");
    const ann = await memberWithSession("Ann");
    db().run(sql`UPDATE members SET locale = 'en' WHERE id = ${ann.id}`);
    const sessionId = sessionOf(initiativeBy(host.id, { title: "Buurtsoep" }), host.id, { place: "De Linde" });
    register(sessionId, ann.id);
    expect(await deliverOutbox()).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0];
    expect(mail.to).toEqual([ann.email]);
    expect(mail.from).toBe("meedoen@example.org");
    expect(mail.subject).toBe("Signed up: Buurtsoep");
    expect(bodyOf(mail)).toContain("De Linde");
    expect(bodyOf(mail)).toContain(`/sessions/${sessionId}`);
    // Sending again sends nothing twice.
    expect(await deliverOutbox()).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it("keeps a mail when the SMTP server is away and sends it once it is back", async () => {
    const port = smtp.port;
    // Let go of the pooled connection first, or the server waits for it to time out.
    resetMailTransport();
    await smtp.close();
    const host = await memberWithSession("Host 2");
    const bob = await memberWithSession("Bob");
    register(sessionOf(initiativeBy(host.id), host.id), bob.id);
    expect(await deliverOutbox()).toBe(0);
    const row = db().get<{ attempts: number; last_error: string; next_attempt_at: number; sent_at: number | null }>(sql`SELECT * FROM outbox WHERE member_id = ${bob.id}`);
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeTruthy();
    expect(row.sent_at).toBeNull();
    expect(row.next_attempt_at).toBeGreaterThan(Date.now());

    const received = smtp.received;
    smtp = await startSmtp(port);
    resetMailTransport();
    // Not before its retry time …
    expect(await deliverOutbox()).toBe(0);
    // … and then it goes out.
    expect(await deliverOutbox(new Date(row.next_attempt_at + 1))).toBe(1);
    expect(smtp.received.map((m) => m.to[0])).toEqual([bob.email]);
    expect(received).toHaveLength(1);
    expect(pending()).toBe(0);
  });
});
