import { describe, expect, it } from "vitest";
import { formatDateTime, formatTimeRange, isSkippedLocalTime, parseLocalDateTime, toLocalDateTimeInput } from "~/lib/time";

const zone = "Europe/Amsterdam";

describe("community time", () => {
  it("reads a winter time as UTC+1 and a summer time as UTC+2", () => {
    expect(parseLocalDateTime("2026-01-15T14:00", zone)?.toISOString()).toBe("2026-01-15T13:00:00.000Z");
    expect(parseLocalDateTime("2026-07-15T14:00", zone)?.toISOString()).toBe("2026-07-15T12:00:00.000Z");
  });

  it("handles the days the clocks change", () => {
    // 29 March 2026: 02:00 becomes 03:00 in Amsterdam.
    expect(parseLocalDateTime("2026-03-29T01:30", zone)?.toISOString()).toBe("2026-03-29T00:30:00.000Z");
    expect(parseLocalDateTime("2026-03-29T03:30", zone)?.toISOString()).toBe("2026-03-29T01:30:00.000Z");
    expect(parseLocalDateTime("2026-03-29T02:30", zone)).toBeNull();
    // 25 October 2026: 03:00 becomes 02:00 again; the wall time exists, we take one of the two.
    const ambiguous = parseLocalDateTime("2026-10-25T02:30", zone);
    expect(ambiguous).not.toBeNull();
    expect(toLocalDateTimeInput(ambiguous!, zone)).toBe("2026-10-25T02:30");
  });

  it.each(["", "tomorrow", "2026-13-01T10:00", "2026-02-30T10:00", "2026-01-01 10:00:00Z", "99999-01-01T00:00"])(
    "refuses %j",
    (value) => {
      expect(parseLocalDateTime(value, zone)).toBeNull();
    },
  );

  it("round-trips form values", () => {
    const instant = parseLocalDateTime("2026-11-25T19:30", zone)!;
    expect(toLocalDateTimeInput(instant, zone)).toBe("2026-11-25T19:30");
    expect(formatDateTime(instant, "nl", zone)).toMatch(/25 nov.* 2026.*19:30/);
  });
});

describe("the hour the clocks skip", () => {
  it.each([
    ["02:30 on the night the clocks go forward", "2026-03-29T02:30", true],
    ["02:00 that night", "2026-03-29T02:00", true],
    ["03:00 that night", "2026-03-29T03:00", false],
    ["01:59 that night", "2026-03-29T01:59", false],
    ["02:30 the night the clocks go back (it happens twice)", "2026-10-25T02:30", false],
    ["a date that does not exist", "2026-02-30T02:30", false],
    ["not a time at all", "morgen", false],
  ])("%s → skipped: %s", (_what, value, skipped) => {
    expect(isSkippedLocalTime(value, zone)).toBe(skipped);
  });
});

describe("local times, moved by the day's offset where it does not change that day", () => {
  // What Intl says, asked for each instant: the answer the shortcut must give.
  const formats = new Map<string, Intl.DateTimeFormat>();
  const asked = (instant: number, timeZone: string) => {
    if (!formats.has(timeZone)) formats.set(timeZone, new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }));
    const parts = formats.get(timeZone)!.formatToParts(instant);
    const get = (type: string) => parts.find((p) => p.type === type)!.value;
    return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
  };
  // Whole hours, half and three-quarter hours, a half-hour change of summer time, the date line.
  const zones = ["Europe/Amsterdam", "UTC", "America/St_Johns", "Asia/Kathmandu", "Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago", "Pacific/Apia", "Africa/Casablanca"];

  it("gives what Intl gives, for random instants and every minute around each change of offset", () => {
    let seed = 20261202;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const from = Date.UTC(1975, 0, 1);
    const until = Date.UTC(2040, 0, 1);
    for (const zone of zones) {
      for (let i = 0; i < 1500; i++) {
        const instant = Math.floor(from + random() * (until - from));
        expect(toLocalDateTimeInput(instant, zone), `${zone} ${new Date(instant).toISOString()}`).toBe(asked(instant, zone));
      }
      // The changes of offset in 2025–2027: every 7 minutes over the hours around each, with seconds.
      for (let at = Date.UTC(2025, 0, 1); at < Date.UTC(2028, 0, 1); at += 3_600_000) {
        // An hour later reads an hour later, unless the offset changed in between.
        if (Date.parse(`${asked(at + 3_600_000, zone)}Z`) - Date.parse(`${asked(at, zone)}Z`) === 3_600_000) continue;
        for (let t = at - 3 * 3_600_000; t < at + 4 * 3_600_000; t += 7 * 60_000 + 13_000) {
          expect(toLocalDateTimeInput(t, zone), `${zone} ${new Date(t).toISOString()}`).toBe(asked(t, zone));
        }
      }
    }
  });

  it("formats a time range once per range, language and time zone, and keeps them apart", () => {
    const start = Date.parse("2026-11-03T18:30:00Z");
    const end = Date.parse("2026-11-03T20:30:00Z");
    const dutch = formatTimeRange(start, end, "nl", zone);
    expect(dutch).toMatch(/^di 3 nov\.? 2026, 19:30–21:30$/);
    // Kept, and the same whether asked with instants or dates.
    expect(formatTimeRange(new Date(start), new Date(end), "nl", zone)).toBe(dutch);
    expect(formatTimeRange(start, end, "en", zone)).toMatch(/^Tue,? 3 Nov 2026, 19:30–21:30$/);
    expect(formatTimeRange(start, end, "nl", "Europe/London")).toMatch(/18:30–20:30$/);
    // Across midnight: both ends in full.
    expect(formatTimeRange(start, Date.parse("2026-11-04T09:00:00Z"), "nl", zone)).toMatch(/^di 3 nov\.? 2026, 19:30 – wo 4 nov\.? 2026, 10:00$/);
    expect(formatTimeRange(start, end, "nl", zone)).toBe(dutch);
    // A flood of ranges keeps a bounded number, and still answers right after.
    for (let i = 0; i < 2_100; i++) formatTimeRange(start + i * 60_000, end + i * 60_000, "nl", zone);
    expect(formatTimeRange(start, end, "nl", zone)).toBe(dutch);
  });
});
