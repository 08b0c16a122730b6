// Every page a member who hosts can reach, at phone and desktop width (the tour and its checks:
// tests/support/page-tour.ts).
import { describe, expect, it } from "vitest";
import { newPage } from "../support/browser";
import { browser, expectValidDocuments, ids, logIn, publicPages, server, setUpPageTour, Tour } from "../support/page-tour";

setUpPageTour();

describe("every page, at phone and desktop width", { timeout: 300_000 }, () => {
  it("as a member who hosts", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, phone: true });
    await logIn(page, "pieter@demo.meedoen.nl");
    const tour = await Tour.start(page, "member");
    const memberPages = [
      "/initiatives/new",
      "/proposals/new",
      `/proposals/new?initiative=${ids.initiative}`,
      "/settings",
      "/settings/profile",
      "/settings/delete",
      "/settings/password",
      "/settings/email",
      `/initiatives/${ids.initiative}/edit`,
      `/initiatives/${ids.initiative}/sessions`,
      `/initiatives/${ids.initiative}/comments`,
      `/initiatives/${ids.initiative}/outcomes`,
      `/sessions/${ids.session}/edit`,
      // A meeting that has started: its start and place are fixed, and it offers no cancelling.
      `/sessions/${ids.pastSession}/edit`,
      `/sessions/${ids.session}/message`,
      `/comments/${ids.comment}/edit`,
      `/outcomes/${ids.outcome}/edit`,
      `/members/${ids.membersOnly}`,
      "/founders",
      `/founders/${ids.founderToken}`,
      "/venues/new",
      `/venues/${ids.venue}/edit`,
    ];
    for (const pathname of [...publicPages(), ...memberPages]) await tour.visit(pathname);
    // The course's page showed Pieter the request to co-host it (checked with axe above).
    await page.goto(`${server.url}/initiatives/${ids.initiative}`);
    expect(await page.locator("section[aria-labelledby=host-requests-heading] li").count()).toBe(1);
    await tour.visit(`/outcomes/${ids.othersOutcome}/edit`, 403);
    await tour.visit("/bestaat-niet", 404);
    tour.expectNoProblems();
    await context.close();
  });
});

describe("the documents the server sent", () => {
  it("are valid HTML for the Nu HTML Checker", async () => {
    // Every page of the tours, and every form's errors as a page (as a browser without JavaScript gets them).
    await expectValidDocuments(50);
  });
});
