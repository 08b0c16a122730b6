// Organisations and venues (issue 14) through the real routes and models against the file's own
// SQLite database: picking an organisation on the profile (a name the network knows links, a
// look-alike asks first, a confirmed new one is added), merging two spellings by a network consent
// proposal through its whole life, who may change a venue, and the network's "where we met".
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { nearDuplicate } from "~/models/organisations.server";
import { closeProposal, respond } from "~/models/proposals.server";
import { meetingPlaces } from "~/models/network.server";
import { cancelSession } from "~/models/sessions.server";
import { action as profileAction } from "~/routes/settings_.profile";
import { action as organisationAction, loader as organisationLoader } from "~/routes/organisations.$slug";
import { loader as proposalLoader } from "~/routes/proposals.$id";
import { action as newVenueAction } from "~/routes/venues.new";
import { action as editVenueAction, loader as editVenueLoader } from "~/routes/venues.$id_.edit";
import { loader as venueLoader } from "~/routes/venues.$id";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, initiativeBy, sessionOf } from "../support/fixtures";
import { makeFounder } from "../support/governance";

type Member = Awaited<ReturnType<typeof memberWithSession>>;

const saveProfile = (m: Member, fields: Record<string, string>) =>
  settle(() => profileAction({ request: formRequest("/settings/profile", { displayName: m.displayName, profileVisibility: "public", ...fields }, { cookie: m.cookie }), context, params: {} }));
const memberRow = (id: string) => db().get<{ organisation: string; organisation_id: number | null; work: string }>(sql`SELECT organisation, organisation_id, work FROM members WHERE id = ${id}`);
const orgBySlug = (slug: string) => db().get<{ id: number; name: string; merged_into: number | null } | undefined>(sql`SELECT id, name, merged_into FROM organisations WHERE slug = ${slug}`);
const organisationCount = () => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM organisations`).n;
const mergeForm = (slug: string, m: Member, fields: Record<string, string>) =>
  settle(() => organisationAction({ request: formRequest(`/organisations/${slug}`, { intent: "merge", ...fields }, { cookie: m.cookie }), context, params: { slug } }));
const newVenue = (m: Member, fields: Record<string, string>) => settle(() => newVenueAction({ request: formRequest("/venues/new", fields, { cookie: m.cookie }), context, params: {} }));
const editVenue = (id: number, m: Member, fields: Record<string, string>) =>
  settle(() => editVenueAction({ request: formRequest(`/venues/${id}/edit`, fields, { cookie: m.cookie }), context, params: { id: String(id) } }));
const idFrom = (location: string | null) => Number(/\/(\d+)$/.exec(location ?? "")![1]);

let ana: Member, bo: Member, cas: Member, dirk: Member, eva: Member, fresh: Member, held: Member;
let founders: Member[];

beforeAll(async () => {
  [ana, bo, cas, dirk, eva, fresh, held] = await Promise.all(["Ana", "Bo", "Cas", "Dirk", "Eva", "Fresh", "Held"].map((n) => memberWithSession(n)));
  founders = await Promise.all(["Fien", "Gijs", "Hans"].map((n) => memberWithSession(n)));
  for (const f of founders) makeFounder(f.id);
  db().run(sql`UPDATE members SET posting_held_at = ${Date.now()}, posting_held_rule = '7. Respect' WHERE id = ${held.id}`);
});

describe("near-duplicate names", () => {
  it.each([
    ["ggz lindenveen", "ggz lindeveen", true], // one letter
    ["ggz lindenveen", "ggz lindenveen noord", true], // whole words contained
    ["gemeente lindenveen west", "gemeente lindenveen oost", true], // the same first two words
    ["ggz", "ggd", true], // short: one letter at most
    ["abc", "xyz", false],
    ["bibliotheek de leeshoek", "buurthuis de kastanje", false],
    ["lindenveen", "ggz lindenveenhuis", false], // not as a whole word
  ])("%s / %s: %s", (a, b, near) => {
    expect(nearDuplicate(a, b) !== null).toBe(near);
  });
});

describe("picking an organisation on the profile", () => {
  it("adds a name the network does not know, with the team after the comma going to the work", async () => {
    const before = organisationCount();
    expect(statusOf(await saveProfile(ana, { organisation: "GGZ Lindenveen, team Herstel", work: "Trainer" }))).toBe(303);
    expect(organisationCount()).toBe(before + 1);
    const row = memberRow(ana.id);
    expect(row).toMatchObject({ organisation: "GGZ Lindenveen", work: "Trainer · team Herstel" });
    expect(orgBySlug("ggz-lindenveen")?.id).toBe(row.organisation_id);
  });

  it("links another spelling with the same key to the same organisation", async () => {
    const before = organisationCount();
    expect(statusOf(await saveProfile(bo, { organisation: "  stichting ggz LINDENVEEN " }))).toBe(303);
    expect(organisationCount()).toBe(before);
    expect(memberRow(bo.id)).toMatchObject({ organisation: "GGZ Lindenveen", organisation_id: orgBySlug("ggz-lindenveen")!.id });
  });

  it("asks first about a look-alike, saving nothing, and links the one chosen", async () => {
    const result = await saveProfile(cas, { organisation: "GGZ Lindeveen", work: "Verpleegkundige" });
    expect(statusOf(result)).toBe(409);
    const asked = dataOf<{ errors: Record<string, string>; ask: { typed: string; candidates: { id: number; name: string }[] } }>(result);
    expect(asked.errors.organisationChoice).toBe("organisation.ask");
    expect(asked.ask).toEqual({ typed: "GGZ Lindeveen", candidates: [{ id: orgBySlug("ggz-lindenveen")!.id, name: "GGZ Lindenveen" }] });
    expect(memberRow(cas.id)).toMatchObject({ organisation: "", organisation_id: null, work: "" });
    // Sent again without a choice: asked again.
    expect(statusOf(await saveProfile(cas, { organisation: "GGZ Lindeveen", organisationConfirmed: "GGZ Lindeveen" }))).toBe(409);
    const chosen = await saveProfile(cas, { organisation: "GGZ Lindeveen", work: "Verpleegkundige", organisationConfirmed: "GGZ Lindeveen", organisationChoice: String(asked.ask.candidates[0].id) });
    expect(statusOf(chosen)).toBe(303);
    expect(memberRow(cas.id)).toMatchObject({ organisation: "GGZ Lindenveen", organisation_id: asked.ask.candidates[0].id, work: "Verpleegkundige" });
  });

  it("adds the look-alike as new when confirmed for that very name, and asks again when the name changed", async () => {
    // Confirmed for another text: the answer does not count.
    expect(statusOf(await saveProfile(dirk, { organisation: "GGZ Lindeveen", organisationConfirmed: "GGZ Lindenveen Oost", organisationChoice: "new" }))).toBe(409);
    expect(statusOf(await saveProfile(dirk, { organisation: "GGZ Lindeveen", organisationConfirmed: "GGZ Lindeveen", organisationChoice: "new" }))).toBe(303);
    expect(orgBySlug("ggz-lindeveen")?.name).toBe("GGZ Lindeveen");
    expect(memberRow(dirk.id)).toMatchObject({ organisation: "GGZ Lindeveen", organisation_id: orgBySlug("ggz-lindeveen")!.id });
  });

  it("clears the organisation when the field is empty, and refuses a name without letters or digits", async () => {
    expect(statusOf(await saveProfile(eva, { organisation: "Buurthuis De Linde" }))).toBe(303);
    expect(statusOf(await saveProfile(eva, { organisation: "" }))).toBe(303);
    expect(memberRow(eva.id)).toMatchObject({ organisation: "", organisation_id: null });
    const refused = await saveProfile(eva, { organisation: "🌳🌳 !!" });
    expect(statusOf(refused)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(refused).errors.organisation).toBe("organisation.name.invalid");
    expect(statusOf(await saveProfile(eva, { organisation: "x".repeat(121) }))).toBe(400);
  });

  it("lets a fresh account add a few organisations a day, then refuses with the number", async () => {
    const names = ["Atelier Noord", "Kringloop Zuid", "Voedselbank Oost", "Tuinclub West", "Zwemvereniging Midden"];
    for (const organisation of names) expect(statusOf(await saveProfile(fresh, { organisation, organisationConfirmed: organisation, organisationChoice: "new" }))).toBe(303);
    const before = organisationCount();
    const refused = await saveProfile(fresh, { organisation: "Schaakclub Centrum", organisationConfirmed: "Schaakclub Centrum", organisationChoice: "new" });
    expect(statusOf(refused)).toBe(429);
    expect(dataOf<{ errors: Record<string, string>; params: { n: number } }>(refused)).toMatchObject({ errors: { form: "organisation.new.limit" }, params: { n: 5 } });
    expect(organisationCount()).toBe(before);
    // Picking one that exists is not adding.
    expect(statusOf(await saveProfile(fresh, { organisation: "GGZ Lindenveen" }))).toBe(303);
  });

  it("refuses a held member a new organisation (posting), but lets them pick an existing one", async () => {
    const refused = await saveProfile(held, { organisation: "Nieuwe Stichting Xyz", organisationConfirmed: "Nieuwe Stichting Xyz", organisationChoice: "new" });
    expect(statusOf(refused)).toBe(403);
    expect(dataOf<{ errors: Record<string, string> }>(refused).errors.form).toBe("organisation.new.held");
    expect(orgBySlug("nieuwe-stichting-xyz")).toBeUndefined();
    expect(statusOf(await saveProfile(held, { organisation: "GGZ Lindenveen" }))).toBe(303);
  });
});

describe("merging two spellings by a network consent proposal", () => {
  let proposalId: number;
  let venueId: number;
  let sessionId: number;

  beforeAll(async () => {
    // GGZ Lindeveen has a person (Dirk), a venue and a session it hosts.
    const created = await newVenue(dirk, { name: "Zaal Lindeveen", organisation: "GGZ Lindeveen", address: "Stationsweg 12" });
    venueId = idFrom((created as Response).headers.get("Location"));
    const initiative = initiativeBy(dirk.id, { title: "Herstelgroep" });
    sessionId = sessionOf(initiative, dirk.id);
    const from = orgBySlug("ggz-lindeveen")!;
    db().run(sql`UPDATE sessions SET host_organisation = ${from.name}, host_organisation_id = ${from.id} WHERE id = ${sessionId}`);
  });

  it("is refused to a member without a voice, and for unknown or the same organisation", async () => {
    const noVoice = await mergeForm("ggz-lindeveen", ana, { into: "GGZ Lindenveen" });
    expect(statusOf(noVoice)).toBe(403);
    expect(dataOf<{ errors: Record<string, string> }>(noVoice).errors.form).toBe("proposal.noVoice");
    expect(dataOf<{ errors: Record<string, string> }>(await mergeForm("ggz-lindeveen", founders[0], { into: "Bestaat Niet Hier" })).errors.into).toBe("organisation.merge.intoUnknown");
    expect(dataOf<{ errors: Record<string, string> }>(await mergeForm("ggz-lindeveen", founders[0], { into: "ggz lindeveen" })).errors.into).toBe("organisation.merge.same");
    expect(statusOf(await mergeForm("bestaat-niet", founders[0], { into: "GGZ Lindenveen" }))).toBe(404);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM proposals`).n).toBe(0);
  });

  it("opens a network consent proposal that says what it does, once", async () => {
    const opened = await mergeForm("ggz-lindeveen", founders[0], { into: "GGZ Lindenveen", reason: "Twee schrijfwijzen van één organisatie." });
    expect(statusOf(opened)).toBe(303);
    proposalId = idFrom((opened as Response).headers.get("Location"));
    const page = dataOf<{ proposal: { title: string; scope: string; kind: string; effect: { type: string; merge: { from: { name: string }; into: { name: string } } } } }>(
      await proposalLoader({ request: getRequest(`/proposals/${proposalId}`), context, params: { id: String(proposalId) } }),
    );
    expect(page.proposal).toMatchObject({ title: "GGZ Lindeveen samenvoegen met GGZ Lindenveen", scope: "network", kind: "consent" });
    expect(page.proposal.effect).toMatchObject({ type: "merge-organisations", merge: { from: { name: "GGZ Lindeveen" }, into: { name: "GGZ Lindenveen" } } });
    // Another member proposing the same pair (either way round) while it is open: refused.
    const again = await mergeForm("ggz-lindenveen", founders[1], { into: "GGZ Lindeveen" });
    expect(statusOf(again)).toBe(409);
    // The organisation's page lists the open proposal.
    const orgPage = dataOf<{ openMerges: { id: number }[] }>(await organisationLoader({ request: getRequest("/organisations/ggz-lindeveen"), context, params: { slug: "ggz-lindeveen" } }));
    expect(orgPage.openMerges.map((p) => p.id)).toEqual([proposalId]);
  });

  it("merges at the deadline when adopted, exactly once, moving people, sessions and venues", () => {
    for (const f of founders) respond(proposalId, f.id, "consent", "", new Date());
    const from = orgBySlug("ggz-lindeveen")!;
    const into = orgBySlug("ggz-lindenveen")!;
    const deadline = db().get<{ deadline: number }>(sql`SELECT deadline FROM proposals WHERE id = ${proposalId}`).deadline;
    const after = new Date(deadline + 1000);
    expect([closeProposal(proposalId, after), closeProposal(proposalId, after)]).toEqual([true, false]);
    expect(db().get(sql`SELECT json_extract(outcome, '$.adopted') AS adopted FROM proposals WHERE id = ${proposalId}`)).toEqual({ adopted: 1 });
    expect(orgBySlug("ggz-lindeveen")!.merged_into).toBe(into.id);
    expect(memberRow(dirk.id)).toMatchObject({ organisation: "GGZ Lindenveen", organisation_id: into.id });
    expect(db().get(sql`SELECT host_organisation, host_organisation_id FROM sessions WHERE id = ${sessionId}`)).toEqual({ host_organisation: "GGZ Lindenveen", host_organisation_id: into.id });
    expect(db().get(sql`SELECT organisation_id FROM venues WHERE id = ${venueId}`)).toEqual({ organisation_id: into.id });
    expect(db().all(sql`SELECT subject_id, json_extract(detail, '$.from') AS from_name, json_extract(detail, '$.into') AS into_name FROM log_entries WHERE action = 'organisation.merged'`)).toEqual([
      { subject_id: "ggz-lindeveen", from_name: from.name, into_name: into.name },
    ]);
  });

  it("leads the merged spelling's page to the one it became, and later picks of it too", async () => {
    const thrown = await settle(() => organisationLoader({ request: getRequest("/organisations/ggz-lindeveen"), context, params: { slug: "ggz-lindeveen" } }));
    expect(statusOf(thrown)).toBe(301);
    expect((thrown as Response).headers.get("Location")).toBe("/organisations/ggz-lindenveen");
    // Typing the old spelling now links to the organisation it became.
    expect(statusOf(await saveProfile(eva, { organisation: "GGZ Lindeveen" }))).toBe(303);
    expect(memberRow(eva.id)).toMatchObject({ organisation: "GGZ Lindenveen", organisation_id: orgBySlug("ggz-lindenveen")!.id });
    // A merged one cannot be merged again.
    expect(dataOf<{ errors: Record<string, string> }>(await mergeForm("ggz-lindenveen", founders[0], { into: "GGZ Lindeveen" })).errors.into).toBe("organisation.merge.same");
  });

  it("does not merge when someone objects", async () => {
    await saveProfile(bo, { organisation: "Bibliotheek Oost" });
    await saveProfile(cas, { organisation: "Bibliotheek Oost Lindenveen", organisationConfirmed: "Bibliotheek Oost Lindenveen", organisationChoice: "new" });
    const opened = await mergeForm("bibliotheek-oost-lindenveen", founders[1], { into: "Bibliotheek Oost" });
    expect(statusOf(opened)).toBe(303);
    const id = idFrom((opened as Response).headers.get("Location"));
    respond(id, founders[0].id, "consent", "");
    respond(id, founders[1].id, "consent", "");
    respond(id, founders[2].id, "object", "Dit zijn twee vestigingen.");
    const deadline = db().get<{ deadline: number }>(sql`SELECT deadline FROM proposals WHERE id = ${id}`).deadline;
    expect(closeProposal(id, new Date(deadline + 1000))).toBe(true);
    expect(orgBySlug("bibliotheek-oost-lindenveen")!.merged_into).toBeNull();
    expect(memberRow(cas.id).organisation).toBe("Bibliotheek Oost Lindenveen");
  });
});

describe("venues", () => {
  let venueId: number;

  it("are added by members, with the organisation picked like on the profile", async () => {
    const asked = await newVenue(ana, { name: "Zaal De Linde", organisation: "GGZ Lindenvee" });
    expect(statusOf(asked)).toBe(409);
    expect(dataOf<{ ask: { candidates: { name: string }[] } }>(asked).ask.candidates.map((c) => c.name)).toContain("GGZ Lindenveen");
    const created = await newVenue(ana, { name: "Zaal De Linde", organisation: "GGZ Lindenveen", address: "Lindelaan 1", stepFree: "on", hearingLoop: "on" });
    expect(statusOf(created)).toBe(303);
    venueId = idFrom((created as Response).headers.get("Location"));
    const page = dataOf<{ venue: { name: string; stepFree: boolean; parking: boolean; organisation: { slug: string } } }>(
      await venueLoader({ request: getRequest(`/venues/${venueId}`), context, params: { id: String(venueId) } }),
    );
    expect(page.venue).toMatchObject({ name: "Zaal De Linde", stepFree: true, parking: false, organisation: { slug: "ggz-lindenveen" } });
  });

  it("refuses over-long fields and a held member, and limits new venues a day", async () => {
    const long = await newVenue(ana, { name: "n".repeat(121), address: "a".repeat(201), routeNotes: "r".repeat(1001) });
    expect(statusOf(long)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(long).errors).toMatchObject({ name: "venue.name.tooLong", address: "venue.address.tooLong", routeNotes: "venue.notes.tooLong" });
    const heldRefused = await newVenue(held, { name: "Mijn plek" });
    expect(statusOf(heldRefused)).toBe(403);
    expect(dataOf<{ errors: Record<string, string> }>(heldRefused).errors.form).toBe("venue.held");
    const before = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM venues`).n;
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push(statusOf(await newVenue(eva, { name: `Plek ${i}` })));
    expect(statuses.filter((s) => s === 303)).toHaveLength(20);
    expect(statuses[20]).toBe(429);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM venues`).n).toBe(before + 20);
  });

  it("are changed by who added them, hosts of sessions there and members with a voice; not by others", async () => {
    const editable = async (m: Member) => statusOf(await settle(() => editVenueLoader({ request: getRequest(`/venues/${venueId}/edit`, { cookie: m.cookie }), context, params: { id: String(venueId) } })));
    expect(await editable(ana)).toBe(200); // added it
    expect(await editable(founders[0])).toBe(200); // a voice
    expect(await editable(bo)).toBe(403);
    expect(await editable(held)).toBe(403);
    expect(statusOf(await editVenue(venueId, bo, { name: "Overgenomen" }))).toBe(403);
    // Bo hosts an initiative that meets there: now Bo may.
    const initiative = initiativeBy(bo.id, { title: "Leesclub" });
    const session = sessionOf(initiative, bo.id);
    db().run(sql`UPDATE sessions SET venue_id = ${venueId} WHERE id = ${session}`);
    expect(await editable(bo)).toBe(200);
    expect(statusOf(await editVenue(venueId, bo, { name: "Zaal De Linde (boven)", organisation: "", parking: "on" }))).toBe(303);
    expect(db().get(sql`SELECT name, organisation_id, parking, step_free FROM venues WHERE id = ${venueId}`)).toEqual({ name: "Zaal De Linde (boven)", organisation_id: null, parking: 1, step_free: 0 });
  });
});

describe("where we met", () => {
  it("counts past sessions at venues per organisation of the venue, the others as elsewhere; not cancelled, future or hidden ones", async () => {
    db().run(sql`UPDATE sessions SET venue_id = NULL`);
    const make = (name: string, organisationId: number | null) =>
      db().get<{ id: number }>(sql`INSERT INTO venues (organisation_id, name, created_by, created_at, updated_at) VALUES (${organisationId}, ${name}, ${ana.id}, 0, 0) RETURNING id`).id;
    const ggz = orgBySlug("ggz-lindenveen")!;
    const room = make("Zaal A", ggz.id);
    const hall = make("Zaal B", ggz.id);
    const cafe = make("Café", null);
    const created = new Date(Date.now() - 30 * day);
    const initiative = initiativeBy(ana.id, { title: "Ontmoeten" }, created);
    const at = (venue: number, startsIn: number) => {
      const id = sessionOf(initiative, ana.id, { now: created, startsIn });
      db().run(sql`UPDATE sessions SET venue_id = ${venue} WHERE id = ${id}`);
      return id;
    };
    at(room, 2 * day);
    at(hall, 3 * day);
    at(room, 4 * day);
    at(cafe, 5 * day);
    const cancelled = at(room, 6 * day);
    cancelSession(cancelled, ana.id, created);
    at(room, 40 * day); // still to come
    const hidden = initiativeBy(ana.id, { title: "Verborgen" }, created);
    const hiddenSession = sessionOf(hidden, ana.id, { now: created, startsIn: 2 * day });
    db().run(sql`UPDATE sessions SET venue_id = ${room} WHERE id = ${hiddenSession}`);
    db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()} WHERE id = ${hidden}`);
    expect(meetingPlaces()).toEqual([
      { organisation: "GGZ Lindenveen", slug: "ggz-lindenveen", sessions: 3, venues: 2 },
      { organisation: null, slug: null, sessions: 1, venues: 1 },
    ]);
  });
});
