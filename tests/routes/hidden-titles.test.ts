// Hidden content (governance.md §4) leaves every public place: once an initiative is hidden its
// title is in no session page, calendar, log line, proposal, feed, digest or preview card, and
// stays readable only for its hosts and members with a voice.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/lib/db.server";
import { translator } from "~/lib/i18n";
import { composeDigestMail, digestFor, weekOf } from "~/models/digest.server";
import { closeProposal, openProposal } from "~/models/proposals.server";
import { loader as digestLoader } from "~/routes/digest._index";
import { loader as feedAtom } from "~/routes/feed[.xml]";
import { loader as initiativeIcs } from "~/routes/initiatives.$id_.calendar[.ics]";
import { loader as initiativePreview } from "~/routes/initiatives.$id_.preview[.png]";
import { loader as logLoader } from "~/routes/log";
import { loader as logAtom } from "~/routes/log[.xml]";
import { loader as proposalLoader } from "~/routes/proposals.$id";
import { loader as proposalsLoader } from "~/routes/proposals._index";
import { loader as sessionLoader, meta as sessionMeta } from "~/routes/sessions.$id";
import { loader as sessionIcs } from "~/routes/sessions.$id_.calendar[.ics]";
import { loader as sessionPreview } from "~/routes/sessions.$id_.preview[.png]";
import { context, dataOf, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, initiativeBy, sessionOf } from "../support/fixtures";

// Who has a voice is being reworked elsewhere; here it is simply the members named in `voters`.
const voters = new Set<string>();
vi.mock("~/models/voice.server", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/models/voice.server")>();
  return {
    ...real,
    voiceSnapshot: (now?: number) => ({ ...real.voiceSnapshot(now), voices: new Map([...voters].map((id) => [id, {} as never])), hasVoice: (id: string) => voters.has(id) }),
  };
});

const title = "Geheimzinnige titel 4711";
type Member = Awaited<ReturnType<typeof memberWithSession>>;
let host: Member, newcomer: Member, voter: Member;
let initiativeId: number, sessionId: number, openId: number, closedId: number;

beforeAll(async () => {
  [host, newcomer, voter] = await Promise.all([memberWithSession("Host"), memberWithSession("Newcomer"), memberWithSession("Voter")]);
  voters.add(voter.id);
  initiativeId = initiativeBy(host.id, { title, summary: "Een samenvatting die niemand mag zien." });
  sessionId = sessionOf(initiativeId, host.id, { startsIn: 2 * day });
  openId = openProposal({ scope: "initiative", initiativeId, kind: "majority", title: `Verhuizen: ${title}`, body: `Over ${title}.`, days: 7, effect: null }, host.id);
  // Opened in the past so that it closes now, in this week's digest.
  const earlier = new Date(Date.now() - 8 * day);
  closedId = openProposal({ scope: "initiative", initiativeId, kind: "majority", title: `Afgerond: ${title}`, body: "", days: 7, effect: null }, host.id, earlier);
  expect(closeProposal(closedId)).toBe(true);
  const now = Date.now();
  db().run(sql`INSERT INTO outcomes (initiative_id, session_id, member_id, body, created_at, updated_at) VALUES (${initiativeId}, ${sessionId}, ${host.id}, 'Wat we leerden.', ${now}, ${now})`);
});

const hide = () => db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()}, hidden_rule = '7. Respect en privacy' WHERE id = ${initiativeId}`);

const root = { id: "root", data: { locale: "nl", origin: "http://localhost:3000" } };
const args = (path: string, params: Record<string, string> = {}, cookie?: string) => ({ request: getRequest(path, { cookie }), context, params });
const body = async (result: unknown) => {
  expect(statusOf(result)).toBe(200);
  // Calendar lines longer than 75 octets are folded; unfold them before searching.
  return (await (result as Response).text()).replace(/\r\n[ \t]/g, "");
};

/** Every public place, as a visitor (or the member with this cookie) receives it, each as text. */
async function places(cookie?: string) {
  const session = await settle(() => sessionLoader(args(`/sessions/${sessionId}`, { id: String(sessionId) }, cookie)));
  const meta = sessionMeta({ data: dataOf(session), matches: [root], params: {}, location: {}, error: undefined } as never);
  const proposal = await settle(() => proposalLoader(args(`/proposals/${openId}`, { id: String(openId) }, cookie)));
  const closed = await settle(() => proposalLoader(args(`/proposals/${closedId}`, { id: String(closedId) }, cookie)));
  return {
    session: JSON.stringify(dataOf(session)),
    meta: JSON.stringify(meta),
    proposal: JSON.stringify(dataOf(proposal)),
    closedProposal: JSON.stringify(dataOf(closed)),
    proposals: JSON.stringify(await settle(() => proposalsLoader(args("/proposals", {}, cookie)))),
  };
}

/** The places that are the same for everyone. */
async function publicPlaces() {
  const week = weekOf(new Date());
  return {
    log: JSON.stringify(await settle(() => logLoader(args("/log")))),
    logAtom: await body(await settle(() => logAtom(args("/log.xml")))),
    feed: await body(await settle(() => feedAtom(args("/feed.xml")))),
    digest: JSON.stringify(await settle(() => digestLoader())),
    digestMail: composeDigestMail(digestFor(week, { forMembers: true }), translator("nl"), "nl").body,
  };
}

describe("an initiative's title", () => {
  it("is in every public place while the initiative is not hidden", async () => {
    for (const [place, text] of Object.entries({ ...(await places()), ...(await publicPlaces()) })) expect(text, place).toContain(title);
    expect(await body(await settle(() => sessionIcs(args(`/sessions/${sessionId}.ics`, { id: String(sessionId) }))))).toContain(`SUMMARY:${title}`);
    expect(await body(await settle(() => initiativeIcs(args(`/initiatives/${initiativeId}.ics`, { id: String(initiativeId) }))))).toContain(`X-WR-CALNAME:${title}`);
    expect(statusOf(await settle(() => sessionPreview(args(`/sessions/${sessionId}/preview.png`, { id: String(sessionId) }))))).toBe(200);
    expect(statusOf(await settle(() => initiativePreview(args(`/initiatives/${initiativeId}/preview.png`, { id: String(initiativeId) }))))).toBe(200);
  });

  it("leaves every public place once the initiative is hidden", async () => {
    hide();
    for (const [place, text] of Object.entries({ ...(await places()), ...(await publicPlaces()) })) expect(text, place).not.toContain(title);
    // Nor the summary, and no card or calendar to share.
    expect((await places()).session).not.toContain("niemand mag zien");
    expect(statusOf(await settle(() => sessionIcs(args(`/sessions/${sessionId}.ics`, { id: String(sessionId) }))))).toBe(404);
    expect(statusOf(await settle(() => initiativeIcs(args(`/initiatives/${initiativeId}.ics`, { id: String(initiativeId) }))))).toBe(404);
    expect(statusOf(await settle(() => sessionPreview(args(`/sessions/${sessionId}/preview.png`, { id: String(sessionId) }))))).toBe(404);
    expect(statusOf(await settle(() => initiativePreview(args(`/initiatives/${initiativeId}/preview.png`, { id: String(initiativeId) }))))).toBe(404);
  });

  it("shows what is hidden instead: the rule on the session page, a placeholder for the proposals", async () => {
    const session = dataOf<{ hidden: { rule: string; canRead: boolean } }>(await settle(() => sessionLoader(args(`/sessions/${sessionId}`, { id: String(sessionId) }))));
    expect(session.hidden).toEqual({ rule: "7. Respect en privacy", canRead: false });
    const meta = sessionMeta({ data: session, matches: [root], params: {}, location: {}, error: undefined } as never);
    expect(meta).toContainEqual({ title: "Verborgen · Meedoen" });
    expect(meta.some((m) => "property" in m && m.property === "og:title")).toBe(false);
    const { proposal } = dataOf<{ proposal: { hidden: boolean; title: string } }>(await settle(() => proposalLoader(args(`/proposals/${openId}`, { id: String(openId) }))));
    expect(proposal).toMatchObject({ hidden: true, title: "" });
    const { open } = dataOf<{ open: { id: number; hidden: boolean }[] }>(await settle(() => proposalsLoader(args("/proposals"))));
    expect(open.find((p) => p.id === openId)).toMatchObject({ hidden: true, title: "", initiative_title: null });
    const { entries } = dataOf<{ entries: { subjectType: string; subjectId: string; subjectTitle: string | null }[] }>(await settle(() => logLoader(args("/log"))));
    expect(entries.find((e) => e.subjectType === "session" && e.subjectId === String(sessionId))?.subjectTitle).toBe("—");
    expect(entries.find((e) => e.subjectType === "proposal" && e.subjectId === String(openId))?.subjectTitle).toBe("—");
  });

  it("stays hidden from a member without a voice, readable for its host and members with a voice", async () => {
    for (const [place, text] of Object.entries(await places(newcomer.cookie))) expect(text, place).not.toContain(title);
    for (const reader of [host, voter]) {
      const seen = await places(reader.cookie);
      for (const place of ["session", "proposal", "closedProposal", "proposals"] as const) expect(seen[place], `${reader.displayName}: ${place}`).toContain(title);
      // Not even readers share it: no card, no indexed page title.
      expect(seen.meta, reader.displayName).not.toContain(title);
    }
  });
});
