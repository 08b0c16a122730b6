// Governance by participation, version 2 (docs/governance.md, decision 018), in a real browser as
// one story on one fresh server, everyone on a phone (360 px), some with JavaScript and some
// without. The network's first account is a founder and invites two more founders by mail (the
// link read from the server's outbox); a course stands on the agenda three days ahead, where the
// founders check in with the code as witnesses and newcomers of a week or more check in; a
// newcomer's profile shows the voice that starts a week later, and a week later the earned voice;
// a member asks to co-host and the host accepts; a spam initiative is flagged by witnesses naming
// a house rule, hidden, edited once by its author and back; a network proposal is adopted; and
// the new pages pass axe. Members who do not sign up in the browser are written straight into the
// server's database with a login cookie, and time is moved by rewriting every timestamp there.
import type Database from "better-sqlite3";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDate, toLocalDateTimeInput } from "~/lib/time";
import { expectNoSeriousAxeViolations, launchBrowser } from "../support/browser";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { invitationPath, logLines, Member, memberIdOf, passTime } from "../support/e2e-governance";
import { startServer, type RunningServer } from "../support/server";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const zone = "Europe/Amsterdam";
const date = (at: number) => formatDate(at, "nl", zone);

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;

const password = "een lang genoeg wachtwoord";
const founderMails = { A: "anna.aalbers@example.org", B: "bram.bakker@example.org", C: "cato.claassen@example.org" };
const courseTitle = "Samen koken in de wijk";
const spamTitle = "Goedkope zonnebrillen bestellen";
const spamWord = "zonnebrillen";
const spamRule = "7. Respect en privacy.";
const proposalTitle = "Een vaste kookavond per maand";

// The founders (A signs up first; A invites B with JavaScript and C without), newcomers N and O
// (accounts five days old), Y (a brand-new account), S who posts spam, and a visitor.
let A: Member; // Anna, with JavaScript
let Anojs: Member; // Anna again, in a browser without JavaScript
let B: Member; // Bram, with JavaScript
let C: Member; // Cato, without JavaScript
let N: Member; // Noor, with JavaScript
let O: Member; // Olaf, without JavaScript
let Y: Member; // Yara, without JavaScript
let S: Member; // Sjaak, with JavaScript
let visitor: Member;

beforeAll(async () => {
  // The scheduler writes voices that started to the log; let it run often.
  [server, browser] = await Promise.all([startServer({ SCHEDULER_INTERVAL_MS: "300" }), launchBrowser()]);
  sqlite = openServerDatabase(server.databasePath);
  visitor = await Member.open(browser, server.url, { id: "", name: "bezoeker", cookie: null });
});

afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
});

/** Signs up through the form on the page the person is on (reached from `/signup` or an invitation). */
async function signUp(person: Member, email: string, landsOn: RegExp) {
  await person.page.getByLabel("Je naam").fill(person.name);
  await person.page.getByLabel("E-mailadres").fill(email);
  await person.page.getByLabel("Wachtwoord").fill(password);
  const before = person.documentLoads;
  await person.page.getByRole("button", { name: "Account maken" }).click();
  // A new account sees the start page first; "Verder" goes on to where the person came from.
  await person.page.waitForURL(/\/welcome(\?|$)/);
  await person.page.getByRole("link", { name: "Verder" }).click();
  await person.page.waitForURL(landsOn);
  // On a phone the account's controls are in the header's menu.
  await person.page.getByRole("banner").getByRole("button", { name: "Uitloggen", includeHidden: true }).first().waitFor({ state: "attached" });
  if (person.javaScript) expect(person.documentLoads, "Remix sent the sign-up without a page load").toBe(before);
  else expect(person.documentLoads).toBeGreaterThan(before);
  person.id = memberIdOf(sqlite, email);
}

/** Members written straight into the database, `ageMs` old, each at a browser of their own. */
async function membersInDatabase(list: { name: string; javaScript: boolean; ageMs: number }[]) {
  const rows = insertMembers(sqlite, list.length, "gov");
  const setMember = sqlite.prepare("UPDATE members SET display_name = ?, created_at = ? WHERE id = ?");
  return Promise.all(
    list.map(({ name, javaScript, ageMs }, i) => {
      setMember.run(name, Date.now() - ageMs, rows[i].id);
      return Member.open(browser, server.url, { id: rows[i].id, name, cookie: rows[i].cookie }, { javaScript });
    }),
  );
}

/** Flags the initiative on its page, choosing a house rule from the list and saying why. */
async function flag(person: Member, initiativeId: number, reason: string, done: Locator) {
  await person.visit(`/initiatives/${initiativeId}`);
  await person.page.getByText("Melden: dit initiatief breekt een spelregel").click();
  await person.page.getByLabel("Welke spelregel?").selectOption({ label: spamRule });
  await person.page.getByLabel("Waarom?").fill(reason);
  await person.send(person.page.getByRole("button", { name: "Melding versturen" }), done);
}

/** Takes a position on a proposal; the list of positions then names the person. */
async function respond(person: Member, proposalId: number, position: RegExp) {
  await person.visit(`/proposals/${proposalId}`);
  await person.page.getByRole("radio", { name: position }).check();
  await person.send(person.page.getByRole("button", { name: "Reactie geven" }), person.page.getByRole("button", { name: "Reactie wijzigen" }));
  expect(await person.page.locator("section[aria-labelledby=positions-heading]").textContent()).toContain(person.name);
}

/** When the session started (after time was moved, read from the database). */
const startOf = (sessionId: number) => (sqlite.prepare("SELECT starts_at FROM sessions WHERE id = ?").pluck().get(sessionId) as number);

describe("governance by participation (version 2)", () => {
  let initiativeId = 0;
  let quickSession = 0; // put on the agenda twenty minutes ahead: it gives nobody a voice
  let meeting = 0; // put on the agenda three days ahead: it counts
  let spamId = 0;
  let proposalId = 0;

  it("the first account of a fresh network is a founder; its voice counts once it is a day old", async () => {
    const first = await Member.open(browser, server.url, { id: "", name: "Anna Aalbers", cookie: null });
    await first.visit("/signup");
    await signUp(first, founderMails.A, new RegExp(`^${server.url}/$`));
    A = first;
    expect(sqlite.prepare("SELECT founder_at IS NOT NULL FROM members WHERE id = ?").pluck().get(A.id)).toBe(1);

    // Everyone else joins after her, without an invitation.
    [N, O, Y, S] = await membersInDatabase([
      { name: "Noor Nijland", javaScript: true, ageMs: 5 * day },
      { name: "Olaf Oosterhuis", javaScript: false, ageMs: 5 * day },
      { name: "Yara Yilmaz", javaScript: false, ageMs: 0 },
      { name: "Sjaak Spamhuis", javaScript: true, ageMs: 2 * day },
    ]);

    // A founder, but an account of minutes: no voice yet, so no invitations either.
    const ofA = await visitor.voiceOf(A);
    expect(ofA).toContain("Oprichter van dit netwerk.");
    expect(ofA).not.toContain("Heeft een stem");
    await A.visit("/founders");
    expect(await A.mainText()).toContain("Je bent oprichter van dit netwerk. Zodra je account een dag oud is, krijg je een stem en kun je hier mede-oprichters uitnodigen: vanaf");
    expect(await A.page.getByLabel("E-mailadres van wie je uitnodigt").count()).toBe(0);

    passTime(sqlite, 25 * hour);
    expect(await visitor.voiceOf(A)).toContain("Heeft een stem als oprichter, zolang het netwerk opstart.");
    // Under version 1 a two-day-old account had a voice while the network started; no longer.
    const ofS = await visitor.voiceOf(S);
    expect(ofS).toContain("Heeft nog geen stem: een bijeenkomst telt mee als het account minstens een week oud is.");
    expect(ofS).not.toContain("Oprichter");
    await visitor.visit("/how-it-works");
    expect(await visitor.page.locator("main .notice").textContent()).toBe(
      "Nu: het netwerk start op. 0 mensen hebben een stem verdiend, van de 5 mensen die nodig zijn; tot die tijd heeft 1 deelnemer een stem.",
    );
  });

  it("the founder invites two founders by mail, with and without JavaScript; each link works once", async () => {
    await A.visit(`/members/${A.id}`);
    await A.follow(A.page.locator("section[aria-labelledby=voice-heading]").getByRole("link", { name: "Oprichters uitnodigen" }), /\/founders$/);
    expect(await A.mainText()).toContain("Nog 14 plaatsen voor oprichters.");
    await expectNoSeriousAxeViolations(A.page);
    await A.page.getByLabel("E-mailadres van wie je uitnodigt").fill(founderMails.B);
    await A.send(A.page.getByRole("button", { name: "Uitnodiging versturen" }), A.page.getByText("De uitnodiging is verstuurd. De link werkt 14 dagen."));
    // One place fewer: the open invitation holds it.
    await A.page.getByText("Nog 13 plaatsen voor oprichters.").waitFor();
    await expectNoSeriousAxeViolations(A.page);

    // Anna again, logged in the same, in a browser without JavaScript.
    const login = (await A.context.cookies()).find((c) => c.name === "meedoen_session");
    expect(login).toBeDefined();
    Anojs = await Member.open(browser, server.url, { id: A.id, name: A.name, cookie: `${login!.name}=${login!.value}` }, { javaScript: false });
    await Anojs.visit("/founders");
    await Anojs.page.getByLabel("E-mailadres van wie je uitnodigt").fill(founderMails.C);
    await Anojs.send(Anojs.page.getByRole("button", { name: "Uitnodiging versturen" }), Anojs.page.getByText("De uitnodiging is verstuurd. De link werkt 14 dagen."));
    expect(await Anojs.mainText()).toContain("Nog 12 plaatsen voor oprichters.");

    // Bram follows the link in his mail with JavaScript, makes an account and accepts.
    const toB = invitationPath(sqlite, founderMails.B);
    B = await Member.open(browser, server.url, { id: "", name: "Bram Bakker", cookie: null });
    await B.visit(toB);
    expect(await B.page.getByRole("heading", { level: 1 }).textContent()).toBe("Uitnodiging als oprichter");
    await expectNoSeriousAxeViolations(B.page);
    await B.follow(B.main().getByRole("link", { name: "Account maken" }), /\/signup\?redirectTo=/);
    await signUp(B, founderMails.B, new RegExp(`${toB}$`));
    await expectNoSeriousAxeViolations(B.page);
    await B.send(B.page.getByRole("button", { name: "Uitnodiging aannemen" }), B.page.getByRole("heading", { level: 1, name: B.name }));
    expect(B.page.url()).toContain(`/members/${B.id}`);
    expect(await B.page.locator("section[aria-labelledby=voice-heading]").textContent()).toContain("Oprichter van dit netwerk.");

    // Cato does the same without JavaScript.
    const toC = invitationPath(sqlite, founderMails.C);
    C = await Member.open(browser, server.url, { id: "", name: "Cato Claassen", cookie: null }, { javaScript: false });
    await C.visit(toC);
    await expectNoSeriousAxeViolations(C.page);
    await C.main().getByRole("link", { name: "Account maken" }).click();
    await C.page.waitForURL(/\/signup\?redirectTo=/);
    await signUp(C, founderMails.C, new RegExp(`${toC}$`));
    await C.send(C.page.getByRole("button", { name: "Uitnodiging aannemen" }), C.page.getByRole("heading", { level: 1, name: C.name }));
    expect(await C.page.locator("section[aria-labelledby=voice-heading]").textContent()).toContain("Oprichter van dit netwerk.");

    // The link works once.
    expect((await B.page.goto(toB))?.status()).toBe(404);
    expect(sqlite.prepare("SELECT count(*) FROM members WHERE founder_at IS NOT NULL").pluck().get()).toBe(3);

    // Someone who signed up without an invitation cannot invite.
    await S.visit("/founders");
    expect(await S.mainText()).toContain("Alleen een oprichter met een stem kan oprichters uitnodigen.");
    expect(await S.page.getByLabel("E-mailadres van wie je uitnodigt").count()).toBe(0);

    // The log records every invitation and acceptance, never an address.
    const log = await logLines(visitor, "?group=founder");
    expect(log.filter((line) => line.startsWith(`Oprichter uitgenodigd · ${A.name}`))).toHaveLength(2);
    expect(log.filter((line) => line.startsWith("Oprichter erbij"))).toHaveLength(3);
    expect(await visitor.mainText()).not.toContain("@example.org");
  });

  it("the founder puts a course on the agenda: one session twenty minutes ahead, one three days ahead", async () => {
    await A.visit("/initiatives/new");
    await A.page.getByLabel("Titel").fill(courseTitle);
    await A.page.getByLabel("Korte samenvatting").fill("We koken samen met buurtbewoners en leren van elkaars keuken.");
    await A.page.getByRole("radio", { name: /^Cursus/ }).check();
    await A.page.getByLabel("Plaats").fill("Utrecht");
    await A.send(A.page.getByRole("button", { name: "Initiatief plaatsen" }), A.page.getByRole("heading", { level: 1, name: courseTitle }));
    initiativeId = Number(new URL(A.page.url()).pathname.split("/").pop());
    expect(initiativeId).toBeGreaterThan(0);

    for (const [index, startsIn] of [20 * minute, 3 * day].entries()) {
      const start = Date.now() + startsIn;
      await A.follow(A.page.getByRole("link", { name: "Bijeenkomst toevoegen" }), /\/sessions$/);
      await A.page.getByLabel("Begint").fill(toLocalDateTimeInput(start, zone));
      await A.page.getByLabel("Eindigt").fill(toLocalDateTimeInput(start + 2 * hour, zone));
      await A.send(A.page.getByRole("button", { name: "Bijeenkomst toevoegen" }), A.page.locator("main ol.sessions > li").nth(index));
    }
    const hrefs = await A.page.locator("main ol.sessions > li .session-when a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    [quickSession, meeting] = hrefs.map((href) => Number(href!.split("/").pop()));
    expect(quickSession).toBeGreaterThan(0);
    expect(meeting).toBeGreaterThan(quickSession);

    // Noor checks in at the quick session: it stood on the agenda for minutes, not 48 hours.
    await A.visit(`/sessions/${quickSession}`);
    const code = ((await A.page.locator(".checkin-code .code").textContent()) ?? "").trim();
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    await N.visit(`/sessions/${quickSession}`);
    await N.page.getByLabel("Incheckcode").fill(code);
    await N.send(N.page.getByRole("button", { name: "Inchecken", exact: true }), N.page.getByText("Je bent ingecheckt."));
  });

  it("three days later founders check in with the code as witnesses, newcomers check in; the newcomer's profile shows the voice to come", async () => {
    passTime(sqlite, 3 * day - 5 * minute);
    await A.visit(`/sessions/${meeting}`);
    const code = ((await A.page.locator(".checkin-code .code").textContent()) ?? "").trim();
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    // A wrong code is refused with its reason next to the code field, also with JavaScript (not
    // lost in a redirect), and for a person without JavaScript.
    for (const person of [B, C]) {
      await person.visit(`/sessions/${meeting}`);
      await person.page.getByLabel("Incheckcode").fill("ZZZZZZ");
      await person.send(person.page.getByRole("button", { name: "Inchecken", exact: true }), person.page.locator("#checkin-code-error").filter({ hasText: "Deze code klopt niet" }));
    }
    // The founders B (JavaScript) and C (none), the newcomers N and O, and Yara, whose account is days old.
    for (const [person, typed] of [[B, code], [C, code.toLowerCase()], [N, code], [O, code], [Y, code]] as const) {
      await person.visit(`/sessions/${meeting}`);
      await person.page.getByLabel("Incheckcode").fill(typed);
      await person.send(person.page.getByRole("button", { name: "Inchecken", exact: true }), person.page.getByText("Je bent ingecheckt."));
    }
    const checkedIn = (await logLines(visitor, `?subject=session:${meeting}`)).filter((line) => line.startsWith("Ingecheckt"));
    expect(checkedIn).toHaveLength(5);

    // The meeting has started: the newcomers' voices start a week after it.
    passTime(sqlite, hour);
    const start = startOf(meeting);
    const pending = `Een stem begint op ${date(start + 7 * day)}, na ${courseTitle}.`;
    const ofN = await N.voiceOf(N);
    expect(ofN).toContain("Heeft (nog) geen stem.");
    expect(ofN).toContain(pending);
    expect(ofN).toContain(`${courseTitle} op ${date(startOf(quickSession))} telde niet mee: de tijd of plek stond niet 48 uur van tevoren vast.`);
    await expectNoSeriousAxeViolations(N.page);
    expect(await O.voiceOf(O)).toContain(pending);
    // Only the member sees what is pending.
    expect(await visitor.voiceOf(N)).not.toContain("Een stem begint op");
    // Yara's account was not a week old at the start: nothing pending, and her profile says why.
    const ofY = await Y.voiceOf(Y);
    expect(ofY).not.toContain("Een stem begint op");
    expect(ofY).toContain(`${courseTitle} op ${date(start)} telde niet mee: het account was toen nog geen week oud.`);
    // Bram and Cato were each other's only witness besides themselves: founders, nothing earned.
    const ofB = await B.voiceOf(B);
    expect(ofB).toContain("Heeft een stem als oprichter, zolang het netwerk opstart.");
    expect(ofB).toContain("Is getuige");
    expect(ofB).not.toContain("Een stem begint op");
  });

  it("members who came ask to co-host; the host accepts one and declines the other", async () => {
    // Sjaak never came and has no voice: nothing to ask.
    await S.visit(`/initiatives/${initiativeId}`);
    expect(await S.page.getByRole("button", { name: "Vraag om mede-kartrekker te worden" }).count()).toBe(0);

    await N.visit(`/initiatives/${initiativeId}`);
    await N.send(N.page.getByRole("button", { name: "Vraag om mede-kartrekker te worden" }), N.page.getByText("Je vraag om mede-kartrekker te worden ligt bij de kartrekkers."));
    await O.visit(`/initiatives/${initiativeId}`);
    await O.send(O.page.getByRole("button", { name: "Vraag om mede-kartrekker te worden" }), O.page.getByText("Je vraag om mede-kartrekker te worden ligt bij de kartrekkers."));
    // Asking is not joining.
    const hosts = () => A.page.locator("aside[aria-labelledby=hosts-heading] > ul").textContent();
    await A.visit(`/initiatives/${initiativeId}`);
    expect(await hosts()).not.toContain(N.name);

    const requests = A.page.locator("section[aria-labelledby=host-requests-heading]");
    expect(await requests.getByRole("heading", { level: 3 }).textContent()).toBe("Vragen om mee te trekken");
    expect(await requests.locator("li").allTextContents()).toEqual([expect.stringContaining(N.name), expect.stringContaining(O.name)]);
    await expectNoSeriousAxeViolations(A.page);
    await A.send(A.page.getByRole("button", { name: `Aannemen: ${N.name}` }), A.page.locator("aside[aria-labelledby=hosts-heading] > ul > li", { hasText: N.name }));
    expect(await hosts()).toContain(N.name);
    expect(await requests.locator("li").count()).toBe(1);

    await Anojs.visit(`/initiatives/${initiativeId}`);
    await Anojs.send(Anojs.page.getByRole("button", { name: `Afwijzen: ${O.name}` }), Anojs.page.getByRole("heading", { level: 1, name: courseTitle }));
    expect(await Anojs.page.locator("section[aria-labelledby=host-requests-heading]").count()).toBe(0);
    expect(await Anojs.page.locator("aside[aria-labelledby=hosts-heading] > ul").textContent()).not.toContain(O.name);

    const log = await logLines(visitor, `?subject=initiative:${initiativeId}`);
    expect(log.filter((line) => line.startsWith(`Gevraagd om mede-kartrekker te worden · ${courseTitle}`))).toHaveLength(2);
    expect(log.filter((line) => line.startsWith(`Mede-kartrekker erbij · ${courseTitle} · ${A.name}`))).toHaveLength(1);
    expect(log.filter((line) => line.startsWith(`Vraag om mede-kartrekker afgewezen · ${courseTitle} · ${A.name}`))).toHaveLength(1);
  });

  it("a week after the meeting the newcomers have an earned voice; the founders still have theirs", async () => {
    passTime(sqlite, 7 * day);
    const start = startOf(meeting);
    expect(await visitor.voiceOf(N)).toContain(`Heeft een stem: was bij ${courseTitle} op ${date(start)}. Die stem loopt tot ${date(start + 180 * day)}.`);
    expect(await visitor.page.locator("section[aria-labelledby=voice-heading]").getByRole("link", { name: courseTitle }).getAttribute("href")).toBe(`/sessions/${meeting}`);
    expect(await visitor.voiceOf(O)).toContain(`Heeft een stem: was bij ${courseTitle} op ${date(start)}.`);
    expect(await visitor.voiceOf(Y)).toContain("Heeft (nog) geen stem.");
    expect(await visitor.voiceOf(S)).toContain("Heeft (nog) geen stem.");
    // Anna hosted, but her account was days old at the meeting (a week is needed): she earned
    // nothing. Two earned voices: the network still starts up, so the founders keep theirs.
    for (const founder of [A, B, C]) {
      const ofFounder = await visitor.voiceOf(founder);
      expect(ofFounder).toContain("Heeft een stem als oprichter, zolang het netwerk opstart.");
      expect(ofFounder).toContain("Is getuige");
    }
    await visitor.visit("/how-it-works");
    expect(await visitor.page.locator("main .notice").textContent()).toBe(
      "Nu: het netwerk start op. 2 mensen hebben een stem verdiend, van de 5 mensen die nodig zijn; tot die tijd hebben 5 deelnemers een stem.",
    );

    // The scheduler writes the voices that started to the public log.
    await expect.poll(async () => (await logLines(visitor, "?group=voice")).filter((line) => line.startsWith("Stem begonnen")).length, { timeout: 10_000 }).toBe(2);
    const voiceLog = await logLines(visitor, "?group=voice");
    for (const person of [N, O]) expect(voiceLog.filter((line) => line.startsWith(`Stem begonnen · ${person.name}`))).toHaveLength(1);
    expect((await logLines(visitor)).some((line) => line.startsWith("Opstartfase voorbij"))).toBe(false);
  });

  it("a spam initiative: witnesses flag it naming a house rule, it is hidden, its author edits it once and it is back when a flagger accepts the edit", async () => {
    await S.visit("/initiatives/new");
    await S.page.getByLabel("Titel").fill(spamTitle);
    await S.page.getByLabel("Korte samenvatting").fill("Merkzonnebrillen met 90% korting, bestel nu via onze site!");
    await S.page.getByLabel("Beschrijving").fill("Klik hier voor de beste aanbiedingen.");
    await S.send(S.page.getByRole("button", { name: "Initiatief plaatsen" }), S.page.getByRole("heading", { level: 1, name: spamTitle }));
    spamId = Number(new URL(S.page.url()).pathname.split("/").pop());
    expect(spamId).toBeGreaterThan(initiativeId);
    await visitor.visit(`/?q=${spamWord}`);
    expect(await visitor.mainText()).toContain(spamTitle);

    // Olaf has had a voice for a few hours: not a witness, so the page offers him no flag form, and
    // a flag posted anyway is refused with the reason.
    await O.visit(`/initiatives/${spamId}`);
    expect(await O.page.getByText("Melden: dit initiatief breekt een spelregel").count()).toBe(0);
    const posted = await O.context.request.post(`/initiatives/${spamId}/flag`, { form: { rule: spamRule, reason: "Reclame." }, headers: { Origin: server.url } });
    expect(posted.status()).toBe(403);
    expect(await posted.text()).toContain("Melden kan wie al minstens 30 dagen een stem heeft (of een oprichter met een stem).");
    expect(sqlite.prepare("SELECT count(*) FROM flags").pluck().get()).toBe(0);

    // The founders are witnesses. One flag is not enough (two while fewer than 10 have a voice).
    await flag(B, spamId, "Reclame voor zonnebrillen, geen initiatief van het netwerk.", B.page.getByRole("heading", { name: "1 melding" }));
    await visitor.visit("/");
    expect(await visitor.mainText()).toContain(spamTitle);
    await flag(C, spamId, "Dit is spam.", C.page.getByRole("heading", { level: 1, name: "Verborgen" }));

    await visitor.visit("/");
    expect(await visitor.mainText()).not.toContain(spamTitle);
    expect(await visitor.mainText()).toContain(courseTitle);
    await visitor.visit(`/?q=${spamWord}`);
    expect(await visitor.mainText()).not.toContain(spamTitle);
    await visitor.visit(`/initiatives/${spamId}`);
    expect(await visitor.page.getByRole("heading", { level: 1 }).textContent()).toBe("Verborgen");
    expect(await visitor.mainText()).toContain(`Dit initiatief is verborgen na meldingen van deelnemers (spelregel: ${spamRule}).`);
    // Nothing of it in the page a visitor is served: not in the head, not in the page data.
    const html = await (await visitor.context.request.get(`/initiatives/${spamId}`)).text();
    expect(html.includes(spamTitle), "the hidden title is somewhere in the page").toBe(false);
    expect(html.includes("Merkzonnebrillen"), "the hidden summary is somewhere in the page").toBe(false);

    // The author edits it once; it waits until a member with a voice who flagged it accepts the edit.
    await S.visit(`/initiatives/${spamId}`);
    expect(await S.mainText()).toContain("Pas het één keer aan: het komt terug als deelnemers met een stem je aanpassing accepteren");
    await S.follow(S.page.getByRole("link", { name: "Bewerken" }), /\/edit$/);
    await S.page.getByLabel("Korte samenvatting").fill("Zonnebrillen voor vrijwilligers die buiten werken, tegen kostprijs.");
    await S.send(S.page.getByRole("button", { name: "Wijzigingen opslaan" }), S.page.getByRole("heading", { level: 1, name: spamTitle }));
    expect(await S.mainText()).toContain("Aangepast door de schrijver, wacht op acceptatie.");
    await visitor.visit(`/?q=${spamWord}`);
    expect(await visitor.mainText()).not.toContain(spamTitle);
    await B.visit(`/initiatives/${spamId}`);
    await B.send(B.page.getByRole("button", { name: "Accepteren" }), B.page.getByRole("heading", { level: 1, name: spamTitle }));
    expect(await B.mainText()).not.toContain("Dit initiatief is verborgen");
    await visitor.visit(`/?q=${spamWord}`);
    expect(await visitor.mainText()).toContain(spamTitle);

    const log = await logLines(visitor, `?subject=initiative:${spamId}`);
    expect(log.filter((line) => line.startsWith("Genoeg meldingen"))).toHaveLength(1);
    expect(log.filter((line) => line.startsWith("Verborgen ·"))).toHaveLength(1);
    expect(log.filter((line) => line.startsWith(`Verborgen inhoud aangepast door de schrijver · ${spamTitle} · ${S.name}`))).toHaveLength(1);
    expect(log.filter((line) => line.startsWith(`Aanpassing geaccepteerd · ${spamTitle} · ${B.name}`))).toHaveLength(1);
    expect(log.filter((line) => line.startsWith(`Teruggezet · ${spamTitle} · door Meedoen`))).toHaveLength(1);
  });

  it("a network proposal is opened by a member with an earned voice and adopted", async () => {
    await N.visit("/proposals/new");
    await N.page.getByLabel("Titel").fill(proposalTitle);
    await N.page.getByLabel("Toelichting").fill("Elke eerste donderdag koken we samen; wie wil, schuift aan.");
    expect(await N.page.getByRole("radio", { name: /^Het hele netwerk/ }).isChecked()).toBe(true);
    expect(await N.page.getByRole("radio", { name: /^Instemming/ }).isChecked()).toBe(true);
    await N.send(N.page.getByRole("button", { name: "Voorstel plaatsen" }), N.page.getByRole("heading", { level: 1, name: proposalTitle }));
    proposalId = Number(new URL(N.page.url()).pathname.split("/").pop());
    expect(proposalId).toBeGreaterThan(0);

    // Sjaak has no voice: he is told so and offered no positions.
    await S.visit(`/proposals/${proposalId}`);
    const respondPanel = S.page.locator("section[aria-labelledby=respond]");
    expect(await respondPanel.textContent()).toContain("Je hebt (nog) geen stem, dus je kunt hier niet op reageren.");
    expect(await respondPanel.getByRole("radio").count()).toBe(0);

    for (const person of [N, A, B, C, O]) await respond(person, proposalId, /^Instemming/);

    const changed = sqlite.prepare("UPDATE proposals SET deadline = ? WHERE id = ? AND closed_at IS NULL").run(Date.now() - 1, proposalId).changes;
    expect(changed).toBe(1);
    await visitor.visit(`/proposals/${proposalId}`);
    const outcome = visitor.page.locator("section[aria-labelledby=outcome-heading]");
    expect(await outcome.getByRole("heading", { level: 2 }).textContent()).toBe("Aangenomen");
    expect(await outcome.textContent()).toContain("Instemming: 5");
    const log = await logLines(visitor, `?subject=proposal:${proposalId}`);
    expect(log[0]).toBe(`Voorstel afgerond · ${proposalTitle} · door Meedoen, volgens de spelregels (Aangenomen: Instemming 5)`);
    expect(log[1]).toBe(`Voorstel geopend · ${proposalTitle} · ${N.name}`);
  });
});
