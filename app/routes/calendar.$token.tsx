import type { LoaderFunctionArgs } from "@remix-run/node";
import { calendarFile, calendarResponse, originOf } from "~/lib/calendar.server";
import { translate } from "~/lib/i18n";
import { textRefusal } from "~/lib/i18n/locale.server";
import { memberByCalendarToken } from "~/models/members.server";
import { memberCalendarSessions } from "~/models/sessions.server";

// GET /calendar/<secret>.ics — a member's own sessions; the secret is the only key, revocable.
export function loader({ request, params }: LoaderFunctionArgs) {
  const token = (params.token ?? "").replace(/\.ics$/, "");
  const member = /^[\w-]{20,64}$/.test(token) ? memberByCalendarToken(token) : null;
  if (!member) throw textRefusal(request, "calendar.personal.unknown", 404);
  // Sessions of initiatives the member hosts are marked, so they stand out from those they attend;
  // those they wait for are tentative, until a place comes free.
  const sessions = memberCalendarSessions(member.id);
  // In Dutch, the network's language, like the other calendars and the Atom feed.
  const header = { name: `Meedoen — ${member.displayName}`, description: translate("nl", "calendar.personal.description"), feed: true };
  return calendarResponse(calendarFile(sessions, header, originOf(request)), "meedoen.ics", true);
}
