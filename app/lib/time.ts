// Instants are stored in UTC; people read and type times in the community's time zone.

// Making an Intl.DateTimeFormat costs far more than using one, and a page formats many dates: a
// month of the agenda made one per session and spent a sixth of its time there.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The formatter for `tag` and `options`, made once. */
export function formatter(tag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = tag + JSON.stringify(options);
  let made = formatters.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat(tag, options);
    formatters.set(key, made);
  }
  return made;
}

export function formatDate(instant: Date | number, locale: string, timeZone: string) {
  return formatter(locale === "en" ? "en-GB" : "nl-NL", {
    timeZone,
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(instant);
}

export function formatDateTime(instant: Date | number, locale: string, timeZone: string) {
  return formatter(locale === "en" ? "en-GB" : "nl-NL", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(instant);
}

// The offset (in minutes) of a time zone at an instant, e.g. 60 for Amsterdam in winter.
function offsetMinutes(instant: number, timeZone: string): number {
  const parts = formatter("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
}

/**
 * Reads a `datetime-local` value ("2026-03-29T14:00") as wall-clock time in `timeZone` and
 * returns the UTC instant, or null when the value is not a real time there (malformed, or a
 * time skipped by a daylight-saving change).
 */
export function parseLocalDateTime(value: string, timeZone: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = Date.UTC(y, mo - 1, d, h, mi, s || 0);
  if (Number.isNaN(wall) || y < 1970 || y > 9999) return null;
  // Two passes settle the offset on either side of a daylight-saving change.
  let guess = wall - offsetMinutes(wall, timeZone) * 60000;
  guess = wall - offsetMinutes(guess, timeZone) * 60000;
  if (toLocalDateTimeInput(guess, timeZone) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`) return null;
  return new Date(guess);
}

/**
 * Whether `value` is a real date and time of day that the clock skips in `timeZone`: the hour
 * that does not exist on the night the clocks go forward (02:30 on the last Sunday of March).
 */
export function isSkippedLocalTime(value: string, timeZone: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0));
  const wall = new Date(Date.UTC(y, mo - 1, d, h, mi, s || 0));
  const real = wall.getUTCFullYear() === y && wall.getUTCMonth() === mo - 1 && wall.getUTCDate() === d && wall.getUTCHours() === h && wall.getUTCMinutes() === mi;
  return real && y >= 1970 && y <= 9999 && parseLocalDateTime(value, timeZone) === null;
}

/** The `datetime-local` value of an instant in `timeZone`, for filling in a form. */
export function toLocalDateTimeInput(instant: Date | number, timeZone: string): string {
  const at = typeof instant === "number" ? instant : instant.getTime();
  // Most days have one offset from start to end: it is asked once per day and zone, and every
  // instant of that day is moved by it. Days with a change of offset ask for each instant.
  const offset = dayOffset(at, timeZone);
  if (offset !== null) return new Date(at + offset).toISOString().slice(0, 16);
  return askedLocal(at, timeZone);
}

function askedLocal(instant: number, timeZone: string): string {
  const parts = formatter("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

const dayMs = 86_400_000;
const minuteMs = 60_000;
// From 1980, when every zone's offset was whole minutes, to 9999, where toISOString writes
// four-digit years.
const fastFrom = Date.UTC(1980, 0, 1);
const fastUntil = Date.UTC(9999, 11, 30);
const dayOffsets = new Map<string, number | null>();

/** The zone's offset from UTC (in ms) for the whole UTC day of `instant`, or null when it changes that day. */
function dayOffset(instant: number, timeZone: string): number | null {
  if (!(instant >= fastFrom && instant < fastUntil)) return null;
  const day = Math.floor(instant / dayMs);
  const key = `${timeZone}\n${day}`;
  let offset = dayOffsets.get(key);
  if (offset === undefined) {
    const first = offsetAt(day * dayMs, timeZone);
    offset = first === offsetAt((day + 1) * dayMs - minuteMs, timeZone) ? first : null;
    if (dayOffsets.size >= 10_000) dayOffsets.clear();
    dayOffsets.set(key, offset);
  }
  return offset;
}

/** Local time minus UTC at a whole minute, in ms. */
function offsetAt(minute: number, timeZone: string): number {
  const local = askedLocal(minute, timeZone);
  return Date.UTC(Number(local.slice(0, 4)), Number(local.slice(5, 7)) - 1, Number(local.slice(8, 10)), Number(local.slice(11, 13)), Number(local.slice(14, 16))) - minute;
}

// Formatted ranges, kept: a page lists the same sessions for every viewer, and each range took
// four or five calls to Intl. At most `keptRanges`, the oldest dropped first.
const ranges = new Map<string, string>();
const keptRanges = 2_000;

/** "di 3 nov. 2026, 19:30–21:30", or both ends in full when they fall on different days. */
export function formatTimeRange(start: Date | number, end: Date | number, locale: string, timeZone: string) {
  const key = `${+start} ${+end} ${locale} ${timeZone}`;
  let text = ranges.get(key);
  if (text === undefined) {
    text = timeRange(start, end, locale, timeZone);
    if (ranges.size >= keptRanges) ranges.delete(ranges.keys().next().value!);
    ranges.set(key, text);
  }
  return text;
}

function timeRange(start: Date | number, end: Date | number, locale: string, timeZone: string) {
  const tag = locale === "en" ? "en-GB" : "nl-NL";
  const day = formatter(tag, { timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric" });
  const clock = formatter(tag, { timeZone, hour: "2-digit", minute: "2-digit" });
  const [startDay, endDay] = [day.format(start), day.format(end)];
  if (startDay === endDay) return `${startDay}, ${clock.format(start)}–${clock.format(end)}`;
  return `${startDay}, ${clock.format(start)} – ${endDay}, ${clock.format(end)}`;
}

/** Whether two instants fall on the same calendar day in the time zone (for "today" or "tomorrow"). */
export function sameLocalDay(a: Date | number, b: Date | number, timeZone: string): boolean {
  return toLocalDateTimeInput(a, timeZone).slice(0, 10) === toLocalDateTimeInput(b, timeZone).slice(0, 10);
}
