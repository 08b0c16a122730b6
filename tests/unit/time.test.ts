import { describe, expect, it } from "vitest";
import { formatDateTime, isSkippedLocalTime, parseLocalDateTime, toLocalDateTimeInput } from "~/lib/time";

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
