// A first day in the network, in a real browser at phone width, with and without JavaScript: a
// visitor lands on the home page, opens a session, creates an account, sees the start page and
// comes back to the session; a member finds a person and sends them a message; the header fits
// a 320, 360 and 1280 px screen without a broken word, and its menu works without JavaScript; an
// empty network says what to do first; the newsletter, opened from the footer, shows outcomes as
// clean text cut on a word and asks a member with a voice about an open proposal. New pages pass
// axe and the Nu HTML Checker.
import type Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser, newPage, waitForHydration } from "../support/browser";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";
import { htmlErrors, type HtmlDocument } from "../support/vnu";

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
let writer: { id: string; cookie: string };
let reader: { id: string; cookie: string };
let sessionId: number;
const documents: HtmlDocument[] = [];
// Script errors in any page (a hydration that fails shows an error page only with JavaScript).
const pageErrors: string[] = [];
const sessionTitle = "Kennismaken in de wijk";

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [writer, reader] = insertMembers(sqlite, 2, "firstday");
  sqlite.prepare("UPDATE members SET display_name = 'Wendy Schrijver' WHERE id = ?").run(writer.id);
  sqlite.prepare("UPDATE members SET display_name = 'Ravi Lezer', organisation = 'Wijkteam Noord' WHERE id = ?").run(reader.id);
  sqlite.prepare("INSERT INTO now_updates (member_id, text, created_at) VALUES (?, 'Ik zoek mensen die ervaring hebben met inloopspreekuren.', ?)").run(reader.id, Date.now());
  const now = Date.now();
  const initiative = sqlite
    .prepare("INSERT INTO initiatives (title, summary, body, kind, updated_at, created_by) VALUES (?, 'Een avond om elkaar te leren kennen.', '', 'activity', ?, ?) RETURNING id")
    .get(sessionTitle, now, writer.id) as { id: number };
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiative.id, writer.id, now, now);
  const start = now + 5 * 86_400_000;
  sessionId = (
    sqlite
      .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, capacity, place, checkin_code, updated_at) VALUES (?, ?, ?, 20, 'Buurthuis De Kastanje', 'ACDEFG', ?) RETURNING id")
      .get(initiative.id, start, start + 7_200_000, now) as { id: number }
  ).id;
  browser = await launchBrowser();
});

afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
});

async function phone(javaScript: boolean, cookie?: string, width = 360) {
  const { context, page } = await newPage(browser, { baseURL: server.url, javaScript, viewport: { width, height: 740 }, cookie });
  context.setDefaultTimeout(20_000);
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  return { context, page };
}

async function visit(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page);
}

/** Keeps the page for the Nu HTML Checker and checks it with axe. */
async function checkPage(page: Page, label: string) {
  documents.push({ label, html: await page.content() });
  await expectNoSeriousAxeViolations(page);
}

for (const javaScript of [true, false]) {
  describe(`a first day with JavaScript ${javaScript ? "on" : "off"}`, () => {
    it("a visitor reads what the network is, opens a session, creates an account, sees the start page and is back at the session", async () => {
      const { context, page } = await phone(javaScript);
      try {
        await visit(page, "/");
        const main = page.locator("main");
        expect(await main.textContent()).toContain("Meedoen is een leernetwerk van mensen uit allerlei organisaties");
        expect(await main.getByRole("link", { name: "Account maken" }).count()).toBe(1);
        if (javaScript) await checkPage(page, "home, visitor");
        await main.getByRole("link", { name: sessionTitle }).first().click();
        await page.waitForURL(new RegExp(`/sessions/${sessionId}$`));
        await page.getByRole("heading", { level: 1, name: new RegExp(sessionTitle) }).waitFor();
        await waitForHydration(page);
        // The session page offers an account, and remembers where the visitor was.
        const signup = main.getByRole("link", { name: "Account maken" });
        expect(await signup.getAttribute("href")).toBe(`/signup?redirectTo=${encodeURIComponent(`/sessions/${sessionId}`)}`);
        await signup.click();
        await page.waitForURL(/\/signup\?redirectTo=/);
        await waitForHydration(page);
        const name = javaScript ? "Sanne Script" : "Stijn Zonder";
        await page.getByLabel("Je naam").fill(name);
        await page.getByLabel("E-mailadres").fill(`${javaScript ? "js" : "nojs"}-${Date.now()}@example.org`);
        await page.getByLabel("Wachtwoord").fill("een lang genoeg wachtwoord");
        await page.getByRole("button", { name: "Account maken" }).click();
        await page.waitForURL(new RegExp(`/welcome\\?redirectTo=%2Fsessions%2F${sessionId}$`));
        await waitForHydration(page);
        await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(`Welkom, ${name}`);
        for (const link of ["Mijn profiel invullen", "Deelnemers bekijken", "De agenda"]) expect(await main.getByRole("link", { name: link }).count()).toBe(1);
        await checkPage(page, `welcome, JavaScript ${javaScript}`);
        await main.getByRole("link", { name: "Verder" }).click();
        await page.waitForURL(new RegExp(`/sessions/${sessionId}$`));
        await waitForHydration(page);
        await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain(sessionTitle);
        // Logged in now: the session offers no account any more.
        expect(await main.getByRole("link", { name: "Account maken" }).count()).toBe(0);
      } finally {
        await context.close();
      }
    });

    it("a member finds a person and sends them a message, with a clear error first", async () => {
      const { context, page } = await phone(javaScript, writer.cookie);
      try {
        const before = sqlite.prepare("SELECT count(*) FROM outbox WHERE kind = 'member-message' AND member_id = ?").pluck().get(reader.id) as number;
        // Next to the "now" line …
        await visit(page, "/now");
        expect(await page.locator("main").getByRole("link", { name: "Stuur een bericht aan Ravi Lezer" }).count()).toBe(1);
        if (javaScript) await checkPage(page, "now, member");
        // … and on the profile.
        await visit(page, `/members/${reader.id}`);
        await page.locator("main").getByRole("link", { name: "Stuur een bericht aan Ravi Lezer" }).first().click();
        await page.waitForURL(new RegExp(`/members/${reader.id}/message$`));
        await waitForHydration(page);
        await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Bericht aan Ravi Lezer");
        await checkPage(page, `message form, JavaScript ${javaScript}`);
        await page.getByRole("button", { name: "Bericht versturen" }).click();
        await page.getByText("Schrijf je bericht.").waitFor();
        await checkPage(page, `message form with an error, JavaScript ${javaScript}`);
        await page.getByLabel("Je bericht").fill(`Hoi Ravi, ik organiseer ook een inloopspreekuur (${javaScript ? "met" : "zonder"} script). Zullen we eens bellen?`);
        await page.getByLabel("Mijn e-mailadres meesturen zodat Ravi Lezer direct kan antwoorden").check();
        await page.getByRole("button", { name: "Bericht versturen" }).click();
        await page.getByText("Je bericht is verstuurd.").waitFor();
        expect(page.url()).toMatch(new RegExp(`/members/${reader.id}/message\\?sent=1$`));
        await checkPage(page, `message sent, JavaScript ${javaScript}`);
        expect(sqlite.prepare("SELECT count(*) FROM outbox WHERE kind = 'member-message' AND member_id = ?").pluck().get(reader.id)).toBe(before + 1);
        expect(sqlite.prepare("SELECT dedupe_key FROM outbox WHERE kind = 'member-message' AND member_id = ? ORDER BY id DESC").pluck().get(reader.id)).toMatch(new RegExp(`^member-message:reply:${writer.id}:`));
        expect(await page.content()).not.toContain(`${reader.id}@example.org`);
      } finally {
        await context.close();
      }
    });
  });
}

type HeaderReport = { problems: string[]; height: number; current: string[] };

/** What is wrong with the header as it is shown now: overflow, a label on two lines, hyphenation. */
function headerReport(page: Page): Promise<HeaderReport> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) problems.push(`the page is ${root.scrollWidth}px wide in ${root.clientWidth}px`);
    const header = document.querySelector<HTMLElement>(".site-header")!;
    const shown = [...header.querySelectorAll<HTMLElement>("a, button, summary")].filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
    for (const el of shown) {
      const label = (el.textContent ?? "").trim();
      const style = getComputedStyle(el);
      if (el.scrollWidth > el.clientWidth) problems.push(`"${label}" overflows (${el.scrollWidth} > ${el.clientWidth})`);
      const text = document.createRange();
      text.selectNodeContents(el);
      const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.55;
      if (text.getBoundingClientRect().height > 1.5 * lineHeight) problems.push(`"${label}" takes more than one line`);
      if (style.hyphens === "auto" || style.getPropertyValue("-webkit-hyphens") === "auto") problems.push(`"${label}" may be hyphenated`);
      if (["break-all", "break-word"].includes(style.wordBreak) || ["anywhere", "break-word"].includes(style.overflowWrap)) problems.push(`"${label}" may break inside a word`);
    }
    const current = [...header.querySelectorAll<HTMLElement>('[aria-current="page"]')].filter((el) => el.getClientRects().length > 0).map((el) => (el.textContent ?? "").trim());
    return { problems, height: header.getBoundingClientRect().height, current };
  });
}

describe("the header", () => {
  for (const width of [320, 360, 1280]) {
    for (const who of ["visitor", "member"] as const) {
      it(`fits ${width} px for a ${who}: no overflow, every label on one line, the page marked, the menu's links shown when open`, async () => {
        const { context, page } = await phone(true, who === "member" ? writer.cookie : undefined, width);
        try {
          await visit(page, "/now");
          const closed = await headerReport(page);
          expect(closed.problems).toEqual([]);
          const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
          if (width < 768) {
            // One line of header: the menu holds the rest.
            expect(closed.height).toBeLessThanOrEqual(60);
            await nav.getByText("Menu").click();
          }
          // The menu on a phone, the row on a desktop: each holds every page once.
          const list = nav.locator(width < 768 ? ".nav-list" : ".nav-row");
          for (const label of ["Initiatieven", "Agenda", "Nu", "Deelnemers", "Werkvormen", "Voorstellen", "Netwerk", "Nieuwsbrief", "Nieuw initiatief"]) {
            expect(await list.getByRole("link", { name: label, exact: true }).count(), label).toBe(1);
          }
          expect(await list.getByRole("link", { name: "Werkvormen", exact: true }).getAttribute("href")).toBe("/methods");
          const open = await headerReport(page);
          expect(open.problems).toEqual([]);
          expect(open.current).toContain("Nu");
          const account = page.getByRole("banner");
          if (who === "member") expect(await account.getByRole("button", { name: "Uitloggen" }).count()).toBe(1);
          else expect(await account.getByRole("link", { name: "Inloggen" }).getAttribute("href")).toBe("/login?redirectTo=%2Fnow");
          // Every page links to the newsletter at its foot.
          expect(await page.getByRole("contentinfo").getByRole("link", { name: "Nieuwsbrief" }).getAttribute("href")).toBe("/digest");
        } finally {
          await context.close();
        }
      });
    }
  }

  it("opens its menu and follows its links without JavaScript", async () => {
    const { context, page } = await phone(false, undefined, 320);
    try {
      await visit(page, "/");
      const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
      expect(await nav.getByRole("link", { name: "Nieuwsbrief" }).count()).toBe(0);
      await nav.getByText("Menu").click();
      await nav.getByRole("link", { name: "Nieuwsbrief" }).click();
      await page.waitForURL(/\/digest$/);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("week");
      await nav.getByText("Menu").click();
      expect(await nav.locator('[aria-current="page"]').allTextContents()).toContain("Nieuwsbrief");
      await nav.getByRole("link", { name: "Nu", exact: true }).click();
      await page.waitForURL(/\/now$/);
      await checkPage(page, "now with the menu, no JavaScript");
    } finally {
      await context.close();
    }
  });

  it("closes the menu after following a link with JavaScript", async () => {
    const { context, page } = await phone(true, undefined, 360);
    try {
      await visit(page, "/");
      const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
      await nav.getByText("Menu").click();
      await nav.getByRole("link", { name: "Deelnemers" }).click();
      await page.waitForURL(/\/members$/);
      const menuOpen = () => page.locator("details.nav-menu").evaluate((d) => (d as HTMLDetailsElement).open);
      await expect.poll(menuOpen).toBe(false);
      // A form in the menu that comes back to the same address (the language switch) closes it too.
      await nav.getByText("Menu").click();
      expect(await menuOpen()).toBe(true);
      await nav.locator(".nav-menu").getByRole("button", { name: /EN/ }).click();
      await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
      expect(page.url()).toMatch(/\/members$/);
      await expect.poll(menuOpen).toBe(false);
    } finally {
      await context.close();
    }
  });
});

describe("an empty network", () => {
  it("welcomes the first people with what to do first, instead of an empty list", async () => {
    const empty = await startServer();
    const { context, page } = await newPage(browser, { baseURL: empty.url, phone: true });
    try {
      await visit(page, "/");
      const text = (await page.locator("main").textContent()) ?? "";
      expect(text).toContain("Welkom in een nieuw netwerk");
      expect(text).toContain("Maak een account en zet het eerste initiatief neer");
      expect(text).not.toContain("Er zijn nog geen initiatieven");
      await checkPage(page, "empty network, visitor");
    } finally {
      await context.close();
      await empty.stop();
    }
  });
});

describe("the newsletter", () => {
  it("opens from the footer on a phone, cuts outcomes on a word as clean text, and asks a member with a voice about the open proposal", async () => {
    // The writer is a founder a week old: during the start-up that is a voice.
    const old = Date.now() - 7 * 86_400_000;
    sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, writer.id);
    const initiativeId = sqlite.prepare("SELECT initiative_id FROM sessions WHERE id = ?").pluck().get(sessionId) as number;
    const long = `## Wat we leerden\n\n- **Samen** koken werkt\n- Iedereen _neemt_ iets mee\n\n${"Het gesprek ging over vertrouwen en over wie de sleutel van het buurthuis heeft. ".repeat(6)}`;
    sqlite.prepare("INSERT INTO outcomes (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)").run(initiativeId, writer.id, long, Date.now(), Date.now());
    const opened = await fetch(`${server.url}/proposals/new`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: writer.cookie },
      body: new URLSearchParams({ title: "Een vaste avond per maand", body: "", kind: "consent", scope: "network", days: "7" }).toString(),
    });
    expect(opened.status).toBe(303);

    for (const [who, asked] of [[writer, true], [reader, false]] as const) {
      const { context, page } = await phone(false, who.cookie);
      try {
        await visit(page, "/");
        await page.getByRole("contentinfo").getByRole("link", { name: "Nieuwsbrief" }).click();
        await page.waitForURL(/\/digest$/);
        const main = (await page.locator("main").textContent()) ?? "";
        expect(main).toContain("Samen koken werkt");
        expect(main).not.toMatch(/\*\*|## |_neemt_/);
        // The excerpt ends after a whole word of the outcome, with an ellipsis.
        const cut = /Samen koken werkt[^…]*…/.exec(main)![0];
        const lastWord = cut.slice(0, -1).trim().split(/\s+/).pop()!;
        expect(long).toMatch(new RegExp(`\\b${lastWord}\\b`));
        expect(main).toContain("Een vaste avond per maand");
        expect(main.includes("Je stem wordt gevraagd")).toBe(asked);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        if (asked) await checkPage(page, "newsletter, member with a voice");
      } finally {
        await context.close();
      }
    }
  });
});

describe("the new pages", () => {
  it("ran without a script error", () => {
    expect(pageErrors).toEqual([]);
  });

  it("pass the Nu HTML Checker", async () => {
    expect(documents.length).toBeGreaterThan(8);
    expect(await htmlErrors(documents)).toEqual([]);
  });
});
