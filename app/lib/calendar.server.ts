// iCalendar files. Instants are written in UTC ("…Z"), which every calendar app converts to the
// reader's zone: nothing can go wrong across daylight-saving changes.
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
  cancelled: boolean;
  updatedAt?: number;
};

export function calendarFile(sessions: CalendarSession[], calName: string, origin: string): string {
  const host = new URL(origin).host;
  const events: EventAttributes[] = sessions.map((s) => ({
    uid: `session-${s.id}@${host}`,
    title: s.cancelled ? `✕ ${s.title}` : s.title,
    description: [s.summary, s.hostOrganisation, `${origin}/sessions/${s.id}`].filter(Boolean).join("\n\n"),
    location: s.place || undefined,
    url: `${origin}/sessions/${s.id}`,
    start: s.startsAt,
    startInputType: "utc",
    startOutputType: "utc",
    end: s.endsAt,
    endInputType: "utc",
    endOutputType: "utc",
    status: s.cancelled ? "CANCELLED" : "CONFIRMED",
    ...(s.updatedAt ? { lastModified: s.updatedAt } : {}),
  }));
  const header = { productId: "meedoen", calName };
  if (!events.length) {
    return ["BEGIN:VCALENDAR", "VERSION:2.0", "CALSCALE:GREGORIAN", "PRODID:meedoen", `X-WR-CALNAME:${calName.replace(/[\r\n]/g, " ")}`, "END:VCALENDAR", ""].join("\r\n");
  }
  const { error, value } = createEvents(events, header);
  if (error || !value) throw error ?? new Error("calendar could not be written");
  return value;
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
