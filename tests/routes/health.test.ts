// What /healthz reports to a monitor: a database that cannot be written, a storage fault in the
// past minute, a scheduler that stopped.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { logFault } from "~/lib/fault-log.server";
import { healthProblem } from "~/lib/health.server";
import { startScheduler } from "~/lib/scheduler.server";
import { loader } from "~/routes/healthz";

afterAll(() => db().$client.pragma("query_only = OFF"));

describe("the health check", () => {
  it("is ok on a healthy database, and leaves nothing written", async () => {
    const version = db().$client.pragma("user_version", { simple: true });
    const response = loader();
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ok");
    expect(db().$client.pragma("user_version", { simple: true })).toBe(version);
  });

  it("says so when the database cannot be written", async () => {
    db().$client.pragma("query_only = ON");
    try {
      const response = loader();
      expect(response.status).toBe(503);
      expect(await response.text()).toMatch(/database cannot be written: SQLITE_READONLY/);
    } finally {
      db().$client.pragma("query_only = OFF");
    }
  });

  it("says so for a minute after a write failed on the disk", () => {
    const silence = console.error;
    console.error = () => {};
    try {
      logFault(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }), Date.now());
    } finally {
      console.error = silence;
    }
    expect(healthProblem()).toMatch(/SQLITE_FULL/);
    expect(healthProblem(Date.now() + 61_000)).toBeNull();
  });

  it("says so when the scheduler stopped running", () => {
    const stop = startScheduler(60_000);
    stop();
    const now = Date.now();
    expect(healthProblem(now + 61_000)).toBeNull();
    expect(healthProblem(now + 11 * 60_000)).toMatch(/the scheduler last ran \d+ s ago/);
  });
});
