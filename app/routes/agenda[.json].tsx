import type { LoaderFunctionArgs } from "@remix-run/node";
import { originOf } from "~/lib/calendar.server";
import { isLocale } from "~/lib/i18n";
import { agendaFeed } from "~/models/agenda-feed.server";

// JSON Feed 1.1 of the upcoming public sessions, with the list's filters and ?organisation= (slug)
// and ?venue= (id) in the address (ADR 028). No cookie is read or set; the address alone decides
// the answer (Dutch, or ?lang=en), so every cache may keep it for a few minutes.
export function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const asked = params.get("lang");
  const feed = agendaFeed(params, originOf(request), isLocale(asked) ? asked : "nl");
  const headers = { "Content-Type": "application/feed+json; charset=utf-8", "Cache-Control": "public, max-age=300" };
  if (!feed) return new Response(JSON.stringify({ error: "unknown organisation or venue" }), { status: 400, headers });
  return new Response(JSON.stringify(feed), { headers });
}
