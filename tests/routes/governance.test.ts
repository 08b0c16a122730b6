import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { flag } from "~/models/flags.server";
import { HostRefusedError, joinAsHost, lapseHosts, stepBack } from "~/models/hosts.server";
import { listInitiatives } from "~/models/initiatives.server";
import { markAttendance, register, setInterest } from "~/models/registrations.server";
import { closeProposal, currentRules, openProposal, ProposalRefusedError, queueProposalReminders, raiseAgain, respond } from "~/models/proposals.server";
import { calendarSessions, upcomingSessions } from "~/models/sessions.server";
import { memberHasVoice, voiceOfMember, voiceSnapshot } from "~/models/voice.server";
import { action as newInitiativeAction } from "~/routes/initiatives.new";
import { action as editInitiativeAction } from "~/routes/initiatives.$id_.edit";
import { loader as initiativeLoader } from "~/routes/initiatives.$id";
import { action as proposalAction, loader as proposalLoader } from "~/routes/proposals.$id";
import { loader as logLoader } from "~/routes/log";
import { loader as logAtom } from "~/routes/log[.xml]";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, hour, initiativeBy, sessionOf } from "../support/fixtures";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
const ago = (ms: number) => Date.now() - ms;
const age = (m: Member, ms: number) => db().run(sql`UPDATE members SET created_at = ${ago(ms)} WHERE id = ${m.id}`);
const logCount = (action: string, subjectId?: string | number) =>
  db().get<{ n: number }>(subjectId === undefined ? sql`SELECT count(*) AS n FROM log_entries WHERE action = ${action}` : sql`SELECT count(*) AS n FROM log_entries WHERE action = ${action} AND subject_id = ${String(subjectId)}`).n;

/** Makes `members` attend a session of `host`'s that took place yesterday. */
function attendYesterday(host: Member, members: Member[]) {
  const past = new Date(ago(2 * day));
  const id = initiativeBy(host.id, { title: "Intervisie" }, past);
  const sessionId = sessionOf(id, host.id, { startsIn: day, now: past });
  for (const m of members) register(sessionId, m.id, past);
  for (const m of members) markAttendance(sessionId, host.id, m.id, true, new Date(ago(day) + hour));
  return sessionId;
}

let a: Member, b: Member, c: Member, d: Member, e: Member, f: Member, g: Member, newbie: Member;

beforeAll(async () => {
  [a, b, c, d, e, f, g, newbie] = await Promise.all(["A", "B", "C", "D", "E", "F", "G", "Newbie"].map((n) => memberWithSession(`Member ${n}`)));
  for (const m of [a, b, c, d, e, f, g]) age(m, 3 * day);
});

describe("§1 voice", () => {
  it("during the bootstrap, accounts older than 24 hours have a voice, newer ones not", () => {
    expect(voiceSnapshot().bootstrapping).toBe(true);
    expect(voiceOfMember(a.id).kind).toBe("bootstrap");
    expect(voiceOfMember(newbie.id)).toMatchObject({ kind: "none", accountTooNew: true });
  });

  it("ends the bootstrap when five members have earned a voice, and logs it once", () => {
    expect(logCount("bootstrap.ended")).toBe(0);
    attendYesterday(a, [b, c, d, e]);
    const snapshot = voiceSnapshot();
    expect(snapshot.earnedCount).toBe(5);
    expect(snapshot.bootstrapping).toBe(false);
    expect(logCount("bootstrap.ended")).toBe(1);
    expect(voiceOfMember(b.id)).toMatchObject({ kind: "attended", title: "Intervisie" });
    expect(voiceOfMember(a.id)).toMatchObject({ kind: "hosted" });
    // G never attended: after the bootstrap, no voice.
    expect(voiceOfMember(g.id).kind).toBe("none");
    attendYesterday(a, [f]);
    expect(logCount("bootstrap.ended")).toBe(1);
  });
});

describe("§2 hosts", () => {
  it("lets participants join as co-host, anyone step back, and lapses hosting after 180 days", () => {
    const id = initiativeBy(a.id, { title: "Buurtmoestuin" });
    expect(() => joinAsHost(id, g.id)).toThrow(HostRefusedError);
    setInterest(id, g.id, true);
    joinAsHost(id, g.id);
    expect(logCount("host.joined", id)).toBe(1);
    stepBack(id, a.id);
    stepBack(id, g.id);
    expect(logCount("host.stepped-back", id)).toBe(2);
    // Looking for a host: anyone with a voice may take it up.
    joinAsHost(id, b.id);
    db().run(sql`UPDATE hosts SET last_action_at = ${ago(181 * day)} WHERE initiative_id = ${id}`);
    expect(lapseHosts()).toBe(1);
    expect(logCount("host.lapsed", id)).toBe(1);
    expect(db().get(sql`SELECT count(*) AS n FROM hosts WHERE initiative_id = ${id}`)).toEqual({ n: 0 });
  });

  it("removes a host only through an adopted initiative proposal of its participants", () => {
    const id = initiativeBy(a.id, { title: "Repaircafé" });
    const sessionId = sessionOf(id, a.id);
    for (const m of [b, c, d]) register(sessionId, m.id);
    joinAsHost(id, b.id);
    expect(() => openProposal({ scope: "initiative", initiativeId: id, kind: "majority", title: "B stopt", body: "", days: 3, effect: { type: "remove-host", initiativeId: id, memberId: b.id } }, g.id)).toThrow(ProposalRefusedError);
    const pid = openProposal({ scope: "initiative", initiativeId: id, kind: "majority", title: "B stopt", body: "", days: 3, effect: { type: "remove-host", initiativeId: id, memberId: b.id } }, c.id);
    for (const m of [a, c, d]) respond(pid, m.id, "for", "");
    expect(closeProposal(pid, new Date(Date.now() + 4 * day))).toBe(true);
    expect(db().get(sql`SELECT count(*) AS n FROM hosts WHERE initiative_id = ${id} AND member_id = ${b.id}`)).toEqual({ n: 0 });
    expect(logCount("host.removed", id)).toBe(1);
  });
});

describe("§3 proposals", () => {
  const rulesText = () => currentRules().text;

  it("network proposals are for members with a voice; objections need a reason; positions change until the deadline", () => {
    expect(() => openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "x", body: "", days: 7, effect: null }, g.id)).toThrow(ProposalRefusedError);
    expect(() => openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "x", body: "", days: 2, effect: null }, a.id)).toThrow(ProposalRefusedError);
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Koffie", body: "", days: 7, effect: null }, a.id);
    expect(() => respond(pid, g.id, "consent", "")).toThrow(ProposalRefusedError);
    expect(() => respond(pid, b.id, "object", "  ")).toThrow(ProposalRefusedError);
    expect(() => respond(pid, b.id, "for", "")).toThrow(ProposalRefusedError);
    respond(pid, b.id, "object", "Te duur");
    respond(pid, b.id, "consent", "");
    const later = new Date(Date.now() + 8 * day);
    expect(() => respond(pid, c.id, "consent", "", later)).toThrow(ProposalRefusedError);
  });

  it("a rules change blocked by one objection passes when raised again under the 2/3 rule", async () => {
    const newText = `${rulesText()}\n8. **Samen opruimen.** Wie een ruimte gebruikt, laat haar netjes achter.`;
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Regel 8", body: "", days: 7, effect: { type: "rules", text: newText } }, a.id);
    for (const m of [a, b, c, d]) respond(pid, m.id, "consent", "");
    respond(pid, e.id, "object", "Dat regelt elke plek zelf");
    const deadline = new Date(Date.now() + 7 * day + 1);
    expect(closeProposal(pid, deadline)).toBe(true);
    const closed = db().get<{ outcome: string }>(sql`SELECT outcome FROM proposals WHERE id = ${pid}`);
    expect(JSON.parse(closed.outcome)).toMatchObject({ adopted: false, reason: "objection" });
    expect(rulesText()).not.toContain("Samen opruimen");

    expect(() => raiseAgain(pid, g.id, 7)).toThrow(ProposalRefusedError);
    const again = raiseAgain(pid, b.id, 7);
    for (const m of [a, b, c, d]) respond(again, m.id, "for", "");
    respond(again, e.id, "against", "Nog steeds");
    expect(closeProposal(again, new Date(Date.now() + 8 * day))).toBe(true);
    expect(rulesText()).toContain("Samen opruimen");
    expect(logCount("rules.changed")).toBe(1);
  });

  it("closes exactly once, however often and however concurrently it is asked", async () => {
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "majority", title: "Eens per maand", body: "", days: 3, effect: null }, a.id);
    for (const m of [a, b, c]) respond(pid, m.id, "for", "");
    db().run(sql`UPDATE proposals SET deadline = ${ago(1000)} WHERE id = ${pid}`);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => proposalLoader({ request: getRequest(`/proposals/${pid}`), context, params: { id: String(pid) } })),
    );
    expect(results.every((r) => dataOf<{ proposal: { closed: boolean } }>(r).proposal.closed)).toBe(true);
    expect(closeProposal(pid)).toBe(false);
    expect(logCount("proposal.closed", pid)).toBe(1);
  });

  it("lets eligible members write the outcome statement after the deadline, through the route", async () => {
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "majority", title: "Zomerstop", body: "", days: 3, effect: null }, a.id);
    const early = await settle(() => proposalAction({ request: formRequest(`/proposals/${pid}`, { intent: "statement", statement: "We stoppen in juli." }, { cookie: b.cookie }), context, params: { id: String(pid) } }));
    expect(statusOf(early)).toBe(409);
    db().run(sql`UPDATE proposals SET deadline = ${ago(1000)} WHERE id = ${pid}`);
    closeProposal(pid);
    const ok = await settle(() => proposalAction({ request: formRequest(`/proposals/${pid}`, { intent: "statement", statement: "We stoppen in juli." }, { cookie: b.cookie }), context, params: { id: String(pid) } }));
    expect(statusOf(ok)).toBe(303);
    const refused = await settle(() => proposalAction({ request: formRequest(`/proposals/${pid}`, { intent: "statement", statement: "Nee" }, { cookie: g.cookie }), context, params: { id: String(pid) } }));
    expect(statusOf(refused)).toBe(403);
    expect(db().get(sql`SELECT statement FROM proposals WHERE id = ${pid}`)).toEqual({ statement: "We stoppen in juli." });
  });

  it("reminds eligible members who have not responded when 24 hours remain, once", () => {
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Herinnering", body: "", days: 3, effect: null }, a.id);
    respond(pid, b.id, "consent", "");
    expect(queueProposalReminders(new Date(Date.now() + day))).toBe(0);
    const almost = new Date(Date.now() + 2 * day + 2 * hour);
    expect(queueProposalReminders(almost)).toBe(1);
    expect(queueProposalReminders(almost)).toBe(0);
    const reminded = db().all<{ member_id: string }>(sql`SELECT member_id FROM outbox WHERE kind = 'proposal-reminder' AND dedupe_key LIKE ${`proposal-reminder:${pid}:%`}`).map((r) => r.member_id);
    expect(reminded).toContain(c.id);
    expect(reminded).not.toContain(b.id);
    expect(reminded).not.toContain(g.id);
  });

  it("refuses a response from someone without a voice with a translated 403", async () => {
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Logo", body: "", days: 3, effect: null }, a.id);
    const result = await settle(() => proposalAction({ request: formRequest(`/proposals/${pid}`, { intent: "respond", position: "consent" }, { cookie: g.cookie }), context, params: { id: String(pid) } }));
    expect(statusOf(result)).toBe(403);
    expect(dataOf<{ error: string }>(result).error).toBe("proposal.noVoice");
  });
});

describe("§4 flags and hiding", () => {
  it("hides at the threshold, lets the author edit once, and opens a proposal on the second hide", async () => {
    age(g, 2 * hour);
    const id = initiativeBy(g.id, { title: "Koop nu goedkope horloges", kind: "activity" });
    sessionOf(id, g.id);
    expect(listInitiatives({ q: "horloges" }).items).toHaveLength(1);
    // Members without a voice cannot flag.
    expect(() => flag({ type: "initiative", id: String(id) }, newbie.id, "7. Respect en privacy", "spam")).toThrow();
    expect(voiceSnapshot().voices.size).toBeLessThan(10);
    expect(flag({ type: "initiative", id: String(id) }, b.id, "7. Respect en privacy", "reclame").hidden).toBe(false);
    expect(flag({ type: "initiative", id: String(id) }, c.id, "7. Respect en privacy", "spam").hidden).toBe(true);
    expect(logCount("content.hidden", id)).toBe(1);
    // Hidden content leaves the feed, search, the agenda and calendars.
    expect(listInitiatives({ q: "horloges" }).items).toHaveLength(0);
    expect(listInitiatives({}).items.some((i) => i.id === id)).toBe(false);
    expect(upcomingSessions({ limit: 100 }).items.some((s) => s.initiativeId === id)).toBe(false);
    expect(calendarSessions({ initiativeId: id })).toHaveLength(0);
    // Visitors see the notice only; members with a voice can read it on click-through.
    const visitor = dataOf<{ initiative: { bodyHtml: string }; hidden: { rule: string } }>(await initiativeLoader({ request: getRequest(`/initiatives/${id}`), context, params: { id: String(id) } }));
    expect(visitor.hidden.rule).toBe("7. Respect en privacy");
    expect(visitor.initiative.bodyHtml).toBe("");
    // The author's one edit brings it back.
    const fields = { title: "Ruilmarkt voor horloges", summary: "Ruilen in plaats van kopen.", kind: "activity", body: "", tags: "", place: "", target: "" };
    expect(statusOf(await settle(() => editInitiativeAction({ request: formRequest(`/initiatives/${id}/edit`, fields, { cookie: g.cookie }), context, params: { id: String(id) } })))).toBe(303);
    expect(listInitiatives({ q: "ruilmarkt" }).items).toHaveLength(1);
    expect(logCount("content.restored", id)).toBe(1);
    // Hidden again: it stays hidden after edits, and the network decides.
    flag({ type: "initiative", id: String(id) }, d.id, "7. Respect en privacy", "nog steeds reclame");
    const second = flag({ type: "initiative", id: String(id) }, e.id, "7. Respect en privacy", "spam");
    expect(second.hidden).toBe(true);
    expect(second.proposalId).not.toBeNull();
    await settle(() => editInitiativeAction({ request: formRequest(`/initiatives/${id}/edit`, { ...fields, title: "Echt anders" }, { cookie: g.cookie }), context, params: { id: String(id) } }));
    expect(listInitiatives({ q: "anders" }).items).toHaveLength(0);
    // Adopted "restore" → back, flags cleared.
    for (const m of [a, b, c]) respond(second.proposalId!, m.id, "for", "");
    closeProposal(second.proposalId!, new Date(Date.now() + 8 * day));
    expect(listInitiatives({ q: "anders" }).items).toHaveLength(1);
    expect(db().get(sql`SELECT count(*) AS n FROM flags WHERE target_id = ${String(id)} AND cleared_at IS NULL`)).toEqual({ n: 0 });
  });

  it("holds a flagged member's posting and opens a proposal", async () => {
    const spammer = await memberWithSession("Spammer");
    age(spammer, 2 * day);
    flag({ type: "member", id: spammer.id }, a.id, "7. Respect en privacy", "spam");
    const held = flag({ type: "member", id: spammer.id }, b.id, "7. Respect en privacy", "spam");
    expect(held).toMatchObject({ held: true });
    expect(held.proposalId).not.toBeNull();
    expect(logCount("posting.held", spammer.id)).toBe(1);
    const refused = await settle(() =>
      newInitiativeAction({ request: formRequest("/initiatives/new", { title: "Nog meer", summary: "x", kind: "activity" }, { cookie: spammer.cookie }), context, params: {} }),
    );
    expect(statusOf(refused)).toBe(403);
    expect(dataOf<{ errors: { form: string } }>(refused).errors.form).toBe("flag.heldPosting");
  });

  it("reaches the threshold exactly once when flags arrive at the same moment", async () => {
    const target = initiativeBy(g.id, { title: "Gelijktijdig gemeld" });
    const results = await Promise.all([b, c, d, e].map(async (m) => flag({ type: "initiative", id: String(target) }, m.id, "7. Respect en privacy", "spam")));
    expect(results.filter((r) => r.hidden)).toHaveLength(3);
    expect(logCount("content.hidden", target)).toBe(1);
    expect(db().get(sql`SELECT times_hidden FROM initiatives WHERE id = ${target}`)).toEqual({ times_hidden: 1 });
  });
});

describe("§5 newcomer limits", () => {
  it("lets a member without a voice post three initiatives a day, then refuses with a message", async () => {
    const fresh = await memberWithSession("Fresh");
    expect(memberHasVoice(fresh.id)).toBe(false);
    const post = (n: number) =>
      settle(() => newInitiativeAction({ request: formRequest("/initiatives/new", { title: `Idee ${n}`, summary: "x", kind: "activity" }, { cookie: fresh.cookie }), context, params: {} }));
    for (let n = 1; n <= 3; n++) expect(statusOf(await post(n))).toBe(303);
    const fourth = await post(4);
    expect(statusOf(fourth)).toBe(429);
    expect(dataOf<{ errors: { form: string } }>(fourth).errors.form).toBe("newcomer.limit");
  });
});

describe("§7 the public log", () => {
  it("is filterable by kind and subject and has an Atom feed", async () => {
    const all = dataOf<{ entries: { action: string }[] }>(await logLoader({ request: getRequest("/log"), context, params: {} }));
    expect(all.entries.length).toBeGreaterThan(10);
    const proposals = dataOf<{ entries: { action: string }[] }>(await logLoader({ request: getRequest("/log?group=proposal"), context, params: {} }));
    expect(proposals.entries.length).toBeGreaterThan(0);
    expect(proposals.entries.every((x) => x.action.startsWith("proposal."))).toBe(true);
    const atom = (await logAtom({ request: getRequest("/log.xml"), context, params: {} })) as Response;
    expect(atom.headers.get("Content-Type")).toContain("application/atom+xml");
    const xml = await atom.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(xml).toContain("<entry>");
    expect(xml).toContain("Spelregels gewijzigd");
  });
});

describe("no role anywhere", () => {
  it("has no admin, owner, moderator or role in the schema or the app's code", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.(ts|tsx|sql)$/.test(name)) files.push(file);
      }
    };
    walk(path.resolve("app"));
    walk(path.resolve("db"));
    const offenders: string[] = [];
    for (const file of files) {
      // The dictionaries may say in words that there is no administrator.
      if (file.includes(`${path.sep}i18n${path.sep}`)) continue;
      const code = readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/(^|[^:])\/\/.*$/gm, "$1")
        .replace(/^\s*--.*$/gm, "")
        // ARIA roles (role="alert") are about the page's structure, not about people.
        .replace(/\brole="[a-z]+"/g, "");
      const match = code.match(/\b\w*(admin|moderator|superuser|owner|roles?)\w*\b/i);
      if (match) offenders.push(`${path.relative(process.cwd(), file)}: ${match[0]}`);
    }
    expect(offenders).toEqual([]);
    const columns = db().all<{ name: string }>(sql`SELECT c.name FROM pragma_table_list() t, pragma_table_info(t.name) c WHERE t.schema = 'main'`).map((c) => c.name);
    expect(columns.length).toBeGreaterThan(30);
    expect(columns.filter((c) => /admin|owner|moderator|role/i.test(c))).toEqual([]);
  });
});
