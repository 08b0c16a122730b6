import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFile, calendarResponse, originOf } from "~/lib/calendar.server";
import { textRefusal } from "~/lib/i18n/locale.server";
import { idParam } from "~/lib/params.server";
import { getInitiative } from "~/models/initiatives.server";
import { calendarSessions } from "~/models/sessions.server";

// Served at /initiatives/:id.ics (the server maps that address here).
export function loader({ request, params }: LoaderFunctionArgs) {
  const initiative = getInitiative(idParam(params.id));
  // A hidden initiative's calendar would still carry its title as the calendar's name.
  if (!initiative || initiative.hiddenAt) throw textRefusal(request, "error.notFound", 404);
  const sessions = calendarSessions({ initiativeId: initiative.id });
  const header = { name: initiative.title, description: initiative.summary, feed: true };
  return calendarResponse(calendarFile(sessions, header, originOf(request)), `initiative-${initiative.id}.ics`);
}
