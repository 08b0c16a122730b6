// One person at one browser in the e2e stories: logged in by cookie (or not at all), and counting
// the documents the browser loads itself, so a test can tell that Remix handled a form or link.
import { expect } from "vitest";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { newPage, waitForHydration } from "./browser";

export class Person {
  documentLoads = 0;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on("request", (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) this.documentLoads++;
    });
  }

  /** Opens a browser context for the server at `baseURL`, logged in with `cookie` ("name=value") when given. */
  static async open<T extends Person>(
    this: new (id: string, name: string, context: BrowserContext, page: Page) => T,
    browser: Browser,
    baseURL: string,
    who: { id: string; name: string; cookie: string | null },
  ): Promise<T> {
    const { context, page } = await newPage(browser, { baseURL });
    // Fail well within the test's time, but leave room for a loaded 2-core machine.
    context.setDefaultTimeout(20_000);
    if (who.cookie) {
      const [cookieName, value] = who.cookie.split("=");
      await context.addCookies([{ name: cookieName, value, url: baseURL }]);
    }
    return new this(who.id, who.name, context, page);
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

  /** Clicks a submit button and waits until `done` shows; Remix must have done it without a page load. */
  async submit(button: Locator, done: Locator) {
    const before = this.documentLoads;
    await button.click();
    await done.waitFor();
    expect(this.documentLoads, "Remix submitted the form without a page load").toBe(before);
  }

  /** Follows a link through Remix (no page load) to a URL matching `url`. */
  async follow(link: Locator, url: RegExp) {
    const before = this.documentLoads;
    await link.click();
    await this.page.waitForURL(url);
    expect(this.documentLoads, "Remix followed the link without a page load").toBe(before);
  }
}
