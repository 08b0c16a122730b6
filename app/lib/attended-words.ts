import type { MessageKey } from "./i18n";

/** "Ingecheckt" before the start, "je bent erbij" during, "je was erbij" after: the words follow the session's own times. */
export function attendedKey(now: number, startsAt: number, endsAt: number): MessageKey {
  return now < startsAt ? "safe.youAreCheckedIn" : now < endsAt ? "safe.youAreThere" : "session.youAttended";
}
