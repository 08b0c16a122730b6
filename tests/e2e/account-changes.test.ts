// A member on a phone (360 px) without JavaScript changes her password and then her e-mail
// address, following the link mailed to the new address; every page on the way passes axe and
// fits the screen.
import type { Page } from "playwright-core";
import { expect, it } from "vitest";
import { hashPassword } from "~/lib/auth.server";
import { expectNoSeriousAxeViolations, newPage } from "../support/browser";
import { browserAndServerForFile } from "../support/browser-server-for-file";
import { insertMembers } from "../support/direct-db";

const files = browserAndServerForFile();

async function fitsAndPassesAxe(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await expectNoSeriousAxeViolations(page);
}

it("without JavaScript on a phone: a new password, then a new e-mail address confirmed from the mail's link", async () => {
  const { server, browser, sqlite } = files;
  const [ann] = insertMembers(sqlite, 1, "phone");
  sqlite.prepare("UPDATE members SET password_hash = ? WHERE id = ?").run(await hashPassword("a long enough password"), ann.id);
  const email = `${ann.id}@example.org`;
  const { context, page } = await newPage(browser, { baseURL: server.url, javaScript: false, phone: true, cookie: ann.cookie });

  await page.goto("/settings");
  expect(await page.locator("main").textContent()).toContain(`Je e-mailadres: ${email}`);
  await fitsAndPassesAxe(page);

  // The password: a wrong one first.
  await page.getByRole("link", { name: "Wachtwoord wijzigen" }).click();
  await page.getByRole("heading", { level: 1, name: "Wachtwoord wijzigen" }).waitFor();
  await fitsAndPassesAxe(page);
  await page.getByLabel("Je huidige wachtwoord").fill("not my password");
  await page.getByLabel("Nieuw wachtwoord").fill("een heel nieuw wachtwoord");
  await page.getByRole("button", { name: "Wachtwoord wijzigen" }).click();
  await page.getByText("Dit is niet je huidige wachtwoord.").waitFor();
  await fitsAndPassesAxe(page);
  await page.getByLabel("Je huidige wachtwoord").fill("a long enough password");
  await page.getByLabel("Nieuw wachtwoord").fill("een heel nieuw wachtwoord");
  await page.getByRole("button", { name: "Wachtwoord wijzigen" }).click();
  await page.getByText("Je wachtwoord is gewijzigd.").waitFor();
  expect(new URL(page.url()).pathname).toBe("/settings");

  // The address.
  await page.getByRole("link", { name: "E-mailadres wijzigen" }).click();
  await page.getByRole("heading", { level: 1, name: "E-mailadres wijzigen" }).waitFor();
  await fitsAndPassesAxe(page);
  await page.getByLabel("Nieuw e-mailadres").fill("ann.nieuw@example.org");
  await page.getByLabel("Je wachtwoord, ter bevestiging").fill("een heel nieuw wachtwoord");
  await page.getByRole("button", { name: "Stuur de link" }).click();
  await page.getByText("We hebben een link gestuurd naar je nieuwe e-mailadres.").waitFor();
  expect(await page.locator("main").textContent()).toContain("Wacht op bevestiging: ann.nieuw@example.org");
  await fitsAndPassesAxe(page);

  const mail = sqlite.prepare("SELECT body FROM outbox WHERE kind = 'email-change' AND to_address = 'ann.nieuw@example.org'").get() as { body: string };
  const link = /\/settings\/email\/[A-Za-z0-9_-]{43}/.exec(mail.body)![0];
  await page.goto(link);
  await page.getByRole("heading", { level: 1, name: "Nieuw e-mailadres bevestigen" }).waitFor();
  await fitsAndPassesAxe(page);
  await page.getByRole("button", { name: "Ja, gebruik dit e-mailadres" }).click();
  await page.getByText("Je e-mailadres is gewijzigd.").waitFor();
  expect(await page.locator("main").textContent()).toContain("Je e-mailadres: ann.nieuw@example.org");
  await fitsAndPassesAxe(page);

  // The link a second time: a clear page that fits and passes axe.
  await page.goto(link);
  await page.getByText("Deze link is al gebruikt").waitFor();
  await fitsAndPassesAxe(page);
  await context.close();
});
