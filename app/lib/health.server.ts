// What /healthz asks: can the database be read and written, did no write fail on the disk in the
// past minute, and is the scheduler (reminders, proposals, mail) still running.
import { db } from "./db.server";
import { recentStorageFault } from "./fault-log.server";
import { lastScheduledRun, schedulerIntervalMs } from "./scheduler.server";

export function healthProblem(now = Date.now()): string | null {
  const client = db().$client;
  try {
    // A tiny write that is rolled back: a read-only or full database fails it.
    client.exec("BEGIN IMMEDIATE");
    try {
      const version = client.pragma("user_version", { simple: true }) as number;
      client.pragma(`user_version = ${version}`);
    } finally {
      client.exec("ROLLBACK");
    }
  } catch (error) {
    return `database cannot be written: ${(error as { code?: string }).code ?? (error as Error).message}`;
  }
  const fault = recentStorageFault(now);
  if (fault) return `storage fault in the last minute: ${fault.code}`;
  const ran = lastScheduledRun();
  if (ran !== null && now - ran > Math.max(5 * 60_000, 10 * schedulerIntervalMs())) return `the scheduler last ran ${Math.round((now - ran) / 1000)} s ago`;
  return null;
}
