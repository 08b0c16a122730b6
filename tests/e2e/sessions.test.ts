// Course sessions in a real browser, with and without JavaScript: a host adds three sessions of
// one place each, a member enrols in all of them at once, a third member joins the waiting list
// and is promoted when a place comes free (with a mail queued), the session page shows the
// participants and the host tools, and the pages pass axe on a phone.
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser, newPage, phoneViewport, waitForHydration } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const password = "een lang genoeg wachtwoord";

/** "YYYY-MM-DDTHH:mm" for a datetime-local field: the wall time in Amsterdam, `days` from now. */
function amsterdamWallTime(days: number, time: string): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  return `${day}T${time}`;
}

/** One person at one browser: counts the documents the browser loads itself. */
class Visitor {
  documentLoads = 0;
  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly javaScript: boolean,
  ) {
    page.on("request", (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) this.documentLoads++;
    });
  }

  static async open(javaScript: boolean): Promise<Visitor> {
    const { context, page } = await newPage(browser, { baseURL: server.url, javaScript });
    // Fail well within the test's 60 s, but leave room for a loaded 2-core machine.
    context.setDefaultTimeout(20_000);
    return new Visitor(context, page, javaScript);
  }

  /** Loads a page; with JavaScript on, also waits until Remix has taken over. */
  async visit(path: string) {
    await this.page.goto(path);
    await waitForHydration(this.page);
  }

  async reload() {
    await this.page.reload();
    await waitForHydration(this.page);
  }

  /**
   * Clicks a submit button and waits until `done` shows. With JavaScript on, Remix must have
   * submitted the form without a page load; with it off, the browser must have posted it.
   * `done` must be something that was not on the page before the click.
   */
  async submit(button: Locator, done: Locator) {
    const before = this.documentLoads;
    await button.click();
    await done.waitFor();
    if (this.javaScript) expect(this.documentLoads, "Remix submitted the form without a page load").toBe(before);
    else expect(this.documentLoads, "the browser posted the form itself").toBeGreaterThan(before);
  }

  async signUp(name: string, email: string) {
    await this.visit("/signup");
    await this.page.getByLabel("Je naam").fill(name);
    await this.page.getByLabel("E-mailadres").fill(email);
    await this.page.getByLabel("Wachtwoord").fill(password);
    await this.submit(this.page.getByRole("button", { name: "Account maken" }), this.page.getByRole("banner").getByRole("button", { name: "Uitloggen" }));
    expect(await this.page.getByRole("banner").textContent()).toContain(name);
  }

  async logIn(name: string, email: string) {
    await this.visit("/login");
    await this.page.getByLabel("E-mailadres").fill(email);
    await this.page.getByLabel("Wachtwoord").fill(password);
    await this.submit(this.page.getByRole("button", { name: "Inloggen" }), this.page.getByRole("banner").getByRole("button", { name: "Uitloggen" }));
    expect(await this.page.getByRole("banner").textContent()).toContain(name);
  }

  /** The session items on an initiative page, in date order. */
  sessions(): Locator {
    return this.page.locator("main ol.sessions > li");
  }

  session(index: number): Locator {
    return this.sessions().nth(index);
  }
}

// Five signups from one address are allowed per hour (governance/config.ts): the host signs up
// once and logs in again for the run without JavaScript; every other member is new.
const runId = Date.now();
const hostName = `Anna Kartrekker ${runId}`;
const hostEmail = `host-${runId}@example.org`;

for (const javaScript of [true, false]) {
  describe(`sessions with JavaScript ${javaScript ? "on" : "off"}`, () => {
    const run = `${javaScript ? "js" : "nojs"}-${runId}`;
    const title = `Cursus ${javaScript ? "met" : "zonder"} script ${run}`;
    const nameB = javaScript ? `Bram Alleskunner ${runId}` : `Dirk Zonderscript ${runId}`;
    const nameC = javaScript ? `Cato Wachter ${runId}` : `Eva Zonderscript ${runId}`;
    const emailC = `c-${run}@example.org`;
    const organisation = `Buurthuis De Pijler ${run}`;
    const offset = javaScript ? 0 : 1;
    const times = [3, 10, 17].map((days) => ({ startsAt: amsterdamWallTime(days + offset, "19:00"), endsAt: amsterdamWallTime(days + offset, "21:30") }));

    let host: Visitor;
    let b: Visitor;
    let c: Visitor;
    let initiativePath = "";
    let firstSessionId = 0;

    beforeAll(async () => {
      [host, b, c] = await Promise.all([Visitor.open(javaScript), Visitor.open(javaScript), Visitor.open(javaScript)]);
    });

    afterAll(async () => {
      await Promise.all([host?.context.close(), b?.context.close(), c?.context.close()]);
    });

    it("the host posts a course and adds three sessions of one place each", async () => {
      if (javaScript) await host.signUp(hostName, hostEmail);
      else await host.logIn(hostName, hostEmail);
      const { page } = host;

      await host.visit("/initiatives/new");
      await page.getByLabel("Titel").fill(title);
      await page.getByLabel("Korte samenvatting").fill("Drie avonden over het besturen van een vereniging.");
      await page.getByRole("radio", { name: /^Cursus/ }).check();
      await page.getByLabel("Beschrijving").fill("We leren van elkaar.");
      await page.getByLabel("Onderwerpen").fill("bestuur, vrijwilligers");
      await page.getByLabel("Plaats").fill("Utrecht");
      await host.submit(page.getByRole("button", { name: "Initiatief plaatsen" }), page.getByRole("heading", { level: 1, name: title }));
      initiativePath = new URL(page.url()).pathname;
      expect(initiativePath).toMatch(/^\/initiatives\/\d+$/);
      expect(await page.locator(".initiative-header .status").textContent()).toBe("Idee");
      expect(await page.locator("main").textContent()).toContain("Er zijn nog geen bijeenkomsten gepland.");

      for (const [index, { startsAt, endsAt }] of times.entries()) {
        // The host's link on the initiative page leads to the form.
        await page.getByRole("link", { name: "Bijeenkomst toevoegen" }).click();
        await page.waitForURL(`${server.url}${initiativePath}/sessions`);
        await page.getByRole("heading", { level: 1, name: "Bijeenkomst toevoegen" }).waitFor();
        // "Plaats" alone would also match "Aantal plaatsen".
        const place = page.getByRole("textbox", { name: /^Plaats\b/ });
        expect(await place.inputValue(), "the place is prefilled from the initiative").toBe("Utrecht");
        await page.getByLabel("Begint").fill(startsAt);
        await page.getByLabel("Eindigt").fill(endsAt);
        await place.fill(`Zaal ${index + 1}, Utrecht`);
        await page.getByLabel("Gastorganisatie").fill(organisation);
        await page.getByLabel("Aantal plaatsen").fill("1");
        await host.submit(page.getByRole("button", { name: "Bijeenkomst toevoegen" }), host.session(index));
        expect(new URL(page.url()).pathname).toBe(initiativePath);
      }

      expect(await host.sessions().count()).toBe(3);
      expect(await page.locator(".initiative-header .status").textContent()).toBe("Gepland");
      for (const [index] of times.entries()) {
        const text = await host.session(index).textContent();
        expect(text).toContain(`Zaal ${index + 1}, Utrecht`);
        expect(text).toContain(organisation);
        expect(text).toContain("0 van 1 plaats bezet");
      }
      const href = await host.session(0).getByRole("link").first().getAttribute("href");
      expect(href).toMatch(/^\/sessions\/\d+$/);
      firstSessionId = Number(href!.split("/").pop());
    });

    it("a member enrols in all sessions of the course at once", async () => {
      await b.signUp(nameB, `b-${run}@example.org`);
      await b.visit(initiativePath);
      const { page } = b;
      expect(await page.locator("main").textContent()).toContain("Je schrijft je in één keer in voor alle 3 komende bijeenkomsten van deze cursus.");
      await b.submit(page.getByRole("button", { name: "Inschrijven voor alle bijeenkomsten" }), b.session(2).getByText("Je bent ingeschreven."));
      for (const index of [0, 1, 2]) {
        const item = b.session(index);
        expect(await item.locator(".session-state").textContent()).toBe("Je bent ingeschreven.");
        expect(await item.textContent()).toContain("1 van 1 plaats bezet");
        expect(await item.getByRole("button", { name: "Inschrijving annuleren" }).count()).toBe(1);
      }
      // Enrolled everywhere: the enrol button is gone.
      expect(await page.getByRole("button", { name: "Inschrijven voor alle bijeenkomsten" }).count()).toBe(0);
    });

    it("a third member joins the waiting list of the full first session", async () => {
      await c.signUp(nameC, emailC);
      await c.visit(initiativePath);
      const first = c.session(0);
      expect(await first.textContent()).toContain("Vol");
      const button = first.getByRole("button");
      expect(await button.count()).toBe(1);
      expect(await button.textContent()).toBe("Zet me op de wachtlijst");
      await c.submit(button, first.getByText("Je staat op de wachtlijst: plaats 1."));
      expect(await first.locator(".session-state").textContent()).toBe("Je staat op de wachtlijst: plaats 1.");
      expect(await first.textContent()).toContain("1 persoon op de wachtlijst");
      expect(await first.getByRole("button", { name: "Haal me van de wachtlijst" }).count()).toBe(1);
      // The other sessions are untouched.
      expect(await c.session(1).locator(".session-state").count()).toBe(0);
    });

    it("when a place comes free, the first on the waiting list gets it and is mailed", async () => {
      await b.reload();
      const firstOfB = b.session(0);
      // The place is taken again at once by C, so B could only join the waiting list now.
      // Cancelling asks first, on a page of its own; confirmed, it lands back on the initiative.
      await b.submit(firstOfB.getByRole("button", { name: "Inschrijving annuleren" }), b.page.getByRole("button", { name: "Ja, annuleer mijn inschrijving" }));
      await b.submit(b.page.getByRole("button", { name: "Ja, annuleer mijn inschrijving" }), firstOfB.getByRole("button", { name: "Zet me op de wachtlijst", exact: true }));
      expect(await firstOfB.locator(".session-state").count()).toBe(0);
      expect(await b.session(1).locator(".session-state").textContent()).toBe("Je bent ingeschreven.");
      expect(await b.session(2).locator(".session-state").textContent()).toBe("Je bent ingeschreven.");

      await c.reload();
      const firstOfC = c.session(0);
      expect(await firstOfC.locator(".session-state").textContent()).toBe("Je bent ingeschreven.");
      expect(await firstOfC.textContent()).toContain("1 van 1 plaats bezet");
      expect(await firstOfC.textContent()).not.toContain("op de wachtlijst");

      const db = new Database(server.databasePath, { readonly: true, fileMustExist: true });
      try {
        const rows = db
          .prepare(
            `SELECT o.kind, o.dedupe_key AS dedupeKey, o.to_address AS toAddress, o.subject
               FROM outbox o JOIN members m ON m.id = o.member_id
              WHERE m.email = ? AND o.kind = 'promoted'`,
          )
          .all(emailC) as { kind: string; dedupeKey: string; toAddress: string; subject: string }[];
        expect(rows).toHaveLength(1);
        expect(rows[0].toAddress).toBe(emailC);
        expect(rows[0].dedupeKey).toMatch(new RegExp(`^promoted:${firstSessionId}:`));
        expect(rows[0].subject).toContain(title);
      } finally {
        db.close();
      }
    });

    it("the session page shows the participants to participants and the host tools to hosts", async () => {
      const path = `/sessions/${firstSessionId}`;
      const participants = (page: Page) => page.locator("section[aria-labelledby=participants-heading]");

      await c.visit(path);
      expect(await c.page.getByRole("heading", { level: 1 }).textContent()).toBe(title);
      expect(await c.page.locator("main .session-state").textContent()).toBe("Je bent ingeschreven.");
      expect(await participants(c.page).locator(".people li").allTextContents()).toEqual([nameC]);
      expect(await c.page.getByRole("heading", { name: "Voor kartrekkers" }).count()).toBe(0);

      // B withdrew from this session: only the number, no names.
      await b.visit(path);
      const seenByB = (await participants(b.page).textContent()) ?? "";
      expect(seenByB).toContain("1 persoon ingeschreven");
      expect(seenByB).not.toContain(nameC);

      await host.visit(path);
      await host.page.getByRole("heading", { level: 2, name: "Voor kartrekkers" }).waitFor();
      const csvLink = host.page.getByRole("link", { name: "Deelnemerslijst downloaden (CSV)" });
      expect(await csvLink.getAttribute("href")).toBe(`/sessions/${firstSessionId}/participants.csv`);
      expect(await participants(host.page).locator(".people li").allTextContents()).toEqual([nameC]);

      const csv = await host.context.request.get(`/sessions/${firstSessionId}/participants.csv`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()["content-type"]).toContain("text/csv");
      const text = await csv.text();
      expect(text).toContain(nameC);
      expect(text).not.toContain(nameB);
      expect(text).not.toContain("@example.org");
    });

    if (javaScript) {
      it("has no serious accessibility problems on a phone", async () => {
        await c.page.setViewportSize(phoneViewport);
        await c.visit(initiativePath);
        await expectNoSeriousAxeViolations(c.page);

        await host.page.setViewportSize(phoneViewport);
        for (const path of [`${initiativePath}/sessions`, `/sessions/${firstSessionId}`, "/agenda"]) {
          await host.visit(path);
          await expectNoSeriousAxeViolations(host.page);
        }
        expect(await host.page.locator("main").textContent()).toContain(title);
      });
    }
  });
}
