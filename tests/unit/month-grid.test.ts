// The agenda's month and week grids: weeks start on Monday, every day of the month is there once,
// and a session lands on the day it starts in the community time zone, right across the changes to
// and from summer time.
import { describe, expect, it } from "vitest";
import { isoWeekOf, mondayOf, monthGrid, parseCalendarDate, parseIsoWeek, parseYearMonth, weekGrid } from "~/lib/month-grid";
import { parseLocalDateTime } from "~/lib/time";

const zone = "Europe/Amsterdam";
const at = (local: string) => parseLocalDateTime(local, zone)!.getTime();
const session = (local: string, id = local) => ({ id, startsAt: at(local) });

describe("the month grid", () => {
  const months = [
    // month, what it is, first cell, last cell, rows
    { month: "2026-03", why: "starts on a Sunday, 31 days, summer time starts on the 29th", first: "2026-02-23", last: "2026-04-05", rows: 6 },
    { month: "2026-06", why: "starts on a Monday, 30 days", first: "2026-06-01", last: "2026-07-05", rows: 5 },
    { month: "2027-02", why: "February of a common year: 28 days from a Monday, exactly four weeks", first: "2027-02-01", last: "2027-02-28", rows: 4 },
    { month: "2026-02", why: "February 2026: 28 days from a Sunday", first: "2026-01-26", last: "2026-03-01", rows: 5 },
    { month: "2026-10", why: "31 days, summer time ends on the 25th", first: "2026-09-28", last: "2026-11-01", rows: 5 },
    { month: "2028-02", why: "a leap year's February", first: "2028-01-31", last: "2028-03-05", rows: 5 },
  ];
  it.each(months)("$month ($why)", ({ month, first, last, rows }) => {
    const ym = parseYearMonth(month)!;
    const grid = monthGrid(ym, [], { timeZone: zone, today: "2026-03-29" });
    expect(grid.weeks).toHaveLength(rows);
    for (const week of grid.weeks) expect(week).toHaveLength(7);
    const days = grid.weeks.flat();
    expect(days[0].date).toBe(first);
    expect(days[days.length - 1].date).toBe(last);
    // Every column is one weekday, Monday first.
    for (const week of grid.weeks) week.forEach((d, i) => expect((new Date(`${d.date}T12:00:00Z`).getUTCDay() + 6) % 7).toBe(i));
    // Every date of the month once, in order, and nothing else marked as in the month.
    const inMonth = days.filter((d) => d.inMonth).map((d) => d.date);
    const length = new Date(Date.UTC(ym.year, ym.month, 0)).getUTCDate();
    expect(inMonth).toEqual(Array.from({ length }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`));
    // The query covers the month's local days exactly.
    expect(grid.from).toBe(at(`${month}-01T00:00`));
    expect(grid.until).toBe(at(`${grid.next!.year}-${String(grid.next!.month).padStart(2, "0")}-01T00:00`));
  });

  it.each([
    ["2026-03-29", "the day summer time starts"],
    ["2026-10-25", "the day summer time ends"],
    ["2026-03-01", "the first of a month"],
    ["2026-03-31", "the last of a month"],
  ])("puts a session at 00:30 and one at 23:30 on %s (%s) on that day, and nowhere else", (date) => {
    const items = [session(`${date}T00:30`, "early"), session(`${date}T23:30`, "late")];
    const grid = monthGrid(parseYearMonth(date.slice(0, 7))!, items, { timeZone: zone, today: date });
    const days = grid.weeks.flat();
    const day = days.find((d) => d.date === date)!;
    expect(day.items.map((i) => i.id)).toEqual(["early", "late"]);
    expect(day.today).toBe(true);
    expect(days.filter((d) => d.today)).toHaveLength(1);
    expect(days.flatMap((d) => d.items)).toHaveLength(2);
  });

  it("on the DST night, the UTC date differs from the local one, and the local one wins", () => {
    // 00:30 in Amsterdam on 29 March 2026 is still 28 March in UTC; 23:30 on 25 October is 22:30 UTC.
    expect(new Date(at("2026-03-29T00:30")).toISOString()).toBe("2026-03-28T23:30:00.000Z");
    const grid = monthGrid({ year: 2026, month: 3 }, [session("2026-03-29T00:30")], { timeZone: zone, today: "2026-01-01" });
    expect(grid.weeks.flat().find((d) => d.items.length)!.date).toBe("2026-03-29");
  });

  it("leaves out sessions of other months and of the neighbours' days shown in the grid", () => {
    const items = [session("2026-02-28T10:00"), session("2026-04-01T10:00"), session("2026-03-15T10:00", "in")];
    const grid = monthGrid({ year: 2026, month: 3 }, items, { timeZone: zone, today: "2026-03-15" });
    expect(grid.weeks.flat().flatMap((d) => d.items.map((i) => i.id))).toEqual(["in"]);
  });

  it("lists a day's sessions in time order", () => {
    const items = [session("2026-03-10T19:00", "evening"), session("2026-03-10T09:00", "morning")];
    const day = monthGrid({ year: 2026, month: 3 }, items, { timeZone: zone, today: "" }).weeks.flat().find((d) => d.date === "2026-03-10")!;
    expect(day.items.map((i) => i.id)).toEqual(["morning", "evening"]);
  });

  it("goes to the previous and next month across a year, and stops at the ends of time it can show", () => {
    expect(monthGrid({ year: 2026, month: 1 }, [], { timeZone: zone, today: "" }).previous).toEqual({ year: 2025, month: 12 });
    expect(monthGrid({ year: 2026, month: 12 }, [], { timeZone: zone, today: "" }).next).toEqual({ year: 2027, month: 1 });
    expect(monthGrid({ year: 1970, month: 1 }, [], { timeZone: zone, today: "" }).previous).toBeNull();
    const last = monthGrid({ year: 9998, month: 12 }, [], { timeZone: zone, today: "" });
    expect(last.next).toBeNull();
    expect(last.until).toBeGreaterThan(last.from);
  });
});

describe("the week grid", () => {
  it("is Monday to Sunday of the ISO week, across the change to summer time", () => {
    const week = parseIsoWeek("2026-W13")!;
    expect(mondayOf(week)).toBe("2026-03-23");
    const grid = weekGrid(week, [session("2026-03-29T00:30", "a"), session("2026-03-29T23:30", "b"), session("2026-03-30T00:30", "next week")], { timeZone: zone, today: "2026-03-29" });
    expect(grid.days.map((d) => d.date)).toEqual(["2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27", "2026-03-28", "2026-03-29"]);
    expect(grid.days[6].items.map((i) => i.id)).toEqual(["a", "b"]);
    expect(grid.days[6].today).toBe(true);
    // A week with the change to summer time is an hour short.
    expect(grid.until - grid.from).toBe(7 * 86_400_000 - 3_600_000);
    expect(grid.previous).toEqual({ year: 2026, week: 12 });
    expect(grid.next).toEqual({ year: 2026, week: 14 });
  });

  it.each([
    ["2026-01-01", { year: 2026, week: 1 }],
    ["2027-01-01", { year: 2026, week: 53 }],
    ["2024-12-30", { year: 2025, week: 1 }],
    ["2026-12-31", { year: 2026, week: 53 }],
  ])("numbers %s as ISO week %o", (date, week) => {
    expect(isoWeekOf(date)).toEqual(week);
  });

  it("refuses weeks, months and dates that do not exist", () => {
    for (const bad of ["2025-W53", "2026-W00", "2026-W54", "abc", "", "9999-W99", "2026-w1"]) expect(parseIsoWeek(bad), bad).toBeNull();
    expect(parseIsoWeek("2026-W53")).toEqual({ year: 2026, week: 53 });
    for (const bad of ["9999-99", "2026-13", "2026-00", "1969-12", "2026-3", "9999-01", "10000-01", "2026-03-01"]) expect(parseYearMonth(bad), bad).toBeNull();
    for (const bad of ["2027-02-29", "2026-04-31", "2026-13-01", "1969-12-31", "2026-3-1"]) expect(parseCalendarDate(bad), bad).toBeNull();
    expect(parseCalendarDate("2028-02-29")).toBe("2028-02-29");
  });
});
