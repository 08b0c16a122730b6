// Every page a visitor can reach, and the visitor's forms with their errors showing, at phone and
// desktop width (the tour and its checks: tests/support/page-tour.ts).
import { describe, expect, it } from "vitest";
import { newPage } from "../support/browser";
import { browser, expectValidDocuments, ids, publicPages, server, setUpPageTour, Tour } from "../support/page-tour";

setUpPageTour();

describe("every page, at phone and desktop width", { timeout: 300_000 }, () => {
  it("as a visitor", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, phone: true });
    const tour = await Tour.start(page, "visitor");
    for (const pathname of [...publicPages(), "/login", "/signup", "/password/forgot", `/password/reset/${ids.resetToken}`, `/unsubscribe/${ids.unsubscribeToken}`, `/founders/${ids.founderToken}`]) {
      await tour.visit(pathname);
    }
    // A profile only members can see, links that do not work (any more), an unknown address.
    await tour.visit(`/members/${ids.membersOnly}`);
    await tour.visit(`/password/reset/${"x".repeat(43)}`, 404);
    await tour.visit(`/unsubscribe/${"x".repeat(30)}`, 404);
    await tour.visit(`/founders/${"x".repeat(43)}`, 404);
    await tour.visit("/bestaat-niet", 404);
    expect(await page.locator("h1").textContent()).toBe("Niet gevonden");
    // The home page's cards sit under its "Resultaten" heading, one level down.
    await page.goto(`${server.url}/`);
    expect(await page.locator("main ol.cards h3.card-title").count()).toBeGreaterThan(5);
    expect(await page.locator("main ol.cards :is(h1, h2)").count()).toBe(0);
    tour.expectNoProblems();
    await context.close();
  });

  it("as a visitor, with the forms' error messages showing", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, phone: true });
    const tour = await Tour.start(page, "visitor");
    await tour.submitWithErrors("/signup");
    await tour.submitWithErrors("/login", async (p) => {
      await p.getByLabel("E-mailadres").fill("niemand@example.org");
      await p.getByLabel("Wachtwoord").fill("verkeerd-wachtwoord");
    });
    await tour.submitWithErrors("/password/forgot");
    await tour.submitWithErrors(`/password/reset/${ids.resetToken}`, async (p) => {
      await p.locator('input[type="password"]').first().fill("kort");
    });
    tour.expectNoProblems();
    await context.close();
  });
});

describe("the documents the server sent", () => {
  it("are valid HTML for the Nu HTML Checker", async () => {
    // Every page of the tours, and every form's errors as a page (as a browser without JavaScript gets them).
    await expectValidDocuments(45);
  });
});
