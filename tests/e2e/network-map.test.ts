// The network page in a real browser, on the seeded demo network: it passes axe at phone and
// desktop width, and choosing a line on the map (a plain link, so with or without JavaScript)
// lists the initiatives the two organisations share.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser, newPage, waitForHydration } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";
import { htmlErrors } from "../support/vnu";

const databasePath = path.join(os.tmpdir(), `meedoen-network-${randomBytes(4).toString("hex")}.sqlite`);
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  execFileSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "db/seed.ts"], { env: { ...process.env, DATABASE_PATH: databasePath }, stdio: "ignore" });
  server = await startServer({ DATABASE_PATH: databasePath });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
});

describe("the network page", () => {
  for (const phone of [true, false]) {
    it(`passes axe and shows the map, the charts and their tables ${phone ? "on a phone" : "on a desktop"}`, async () => {
      const { context, page } = await newPage(browser, { baseURL: server.url, phone });
      const response = await page.goto("/network");
      expect(response?.status()).toBe(200);
      await waitForHydration(page);
      expect(await page.locator("svg.network-map circle.node").count()).toBe(8);
      expect(await page.locator("svg.network-map line.link").count()).toBeGreaterThan(0);
      // Sessions and attendance per month, members per organisation, and where we met: each a chart with its table.
      expect(await page.locator("svg.bar-chart").count()).toBe(4);
      expect(await page.locator("table.data-table").count()).toBe(4);
      expect(await page.getByRole("heading", { name: "Waar we samenkwamen" }).count()).toBe(1);
      await expectNoSeriousAxeViolations(page);
      await context.close();
    });
  }

  for (const javaScript of [false, true]) {
    it(`lists what two organisations share when a line is chosen (${javaScript ? "with" : "without"} JavaScript)`, async () => {
      const { context, page } = await newPage(browser, { baseURL: server.url, javaScript });
      await page.goto("/network");
      await waitForHydration(page);
      const line = page.locator("svg.network-map a").filter({ has: page.locator("line.link") }).last();
      const label = (await line.getAttribute("aria-label"))!;
      const [a, rest] = label.split(/ en | and /);
      const b = rest.split(":")[0];
      await line.locator("line.link-target").click({ force: true });
      await page.waitForURL(/between=/);
      const section = page.locator("#samen");
      await section.waitFor();
      expect(await section.locator("h2").textContent()).toContain(a);
      expect(await section.locator("h2").textContent()).toContain(b);
      const shared = Number(/(\d+) initiatie/.exec(label)?.[1] ?? (label.includes(": 1 ") ? 1 : NaN));
      expect(await section.locator("li").count()).toBe(shared);
      await expectNoSeriousAxeViolations(page);
      await context.close();
    });
  }
});

describe("the pages with all connections and all organisations", () => {
  it("pass axe on a phone and the Nu HTML Checker", async () => {
    const documents = [];
    for (const path of ["/network/connections", "/network/organisations"]) {
      const { context, page } = await newPage(browser, { baseURL: server.url, phone: true });
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      expect(await page.locator("table.data-table tbody tr").count()).toBeGreaterThan(0);
      await expectNoSeriousAxeViolations(page);
      documents.push({ label: path, html: await (await fetch(server.url + path)).text() });
      await context.close();
    }
    expect(await htmlErrors(documents)).toEqual([]);
  });
});

describe("the part of the map on an initiative's page", () => {
  it("is a picture that loads and fits a phone, without JavaScript, next to the list of organisations", async () => {
    // The first initiative of the demo network whose page shows its organisations' picture (the
    // network is counted in the background after a start, so the page is asked again until it does).
    let path = "";
    for (let tries = 0; !path; tries++) {
      for (let id = 1; id <= 12 && !path; id++) {
        if ((await (await fetch(`${server.url}/initiatives/${id}`)).text()).includes("/works-with.svg?v=")) path = `/initiatives/${id}`;
      }
      expect(tries, "no initiative page shows its organisations' picture").toBeLessThan(20);
      if (!path) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { context, page } = await newPage(browser, { baseURL: server.url, phone: true, javaScript: false });
    await page.goto(path);
    const picture = page.locator(".works-with img");
    await picture.scrollIntoViewIfNeeded();
    // Loaded and drawn by the browser: a file it could not read as SVG has no natural width.
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>(".works-with img");
      return !!img && img.complete && img.naturalWidth > 0;
    });
    const organisations = await page.locator(".works-with .partner-list li").count();
    expect(organisations).toBeGreaterThanOrEqual(2);
    expect(await picture.getAttribute("alt")).toContain(`Kaart van ${organisations} organisaties`);
    // The page itself does not scroll sideways on a 360 px screen: only the picture's own frame does.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoSeriousAxeViolations(page);
    await context.close();
  });
});
