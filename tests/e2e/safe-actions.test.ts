// Careful actions in a real browser on a phone, with and without JavaScript: a host cancels with a
// reason; a participant cancels a sign-up on its confirm page and undoes it; a saved profile keeps
// the now line typed with it. The confirm pages pass axe and the Nu HTML Checker.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser, newPage, waitForHydration } from "../support/browser";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";
import { htmlErrors, type HtmlDocument } from "../support/vnu";

let server: RunningServer;
let browser: Browser;
let sqlite: ReturnType<typeof openServerDatabase>;
const documents: HtmlDocument[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  sqlite = openServerDatabase(server.databasePath);
});
afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
});

async function phoneAs(cookie: string, javaScript: boolean) {
  const { context, page } = await newPage(browser, { baseURL: server.url, javaScript, phone: true });
  const [name, value] = cookie.split("=");
  await context.addCookies([{ name, value, url: server.url }]);
  return { context, page };
}

for (const javaScript of [true, false]) {
  describe(`on a phone ${javaScript ? "with" : "without"} JavaScript`, () => {
    it("a participant cancels a sign-up on its confirm page and undoes it", async () => {
      const [host, ann] = insertMembers(sqlite, 2, `p${javaScript}`);
      const { sessionId } = insertCourseSession(sqlite, host.id, 5);
      const { context, page } = await phoneAs(ann.cookie, javaScript);
      await page.goto(`/sessions/${sessionId}`);
      await waitForHydration(page);
      await page.getByRole("button", { name: "Inschrijven", exact: true }).click();
      await page.getByText("Je bent ingeschreven.").waitFor();
      await page.getByRole("button", { name: "Inschrijving annuleren" }).click();
      await page.getByRole("heading", { level: 1, name: "Inschrijving annuleren" }).waitFor();
      expect(await page.locator("main").textContent()).toContain("Je plek gaat naar de eerste op de wachtlijst");
      documents.push({ label: `confirm withdraw (js ${javaScript})`, html: await page.content() });
      if (javaScript) await expectNoSeriousAxeViolations(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.getByRole("button", { name: "Ja, annuleer mijn inschrijving" }).click();
      await page.getByRole("status").getByText("Je inschrijving is geannuleerd.").waitFor();
      expect((sqlite.prepare("SELECT status FROM registrations WHERE session_id = ? AND member_id = ?").get(sessionId, ann.id) as { status: string }).status).toBe("cancelled");
      if (javaScript) await expectNoSeriousAxeViolations(page);
      await page.getByRole("button", { name: "Ongedaan maken" }).click();
      await page.getByRole("status").getByText("Je bent weer ingeschreven.").waitFor();
      expect((sqlite.prepare("SELECT status FROM registrations WHERE session_id = ? AND member_id = ?").get(sessionId, ann.id) as { status: string }).status).toBe("registered");
      await context.close();
    });

    it("a host cancels a session with a reason the page then shows", async () => {
      const [host] = insertMembers(sqlite, 1, `h${javaScript}`);
      const { sessionId } = insertCourseSession(sqlite, host.id, 5);
      const { context, page } = await phoneAs(host.cookie, javaScript);
      await page.goto(`/sessions/${sessionId}/edit`);
      await waitForHydration(page);
      await page.getByLabel("Waarom gaat de bijeenkomst niet door?").fill("De trainer is ziek; we plannen een nieuwe datum.");
      if (javaScript) await expectNoSeriousAxeViolations(page);
      await page.getByRole("button", { name: "Deze bijeenkomst afzeggen" }).click();
      await page.getByText("Reden van de kartrekkers: De trainer is ziek; we plannen een nieuwe datum.").waitFor();
      expect(await page.locator("main .notice[role=status]").textContent()).toContain("De bijeenkomst is afgezegd.");
      await context.close();
    });

    it("a saved profile keeps the now line typed on the same page", async () => {
      const [ann] = insertMembers(sqlite, 1, `n${javaScript}`);
      const { context, page } = await phoneAs(ann.cookie, javaScript);
      await page.goto("/settings/profile");
      await waitForHydration(page);
      await page.getByLabel("Waar ben je nu mee bezig?").fill("Ik zoek een zaal voor twintig mensen");
      await page.getByLabel("Je naam").fill(`Ann ${javaScript}`);
      await page.getByRole("button", { name: "Profiel opslaan" }).click();
      await page.getByRole("status").getByText("Opgeslagen.").waitFor();
      expect(await page.locator("main").textContent()).toContain("Ik zoek een zaal voor twintig mensen");
      await context.close();
    });
  });
}

describe("the confirm pages", () => {
  it("pass the Nu HTML Checker", async () => {
    const [host] = insertMembers(sqlite, 1, "vnu");
    const { initiativeId } = insertCourseSession(sqlite, host.id, 5);
    const { context, page } = await phoneAs(host.cookie, false);
    await page.goto(`/initiatives/${initiativeId}/step-back`);
    expect(await page.getByRole("button", { name: "Ja, ik stap terug" }).count()).toBe(1);
    documents.push({ label: "confirm step back", html: await page.content() });
    await context.close();
    expect(documents.length).toBe(3);
    expect(await htmlErrors(documents)).toEqual([]);
  });
});
