import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFile, calendarResponse, originOf } from "~/lib/calendar.server";
import { textRefusal } from "~/lib/i18n/locale.server";
import { idParam } from "~/lib/params.server";
import { calendarSessions } from "~/models/sessions.server";

// Served at /sessions/:id.ics (the server maps that address here).
export function loader({ request, params }: LoaderFunctionArgs) {
  const id = idParam(params.id);
  const sessions = calendarSessions({ sessionId: id });
  if (!sessions.length) throw textRefusal(request, "error.notFound", 404);
  return calendarResponse(calendarFile(sessions, { name: sessions[0].title }, originOf(request)), `session-${id}.ics`);
}
