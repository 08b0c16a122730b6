// Hosts and moderation on day one in a real browser at phone width, with and without JavaScript:
// a host hides an insulting comment on her first day, her own session page shows host tools
// instead of sign-up buttons, the full-screen check-in code opens the check-in form with the code
// filled in, and a flag shows its confirmation. The new pages pass axe and the Nu HTML Checker.
import type Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser } from "../support/browser";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { Member } from "../support/e2e-governance";
import { startServer, type RunningServer } from "../support/server";
import { htmlErrors, type HtmlDocument } from "../support/vnu";

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
type Account = { id: string; cookie: string };

const day = 86_400_000;
const rule = "7. Respect en privacy.";
const documents: HtmlDocument[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  sqlite = openServerDatabase(server.databasePath);
});

afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
  // Every new page as it was served, checked once at the end.
  expect(await htmlErrors(documents)).toEqual([]);
}, 120_000);

/** A host's first day: a new account with an initiative, a session in 10 minutes, and comments. */
function firstDay(label: string) {
  const [host, author, witness, participant] = insertMembers(sqlite, 4, label);
  const old = Date.now() - 60 * day;
  // The network's voices: a founder who is a witness. The host's account is an hour old.
  sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, witness.id);
  sqlite.prepare("UPDATE members SET created_at = ? WHERE id = ?").run(Date.now() - 3_600_000, host.id);
  const now = Date.now();
  const initiativeId = (sqlite.prepare("INSERT INTO initiatives (title, summary, body, kind, created_by, created_at, updated_at) VALUES ('Buurtmoestuin', 'Samen tuinieren.', '', 'course', ?, ?, ?) RETURNING id").get(host.id, now, now) as { id: number }).id;
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiativeId, host.id, now, now);
  const start = now + 10 * 60_000;
  const sessionId = (sqlite.prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at) VALUES (?, ?, ?, 'Buurthuis', 'KQ7MZP', ?, ?, ?) RETURNING id").get(initiativeId, start, start + 7_200_000, now, now, now) as { id: number }).id;
  const comment = (who: Account, body: string) => (sqlite.prepare("INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id").get(initiativeId, who.id, body, now, now) as { id: number }).id;
  const insult = comment(author, "Die kartrekker is een idioot.");
  const rude = comment(author, "Alle nieuwkomers zijn dom.");
  return { host, author, witness, participant, initiativeId, sessionId, insult, rude };
}

const html = async (path: string, who: Account) => (await fetch(server.url + path, { headers: { Cookie: who.cookie, "Accept-Language": "nl" } })).text();

describe.each([true, false])("with JavaScript %s", (javaScript) => {
  const label = javaScript ? "js" : "nojs";
  let world: ReturnType<typeof firstDay>;
  const open = (who: Account, name: string) => Member.open(browser, server.url, { id: who.id, name, cookie: who.cookie }, { javaScript });

  beforeAll(() => {
    world = firstDay(label);
  });

  it("a host hides an insulting comment on her first day, and the log names the rule", async () => {
    const host = await open(world.host, "Host");
    await host.visit(`/initiatives/${world.initiativeId}`);
    const item = host.page.locator(`#comment-${world.insult}`);
    await item.getByText("Verbergen", { exact: true }).click();
    await item.getByLabel("Welke spelregel breekt deze reactie?").selectOption(rule);
    if (javaScript) await expectNoSeriousAxeViolations(host.page);
    await host.send(item.getByRole("button", { name: "Reactie verbergen" }), host.page.locator(`#comment-${world.insult}`).getByText("verborgen door een kartrekker"));
    expect(await host.page.locator(`#comment-${world.insult} .prose`).count()).toBe(0);
    await host.visit("/log?group=content");
    expect(await host.mainText()).toContain("Reactie verborgen door een kartrekker");
    expect(await host.mainText()).toContain(`spelregel: ${rule}`);
    // The author sees the rule and can ask the network.
    const author = await open(world.author, "Author");
    await author.visit(`/initiatives/${world.initiativeId}`);
    await expect(author.page.locator(`#comment-${world.insult}`).getByRole("button", { name: "Vraag het netwerk om je reactie terug te zetten" }).isVisible()).resolves.toBe(true);
    await expectNoSeriousAxeViolations(author.page);
    documents.push({ label: `${label}: initiative page as its host`, html: await html(`/initiatives/${world.initiativeId}`, world.host) }, { label: `${label}: initiative page as the author of a hidden comment`, html: await html(`/initiatives/${world.initiativeId}`, world.author) });
    await Promise.all([host.context.close(), author.context.close()]);
  });

  it("a host's own session page shows host tools, not sign-up buttons", async () => {
    const host = await open(world.host, "Host");
    await host.visit(`/sessions/${world.sessionId}`);
    expect(await host.mainText()).toContain("Jij bent kartrekker van deze bijeenkomst.");
    expect(await host.main().getByRole("button", { name: "Inschrijven" }).count()).toBe(0);
    const tools = host.main().getByRole("list", { name: "Kartrekkerstools" }).first();
    for (const name of ["Bijeenkomst wijzigen", "Incheckscherm", "Aanwezigheid", "Bericht aan alle deelnemers", "Deelnemerslijst downloaden (CSV)"]) expect(await tools.getByRole("link", { name }).count()).toBe(1);
    await expectNoSeriousAxeViolations(host.page);
    const participant = await open(world.participant, "Participant");
    await participant.visit(`/sessions/${world.sessionId}`);
    expect(await participant.main().getByRole("button", { name: "Inschrijven" }).count()).toBe(1);
    expect(await participant.main().getByRole("link", { name: "Incheckscherm" }).count()).toBe(0);
    documents.push({ label: `${label}: session page as its host`, html: await html(`/sessions/${world.sessionId}`, world.host) });
    await Promise.all([host.context.close(), participant.context.close()]);
  });

  it("the check-in screen shows the code large with a QR code that opens the form with the code filled in", async () => {
    const host = await open(world.host, "Host");
    await host.visit(`/sessions/${world.sessionId}`);
    await host.follow(host.main().getByRole("link", { name: "Incheckscherm" }).first(), /\/checkin\/show$/);
    expect(await host.page.locator(".code-large").textContent()).toBe("KQ7MZP");
    const url = `${server.url}/sessions/${world.sessionId}/checkin?code=KQ7MZP`;
    const qr = host.page.getByRole("img", { name: `QR-code die de incheckpagina opent: ${url}` });
    expect(await qr.locator("svg").count()).toBe(1);
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    expect(box!.width).toBeLessThanOrEqual(360);
    await expectNoSeriousAxeViolations(host.page);
    documents.push({ label: `${label}: check-in screen`, html: await html(`/sessions/${world.sessionId}/checkin/show`, world.host) });

    // The participant scans it: logged in, the form has the code; she still presses the button.
    const participant = await open(world.participant, "Participant");
    await participant.visit(url);
    expect(await participant.page.getByLabel("Incheckcode").inputValue()).toBe("KQ7MZP");
    await expectNoSeriousAxeViolations(participant.page);
    documents.push({ label: `${label}: check-in form with the code filled in`, html: await html(`/sessions/${world.sessionId}/checkin?code=KQ7MZP`, world.participant) });
    await participant.send(participant.page.getByRole("button", { name: "Inchecken" }), participant.page.getByText(/^Je bent (ingecheckt|erbij)\.$/));
    // The screen counts who checked in, so that the room sees a code that got out.
    await host.visit(`/sessions/${world.sessionId}/checkin/show`);
    const counted = /^Ingecheckt: (\d+) (persoon|mensen)\.$/.exec((await host.page.locator(".checkin-count").textContent()) ?? "");
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(1);
    // A visitor who scans it logs in first and comes back to the same form.
    const visitor = await Member.open(browser, server.url, { id: "", name: "Visitor", cookie: null }, { javaScript });
    await visitor.visit(url);
    expect(visitor.page.url()).toContain(`/login?redirectTo=${encodeURIComponent(`/sessions/${world.sessionId}/checkin?code=KQ7MZP`)}`);
    await Promise.all([host.context.close(), participant.context.close(), visitor.context.close()]);
  });

  it("a flag shows its confirmation", async () => {
    const witness = await open(world.witness, "Witness");
    await witness.visit(`/initiatives/${world.initiativeId}`);
    const item = witness.page.locator(`#comment-${world.rude}`);
    await item.getByText("Melden: deze reactie breekt een spelregel").click();
    await item.getByLabel("Welke spelregel?").selectOption(rule);
    await item.getByLabel("Waarom?").fill("Kwetsend voor nieuwkomers.");
    const status = witness.page.getByRole("status").filter({ hasText: "Je melding is ontvangen" });
    await witness.send(item.getByRole("button", { name: "Melding versturen" }), status);
    expect(witness.page.url()).toContain(`flagged=comment-${world.rude}`);
    expect(await status.getByRole("link", { name: "Terug naar wat je meldde" }).getAttribute("href")).toBe(`#comment-${world.rude}`);
    await expectNoSeriousAxeViolations(witness.page);
    documents.push({ label: `${label}: the page after a flag`, html: await html(`/initiatives/${world.initiativeId}?flagged=comment-${world.rude}`, world.witness) });
    await witness.context.close();
  });
});
