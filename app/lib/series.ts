// A series of sessions (issue 14): the dates of a session repeated every week, every two weeks or
// every month. Pure: local calendar dates in, instants out, so a series at 19:00 stays at 19:00
// across the daylight-saving changes (adding 7 × 24 hours would move it by an hour).
import { parseLocalDateTime } from "./time";

export const repeats = ["none", "weekly", "biweekly", "monthly-weekday", "monthly-day"] as const;
export type Repeat = (typeof repeats)[number];

export type Occurrence = { startsAt: Date; endsAt: Date };

export type SeriesResult =
  | { ok: true; occurrences: Occurrence[] }
  | { ok: false; reason: "count" | "invalid" }
  // A date of the series falls in the hour the clocks skip: `local` names it.
  | { ok: false; reason: "skipped"; index: number; local: string };

type LocalDate = { y: number; m: number; d: number };

const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;

function daysInMonth(y: number, m: number) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

// Date arithmetic on calendar dates only (UTC has no daylight saving, so days are whole).
function addDays(date: LocalDate, days: number): LocalDate {
  const at = new Date(Date.UTC(date.y, date.m - 1, date.d + days));
  return { y: at.getUTCFullYear(), m: at.getUTCMonth() + 1, d: at.getUTCDate() };
}

function dayNumber(date: LocalDate) {
  return Math.round(Date.UTC(date.y, date.m - 1, date.d) / 86_400_000);
}

function weekday(date: LocalDate) {
  return new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay();
}

function monthPlus(date: LocalDate, months: number) {
  const index = date.m - 1 + months;
  return { y: date.y + Math.floor(index / 12), m: (((index % 12) + 12) % 12) + 1 };
}

/** The date of occurrence `i` (0 is the first session itself). */
export function occurrenceDate(first: LocalDate, repeat: Repeat, i: number): LocalDate {
  switch (repeat) {
    case "none":
    case "weekly":
      return addDays(first, 7 * i);
    case "biweekly":
      return addDays(first, 14 * i);
    case "monthly-day": {
      const { y, m } = monthPlus(first, i);
      // Months without that day (a series on the 31st in April) get their last day: people who
      // meet "on the 31st" mean "at the end of the month", and skipping would leave gaps of two months.
      return { y, m, d: Math.min(first.d, daysInMonth(y, m)) };
    }
    case "monthly-weekday": {
      const { y, m } = monthPlus(first, i);
      const nth = Math.ceil(first.d / 7);
      const wanted = weekday(first);
      const firstOfMonth = weekday({ y, m, d: 1 });
      const firstWanted = 1 + ((wanted - firstOfMonth + 7) % 7);
      let d = firstWanted + 7 * (nth - 1);
      // A "5th Tuesday" exists in few months: it means the last Tuesday of the month.
      if (d > daysInMonth(y, m)) d -= 7;
      return { y, m, d };
    }
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const localText = (date: LocalDate, time: string) => `${pad(date.y, 4)}-${pad(date.m)}-${pad(date.d)}T${time}`;

/**
 * The sessions of a series whose first session runs from `startsAt` to `endsAt` (datetime-local
 * values in `timeZone`): each occurrence at the same wall-clock times, on the same number of days
 * apart when a session runs past midnight.
 */
export function seriesOccurrences(
  { startsAt, endsAt, repeat, count }: { startsAt: string; endsAt: string; repeat: Repeat; count: number },
  timeZone: string,
  max: number,
): SeriesResult {
  if (!Number.isInteger(count) || count < 1 || count > max || (repeat === "none" && count !== 1)) return { ok: false, reason: "count" };
  const start = localPattern.exec(startsAt);
  const end = localPattern.exec(endsAt);
  if (!start || !end) return { ok: false, reason: "invalid" };
  const first = { y: Number(start[1]), m: Number(start[2]), d: Number(start[3]) };
  const endDate = { y: Number(end[1]), m: Number(end[2]), d: Number(end[3]) };
  const spanDays = dayNumber(endDate) - dayNumber(first);
  const startTime = `${start[4]}:${start[5]}`;
  const endTime = `${end[4]}:${end[5]}`;
  const occurrences: Occurrence[] = [];
  for (let i = 0; i < count; i++) {
    const date = occurrenceDate(first, repeat, i);
    const localStart = localText(date, startTime);
    const localEnd = localText(addDays(date, spanDays), endTime);
    const s = parseLocalDateTime(localStart, timeZone);
    if (!s) return { ok: false, reason: "skipped", index: i, local: localStart };
    const e = parseLocalDateTime(localEnd, timeZone);
    if (!e) return { ok: false, reason: "skipped", index: i, local: localEnd };
    occurrences.push({ startsAt: s, endsAt: e });
  }
  return { ok: true, occurrences };
}

/**
 * The same change applied to a later session of a series: the edited session moved `shiftDays`
 * days and now runs from `startTime` to `endTime` (`spanDays` days later); a later session keeps
 * its own date, moved as much. Null when that falls in a skipped hour.
 */
export function shiftedOccurrence(
  own: string,
  change: { shiftDays: number; startTime: string; endTime: string; spanDays: number },
  timeZone: string,
): { startsAt: Date; endsAt: Date; local: string } | null {
  const m = localPattern.exec(own);
  if (!m) return null;
  const date = addDays({ y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }, change.shiftDays);
  const local = localText(date, change.startTime);
  const startsAt = parseLocalDateTime(local, timeZone);
  const endsAt = parseLocalDateTime(localText(addDays(date, change.spanDays), change.endTime), timeZone);
  return startsAt && endsAt ? { startsAt, endsAt, local } : null;
}

/** How an edit moved a session, in local terms: days moved, new times, days spanned. */
export function localChange(before: string, after: string, afterEnd: string) {
  const a = localPattern.exec(before);
  const b = localPattern.exec(after);
  const c = localPattern.exec(afterEnd);
  if (!a || !b || !c) return null;
  const date = (x: RegExpExecArray) => ({ y: Number(x[1]), m: Number(x[2]), d: Number(x[3]) });
  return {
    shiftDays: dayNumber(date(b)) - dayNumber(date(a)),
    startTime: `${b[4]}:${b[5]}`,
    endTime: `${c[4]}:${c[5]}`,
    spanDays: dayNumber(date(c)) - dayNumber(date(b)),
  };
}
