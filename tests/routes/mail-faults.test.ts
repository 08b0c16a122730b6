// A mail server that misbehaves, as an operator meets one: it never greets, it says "no such user"
// for good, or it stops answering halfway. Sending must give up in time, stop trying what can
// never arrive, and never hold back the rest of the scheduler's work.
import net from "node:net";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";

type Mode = "silent" | "no-such-user" | "accept" | "drop-after-data";

/** A small SMTP server on loopback whose behaviour a test switches. */
async function fakeSmtp() {
  let mode: Mode = "accept";
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    if (mode === "silent") return;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 fake ESMTP");
    let inData = false;
    let buffer = "";
    socket.on("data", (chunk) => {
      buffer += chunk.toString("latin1");
      if (inData) {
        const end = buffer.indexOf("\r\n.\r\n");
        if (end < 0) return;
        buffer = buffer.slice(end + 5);
        inData = false;
        accepted++;
        // Took the mail, then the line broke before it said so: the sender cannot know.
        if (mode === "drop-after-data") return void socket.destroy();
        reply("250 2.0.0 queued");
      }
      let at: number;
      while (!inData && (at = buffer.indexOf("\r\n")) >= 0) {
        const command = buffer.slice(0, at).toUpperCase();
        buffer = buffer.slice(at + 2);
        if (command.startsWith("EHLO") || command.startsWith("HELO")) reply("250 fake");
        else if (command.startsWith("MAIL FROM")) reply("250 2.1.0 ok");
        else if (command.startsWith("RCPT TO")) reply(mode === "no-such-user" ? "550 5.1.1 no such user" : "250 2.1.5 ok");
        else if (command.startsWith("DATA")) {
          inData = true;
          reply("354 go ahead");
        } else if (command.startsWith("RSET") || command.startsWith("NOOP")) reply("250 ok");
        else if (command.startsWith("QUIT")) {
          reply("221 bye");
          socket.end();
        } else reply("502 not here");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set: (next: Mode) => (mode = next),
    accepted: () => accepted,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const smtp = await fakeSmtp();
process.env.SMTP_URL = smtp.url;
process.env.SMTP_TIMEOUT_MS = "400";

const { db } = await import("~/lib/db.server");
const { deliverOutbox, resetMailTransport } = await import("~/lib/mail.server");
const { startScheduler } = await import("~/lib/scheduler.server");
const { register } = await import("~/models/registrations.server");
const { context, dataOf, getRequest, memberWithSession } = await import("../support/requests");
const { loader: settingsLoader } = await import("~/routes/settings");
const { initiativeBy, sessionOf } = await import("../support/fixtures");

afterAll(async () => {
  resetMailTransport();
  await smtp.close();
});

const row = (memberId: string) =>
  db().get<{ attempts: number; sent_at: number | null; failed_at: number | null; last_error: string | null; next_attempt_at: number }>(
    sql`SELECT attempts, sent_at, failed_at, last_error, next_attempt_at FROM outbox WHERE member_id = ${memberId}`,
  );

async function queuedMailFor(name: string) {
  const host = await memberWithSession(`Host of ${name}`);
  const member = await memberWithSession(name);
  register(sessionOf(initiativeBy(host.id), host.id), member.id);
  return member;
}

describe("a mail server that misbehaves", () => {
  it("that never greets: the attempt is given up after SMTP_TIMEOUT_MS and tried again later", async () => {
    resetMailTransport();
    smtp.set("silent");
    const ann = await queuedMailFor("Ann");
    const bob = await queuedMailFor("Bob");
    const started = Date.now();
    expect(await deliverOutbox()).toBe(0);
    // One timeout, not one per mail: without a server, the rest of the batch waits its turn.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(row(ann.id)).toMatchObject({ attempts: 1, sent_at: null, failed_at: null });
    expect(row(ann.id).last_error).toMatch(/timeout|greeting/i);
    expect(row(bob.id)).toMatchObject({ attempts: 0, sent_at: null, failed_at: null });

    // Back in business: both go, Ann's when her retry is due.
    resetMailTransport();
    smtp.set("accept");
    expect(await deliverOutbox(new Date(row(ann.id).next_attempt_at + 1))).toBe(2);
    expect(row(ann.id).sent_at).not.toBeNull();
    expect(row(bob.id).sent_at).not.toBeNull();
  });

  it("that says 'no such user' (550): the mail is given up at once, never sent again", async () => {
    resetMailTransport();
    smtp.set("no-such-user");
    const cas = await queuedMailFor("Cas");
    const before = smtp.accepted();
    expect(await deliverOutbox()).toBe(0);
    const failed = row(cas.id);
    expect(failed.failed_at).not.toBeNull();
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toContain("550");
    // Not tried again, however long we wait, even once the server would take it.
    resetMailTransport();
    smtp.set("accept");
    expect(await deliverOutbox(new Date(Date.now() + 30 * 86_400_000))).toBe(0);
    expect(row(cas.id).attempts).toBe(1);
    expect(smtp.accepted()).toBe(before);
    // Cas is told on the settings page, with what the mail server said.
    const page = dataOf<{ undelivered: { error: string } | null }>(await settingsLoader({ request: getRequest("/settings", { cookie: cas.cookie }), context, params: {} }));
    expect(page.undelivered?.error).toContain("550 5.1.1 no such user");
  });

  it("that takes the mail and drops the line before answering: at most 4 copies, then the mail is given up", async () => {
    resetMailTransport();
    smtp.set("drop-after-data");
    const eva = await queuedMailFor("Eva");
    const before = smtp.accepted();
    let at = Date.now();
    for (let round = 0; round < 10; round++) {
      await deliverOutbox(new Date(at));
      resetMailTransport();
      at = Math.max(at, row(eva.id).next_attempt_at) + 1;
    }
    expect(smtp.accepted() - before).toBe(4);
    expect(row(eva.id)).toMatchObject({ attempts: 4, sent_at: null });
    expect(row(eva.id).failed_at).not.toBeNull();
  });

  it("that is stuck: the scheduler still closes a proposal at its deadline", async () => {
    resetMailTransport();
    smtp.set("silent");
    process.env.SMTP_TIMEOUT_MS = "400";
    await queuedMailFor("Dirk");
    // A proposal whose deadline passes while the mail server hangs.
    const deadline = Date.now() + 300;
    const { id } = db().get<{ id: number }>(sql`
      INSERT INTO proposals (scope, kind, title, body, opened_at, deadline) VALUES ('network', 'majority', 'Koffie op dinsdag', '', ${Date.now() - 60_000}, ${deadline}) RETURNING id`);
    const stop = startScheduler(50);
    try {
      const closedBy = Date.now() + 2_000;
      let closedAt: number | null = null;
      while (Date.now() < closedBy && closedAt === null) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        closedAt = db().get<{ closed_at: number | null }>(sql`SELECT closed_at FROM proposals WHERE id = ${id}`).closed_at;
      }
      expect(closedAt, "closed while the mail server hangs").not.toBeNull();
      expect(closedAt! - deadline).toBeLessThan(1_000);
    } finally {
      stop();
    }
  });
});
