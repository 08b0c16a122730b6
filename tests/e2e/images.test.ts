// Photos in a real browser on a phone screen: a host posts an initiative with a cover photo
// chosen in the file input, and the feed shows it in its 400 px version; the same works without
// JavaScript; a member sets a profile photo; a photo over 5 MB is refused before it is sent; and
// every page with pictures passes axe.
import type Database from "better-sqlite3";
import type { Browser, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser, newPage, phoneViewport, waitForHydration } from "../support/browser";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { Person } from "../support/person";
import * as pictures from "../support/pictures";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
let photo: Buffer;

beforeAll(async () => {
  [server, browser, photo] = await Promise.all([startServer(), launchBrowser(), pictures.phonePhoto()]);
  sqlite = openServerDatabase(server.databasePath);
});

afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
});

const title = "Samen koken in de Pijp";
const alt = "Vijf vrijwilligers snijden groenten aan een lange tafel in het buurthuis.";

/**
 * Which stored version the browser chose for an <img>, once loaded, and that file's own size
 * (with srcset, the element's naturalWidth is scaled to its slot, so the file is decoded apart).
 */
async function chosenVersion(img: Locator) {
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0 && el.currentSrc !== "")).toBe(true);
  return img.evaluate(async (el: HTMLImageElement) => {
    const file = new Image();
    file.src = el.currentSrc;
    await file.decode();
    return { src: el.currentSrc, width: file.naturalWidth, height: file.naturalHeight };
  });
}

const version = (width: number) => new RegExp(`^${server.url}/images/[0-9a-f]{64}-${width}\\.webp$`);

/** A member two days old (so no newcomer limit applies), in a phone-sized browser. */
async function member(prefix: string, name: string) {
  const [row] = insertMembers(sqlite, 1, prefix);
  sqlite.prepare("UPDATE members SET display_name = ?, created_at = ? WHERE id = ?").run(name, Date.now() - 2 * 86_400_000, row.id);
  const person = await Person.open(browser, server.url, { ...row, name });
  await person.page.setViewportSize(phoneViewport);
  return person;
}

describe("photos in the browser", () => {
  let host: Person;
  let initiativePath = "";

  beforeAll(async () => {
    host = await member("photo", "Fatima Fotograaf");
  });
  afterAll(async () => {
    await host?.context.close();
  });

  it("posts an initiative with a cover photo chosen in the form", async () => {
    const page = host.page;
    await host.visit("/initiatives/new");
    await page.getByLabel("Titel").fill(title);
    await page.getByLabel("Korte samenvatting").fill("Elke donderdag koken en eten we samen.");
    await page.getByLabel("Kies een foto").setInputFiles({ name: "IMG_0042.JPG", mimeType: "image/jpeg", buffer: photo });
    await page.getByLabel("Wat staat er op de foto?").fill(alt);
    await expectNoSeriousAxeViolations(page);
    await host.submit(page.getByRole("button", { name: "Initiatief plaatsen" }), page.getByRole("heading", { level: 1, name: title }));
    initiativePath = new URL(page.url()).pathname;
    expect(initiativePath).toMatch(/^\/initiatives\/\d+$/);

    // A phone screen needs no more than the small version.
    expect(await chosenVersion(page.getByRole("img", { name: alt }))).toMatchObject({ src: expect.stringMatching(version(400)), width: 400 });
    await expectNoSeriousAxeViolations(page);
  });

  it("shows the 400 px version of the photo on the feed of a phone", async () => {
    const page = host.page;
    await host.visit("/");
    const card = page.locator("article.card").filter({ has: page.getByRole("link", { name: title }) });
    const cover = card.getByRole("img", { name: alt });
    expect(await cover.getAttribute("loading")).toBe("lazy");
    // Lazy: it loads when scrolled near.
    await cover.scrollIntoViewIfNeeded();
    // The 400 px file, upright: the sideways phone photo is a portrait, 400×600.
    expect(await chosenVersion(cover)).toEqual({ src: expect.stringMatching(version(400)), width: 400, height: 600 });
    await expectNoSeriousAxeViolations(page);
  });

  it("replaces the cover on the edit page after saying what is on the new one", async () => {
    const page = host.page;
    await host.visit(`${initiativePath}/edit`);
    await page.getByLabel("Een andere foto kiezen").setInputFiles({ name: "nieuw.png", mimeType: "image/png", buffer: await pictures.png(1000, 600) });
    await page.getByLabel("Wat staat er op de foto?").fill("");
    await host.submit(page.getByRole("button", { name: /opslaan/i }), page.getByText("Beschrijf wat er op de foto staat, voor wie hem niet kan zien."));
    await page.getByText("Kies de foto opnieuw").waitFor();
    await expectNoSeriousAxeViolations(page);

    await page.getByLabel("Een andere foto kiezen").setInputFiles({ name: "nieuw.png", mimeType: "image/png", buffer: await pictures.png(1000, 600) });
    await page.getByLabel("Wat staat er op de foto?").fill("Een blauw vlak.");
    await host.submit(page.getByRole("button", { name: /opslaan/i }), page.getByRole("heading", { level: 1, name: title }));
    expect(await chosenVersion(page.getByRole("img", { name: "Een blauw vlak." }))).toMatchObject({ width: 400, height: 240 });
  });

  it("refuses a photo over 5 MB as soon as it is chosen, before sending it", async () => {
    const page = host.page;
    await host.visit("/initiatives/new");
    const input = page.getByLabel("Kies een foto");
    await input.setInputFiles({ name: "groot.png", mimeType: "image/png", buffer: await pictures.sixMegabytes() });
    await page.getByText("Deze foto is groter dan 5 MB.").waitFor();
    expect(await input.evaluate((el: HTMLInputElement) => el.files?.length)).toBe(0);
    expect(await input.getAttribute("aria-invalid")).toBe("true");
  });

  it("sets a profile photo, shown on the profile and in the directory", async () => {
    const page = host.page;
    await host.visit("/settings/profile");
    await page.getByLabel("Kies een foto").setInputFiles({ name: "ik.webp", mimeType: "image/webp", buffer: await pictures.webp(800, 800) });
    await host.submit(page.getByRole("button", { name: "Profiel opslaan" }), page.getByRole("heading", { level: 1, name: "Fatima Fotograaf" }));
    const avatar = page.locator("h1 img.avatar");
    expect(await chosenVersion(avatar)).toEqual({ src: expect.stringMatching(version(400)), width: 400, height: 400 });
    expect(await avatar.getAttribute("alt")).toBe("");
    await expectNoSeriousAxeViolations(page);

    await host.visit("/members");
    await page.locator(".directory h2", { hasText: "Fatima Fotograaf" }).locator("img.avatar").waitFor();
    await expectNoSeriousAxeViolations(page);
    await host.visit("/settings/profile");
    await page.getByText("Je huidige profielfoto").waitFor();
    await expectNoSeriousAxeViolations(page);
  });
});

describe("without JavaScript", () => {
  it("posts an initiative with a cover photo as a plain multipart form", async () => {
    const [row] = insertMembers(sqlite, 1, "nojs");
    sqlite.prepare("UPDATE members SET created_at = ? WHERE id = ?").run(Date.now() - 2 * 86_400_000, row.id);
    const { context, page } = await newPage(browser, { baseURL: server.url, javaScript: false, phone: true, cookie: row.cookie });
    try {
      await page.goto("/initiatives/new");
      await waitForHydration(page);
      await page.getByLabel("Titel").fill("Fietsles zonder script");
      await page.getByLabel("Korte samenvatting").fill("Fietsen leren in het park.");
      await page.getByLabel("Kies een foto").setInputFiles({ name: "fiets.jpg", mimeType: "image/jpeg", buffer: photo });
      await page.getByLabel("Wat staat er op de foto?").fill("Een fiets tegen een boom.");
      await page.getByRole("button", { name: "Initiatief plaatsen" }).click();
      await page.waitForURL(/\/initiatives\/\d+$/);
      expect(await chosenVersion(page.getByRole("img", { name: "Een fiets tegen een boom." }))).toMatchObject({ src: expect.stringMatching(version(400)), width: 400 });
      await expectNoSeriousAxeViolations(page);
    } finally {
      await context.close();
    }
  });
});
