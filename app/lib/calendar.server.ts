// iCalendar files (RFC 5545). Instants are written in UTC ("…Z"), which every calendar app converts
// to the reader's zone: nothing can go wrong across daylight-saving changes. The `ics` package
// writes the events; the calendar's own lines and the line folding are written here, because
// strict readers want lines of at most 75 octets (not characters) and escaped calendar names.
import { createEvents, type EventAttributes } from "ics";

export type CalendarSession = {
  id: number;
  initiativeId: number;
  title: string;
  summary: string;
  startsAt: number;
  endsAt: number;
  place: string;
  hostOrganisation: string;
  mode?: "onsite" | "online" | "hybrid";
  /** Only in a member's own calendar, for sessions they may join (issue 14). */
  onlineUrl?: string;
  cancelled: boolean;
  /** Only in a member's own calendar: they wait for a place, so the date is not theirs yet. */
  waitlisted?: boolean;
  updatedAt?: number;
  /**
   * With `updatedAt`: the event's SEQUENCE (RFC 5545 §3.8.7.4) is the whole seconds from its
   * creation to its last change, so that every change (a new time, a place from the waiting list)
   * counts higher, and a calendar app that imports a file from a mail takes it over the event it
   * already has under the same UID.
   */
  createdAt?: number;
};

export type CalendarHeader = {
  /** X-WR-CALNAME: the name calendar apps show for the calendar. */
  name: string;
  /** X-WR-CALDESC */
  description?: string;
  /** A calendar apps subscribe to: tells them to fetch it again every hour. */
  feed?: boolean;
};

export const productId = "-//Meedoen//Meedoen//EN";

export function calendarFile(sessions: CalendarSession[], calendar: CalendarHeader, origin: string): string {
  // No METHOD: these are published calendars, not invitations (a METHOD would need an ORGANIZER).
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${productId}`,
    "CALSCALE:GREGORIAN",
    `X-WR-CALNAME:${escapeText(calendar.name)}`,
    ...(calendar.description ? [`X-WR-CALDESC:${escapeText(calendar.description)}`] : []),
    ...(calendar.feed ? ["REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"] : []),
    ...eventLines(sessions, origin),
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}

/** A mail's calendar file for these dates of the initiative `title`: what the sign-up, waiting-list and change mails attach. */
export function calendarAttachments(sessions: CalendarSession[], title: string, origin: string) {
  return [{ filename: "meedoen.ics", contentType: "text/calendar; charset=utf-8", content: calendarFile(sessions, { name: `Meedoen — ${title}` }, origin) }];
}

/** The VEVENT lines, unfolded. */
function eventLines(sessions: CalendarSession[], origin: string): string[] {
  if (!sessions.length) return [];
  const host = new URL(origin).host;
  const events: EventAttributes[] = sessions.map((s) => ({
    uid: `session-${s.id}@${host}`,
    title: plainText(s.cancelled ? `✕ ${s.title}` : s.title),
    description: plainText([s.summary, s.hostOrganisation, s.onlineUrl ? `Online: ${s.onlineUrl}` : "", `${origin}/sessions/${s.id}`].filter(Boolean).join("\n\n")),
    // An online session's place is the call: its link where it may be seen, else just "Online".
    location: plainText(s.mode === "online" ? s.onlineUrl || s.place || "Online" : s.place) || undefined,
    start: s.startsAt,
    startInputType: "utc",
    startOutputType: "utc",
    end: s.endsAt,
    endInputType: "utc",
    endOutputType: "utc",
    status: s.cancelled ? "CANCELLED" : s.waitlisted ? "TENTATIVE" : "CONFIRMED",
    ...(s.updatedAt ? { lastModified: s.updatedAt } : {}),
    ...(s.updatedAt && s.createdAt !== undefined ? { sequence: Math.min(2 ** 31 - 1, Math.max(0, Math.floor((s.updatedAt - s.createdAt) / 1000))) } : {}),
  }));
  const { error, value } = createEvents(events);
  if (error || !value) throw error ?? new Error("calendar could not be written");
  // `ics` folds by characters: unfold, keep only the events; they are folded again by octets.
  const unfolded = value.replace(/\r\n[ \t]/g, "").split("\r\n");
  const lines = unfolded.slice(unfolded.indexOf("BEGIN:VEVENT"), unfolded.lastIndexOf("END:VEVENT") + 1);
  // Each event's URL is written here, after its UID: `ics` refuses addresses its pattern does not
  // know (a port of one digit, an IPv6 host), and a calendar in a mail must never fail the change
  // that sends it.
  const urls = new Map(sessions.map((s) => [`UID:session-${s.id}@${host}`, `URL:${origin}/sessions/${s.id}`]));
  return lines.flatMap((line) => (urls.has(line) ? [line, urls.get(line)!] : [line]));
}

/** Text as a TEXT value may hold it: one kind of line break, no other control characters, no lone surrogates. */
function plainText(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped. */
export function escapeText(text: string): string {
  return plainText(text).replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\n/g, "\\n");
}

/** RFC 5545 §3.1: lines of at most 75 octets, continued after CRLF and one space, never inside a character. */
export function foldLine(line: string): string {
  if (Buffer.byteLength(line) <= 75) return line;
  const parts: string[] = [];
  let part = "";
  let octets = 0;
  let limit = 75;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (octets + size > limit) {
      parts.push(part);
      part = "";
      octets = 0;
      limit = 74; // the leading space counts
    }
    part += char;
    octets += size;
  }
  parts.push(part);
  return parts.join("\r\n ");
}

export function calendarResponse(body: string | Uint8Array<ArrayBuffer>, filename: string, privateFeed = false) {
  return new Response(body, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="${filename}"`,
      "Cache-Control": privateFeed ? "private, max-age=300" : "public, max-age=300",
    },
  });
}

/** The site's own address as the visitor reached it (for links inside calendar files). */
export function originOf(request: Request) {
  return process.env.PUBLIC_URL ? new URL(process.env.PUBLIC_URL).origin : new URL(request.url).origin;
}
