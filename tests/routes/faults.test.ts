// Crash safety through the real HTTP server: a sign-up the server acknowledged (303) must
// survive the process being killed with SIGKILL mid-traffic, the database file must stay
// intact, and a restart on the same file must serve and accept new sign-ups again.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

const databasePath = path.join(os.tmpdir(), `meedoen-faults-${randomBytes(4).toString("hex")}.sqlite`);
let server: RunningServer | undefined;

const MEMBERS = 300;
const IN_FLIGHT = 20;
const KILL_AFTER_ACKS = 80;

afterAll(async () => {
  // stop() waits for an exit that a SIGKILLed child has already had: only stop a live server.
  const child = server?.process;
  if (child && child.exitCode === null && child.signalCode === null) await server!.stop();
  else child?.kill("SIGKILL");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
});

function register(url: string, sessionId: number, cookie: string) {
  return fetch(`${url}/sessions/${sessionId}/register`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: url, Cookie: cookie },
    body: "redirectTo=%2F",
    signal: AbortSignal.timeout(15_000),
  });
}

describe("SIGKILL during a burst of sign-ups", () => {
  it("keeps every acknowledged sign-up, leaves an intact database, and restarts cleanly", async () => {
    server = await startServer({ DATABASE_PATH: databasePath });
    const running = server;

    const setup = openServerDatabase(databasePath);
    const [host, ...people] = insertMembers(setup, MEMBERS + 1, "crash");
    const { sessionId } = insertCourseSession(setup, host.id, null);
    setup.close();

    // Bounded-concurrency burst; the kill lands from inside the response handler of the
    // KILL_AFTER_ACKS-th 303, so up to IN_FLIGHT - 1 requests are still open at that moment.
    const acknowledged = new Set<string>();
    const unexpectedBeforeKill: { member: string; status: number }[] = [];
    let killed = false;
    let next = 0;
    const exited = new Promise<void>((resolve) => {
      if (running.process.exitCode !== null || running.process.signalCode !== null) resolve();
      else running.process.once("exit", () => resolve());
    });

    async function worker() {
      while (!killed && next < people.length) {
        const person = people[next++];
        try {
          const response = await register(running.url, sessionId, person.cookie);
          await response.arrayBuffer().catch(() => undefined);
          // A 303 was written by the server, so it counts as acknowledged even if it
          // arrives after the kill signal was sent.
          if (response.status === 303) acknowledged.add(person.id);
          else if (!killed) unexpectedBeforeKill.push({ member: person.id, status: response.status });
          if (!killed && acknowledged.size >= KILL_AFTER_ACKS) {
            killed = true;
            running.process.kill("SIGKILL");
          }
        } catch (error) {
          // Connection errors are expected only once the server has been killed.
          if (!killed) throw error;
        }
      }
    }

    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    expect(killed).toBe(true);
    await exited;
    expect(running.process.signalCode).toBe("SIGKILL");
    expect(unexpectedBeforeKill).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acknowledged.size).toBeLessThan(MEMBERS);

    // The file as the dead process left it: WAL recovery on open, then a full check.
    const after = openServerDatabase(databasePath);
    expect(after.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(after.pragma("foreign_key_check")).toEqual([]);
    const rows = after
      .prepare("SELECT member_id, status FROM registrations WHERE session_id = ?")
      .all(sessionId) as { member_id: string; status: string }[];
    const stored = new Map(rows.map((r) => [r.member_id, r.status]));
    expect(stored.size).toBe(rows.length); // no duplicate rows per member
    const lost = [...acknowledged].filter((id) => stored.get(id) !== "registered");
    expect(lost).toEqual([]);
    // Anything else stored was an unanswered in-flight request that committed before the kill.
    expect(rows.length).toBeLessThanOrEqual(acknowledged.size + IN_FLIGHT);
    console.info(`[faults] acknowledged ${acknowledged.size}, stored ${rows.length} of ${next} sent`);
    after.close();

    // Restart on the same file.
    server = await startServer({ DATABASE_PATH: databasePath });
    const health = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("ok");

    const db = openServerDatabase(databasePath);
    const [late] = insertMembers(db, 1, "after-restart");
    const response = await register(server.url, sessionId, late.cookie);
    await response.arrayBuffer().catch(() => undefined);
    expect(response.status).toBe(303);
    expect(db.prepare("SELECT status FROM registrations WHERE session_id = ? AND member_id = ?").get(sessionId, late.id)).toEqual({
      status: "registered",
    });
    // Nothing acknowledged before the crash went missing across the restart either.
    const total = db.prepare("SELECT count(*) AS n FROM registrations WHERE session_id = ?").get(sessionId) as { n: number };
    expect(total.n).toBe(rows.length + 1);
    db.close();
  }, 30_000);
});
