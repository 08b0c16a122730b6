// Background work inside the server process (no cron needed): queue the 24-hour reminders and
// the weekly digest, and send the outbox. All are idempotent (reminders are marked per session,
// mails have unique keys and are marked sent), so a restart never sends twice what was sent.
import { queueWeeklyDigests } from "~/models/digest.server";
import { returnQuietEdits } from "~/models/hidden-edits.server";
import { acceptUnansweredRequests, lapseHosts } from "~/models/hosts.server";
import { closeDueProposals, queueProposalReminders } from "~/models/proposals.server";
import { queueDueReminders } from "~/models/sessions.server";
import { storeVoiceCheckpoint } from "~/models/voice-replay.server";
import { recordVoiceChanges } from "~/models/voice.server";
import { logFault } from "./fault-log.server";
import { deliverOutbox } from "./mail.server";

/** Everything but sending: quick, synchronous work on the database. */
export function runScheduledQueueing(now = new Date()) {
  closeDueProposals(now);
  queueProposalReminders(now);
  queueDueReminders(now);
  lapseHosts(now);
  // Lazy consent: a co-host request from a member with a voice, unanswered for a week.
  acceptUnansweredRequests(now);
  // An edit of hidden content that waited 3 days without a new flag comes back (governance.md §4).
  returnQuietEdits(now);
  // Once per ISO week per member (dedupe key digest:<week>:<member>), from Monday morning.
  queueWeeklyDigests(now);
  // Voices start, lapse and are voided with time: the log records it (and the bootstrap's end).
  recordVoiceChanges(now.getTime());
  // The replay's state from three weeks back, for the next start (when it changed or aged a day).
  storeVoiceCheckpoint(now.getTime());
}

export async function runScheduledWork(now = new Date()) {
  runScheduledQueueing(now);
  await deliverOutbox(now);
}

let lastRun: number | null = null;

/** When the scheduler last did its work (null before it first ran): /healthz checks it keeps running. */
export const lastScheduledRun = () => lastRun;
export const schedulerIntervalMs = () => Number(process.env.SCHEDULER_INTERVAL_MS ?? 30_000);

export function startScheduler(intervalMs = schedulerIntervalMs()): () => void {
  // Sending runs beside the rest and is never waited for: a slow or stuck mail server must not
  // keep proposals open past their deadline or hold back reminders (deliverOutbox runs one batch
  // at a time by itself).
  const tick = () => {
    try {
      runScheduledQueueing();
      lastRun = Date.now();
    } catch (error) {
      logFault(error);
    }
    deliverOutbox().catch((error) => console.error("[mail]", error));
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}
