// Helpers for the governance story in a real browser (tests/e2e/governance.test.ts): people at
// phone-sized browsers with or without JavaScript, time moved by rewriting the timestamps in the
// server's database (as tests/routes/capture.test.ts does), and what the pages say about voices,
// founders' invitations and the public log.
import type Database from "better-sqlite3";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { newPage, waitForHydration } from "./browser";

/**
 * One person at one phone-sized browser, logged in by cookie (or not yet), with JavaScript on or
 * off. Counts the documents the browser loads itself, so a test can tell who handled a form:
 * Remix (no page load) or the browser's own post (a page load). The id is filled in once the
 * person has an account (someone who signs up in the story has none at first).
 */
export class Member {
  documentLoads = 0;

  constructor(
    public id: string,
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly javaScript: boolean,
  ) {
    page.on("request", (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) this.documentLoads++;
    });
  }

  static async open(browser: Browser, baseURL: string, who: { id: string; name: string; cookie: string | null }, { javaScript = true } = {}): Promise<Member> {
    const { context, page } = await newPage(browser, { baseURL, javaScript, phone: true });
    // Fail well within the test's time, but leave room for a loaded 2-core machine.
    context.setDefaultTimeout(20_000);
    if (who.cookie) {
      const [cookieName, value] = who.cookie.split("=");
      await context.addCookies([{ name: cookieName, value, url: baseURL }]);
    }
    return new Member(who.id, who.name, context, page, javaScript);
  }

  async visit(path: string) {
    await this.page.goto(path);
    await waitForHydration(this.page);
  }

  main(): Locator {
    return this.page.locator("main");
  }

  async mainText(): Promise<string> {
    return (await this.main().textContent()) ?? "";
  }

  /**
   * Clicks a submit button and waits until `done` shows. With JavaScript Remix must have sent
   * the form without a page load; without it the browser posts the form and loads the answer.
   */
  async send(button: Locator, done: Locator) {
    const before = this.documentLoads;
    await button.click();
    await done.waitFor();
    if (this.javaScript) expect(this.documentLoads, `${this.name}: Remix submitted the form without a page load`).toBe(before);
    else expect(this.documentLoads, `${this.name}: the browser posted the form itself`).toBeGreaterThan(before);
    await waitForHydration(this.page);
  }

  /** Follows a link to a URL matching `url`: with JavaScript through Remix (no page load). */
  async follow(link: Locator, url: RegExp) {
    const before = this.documentLoads;
    await link.click();
    await this.page.waitForURL(url);
    if (this.javaScript) expect(this.documentLoads, `${this.name}: Remix followed the link without a page load`).toBe(before);
    await waitForHydration(this.page);
  }

  /** The text of the "Stem" panel on a member's profile, as this person sees it. */
  async voiceOf(member: { id: string }): Promise<string> {
    await this.visit(`/members/${member.id}`);
    return ((await this.page.locator("section[aria-labelledby=voice-heading]").textContent()) ?? "").replace(/\s+/g, " ");
  }
}

/** The lines of the public log, newest first, without their times: "Verborgen · title · by". */
export async function logLines(viewer: Member, query = ""): Promise<string[]> {
  await viewer.visit(`/log${query}`);
  return (await viewer.page.locator("ol.log > li > span").allTextContents()).map((line) => line.replace(/\s+/g, " ").trim());
}

export { passTime } from "./direct-db";

/** The path of the founder invitation mailed to `email` (read from the server's outbox). */
export function invitationPath(sqlite: Database.Database, email: string): string {
  const mail = sqlite.prepare("SELECT body FROM outbox WHERE to_address = ? AND kind = 'founder-invitation' ORDER BY id DESC LIMIT 1").get(email) as { body: string } | undefined;
  expect(mail, `an invitation mail to ${email} in the outbox`).toBeDefined();
  const path = /\/founders\/[A-Za-z0-9_-]{43}/.exec(mail!.body)?.[0];
  expect(path, "the invitation mail carries a link").toBeDefined();
  return path!;
}

/** The id of the member with this address. */
export function memberIdOf(sqlite: Database.Database, email: string): string {
  const row = sqlite.prepare("SELECT id FROM members WHERE email = ?").get(email) as { id: string } | undefined;
  expect(row, `a member with the address ${email}`).toBeDefined();
  return row!.id;
}
