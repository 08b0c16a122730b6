// Background work inside the server process (no cron needed): queue the 24-hour reminders and
// send the outbox. Both are idempotent (reminders are marked per session, mails have unique keys
// and are marked sent), so a restart never sends twice what was already marked sent.
import { queueDueReminders } from "~/models/sessions.server";
import { deliverOutbox } from "./mail.server";

export async function runScheduledWork(now = new Date()) {
  queueDueReminders(now);
  await deliverOutbox(now);
}

export function startScheduler(intervalMs = Number(process.env.SCHEDULER_INTERVAL_MS ?? 30_000)): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runScheduledWork();
    } catch (error) {
      console.error("[scheduler]", error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
