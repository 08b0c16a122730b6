// Careful actions in a real browser on a phone, with and without JavaScript: a host cancels with a
// reason; a participant cancels a sign-up on its confirm page and undoes it; a member leaves a
// waiting list and undoes it; a host steps back and undoes it; a member deletes her own comment
// after confirming; a saved profile keeps the now line typed with it; a room of colleagues on one
// Wi-Fi creates accounts together, mistakes included. The confirm pages pass axe and the Nu HTML Checker.
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

const statusOf = (sessionId: number, memberId: string) => (sqlite.prepare("SELECT status FROM registrations WHERE session_id = ? AND member_id = ?").get(sessionId, memberId) as { status: string } | undefined)?.status;
const hosting = (initiativeId: number, memberId: string) => sqlite.prepare("SELECT count(*) FROM hosts WHERE initiative_id = ? AND member_id = ?").pluck().get(initiativeId, memberId);

async function phoneAs(cookie: string, javaScript: boolean) {
  return newPage(browser, { baseURL: server.url, javaScript, phone: true, cookie });
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

    it("a member leaves a waiting list on its confirm page and undoes it", async () => {
      const [host, first, ann] = insertMembers(sqlite, 3, `w${javaScript}`);
      const { sessionId } = insertCourseSession(sqlite, host.id, 1);
      const taken = await fetch(`${server.url}/sessions/${sessionId}/register`, { method: "POST", redirect: "manual", headers: { Origin: server.url, Cookie: first.cookie, "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
      expect(taken.status).toBe(303);
      const { context, page } = await phoneAs(ann.cookie, javaScript);
      await page.goto(`/sessions/${sessionId}`);
      await waitForHydration(page);
      await page.getByRole("button", { name: "Zet me op de wachtlijst" }).click();
      await page.getByRole("button", { name: "Haal me van de wachtlijst" }).click();
      await page.getByRole("heading", { level: 1, name: "Van de wachtlijst af" }).waitFor();
      if (javaScript) await expectNoSeriousAxeViolations(page);
      await page.getByRole("button", { name: "Ja, haal me van de wachtlijst" }).click();
      await page.locator("main .notice").getByText("Je staat niet meer op de wachtlijst.").waitFor();
      expect(statusOf(sessionId, ann.id)).toBe("cancelled");
      await page.getByRole("button", { name: "Ongedaan maken" }).click();
      await page.locator("main .notice").getByText(/Je bent weer ingeschreven\.|achteraan op de wachtlijst/).waitFor();
      expect(statusOf(sessionId, ann.id)).toBe("waitlisted");
      await context.close();
    });

    it("a host steps back on its confirm page and undoes it", async () => {
      const [host, other] = insertMembers(sqlite, 2, `s${javaScript}`);
      const { initiativeId } = insertCourseSession(sqlite, host.id, 5);
      sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiativeId, other.id, Date.now(), Date.now());
      const { context, page } = await phoneAs(host.cookie, javaScript);
      await page.goto(`/initiatives/${initiativeId}`);
      await waitForHydration(page);
      await page.getByRole("button", { name: "Stap terug als kartrekker" }).click();
      await page.getByRole("heading", { level: 1, name: "Terugstappen als kartrekker" }).waitFor();
      expect(hosting(initiativeId, host.id)).toBe(1);
      if (javaScript) await expectNoSeriousAxeViolations(page);
      await page.getByRole("button", { name: "Ja, ik stap terug" }).click();
      await page.locator("main .notice").getByText("Je bent geen kartrekker meer van dit initiatief.").waitFor();
      expect(hosting(initiativeId, host.id)).toBe(0);
      await page.getByRole("button", { name: "Ongedaan maken" }).click();
      await page.locator("main .notice").getByText("Je bent weer kartrekker van dit initiatief.").waitFor();
      expect(hosting(initiativeId, host.id)).toBe(1);
      await context.close();
    });

    it("a member deletes her own comment only after confirming", async () => {
      const [host, ann] = insertMembers(sqlite, 2, `c${javaScript}`);
      const { initiativeId } = insertCourseSession(sqlite, host.id, 5);
      const commentId = (sqlite.prepare("INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, 'Oeps, verkeerde pagina', ?, ?) RETURNING id").get(initiativeId, ann.id, Date.now(), Date.now()) as { id: number }).id;
      const { context, page } = await phoneAs(ann.cookie, javaScript);
      await page.goto(`/initiatives/${initiativeId}`);
      await waitForHydration(page);
      await page.locator(`#comment-${commentId}`).getByRole("link", { name: /Verwijderen/ }).click();
      await page.getByRole("heading", { level: 1, name: "Reactie verwijderen" }).waitFor();
      expect(await page.locator("main").textContent()).toContain("Dit kun je niet ongedaan maken.");
      if (javaScript) await expectNoSeriousAxeViolations(page);
      // Changing her mind leaves the comment where it was.
      await page.getByRole("link", { name: "Nee, laat staan" }).click();
      await page.getByText("Oeps, verkeerde pagina").waitFor();
      await page.locator(`#comment-${commentId}`).getByRole("link", { name: /Verwijderen/ }).click();
      await page.getByRole("button", { name: "Ja, verwijder mijn reactie" }).click();
      await page.locator("main .notice").getByText("Je reactie is verwijderd.").waitFor();
      expect(sqlite.prepare("SELECT count(*) FROM comments WHERE id = ?").pluck().get(commentId)).toBe(0);
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

describe("a room signs up together", () => {
  it("eight colleagues on one Wi-Fi each make a mistake and then create an account, all within the hour", async () => {
    // Every browser here comes from the same address, as a room on a venue's Wi-Fi does.
    const { context, page } = await newPage(browser, { baseURL: server.url, javaScript: false, phone: true });
    for (let i = 0; i < 8; i++) {
      await context.clearCookies();
      await page.goto("/signup");
      const email = `collega${i}-${Date.now()}@example.org`;
      await page.getByLabel("Je naam").fill(`Collega ${i}`);
      await page.getByLabel("E-mailadres").fill(email);
      await page.getByLabel("Wachtwoord").fill("kort");
      await page.getByRole("button", { name: "Account maken" }).click();
      await page.locator("main [aria-invalid=true]").first().waitFor();
      await page.getByLabel("Wachtwoord").fill("een lang genoeg wachtwoord");
      await page.getByRole("button", { name: "Account maken" }).click();
      await page.waitForURL(/\/welcome/);
      expect(sqlite.prepare("SELECT count(*) FROM members WHERE email = ?").pluck().get(email)).toBe(1);
    }
    await context.close();
  });
});

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
