// The last seats, through the real HTTP server: no overbooking, FIFO waiting list, and the
// in-process scheduler mails everyone exactly once, also across a restart.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";
import { startSmtp } from "../support/smtp";

const databasePath = path.join(os.tmpdir(), `meedoen-race-${randomBytes(4).toString("hex")}.sqlite`);
let server: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
const serverEnv = () => ({ DATABASE_PATH: databasePath, SMTP_URL: smtp.url, SCHEDULER_INTERVAL_MS: "200" });

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer(serverEnv());
});

afterAll(async () => {
  await server?.stop();
  await smtp?.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
});

async function waitFor(check: () => boolean, ms: number) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return check();
}

describe("200 people at once for 20 places", () => {
  it("registers exactly 20, waitlists 180 in arrival order, and answers every request", async () => {
    const sqlite = openServerDatabase(databasePath);
    const [host, ...people] = insertMembers(sqlite, 201);
    const { sessionId } = insertCourseSession(sqlite, host.id, 20);

    const responses = await Promise.all(
      people.map((p) =>
        fetch(`${server.url}/sessions/${sessionId}/register`, {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: p.cookie },
          body: "redirectTo=%2F",
        }),
      ),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 303)).toEqual([]);

    const counts = sqlite.prepare("SELECT status, count(*) AS n FROM registrations WHERE session_id = ? GROUP BY status ORDER BY status").all(sessionId);
    expect(counts).toEqual([
      { status: "registered", n: 20 },
      { status: "waitlisted", n: 180 },
    ]);
    // First in, first out: the 20 registered are exactly the first 20 in the queue.
    const queue = sqlite.prepare("SELECT status, queued_seq FROM registrations WHERE session_id = ? ORDER BY queued_seq").all(sessionId) as { status: string; queued_seq: number }[];
    expect(queue.map((r) => r.queued_seq)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(queue.slice(0, 20).every((r) => r.status === "registered")).toBe(true);
    expect(queue.slice(20).every((r) => r.status === "waitlisted")).toBe(true);

    // The scheduler inside the server sends all 200 confirmations.
    expect(await waitFor(() => smtp.received.length >= 200, 30_000)).toBe(true);
    const registeredMails = smtp.received.filter((m) => m.subject.startsWith("Ingeschreven")).length;
    expect(registeredMails).toBe(20);
    expect(smtp.received.filter((m) => m.subject.startsWith("Op de wachtlijst")).length).toBe(180);

    // Withdrawing through HTTP promotes the first in line, who is mailed.
    const first = queue.findIndex((r) => r.status === "registered");
    const firstMember = sqlite.prepare("SELECT member_id FROM registrations WHERE session_id = ? AND queued_seq = ?").get(sessionId, queue[first].queued_seq) as { member_id: string };
    const cookie = people.find((p) => p.id === firstMember.member_id)!.cookie;
    const out = await fetch(`${server.url}/sessions/${sessionId}/cancel`, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie }, body: "confirmed=yes" });
    expect(out.status).toBe(303);
    const promoted = sqlite.prepare("SELECT status FROM registrations WHERE session_id = ? AND queued_seq = 21").get(sessionId) as { status: string };
    expect(promoted.status).toBe("registered");
    expect(await waitFor(() => smtp.received.length >= 201, 10_000)).toBe(true);

    // A restart sends nothing twice.
    await server.stop();
    server = await startServer(serverEnv());
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.received).toHaveLength(201);
    expect(sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL").get()).toEqual({ n: 0 });
    sqlite.close();
  });
});
