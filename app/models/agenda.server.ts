// The network's agenda as other views read it: the month and week grids, the page other websites
// frame (/embed/agenda) and the JSON feed (/agenda.json). Public facts only: never a cancelled
// session (as on the list), never a hidden initiative, never the meeting link (it is not even read).
import { sql, type SQL } from "drizzle-orm";
import { sessionRules } from "~/governance/config";
import { db } from "~/lib/db.server";
import { toFtsQuery } from "~/lib/search";
import { currentOrganisation } from "./organisations.server";
import type { SessionMode } from "./sessions.types";

export const agendaKinds = ["course", "activity", "request"] as const;
// ?mode=online or ?mode=onsite; a session both on site and online is in both.
export const agendaModes = ["onsite", "online"] as const;

export type AgendaFilter = {
  q: string;
  kind: (typeof agendaKinds)[number] | "";
  mode: (typeof agendaModes)[number] | "";
  tag: string;
};

/** The list's filters from the URL, as the list reads them: anything unknown is no filter. */
export function agendaFilter(params: URLSearchParams): AgendaFilter {
  return {
    q: (params.get("q") ?? "").slice(0, 200).trim(),
    kind: agendaKinds.find((k) => k === params.get("kind")) ?? "",
    mode: agendaModes.find((m) => m === params.get("mode")) ?? "",
    tag: (params.get("tag") ?? "").trim().toLocaleLowerCase("nl").slice(0, 40),
  };
}

export type PlaceFilter = { organisation: { id: number; name: string; slug: string } | null; venue: { id: number; name: string } | null };

/**
 * The organisation (by slug; a merged one leads to the one it became) and venue (by id) of the
 * embed and the feed: null when they are not given, "unknown" when given but not found.
 */
export function placeFilter(params: URLSearchParams): PlaceFilter | "unknown" {
  const slug = params.get("organisation") ?? "";
  const venueId = params.get("venue") ?? "";
  let organisation: PlaceFilter["organisation"] = null;
  let venue: PlaceFilter["venue"] = null;
  if (slug) {
    if (slug.length > 80) return "unknown";
    const row = db().get<{ id: number } | undefined>(sql`SELECT id FROM organisations WHERE slug = ${slug}`);
    organisation = row ? currentOrganisation(row.id) : null;
    if (!organisation) return "unknown";
  }
  if (venueId) {
    if (!/^[1-9]\d{0,15}$/.test(venueId)) return "unknown";
    venue = db().get<{ id: number; name: string } | undefined>(sql`SELECT id, name FROM venues WHERE id = ${Number(venueId)}`) ?? null;
    if (!venue) return "unknown";
  }
  return { organisation, venue };
}

export type AgendaEntry = {
  id: number;
  initiativeId: number;
  title: string;
  summary: string;
  kind: string;
  startsAt: number;
  endsAt: number;
  place: string;
  mode: SessionMode;
  hostOrganisation: string;
  organisationSlug: string | null;
  venue: { id: number; name: string; address: string } | null;
  announcedAt: number;
  updatedAt: number;
};

type Window = { from: number; until: number } | { upcomingAt: number };

/** Sessions in a window (started within it, or not yet ended), filtered, in time order. */
export function agendaSessions(filter: Partial<AgendaFilter> & { organisationId?: number; venueId?: number }, window: Window, limit: number): AgendaEntry[] {
  const where: SQL[] = [sql`s.cancelled_at IS NULL`, sql`i.hidden_at IS NULL`];
  if ("upcomingAt" in window) {
    // No session lasts longer than maxLengthDays: the start-time index can skip the past.
    where.push(sql`s.ends_at >= ${window.upcomingAt}`, sql`s.starts_at >= ${window.upcomingAt - sessionRules.maxLengthDays * 86_400_000}`);
  } else {
    where.push(sql`s.starts_at >= ${window.from}`, sql`s.starts_at < ${window.until}`);
  }
  if (filter.kind) where.push(sql`i.kind = ${filter.kind}`);
  if (filter.mode) where.push(sql`s.mode IN (${filter.mode}, 'hybrid')`);
  if (filter.tag) where.push(sql`i.id IN (SELECT initiative_id FROM initiative_tags WHERE tag = ${filter.tag})`);
  if (filter.organisationId) {
    // As on the organisation's page: the sessions it hosts or that meet at one of its venues.
    where.push(sql`(s.host_organisation_id = ${filter.organisationId} OR s.venue_id IN (SELECT v.id FROM venues v WHERE v.organisation_id = ${filter.organisationId}))`);
  }
  if (filter.venueId) where.push(sql`s.venue_id = ${filter.venueId}`);
  if (filter.q) {
    const match = toFtsQuery(filter.q);
    if (!match) return [];
    where.push(sql`i.id IN (SELECT rowid FROM initiatives_fts WHERE initiatives_fts MATCH ${match})`);
  }
  const rows = db().all<{
    id: number; initiative_id: number; title: string; summary: string; kind: string; starts_at: number; ends_at: number; place: string; mode: SessionMode;
    host_organisation: string; organisation_slug: string | null; venue_id: number | null; venue_name: string | null; venue_address: string | null;
    announced_at: number | null; created_at: number; updated_at: number;
  }>(sql`
    SELECT s.id, s.initiative_id, i.title, i.summary, i.kind, s.starts_at, s.ends_at, s.place, s.mode, s.host_organisation,
      o.slug AS organisation_slug, v.id AS venue_id, v.name AS venue_name, v.address AS venue_address, s.announced_at, s.created_at, s.updated_at
    FROM sessions s
    JOIN initiatives i ON i.id = s.initiative_id
    LEFT JOIN organisations o ON o.id = s.host_organisation_id
    LEFT JOIN venues v ON v.id = s.venue_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY s.starts_at, s.id
    LIMIT ${limit}`);
  return rows.map((r) => ({
    id: r.id,
    initiativeId: r.initiative_id,
    title: r.title,
    summary: r.summary,
    kind: r.kind,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    place: r.place,
    mode: r.mode,
    hostOrganisation: r.host_organisation,
    organisationSlug: r.organisation_slug,
    venue: r.venue_id !== null ? { id: r.venue_id, name: r.venue_name ?? "", address: r.venue_address ?? "" } : null,
    announcedAt: r.announced_at ?? r.created_at,
    updatedAt: r.updated_at,
  }));
}

/** The tags of these initiatives, by initiative. */
export function tagsOf(initiativeIds: number[]): Map<number, string[]> {
  const tags = new Map<number, string[]>();
  const ids = [...new Set(initiativeIds)];
  if (!ids.length) return tags;
  const rows = db().all<{ initiative_id: number; tag: string }>(sql`SELECT initiative_id, tag FROM initiative_tags WHERE initiative_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) ORDER BY tag`);
  for (const r of rows) tags.set(r.initiative_id, [...(tags.get(r.initiative_id) ?? []), r.tag]);
  return tags;
}

// The framed agenda is small: the next sessions, and a link to the rest.
const embedLimit = 12;

export type EmbedAgendaPage = {
  heading: { key: "embed.title" } | { key: "embed.title.organisation" | "embed.title.venue"; name: string };
  sessions: { id: number; title: string; startsAt: number; endsAt: number; place: string; mode: SessionMode }[];
  /** Where the rest of this agenda is on the site. */
  morePath: string;
};

/**
 * /embed/agenda?tag=&organisation=&venue=: the upcoming public sessions for another website's
 * frame, or null when the organisation or venue in the address is unknown.
 */
export function embedAgenda(params: URLSearchParams, now = Date.now()): EmbedAgendaPage | null {
  const places = placeFilter(params);
  if (places === "unknown") return null;
  const filter = agendaFilter(params);
  const sessions = agendaSessions({ ...filter, organisationId: places.organisation?.id, venueId: places.venue?.id }, { upcomingAt: now }, embedLimit);
  const { organisation, venue } = places;
  return {
    heading: venue ? { key: "embed.title.venue", name: venue.name } : organisation ? { key: "embed.title.organisation", name: organisation.name } : { key: "embed.title" },
    sessions: sessions.map((s) => ({ id: s.id, title: s.title, startsAt: s.startsAt, endsAt: s.endsAt, place: s.place, mode: s.mode })),
    morePath: venue ? `/venues/${venue.id}` : organisation ? `/organisations/${organisation.slug}` : `/agenda${filter.tag ? `?${new URLSearchParams({ tag: filter.tag })}` : ""}`,
  };
}
