// The site's own links (app/components/link.tsx, ADR 036) behave as Remix's links did, in a real
// browser on the seeded demo network: with JavaScript a plain click changes the page without
// loading a new document, and the header marks the page one is on; a click with a modifier key
// opens a new tab and leaves the page alone; following a link to the page one is on does not add
// to the history; back returns; without JavaScript every link is an ordinary one.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newPage, waitForHydration } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

const databasePath = path.join(os.tmpdir(), `meedoen-links-${randomBytes(4).toString("hex")}.sqlite`);

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  execFileSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "db/seed.ts"], { env: { ...process.env, DATABASE_PATH: databasePath }, stdio: "ignore" });
  [server, browser] = await Promise.all([startServer({ DATABASE_PATH: databasePath }), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
  rmSync(`${databasePath}.data`, { recursive: true, force: true });
});

/** Marks the loaded document: the mark survives a page change without a new document only. */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as unknown as { documentMark: number }).documentMark = 42));
}
const documentMark = (page: Page) => page.evaluate(() => (window as unknown as { documentMark?: number }).documentMark ?? null);
const firstCardLink = "ol.cards h3.card-title a";
const headerLink = (page: Page, href: string) => page.locator(`nav.main-nav ul.nav-row a[href="${href}"]`);

describe("links with JavaScript", () => {
  it("change the page without loading a document, mark the header, and come back", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url });
    await page.goto("/");
    await waitForHydration(page);
    await markDocument(page);
    expect(await headerLink(page, "/").getAttribute("aria-current")).toBe("page");
    expect(await headerLink(page, "/agenda").getAttribute("aria-current")).toBeNull();

    const card = page.locator(firstCardLink).first();
    const href = (await card.getAttribute("href"))!;
    const title = (await card.textContent())!.trim();
    expect(href).toMatch(/^\/initiatives\/\d+$/);
    await card.click();
    await page.waitForURL(`**${href}`);
    await expect.poll(() => page.locator("h1").first().textContent()).toContain(title);
    expect(await documentMark(page)).toBe(42);

    await headerLink(page, "/agenda").click();
    await page.waitForURL("**/agenda");
    await expect.poll(() => headerLink(page, "/agenda").getAttribute("aria-current")).toBe("page");
    expect(await headerLink(page, "/").getAttribute("aria-current")).toBeNull();
    expect(await documentMark(page)).toBe(42);

    // The page one is on, again: replaced in the history, not added.
    const before = await page.evaluate(() => history.length);
    await headerLink(page, "/agenda").click();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => history.length)).toBe(before);

    await page.goBack();
    await page.waitForURL(`**${href}`);
    await page.goBack();
    await page.waitForURL((url) => url.pathname === "/");
    expect(await documentMark(page)).toBe(42);
    await context.close();
  });

  it("leave the page alone when a modifier key opens the link in a new tab", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url });
    await page.goto("/");
    await waitForHydration(page);
    await markDocument(page);
    const card = page.locator(firstCardLink).first();
    const href = (await card.getAttribute("href"))!;
    const [opened] = await Promise.all([context.waitForEvent("page"), card.click({ modifiers: ["Control"] })]);
    await opened.waitForLoadState();
    expect(new URL(opened.url()).pathname).toBe(href);
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await documentMark(page)).toBe(42);
    await context.close();
  });
});

describe("links without JavaScript", () => {
  it("are ordinary links, and the header marks the page one is on", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, javaScript: false });
    await page.goto("/");
    const card = page.locator(firstCardLink).first();
    const href = (await card.getAttribute("href"))!;
    await Promise.all([page.waitForURL(`**${href}`), card.click()]);
    expect(await page.locator("h1").first().textContent()).toBeTruthy();
    await Promise.all([page.waitForURL("**/agenda"), headerLink(page, "/agenda").click()]);
    expect(await headerLink(page, "/agenda").getAttribute("aria-current")).toBe("page");
    await context.close();
  });
});
