import type { LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { env } from "~/lib/env.server";
import { translator } from "~/lib/i18n";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { idParam } from "~/lib/params.server";
import { previewResponse } from "~/lib/preview.server";
import { formatTimeRange } from "~/lib/time";
import { getInitiative } from "~/models/initiatives.server";
import { mayShowOrganisation, visitor } from "~/models/names.server";
import { calendarSessions } from "~/models/sessions.server";

// The card shown when a link to an initiative is shared: kind, title, next session and place.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const initiative = getInitiative(idParam(params.id));
  if (!initiative || initiative.hiddenAt) throw data(null, { status: 404 });
  const locale = resolveLocale(request, null);
  const t = translator(locale);
  const next = calendarSessions({ initiativeId: initiative.id, upcoming: { now: new Date(), limit: 1 } })[0];
  const lines = [
    next ? formatTimeRange(next.startsAt, next.endsAt, locale, env().TZ_COMMUNITY) : "",
    next?.place || initiative.place,
    // Chat apps fetch the card without logging in: only organisations their members show visitors.
    initiative.hosts.filter((h) => mayShowOrganisation(h.visibility, visitor)).map((h) => h.organisation).filter(Boolean)[0] ?? "",
  ].filter(Boolean);
  return previewResponse(request, { kicker: t(`kind.${initiative.kind}`), title: initiative.title, lines });
}
