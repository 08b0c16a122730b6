// A host on a phone (360 px) fills in half the form for a new session, follows "Nieuwe plek
// toevoegen", adds the venue and comes back to the form with everything typed still there and
// the new venue picked (docs/decisions/055); going back from the venue form without saving keeps
// it too. Without JavaScript, and with it. Every page on the way fits the screen and passes axe.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { expectNoSeriousAxeViolations, newPage, waitForHydration } from "../support/browser";
import { browserAndServerForFile } from "../support/browser-server-for-file";
import { insertCourseSession, insertMembers } from "../support/direct-db";

const files = browserAndServerForFile();

async function fitsAndPassesAxe(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expectNoSeriousAxeViolations(page);
}

/** "YYYY-MM-DDTHH:mm" for a datetime-local field: the wall time in Amsterdam, `days` from now. */
function amsterdamWallTime(days: number, time: string): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  return `${day}T${time}`;
}

const typed = {
  startsAt: amsterdamWallTime(20, "19:00"),
  endsAt: amsterdamWallTime(20, "21:00"),
  onlineUrl: "https://meet.example.org/taalcafe",
  place: "Achterzaal",
  hostOrganisation: "Bibliotheek Noord",
  capacity: "14",
  count: "3",
};

async function fillIn(page: Page) {
  await page.getByLabel("Begint").fill(typed.startsAt);
  await page.getByLabel("Eindigt").fill(typed.endsAt);
  await page.getByLabel("Op locatie en online").check();
  await page.getByLabel("Link naar het online gesprek").fill(typed.onlineUrl);
  await page.getByLabel("Andere plaats").fill(typed.place);
  await page.getByLabel("Gastorganisatie").fill(typed.hostOrganisation);
  await page.getByLabel("Aantal plaatsen").fill(typed.capacity);
  await page.getByLabel("Elke week").check();
  await page.getByLabel("Aantal bijeenkomsten").fill(typed.count);
}

async function expectFilledIn(page: Page) {
  expect(await page.getByLabel("Begint").inputValue()).toBe(typed.startsAt);
  expect(await page.getByLabel("Eindigt").inputValue()).toBe(typed.endsAt);
  expect(await page.getByLabel("Op locatie en online").isChecked()).toBe(true);
  expect(await page.getByLabel("Link naar het online gesprek").inputValue()).toBe(typed.onlineUrl);
  expect(await page.getByLabel("Andere plaats").inputValue()).toBe(typed.place);
  expect(await page.getByLabel("Gastorganisatie").inputValue()).toBe(typed.hostOrganisation);
  expect(await page.getByLabel("Aantal plaatsen").inputValue()).toBe(typed.capacity);
  expect(await page.getByLabel("Elke week").isChecked()).toBe(true);
  expect(await page.getByLabel("Aantal bijeenkomsten").inputValue()).toBe(typed.count);
}

it.each([false, true])("on a phone (JavaScript %s): what was typed is still there after adding a venue, with the venue picked", async (javaScript) => {
  const { server, browser, sqlite } = files;
  const [host] = insertMembers(sqlite, 1, `phonehost${javaScript}`);
  const { initiativeId } = insertCourseSession(sqlite, host.id, null);
  const venueName = `Buurthuis De Linde ${javaScript ? "met" : "zonder"} script`;
  sqlite.prepare("INSERT INTO venues (name, address, created_at, updated_at) VALUES ('Café De Hoek', 'Hoekstraat 2', ?, ?)").run(Date.now(), Date.now());
  const { context, page } = await newPage(browser, { baseURL: server.url, javaScript, phone: true, cookie: host.cookie });
  context.setDefaultTimeout(20_000);
  const formPath = `/initiatives/${initiativeId}/sessions`;

  await page.goto(formPath);
  await waitForHydration(page);
  await page.getByRole("heading", { level: 1, name: "Bijeenkomst toevoegen" }).waitFor();
  expect(await page.locator("main").textContent()).toContain("Wat je hier al invulde, blijft bewaard");
  await fitsAndPassesAxe(page);

  // Enter in a field sends the form itself, not the way to a new venue.
  await page.getByLabel("Andere plaats").fill("Alleen dit");
  await page.getByLabel("Andere plaats").press("Enter");
  await page.getByText("Vul een geldige datum en tijd in.").first().waitFor();
  expect(new URL(page.url()).pathname).toBe(formPath);

  await fillIn(page);
  await page.getByRole("button", { name: "Nieuwe plek toevoegen" }).click();
  await page.getByRole("heading", { level: 1, name: "Plek toevoegen" }).waitFor();
  expect(new URL(page.url()).pathname).toBe("/venues/new");
  await fitsAndPassesAxe(page);
  await page.getByLabel("Naam van de plek").fill(venueName);
  await page.getByLabel("Adres").fill("Lindelaan 1");
  await page.getByRole("button", { name: "Plek toevoegen" }).click();

  await page.getByText("De nieuwe plek is opgeslagen en gekozen.").waitFor();
  expect(new URL(page.url()).pathname).toBe(formPath);
  await waitForHydration(page);
  await expectFilledIn(page);
  const venueId = (sqlite.prepare("SELECT id FROM venues WHERE name = ?").get(venueName) as { id: number }).id;
  expect(await page.getByLabel("Plek uit de lijst").inputValue()).toBe(String(venueId));
  expect(await page.getByLabel("Plek uit de lijst").locator("option:checked").textContent()).toBe(`${venueName} (Lindelaan 1)`);
  await fitsAndPassesAxe(page);

  // Once more to the venue form, and back without saving: still all there.
  await page.getByRole("button", { name: "Nieuwe plek toevoegen" }).click();
  await page.getByRole("heading", { level: 1, name: "Plek toevoegen" }).waitFor();
  await page.getByRole("link", { name: "← Terug naar het formulier van je bijeenkomst" }).click();
  await page.getByText("Wat je eerder invulde, staat er weer.").waitFor();
  await waitForHydration(page);
  await expectFilledIn(page);
  await page.getByLabel("Plek uit de lijst").selectOption(String(venueId));

  // Saved: three sessions at the new venue, and the draft is gone.
  await page.getByRole("button", { name: "Bijeenkomst toevoegen" }).click();
  await page.getByRole("heading", { level: 1, name: "Race" }).waitFor();
  expect(sqlite.prepare("SELECT count(*) AS n FROM sessions WHERE initiative_id = ? AND venue_id = ? AND capacity = 14").get(initiativeId, venueId)).toEqual({ n: 3 });
  expect(sqlite.prepare("SELECT count(*) AS n FROM session_drafts WHERE member_id = ?").get(host.id)).toEqual({ n: 0 });
  await context.close();
});
