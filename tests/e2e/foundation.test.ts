// The foundation in a real browser, with and without JavaScript: sign up, post an initiative
// with hostile markdown, find it again, check accessibility on a phone and switch language.
import type { Browser, BrowserContext, Page } from "playwright-core";
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

const body = [
  "Een middag met **vet** nieuws.",
  "",
  "- eerste punt",
  "- tweede punt",
  "",
  "Meer op de [site](https://example.org).",
  "",
  '<img src=x onerror="window.__xss=1">',
  "",
  "[klik](javascript:alert(1))",
].join("\n");

for (const javaScript of [true, false]) {
  describe(`foundation with JavaScript ${javaScript ? "on" : "off"}`, () => {
    const run = `${javaScript ? "js" : "nojs"}-${Date.now()}`;
    const name = javaScript ? "Anna Scriptvrouw" : "Bram Zonderscript";
    const title = `Jeugdcursus ${javaScript ? "met" : "zonder"} script ${run}`;
    let context: BrowserContext;
    let page: Page;
    let initiativePath = "";
    let documentLoads = 0;

    beforeAll(async () => {
      ({ context, page } = await newPage(browser, { baseURL: server.url, javaScript }));
      page.on("request", (request) => {
        if (request.isNavigationRequest() && request.frame() === page.mainFrame()) documentLoads++;
      });
    });

    /** Loads a page; with JavaScript on, also waits until Remix has taken over. */
    async function visit(path: string) {
      await page.goto(path);
      await waitForHydration(page);
    }

    /** Clicks a submit button and waits for the URL; with JavaScript on, without a page load. */
    async function submit(button: string, landsOn: string | RegExp) {
      const before = documentLoads;
      await page.getByRole("button", { name: button }).click();
      await page.waitForURL(landsOn);
      if (javaScript) expect(documentLoads, "Remix submitted the form without a page load").toBe(before);
      else expect(documentLoads, "the browser posted the form itself").toBeGreaterThan(before);
    }

    afterAll(async () => {
      await context?.close();
    });

    it("signs up through the form and shows the member in the header", async () => {
      await visit("/signup");
      await page.getByLabel("Je naam").fill(name);
      await page.getByLabel("E-mailadres").fill(`${run}@example.org`);
      await page.getByLabel("Wachtwoord").fill("een lang genoeg wachtwoord");
      // A new account sees the start page first.
      await submit("Account maken", `${server.url}/welcome`);
      const header = page.getByRole("banner");
      await header.getByRole("button", { name: "Uitloggen" }).waitFor();
      expect(await header.textContent()).toContain(name);
      expect(await header.getByRole("link", { name: "Account maken" }).count()).toBe(0);
    });

    it("posts an initiative whose markdown is rendered and made harmless", async () => {
      await visit("/initiatives/new");
      await page.getByLabel("Titel").fill(title);
      await page.getByLabel("Korte samenvatting").fill("Een cursus voor jongeren en hun begeleiders.");
      await page.getByRole("radio", { name: /^Cursus/ }).check();
      await page.getByLabel("Beschrijving").fill(body);
      await page.getByLabel("Onderwerpen").fill("jeugd, coördinatie");
      await page.getByLabel("Plaats").fill("Utrecht");
      await submit("Initiatief plaatsen", /\/initiatives\/\d+$/);
      await page.getByRole("heading", { level: 1, name: title }).waitFor();
      initiativePath = new URL(page.url()).pathname;
      expect(initiativePath).toMatch(/^\/initiatives\/\d+$/);

      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(title);
      const prose = page.locator(".prose");
      expect(await prose.innerHTML()).toContain("<strong>vet</strong>");
      expect(await prose.locator("ul > li").allTextContents()).toEqual(["eerste punt", "tweede punt"]);
      const link = prose.getByRole("link", { name: "site" });
      expect(await link.getAttribute("href")).toBe("https://example.org");
      const rel = (await link.getAttribute("rel")) ?? "";
      expect(rel.split(/\s+/)).toEqual(expect.arrayContaining(["nofollow", "noopener"]));
      expect(await prose.textContent()).toContain("klik");

      expect(await page.locator("[onerror]").count()).toBe(0);
      const hrefs = await Promise.all((await page.locator("[href]").all()).map((el) => el.getAttribute("href")));
      expect(hrefs.filter((href) => /^\s*javascript:/i.test(href ?? ""))).toEqual([]);
      expect(await page.locator('[href^="javascript:" i], [src^="javascript:" i]').count()).toBe(0);
      if (javaScript) {
        expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
      }
    });

    it("finds the initiative without the diacritic, and says when nothing matches", async () => {
      await visit("/?q=coordinatie");
      const results = page.locator("main");
      expect(await results.getByRole("link", { name: title, exact: true }).count()).toBe(1);
      expect(await results.getByRole("link", { name: title, exact: true }).getAttribute("href")).toBe(initiativePath);

      await visit("/?q=zzzznothing");
      expect(await page.locator("main").textContent()).toContain("Niets gevonden");
      expect(await page.locator("main").getByRole("link", { name: title }).count()).toBe(0);
    });

    it("has no serious accessibility problems on a phone", async () => {
      await page.setViewportSize(phoneViewport);
      for (const path of ["/", initiativePath]) {
        await visit(path);
        await expectNoSeriousAxeViolations(page);
      }
      // The signup page is only for visitors who are not logged in.
      const visitor = await newPage(browser, { baseURL: server.url, javaScript, phone: true });
      try {
        await visitor.page.goto("/signup");
        await waitForHydration(visitor.page);
        expect(await visitor.page.getByRole("heading", { level: 1 }).textContent()).toBe("Account maken");
        await expectNoSeriousAxeViolations(visitor.page);
      } finally {
        await visitor.context.close();
      }
    });

    it("switches the language to English from the header", async () => {
      await visit("/");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Initiatieven");
      const before = documentLoads;
      // On a phone the language switch is in the header's menu.
      const menu = page.getByRole("banner").locator("summary", { hasText: "Menu" });
      if (await menu.isVisible()) await menu.click();
      await page.getByRole("banner").getByRole("button", { name: /^EN\b/ }).click();
      await page.getByRole("heading", { level: 1, name: "Initiatives" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/");
      if (javaScript) expect(documentLoads).toBe(before);
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Initiatives");
      expect(await page.locator("html").getAttribute("lang")).toBe("en");
      // The choice is kept: a fresh load is still in English.
      await page.goto("/");
      expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Initiatives");
    });
  });
}

// The check every browser test relies on: with JavaScript off it checks a copy of the page in a
// scratch page that is reused, so each check must see the copy it was given, not an earlier one.
describe("the accessibility check with JavaScript off", () => {
  const good = '<!doctype html><html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1><p>Niets mis.</p></main></body></html>';
  const bad = '<!doctype html><html lang="nl"><head><title>Proef</title></head><body><main><h1>Proef</h1><img src="/favicon.svg"><button></button></main></body></html>';

  async function probe(html: string, path: string) {
    const { context, page } = await newPage(browser, { baseURL: server.url, javaScript: false });
    await page.route(`${server.url}${path.split("#")[0]}`, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
    await page.goto(path);
    return { context, page };
  }

  it("finds a page's problems, and checks each new copy of the same address", async () => {
    // Bad then good, then bad again: a check that kept an earlier copy would get one of them wrong.
    for (const [html, expected] of [[bad, "fails"], [good, "passes"], [bad, "fails"]] as const) {
      const { context, page } = await probe(html, "/proef#deel");
      const result = expectNoSeriousAxeViolations(page);
      if (expected === "fails") await expect(result).rejects.toThrow(/image-alt[\s\S]*button-name|button-name[\s\S]*image-alt/);
      else await expect(result).resolves.toBeUndefined();
      await context.close();
    }
  });

  it("gives each of two pages checked at once its own result", async () => {
    const [first, second] = await Promise.all([probe(bad, "/proef-een"), probe(good, "/proef-twee")]);
    const results = await Promise.allSettled([expectNoSeriousAxeViolations(first.page), expectNoSeriousAxeViolations(second.page)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).toContain("/proef-een");
    for (const { context } of [first, second]) await context.close();
  });
});
