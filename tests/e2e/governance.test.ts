// Governance by participation in a real browser, as one story on one server: a small network
// starts up (everyone a day old has a voice), two sessions take place (check-in code, marked
// present) and the bootstrap ends; a spam initiative is flagged and hidden, edited once by its
// author, hidden again and kept hidden by a majority proposal; new house rules are blocked by one
// objection, raised again under the 2/3 rule and adopted; and the pages pass axe on a phone.
// Members are written straight into the server's database with a login cookie (five sign-ups per
// hour per address), and time is moved by editing the database: account ages, sessions that
// took place, proposal deadlines that passed.
import type Database from "better-sqlite3";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toLocalDateTimeInput } from "~/lib/time";
import { expectNoSeriousAxeViolations, launchBrowser, phoneViewport, waitForHydration } from "../support/browser";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { Person as BasePerson } from "../support/person";
import { startServer, type RunningServer } from "../support/server";

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const zone = "Europe/Amsterdam";

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;

/** A member in the governance story: the shared browser person, plus what this story does. */
class Person extends BasePerson {
  /** The text of the "Stem" panel on a member's profile. */
  async voiceOf(member: Person): Promise<string> {
    await this.visit(`/members/${member.id}`);
    return (await this.page.locator("section[aria-labelledby=voice-heading]").textContent()) ?? "";
  }

  /** Flags the initiative on its page, naming a house rule and a reason. */
  async flag(initiativeId: number, rule: string, reason: string, done: Locator) {
    await this.visit(`/initiatives/${initiativeId}`);
    await this.page.getByText("Melden: dit initiatief breekt een spelregel").click();
    await this.page.getByLabel("Welke spelregel?").selectOption({ label: rule });
    await this.page.getByLabel("Waarom?").fill(reason);
    await this.submit(this.page.getByRole("button", { name: "Melding versturen" }), done);
  }

  /** Takes a position on a proposal (with an optional explanation). */
  async respond(proposalId: number, position: RegExp, reason = "") {
    await this.visit(`/proposals/${proposalId}`);
    await this.page.getByRole("radio", { name: position }).check();
    if (reason) await this.page.getByLabel("Toelichting").fill(reason);
    await this.submit(this.page.getByRole("button", { name: "Reactie geven" }), this.page.getByRole("button", { name: "Reactie wijzigen" }));
    expect(await this.page.locator("section[aria-labelledby=positions-heading]").textContent()).toContain(this.name);
  }
}

const names = {
  A: "Anna Aalbers",
  B: "Bram Bakker",
  C: "Cato Claassen",
  D: "Dirk Dekker",
  E: "Eva Evers",
  F: "Fenna Faber",
  G: "Gijs Groen",
  S: "Sjaak Spamhuis",
} as const;
type Key = keyof typeof names;

const people = {} as Record<Key, Person>;
let visitor: Person;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);

  sqlite = openServerDatabase(server.databasePath);
  const keys = Object.keys(names) as Key[];
  const rows = insertMembers(sqlite, keys.length, "gov");
  const now = Date.now();
  const setMember = sqlite.prepare("UPDATE members SET display_name = ?, created_at = ? WHERE id = ?");
  keys.forEach((key, i) => {
    // A..G joined two days ago; the spammer S a few minutes ago.
    setMember.run(names[key], key === "S" ? now - 5 * minute : now - 2 * day, rows[i].id);
  });
  const opened = await Promise.all(keys.map((key, i) => Person.open(browser, server.url, { id: rows[i].id, name: names[key], cookie: rows[i].cookie })));
  keys.forEach((key, i) => (people[key] = opened[i]));
  visitor = await Person.open(browser, server.url, { id: "", name: "bezoeker", cookie: null });
});

afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
});

/** Moves a proposal's deadline just into the past, as if its days had run out. */
function deadlinePasses(proposalId: number) {
  const changed = sqlite.prepare("UPDATE proposals SET deadline = ? WHERE id = ? AND closed_at IS NULL").run(Date.now() - 1, proposalId).changes;
  expect(changed).toBe(1);
}

/** The heading of a closed proposal's outcome panel, and the panel's text. */
async function outcomeOf(person: Person, proposalId: number) {
  await person.visit(`/proposals/${proposalId}`);
  const panel = person.page.locator("section[aria-labelledby=outcome-heading]");
  return { heading: await panel.getByRole("heading", { level: 2 }).textContent(), text: (await panel.textContent()) ?? "" };
}

/** The lines of the public log, newest first, without their times: "Verborgen · title · by". */
async function logLines(person: Person, query = ""): Promise<string[]> {
  await person.visit(`/log${query}`);
  return (await person.page.locator("ol.log > li > span").allTextContents()).map((line) => line.replace(/\s+/g, " ").trim());
}

const courseTitle = "Samen koken in de wijk";
const spamTitle = "Goedkope zonnebrillen bestellen";
const spamWord = "zonnebrillen";
const spamRule = "7. Respect en privacy.";
const newRule = "8. **Laat de plek netter achter.** Na elke bijeenkomst ruimen we samen op en zetten we de stoelen terug.";

describe("governance by participation", () => {
  let initiativeId = 0;
  const sessionIds: number[] = [];
  let spamId = 0;
  let restoreProposalId = 0;
  let rulesProposalId = 0;
  let fallbackProposalId = 0;

  it("a small network starts up: every account of a day or more has a voice, a brand-new one has not", async () => {
    const { A, S } = people;
    expect(await visitor.voiceOf(A)).toContain("Heeft een stem omdat het netwerk nog opstart.");
    expect(await visitor.voiceOf(S)).toContain("Heeft nog geen stem: het account is jonger dan een dag.");

    await visitor.visit("/how-it-works");
    expect(await visitor.page.locator("main .notice").textContent()).toBe(
      "Nu: het netwerk start op. 0 van de 5 mensen die nodig zijn hebben een stem verdiend; tot die tijd hebben 7 deelnemers een stem.",
    );
  });

  it("two sessions take place: checked in with the code, or marked present by the host; the bootstrap ends", async () => {
    const { A, B, C, D, E, F, G } = people;
    await A.visit("/initiatives/new");
    await A.page.getByLabel("Titel").fill(courseTitle);
    await A.page.getByLabel("Korte samenvatting").fill("We koken samen met buurtbewoners en leren van elkaars keuken.");
    await A.page.getByRole("radio", { name: /^Activiteit/ }).check();
    await A.page.getByLabel("Plaats").fill("Utrecht");
    await A.submit(A.page.getByRole("button", { name: "Initiatief plaatsen" }), A.page.getByRole("heading", { level: 1, name: courseTitle }));
    initiativeId = Number(new URL(A.page.url()).pathname.split("/").pop());
    expect(initiativeId).toBeGreaterThan(0);

    // Both start in a quarter of an hour or so: the check-in window (30 minutes before) is open.
    for (const [index, startsIn] of [11 * minute, 16 * minute].entries()) {
      const start = Date.now() + startsIn;
      await A.page.getByRole("link", { name: "Bijeenkomst toevoegen" }).click();
      await A.page.getByRole("heading", { level: 1, name: "Bijeenkomst toevoegen" }).waitFor();
      await A.page.getByLabel("Begint").fill(toLocalDateTimeInput(start, zone));
      await A.page.getByLabel("Eindigt").fill(toLocalDateTimeInput(start + hour, zone));
      await A.submit(A.page.getByRole("button", { name: "Bijeenkomst toevoegen" }), A.page.locator("main ol.sessions > li").nth(index));
    }
    for (const href of await A.page.locator("main ol.sessions > li .session-when a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))) {
      sessionIds.push(Number(href!.split("/").pop()));
    }
    expect(sessionIds).toHaveLength(2);
    const [first, second] = sessionIds;

    // B, C and D sign up for the first session, E and F for the second.
    for (const [person, sessionId] of [[B, first], [C, first], [D, first], [E, second], [F, second]] as const) {
      await person.visit(`/sessions/${sessionId}`);
      await person.submit(person.page.getByRole("button", { name: "Aanmelden", exact: true }), person.page.getByText("Je bent aangemeld."));
    }

    // The host sees the six-character code of the first session and shows it in the room.
    await A.visit(`/sessions/${first}`);
    const code = ((await A.page.locator(".checkin-code .code").textContent()) ?? "").trim();
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    expect(await A.page.locator("section[aria-labelledby=participants-heading] .people li").count()).toBe(3);

    for (const [person, typed] of [[B, code], [C, code.toLowerCase()], [D, code]] as const) {
      await person.visit(`/sessions/${first}`);
      await person.page.getByLabel("Incheckcode").fill(typed);
      await person.submit(person.page.getByRole("button", { name: "Inchecken", exact: true }), person.page.getByText("Je was erbij."));
    }

    // The host marks E and F present at the second session.
    await A.visit(`/sessions/${second}`);
    // The name is in a visually hidden span, which the accessible name sets off with a space.
    for (const person of [E, F]) {
      await A.submit(
        A.page.getByRole("button", { name: new RegExp(`^Aanwezig melden\\s*: ${person.name}$`) }),
        A.page.getByRole("button", { name: new RegExp(`^Toch niet aanwezig\\s*: ${person.name}$`) }),
      );
    }

    // Five members have earned a voice: the bootstrap is over, and the log says so.
    const log = await logLines(G);
    expect(log.filter((line) => line.startsWith("Opstartfase voorbij: vijf mensen hebben een stem verdiend"))).toHaveLength(1);
    expect(log.filter((line) => line.includes("Ingecheckt"))).toHaveLength(3);
    expect(log.filter((line) => line.includes("Aanwezig gemeld"))).toHaveLength(2);

    // Time passes: both sessions took place (hosted counts once a session is over). The host was
    // host before they started.
    const shift = 3 * hour;
    sqlite.prepare("UPDATE sessions SET starts_at = starts_at - ?, ends_at = ends_at - ? WHERE initiative_id = ?").run(shift, shift, initiativeId);
    sqlite.prepare("UPDATE hosts SET since = since - ? WHERE initiative_id = ?").run(shift, initiativeId);

    expect(await G.voiceOf(B)).toMatch(new RegExp(`Heeft een stem: was bij ${courseTitle} op \\d`));
    expect(await G.page.locator("section[aria-labelledby=voice-heading]").getByRole("link", { name: courseTitle }).getAttribute("href")).toBe(`/sessions/${first}`);
    expect(await G.voiceOf(E)).toMatch(new RegExp(`Heeft een stem: was bij ${courseTitle} op \\d`));
    expect(await G.voiceOf(A)).toMatch(new RegExp(`Heeft een stem: was kartrekker van ${courseTitle} op \\d`));
    // G took part in nothing, and the bootstrap no longer gives a voice.
    const ofG = await G.voiceOf(G);
    expect(ofG).toContain("Heeft (nog) geen stem.");
    expect(ofG).not.toContain("opstart");

    await G.visit("/how-it-works");
    expect(await G.page.locator("main .notice").textContent()).toBe("Nu hebben 6 deelnemers een stem.");
  });

  it("a spam initiative flagged by two members with a voice is hidden from the feed, search and visitors", async () => {
    const { B, C, S } = people;
    // S's account is two hours old now: past the first day, but without any attendance.
    sqlite.prepare("UPDATE members SET created_at = ? WHERE id = ?").run(Date.now() - 2 * hour, S.id);
    const ofS = await visitor.voiceOf(S);
    expect(ofS).toContain("Heeft (nog) geen stem.");

    await S.visit("/initiatives/new");
    await S.page.getByLabel("Titel").fill(spamTitle);
    await S.page.getByLabel("Korte samenvatting").fill("Merkzonnebrillen met 90% korting, bestel nu via onze site!");
    await S.page.getByLabel("Beschrijving").fill("Klik hier voor de beste aanbiedingen.");
    await S.submit(S.page.getByRole("button", { name: "Initiatief plaatsen" }), S.page.getByRole("heading", { level: 1, name: spamTitle }));
    spamId = Number(new URL(S.page.url()).pathname.split("/").pop());
    expect(spamId).toBeGreaterThan(initiativeId);

    // Visible at first, in the feed and in search.
    await visitor.visit("/");
    expect(await visitor.mainText()).toContain(spamTitle);
    await visitor.visit(`/?q=${spamWord}`);
    expect(await visitor.mainText()).toContain(spamTitle);

    // Members without a voice are not offered the flag form; S is its host anyway.
    await people.G.visit(`/initiatives/${spamId}`);
    expect(await people.G.page.getByText("Melden: dit initiatief breekt een spelregel").count()).toBe(0);

    await B.flag(spamId, spamRule, "Reclame voor zonnebrillen, geen initiatief van het netwerk.", B.page.getByRole("heading", { name: "Meldingen (1)" }));
    // One flag is not enough (the threshold is 2 while fewer than 10 have a voice).
    await visitor.visit("/");
    expect(await visitor.mainText()).toContain(spamTitle);

    await C.flag(spamId, spamRule, "Dit is spam.", C.page.getByRole("heading", { level: 1, name: "Verborgen" }));

    await visitor.visit("/");
    expect(await visitor.mainText()).not.toContain(spamTitle);
    expect(await visitor.mainText()).toContain(courseTitle);
    await visitor.visit(`/?q=${spamWord}`);
    expect(await visitor.mainText()).not.toContain(spamTitle);

    await visitor.visit(`/initiatives/${spamId}`);
    const hiddenPage = await visitor.mainText();
    expect(await visitor.page.getByRole("heading", { level: 1 }).textContent()).toBe("Verborgen");
    expect(hiddenPage).toContain(`Dit initiatief is verborgen na meldingen van deelnemers (spelregel: ${spamRule}).`);
    expect(hiddenPage).toContain("Alleen de schrijver en deelnemers met een stem kunnen het nog lezen.");
    expect(hiddenPage).not.toContain("Merkzonnebrillen");
    // Who flagged is not shown to the public.
    expect(hiddenPage).not.toContain(B.name);
    expect(hiddenPage).not.toContain(C.name);

    // A member with a voice can still read it on click-through, and sees who flagged.
    await B.visit(`/initiatives/${spamId}`);
    await B.page.getByRole("link", { name: "Toch lezen" }).click();
    await B.page.getByRole("heading", { level: 1, name: spamTitle }).waitFor();
    const flagsSeenByB = (await B.page.locator("section[aria-labelledby=flags-heading]").textContent()) ?? "";
    expect(flagsSeenByB).toContain("Meldingen (2)");
    expect(flagsSeenByB).toContain(C.name);
  });

  // Hidden content leaves public places (governance.md §4), and the log shows "—" for its title:
  // the page a visitor is served must not carry it in its <title>, description or page data.
  it("the hidden initiative's page gives a visitor nothing of it, not even in the head or the page data", async () => {
    const html = await (await visitor.context.request.get(`/initiatives/${spamId}`)).text();
    expect(html).toContain("Dit initiatief is verborgen na meldingen van deelnemers");
    const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
    const description = /<meta name="description" content="([^"]*)"/.exec(html)?.[1] ?? "";
    expect(title, "the <title> of the hidden page").not.toContain(spamTitle);
    expect(description, "the description of the hidden page").not.toContain("Merkzonnebrillen");
    expect(html.includes("Merkzonnebrillen"), "the hidden summary is somewhere in the page (its loader data)").toBe(false);
    expect(html.includes(spamTitle), "the hidden title is somewhere in the page (its loader data)").toBe(false);
  });

  it("the author edits it once and it returns; hidden again, it stays hidden by a network proposal", async () => {
    const { A, B, C, D, E, S } = people;
    await S.visit(`/initiatives/${spamId}`);
    expect(await S.mainText()).toContain("Pas het één keer aan, dan komt het terug.");
    await S.page.getByRole("link", { name: "Bewerken" }).click();
    await S.page.getByRole("heading", { level: 1, name: "Initiatief bewerken" }).waitFor();
    await waitForHydration(S.page);
    await S.page.getByLabel("Korte samenvatting").fill("Zonnebrillen voor vrijwilligers die buiten werken, tegen kostprijs.");
    await S.submit(S.page.getByRole("button", { name: "Wijzigingen opslaan" }), S.page.getByRole("heading", { level: 1, name: spamTitle }));
    expect(await S.mainText()).not.toContain("Dit initiatief is verborgen");

    await visitor.visit("/");
    expect(await visitor.mainText()).toContain(spamTitle);
    await visitor.visit(`/?q=${spamWord}`);
    expect(await visitor.mainText()).toContain(spamTitle);

    // The old flags were cleared: it takes two new ones.
    await D.flag(spamId, spamRule, "Nog steeds reclame.", D.page.getByRole("heading", { name: "Meldingen (1)" }));
    await E.flag(spamId, spamRule, "Verkoop, geen initiatief.", E.page.getByRole("heading", { level: 1, name: "Verborgen" }));

    await visitor.visit("/");
    expect(await visitor.mainText()).not.toContain(spamTitle);
    // No second edit this time.
    await S.visit(`/initiatives/${spamId}`);
    expect(await S.mainText()).toContain("Dit initiatief is verborgen");
    expect(await S.mainText()).not.toContain("Pas het één keer aan");

    // The network decides, with a majority proposal the system opened.
    await visitor.visit("/proposals");
    // Named by number: the hidden title itself stays out of public lists.
    const link = visitor.page.getByRole("link", { name: `Terugzetten of verborgen laten: initiatief ${spamId}` });
    expect(await link.count()).toBe(1);
    expect(await visitor.mainText()).not.toContain(spamTitle);
    restoreProposalId = Number((await link.getAttribute("href"))!.split("/").pop());
    await visitor.visit(`/proposals/${restoreProposalId}`);
    const opened = await visitor.mainText();
    expect(opened).toContain("Dit voorstel is automatisch geopend door Meedoen, volgens de spelregels.");
    expect(opened).toContain("Aangenomen komt wat verborgen is terug; anders blijft het verborgen.");
    expect(opened).toContain("3 reacties nodig van 6 mensen die mogen reageren");

    for (const person of [A, B, C]) await person.respond(restoreProposalId, /^Tegen/);
    await D.respond(restoreProposalId, /^Voor/);

    deadlinePasses(restoreProposalId);
    const outcome = await outcomeOf(visitor, restoreProposalId);
    expect(outcome.heading).toBe("Niet aangenomen");
    expect(outcome.text).toContain("Er waren niet genoeg stemmen voor.");
    expect(outcome.text).toContain("Voor: 1 · Tegen: 3");

    await visitor.visit(`/initiatives/${spamId}`);
    expect(await visitor.page.getByRole("heading", { level: 1 }).textContent()).toBe("Verborgen");
    await visitor.visit(`/?q=${spamWord}`);
    expect(await visitor.mainText()).not.toContain(spamTitle);

    expect((await logLines(visitor)).some((line) => line.startsWith("Blijft verborgen · — · door Meedoen"))).toBe(true);
    // The log of the initiative: while it is hidden, even the log does not show its title.
    const log = await logLines(visitor, `?subject=initiative:${spamId}`);
    expect(log.filter((line) => line.startsWith("Verborgen · — · door Meedoen, volgens de spelregels"))).toHaveLength(2);
    expect(log.filter((line) => line.startsWith("Genoeg meldingen · — · door Meedoen"))).toHaveLength(2);
    expect(log.filter((line) => line.startsWith(`Teruggezet · — · ${S.name}`))).toHaveLength(1);
    expect(log.filter((line) => line.startsWith(`Initiatief bewerkt · — · ${S.name}`))).toHaveLength(1);
    expect(log[0]).toBe("Blijft verborgen · — · door Meedoen, volgens de spelregels");
    expect(log.join("\n")).not.toContain(spamTitle);
    const proposalLog = await logLines(visitor, `?subject=proposal:${restoreProposalId}`);
    expect(proposalLog[0]).toBe(`Voorstel afgerond · Terugzetten of verborgen laten: initiatief ${spamId} · door Meedoen, volgens de spelregels (Niet aangenomen: Voor 1, Tegen 3)`);
    expect(proposalLog[1]).toBe(`Voorstel geopend · Terugzetten of verborgen laten: initiatief ${spamId} · door Meedoen, volgens de spelregels`);
  });

  it("new house rules: one objection blocks the consent proposal, raised again they pass with two thirds", async () => {
    const { A, B, C, D, E, F, G } = people;
    await A.visit("/proposals/new?effect=rules");
    expect(await A.page.getByLabel("Titel").inputValue()).toBe("Nieuwe spelregels");
    expect(await A.page.getByLabel("Wat verandert er als het wordt aangenomen?").inputValue()).toBe("rules");
    expect(await A.page.getByRole("radio", { name: /^Het hele netwerk/ }).isChecked()).toBe(true);
    expect(await A.page.getByRole("radio", { name: /^Instemming/ }).isChecked()).toBe(true);
    await A.page.getByLabel("Toelichting").fill("Na de kookavonden bleef de keuken een paar keer vies achter. Laten we het afspreken.");
    const rulesField = A.page.getByLabel("Volledige nieuwe tekst van de spelregels");
    const oldRules = await rulesField.inputValue();
    expect(oldRules).toContain("7. **Respect en privacy.**");
    await rulesField.fill(`${oldRules.trimEnd()}\n${newRule}`);
    await A.submit(A.page.getByRole("button", { name: "Voorstel plaatsen" }), A.page.getByRole("heading", { level: 1, name: "Nieuwe spelregels" }));
    rulesProposalId = Number(new URL(A.page.url()).pathname.split("/").pop());
    expect(rulesProposalId).toBeGreaterThan(restoreProposalId);
    expect(await A.page.locator("section[aria-labelledby=effect-heading] ins").allTextContents()).toEqual([`+ ${newRule}\n`]);

    for (const person of [B, C, D, E]) await person.respond(rulesProposalId, /^Instemming/);

    // G has no voice: the page says so and offers no positions.
    await G.visit(`/proposals/${rulesProposalId}`);
    const respondPanel = G.page.locator("section[aria-labelledby=respond]");
    expect(await respondPanel.textContent()).toContain("Je hebt (nog) geen stem, dus je kunt hier niet op reageren.");
    expect(await respondPanel.getByRole("radio").count()).toBe(0);

    const objection = "Opruimen is de taak van de gastorganisatie; dit hoort niet in de spelregels.";
    await F.respond(rulesProposalId, /^Bezwaar/, objection);

    deadlinePasses(rulesProposalId);
    const blocked = await outcomeOf(A, rulesProposalId);
    expect(blocked.heading).toBe("Niet aangenomen");
    expect(blocked.text).toContain("Er stond een bezwaar.");
    expect(blocked.text).toContain("Instemming: 4 · Bezwaar: 1");
    expect(await A.page.locator("section[aria-labelledby=positions-heading]").textContent()).toContain(`${F.name}: Bezwaar — ${objection}`);
    // Rules unchanged so far.
    await visitor.visit("/rules");
    expect(await visitor.page.locator("main .rules").textContent()).not.toContain("Laat de plek netter achter.");

    // A raises it again as a majority proposal that needs two thirds.
    await A.visit(`/proposals/${rulesProposalId}`);
    await A.submit(A.page.getByRole("button", { name: "Opnieuw indienen met twee derde meerderheid" }), A.page.getByText(`Opnieuw ingediend (voorstel ${rulesProposalId}), twee derde voor nodig`));
    fallbackProposalId = Number(new URL(A.page.url()).pathname.split("/").pop());
    expect(fallbackProposalId).toBeGreaterThan(rulesProposalId);
    expect(await A.page.locator("main .card-meta .badge").textContent()).toBe("Meerderheid");
    expect(await A.page.getByRole("heading", { level: 1 }).textContent()).toBe("Nieuwe spelregels");

    for (const person of [B, C, D, E]) await person.respond(fallbackProposalId, /^Voor/);
    await F.respond(fallbackProposalId, /^Tegen/, "Nog steeds tegen.");

    deadlinePasses(fallbackProposalId);
    const adopted = await outcomeOf(visitor, fallbackProposalId);
    expect(adopted.heading).toBe("Aangenomen");
    expect(adopted.text).toContain("Voor: 4 · Tegen: 1");

    await visitor.visit("/rules");
    expect(await visitor.page.locator("main .rules").textContent()).toContain("Laat de plek netter achter. Na elke bijeenkomst ruimen we samen op en zetten we de stoelen terug.");
    const versions = visitor.page.locator("main ol.history > li");
    expect(await versions.count()).toBe(2);
    expect(await versions.nth(0).getByRole("link", { name: `aangenomen met voorstel ${fallbackProposalId}` }).count()).toBe(1);
    expect(await versions.nth(0).locator("pre.diff ins").allTextContents()).toEqual([`+ ${newRule}\n`]);
    expect(await versions.nth(0).locator("pre.diff del").count()).toBe(0);
    expect(await versions.nth(1).textContent()).toContain("de eerste versie");

    const log = await logLines(visitor);
    expect(log.filter((line) => line.includes("Spelregels gewijzigd"))).toHaveLength(1);
    const closed = log.filter((line) => line.includes("Voorstel afgerond"));
    expect(closed).toHaveLength(3);
    expect(closed.some((line) => line.includes("(Niet aangenomen: Instemming 4, Bezwaar 1)"))).toBe(true);
    expect(closed.some((line) => line.includes("(Aangenomen: Voor 4, Tegen 1)"))).toBe(true);

    await visitor.visit("/proposals");
    expect(await visitor.page.locator("main").getByText("Er lopen nu geen voorstellen.").count()).toBe(1);
  });

  it("has no serious accessibility problems on a phone", async () => {
    const { B } = people;
    await B.page.setViewportSize(phoneViewport);
    for (const path of ["/proposals", `/proposals/${rulesProposalId}`, "/rules", "/log", `/members/${B.id}`, "/how-it-works"]) {
      await B.visit(path);
      await expectNoSeriousAxeViolations(B.page);
    }
  });
});
