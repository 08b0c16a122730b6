// A series of sessions (issue 14): dates on the local calendar, the same wall-clock time across
// the daylight-saving changes, the end of the month for a series on the 31st.
import { describe, expect, it } from "vitest";
import { localChange, seriesOccurrences, shiftedOccurrence, type Repeat } from "~/lib/series";
import { toLocalDateTimeInput } from "~/lib/time";

const zone = "Europe/Amsterdam";
const max = 52;
const local = (d: Date) => toLocalDateTimeInput(d, zone);

function series(startsAt: string, endsAt: string, repeat: Repeat, count: number) {
  const result = seriesOccurrences({ startsAt, endsAt, repeat, count }, zone, max);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.occurrences;
}

describe("series of sessions", () => {
  it.each<[string, string, string, Repeat, number, string[]]>([
    ["weekly", "2027-01-05T19:00", "2027-01-05T21:00", "weekly", 3, ["2027-01-05T19:00", "2027-01-12T19:00", "2027-01-19T19:00"]],
    ["every two weeks", "2027-01-05T19:00", "2027-01-05T21:00", "biweekly", 3, ["2027-01-05T19:00", "2027-01-19T19:00", "2027-02-02T19:00"]],
    ["monthly on the 2nd Tuesday", "2027-01-12T19:00", "2027-01-12T21:00", "monthly-weekday", 4, ["2027-01-12T19:00", "2027-02-09T19:00", "2027-03-09T19:00", "2027-04-13T19:00"]],
    ["monthly on a 5th Tuesday: the last Tuesday", "2027-03-30T19:00", "2027-03-30T21:00", "monthly-weekday", 3, ["2027-03-30T19:00", "2027-04-27T19:00", "2027-05-25T19:00"]],
    ["monthly on the 31st: the last day of shorter months", "2027-01-31T10:00", "2027-01-31T12:00", "monthly-day", 6, ["2027-01-31T10:00", "2027-02-28T10:00", "2027-03-31T10:00", "2027-04-30T10:00", "2027-05-31T10:00", "2027-06-30T10:00"]],
    ["monthly on the 29th in a leap year", "2028-01-29T10:00", "2028-01-29T12:00", "monthly-day", 3, ["2028-01-29T10:00", "2028-02-29T10:00", "2028-03-29T10:00"]],
    ["monthly over the turn of the year", "2027-11-15T10:00", "2027-11-15T12:00", "monthly-day", 3, ["2027-11-15T10:00", "2027-12-15T10:00", "2028-01-15T10:00"]],
    ["across the spring change (28 March 2027)", "2027-03-16T19:00", "2027-03-16T21:00", "weekly", 3, ["2027-03-16T19:00", "2027-03-23T19:00", "2027-03-30T19:00"]],
    ["across the autumn change (31 October 2027)", "2027-10-26T19:00", "2027-10-26T21:00", "weekly", 2, ["2027-10-26T19:00", "2027-11-02T19:00"]],
    ["one session only", "2027-01-05T19:00", "2027-01-05T21:00", "none", 1, ["2027-01-05T19:00"]],
  ])("%s", (_name, startsAt, endsAt, repeat, count, expected) => {
    const occurrences = series(startsAt, endsAt, repeat, count);
    expect(occurrences.map((o) => local(o.startsAt))).toEqual(expected);
    // The end keeps its wall-clock time too.
    expect(occurrences.map((o) => local(o.endsAt).slice(11))).toEqual(expected.map(() => endsAt.slice(11)));
  });

  it("stays at 19:00 local, so the UTC instant moves by an hour at each change", () => {
    const spring = series("2027-03-23T19:00", "2027-03-23T21:00", "weekly", 2);
    expect(spring.map((o) => o.startsAt.toISOString())).toEqual(["2027-03-23T18:00:00.000Z", "2027-03-30T17:00:00.000Z"]);
    const autumn = series("2027-10-26T19:00", "2027-10-26T21:00", "weekly", 2);
    expect(autumn.map((o) => o.startsAt.toISOString())).toEqual(["2027-10-26T17:00:00.000Z", "2027-11-02T18:00:00.000Z"]);
  });

  it("keeps a session that runs past midnight on the same number of days", () => {
    const occurrences = series("2027-01-08T22:00", "2027-01-09T01:00", "weekly", 2);
    expect(occurrences.map((o) => [local(o.startsAt), local(o.endsAt)])).toEqual([
      ["2027-01-08T22:00", "2027-01-09T01:00"],
      ["2027-01-15T22:00", "2027-01-16T01:00"],
    ]);
  });

  it("names the session that falls in the hour the clocks skip, instead of moving it", () => {
    expect(seriesOccurrences({ startsAt: "2027-03-21T02:30", endsAt: "2027-03-21T03:30", repeat: "weekly", count: 3 }, zone, max)).toEqual({
      ok: false,
      reason: "skipped",
      index: 1,
      local: "2027-03-28T02:30",
    });
  });

  it.each([
    [1, true],
    [52, true],
    [53, false],
    [0, false],
    [-1, false],
    [1.5, false],
    [Number.NaN, false],
    [10_000, false],
  ])("takes %s sessions: %s", (count, ok) => {
    const result = seriesOccurrences({ startsAt: "2027-01-05T19:00", endsAt: "2027-01-05T21:00", repeat: "weekly", count }, zone, max);
    expect(result.ok).toBe(ok);
    if (result.ok) {
      expect(result.occurrences).toHaveLength(count);
      expect(local(result.occurrences[result.occurrences.length - 1].startsAt)).toBe(count === 52 ? "2027-12-28T19:00" : "2027-01-05T19:00");
    } else expect(result.reason).toBe("count");
  });

  it("moves a later session of a series as the edited one moved, in local time", () => {
    // Tuesday 19:00 becomes Wednesday 19:30–21:30; a later Tuesday in summer time moves alike.
    const change = localChange("2027-03-23T19:00", "2027-03-24T19:30", "2027-03-24T21:30")!;
    expect(change).toEqual({ shiftDays: 1, startTime: "19:30", endTime: "21:30", spanDays: 0 });
    const later = shiftedOccurrence("2027-03-30T19:00", change, zone)!;
    expect([local(later.startsAt), local(later.endsAt)]).toEqual(["2027-03-31T19:30", "2027-03-31T21:30"]);
    expect(shiftedOccurrence("2027-03-21T02:30", { shiftDays: 7, startTime: "02:30", endTime: "03:30", spanDays: 0 }, zone)).toBeNull();
  });
});
