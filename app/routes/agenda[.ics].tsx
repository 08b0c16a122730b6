import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFile, calendarResponse, originOf } from "~/lib/calendar.server";
import { calendarSessions } from "~/models/sessions.server";

// The network's whole upcoming agenda, for calendar subscriptions.
export function loader({ request }: LoaderFunctionArgs) {
  const sessions = calendarSessions({ upcoming: { now: new Date(), limit: 2000 } });
  return calendarResponse(calendarFile(sessions, "Meedoen", originOf(request)), "meedoen-agenda.ics");
}
