// /agenda.json: the upcoming public sessions as a JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/),
// for websites that build their own list. The facts of each session are also in the `_meedoen`
// extension, in fields a program can read; never the meeting link (agenda.server.ts does not read it).
import { env } from "~/lib/env.server";
import { translator, type Locale } from "~/lib/i18n";
import { formatTimeRange } from "~/lib/time";
import { agendaFilter, agendaSessions, placeFilter, tagsOf, type AgendaEntry } from "./agenda.server";

// Years ahead for a network of a few hundred people; the feed is fetched again often.
const feedLimit = 200;

function placeText(s: AgendaEntry, t: ReturnType<typeof translator>) {
  if (s.mode === "online") return t("feed.json.online");
  if (s.mode === "hybrid") return t("feed.json.hybrid", { place: s.place || "—" });
  return s.place;
}

/** The feed as an object, or null when the organisation or venue in the address is unknown. */
export function agendaFeed(params: URLSearchParams, origin: string, locale: Locale, now = Date.now()) {
  const places = placeFilter(params);
  if (places === "unknown") return null;
  const filter = agendaFilter(params);
  const sessions = agendaSessions({ ...filter, organisationId: places.organisation?.id, venueId: places.venue?.id }, { upcomingAt: now }, feedLimit);
  const tags = tagsOf(sessions.map((s) => s.initiativeId));
  const t = translator(locale);
  const timeZone = env().TZ_COMMUNITY;
  const query = new URLSearchParams([...params].filter(([name, value]) => value && ["q", "kind", "mode", "tag", "organisation", "venue", "lang"].includes(name)));
  const feedUrl = `${origin}/agenda.json${query.size ? `?${query}` : ""}`;
  return {
    version: "https://jsonfeed.org/version/1.1",
    title: t("feed.json.title"),
    home_page_url: `${origin}/agenda`,
    feed_url: feedUrl,
    description: t("feed.json.description"),
    language: locale,
    items: sessions.map((s) => {
      const place = placeText(s, t);
      const url = `${origin}/sessions/${s.id}`;
      return {
        id: url,
        url,
        title: s.title,
        summary: s.summary,
        content_text: [s.summary, t("feed.json.when", { when: formatTimeRange(s.startsAt, s.endsAt, locale, timeZone) }), place ? t("feed.json.where", { place }) : ""].filter(Boolean).join("\n\n"),
        date_published: new Date(s.announcedAt).toISOString(),
        date_modified: new Date(s.updatedAt).toISOString(),
        tags: tags.get(s.initiativeId) ?? [],
        _meedoen: {
          about: `${origin}/how-it-works#agenda-elsewhere`,
          starts_at: new Date(s.startsAt).toISOString(),
          ends_at: new Date(s.endsAt).toISOString(),
          time_zone: timeZone,
          kind: s.kind,
          mode: s.mode,
          place: s.place,
          venue: s.venue ? { id: s.venue.id, name: s.venue.name, address: s.venue.address, url: `${origin}/venues/${s.venue.id}` } : null,
          organisation: s.hostOrganisation ? { name: s.hostOrganisation, url: s.organisationSlug ? `${origin}/organisations/${s.organisationSlug}` : null } : null,
          initiative_url: `${origin}/initiatives/${s.initiativeId}`,
        },
      };
    }),
  };
}
