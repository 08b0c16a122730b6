// Every page type of the seeded demo network, as a visitor and as a member (who hosts): it loads
// with status 200, hydrates without a single script error, and passes axe at phone width.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser, newPage, waitForHydration } from "../support/browser";
import { openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

const databasePath = path.join(os.tmpdir(), `meedoen-pages-${randomBytes(4).toString("hex")}.sqlite`);
let server: RunningServer;
let browser: Browser;
let ids: { member: string; session: number; hostedInitiative: number; hostedSession: number };

beforeAll(async () => {
  execFileSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "db/seed.ts"], { env: { ...process.env, DATABASE_PATH: databasePath }, stdio: "ignore" });
  server = await startServer({ DATABASE_PATH: databasePath });
  browser = await launchBrowser();
  const sqlite = openServerDatabase(databasePath);
  const pieter = sqlite.prepare("SELECT id FROM members WHERE email = 'pieter@demo.meedoen.nl'").get() as { id: string };
  const hosted = sqlite.prepare("SELECT s.initiative_id AS initiative, s.id AS session FROM sessions s JOIN hosts h ON h.initiative_id = s.initiative_id WHERE h.member_id = ? ORDER BY s.starts_at DESC LIMIT 1").get(pieter.id) as { initiative: number; session: number };
  ids = { member: pieter.id, session: hosted.session, hostedInitiative: hosted.initiative, hostedSession: hosted.session };
  sqlite.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
});

async function visit(page: Page, pathname: string, errors: string[]) {
  const response = await page.goto(server.url + pathname);
  expect(response?.status(), pathname).toBe(200);
  await waitForHydration(page);
  expect(errors, pathname).toEqual([]);
  expect(await page.locator("h1").first().textContent(), pathname).not.toMatch(/Dat lukte niet|Niet gevonden/);
}

function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().includes("Failed to load resource")) errors.push(message.text());
  });
  return errors;
}

const publicPages = () => ["/", "/?q=taal", "/?kind=course", "/agenda", "/initiatives/1", `/sessions/${ids.session}`, "/members", `/members/${ids.member}`, "/proposals", "/rules", "/log", "/log?group=session", "/how-it-works", "/login", "/signup"];
const memberPages = () => ["/initiatives/new", "/proposals/new", "/settings", `/initiatives/${ids.hostedInitiative}/edit`, `/initiatives/${ids.hostedInitiative}/sessions`, `/sessions/${ids.hostedSession}/edit`, `/sessions/${ids.hostedSession}/message`];

describe("every page", () => {
  it("works for a visitor, at phone width, without script errors or serious accessibility problems", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, phone: true });
    const errors = watchErrors(page);
    for (const pathname of publicPages()) {
      await visit(page, pathname, errors);
      await expectNoSeriousAxeViolations(page);
    }
    await context.close();
  });

  it("works for a member who hosts, at phone width", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, phone: true });
    const errors = watchErrors(page);
    await page.goto(`${server.url}/login`);
    await page.getByLabel("E-mailadres").fill("pieter@demo.meedoen.nl");
    await page.getByLabel("Wachtwoord").fill("meedoen-demo");
    await page.getByRole("button", { name: "Inloggen" }).last().click();
    await page.waitForURL(`${server.url}/`);
    for (const pathname of [...memberPages(), "/initiatives/1", `/members/${ids.member}`]) {
      await visit(page, pathname, errors);
      await expectNoSeriousAxeViolations(page);
    }
    await context.close();
  });

  it("answers an unknown address with a friendly 404 page", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url });
    const response = await page.goto(`${server.url}/bestaat-niet`);
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Niet gevonden");
    await context.close();
  });
});
