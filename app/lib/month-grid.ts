// Months and weeks of the agenda as pure functions: calendar dates ("2026-03-29") are counted as
// whole days, independent of any time zone; a session lands on the date its start has in the
// community time zone, so 00:30 and 23:30 on the night the clocks change stay on their own day.
// Weeks start on Monday and are numbered as ISO 8601 weeks, as in the Netherlands.
import { parseLocalDateTime, toLocalDateTimeInput } from "./time";

/** A calendar date, "YYYY-MM-DD". */
export type CalendarDate = string;
export type YearMonth = { year: number; month: number };
export type IsoWeek = { year: number; week: number };

export type GridDay<T> = {
  date: CalendarDate;
  day: number;
  /** False for the days of the previous or next month that fill the first and last week. */
  inMonth: boolean;
  today: boolean;
  items: T[];
};

// time.ts reads local times from 1970 to 9999 only, and a grid shows days of the next year too.
const firstYear = 1970;
const lastYear = 9998;
const msPerDay = 86_400_000;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** Days since 1970-01-01 of a calendar date. */
function dayNumber(date: CalendarDate): number {
  const [y, m, d] = date.split("-").map(Number);
  return Date.UTC(y, m - 1, d) / msPerDay;
}

function fromDayNumber(n: number): CalendarDate {
  const at = new Date(n * msPerDay);
  return `${pad(at.getUTCFullYear(), 4)}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(dayNumber(date) + days);
}

/** 0 for Monday … 6 for Sunday. */
export function weekdayIndex(date: CalendarDate): number {
  // 1970-01-01 was a Thursday.
  return (((dayNumber(date) + 3) % 7) + 7) % 7;
}

/** "2026-03", or null for anything that is not a month from 1970 to 9998. */
export function parseYearMonth(value: string | null | undefined): YearMonth | null {
  const m = /^(\d{4})-(\d{2})$/.exec(value ?? "");
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (year < firstYear || year > lastYear || month < 1 || month > 12) return null;
  return { year, month };
}

/** "2026-03-29" when it is a real date from 1970 to 9998, else null. */
export function parseCalendarDate(value: string | null | undefined): CalendarDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value ?? "");
  if (!m) return null;
  const year = Number(m[1]);
  if (year < firstYear || year > lastYear) return null;
  return fromDayNumber(dayNumber(m[0])) === m[0] ? m[0] : null;
}

/** "2026-W09" (the ISO week), or null when that week does not exist. */
export function parseIsoWeek(value: string | null | undefined): IsoWeek | null {
  const m = /^(\d{4})-W(\d{2})$/i.exec(value ?? "");
  if (!m) return null;
  const week = { year: Number(m[1]), week: Number(m[2]) };
  if (week.year < firstYear || week.year > lastYear || week.week < 1 || week.week > weeksInYear(week.year)) return null;
  return week;
}

export const yearMonthText = ({ year, month }: YearMonth) => `${pad(year, 4)}-${pad(month)}`;
export const isoWeekText = ({ year, week }: IsoWeek) => `${pad(year, 4)}-W${pad(week)}`;

export function isoWeekOf(date: CalendarDate): IsoWeek {
  const thursday = dayNumber(date) - weekdayIndex(date) + 3;
  const year = Number(fromDayNumber(thursday).slice(0, 4));
  return { year, week: Math.floor((thursday - dayNumber(`${pad(year, 4)}-01-01`)) / 7) + 1 };
}

function weeksInYear(year: number): number {
  return isoWeekOf(`${pad(year, 4)}-12-28`).week;
}

export function mondayOf({ year, week }: IsoWeek): CalendarDate {
  const january4 = `${pad(year, 4)}-01-04`;
  return addDays(january4, (week - 1) * 7 - weekdayIndex(january4));
}

/** The date of an instant in `timeZone`. */
export function localDate(instant: number, timeZone: string): CalendarDate {
  return toLocalDateTimeInput(instant, timeZone).slice(0, 10);
}

/** The first instant of a date in `timeZone` (midnight, or the first hour that exists that night). */
export function startOfDay(date: CalendarDate, timeZone: string): number {
  for (const hour of ["00:00", "01:00", "02:00", "03:00"]) {
    const at = parseLocalDateTime(`${date}T${hour}`, timeZone);
    if (at) return at.getTime();
  }
  return Date.UTC(...(date.split("-").map(Number) as [number, number, number]));
}

function inRange(date: CalendarDate) {
  const year = Number(date.slice(0, 4));
  return year >= firstYear && year <= lastYear;
}

/** Puts each item on the day its start falls on in `timeZone`, in time order. */
function placeItems<T extends { startsAt: number }>(dates: CalendarDate[], items: T[], timeZone: string): Map<CalendarDate, T[]> {
  const byDate = new Map<CalendarDate, T[]>(dates.map((d) => [d, []]));
  for (const item of [...items].sort((a, b) => a.startsAt - b.startsAt)) byDate.get(localDate(item.startsAt, timeZone))?.push(item);
  return byDate;
}

export type MonthGrid<T> = {
  month: YearMonth;
  /** Four to six rows of seven days, Monday first. */
  weeks: GridDay<T>[][];
  /** The month's first and next month's first instant, for the query. */
  from: number;
  until: number;
  previous: YearMonth | null;
  next: YearMonth | null;
};

export function monthBounds(month: YearMonth, timeZone: string) {
  const first = `${yearMonthText(month)}-01`;
  const following = month.month === 12 ? { year: month.year + 1, month: 1 } : { year: month.year, month: month.month + 1 };
  const preceding = month.month === 1 ? { year: month.year - 1, month: 12 } : { year: month.year, month: month.month - 1 };
  const nextFirst = `${pad(following.year, 4)}-${pad(following.month)}-01`;
  return {
    first,
    nextFirst,
    from: startOfDay(first, timeZone),
    until: inRange(nextFirst) ? startOfDay(nextFirst, timeZone) : startOfDay(addDays(first, 31), "UTC"),
    previous: preceding.year >= firstYear ? preceding : null,
    next: following.year <= lastYear ? following : null,
  };
}

/** The month as weeks of days, with each item (a session) on the day it starts in `timeZone`. */
export function monthGrid<T extends { startsAt: number }>(month: YearMonth, items: T[], options: { timeZone: string; today: CalendarDate }): MonthGrid<T> {
  const bounds = monthBounds(month, options.timeZone);
  const start = addDays(bounds.first, -weekdayIndex(bounds.first));
  const lastDay = addDays(bounds.nextFirst, -1);
  const end = addDays(lastDay, 6 - weekdayIndex(lastDay));
  const dates: CalendarDate[] = [];
  for (let d = start; dayNumber(d) <= dayNumber(end); d = addDays(d, 1)) dates.push(d);
  const prefix = yearMonthText(month);
  const placed = placeItems(dates.filter((d) => d.startsWith(prefix)), items, options.timeZone);
  const days = dates.map((date) => ({
    date,
    day: Number(date.slice(8)),
    inMonth: date.startsWith(prefix),
    today: date === options.today,
    items: placed.get(date) ?? [],
  }));
  const weeks: GridDay<T>[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  return { month, weeks, from: bounds.from, until: bounds.until, previous: bounds.previous, next: bounds.next };
}

export type WeekGrid<T> = { week: IsoWeek; days: GridDay<T>[]; from: number; until: number; previous: IsoWeek | null; next: IsoWeek | null };

export function weekBounds(week: IsoWeek, timeZone: string) {
  const monday = mondayOf(week);
  const following = addDays(monday, 7);
  const previous = isoWeekOf(addDays(monday, -7));
  const next = isoWeekOf(following);
  return {
    monday,
    from: startOfDay(monday, timeZone),
    until: startOfDay(following, timeZone),
    previous: previous.year >= firstYear ? previous : null,
    next: next.year <= lastYear && inRange(following) ? next : null,
  };
}

/** Monday to Sunday of an ISO week, with each item on the day it starts in `timeZone`. */
export function weekGrid<T extends { startsAt: number }>(week: IsoWeek, items: T[], options: { timeZone: string; today: CalendarDate }): WeekGrid<T> {
  const bounds = weekBounds(week, options.timeZone);
  const dates = Array.from({ length: 7 }, (_, i) => addDays(bounds.monday, i));
  const placed = placeItems(dates, items, options.timeZone);
  const days = dates.map((date) => ({ date, day: Number(date.slice(8)), inMonth: true, today: date === options.today, items: placed.get(date) ?? [] }));
  return { week, days, from: bounds.from, until: bounds.until, previous: bounds.previous, next: bounds.next };
}
