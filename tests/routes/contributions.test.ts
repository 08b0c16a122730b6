// Outcomes and comments through their routes: who may post, limits, editing, hiding by flags,
// and the feeds (/ and the Atom feed at /feed.xml).
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import type { ContributionView, LatestOutcome } from "~/models/contributions.server";
import { outcomesByMember } from "~/models/contributions.server";
import { flag } from "~/models/flags.server";
import { acceptEdit } from "~/models/hidden-edits.server";
import { closeProposal, currentRules, respond } from "~/models/proposals.server";
import { ruleHeadings } from "~/lib/diff";
import { register } from "~/models/registrations.server";
import { loader as feedLoader } from "~/routes/_index";
import { action as commentAction } from "~/routes/initiatives.$id_.comments";
import { action as outcomeAction, loader as outcomeFormLoader } from "~/routes/initiatives.$id_.outcomes";
import { loader as initiativeLoader } from "~/routes/initiatives.$id";
import { loader as sessionLoader } from "~/routes/sessions.$id";
import { action as editOutcomeAction, loader as editOutcomeLoader } from "~/routes/outcomes.$id_.edit";
import { action as editCommentAction } from "~/routes/comments.$id_.edit";
import { action as flagOutcomeAction } from "~/routes/outcomes.$id_.flag";
import { action as flagCommentAction } from "~/routes/comments.$id_.flag";
import { loader as atomLoader } from "~/routes/feed[.xml]";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, initiativeBy, sessionOf } from "../support/fixtures";
import { makeFounder } from "../support/governance";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
type FormData = { errors: Record<string, string>; params?: Record<string, number> };
type PageData = { contributions: { outcomes: ContributionView[]; comments: ContributionView[]; mayPostOutcome: boolean } };

const ago = (ms: number) => Date.now() - ms;
const age = (m: Member, ms: number) => db().run(sql`UPDATE members SET created_at = ${ago(ms)} WHERE id = ${m.id}`);
const newestId = (table: "outcomes" | "comments") => db().get<{ id: number }>(sql`SELECT max(id) AS id FROM ${sql.identifier(table)}`).id;
const logCount = (action: string) => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM log_entries WHERE action = ${action}`).n;

const postOutcome = (m: Member | null, initiativeId: number, fields: Record<string, string>) =>
  settle(() => outcomeAction({ request: formRequest(`/initiatives/${initiativeId}/outcomes`, fields, m ? { cookie: m.cookie } : {}), context, params: { id: String(initiativeId) } }));
const postComment = (m: Member | null, initiativeId: number, body: string) =>
  settle(() => commentAction({ request: formRequest(`/initiatives/${initiativeId}/comments`, { body }, m ? { cookie: m.cookie } : {}), context, params: { id: String(initiativeId) } }));
const initiativePage = async (initiativeId: number, m: Member | null = null) =>
  dataOf<PageData>(await initiativeLoader({ request: getRequest(`/initiatives/${initiativeId}`, m ? { cookie: m.cookie } : {}), context, params: { id: String(initiativeId) } }));
const atom = async () => {
  const response = (await atomLoader({ request: getRequest("/feed.xml"), context, params: {} })) as Response;
  return { response, xml: await response.text() };
};

let host: Member, participant: Member, stranger: Member, v1: Member, v2: Member, v3: Member;
let initiativeId: number, pastSession: number, futureSession: number;
// A flag names a heading of the house rules in force (governance v2 §4): "7. Respect en privacy."
let rule: string;

beforeAll(async () => {
  [host, participant, stranger, v1, v2, v3] = await Promise.all(["Host", "Participant", "Stranger", "Voice 1", "Voice 2", "Voice 3"].map((n) => memberWithSession(n)));
  // Founders (accounts older than a day) have a voice while the network bootstraps, and are
  // witnesses who may flag (governance v2 §1, §4); an old account alone no longer gives a voice.
  for (const m of [host, participant, stranger, v1, v2, v3]) makeFounder(m.id, 3 * day);
  rule = ruleHeadings(currentRules().text).find((h) => h.startsWith("7. "))!;
  expect(rule).toMatch(/^7\. Respect en privacy/);
  const past = new Date(ago(2 * day));
  initiativeId = initiativeBy(host.id, { title: "Leren samenwerken" }, past);
  pastSession = sessionOf(initiativeId, host.id, { startsIn: day, now: past });
  futureSession = sessionOf(initiativeId, host.id, { startsIn: 5 * day });
  register(pastSession, participant.id, past);
  register(futureSession, participant.id);
});

describe("outcomes", () => {
  it("lets a participant post an outcome of a session that has started", async () => {
    const result = await postOutcome(participant, initiativeId, { body: "We maakten een **kaart** van het netwerk.", sessionId: String(pastSession) });
    expect(statusOf(result)).toBe(303);
    const id = newestId("outcomes");
    expect((result as Response).headers.get("Location")).toBe(`/sessions/${pastSession}#outcome-${id}`);
    const session = dataOf<{ contributions: { outcomes: ContributionView[] } }>(await sessionLoader({ request: getRequest(`/sessions/${pastSession}`), context, params: { id: String(pastSession) } }));
    expect(session.contributions.outcomes.map((o) => o.id)).toEqual([id]);
    expect(session.contributions.outcomes[0].bodyHtml).toContain("<strong>kaart</strong>");
    expect(session.contributions.outcomes[0].author?.displayName).toBe("Participant");
  });

  it("lets hosts post an outcome of the initiative as a whole", async () => {
    expect(statusOf(await postOutcome(host, initiativeId, { body: "Wat we in het hele traject leerden." }))).toBe(303);
    const page = await initiativePage(initiativeId);
    expect(page.contributions.outcomes.at(-1)).toMatchObject({ sessionId: null });
  });

  it("refuses strangers, sessions that have not started, and bodies that are too long", async () => {
    const stranger403 = await postOutcome(stranger, initiativeId, { body: "Ik was er niet.", sessionId: String(pastSession) });
    expect(statusOf(stranger403)).toBe(403);
    expect(dataOf<FormData>(stranger403).errors.form).toBe("outcome.notParticipant");
    expect(statusOf(await postOutcome(stranger, initiativeId, { body: "Ik doe niet mee." }))).toBe(403);

    const early = await postOutcome(participant, initiativeId, { body: "Te vroeg.", sessionId: String(futureSession) });
    expect(statusOf(early)).toBe(409);
    expect(dataOf<FormData>(early).errors.sessionId).toBe("outcome.notStarted");

    const other = initiativeBy(stranger.id, { title: "Iets anders" });
    const wrongSession = await postOutcome(stranger, other, { body: "Verkeerde bijeenkomst.", sessionId: String(pastSession) });
    expect(statusOf(wrongSession)).toBe(400);

    const tooLong = await postOutcome(participant, initiativeId, { body: "x".repeat(10_001), sessionId: String(pastSession) });
    expect(statusOf(tooLong)).toBe(400);
    expect(dataOf<FormData>(tooLong).errors.body).toBe("outcome.body.tooLong");
    expect(statusOf(await postOutcome(participant, initiativeId, { body: "   " }))).toBe(400);
  });

  it("offers the form only to those who may post", async () => {
    expect((await initiativePage(initiativeId, participant)).contributions.mayPostOutcome).toBe(true);
    expect((await initiativePage(initiativeId, stranger)).contributions.mayPostOutcome).toBe(false);
    expect((await initiativePage(initiativeId)).contributions.mayPostOutcome).toBe(false);
    const form = dataOf<{ sessions: { id: number }[] }>(await outcomeFormLoader({ request: getRequest(`/initiatives/${initiativeId}/outcomes`, { cookie: participant.cookie }), context, params: { id: String(initiativeId) } }));
    expect(form.sessions.map((s) => s.id)).toEqual([pastSession]);
  });

  it("offers a session for an outcome once it has started, to its participants and every host", async () => {
    const past = new Date(ago(3 * day));
    const own = initiativeBy(host.id, { title: "Drie avonden" }, past);
    const first = sessionOf(own, host.id, { startsIn: day, now: past });
    const second = sessionOf(own, host.id, { startsIn: 2 * day, now: past });
    const cancelled = sessionOf(own, host.id, { startsIn: day, now: past });
    const later = sessionOf(own, host.id, { startsIn: 4 * day });
    register(first, participant.id, past);
    register(later, participant.id);
    db().run(sql`UPDATE sessions SET cancelled_at = ${ago(day)} WHERE id = ${cancelled}`);
    type Offered = { contributions: { outcomeSessions: { id: number }[] } };
    const offered = async (m: Member | null) => (await initiativePage(own, m) as unknown as Offered).contributions.outcomeSessions.map((s) => s.id);
    expect(await offered(participant)).toEqual([first]);
    expect(await offered(host)).toEqual([first, second]);
    expect(await offered(stranger)).toEqual([]);
    expect(await offered(null)).toEqual([]);
  });

  it("sanitises the markdown it shows", async () => {
    const body = 'Zie <script>alert(1)</script> [dit](javascript:alert(1)) en <img src=x onerror="alert(2)"> en [de notities](https://example.org/notities).';
    expect(statusOf(await postOutcome(participant, initiativeId, { body, sessionId: String(pastSession) }))).toBe(303);
    const html = (await initiativePage(initiativeId)).contributions.outcomes.at(-1)!.bodyHtml;
    expect(html).not.toMatch(/<script|javascript:|onerror|<img/i);
    expect(html).toContain('href="https://example.org/notities"');
    expect(html).toContain('rel="nofollow noopener noreferrer ugc"');
  });

  it("lists a member's outcomes for the profile, and shows a former member as such", async () => {
    const former = await memberWithSession("Leaving");
    age(former, 3 * day);
    const past = new Date(ago(2 * day));
    const id = initiativeBy(former.id, { title: "Afscheid" }, past);
    expect(statusOf(await postOutcome(former, id, { body: "Mijn laatste opbrengst." }))).toBe(303);
    expect(outcomesByMember(former.id).map((o) => o.initiativeTitle)).toEqual(["Afscheid"]);
    db().run(sql`UPDATE members SET deleted_at = ${Date.now()}, display_name = '' WHERE id = ${former.id}`);
    const page = await initiativePage(id);
    expect(page.contributions.outcomes[0].author).toBeNull();
    expect(page.contributions.outcomes[0].bodyHtml).toContain("Mijn laatste opbrengst.");
  });
});

describe("comments", () => {
  it("lets any logged-in member comment, lists them oldest first, and sends visitors to log in", async () => {
    expect(statusOf(await postComment(stranger, initiativeId, "Is er nog plek?"))).toBe(303);
    expect(statusOf(await postComment(host, initiativeId, "Ja, kom gerust."))).toBe(303);
    const visitor = await postComment(null, initiativeId, "Anoniem");
    expect(statusOf(visitor)).toBe(302);
    expect((visitor as Response).headers.get("Location")).toContain("/login");
    const page = await initiativePage(initiativeId);
    expect(page.contributions.comments.map((c) => c.author?.displayName)).toEqual(["Stranger", "Host"]);
    const tooLong = await postComment(stranger, initiativeId, "y".repeat(5_001));
    expect(statusOf(tooLong)).toBe(400);
    expect(dataOf<FormData>(tooLong).errors.body).toBe("comment.body.tooLong");
  });
});

describe("editing", () => {
  it("lets authors edit their own outcomes and comments, and nobody else's", async () => {
    await postOutcome(participant, initiativeId, { body: "Eerste versie.", sessionId: String(pastSession) });
    const outcomeId = newestId("outcomes");
    const edit = (m: Member, body: string) =>
      settle(() => editOutcomeAction({ request: formRequest(`/outcomes/${outcomeId}/edit`, { body }, { cookie: m.cookie }), context, params: { id: String(outcomeId) } }));
    expect(statusOf(await edit(participant, "Tweede versie."))).toBe(303);
    expect(db().get(sql`SELECT body FROM outcomes WHERE id = ${outcomeId}`)).toEqual({ body: "Tweede versie." });
    const others = await edit(host, "Overgenomen.");
    expect(statusOf(others)).toBe(403);
    expect(dataOf<FormData>(others).errors.form).toBe("contribution.notAuthor");
    expect(statusOf(await settle(() => editOutcomeLoader({ request: getRequest(`/outcomes/${outcomeId}/edit`, { cookie: host.cookie }), context, params: { id: String(outcomeId) } })))).toBe(403);
    expect(db().get(sql`SELECT body FROM outcomes WHERE id = ${outcomeId}`)).toEqual({ body: "Tweede versie." });
    expect((await initiativePage(initiativeId)).contributions.outcomes.find((o) => o.id === outcomeId)?.edited).toBe(true);

    await postComment(stranger, initiativeId, "Vraagje");
    const commentId = newestId("comments");
    const editComment = (m: Member, body: string) =>
      settle(() => editCommentAction({ request: formRequest(`/comments/${commentId}/edit`, { body }, { cookie: m.cookie }), context, params: { id: String(commentId) } }));
    expect(statusOf(await editComment(host, "Niet van mij"))).toBe(403);
    expect(statusOf(await editComment(stranger, "Vraagje, aangevuld"))).toBe(303);
    expect(statusOf(await editComment(stranger, "z".repeat(5_001)))).toBe(400);
  });
});

describe("held posting and newcomer limits", () => {
  it("refuses members whose posting is held with a translated 403", async () => {
    const held = await memberWithSession("Held");
    register(futureSession, held.id);
    await postComment(held, initiativeId, "Voor het vasthouden.");
    const commentId = newestId("comments");
    db().run(sql`UPDATE members SET posting_held_at = ${Date.now()}, posting_held_rule = '7. Respect' WHERE id = ${held.id}`);
    const comment = await postComment(held, initiativeId, "Nog een bericht");
    expect(statusOf(comment)).toBe(403);
    expect(dataOf<FormData>(comment).errors.form).toBe("flag.heldPosting");
    expect(statusOf(await postOutcome(held, initiativeId, { body: "Opbrengst" }))).toBe(403);
    const edit = await settle(() => editCommentAction({ request: formRequest(`/comments/${commentId}/edit`, { body: "Reclame" }, { cookie: held.cookie }), context, params: { id: String(commentId) } }));
    expect(statusOf(edit)).toBe(403);
  });

  it("lets a member without a voice post 20 comments and outcomes a day, and refuses the 21st with 429", async () => {
    const fresh = await memberWithSession("Fresh");
    register(pastSession, fresh.id, new Date(ago(2 * day)));
    expect(statusOf(await postOutcome(fresh, initiativeId, { body: "Opbrengst 1", sessionId: String(pastSession) }))).toBe(303);
    for (let n = 2; n <= 20; n++) expect(statusOf(await postComment(fresh, initiativeId, `Reactie ${n}`))).toBe(303);
    const refused = await postComment(fresh, initiativeId, "Reactie 21");
    expect(statusOf(refused)).toBe(429);
    expect(dataOf<FormData>(refused)).toMatchObject({ errors: { form: "contribution.newcomerLimit" }, params: { n: 20 } });
    expect(statusOf(await postOutcome(fresh, initiativeId, { body: "Opbrengst 2", sessionId: String(pastSession) }))).toBe(429);
    // Members with a voice have no such limit.
    for (let n = 1; n <= 21; n++) expect(statusOf(await postComment(v3, initiativeId, `Veel ${n}`))).toBe(303);
  });
});

describe("flags and hiding", () => {
  const flagOutcome = (m: Member, id: number, reason = "reclame") =>
    settle(() => flagOutcomeAction({ request: formRequest(`/outcomes/${id}/flag`, { rule, reason }, { cookie: m.cookie }), context, params: { id: String(id) } }));

  it("hides an outcome at the threshold, shows the notice, and the author's one edit brings it back", async () => {
    const spam = "Koop **goedkope** horloges bij ons";
    await postOutcome(participant, initiativeId, { body: spam, sessionId: String(pastSession) });
    const id = newestId("outcomes");
    const fresh = await memberWithSession("No voice");
    expect(statusOf(await flagOutcome(fresh, id))).toBe(403);
    expect(statusOf(await flagOutcome(v1, id))).toBe(303);
    expect(db().get(sql`SELECT hidden_at FROM outcomes WHERE id = ${id}`)).toEqual({ hidden_at: null });
    expect(statusOf(await flagOutcome(v2, id))).toBe(303);
    expect(logCount("content.hidden")).toBe(1);

    // Visitors see the notice naming the rule, not the text; the author and voices can read it.
    const visitor = (await initiativePage(initiativeId)).contributions.outcomes.find((o) => o.id === id)!;
    expect(visitor.hidden).toEqual({ rule, times: 1 });
    expect(visitor.bodyHtml).toBe("");
    expect((await initiativePage(initiativeId, participant)).contributions.outcomes.find((o) => o.id === id)!.bodyHtml).toContain("horloges");
    expect((await initiativePage(initiativeId, v3)).contributions.outcomes.find((o) => o.id === id)!.bodyHtml).toContain("horloges");

    // Hidden ones leave the feed and the Atom feed.
    const feed = dataOf<{ newOutcomes: LatestOutcome[] }>(await feedLoader({ request: getRequest("/"), context, params: {} }));
    expect(feed.newOutcomes.length).toBeGreaterThan(0);
    expect(feed.newOutcomes.some((o) => o.id === id)).toBe(false);
    expect((await atom()).xml).not.toContain("horloges");

    // The author's one edit waits, hidden, until a member with a voice who flagged it accepts it (governance.md §4).
    const edited = await settle(() => editOutcomeAction({ request: formRequest(`/outcomes/${id}/edit`, { body: "Ruilen in plaats van kopen: horloges repareren." }, { cookie: participant.cookie }), context, params: { id: String(id) } }));
    expect(statusOf(edited)).toBe(303);
    expect(db().get<{ hidden: number; used: number }>(sql`SELECT hidden_at IS NOT NULL AS hidden, author_edit_used_at IS NOT NULL AS used FROM outcomes WHERE id = ${id}`)).toEqual({ hidden: 1, used: 1 });
    expect(logCount("content.restored")).toBe(0);
    acceptEdit("outcome", id, v1.id);
    expect(db().get(sql`SELECT hidden_at FROM outcomes WHERE id = ${id}`)).toEqual({ hidden_at: null });
    expect(db().get(sql`SELECT count(*) AS n FROM flags WHERE target_type = 'outcome' AND target_id = ${String(id)} AND cleared_at IS NULL`)).toEqual({ n: 0 });
    expect(logCount("content.restored")).toBe(1);
    const after = dataOf<{ newOutcomes: LatestOutcome[] }>(await feedLoader({ request: getRequest("/"), context, params: {} }));
    expect(after.newOutcomes[0].id).toBe(id);
    expect((await atom()).xml).toContain("horloges repareren");

    // Hidden a second time: edits do not bring it back; an adopted proposal does.
    flag({ type: "outcome", id: String(id) }, v1.id, rule, "weer reclame");
    const second = flag({ type: "outcome", id: String(id) }, v3.id, rule, "spam");
    expect(second).toMatchObject({ hidden: true });
    expect(second.proposalId).not.toBeNull();
    await settle(() => editOutcomeAction({ request: formRequest(`/outcomes/${id}/edit`, { body: "Nog eens anders" }, { cookie: participant.cookie }), context, params: { id: String(id) } }));
    expect(db().get<{ hidden: number }>(sql`SELECT hidden_at IS NOT NULL AS hidden FROM outcomes WHERE id = ${id}`).hidden).toBe(1);
    for (const m of [host, v1, v2]) respond(second.proposalId!, m.id, "for", "");
    expect(closeProposal(second.proposalId!, new Date(Date.now() + 8 * day))).toBe(true);
    expect(db().get(sql`SELECT hidden_at FROM outcomes WHERE id = ${id}`)).toEqual({ hidden_at: null });
  });

  it("hides a comment at the threshold and the author's edit returns it once two members with a voice accept", async () => {
    await postComment(stranger, initiativeId, "Kom naar mijn webwinkel");
    const id = newestId("comments");
    const flagComment = (m: Member) =>
      settle(() => flagCommentAction({ request: formRequest(`/comments/${id}/flag`, { rule, reason: "reclame" }, { cookie: m.cookie }), context, params: { id: String(id) } }));
    expect(statusOf(await flagComment(v1))).toBe(303);
    expect(statusOf(await flagComment(v2))).toBe(303);
    const hidden = (await initiativePage(initiativeId)).contributions.comments.find((c) => c.id === id)!;
    expect(hidden.hidden?.rule).toBe(rule);
    expect(hidden.bodyHtml).toBe("");
    expect(statusOf(await settle(() => editCommentAction({ request: formRequest(`/comments/${id}/edit`, { body: "Excuus, verkeerde plek." }, { cookie: stranger.cookie }), context, params: { id: String(id) } })))).toBe(303);
    expect((await initiativePage(initiativeId)).contributions.comments.find((c) => c.id === id)!.hidden).not.toBeNull();
    expect(acceptEdit("comment", id, v3.id)).toEqual({ returned: false });
    expect(acceptEdit("comment", id, host.id)).toEqual({ returned: true });
    const back = (await initiativePage(initiativeId)).contributions.comments.find((c) => c.id === id)!;
    expect(back.hidden).toBeNull();
    expect(back.bodyHtml).toContain("verkeerde plek");
  });
});

// A small XML reader for the Atom checks (no dependency): elements, attributes, text..
type XmlElement = { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string };

function decode(text: string) {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, e: string) =>
    e === "lt" ? "<" : e === "gt" ? ">" : e === "quot" ? '"' : e === "apos" ? "'" : e === "amp" ? "&" : String.fromCodePoint(e[1] === "x" ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );
}

function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack = [root];
  const token = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(xml))) {
    if (match.index !== consumed) throw new Error(`unexpected markup at ${consumed}: ${xml.slice(consumed, consumed + 40)}`);
    consumed = token.lastIndex;
    const [, cdata, close, open, attrText, selfClosing, text] = match;
    const current = stack[stack.length - 1];
    if (cdata !== undefined) current.text += cdata;
    else if (close) {
      if (current.name !== close) throw new Error(`</${close}> closes <${current.name}>`);
      stack.pop();
    } else if (open) {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? "").matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decode(a[2] ?? a[3]);
      const element: XmlElement = { name: open, attrs, children: [], text: "" };
      current.children.push(element);
      if (!selfClosing) stack.push(element);
    } else if (text !== undefined) current.text += decode(text);
  }
  if (consumed !== xml.length || stack.length !== 1) throw new Error("XML not well-formed");
  return root;
}

const childrenNamed = (el: XmlElement, name: string) => el.children.filter((c) => c.name === name);
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isAbsoluteUri = (value: string) => {
  try {
    return /^[a-z][a-z0-9+.-]*:/i.test(value) && !!new URL(value).protocol;
  } catch {
    return false;
  }
};

describe("/feed.xml", () => {
  it("is a valid Atom feed with absolute links from the request origin", async () => {
    const { response, xml } = await atom();
    expect(response.headers.get("Content-Type")).toContain("application/atom+xml");
    const documentRoot = parseXml(xml);
    const feeds = childrenNamed(documentRoot, "feed");
    expect(feeds).toHaveLength(1);
    const feed = feeds[0];
    expect(feed.attrs.xmlns).toBe("http://www.w3.org/2005/Atom");
    for (const required of ["id", "title", "updated"]) expect(childrenNamed(feed, required), required).toHaveLength(1);
    expect(isAbsoluteUri(childrenNamed(feed, "id")[0].text.trim())).toBe(true);
    expect(childrenNamed(feed, "updated")[0].text.trim()).toMatch(rfc3339);
    const alternate = childrenNamed(feed, "link").some((l) => (l.attrs.rel ?? "alternate") === "alternate");
    expect(alternate || childrenNamed(feed, "author").length > 0).toBe(true);

    const entries = childrenNamed(feed, "entry");
    expect(entries.length).toBeGreaterThan(2);
    for (const entry of entries) {
      for (const required of ["id", "title", "updated"]) expect(childrenNamed(entry, required), required).toHaveLength(1);
      const id = childrenNamed(entry, "id")[0].text.trim();
      expect(isAbsoluteUri(id), id).toBe(true);
      expect(childrenNamed(entry, "updated")[0].text.trim()).toMatch(rfc3339);
      const links = childrenNamed(entry, "link");
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) expect(link.attrs.href.startsWith("http://localhost:3000/")).toBe(true);
      // An entry without its own author needs one on the feed (RFC 4287 §4.1.1).
      expect(childrenNamed(entry, "author").length + childrenNamed(feed, "author").length).toBeGreaterThan(0);
    }
    const titles = entries.map((e) => childrenNamed(e, "title")[0].text);
    expect(titles).toContain("Leren samenwerken");
    expect(titles.some((t) => t.startsWith("Opbrengst: "))).toBe(true);
    // Entry ids are unique.
    expect(new Set(entries.map((e) => childrenNamed(e, "id")[0].text)).size).toBe(entries.length);
  });

  it("leaves out hidden initiatives and their outcomes", async () => {
    const past = new Date(ago(2 * day));
    const id = initiativeBy(host.id, { title: "Verborgen initiatief" }, past);
    await postOutcome(host, id, { body: "Opbrengst van iets verborgens" });
    expect((await atom()).xml).toContain("Verborgen initiatief");
    flag({ type: "initiative", id: String(id) }, v1.id, rule, "spam");
    flag({ type: "initiative", id: String(id) }, v2.id, rule, "spam");
    const { xml } = await atom();
    expect(xml).not.toContain("Verborgen initiatief");
    expect(xml).not.toContain("iets verborgens");
    const feed = dataOf<{ newOutcomes: LatestOutcome[] }>(await feedLoader({ request: getRequest("/"), context, params: {} }));
    expect(feed.newOutcomes.some((o) => o.initiativeId === id)).toBe(false);
  });
});
