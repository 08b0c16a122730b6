// The network seen from above (/network): activity per month, people per organisation, and the
// cross-connections ("dwarsverbanden") between organisations.
//
// An organisation takes part in an initiative when one of its people hosts it, signed up for or
// attended one of its sessions, or said "I'm in", or when it hosts one of its sessions (the
// session's host organisation). Two organisations are connected once for every initiative both
// took part in. Organisations are the names people give in their profiles, as the member
// directory groups them. Members who left, hidden initiatives and, for visitors, members-only
// profiles are left out (those that show visitors their organisation count: names.server.ts).
import { sql } from "drizzle-orm";
import { databaseVersion, db, timesClosed } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { sharedData } from "~/lib/shared-data.server";
import { countInBackground } from "~/lib/background-count.server";
import { logFault } from "~/lib/fault-log.server";
import { countTakingPart, type TakingPart } from "~/lib/connections";
import { layoutMap } from "~/lib/network-layout";
import { mapPictureRef } from "~/lib/map-picture.server";
import { parseLocalDateTime, toLocalDateTimeInput } from "~/lib/time";
import { organisationVisibleSql } from "./names.server";
import { voiceSnapshot } from "./voice.server";

export type Organisation = { name: string; members: number; voices: number };
export type { Connection } from "~/lib/connections";
import type { Connection } from "~/lib/connections";
export type Month = { month: string; sessions: number; attendance: number };

/**
 * (initiative, organisation) pairs: who took part in what; for one initiative or some
 * organisations only when asked (the filters go into every part, where the indexes can use them).
 */
function takingPart(includeMembersOnly: boolean, only: { initiativeId?: number; organisations?: string[] } = {}) {
  const visible = organisationVisibleSql("m.", includeMembersOnly);
  const among = (column: string) =>
    only.organisations ? sql`AND ${sql.raw(column)} IN (${sql.join(only.organisations.map((o) => sql`${o}`), sql`, `)})` : sql``;
  const organisations = among("m.organisation");
  const initiative = (column: string) => (only.initiativeId === undefined ? sql`` : sql`AND ${sql.raw(column)} = ${only.initiativeId}`);
  return sql`
    SELECT DISTINCT p.initiative_id, p.organisation FROM (
      SELECT h.initiative_id, m.organisation FROM hosts h JOIN members m ON m.id = h.member_id
        WHERE m.deleted_at IS NULL AND m.organisation != '' ${visible} ${organisations} ${initiative("h.initiative_id")}
      UNION ALL
      SELECT s.initiative_id, m.organisation FROM registrations r JOIN sessions s ON s.id = r.session_id JOIN members m ON m.id = r.member_id
        WHERE (r.status = 'registered' OR r.attended_at IS NOT NULL) AND m.deleted_at IS NULL AND m.organisation != '' ${visible} ${organisations} ${initiative("s.initiative_id")}
      UNION ALL
      SELECT x.initiative_id, m.organisation FROM interests x JOIN members m ON m.id = x.member_id
        WHERE m.deleted_at IS NULL AND m.organisation != '' ${visible} ${organisations} ${initiative("x.initiative_id")}
      UNION ALL
      SELECT s.initiative_id, s.host_organisation FROM sessions s WHERE s.host_organisation != '' AND s.cancelled_at IS NULL ${among("s.host_organisation")} ${initiative("s.initiative_id")}
    ) p JOIN initiatives i ON i.id = p.initiative_id
    WHERE i.hidden_at IS NULL`;
}

/**
 * Every pair of organisations that took part in the same initiatives, with how many, heaviest
 * first; and how many initiatives each organisation took part in. Counted from one pass over who
 * took part in what (app/lib/connections.ts).
 */
export function takingPartCounts(includeMembersOnly: boolean): TakingPart {
  const query = connectionsQuery(includeMembersOnly);
  return countTakingPart(db().$client.prepare(query.sql).raw().all(...query.params) as [number, string][]);
}

function connectionsQuery(includeMembersOnly: boolean) {
  return sqlText(sql`SELECT * FROM (${takingPart(includeMembersOnly)}) ORDER BY initiative_id`);
}

/** A query as SQL text with its parameters, to run on another connection. */
function sqlText(query: ReturnType<typeof sql>): { sql: string; params: unknown[] } {
  return (db() as unknown as { dialect: { sqlToQuery: (q: ReturnType<typeof sql>) => { sql: string; params: unknown[] } } }).dialect.sqlToQuery(query);
}

/** The initiatives two organisations both took part in, newest first. */
export function sharedInitiatives(a: string, b: string, includeMembersOnly: boolean, limit = 50) {
  return db().all<{ id: number; title: string }>(sql`
    WITH part AS (${takingPart(includeMembersOnly, { organisations: [a, b] })})
    SELECT i.id, i.title FROM initiatives i
    WHERE i.id IN (SELECT initiative_id FROM part WHERE organisation = ${a})
      AND i.id IN (SELECT initiative_id FROM part WHERE organisation = ${b})
    ORDER BY i.id DESC LIMIT ${limit}`);
}

/**
 * The initiatives one organisation took part in (as on the map), newest first: the newest ones
 * the network's count found for it, as they are now (hidden ones left out at once).
 */
export function initiativesOfOrganisation(organisation: string, overview: Overview) {
  const ids = overview.newest.get(organisation) ?? [];
  if (!ids.length) return [];
  return db().all<{ id: number; title: string }>(sql`
    SELECT id, title FROM initiatives WHERE id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) AND hidden_at IS NULL ORDER BY id DESC`);
}

export type MeetingPlace = { organisation: string | null; slug: string | null; sessions: number; venues: number };

/**
 * "Where we met": the meetings held at venues (past, not cancelled, of initiatives not hidden),
 * per organisation of the venue, most first; venues of no organisation (a café, a library that
 * is nobody's) together as one line with organisation null, last.
 */
export function meetingPlaces(now = Date.now()): MeetingPlace[] {
  return db().all<MeetingPlace>(meetingPlacesSql(now));
}

function meetingPlacesSql(now: number) {
  return sql`
    SELECT o.name AS organisation, o.slug, count(*) AS sessions, count(DISTINCT v.id) AS venues
    FROM sessions s JOIN venues v ON v.id = s.venue_id JOIN initiatives i ON i.id = s.initiative_id
      LEFT JOIN organisations o ON o.id = v.organisation_id
    WHERE s.cancelled_at IS NULL AND s.starts_at < ${now} AND i.hidden_at IS NULL
    GROUP BY o.id
    ORDER BY o.id IS NULL, count(*) DESC, o.name COLLATE NOCASE`;
}

/** The organisations that took part in one initiative. */
export function organisationsOf(initiativeId: number, includeMembersOnly: boolean): string[] {
  return db()
    .all<{ organisation: string }>(sql`
      SELECT organisation FROM (${takingPart(includeMembersOnly, { initiativeId })})
      ORDER BY organisation COLLATE NOCASE`)
    .map((r) => r.organisation);
}

/** Members and members with a voice per organisation, most members first. */
export function organisations(includeMembersOnly: boolean, now = Date.now()): Organisation[] {
  const voices = voiceSnapshot(now).voices;
  const rows = db().all<{ id: string; organisation: string }>(sql`
    SELECT id, organisation FROM members
    WHERE organisation != '' AND deleted_at IS NULL ${organisationVisibleSql("", includeMembersOnly)}`);
  const byName = new Map<string, Organisation>();
  for (const r of rows) {
    const o = byName.get(r.organisation) ?? { name: r.organisation, members: 0, voices: 0 };
    o.members++;
    if (voices.has(r.id)) o.voices++;
    byName.set(r.organisation, o);
  }
  return [...byName.values()].sort((x, y) => y.members - x.members || x.name.localeCompare(y.name, "nl"));
}

type MonthRange = { month: string; from: number; to: number };

/** The last 12 calendar months (in the community's zone), as instants. */
function monthRanges(timeZone: string, now: number): MonthRange[] {
  const [year, month] = toLocalDateTimeInput(now, timeZone).slice(0, 7).split("-").map(Number);
  const months: MonthRange[] = [];
  for (let back = 11; back >= 0; back--) {
    const y = year + Math.floor((month - 1 - back) / 12);
    const m = ((((month - 1 - back) % 12) + 12) % 12) + 1;
    const next = m === 12 ? { y: y + 1, m: 1 } : { y, m: m + 1 };
    const start = (yy: number, mm: number) => parseLocalDateTime(`${yy}-${String(mm).padStart(2, "0")}-01T00:00`, timeZone)!.getTime();
    months.push({ month: `${y}-${String(m).padStart(2, "0")}`, from: start(y, m), to: start(next.y, next.m) });
  }
  return months;
}

function monthlySessionsSql(from: number, to: number) {
  return sql`
    SELECT s.starts_at, (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.attended_at IS NOT NULL) AS attended
    FROM sessions s JOIN initiatives i ON i.id = s.initiative_id
    WHERE s.starts_at >= ${from} AND s.starts_at < ${to} AND s.cancelled_at IS NULL AND i.hidden_at IS NULL`;
}

function monthsFrom(months: MonthRange[], sessions: [number, number][]): Month[] {
  const result = months.map((m) => ({ month: m.month, sessions: 0, attendance: 0 }));
  for (const [startsAt, attended] of sessions) {
    const index = months.findIndex((m) => startsAt >= m.from && startsAt < m.to);
    if (index >= 0) {
      result[index].sessions++;
      result[index].attendance += attended;
    }
  }
  return result;
}

/** Sessions held and attendance marked per calendar month (in the community's zone), the last 12 months. */
export function monthlyActivity(timeZone: string, now = Date.now()): Month[] {
  const months = monthRanges(timeZone, now);
  const sessions = db()
    .all<{ starts_at: number; attended: number }>(monthlySessionsSql(months[0].from, months[months.length - 1].to))
    .map((r) => [r.starts_at, r.attended] as [number, number]);
  return monthsFrom(months, sessions);
}

export type Overview = {
  organisations: Organisation[];
  connections: Connection[];
  /** How many initiatives each organisation took part in, by name. */
  initiatives: Map<string, number>;
  /** The newest initiatives each organisation took part in (ids, newest first, at most 50). */
  newest: Map<string, number[]>;
  months: Month[];
  places: MeetingPlace[];
};

// Counting the connections reads who took part in everything, so the overview is kept (with the
// activity per month and the meeting places, which read every session of the last year). Once
// kept, it is counted again when the database changed — not before a minute has passed, or two
// hundred times as long as the last count took — and after an hour in any case, since voices lapse
// with time. That count runs on a worker thread (app/lib/background-count.server.ts) while pages
// go on showing the last one: a write never makes the next page wait for a count. Only the very
// first count after a start is made on the spot.
type Kept = { at: number; version: string; overview: Overview; tookMs: number; counting: boolean };
const kept = new Map<boolean, Kept>();
// The first counts, started in the background at start (warmNetworkOverview).
const counting = new Set<boolean>();
// Counts on the worker not yet back.
const inFlight = new Set<Promise<void>>();

/** Resolves when every count on the worker has come back (or failed). */
export async function countsSettled(): Promise<void> {
  await Promise.allSettled([...inFlight]);
}

/** The parts of the overview that come from counting who took part in what, here or on the worker. */
const fromCount = (counted: TakingPart) => ({ connections: counted.connections, initiatives: new Map(counted.initiatives), newest: new Map(counted.newest) });

function countNow(includeMembersOnly: boolean, now: number): Kept {
  const version = databaseVersion();
  const started = performance.now();
  const overview = {
    organisations: organisations(includeMembersOnly, now),
    ...fromCount(takingPartCounts(includeMembersOnly)),
    months: monthlyActivity(env().TZ_COMMUNITY, now),
    places: meetingPlaces(now),
  };
  return { at: now, version, overview, tookMs: performance.now() - started, counting: false };
}

function countAgain(includeMembersOnly: boolean, known: Kept | null, now: number) {
  const file = env().databasePath;
  // A database in memory (or a transaction still open) cannot be read from another thread.
  if (file === ":memory:" || db().$client.inTransaction) {
    kept.set(includeMembersOnly, countNow(includeMembersOnly, now));
    return;
  }
  if (known) known.counting = true;
  else counting.add(includeMembersOnly);
  const version = databaseVersion();
  const started = performance.now();
  const query = (kind: "connections" | "rows", q: ReturnType<typeof sql>) => ({ kind, ...sqlText(q) });
  const months = monthRanges(env().TZ_COMMUNITY, now);
  const closedBefore = timesClosed();
  const count = countInBackground(file, [
    { kind: "connections" as const, ...connectionsQuery(includeMembersOnly) },
    query("rows", monthlySessionsSql(months[0].from, months[months.length - 1].to)),
    query("rows", meetingPlacesSql(now)),
  ])
    .then(([counted, sessions, places]) => {
      // The database was closed while the worker counted (at the end of a test file): nothing to
      // keep, and no connection to open again for it.
      if (timesClosed() !== closedBefore) return;
      kept.set(includeMembersOnly, {
        at: now,
        version,
        overview: {
          // Members and voices per organisation are read here: a few thousand rows, and the voices live in this thread.
          organisations: organisations(includeMembersOnly, Date.now()),
          ...fromCount(counted as TakingPart),
          months: monthsFrom(months, sessions as [number, number][]),
          places: (places as [string | null, string | null, number, number][]).map(([organisation, slug, sessions, venues]) => ({ organisation, slug, sessions, venues })),
        },
        tookMs: performance.now() - started,
        counting: false,
      });
    })
    .catch((error: Error) => {
      if (known) known.counting = false;
      logFault(error);
    })
    .finally(() => {
      counting.delete(includeMembersOnly);
      inFlight.delete(count);
    });
  inFlight.add(count);
}

/** The overview for a page that shows it: the kept one, or, before the first count is in, counted now. */
export function networkOverview(includeMembersOnly: boolean, now = Date.now()): Overview {
  const known = keptOverview(includeMembersOnly, now);
  if (known) return known;
  const first = countNow(includeMembersOnly, now);
  kept.set(includeMembersOnly, first);
  return first.overview;
}

/**
 * The kept overview, for a page that only shows a part of it (an initiative's, a member's): null
 * while the first count after a start is still running, and then that page shows it without.
 */
export function keptOverview(includeMembersOnly: boolean, now = Date.now()): Overview | null {
  const known = kept.get(includeMembersOnly);
  if (!known) {
    if (!counting.has(includeMembersOnly)) countAgain(includeMembersOnly, null, now);
    return kept.get(includeMembersOnly)?.overview ?? null;
  }
  const age = now - known.at;
  const stale = age >= 3_600_000 || (known.version !== databaseVersion() && age >= Math.max(60_000, 200 * known.tookMs));
  if (stale && !known.counting) countAgain(includeMembersOnly, known, now);
  return known.overview;
}

/** Starts the first counts in the background, for visitors and for members (at start). */
export function warmNetworkOverview(now = Date.now()) {
  for (const includeMembersOnly of [false, true]) keptOverview(includeMembersOnly, now);
}

export function partnersOf(organisation: string, overview: Overview) {
  return overview.connections
    .filter((c) => c.a === organisation || c.b === organisation)
    .map((c) => ({ name: c.a === organisation ? c.b : c.a, weight: c.weight }));
}

/** The part of the map among `names`: the lines between them, as on the whole map. */
// A part is the same picture until the overview is counted again: kept per overview, by names.
const partsOf = new WeakMap<Overview, Map<string, ReturnType<typeof layoutMap>>>();
const maxParts = 200;

export function mapPart(names: string[], overview: Overview) {
  let parts = partsOf.get(overview);
  if (!parts) partsOf.set(overview, (parts = new Map()));
  const key = names.join("\n");
  let part = parts.get(key);
  if (!part) {
    const among = new Set(names);
    part = layoutMap(names, overview.connections.filter((c) => among.has(c.a) && among.has(c.b)));
    if (parts.size >= maxParts) parts.clear();
    parts.set(key, part);
  }
  return part;
}

/** An organisation with its strongest partners: the names and their part of the map. */
function organisationLayout(organisation: string, includeMembersOnly: boolean, limit = 8) {
  if (!organisation) return null;
  const overview = keptOverview(includeMembersOnly);
  if (!overview) return null;
  const partners = partnersOf(organisation, overview).slice(0, limit);
  if (!partners.length) return null;
  return { partners, layout: mapPart([organisation, ...partners.map((p) => p.name)], overview) };
}

/** The organisations taking part in an initiative, with the lines between them. */
function initiativeLayout(initiativeId: number, includeMembersOnly: boolean, limit = 12) {
  const overview = keptOverview(includeMembersOnly);
  if (!overview) return null;
  // The same for every member (and for every visitor) while nothing changes: read once for all.
  const names = sharedData(["organisationsOf", initiativeId, includeMembersOnly], () => organisationsOf(initiativeId, includeMembersOnly)).slice(0, limit);
  if (names.length < 2) return null;
  return { partners: names.map((name) => ({ name })), layout: mapPart(names, overview) };
}

// A page shows its part of the map as an image, which the picture's own address draws
// (app/lib/map-picture.server.tsx); the page gets the names and the image's address.
const memberPicturePath = (memberId: string) => `/members/${encodeURIComponent(memberId)}/works-with.svg`;
const initiativePicturePath = (initiativeId: number) => `/initiatives/${initiativeId}/works-with.svg`;

/** The member's organisation with its strongest partners (for the member's page). */
export function organisationPart(memberId: string, organisation: string, includeMembersOnly: boolean) {
  const part = organisationLayout(organisation, includeMembersOnly);
  return part && { organisation, partners: part.partners, picture: mapPictureRef(part.layout, memberPicturePath(memberId)) };
}

/** The part of the map that a member's page shows, for its own address. */
export const organisationPartLayout = (organisation: string, includeMembersOnly: boolean) => organisationLayout(organisation, includeMembersOnly)?.layout ?? null;

/** The organisations taking part in an initiative, with the lines between them (for its page). */
export function initiativePart(initiativeId: number, includeMembersOnly: boolean) {
  const part = initiativeLayout(initiativeId, includeMembersOnly);
  return part && { partners: part.partners, picture: mapPictureRef(part.layout, initiativePicturePath(initiativeId)) };
}

/** The part of the map that an initiative's page shows, for its own address. */
export const initiativePartLayout = (initiativeId: number, includeMembersOnly: boolean) => initiativeLayout(initiativeId, includeMembersOnly)?.layout ?? null;
