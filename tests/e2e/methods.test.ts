// The working methods pages in a real browser, on the seeded demo network: every new page at
// 360 px passes axe and the Nu HTML Checker and needs no sideways scrolling, and the forms (add a
// method, a new version, a host's "we used: …" on a session) work without JavaScript.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser, newPage, waitForHydration } from "../support/browser";
import { openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";
import { htmlErrors, type HtmlDocument } from "../support/vnu";

const databasePath = path.join(os.tmpdir(), `meedoen-methods-${randomBytes(4).toString("hex")}.sqlite`);
let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
let anna: string;
let hostCookie: string;
let hostedSession: number;
let methodId: number;
let annaCookie: string;
const documents: HtmlDocument[] = [];

/** A login session for a demo member, written into the database (the login form is tested elsewhere). */
function cookieFor(memberId: string) {
  const id = randomBytes(20).toString("hex");
  sqlite.prepare("INSERT INTO auth_sessions (id, member_id, expires_at) VALUES (?, ?, ?)").run(id, memberId, Math.floor(Date.now() / 1000) + 86_400);
  return `meedoen_session=${id}`;
}

async function open(cookie: string | null, javaScript = true) {
  const { context, page } = await newPage(browser, { baseURL: server.url, phone: true, javaScript, cookie });
  return { context, page };
}

async function fitsPhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, "no sideways scrolling at 360 px").toBeLessThanOrEqual(360);
}

beforeAll(async () => {
  execFileSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "db/seed.ts"], { env: { ...process.env, DATABASE_PATH: databasePath }, stdio: "ignore" });
  server = await startServer({ DATABASE_PATH: databasePath });
  sqlite = openServerDatabase(databasePath);
  browser = await launchBrowser();
  anna = sqlite.prepare("SELECT id FROM members WHERE email = 'anna@demo.meedoen.nl'").pluck().get() as string;
  methodId = sqlite.prepare("SELECT id FROM methods WHERE title = 'Check-in ronde'").pluck().get() as number;
  const hosted = sqlite.prepare("SELECT sm.session_id AS session, h.member_id AS host FROM session_methods sm JOIN sessions s ON s.id = sm.session_id JOIN hosts h ON h.initiative_id = s.initiative_id WHERE sm.session_id NOT IN (SELECT session_id FROM session_methods WHERE method_id = (SELECT id FROM methods WHERE title = 'Fishbowl')) LIMIT 1").get() as { session: number; host: string };
  hostedSession = hosted.session;
  // The words below are Dutch; some demo members read in English.
  sqlite.prepare("UPDATE members SET locale = 'nl' WHERE id IN (?, ?)").run(hosted.host, anna);
  hostCookie = cookieFor(hosted.host);
  annaCookie = cookieFor(anna);
});

afterAll(async () => {
  await browser?.close();
  sqlite?.close();
  await server?.stop();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
});

describe("the working methods pages", () => {
  const pages: [string, "visitor" | "anna" | "host"][] = [
    ["/methods", "visitor"],
    ["/methods?q=kring", "visitor"],
    ["/methods?tag=groep", "visitor"],
    ["/methods/:method", "visitor"],
    ["/methods/:method/history", "visitor"],
    ["/methods/:method", "anna"],
    ["/methods/new", "anna"],
    ["/methods/:method/edit", "anna"],
    ["/sessions/:session", "host"],
    ["/sessions/:session", "visitor"],
    ["/members?method=:method", "visitor"],
    ["/digest", "anna"],
  ];
  for (const [pattern, who] of pages) {
    it(`${pattern} passes axe at 360 px without sideways scrolling (${who})`, async () => {
      const url = pattern.replace(":method", String(methodId)).replace(":session", String(hostedSession));
      const cookie = who === "anna" ? annaCookie : who === "host" ? hostCookie : null;
      const { context, page } = await open(cookie);
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      await waitForHydration(page);
      await fitsPhone(page);
      await expectNoSeriousAxeViolations(page);
      documents.push({ label: `${url} (${who})`, html: await (await fetch(server.url + url, { headers: cookie ? { Cookie: cookie } : {} })).text() });
      await context.close();
    });
  }

  it("pass the HTML checker, and show the history's diff and where a method was used", async () => {
    expect(documents).toHaveLength(pages.length);
    const history = documents.find((d) => d.label === `/methods/${methodId}/history (visitor)`)!.html;
    expect(history).toContain("Versie 2");
    expect(history).toContain("<ins>");
    const methodPage = documents.find((d) => d.label === `/methods/${methodId} (visitor)`)!.html;
    expect(methodPage).toContain("Gebruikt in");
    expect(methodPage).toContain(`/members?method=${methodId}`);
    const hostView = documents.find((d) => d.label === `/sessions/${hostedSession} (host)`)!.html;
    expect(hostView).toContain("Werkvorm toevoegen");
    expect(await htmlErrors(documents)).toEqual([]);
  });

  it("adds a method and a new version without JavaScript, and shows the diff", async () => {
    const { context, page } = await open(annaCookie, false);
    await page.goto("/methods/new");
    await page.getByLabel("Naam").fill("Werkvorm zonder script");
    await page.getByLabel("Waarvoor is het?").fill("Laten zien dat het zonder JavaScript werkt.");
    await page.getByLabel("Stappen").fill("1. Eerst dit.\n2. Dan dat.");
    await page.getByLabel("Trefwoorden").fill("Test, Zonder script");
    await page.getByRole("button", { name: "Werkvorm opslaan" }).click();
    await page.waitForURL(/\/methods\/\d+$/);
    expect(await page.locator("h1").textContent()).toBe("Werkvorm zonder script");
    await page.getByRole("link", { name: "Bewerken" }).click();
    await page.getByLabel("Stappen").fill("1. Eerst dit.\n2. Dan iets anders.");
    await page.getByRole("button", { name: "Nieuwe versie opslaan" }).click();
    await page.waitForURL(/\/methods\/\d+(\?done=saved)?$/);
    await page.getByRole("link", { name: "2 versies" }).click();
    await page.waitForURL(/\/history$/);
    expect(await page.locator("del").allTextContents()).toEqual(["− 2. Dan dat.\n"]);
    expect(await page.locator("ins").allTextContents()).toEqual(["+ 2. Dan iets anders.\n"]);
    await context.close();
  });

  it("lets a host add and remove a method on the session page without JavaScript", async () => {
    const { context, page } = await open(hostCookie, false);
    await page.goto(`/sessions/${hostedSession}`);
    await page.getByLabel("Werkvorm toevoegen").fill("Fishbowl");
    await page.getByRole("button", { name: "Toevoegen", exact: true }).click();
    await page.waitForURL(new RegExp(`/sessions/${hostedSession}#methods-heading$`));
    const used = page.locator(".session-methods");
    expect(await used.getByRole("link", { name: "Fishbowl" }).count()).toBe(1);
    await page.getByLabel("Werkvorm toevoegen").fill("Een werkvorm die niet bestaat");
    await page.getByRole("button", { name: "Toevoegen", exact: true }).click();
    expect(await page.locator(".form-error").textContent()).toContain("Er is geen werkvorm met de naam \"Een werkvorm die niet bestaat\"");
    await page.goto(`/sessions/${hostedSession}`);
    await used.getByRole("button", { name: /^Weghalen\W+Fishbowl$/ }).click();
    await page.waitForURL(new RegExp(`/sessions/${hostedSession}#methods-heading$`));
    expect(await used.getByRole("link", { name: "Fishbowl" }).count()).toBe(0);
    await context.close();
  });
});
