// Venues (issue 14): the places where the network meets, an organisation's rooms or nobody's (a
// café, a library), with what a visitor needs to know to get there and in.
//
// Who may change a venue (there is no one in charge of the list): the member who added it, the
// hosts of initiatives that meet or met there (they know the place), and any member with a voice.
// A held member may neither add nor change one (adding a place is posting).
import { sql } from "drizzle-orm";
import { z } from "zod";
import { venueRules, organisationRules } from "~/governance/config";
import { safeRedirect } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { optionalLine, optionalText, requiredLine } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { askAnswer, currentOrganisation, organisationNames, pickOrganisation, pickRefusal, settlePick, type OrganisationRef, type PickAnswer } from "./organisations.server";
import { hitRateLimit } from "./rate-limits.server";
import type { PageViewer } from "./session-page.server";
import type { SessionVenue } from "./sessions.types";
import { isHeld, memberHasVoice } from "./voice.server";

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "1");

export const venueInput = z.object({
  name: requiredLine(venueRules.nameMax, "venue.name.required", "venue.name.tooLong"),
  organisation: optionalLine(organisationRules.nameMax, "organisation.name.tooLong"),
  organisationChoice: z.string().max(40).optional(),
  organisationConfirmed: z.string().max(organisationRules.nameMax * 2).optional(),
  address: optionalLine(venueRules.addressMax, "venue.address.tooLong"),
  routeNotes: optionalText(venueRules.notesMax, "venue.notes.tooLong"),
  stepFree: checkbox,
  hearingLoop: checkbox,
  parking: checkbox,
  publicTransport: checkbox,
  accessNotes: optionalText(venueRules.notesMax, "venue.notes.tooLong"),
});

export type VenueInput = z.output<typeof venueInput>;

export class VenueRefusedError extends Error {
  constructor(public messageKey: MessageKey, public status = 403, public params?: Record<string, number>) {
    super(messageKey);
  }
}

export type VenueSaved = { ok: true; id: number } | { ok: false; ask: { typed: string; candidates: OrganisationRef[] } };

type VenueRow = {
  id: number; organisation_id: number | null; name: string; address: string; route_notes: string; step_free: number; hearing_loop: number;
  parking: number; public_transport: number; access_notes: string; created_by: string | null; created_at: number; updated_at: number;
};

function venueRow(id: number) {
  return db().get<VenueRow | undefined>(sql`SELECT * FROM venues WHERE id = ${id}`) ?? null;
}

/** A venue as a session page shows it: where, how to get there, and how accessible it is. */
export function sessionVenue(id: number | null): SessionVenue | null {
  const venue = id === null ? null : venueRow(id);
  if (!venue) return null;
  const { organisation: _organisation, ...facts } = formValues(venue);
  return { id: venue.id, ...facts };
}

/** Whether the member may change the venue (see the rule at the top of this file). */
export function mayEditVenue(venue: { id: number; created_by: string | null }, memberId: string, now = Date.now()): boolean {
  if (isHeld(memberId)) return false;
  if (venue.created_by === memberId) return true;
  const hostsThere = db().get(sql`
    SELECT 1 FROM sessions s JOIN hosts h ON h.initiative_id = s.initiative_id
    WHERE s.venue_id = ${venue.id} AND h.member_id = ${memberId} LIMIT 1`);
  return !!hostsThere || memberHasVoice(memberId, now);
}

const fields = (input: VenueInput, organisationId: number | null, now: number) => ({
  organisationId,
  name: input.name,
  address: input.address,
  routeNotes: input.routeNotes,
  stepFree: input.stepFree ? 1 : 0,
  hearingLoop: input.hearingLoop ? 1 : 0,
  parking: input.parking ? 1 : 0,
  publicTransport: input.publicTransport ? 1 : 0,
  accessNotes: input.accessNotes,
  now,
});

/** Adds a venue; asks first when the organisation typed looks like one the network knows. */
export function createVenue(memberId: string, input: VenueInput, now = Date.now()): VenueSaved {
  if (isHeld(memberId)) throw new VenueRefusedError("venue.held", 403);
  const pick = pickOrganisation(input.organisation, { choice: input.organisationChoice, confirmed: input.organisationConfirmed });
  if (pick.kind === "ask") return { ok: false, ask: { typed: pick.typed, candidates: pick.candidates } };
  const id = db().transaction((tx) => {
    // Counted first, in the same transaction as the work it guards.
    const limit = hitRateLimit(`venue-new:${memberId}`, venueRules.newPerMemberPerDay, now);
    if (!limit.allowed) throw new VenueRefusedError("venue.new.limit", 429, { n: venueRules.newPerMemberPerDay.limit });
    const organisation = settlePick(tx, pick, memberId, now);
    const v = fields(input, organisation?.id ?? null, now);
    return tx.get<{ id: number }>(sql`
      INSERT INTO venues (organisation_id, name, address, route_notes, step_free, hearing_loop, parking, public_transport, access_notes, created_by, created_at, updated_at)
      VALUES (${v.organisationId}, ${v.name}, ${v.address}, ${v.routeNotes}, ${v.stepFree}, ${v.hearingLoop}, ${v.parking}, ${v.publicTransport}, ${v.accessNotes}, ${memberId}, ${now}, ${now})
      RETURNING id`).id;
  }, { behavior: "immediate" });
  return { ok: true, id };
}

/** Changes a venue, for those who may (see the top of this file). */
export function updateVenue(id: number, memberId: string, input: VenueInput, now = Date.now()): VenueSaved {
  const venue = venueRow(id);
  if (!venue) throw new VenueRefusedError("venue.notFound", 404);
  if (isHeld(memberId)) throw new VenueRefusedError("venue.held", 403);
  if (!mayEditVenue(venue, memberId, now)) throw new VenueRefusedError("venue.edit.notAllowed", 403);
  const pick = pickOrganisation(input.organisation, { choice: input.organisationChoice, confirmed: input.organisationConfirmed });
  if (pick.kind === "ask") return { ok: false, ask: { typed: pick.typed, candidates: pick.candidates } };
  db().transaction((tx) => {
    const organisation = settlePick(tx, pick, memberId, now);
    const v = fields(input, organisation?.id ?? null, now);
    tx.run(sql`
      UPDATE venues SET organisation_id = ${v.organisationId}, name = ${v.name}, address = ${v.address}, route_notes = ${v.routeNotes},
        step_free = ${v.stepFree}, hearing_loop = ${v.hearingLoop}, parking = ${v.parking}, public_transport = ${v.publicTransport},
        access_notes = ${v.accessNotes}, updated_at = ${now}
      WHERE id = ${id}`);
  }, { behavior: "immediate" });
  return { ok: true, id };
}

/** The form's values for a venue, as they are now. */
function formValues(venue: VenueRow) {
  const organisation = currentOrganisation(venue.organisation_id);
  return {
    name: venue.name,
    organisation: organisation?.name ?? "",
    address: venue.address,
    routeNotes: venue.route_notes,
    stepFree: !!venue.step_free,
    hearingLoop: !!venue.hearing_loop,
    parking: !!venue.parking,
    publicTransport: !!venue.public_transport,
    accessNotes: venue.access_notes,
  };
}

export type VenueFormValues = ReturnType<typeof formValues>;

/** /venues/:id/edit: the venue's values, or why the viewer may not change it. */
export function venueEditPage(id: number, memberId: string, now = Date.now()) {
  const venue = venueRow(id);
  if (!venue) return null;
  return { id: venue.id, values: formValues(venue), mayEdit: mayEditVenue(venue, memberId, now), held: isHeld(memberId) };
}

const sessionLimit = 50;

/**
 * /venues/:id: the place and its meetings, coming ones soonest first, past ones newest first;
 * cancelled sessions and those of hidden initiatives left out, as on the agenda.
 */
export function venuePage(id: number, viewer: PageViewer, now = Date.now()) {
  const venue = venueRow(id);
  if (!venue) return null;
  const organisation = currentOrganisation(venue.organisation_id);
  const sessions = (coming: boolean) =>
    db()
      .all<{ id: number; initiative_id: number; title: string; starts_at: number; ends_at: number }>(sql`
        SELECT s.id, s.initiative_id, i.title, s.starts_at, s.ends_at FROM sessions s JOIN initiatives i ON i.id = s.initiative_id
        WHERE s.venue_id = ${id} AND s.cancelled_at IS NULL AND i.hidden_at IS NULL AND ${coming ? sql`s.ends_at > ${now}` : sql`s.ends_at <= ${now}`}
        ORDER BY s.starts_at ${coming ? sql`ASC` : sql`DESC`} LIMIT ${sessionLimit}`)
      .map((s) => ({ id: s.id, initiativeId: s.initiative_id, title: s.title, startsAt: s.starts_at }));
  return {
    venue: { id: venue.id, ...formValues(venue), organisation },
    coming: sessions(true),
    past: sessions(false),
    can: { edit: !!viewer && mayEditVenue(venue, viewer.id, now) },
    loggedIn: !!viewer,
  };
}

/** The venue form's save (new when `id` is null): saved with its id, the question to ask, or why not. */
export function saveVenueForm(memberId: string, input: VenueInput, id: number | null, now = Date.now()): PickAnswer {
  try {
    const saved = id === null ? createVenue(memberId, input, now) : updateVenue(id, memberId, input, now);
    return saved.ok ? saved : askAnswer(saved.ask);
  } catch (error) {
    if (error instanceof VenueRefusedError) return { ok: false, status: error.status, errors: { form: error.messageKey }, params: error.params, ask: null };
    return pickRefusal(error);
  }
}

/**
 * /venues/new: the pick list, the organisation asked for (from an organisation's page), whether
 * the member may add one, and the way back to the session form it was opened from (?back=…).
 */
export function venueNewPage(memberId: string, search: URLSearchParams) {
  const organisation = search.get("organisation") ?? "";
  return { names: organisationNames(), organisation: organisation.slice(0, organisationRules.nameMax), held: isHeld(memberId), back: safeRedirect(search.get("back"), "") || null };
}

/**
 * Where a new venue's form leads once the venue is saved: back to the session form it was opened
 * from, with the venue to pick (`venue=<id>`, docs/decisions/055), or else the venue's own page.
 */
export function newVenueAddress(search: URLSearchParams, id: number | undefined): string {
  const back = safeRedirect(search.get("back"), "");
  if (!back) return `/venues/${id}`;
  const url = new URL(back, "http://x");
  if (id !== undefined) url.searchParams.set("venue", String(id));
  // The form says the venue was saved and picked; a "Saved" notice there would read as the session.
  return `${url.pathname}${url.search}${url.hash}`;
}
