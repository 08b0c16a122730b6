// The agenda's new pages in a real browser: the month and week views on a phone (360 px) and a
// laptop (1280 px) pass axe and fit the screen; the month grid's links are reached by keyboard in
// date order; the session page's calendar links, the organisation's embed code and the embed page
// itself pass axe; every document passes the Nu HTML Checker; and /embed/agenda really shows
// inside a frame on a page of another origin, while an ordinary page refuses to be framed there.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { localDate } from "~/lib/month-grid";
import { addSession, sessionInput } from "~/models/sessions.server";
import { desktopViewport, expectNoSeriousAxeViolations, launchBrowser, newPage, phoneViewport, waitForHydration } from "../support/browser";
import { initiativeBy, zone } from "../support/fixtures";
import { memberWithSession } from "../support/requests";
import { startServer, type RunningServer } from "../support/server";
import { htmlErrors, type HtmlDocument } from "../support/vnu";

let server: RunningServer;
let browser: Browser;
let otherSite: http.Server;
let otherOrigin = "";
// Two months ahead: every session in it is upcoming, whatever today is.
const target = localDate(Date.now() + 62 * 86_400_000, zone).slice(0, 7);
const sessionIds: number[] = [];
const documents: HtmlDocument[] = [];
const longTitle = "Intervisie voor wijkteams en vrijwilligers over eenzaamheid, schulden en samenwerken in de buurt";

beforeAll(async () => {
  const host = await memberWithSession("Kartrekker Kijker");
  const course = initiativeBy(host.id, { title: "Cursus Kalenderkijken", kind: "course", tags: "kalender" });
  const long = initiativeBy(host.id, { title: longTitle, kind: "activity", tags: "kalender" });
  const add = (initiativeId: number, day: string, from: string, until: string, extra: Record<string, string> = {}) =>
    sessionIds.push(addSession(initiativeId, host.id, sessionInput({ now: new Date(), creating: true }).parse({ startsAt: `${target}-${day}T${from}`, endsAt: `${target}-${day}T${until}`, place: "Buurthuis De Linde, Lindelaan 1", capacity: "", ...extra })));
  add(course, "03", "19:30", "21:30");
  add(long, "03", "09:00", "10:30");
  add(course, "11", "19:30", "21:30");
  add(long, "14", "10:00", "12:00", { mode: "online", onlineUrl: "https://meet.example.org/e2e-agenda", place: "" });
  add(course, "25", "19:30", "21:30");
  const organisation = db().get<{ id: number }>(sql`INSERT INTO organisations (slug, name, name_key) VALUES ('wijkteam-kijker', 'Wijkteam Kijker', 'wijkteam kijker') RETURNING id`).id;
  db().run(sql`UPDATE sessions SET host_organisation_id = ${organisation}, host_organisation = 'Wijkteam Kijker' WHERE initiative_id = ${course}`);
  const started = await Promise.all([startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, DATA_DIR: process.env.DATA_DIR!, SCHEDULER_INTERVAL_MS: "3600000" }), launchBrowser()]);
  [server, browser] = started;
  // A page of another website (another origin: localhost instead of 127.0.0.1, another port) that frames the agenda.
  otherSite = http.createServer((req, res) => {
    const frame = req.url === "/plain" ? "/agenda" : "/embed/agenda?organisation=wijkteam-kijker";
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="nl"><title>Wijkteam Kijker</title><h1>Onze agenda</h1><iframe src="${server.url}${frame}" title="Agenda" width="600" height="500"></iframe></html>`);
  });
  await new Promise<void>((resolve) => otherSite.listen(0, "127.0.0.1", resolve));
  otherOrigin = `http://localhost:${(otherSite.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => otherSite?.close(resolve));
});

async function keep(label: string, path: string) {
  const response = await fetch(server.url + path);
  documents.push({ label, html: await response.text() });
}

/** Opens `path` at `viewport`, runs axe, and checks that the page does not scroll sideways. */
async function check(page: Page, path: string) {
  await page.goto(path);
  if (!path.startsWith("/embed")) await waitForHydration(page);
  await expectNoSeriousAxeViolations(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
}

const pages = () => [
  `/agenda?view=month&month=${target}`,
  `/agenda?view=week&date=${target}-03`,
  "/agenda?view=month",
  "/agenda?view=week",
  "/agenda",
  `/sessions/${sessionIds[0]}`,
  "/organisations/wijkteam-kijker",
  "/embed/agenda",
  "/embed/agenda?organisation=bestaat-niet",
];

describe("the agenda's views and the pages around them", () => {
  for (const [name, viewport] of [["phone", phoneViewport], ["laptop", desktopViewport]] as const) {
    it(`pass axe and fit the screen on a ${name} (${viewport.width} px)`, async () => {
      const { context, page } = await newPage(browser, { baseURL: server.url, viewport });
      for (const path of pages()) await check(page, path);
      await context.close();
    });
  }

  it("turn the month into a list of the days with sessions on a phone, and keep seven columns on a laptop", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, phone: true });
    await page.goto(`/agenda?view=month&month=${target}`);
    const visibleDays = () => page.locator("table.month-grid td").evaluateAll((cells) => cells.filter((c) => (c as HTMLElement).offsetParent !== null).map((c) => c.querySelector(".day-full")!.textContent));
    const shown = await visibleDays();
    expect(shown).toHaveLength(4);
    expect(shown[0]).toMatch(/^\w+ 3 \w+$/);
    // The full date is read as text on a phone; the week view is offered.
    await expect(page.locator(".narrow-only a").isVisible()).resolves.toBe(true);
    await page.setViewportSize(desktopViewport);
    expect((await visibleDays()).length).toBeGreaterThanOrEqual(28);
    await expect(page.locator(".narrow-only a").isVisible()).resolves.toBe(false);
    const columns = await page.locator("table.month-grid tbody tr").first().locator("td").evaluateAll((cells) => new Set(cells.map((c) => Math.round(c.getBoundingClientRect().top))).size);
    expect(columns).toBe(1);
    await context.close();
  });

  it("hydrate a week that spans two months without a mismatch: the server and the browser write its dates alike", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, phone: true, timezoneId: zone });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    for (const week of ["2026-W49", "2026-W05", "2026-W53"]) {
      await page.goto(`/agenda?view=week&week=${week}`);
      await waitForHydration(page);
      // React reports a mismatch after hydrating; give it a moment to.
      await page.waitForTimeout(200);
    }
    expect(await page.locator("table.week-grid caption").textContent()).toContain("Week 53");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("reach the month grid's session links by keyboard, in date order", async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, viewport: desktopViewport });
    await page.goto(`/agenda?view=month&month=${target}`);
    await waitForHydration(page);
    const inGrid = await page.locator("table.month-grid a").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(inGrid).toEqual([sessionIds[1], sessionIds[0], sessionIds[2], sessionIds[3], sessionIds[4]].map((id) => `/sessions/${id}`));
    // From the period navigation's last link, Tab goes through the grid's links one by one.
    await page.locator(".period-nav a").last().focus();
    const reached: string[] = [];
    for (let i = 0; i < inGrid.length; i++) {
      await page.keyboard.press("Tab");
      reached.push(await page.evaluate(() => (document.activeElement as HTMLAnchorElement).getAttribute("href") ?? ""));
    }
    expect(reached).toEqual(inGrid);
    // Enter follows the focused link.
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/sessions/${sessionIds[4]}$`));
    await context.close();
  });

  it("the embed shows inside a frame on another website, where an ordinary page refuses to", async () => {
    const { context, page } = await newPage(browser, { viewport: desktopViewport });
    await page.goto(`${otherOrigin}/`);
    const embed = page.frameLocator("iframe");
    await expect(embed.locator("h1").textContent({ timeout: 20_000 })).resolves.toBe("Agenda van Wijkteam Kijker");
    await expect(embed.locator("li").count()).resolves.toBe(3);
    // Its style sheet loaded inside the frame: the "opens in a new window" words are visually hidden.
    const hiddenWidth = await embed.locator(".new-window").first().evaluate((e) => e.getBoundingClientRect().width);
    expect(hiddenWidth).toBeLessThanOrEqual(1);
    expect(await embed.locator("a").first().getAttribute("target")).toBe("_blank");

    const refused = new Promise<string>((resolve) => page.on("console", (message) => message.text().includes("frame-ancestors") && resolve(message.text())));
    await page.goto(`${otherOrigin}/plain`);
    expect(await refused).toContain("frame-ancestors");
    const frame = page.frames().find((f) => f !== page.mainFrame())!;
    expect(await frame.evaluate(() => document.querySelector("main")).catch(() => null)).toBeNull();
    await context.close();
  });
});

describe("the documents the server sent", () => {
  it("are valid HTML for the Nu HTML Checker", async () => {
    for (const path of pages()) await keep(path, path);
    await keep("week 2026-W13 (summer time starts)", "/agenda?view=week&week=2026-W13");
    await keep("month 2026-10 (summer time ends)", "/agenda?view=month&month=2026-10&lang=en");
    await keep("embed in English", "/embed/agenda?lang=en");
    expect(await htmlErrors(documents)).toEqual([]);
  });
});
