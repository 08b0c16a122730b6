// Proposals people talk about (issue 17) in a real browser at phone width, with and without
// JavaScript: members discuss a proposal, one objects, and the proposal is amended (twice: once
// with JavaScript, once without) so that the objection is answered; the proposal page and the
// amend form pass axe and the Nu HTML Checker.
import type Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser } from "../support/browser";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { Member } from "../support/e2e-governance";
import { startServer, type RunningServer } from "../support/server";
import { htmlErrors } from "../support/vnu";

const day = 86_400_000;

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
let A: Member; // with JavaScript, opens the proposal
let B: Member; // without JavaScript
let C: Member; // with JavaScript, objects
let visitor: Member;
let proposalId = 0;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  sqlite = openServerDatabase(server.databasePath);
  const [a, b, c] = insertMembers(sqlite, 3, "p");
  const old = Date.now() - 30 * day;
  for (const m of [a, b, c]) sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, m.id);
  sqlite.prepare("UPDATE members SET display_name = ? WHERE id = ?").run("Anna", a.id);
  sqlite.prepare("UPDATE members SET display_name = ? WHERE id = ?").run("Bram", b.id);
  sqlite.prepare("UPDATE members SET display_name = ? WHERE id = ?").run("Cato", c.id);
  A = await Member.open(browser, server.url, { id: a.id, name: "Anna", cookie: a.cookie });
  B = await Member.open(browser, server.url, { id: b.id, name: "Bram", cookie: b.cookie }, { javaScript: false });
  C = await Member.open(browser, server.url, { id: c.id, name: "Cato", cookie: c.cookie });
  visitor = await Member.open(browser, server.url, { id: "", name: "bezoeker", cookie: null });
  const opened = await fetch(`${server.url}/proposals/new`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: a.cookie },
    body: new URLSearchParams({ title: "Elke maand een kookavond", body: "Op de eerste zaterdag van de maand.", kind: "consent", scope: "network", days: "7" }).toString(),
  });
  proposalId = Number(/(\d+)$/.exec(opened.headers.get("location")!)![1]);
});

afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
});

async function comment(person: Member, text: string) {
  await person.visit(`/proposals/${proposalId}`);
  await person.page.getByLabel("Je reactie").fill(text);
  await person.send(person.page.getByRole("button", { name: "Reactie plaatsen" }), person.page.getByText(text).first());
}

async function object(person: Member, reason: string) {
  await person.visit(`/proposals/${proposalId}`);
  await person.page.getByLabel("Bezwaar").check();
  await person.page.getByLabel("Toelichting").fill(reason);
  await person.send(person.page.getByRole("button", { name: "Reactie geven" }), person.page.locator("section[aria-labelledby=positions-heading]").getByText(reason));
}

async function amend(person: Member, title: string, answers: string) {
  await person.visit(`/proposals/${proposalId}`);
  const link = person.page.getByRole("link", { name: "Voorstel aanpassen" });
  await person.follow(link, /\/amend$/);
  await person.page.getByLabel("Wat beantwoordt deze versie?").fill(answers);
  await person.page.getByLabel("Titel").fill(title);
  await person.send(person.page.getByRole("button", { name: "Nieuwe versie publiceren" }), person.page.getByRole("heading", { level: 1, name: title }));
}

describe("discussing and amending a proposal on a phone", () => {
  it("lets members discuss the proposal, with and without JavaScript", async () => {
    await comment(B, "Zaterdag is lastig voor mensen die werken.");
    await comment(A, "Goed punt, wat vinden anderen?");
    await visitor.visit(`/proposals/${proposalId}`);
    const discussion = visitor.page.locator("section[aria-labelledby=discussion-heading]");
    expect(await discussion.textContent()).toContain("Zaterdag is lastig");
    expect(await discussion.textContent()).toContain("wat vinden anderen?");
  });

  it("makes amending the main action after an objection, and keeps the versions and earlier positions visible", async () => {
    await object(C, "Op zaterdag werk ik");
    await amend(A, "Elke maand een kookavond op vrijdag", "Niet op zaterdag, zodat wie dan werkt kan komen.");
    const page = A.page;
    expect(await page.locator("section[aria-labelledby=versions-heading]").textContent()).toContain("Niet op zaterdag, zodat wie dan werkt kan komen.");
    // The positions on version 1 were cleared, and stay readable as such.
    const positions = (await page.locator("section[aria-labelledby=positions-heading]").textContent()) ?? "";
    expect(positions).toContain("Nog geen reacties.");
    expect(positions).toContain("Cato (op versie 1): Bezwaar — Op zaterdag werk ik");
  });

  it("lets a member without JavaScript amend after a new objection", async () => {
    await object(C, "Vrijdag is te vroeg in het weekend");
    await amend(B, "Elke maand een kookavond op donderdag", "Een doordeweekse avond, niet in het weekend.");
    const versions = (await B.page.locator("section[aria-labelledby=versions-heading]").textContent()) ?? "";
    expect(versions).toContain("Versie 3");
    expect(versions).toContain("Versie 2");
    expect(sqlite.prepare("SELECT version FROM proposals WHERE id = ?").pluck().get(proposalId)).toBe(3);
  });

  it("passes axe and the Nu HTML Checker on the proposal page and the amend form", async () => {
    await object(C, "Nog een bezwaar");
    const documents: { label: string; html: string }[] = [];
    for (const [label, person, path] of [
      ["proposal (visitor)", visitor, `/proposals/${proposalId}`],
      ["proposal (member)", A, `/proposals/${proposalId}`],
      ["amend form", A, `/proposals/${proposalId}/amend`],
      ["amend form without JavaScript", B, `/proposals/${proposalId}/amend`],
      ["comment edit", B, `/proposal-comments/1/edit`],
    ] as const) {
      await person.visit(path);
      await expectNoSeriousAxeViolations(person.page);
      const response = await fetch(server.url + path, { headers: { Cookie: (await person.context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") } });
      expect(response.status, label).toBe(200);
      documents.push({ label, html: await response.text() });
    }
    expect(await htmlErrors(documents)).toEqual([]);
  });
});
