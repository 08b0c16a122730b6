// A database that cannot grow any more (DATABASE_MAX_MB reached, as a full disk would do it):
// writes are refused with a clear, translated 503 that asks to come back, nothing half-written;
// reading goes on; the server log gets one line, not a stack per refused write; /healthz says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let log = "";

beforeAll(async () => {
  // Far below what the database already is: it may not grow by a single page.
  server = await startServer({ DATABASE_MAX_MB: "0.001" });
  server.process.stdout!.on("data", (chunk: Buffer) => (log += chunk));
  server.process.stderr!.on("data", (chunk: Buffer) => (log += chunk));
});

afterAll(async () => {
  await server?.stop();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describe("a database that is full", () => {
  it("refuses sign-ups with a clear 503, keeps serving pages, and logs one line", { timeout: 60_000 }, async () => {
    const members = () => {
      const sqlite = openServerDatabase(server.databasePath);
      const n = sqlite.prepare("SELECT count(*) FROM members").pluck().get() as number;
      sqlite.close();
      return n;
    };
    // Each sign-up adds a member, a login session and a log line: the free room in the last
    // pages runs out within a few dozen.
    let refused: Response | null = null;
    let accepted = 0;
    for (let i = 0; i < 300 && !refused; i++) {
      const response = await fetch(`${server.url}/signup`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
        body: form({ email: `vol-${i}@example.org`, password: "een lang genoeg wachtwoord", displayName: `Deelnemer ${i} ${"lange naam ".repeat(5)}`.trim() }),
      });
      if (response.status === 303) accepted++;
      else refused = response;
    }
    expect(refused, "a sign-up was refused once the database was full").not.toBeNull();
    expect(refused!.status).toBe(503);
    expect(refused!.headers.get("retry-after")).toBe("300");
    const page = await refused!.text();
    expect(page).toContain("De server kan op dit moment niets opslaan");
    expect(page).toContain("The server cannot save anything right now");
    // Nothing half-written: the members are exactly the accepted ones.
    expect(members()).toBe(accepted);

    // More refused writes: still one line in the log, and never a stack.
    for (let i = 0; i < 5; i++) {
      await fetch(`${server.url}/signup`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
        body: form({ email: `nog-${i}@example.org`, password: "een lang genoeg wachtwoord", displayName: `Nog ${i} ${"x".repeat(60)}` }),
      });
    }
    expect(log.match(/\[storage\] SQLITE_FULL/g)).toHaveLength(1);
    expect(log).not.toMatch(/\n\s+at /);

    // Reading goes on; the health check tells the monitor.
    expect((await fetch(`${server.url}/agenda`)).status).toBe(200);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.text()).toContain("SQLITE_FULL");
  });
});
