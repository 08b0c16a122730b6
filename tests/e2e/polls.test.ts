// Finding a date (issue 17) in a real browser on a phone, once with JavaScript and once without:
// a host offers times (asking for more rows on the way), a visitor answers under a typed name and
// changes the answers through the personal link, a member answers, and the host makes the best
// time the session. Every new page passes axe and the Nu HTML Checker, and the answer table reads
// at 360 px without scrolling the page sideways.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toLocalDateTimeInput } from "~/lib/time";
import { expectNoSeriousAxeViolations, launchBrowser, newPage, waitForHydration } from "../support/browser";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";
import { htmlErrors, type HtmlDocument } from "../support/vnu";

let server: RunningServer;
let browser: Browser;
let host: { id: string; cookie: string };
let member: { id: string; cookie: string };
const documents: HtmlDocument[] = [];
const day = 86_400_000;
const dateIn = (days: number) => toLocalDateTimeInput(Date.now() + days * day, "Europe/Amsterdam").slice(0, 10);

beforeAll(async () => {
  server = await startServer();
  const sqlite = openServerDatabase(server.databasePath);
  [host, member] = insertMembers(sqlite, 2, "prik");
  sqlite.prepare("UPDATE members SET display_name = 'Mirjam Lid' WHERE id = ?").run(member.id);
  sqlite.close();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function as(who: { cookie: string } | null, javaScript: boolean) {
  const { context, page } = await newPage(browser, { baseURL: server.url, phone: true, javaScript, cookie: who?.cookie });
  context.setDefaultTimeout(20_000);
  return { context, page };
}

async function visit(page: Page, path: string) {
  await page.goto(path);
  await waitForHydration(page);
}

/** The page as the server sends it, for the HTML checker; and axe on the page as shown. */
async function check(page: Page, label: string, cookie?: string) {
  await expectNoSeriousAxeViolations(page);
  const html = await (await fetch(server.url + new URL(page.url()).pathname + new URL(page.url()).search, { headers: cookie ? { Cookie: cookie } : {} })).text();
  documents.push({ label, html });
  // Nothing wider than the phone: the page does not scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth), label).toBeLessThanOrEqual(360);
}

async function newInitiative(title: string, javaScript: boolean) {
  const sqlite = openServerDatabase(server.databasePath);
  const now = Date.now();
  const { id } = sqlite
    .prepare("INSERT INTO initiatives (title, summary, body, kind, updated_at, created_by) VALUES (?, 'Vijf organisaties, één avond.', '', 'activity', ?, ?) RETURNING id")
    .get(title, now, host.id) as { id: number };
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(id, host.id, now, now);
  sqlite.close();
  const { context, page } = await as(host, javaScript);
  await visit(page, `/initiatives/${id}`);
  return { context, page };
}

for (const javaScript of [true, false]) {
  describe(javaScript ? "with JavaScript" : "without JavaScript", () => {
    // One story of some forty page loads: on a loaded 2-core machine it needs more than the usual minute.
    it("goes from offered times to a session, on a phone", { timeout: 240_000 }, async () => {
      const title = javaScript ? "Netwerkavond met script" : "Netwerkavond zonder script";
      const { context: hostContext, page } = await newInitiative(title, javaScript);
      await waitForHydration(page);
      await page.getByRole("link", { name: "Een datumprikker maken" }).click();
      await page.waitForURL(/\/polls\/new$/);
      await waitForHydration(page);
      await check(page, `offer form (${javaScript ? "js" : "no js"})`, host.cookie);
      await page.getByLabel("Waarvoor prik je?").fill("Volgende netwerkavond");
      await page.getByRole("button", { name: "Meer regels" }).click();
      await expect.poll(() => page.locator("fieldset.poll-option-row").count()).toBe(10);
      // What was typed before asking for more rows is still there.
      expect(await page.getByLabel("Waarvoor prik je?").inputValue()).toBe("Volgende netwerkavond");
      const row = (n: number) => page.getByRole("group", { name: `Moment ${n}`, exact: true });
      for (const [n, days, start, end] of [[1, 14, "19:30", "21:30"], [2, 15, "14:00", "15:30"], [7, 16, "10:00", "11:00"]] as const) {
        await row(n).getByLabel("Datum").fill(dateIn(days));
        await row(n).getByLabel("Begint om").fill(start);
        await row(n).getByLabel("Eindigt om").fill(end);
        await row(n).getByLabel(/plek/i).fill(`Buurthuis ${n}`);
      }
      await page.getByRole("button", { name: "Momenten voorstellen" }).click();
      await page.waitForURL(/\/polls\/[A-Za-z0-9_-]{24}$/);
      await waitForHydration(page);
      const pollPath = new URL(page.url()).pathname;
      // With JavaScript the address can change a moment before the new page is drawn.
      await expect.poll(() => page.locator("table.poll-table tbody tr").count()).toBe(3);
      await check(page, `poll as host (${javaScript ? "js" : "no js"})`, host.cookie);

      // A visitor with the link answers under a typed name and keeps the personal link.
      const visitor = await as(null, javaScript);
      await visit(visitor.page, pollPath);
      await check(visitor.page, `poll as visitor (${javaScript ? "js" : "no js"})`);
      await visitor.page.getByLabel("Je naam").fill("Yara van het buurtteam");
      const choice = (p: Page, n: number, answer: string) => p.locator("fieldset.poll-choice").nth(n).getByLabel(answer, { exact: true });
      await choice(visitor.page, 0, "Ja").check();
      await choice(visitor.page, 1, "Als het moet").check();
      await choice(visitor.page, 2, "Nee").check();
      await visitor.page.getByRole("button", { name: "Antwoorden opslaan" }).click();
      await visitor.page.getByRole("heading", { name: "Bewaar deze link" }).waitFor();
      await check(visitor.page, `poll after answering (${javaScript ? "js" : "no js"})`);
      const editLink = await visitor.page.locator("a.poll-edit-link").getAttribute("href");
      expect(editLink).toMatch(/\?edit=[A-Za-z0-9_-]{24}$/);
      // Later, from the personal link: the answers are there and can change.
      const later = await as(null, javaScript);
      await visit(later.page, editLink!);
      expect(await later.page.getByLabel("Je naam").inputValue()).toBe("Yara van het buurtteam");
      expect(await choice(later.page, 0, "Ja").isChecked()).toBe(true);
      await choice(later.page, 2, "Als het moet").check();
      await later.page.getByRole("button", { name: "Antwoorden opslaan" }).click();
      await later.page.getByRole("heading", { name: "Bewaar deze link" }).waitFor();
      await expect.poll(async () => (await later.page.locator("table.poll-table tbody tr").nth(2).textContent()) ?? "").toContain("Als het moet: 1");

      // A member answers under their own name.
      const lid = await as(member, javaScript);
      await visit(lid.page, pollPath);
      expect(await lid.page.getByText("Je antwoordt als Mirjam Lid.").count()).toBe(1);
      await choice(lid.page, 0, "Ja").check();
      await lid.page.getByRole("button", { name: "Antwoorden opslaan" }).click();
      await expect.poll(async () => (await lid.page.locator("table.poll-table tbody tr").first().textContent()) ?? "").toContain("Mirjam Lid");

      // The host makes the first time the session: the poll closes, marks it, and links to the session.
      await visit(page, pollPath);
      expect(await page.locator("table.poll-table tbody tr").first().textContent()).toContain("Ja: 2");
      await page.locator("form.poll-make").first().getByRole("button", { name: "Maak hier een bijeenkomst van" }).click();
      await page.getByText("Deze prikpoll is gesloten.").waitFor();
      await check(page, `closed poll (${javaScript ? "js" : "no js"})`, host.cookie);
      expect(await page.locator("tr.poll-chosen").textContent()).toContain("Gekozen");
      expect(await page.getByRole("button", { name: "Antwoorden opslaan" }).count()).toBe(0);
      await page.getByRole("link", { name: "Naar de bijeenkomst" }).click();
      await page.waitForURL(/\/sessions\/\d+$/);
      await expect.poll(() => page.locator("main").textContent()).toContain("Buurthuis 1");
      for (const c of [hostContext, visitor.context, later.context, lid.context]) await c.close();
    });
  });
}

describe("the new pages' HTML", () => {
  it("passes the Nu HTML Checker", async () => {
    expect(documents.length).toBeGreaterThanOrEqual(8);
    expect(await htmlErrors(documents)).toEqual([]);
  });
});
