// The organisations' pages (/organisations, /organisations/:slug) as this viewer may see them, and
// the one thing done there: proposing to merge two spellings (a network consent proposal).
import { sql } from "drizzle-orm";
import { organisationKey } from "../../db/organisations";
import { governance, organisationRules } from "~/governance/config";
import { db } from "~/lib/db.server";
import { cleanText } from "~/lib/forms";
import { mayName, mayShowOrganisation, type NameViewer } from "./names.server";
import { initiativesOfOrganisation, mapPart, networkOverview, partnersOf } from "./network.server";
import { currentOrganisation, mergeTitle, organisationByKey, organisationNames, OrganisationRefusedError, similarOrganisations, slugsByName } from "./organisations.server";
import { openProposal } from "./proposals.server";
import type { PageViewer } from "./session-page.server";
import { memberHasVoice } from "./voice.server";

export const organisationSearchMax = 120;

/** SQL: the sessions an organisation hosted, or held at one of its venues (not cancelled, not hidden). */
const hostedBy = (id: number | ReturnType<typeof sql.raw>) => sql`
  (s.host_organisation_id = ${id} OR s.venue_id IN (SELECT v.id FROM venues v WHERE v.organisation_id = ${id}))
  AND s.cancelled_at IS NULL AND i.hidden_at IS NULL`;

/** /organisations: every organisation with its people, initiatives and meetings; `q` searches names. */
export function organisationsPage(query: string, viewer: PageViewer) {
  const includeMembersOnly = !!viewer;
  const q = cleanText(query).slice(0, organisationSearchMax);
  const key = organisationKey(q);
  const search = q
    ? sql`AND (instr(lower(o.name), lower(${q})) > 0 ${key ? sql`OR instr(o.name_key, ${key}) > 0` : sql``})`
    : sql``;
  const visible = includeMembersOnly ? sql`` : sql`AND m.profile_visibility IN ('public', 'organisation')`;
  const rows = db().all<{ id: number; name: string; slug: string; people: number; meetings: number; venues: number }>(sql`
    SELECT o.id, o.name, o.slug,
      (SELECT count(*) FROM members m WHERE m.organisation_id = o.id AND m.deleted_at IS NULL ${visible}) AS people,
      (SELECT count(*) FROM sessions s JOIN initiatives i ON i.id = s.initiative_id WHERE ${hostedBy(sql.raw("o.id"))}) AS meetings,
      (SELECT count(*) FROM venues v WHERE v.organisation_id = o.id) AS venues
    FROM organisations o
    WHERE o.merged_into IS NULL ${search}`);
  // Counting who took part in what reads the whole network (1–2 s on 200,000 sign-ups): the count
  // kept with the network's overview serves, as on /network, counted again after changes.
  const initiatives = networkOverview(includeMembersOnly).initiatives;
  const organisations = rows
    .map((r) => ({ name: r.name, slug: r.slug, people: r.people, initiatives: initiatives.get(r.name) ?? 0, meetings: r.meetings, venues: r.venues }))
    // A name nobody (the viewer may see) uses and where nothing happened is not shown.
    .filter((o) => o.people || o.initiatives || o.meetings || o.venues)
    .sort((x, y) => y.people - x.people || y.initiatives - x.initiatives || x.name.localeCompare(y.name, "nl"));
  return { q, organisations, loggedIn: !!viewer };
}

const pageLimit = 50;

/**
 * /organisations/:slug: its people (as the viewer may see them), the initiatives it takes part in,
 * the meetings it hosted, its part of the map, its venues. A merged organisation's page is the one
 * it became (`redirect`); null for an unknown slug.
 */
export function organisationPage(slug: string, viewer: PageViewer, names: NameViewer, now = Date.now()) {
  const row = db().get<{ id: number; name: string; slug: string; merged_into: number | null } | undefined>(sql`SELECT id, name, slug, merged_into FROM organisations WHERE slug = ${slug}`);
  if (!row) return null;
  if (row.merged_into !== null) {
    const into = currentOrganisation(row.id);
    return into ? { redirect: into.slug } : null;
  }
  const includeMembersOnly = !!viewer;
  const memberRows = db().all<{ id: string; display_name: string; work: string; profile_visibility: string }>(sql`
    SELECT id, display_name, work, profile_visibility FROM members
    WHERE organisation_id = ${row.id} AND deleted_at IS NULL ORDER BY display_name COLLATE NOCASE`);
  // Public profiles by name; those who show visitors only their organisation are counted; members-only profiles not at all.
  const named = memberRows.filter((m) => mayName(m.profile_visibility, names));
  const unnamed = memberRows.filter((m) => !mayName(m.profile_visibility, names) && mayShowOrganisation(m.profile_visibility, names)).length;
  const sessions = (coming: boolean) =>
    db().all<{ id: number; initiative_id: number; title: string; starts_at: number; place: string }>(sql`
      SELECT s.id, s.initiative_id, i.title, s.starts_at, s.place FROM sessions s JOIN initiatives i ON i.id = s.initiative_id
      WHERE ${hostedBy(row.id)} AND ${coming ? sql`s.ends_at > ${now}` : sql`s.ends_at <= ${now}`}
      ORDER BY s.starts_at ${coming ? sql`ASC` : sql`DESC`} LIMIT ${pageLimit}`);
  const meetingCount = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM sessions s JOIN initiatives i ON i.id = s.initiative_id WHERE ${hostedBy(row.id)}`).n;
  const overview = networkOverview(includeMembersOnly);
  const partners = partnersOf(row.name, overview);
  const slugs = slugsByName(partners.map((p) => p.name));
  const venues = db().all<{ id: number; name: string; address: string }>(sql`SELECT id, name, address FROM venues WHERE organisation_id = ${row.id} ORDER BY name COLLATE NOCASE`);
  const mayPropose = !!viewer && memberHasVoice(viewer.id, now);
  const openMerges = db().all<{ id: number; title: string }>(sql`
    SELECT id, title FROM proposals WHERE closed_at IS NULL AND json_extract(effect, '$.type') = 'merge-organisations'
      AND ${row.id} IN (json_extract(effect, '$.fromId'), json_extract(effect, '$.intoId')) ORDER BY id`);
  const toSession = (s: { id: number; initiative_id: number; title: string; starts_at: number; place: string }) => ({ id: s.id, initiativeId: s.initiative_id, title: s.title, startsAt: s.starts_at, place: s.place });
  return {
    organisation: { id: row.id, name: row.name, slug: row.slug },
    people: named.slice(0, 200).map((m) => ({ id: m.id, displayName: m.display_name, work: m.work })),
    peopleTotal: named.length,
    unnamed,
    // From the network's count, as the partners and the map are (ADR 032): asked per request, the
    // largest organisation's took 90 ms on the benchmark network.
    initiatives: initiativesOfOrganisation(row.name, overview),
    coming: sessions(true).map(toSession),
    past: sessions(false).map(toSession),
    meetingCount,
    partners: partners.slice(0, 100).map((p) => ({ name: p.name, slug: slugs[p.name] ?? null, weight: p.weight })),
    partnerTotal: partners.length,
    layout: partners.length ? mapPart([row.name, ...partners.slice(0, 12).map((p) => p.name)], overview) : null,
    venues,
    openMerges,
    can: { addVenue: !!viewer, proposeMerge: mayPropose },
    // For the merge form: names that look like this one, and the pick list.
    similar: mayPropose ? similarOrganisations(row.name, { exclude: row.id }).map((o) => o.name) : [],
    names: mayPropose ? organisationNames().filter((n) => n !== row.name) : [],
    loggedIn: !!viewer,
  };
}

/**
 * Proposes to merge this organisation into the one named `into` (typed as its name, any
 * spelling of it): a network consent proposal whose adoption moves everything over.
 */
export function proposeMerge(slug: string, into: string, reason: string, memberId: string, now = new Date()): number {
  const from = db().get<{ id: number; name: string; slug: string; merged_into: number | null } | undefined>(sql`SELECT id, name, slug, merged_into FROM organisations WHERE slug = ${slug}`);
  if (!from) throw new OrganisationRefusedError("organisation.merge.unknown", 404);
  if (into.length > organisationRules.nameMax) throw new OrganisationRefusedError("organisation.name.tooLong");
  if (reason.length > organisationRules.mergeReasonMax) throw new OrganisationRefusedError("organisation.merge.reasonTooLong");
  const target = organisationByKey(organisationKey(into));
  if (!target) throw new OrganisationRefusedError("organisation.merge.intoUnknown");
  const body = [
    `Aangenomen worden **${from.name}** en **${target.name}** één organisatie, met de naam ${target.name}: de mensen, bijeenkomsten en plekken van ${from.name} gaan over, en /organisations/${from.slug} leidt naar /organisations/${target.slug}.`,
    reason,
  ]
    .filter(Boolean)
    .join("\n\n");
  return openProposal(
    {
      scope: "network",
      initiativeId: null,
      kind: "consent",
      title: mergeTitle(from.name, target.name),
      body,
      days: governance.proposalDefaultDays,
      effect: { type: "merge-organisations", fromId: from.id, intoId: target.id },
    },
    memberId,
    now,
    { once: true },
  );
}
