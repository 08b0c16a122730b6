import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { env } from "~/lib/env.server";
import { translator } from "~/lib/i18n";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { idParam } from "~/lib/params.server";
import { previewResponse } from "~/lib/preview.server";
import { formatTimeRange } from "~/lib/time";
import { calendarSessions } from "~/models/sessions.server";

// The card shown when a link to a session is shared: its initiative, when and where.
export async function loader({ request, params }: LoaderFunctionArgs) {
  // calendarSessions leaves out sessions of hidden initiatives.
  const session = calendarSessions({ sessionId: idParam(params.id) })[0];
  if (!session) throw data(null, { status: 404 });
  const locale = resolveLocale(request, null);
  const t = translator(locale);
  const when = formatTimeRange(session.startsAt, session.endsAt, locale, env().TZ_COMMUNITY);
  // An online session's card says so; its link is never on it.
  const where = session.mode === "online" ? t("session.mode.online") : session.place;
  const lines = [session.cancelled ? `${t("session.cancelled")}: ${when}` : when, where, session.hostOrganisation].filter(Boolean);
  return previewResponse(request, { kicker: t("preview.session"), title: session.title, lines });
}
