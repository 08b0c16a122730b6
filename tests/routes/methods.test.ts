// Working methods through their routes: versions and their diff, search and tags, who may add
// and edit, hosts attaching methods to sessions, outcomes naming them, the directory filter, and
// hidden methods leaving every public place.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { ruleHeadings } from "~/lib/diff";
import { flag } from "~/models/flags.server";
import { acceptEdit } from "~/models/hidden-edits.server";
import { currentRules } from "~/models/proposals.server";
import { register } from "~/models/registrations.server";
import type { MethodHistoryPage, MethodPage, SessionMethodsView } from "~/models/methods.types";
import { digestFor, weekOf } from "~/models/digest.server";
import type { ContributionView } from "~/models/contributions.server";
import { exportMemberData } from "~/models/account.server";
import { loader as listLoader } from "~/routes/methods._index";
import { action as newAction, loader as newLoader } from "~/routes/methods.new";
import { loader as methodLoader } from "~/routes/methods.$id";
import { action as editAction, loader as editLoader } from "~/routes/methods.$id_.edit";
import { loader as historyLoader } from "~/routes/methods.$id_.history";
import { action as flagAction } from "~/routes/methods.$id_.flag";
import { action as attachAction } from "~/routes/sessions.$id_.methods";
import { loader as sessionLoader } from "~/routes/sessions.$id";
import { action as outcomeAction, loader as outcomeFormLoader } from "~/routes/initiatives.$id_.outcomes";
import { loader as membersLoader } from "~/routes/members._index";
import { loader as atomLoader } from "~/routes/feed[.xml]";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, initiativeBy, sessionOf } from "../support/fixtures";
import { makeFounder } from "../support/governance";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
type ListData = { items: { id: number; title: string }[]; nextCursor: string | null };
type FormResult = { errors: Record<string, string>; params?: Record<string, unknown> };

const as = (m: Member | null) => (m ? { cookie: m.cookie } : {});
const fields = (extra: Record<string, string> = {}) => ({
  title: "Check-in ronde",
  purpose: "Iedereen komt binnen en wordt gehoord.",
  groupSize: "4 tot 20",
  duration: "15 minuten",
  materials: "Een praatsteen",
  steps: "1. Zit in een kring.\n2. Ieder zegt hoe hij binnenkomt.\n3. Niemand reageert.",
  variations: "",
  learned: "",
  tags: "Start, Kring",
  ...extra,
});
const create = (m: Member | null, extra: Record<string, string> = {}) => settle(() => newAction({ request: formRequest("/methods/new", fields(extra), as(m)), context, params: {} }));
const createdId = async (m: Member, extra: Record<string, string> = {}) => {
  const res = await create(m, extra);
  expect(statusOf(res), JSON.stringify(dataOf(res))).toBe(303);
  return Number(/\/methods\/(\d+)$/.exec((res as Response).headers.get("Location")!)![1]);
};
const edit = (m: Member | null, id: number, extra: Record<string, string> = {}) =>
  settle(() => editAction({ request: formRequest(`/methods/${id}/edit`, fields(extra), as(m)), context, params: { id: String(id) } }));
const page = async (id: number, m: Member | null = null) => dataOf<MethodPage>(await methodLoader({ request: getRequest(`/methods/${id}`, as(m)), context, params: { id: String(id) } }));
const history = async (id: number, m: Member | null = null) => dataOf<MethodHistoryPage>(await historyLoader({ request: getRequest(`/methods/${id}/history`, as(m)), context, params: { id: String(id) } }));
const list = async (query = "", m: Member | null = null) => dataOf<ListData>(await listLoader({ request: getRequest(`/methods${query}`, as(m)), context, params: {} }));
const attach = (m: Member | null, sessionId: number, form: Record<string, string>) =>
  settle(() => attachAction({ request: formRequest(`/sessions/${sessionId}/methods`, form, as(m)), context, params: { id: String(sessionId) } }));
const sessionPage = async (sessionId: number, m: Member | null = null) =>
  dataOf<{ methods: SessionMethodsView; contributions: { outcomes: ContributionView[] } }>(await sessionLoader({ request: getRequest(`/sessions/${sessionId}`, as(m)), context, params: { id: String(sessionId) } }));
const directory = async (query: string, m: Member | null = null) =>
  dataOf<{ people: { id: string }[] }>(await membersLoader({ request: getRequest(`/members${query}`, as(m)), context, params: {} })).people.map((p) => p.id);
const versions = (id: number) => db().all<{ version: number }>(sql`SELECT version FROM method_versions WHERE method_id = ${id} ORDER BY version`).map((r) => r.version);
const atom = async () => ((await atomLoader({ request: getRequest("/feed.xml"), context, params: {} })) as Response).text();

let voice: Member, voice2: Member, voice3: Member, fresh: Member, held: Member, host: Member, otherHost: Member, attendee: Member;
let initiativeId: number, sessionId: number, otherSession: number;
let rule: string;

beforeAll(async () => {
  [voice, voice2, voice3, fresh, held, host, otherHost, attendee] = await Promise.all(
    ["Voice", "Voice Twee", "Voice Drie", "Fresh", "Held", "Host", "Other Host", "Attendee"].map((n) => memberWithSession(n)),
  );
  // Founders have a voice while the network bootstraps and are witnesses (governance.md §1).
  for (const m of [voice, voice2, voice3, host, otherHost]) makeFounder(m.id, 3 * day);
  makeFounder(held.id, 3 * day);
  db().run(sql`UPDATE members SET posting_held_at = ${Date.now()}, posting_held_rule = '7. Respect en privacy.' WHERE id = ${held.id}`);
  rule = ruleHeadings(currentRules().text)[0];
  const past = new Date(Date.now() - 3 * day);
  initiativeId = initiativeBy(host.id, { title: "Buurtcirkel" }, past);
  sessionId = sessionOf(initiativeId, host.id, { startsIn: day, now: past });
  register(sessionId, attendee.id, past);
  db().run(sql`UPDATE registrations SET attended_at = ${Date.now() - 2 * day} WHERE session_id = ${sessionId} AND member_id = ${attendee.id}`);
  otherSession = sessionOf(initiativeBy(otherHost.id, { title: "Andere kring" }), otherHost.id, { startsIn: 2 * day });
});

describe("adding a method", () => {
  it("writes version 1 with its author and shows every field, markdown rendered", async () => {
    const id = await createdId(fresh, { title: "Eerste werkvorm", variations: "Met **twee** kringen.", learned: "<script>alert(1)</script>Werkt." });
    expect(versions(id)).toEqual([1]);
    const shown = await page(id);
    expect(shown.method).toMatchObject({ title: "Eerste werkvorm", groupSize: "4 tot 20", duration: "15 minuten", materials: "Een praatsteen", tagList: ["start", "kring"], versions: 1 });
    expect(shown.method!.stepsHtml).toContain("<ol>");
    expect(shown.method!.variationsHtml).toContain("<strong>twee</strong>");
    expect(shown.method!.learnedHtml).not.toContain("<script");
    expect(shown.can.edit).toBe(false);
    const h = await history(id);
    expect(h.versions).toHaveLength(1);
    expect(h.versions[0]).toMatchObject({ version: 1, first: true, author: { displayName: "Fresh" } });
    // A member's own data (download as JSON) holds the versions they wrote.
    expect(exportMemberData(fresh.id)!.methodVersions).toMatchObject([{ methodId: id, version: 1, title: "Eerste werkvorm" }]);
  });

  it("answers a double submission with the first method", async () => {
    const a = await createdId(voice, { title: "Dubbelklik" });
    const b = await createdId(voice, { title: "Dubbelklik" });
    expect(b).toBe(a);
  });

  it("sends visitors to log in, refuses a held member, and limits members without a voice", async () => {
    const visitorGet = await settle(() => newLoader({ request: getRequest("/methods/new"), context, params: {} }));
    expect(statusOf(visitorGet)).toBe(302);
    expect(statusOf(await create(null))).toBe(302);
    const heldPost = await create(held, { title: "Van een vastgezet lid" });
    expect(statusOf(heldPost)).toBe(403);
    expect(dataOf<FormResult>(heldPost).errors.form).toBe("flag.heldPosting");
    const newcomer = await memberWithSession("Newcomer");
    for (let i = 0; i < 3; i++) await createdId(newcomer, { title: `Nieuwkomer ${i}` });
    const fourth = await create(newcomer, { title: "Nieuwkomer 4" });
    expect(statusOf(fourth)).toBe(429);
    expect(dataOf<FormResult>(fourth).errors.form).toBe("method.newcomerLimit");
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM methods WHERE created_by = ${newcomer.id}`).n).toBe(3);
  });

  it("takes every field at its maximum and refuses one character more", async () => {
    const max = { title: "T".repeat(120), purpose: "p".repeat(200), groupSize: "g".repeat(200), duration: "d".repeat(200), materials: "m".repeat(200), steps: "s".repeat(20_000), variations: "v".repeat(20_000), learned: "l".repeat(20_000), tags: Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(40, "x")).join(",") };
    const id = await createdId(voice, max);
    expect(db().get<{ steps: string }>(sql`SELECT steps FROM method_versions WHERE method_id = ${id}`).steps).toHaveLength(20_000);
    const over: [string, string, string][] = [
      ["title", "T".repeat(121), "method.title.tooLong"],
      ["purpose", "p".repeat(201), "method.short.tooLong"],
      ["groupSize", "g".repeat(201), "method.short.tooLong"],
      ["duration", "d".repeat(201), "method.short.tooLong"],
      ["materials", "m".repeat(201), "method.short.tooLong"],
      ["steps", "s".repeat(20_001), "method.markdown.tooLong"],
      ["variations", "v".repeat(20_001), "method.markdown.tooLong"],
      ["learned", "l".repeat(20_001), "method.markdown.tooLong"],
      ["tags", Array.from({ length: 11 }, (_, i) => `t${i}`).join(","), "method.tags.tooMany"],
      ["tags", "x".repeat(41), "method.tags.tooLong"],
      ["title", "   ", "method.title.required"],
      ["steps", "", "method.steps.required"],
    ];
    const before = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM method_versions`).n;
    for (const [name, value, key] of over) {
      const res = await create(voice, { title: `Te lang ${name}`, [name]: value });
      expect(statusOf(res), name).toBe(400);
      expect(dataOf<FormResult>(res).errors[name], name).toBe(key);
    }
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM method_versions`).n).toBe(before);
  });
});

describe("editing and the version history", () => {
  it("keeps every version with its author and a per-field diff; saving without a change writes none", async () => {
    const id = await createdId(fresh, { title: "Fishbowl" });
    expect(statusOf(await edit(voice, id, { title: "Fishbowl" }))).toBe(303);
    expect(versions(id)).toEqual([1]);
    const changed = await edit(voice, id, { title: "Fishbowl", steps: "1. Zit in een kring.\n2. Vier stoelen in het midden.\n3. Niemand reageert.", tags: "start, kring, gesprek" });
    expect(statusOf(changed)).toBe(303);
    expect((changed as Response).headers.get("Location")).toBe(`/methods/${id}?done=saved`);
    expect(versions(id)).toEqual([1, 2]);
    const h = await history(id);
    expect(h.versions.map((v) => [v.version, v.author?.displayName])).toEqual([[2, "Voice"], [1, "Fresh"]]);
    expect(h.versions[0].changes.map((c) => c.name)).toEqual(["steps", "tags"]);
    const steps = h.versions[0].changes[0].diff;
    expect(steps).toContainEqual({ kind: "removed", text: "2. Ieder zegt hoe hij binnenkomt." });
    expect(steps).toContainEqual({ kind: "added", text: "2. Vier stoelen in het midden." });
    expect(steps).toContainEqual({ kind: "same", text: "1. Zit in een kring." });
    expect(h.versions[0].changes[1].diff).toEqual([{ kind: "removed", text: "start, kring" }, { kind: "added", text: "start, kring, gesprek" }]);
    expect((await page(id)).method!.versions).toBe(2);
    expect((await list("?tag=gesprek")).items.map((m) => m.id)).toContain(id);
  });

  it("refuses a member without a voice (403), a held member, and visitors", async () => {
    const id = await createdId(voice, { title: "Niet voor iedereen" });
    const noVoice = await settle(() => editLoader({ request: getRequest(`/methods/${id}/edit`, as(fresh)), context, params: { id: String(id) } }));
    expect(statusOf(noVoice)).toBe(403);
    expect(statusOf(await edit(fresh, id, { title: "Gekaapt" }))).toBe(403);
    expect(statusOf(await edit(held, id, { title: "Gekaapt" }))).toBe(403);
    expect(statusOf(await edit(null, id, { title: "Gekaapt" }))).toBe(302);
    expect(statusOf(await edit(voice, 99_999_999, { title: "Niets" }))).toBe(404);
    expect(versions(id)).toEqual([1]);
    expect((await page(id, voice2)).can.edit).toBe(true);
    expect((await page(id, held)).can.edit).toBe(false);
  });

  it("gives concurrent edits consecutive version numbers, without gaps or duplicates", async () => {
    const id = await createdId(voice, { title: "Gelijktijdig" });
    const editors = [voice, voice2, voice3, host, otherHost];
    const results = await Promise.all(editors.flatMap((m, i) => [0, 1].map((j) => edit(m, id, { title: "Gelijktijdig", purpose: `Versie van ${i}-${j}` }))));
    expect(results.map(statusOf)).toEqual(results.map(() => 303));
    expect(versions(id)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  });
});

describe("the list, search and tags", () => {
  it("finds methods with and without accents, by tag, newest changed first, page by page", async () => {
    const cafe = await createdId(voice, { title: "Café-gesprek", purpose: "Een gesprek als in een café.", tags: "Ontmoeting" });
    const walk = await createdId(voice, { title: "Wandelend gesprek", purpose: "Twee aan twee lopen en praten.", tags: "ontmoeting, buiten" });
    expect((await list("?q=cafe")).items.map((m) => m.id)).toContain(cafe);
    expect((await list("?q=caf%C3%A9")).items.map((m) => m.id)).toContain(cafe);
    expect((await list("?q=CAFE%20gesprek")).items.map((m) => m.id)).toEqual([cafe]);
    expect((await list("?q=%22%29%28*")).items).toEqual([]);
    expect((await list("?tag=ontmoeting")).items.map((m) => m.id)).toEqual([walk, cafe]);
    expect((await list("?tag=buiten&q=cafe")).items).toEqual([]);
    // An edit moves a method to the top.
    expect(statusOf(await edit(voice2, cafe, { title: "Café-gesprek", purpose: "Een gesprek zoals in een café.", tags: "Ontmoeting" }))).toBe(303);
    expect((await list("?tag=ontmoeting")).items.map((m) => m.id)).toEqual([cafe, walk]);
    for (let i = 0; i < 12; i++) await createdId(voice2, { title: `Werkvorm nummer ${i}` });
    const all: number[] = [];
    let query = "";
    for (;;) {
      const onePage = await list(query);
      all.push(...onePage.items.map((m) => m.id));
      if (!onePage.nextCursor) break;
      query = `?after=${onePage.nextCursor}`;
    }
    const total = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM methods WHERE hidden_at IS NULL`).n;
    expect(total).toBeGreaterThan(20);
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
  });
});

describe("methods at sessions and in outcomes", () => {
  let methodId: number;
  beforeAll(async () => {
    methodId = await createdId(voice, { title: "1-2-4-allen", purpose: "Van ieders idee naar een gezamenlijk beeld." });
  });

  it("lets the session's hosts attach a method by name, and shows it to anyone", async () => {
    expect((await sessionPage(sessionId, host)).methods.choices).toContain("1-2-4-allen");
    expect((await sessionPage(sessionId, attendee)).methods.choices).toBeNull();
    const res = await attach(host, sessionId, { intent: "add", name: "1-2-4-ALLEN" });
    expect(statusOf(res)).toBe(303);
    expect((res as Response).headers.get("Location")).toBe(`/sessions/${sessionId}#methods-heading`);
    expect(statusOf(await attach(host, sessionId, { intent: "add", name: "1-2-4-allen" }))).toBe(303);
    expect((await sessionPage(sessionId)).methods.used).toEqual([{ id: methodId, title: "1-2-4-allen", hidden: false }]);
  });

  it("answers a name it does not know with a translated 400, and refuses everyone but the hosts", async () => {
    const unknown = await attach(host, sessionId, { intent: "add", name: "Bestaat niet" });
    expect(statusOf(unknown)).toBe(400);
    expect(dataOf<{ message: string; params: { name: string } }>(unknown)).toMatchObject({ message: "method.attach.notFound", params: { name: "Bestaat niet" } });
    const other = await attach(otherHost, sessionId, { intent: "add", name: "Check-in ronde" });
    expect(statusOf(other)).toBe(403);
    expect(dataOf<{ message: string }>(other).message).toBe("method.session.notHost");
    expect(statusOf(await attach(attendee, sessionId, { intent: "remove", methodId: String(methodId) }))).toBe(403);
    expect(statusOf(await attach(null, sessionId, { intent: "add", name: "Check-in ronde" }))).toBe(302);
    expect(statusOf(await attach(host, 99_999_999, { intent: "add", name: "Check-in ronde" }))).toBe(404);
    expect(statusOf(await attach(host, sessionId, { intent: "steal" }))).toBe(400);
    // A held host has no host power (governance.md §4).
    const heldHost = await memberWithSession("Held Host");
    makeFounder(heldHost.id, 3 * day);
    db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${initiativeId}, ${heldHost.id}, ${Date.now()}, ${Date.now()})`);
    db().run(sql`UPDATE members SET posting_held_at = ${Date.now()} WHERE id = ${heldHost.id}`);
    expect(statusOf(await attach(heldHost, sessionId, { intent: "add", name: "Check-in ronde" }))).toBe(403);
    expect((await sessionPage(sessionId, heldHost)).methods.choices).toBeNull();
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM session_methods WHERE session_id = ${sessionId}`).n).toBe(1);
    db().run(sql`DELETE FROM hosts WHERE member_id = ${heldHost.id}`);
  });

  it("lets an outcome name a method its sessions used, and lists both on the method page, newest first", async () => {
    const form = dataOf<{ methods: { id: number }[] }>(await outcomeFormLoader({ request: getRequest(`/initiatives/${initiativeId}/outcomes`, as(attendee)), context, params: { id: String(initiativeId) } }));
    expect(form.methods.map((m) => m.id)).toEqual([methodId]);
    const notUsed = await createdId(voice, { title: "Niet gebruikt hier" });
    const refusedOutcome = await settle(() =>
      outcomeAction({ request: formRequest(`/initiatives/${initiativeId}/outcomes`, { body: "Met een vreemde werkvorm.", sessionId: String(sessionId), methodId: [String(methodId), String(notUsed)] }, as(attendee)), context, params: { id: String(initiativeId) } }),
    );
    expect(statusOf(refusedOutcome)).toBe(400);
    expect(dataOf<FormResult>(refusedOutcome).errors.methodId).toBe("method.outcome.notUsed");
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM outcomes WHERE body = 'Met een vreemde werkvorm.'`).n).toBe(0);
    const posted = await settle(() =>
      outcomeAction({ request: formRequest(`/initiatives/${initiativeId}/outcomes`, { body: "Iedereen kwam aan het woord.", sessionId: String(sessionId), methodId: String(methodId) }, as(attendee)), context, params: { id: String(initiativeId) } }),
    );
    expect(statusOf(posted)).toBe(303);
    const outcome = (await sessionPage(sessionId)).contributions.outcomes.find((o) => o.bodyHtml.includes("Iedereen kwam"))!;
    expect(outcome.methods).toEqual([{ id: methodId, title: "1-2-4-allen" }]);
    // A second session, later, that used it too: it comes first.
    const later = sessionOf(initiativeId, host.id, { startsIn: 3 * day });
    expect(statusOf(await attach(host, later, { intent: "add", name: "1-2-4-allen" }))).toBe(303);
    const uses = (await page(methodId)).uses;
    expect(uses.sessions.map((s) => s.id)).toEqual([later, sessionId]);
    expect(uses.outcomes.map((o) => o.id)).toEqual([outcome.id]);
    expect(uses.sessions[0].initiativeTitle).toBe("Buurtcirkel");
    // Removing it from a session takes it off that session only.
    expect(statusOf(await attach(host, later, { intent: "remove", methodId: String(methodId) }))).toBe(303);
    expect((await page(methodId)).uses.sessions.map((s) => s.id)).toEqual([sessionId]);
  });

  it("lists the people who used it in the directory: attendees and hosts, as each profile allows", async () => {
    const people = await directory(`?method=${methodId}`, voice);
    expect(people.sort()).toEqual([attendee.id, host.id].sort());
    // A visitor sees public profiles only.
    db().run(sql`UPDATE members SET profile_visibility = 'members' WHERE id = ${attendee.id}`);
    expect(await directory(`?method=${methodId}`)).toEqual([host.id]);
    expect(await directory("?method=99999999", voice)).toEqual([]);
  });

  it("puts new and improved methods in the digest and the Atom feed", async () => {
    const digest = digestFor(weekOf(new Date()), { forMembers: true });
    expect(digest.methods.map((m) => m.title)).toContain("1-2-4-allen");
    expect(digest.methods.find((m) => m.title === "Fishbowl")).toMatchObject({ isNew: true });
    const xml = await atom();
    expect(xml).toContain(`<link href="http://localhost:3000/methods/${methodId}"/>`);
    expect(xml).toContain("Nieuwe werkvorm: 1-2-4-allen");
    expect(xml).toMatch(/Werkvorm bijgewerkt \(versie 2\): Fishbowl/);
  });
});

describe("flags and hiding", () => {
  it("hides a method at the threshold and leaves it out of every public place; the author's one edit comes back when a flagger accepts it", async () => {
    const author = await memberWithSession("Schrijver");
    const id = await createdId(author, { title: "Verborgen werkvorm", purpose: "Komt in alle lijsten.", tags: "verstopt" });
    expect(statusOf(await attach(host, sessionId, { intent: "add", name: "Verborgen werkvorm" }))).toBe(303);
    const named = await settle(() =>
      outcomeAction({ request: formRequest(`/initiatives/${initiativeId}/outcomes`, { body: "Met de werkvorm die verborgen wordt.", sessionId: String(sessionId), methodId: String(id) }, as(attendee)), context, params: { id: String(initiativeId) } }),
    );
    expect(statusOf(named)).toBe(303);
    const namedOutcome = () => sessionPage(sessionId).then((p) => p.contributions.outcomes.find((o) => o.bodyHtml.includes("die verborgen wordt"))!);
    expect((await namedOutcome()).methods?.map((m) => m.id)).toEqual([id]);
    expect((await page(id, voice)).can.flag).toBe(true);
    expect((await page(id, fresh)).can.flag).toBe(false);
    const refusedFlag = await settle(() => flagAction({ request: formRequest(`/methods/${id}/flag`, { rule, reason: "Reclame." }, as(fresh)), context, params: { id: String(id) } }));
    expect(statusOf(refusedFlag)).toBe(403);
    for (const m of [voice, voice2, voice3]) {
      const res = await settle(() => flagAction({ request: formRequest(`/methods/${id}/flag`, { rule, reason: "Reclame." }, as(m)), context, params: { id: String(id) } }));
      expect(statusOf(res)).toBe(303);
    }
    expect(db().get<{ hidden: number }>(sql`SELECT hidden_at IS NOT NULL AS hidden FROM methods WHERE id = ${id}`).hidden).toBe(1);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM log_entries WHERE action = 'content.hidden' AND subject_type = 'method' AND subject_id = ${String(id)}`).n).toBe(1);

    expect((await list()).items.map((m) => m.id)).not.toContain(id);
    expect((await list("?q=verborgen")).items).toEqual([]);
    expect((await list("?tag=verstopt")).items).toEqual([]);
    expect(await atom()).not.toContain("Verborgen werkvorm");
    expect(JSON.stringify(digestFor(weekOf(new Date()), { forMembers: true }))).not.toContain("Verborgen werkvorm");
    expect((await sessionPage(sessionId)).methods.used.map((m) => m.id)).not.toContain(id);
    expect((await namedOutcome()).methods).toEqual([]);
    expect(JSON.stringify(await sessionPage(sessionId))).not.toContain("Verborgen werkvorm");
    expect((await sessionPage(sessionId, host)).methods.choices).not.toContain("Verborgen werkvorm");
    expect(await directory(`?method=${id}`, voice)).toEqual([]);
    const forVisitor = await page(id);
    expect(forVisitor.method).toBeNull();
    expect(JSON.stringify(forVisitor)).not.toContain("Verborgen werkvorm");
    const historyForVisitor = await history(id, fresh);
    expect(historyForVisitor.versions).toEqual([]);
    expect(JSON.stringify(historyForVisitor)).not.toContain("Verborgen");
    // Readable on click-through for its author and members with a voice.
    expect((await page(id, voice)).method?.title).toBe("Verborgen werkvorm");
    expect((await sessionPage(sessionId, voice)).methods.used).toContainEqual({ id, title: "Verborgen werkvorm", hidden: true });
    const authorView = await page(id, author);
    expect(authorView.hidden).toMatchObject({ authorEdit: true });
    expect(authorView.can.edit).toBe(true);
    // Another member without a voice still cannot edit; attaching it by name finds nothing.
    expect(statusOf(await edit(fresh, id, { title: "Verborgen werkvorm" }))).toBe(403);
    // Nor can members with a voice while it is hidden: it changes by its author's one edit only.
    expect((await page(id, voice)).can.edit).toBe(false);
    expect(statusOf(await edit(voice, id, { title: "Verborgen werkvorm", purpose: "Door een ander." }))).toBe(403);
    expect(statusOf(await attach(host, sessionId, { intent: "add", name: "Verborgen werkvorm" }))).toBe(400);

    // The author's one edit, without a voice, waits for acceptance; a member with a voice who
    // flagged it accepts, and it is back (governance.md §4).
    expect(statusOf(await edit(author, id, { title: "Verborgen werkvorm", purpose: "Nu zonder reclame.", tags: "verstopt" }))).toBe(303);
    expect(db().get<{ hidden: number }>(sql`SELECT hidden_at IS NOT NULL AS hidden FROM methods WHERE id = ${id}`).hidden).toBe(1);
    expect((await page(id, voice)).hidden?.waiting).toMatchObject({ canAccept: true, acceptances: 0 });
    // The edit is used: the text waiting for acceptance stays the one members read.
    expect(statusOf(await edit(author, id, { title: "Verborgen werkvorm", purpose: "Toch weer reclame." }))).toBe(409);
    expect(acceptEdit("method", id, voice.id)).toEqual({ returned: true });
    expect(db().get<{ hidden: number }>(sql`SELECT hidden_at IS NOT NULL AS hidden FROM methods WHERE id = ${id}`).hidden).toBe(0);
    expect((await list("?tag=verstopt")).items.map((m) => m.id)).toEqual([id]);
    expect(statusOf(await edit(author, id, { title: "Verborgen werkvorm", purpose: "Nog een keer." }))).toBe(403);

    // Hidden a second time: it stays hidden and the network decides (a majority proposal).
    for (const m of [voice, voice2, voice3]) flag({ type: "method", id: String(id) }, m.id, rule, "Weer reclame.");
    const proposal = db().get<{ kind: string; effect: string } | undefined>(sql`SELECT kind, effect FROM proposals WHERE json_extract(effect, '$.targetType') = 'method' AND json_extract(effect, '$.targetId') = ${String(id)}`);
    expect(proposal?.kind).toBe("majority");
    expect(JSON.parse(proposal!.effect)).toEqual({ type: "restore-content", targetType: "method", targetId: String(id) });
    expect((await page(id, author)).can.edit).toBe(false);
  });
});
