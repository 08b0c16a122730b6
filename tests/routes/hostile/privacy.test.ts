// Members-only means members-only (issue 12, §6): a member whose profile is visible to members
// only hosts an initiative, comments, posts an outcome, responds to and decides on a proposal, says
// what they are doing now, and is held after flags (a system proposal named after them). A visitor
// then reads every page, feed, calendar and card where that could show, and finds neither their
// name nor their organisation: "a member" stands in. A member who chose "visitors see only my
// organisation" shows as "a member from <organisation>". Logged-in members still read the names.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/lib/db.server";
import { ruleHeadings } from "~/lib/diff";
import { translator } from "~/lib/i18n";
import { postComment, postOutcome } from "~/models/contributions.server";
import { composeDigestMail, digestFor, weekLabel, weekOf } from "~/models/digest.server";
import { flag } from "~/models/flags.server";
import { postNow } from "~/models/profiles.server";
import { closeProposal, currentRules, openProposal, respond, writeStatement } from "~/models/proposals.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as agendaLoader } from "~/routes/agenda";
import { loader as agendaIcs } from "~/routes/agenda[.ics]";
import { loader as digestLoader } from "~/routes/digest._index";
import { loader as digestWeekLoader } from "~/routes/digest.$week";
import { loader as feedAtom } from "~/routes/feed[.xml]";
import { loader as initiativeLoader, meta as initiativeMeta } from "~/routes/initiatives.$id";
import { loader as initiativeIcs } from "~/routes/initiatives.$id_.calendar[.ics]";
import { loader as initiativePreview } from "~/routes/initiatives.$id_.preview[.png]";
import { loader as logLoader } from "~/routes/log";
import { loader as logAtom } from "~/routes/log[.xml]";
import { loader as memberLoader } from "~/routes/members.$id";
import { loader as memberPreview } from "~/routes/members.$id_.preview[.png]";
import { loader as membersLoader } from "~/routes/members._index";
import { loader as networkLoader } from "~/routes/network";
import { loader as nowLoader } from "~/routes/now";
import { loader as proposalLoader, meta as proposalMeta } from "~/routes/proposals.$id";
import { loader as proposalsLoader } from "~/routes/proposals._index";
import { action as profileAction } from "~/routes/settings_.profile";
import { loader as sessionLoader, meta as sessionMeta } from "~/routes/sessions.$id";
import { loader as sessionIcs } from "~/routes/sessions.$id_.calendar[.ics]";
import { loader as sessionPreview } from "~/routes/sessions.$id_.preview[.png]";
import { day, initiativeBy, sessionOf } from "../../support/fixtures";
import { makeFounder } from "../../support/governance";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../../support/requests";

// The preview cards are PNGs: what goes on them is read from the card before it is drawn.
vi.mock("~/lib/preview.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/lib/preview.server")>();
  return { ...real, previewResponse: async (_request: Request, card: unknown) => new Response(JSON.stringify(card), { headers: { "Content-Type": "application/json" } }) };
});

const secretName = "Wietske Verborgennaam";
const secretOrganisation = "Stichting Onzichtbaar";
const shyName = "Jelmer Schuilnaam";
const shyOrganisation = "Buurtwerk Zichtbaar";
const title = "Moestuin aan de Linde";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let secret: Member, shy: Member, reader: Member, flaggers: Member[];
let initiativeId: number, sessionId: number, decidedId: number, heldId: number;

beforeAll(async () => {
  secret = await memberWithSession(secretName, { organisation: secretOrganisation });
  shy = await memberWithSession(shyName, { organisation: shyOrganisation });
  reader = await memberWithSession("Lezer Ingelogd");
  flaggers = await Promise.all([memberWithSession("Melder Een"), memberWithSession("Melder Twee")]);
  db().run(sql`UPDATE members SET profile_visibility = 'members' WHERE id = ${secret.id}`);
  db().run(sql`UPDATE members SET profile_visibility = 'organisation' WHERE id = ${shy.id}`);
  // Founders have a voice while the network starts up, and are witnesses: they may flag.
  for (const f of flaggers) makeFounder(f.id, 3 * day);

  // The secret member hosts an initiative, with the shy member as co-host since a day later.
  const earlier = new Date(Date.now() - 9 * day);
  initiativeId = initiativeBy(secret.id, { title, summary: "Samen tuinieren.", tags: "tuin" }, earlier);
  db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${initiativeId}, ${shy.id}, ${earlier.getTime() + day}, ${earlier.getTime() + day})`);
  // A session that took place (with an outcome of its own) and one still to come.
  sessionId = sessionOf(initiativeId, secret.id, { now: earlier, startsIn: day });
  sessionOf(initiativeId, secret.id, { startsIn: 2 * day });
  postComment(initiativeId, secret.id, { body: "Wie neemt er schoffels mee?" });
  postComment(initiativeId, shy.id, { body: "Ik neem zaden mee." });
  postOutcome(initiativeId, secret.id, { body: "De eerste oogst is binnen.", sessionId: null });
  postOutcome(initiativeId, secret.id, { body: "Bonen gezaaid.", sessionId });
  postNow(secret.id, "Bezig met de moestuin");

  // A decision of the initiative: the secret member opened it, responded and wrote what we do now.
  decidedId = openProposal({ scope: "initiative", initiativeId, kind: "majority", title: "Een tweede tuin erbij", body: "Zullen we uitbreiden?", days: 7, effect: null }, secret.id, new Date(Date.now() - 8 * day));
  respond(decidedId, secret.id, "for", "", new Date(Date.now() - 7 * day));
  respond(decidedId, shy.id, "against", "Te veel werk", new Date(Date.now() - 7 * day));
  expect(closeProposal(decidedId)).toBe(true);
  writeStatement(decidedId, secret.id, "We beginnen klein.");
  writeStatement(decidedId, shy.id, "We beginnen klein, in het voorjaar.");

  // Held after flags: the system opens "Mag <name> weer berichten plaatsen?"; it closes this week.
  const rule = ruleHeadings(currentRules().text)[0];
  for (const f of flaggers) flag({ type: "member", id: secret.id }, f.id, rule, "Spam in de reacties");
  heldId = db().get<{ id: number }>(sql`SELECT id FROM proposals WHERE json_extract(effect, '$.memberId') = ${secret.id}`).id;
  expect(db().get<{ title: string }>(sql`SELECT title FROM proposals WHERE id = ${heldId}`).title).toContain(secretName);
  db().run(sql`UPDATE proposals SET deadline = ${Date.now() - 1000} WHERE id = ${heldId}`);
  expect(closeProposal(heldId)).toBe(true);
});

const root = { id: "root", data: { locale: "nl", origin: "http://localhost:3000" } };
const args = (path: string, params: Record<string, string> = {}, cookie?: string) => ({ request: getRequest(path, { cookie }), context, params });
const metaArgs = (data: unknown) => ({ data, matches: [root], params: {}, location: {}, error: undefined }) as never;
const json = async (run: () => unknown) => JSON.stringify(dataOf(await settle(run)));
const text = async (run: () => unknown) => {
  const result = await settle(run);
  expect(statusOf(result)).toBe(200);
  // Calendar lines longer than 75 octets are folded; unfold them before searching.
  return (await (result as Response).text()).replace(/\r\n[ \t]/g, "");
};

/** Every page where these members could appear, as the member with `cookie` (or a visitor) gets it. */
async function pages(cookie?: string) {
  const initiative = dataOf(await settle(() => initiativeLoader(args(`/initiatives/${initiativeId}`, { id: String(initiativeId) }, cookie))));
  const session = dataOf(await settle(() => sessionLoader(args(`/sessions/${sessionId}`, { id: String(sessionId) }, cookie))));
  const held = dataOf(await settle(() => proposalLoader(args(`/proposals/${heldId}`, { id: String(heldId) }, cookie))));
  return {
    home: await json(() => homeLoader(args("/", {}, cookie))),
    search: await json(() => homeLoader(args("/?q=moestuin", {}, cookie))),
    agenda: await json(() => agendaLoader(args("/agenda", {}, cookie))),
    initiative: JSON.stringify(initiative),
    initiativeMeta: JSON.stringify(initiativeMeta(metaArgs(initiative))),
    session: JSON.stringify(session),
    sessionMeta: JSON.stringify(sessionMeta(metaArgs(session))),
    proposals: await json(() => proposalsLoader(args("/proposals", {}, cookie))),
    heldProposal: JSON.stringify(held),
    heldProposalMeta: JSON.stringify(proposalMeta(metaArgs(held))),
    decidedProposal: await json(() => proposalLoader(args(`/proposals/${decidedId}`, { id: String(decidedId) }, cookie))),
    log: await json(() => logLoader(args("/log", {}, cookie))),
    memberLog: await json(() => logLoader(args(`/log?subject=member:${secret.id}`, {}, cookie))),
    digest: await json(() => digestLoader(args("/digest", {}, cookie))),
    digestWeek: await json(() => digestWeekLoader(args(`/digest/${weekLabel(weekOf(new Date()))}`, { week: weekLabel(weekOf(new Date())) }, cookie))),
    network: await json(() => networkLoader(args("/network", {}, cookie))),
    now: await json(() => nowLoader(args("/now", {}, cookie))),
    // The directory, searched for what the secret member is doing now.
    members: await json(() => membersLoader(args("/members?q=moestuin", {}, cookie))),
    secretProfile: await json(() => memberLoader(args(`/members/${secret.id}`, { id: secret.id }, cookie))),
    shyProfile: await json(() => memberLoader(args(`/members/${shy.id}`, { id: shy.id }, cookie))),
  };
}

/** A calendar's lines unfolded and its TEXT unescaped, so that a name split by folding is found whole. */
const calendarText = async (run: () => unknown) =>
  (await text(run)).replace(/\r\n[ \t]/g, "").replace(/\\([\\;,])/g, "$1").replace(/\\[nN]/g, "\n");

/** What is the same for everyone: feeds, calendars and the cards chat apps fetch without logging in. */
async function publicFiles() {
  const preview = async (run: () => unknown) => {
    const result = await settle(run);
    return statusOf(result) === 200 ? await (result as Response).text() : `status ${statusOf(result)}`;
  };
  return {
    feed: await text(() => feedAtom(args("/feed.xml"))),
    logAtom: await text(() => logAtom(args("/log.xml"))),
    sessionIcs: await calendarText(() => sessionIcs(args(`/sessions/${sessionId}.ics`, { id: String(sessionId) }))),
    initiativeIcs: await calendarText(() => initiativeIcs(args(`/initiatives/${initiativeId}.ics`, { id: String(initiativeId) }))),
    agendaIcs: await calendarText(() => agendaIcs(args("/agenda.ics"))),
    initiativeCard: await preview(() => initiativePreview(args(`/initiatives/${initiativeId}/preview.png`, { id: String(initiativeId) }))),
    sessionCard: await preview(() => sessionPreview(args(`/sessions/${sessionId}/preview.png`, { id: String(sessionId) }))),
    secretCard: await preview(() => memberPreview(args(`/members/${secret.id}/preview.png`, { id: secret.id }))),
    shyCard: await preview(() => memberPreview(args(`/members/${shy.id}/preview.png`, { id: shy.id }))),
  };
}

describe("a members-only member, seen by a visitor", () => {
  it("is named nowhere: no page, feed, calendar or card carries their name or organisation", async () => {
    const seen = { ...(await pages()), ...(await publicFiles()) };
    for (const [place, content] of Object.entries(seen)) {
      expect(content, place).not.toContain(secretName);
      expect(content, place).not.toContain(secretOrganisation);
      expect(content, place).not.toContain(shyName);
    }
    // The places are real: the initiative and its proposals are there, only the names are not.
    expect(seen.home).toContain(title);
    expect(seen.feed).toContain(title);
    expect(seen.initiativeCard).toContain(title);
  });

  it("appears as \"a member\", or as a member from the organisation they chose to show", async () => {
    const seen = await pages();
    const { initiative } = JSON.parse(seen.initiative) as { initiative: { hosts: { id: string | null; displayName: string; organisation: string }[] } };
    expect(initiative.hosts).toHaveLength(2);
    expect(initiative.hosts).toEqual(
      expect.arrayContaining([
        { id: null, displayName: "een deelnemer", organisation: "" },
        { id: null, displayName: `een deelnemer van ${shyOrganisation}`, organisation: "" },
      ]),
    );
    expect(seen.home).toContain(`een deelnemer van ${shyOrganisation}`);
    expect(seen.proposals).toContain("Mag een deelnemer weer berichten plaatsen?");
    expect(seen.heldProposal).toContain("Mag een deelnemer weer berichten plaatsen?");
    const { entries } = JSON.parse(seen.memberLog) as { entries: { action: string; subjectTitle: string }[] };
    expect(entries.find((e) => e.action === "posting.held")?.subjectTitle).toBe("een deelnemer");
    // In English for a visitor who reads English.
    const english = dataOf<{ open: { title: string }[]; closed: { id: number; title: string }[] }>(
      await settle(() => proposalsLoader({ request: getRequest("/proposals", { headers: { "Accept-Language": "en" } }), context, params: {} })),
    );
    expect(english.closed.find((p) => p.id === heldId)?.title).toBe("May a member post again?");
    // The card names the first host's organisation that visitors may see: the shy member's.
    expect((await publicFiles()).initiativeCard).toContain(shyOrganisation);
  });
});

describe("the profile form", () => {
  it("offers a third choice: visitors see only my organisation", async () => {
    const member = await memberWithSession("Keuze Maker");
    const save = (profileVisibility: string) =>
      settle(() => profileAction({ request: formRequest("/settings/profile", { displayName: "Keuze Maker", organisation: "Wijkteam", profileVisibility }, { cookie: member.cookie }), context, params: {} }));
    expect(statusOf(await save("organisation"))).toBe(303);
    expect(db().get(sql`SELECT profile_visibility FROM members WHERE id = ${member.id}`)).toEqual({ profile_visibility: "organisation" });
    expect(statusOf(await save("nobody"))).toBe(400);
  });
});

describe("logged-in members", () => {
  it("read the names wherever the member appears", async () => {
    const seen = await pages(reader.cookie);
    for (const place of ["home", "initiative", "proposals", "heldProposal", "decidedProposal", "log", "memberLog", "digest", "digestWeek", "now", "members", "secretProfile"] as const) {
      expect(seen[place], place).toContain(secretName);
    }
    for (const place of ["home", "initiative", "decidedProposal", "shyProfile"] as const) expect(seen[place], place).toContain(shyName);
  });

  it("get the names in the digest mail, which goes to members only", () => {
    const mail = composeDigestMail(digestFor(weekOf(new Date()), { forMembers: true }), translator("nl"), "nl").body;
    expect(mail).toContain(secretName);
  });
});
