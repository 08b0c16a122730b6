// A member's forms with their errors showing, at phone and desktop width, and the short pages the
// server itself answers before the app (the tour and its checks: tests/support/page-tour.ts).
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { newPage } from "../support/browser";
import { browser, documents, expectValidDocuments, ids, logIn, server, setUpPageTour, Tour } from "../support/page-tour";

setUpPageTour();

describe("every page, at phone and desktop width", { timeout: 300_000 }, () => {
  it("as a member, with the forms' error messages showing", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, phone: true });
    await logIn(page, "pieter@demo.meedoen.nl");
    const tour = await Tour.start(page, "member");
    await tour.submitWithErrors("/initiatives/new");
    await tour.submitWithErrors("/proposals/new");
    await tour.submitWithErrors(`/initiatives/${ids.initiative}/sessions`);
    await tour.submitWithErrors(`/sessions/${ids.session}/edit`, async (p) => {
      await p.locator('input[type="datetime-local"]').first().fill("");
    });
    await tour.submitWithErrors(`/sessions/${ids.session}/message`);
    // Only spaces get past the browser's own check of a required field.
    const spaces = async (p: Page) => p.locator("main textarea").first().fill("   ");
    await tour.submitWithErrors(`/initiatives/${ids.initiative}/comments`, spaces);
    await tour.submitWithErrors(`/initiatives/${ids.initiative}/outcomes`, spaces);
    await tour.submitWithErrors(
      "/settings/profile",
      async (p) => {
        await p.locator("#field-displayName").fill("");
      },
      'form[aria-labelledby="profile-heading"]',
    );
    await tour.submitWithErrors("/settings/delete");
    await tour.submitWithErrors("/settings/password");
    await tour.submitWithErrors("/settings/email");
    await tour.submitWithErrors("/venues/new");
    // A look-alike of an organisation the network knows: the question, as radio buttons.
    await tour.submitWithErrors("/venues/new", async (p) => {
      await p.locator("#field-name").fill("Zaal");
      await p.locator("#field-organisation").fill("GGZ Lindeveen");
    });
    // An objection without a reason.
    await tour.submitWithErrors(`/proposals/${ids.networkProposal}`, async (p) => {
      await p.getByRole("radio", { name: /Bezwaar/ }).check();
    });
    tour.expectNoProblems();
    await context.close();
  });
});

describe("the documents the server sent", () => {
  it("are valid HTML for the Nu HTML Checker", async () => {
    // Every page of the tours, every form's errors as a page (a browser without JavaScript), and
    // the short pages the server itself answers before the app: a form from another site, a form
    // far too big.
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const foreign = await fetch(`${server.url}/signup`, { method: "POST", headers: { ...form, Origin: "https://elders.example" }, body: "email=a%40b.nl" });
    const tooBig = await fetch(`${server.url}/login`, { method: "POST", headers: { ...form, Origin: server.url }, body: `email=${"a".repeat(200_000)}` });
    expect([foreign.status, tooBig.status]).toEqual([403, 413]);
    documents.push({ label: "a form from another site", html: await foreign.text() }, { label: "a form far too big", html: await tooBig.text() });
    await expectValidDocuments(14);
  });
});
