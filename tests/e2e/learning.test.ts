// The record of learning (issue 15) in a real browser on a phone (360 px): a member reads her
// record, downloads the PDF and makes a verification link without JavaScript; a visitor opens
// the link; the host changes the session's learning hours on the edit page without JavaScript
// and the visitor sees that the record no longer matches; the member withdraws the link (410);
// with JavaScript the same forms go through Remix. A long record lists one year at a time, a
// hundred sessions per page, switched by plain links. Every page passes axe, and every document the server sent (forms with errors
// too) passes the Nu HTML Checker.
import type Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser, newPage } from "../support/browser";
import { insertAttendedSessions, insertMembers, openServerDatabase } from "../support/direct-db";
import { Person } from "../support/person";
import { startServer, type RunningServer } from "../support/server";
import { htmlErrors, type HtmlDocument } from "../support/vnu";

const hour = 3_600_000;
const day = 24 * hour;
let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
const documents: HtmlDocument[] = [];
// Documents still being read from the browser; awaited before a context closes.
const reading: Promise<unknown>[] = [];
let member: { id: string; cookie: string };
let host: { id: string; cookie: string };
let sessionId = 0;

/** A page on a phone without JavaScript that keeps every document the server sends it. */
async function phone(cookie: string | null, label: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await newPage(browser, { baseURL: server.url, javaScript: false, phone: true, cookie });
  opened.context.setDefaultTimeout(20_000);
  opened.page.on("response", (response) => {
    if (response.request().isNavigationRequest() && (response.headers()["content-type"] ?? "").startsWith("text/html")) {
      reading.push(response.text().then((html) => documents.push({ label: `${label} ${new URL(response.url()).pathname} ${response.status()}`, html })));
    }
  });
  const close = opened.context.close.bind(opened.context);
  opened.context.close = async (options) => {
    await Promise.all(reading);
    return close(options);
  };
  return opened;
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  sqlite = openServerDatabase(server.databasePath);
  [member, host] = insertMembers(sqlite, 2, "leer");
  sqlite.prepare("UPDATE members SET display_name = 'Zoë Łukasiewicz' WHERE id = ?").run(member.id);
  sqlite.prepare("UPDATE members SET display_name = 'Hanna Host' WHERE id = ?").run(host.id);
  // On the minute, as a time typed into the session form is: the edit form sends it back unchanged.
  const start = Math.floor((Date.now() - 2 * day) / 60_000) * 60_000;
  const initiative = sqlite.prepare("INSERT INTO initiatives (title, summary, kind, created_by, created_at, updated_at) VALUES ('Cursus gespreksvoering', 'Oefenen', 'course', ?, ?, ?) RETURNING id").pluck().get(host.id, start - 30 * day, start - 30 * day) as number;
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiative, host.id, start - 30 * day, start);
  const session = (startsAt: number, hours: number) =>
    sqlite
      .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at) VALUES (?, ?, ?, 'Buurthuis', 'ACDEFG', ?, ?, ?) RETURNING id")
      .pluck()
      .get(initiative, startsAt, startsAt + hours * hour, startsAt - 5 * day, startsAt - 5 * day, startsAt - 5 * day) as number;
  sessionId = session(start, 2);
  const earlier = session(start - 400 * day, 3);
  for (const id of [sessionId, earlier]) {
    sqlite.prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at) VALUES (?, ?, 'registered', 1, ?, 'code', 0, 0)").run(id, member.id, Date.now() - 2 * day);
  }
});

afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
});

describe("the record of learning on a phone", () => {
  let code = "";

  it("without JavaScript: the member reads her record, gets the PDF and makes a link", async () => {
    const { context, page } = await phone(member.cookie, "member");
    await page.goto("/settings");
    await page.getByRole("link", { name: "Naar je leerverslag" }).click();
    await page.getByRole("heading", { level: 1, name: "Leerverslag" }).waitFor();
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).toContain("geen accreditatie");
    expect(main).toContain("Cursus gespreksvoering");
    expect(main).toContain("Hanna Host");
    expect(main).toContain("5,0 uur");
    await expectNoSeriousAxeViolations(page);
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "PDF in het Engels" }).first().click();
    expect((await download).suggestedFilename()).toMatch(/^record-of-learning-all-\d{4}-\d\d-\d\d\.pdf$/);
    await page.getByLabel("Naam op het verslag").fill("Zoë Łukasiewicz-de Vries");
    await page.getByRole("button", { name: "Controlelink maken" }).click();
    await page.getByText("Werkt, en klopt met de database").waitFor();
    const url = await page.getByLabel("Link om te delen").inputValue();
    expect(url).toMatch(new RegExp(`^${server.url}/verify/[A-Za-z0-9_-]{24}$`));
    code = url.split("/").pop()!;
    await expectNoSeriousAxeViolations(page);
    await context.close();
  });

  it("a refused form comes back with its message, without JavaScript too", async () => {
    const res = await fetch(`${server.url}/settings/learning`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: member.cookie, "Accept-Language": "nl" },
      body: new URLSearchParams({ intent: "make", scope: "1999", name: "x".repeat(101) }),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("hoogstens 100 tekens");
    documents.push({ label: "member /settings/learning (with errors, without JavaScript)", html });
  });

  it("a visitor sees the record, and that it matches", async () => {
    const { context, page } = await phone(null, "visitor");
    const res = await page.goto(`/verify/${code}`);
    expect(res!.status()).toBe(200);
    await page.getByRole("heading", { level: 1, name: "Leerverslag van Zoë Łukasiewicz-de Vries" }).waitFor();
    expect(await page.locator("main").textContent()).toContain("Dit verslag klopt nog");
    await expectNoSeriousAxeViolations(page);
    await context.close();
  });

  it("the host gives the session 1,5 learning hours without JavaScript; the visitor sees the change", async () => {
    const { context, page } = await phone(host.cookie, "host");
    await page.goto(`/sessions/${sessionId}/edit`);
    await page.getByLabel("Leeruren").fill("abc");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.getByText("Vul een aantal uren in van 0 tot en met 24").waitFor();
    await expectNoSeriousAxeViolations(page);
    await page.getByLabel("Leeruren").fill("1,5");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.waitForURL(new RegExp(`/sessions/${sessionId}\\?done=saved$`));
    expect(sqlite.prepare("SELECT learning_minutes FROM sessions WHERE id = ?").pluck().get(sessionId)).toBe(90);
    await context.close();
    const visitor = await phone(null, "visitor");
    await visitor.page.goto(`/verify/${code}`);
    const text = (await visitor.page.locator("main").textContent()) ?? "";
    expect(text).toContain("klopt niet meer met wat er vastlag");
    expect(text).toContain("de leeruren veranderden van 2,0 naar 1,5 uur");
    await expectNoSeriousAxeViolations(visitor.page);
    await visitor.context.close();
  });

  it("withdrawn without JavaScript, the link answers 410 with a clear page; an unknown one 404", async () => {
    const { context, page } = await phone(member.cookie, "member");
    await page.goto("/settings/learning");
    await page.getByRole("button", { name: /^Intrekken/ }).click();
    await page.getByText(/^Ingetrokken op/).waitFor();
    await context.close();
    const visitor = await phone(null, "visitor");
    expect((await visitor.page.goto(`/verify/${code}`))!.status()).toBe(410);
    await visitor.page.getByRole("heading", { level: 1, name: "Deze controlelink is ingetrokken" }).waitFor();
    await expectNoSeriousAxeViolations(visitor.page);
    expect((await visitor.page.goto(`/verify/${"A".repeat(24)}`))!.status()).toBe(404);
    await visitor.page.getByRole("heading", { level: 1, name: "Deze controlelink bestaat niet" }).waitFor();
    await expectNoSeriousAxeViolations(visitor.page);
    await visitor.context.close();
  });

  it("with JavaScript, making and withdrawing a link go through Remix", async () => {
    const person = await Person.open(browser, server.url, { id: member.id, name: "Zoë", cookie: member.cookie });
    await person.page.setViewportSize({ width: 360, height: 740 });
    await person.visit("/settings/learning");
    await person.page.getByLabel("Welke periode").selectOption({ label: `Het jaar ${new Date(Date.now() - 402 * day).getFullYear()}` });
    await person.submit(person.page.getByRole("button", { name: "Controlelink maken" }), person.page.getByText("Werkt, en klopt met de database"));
    await expectNoSeriousAxeViolations(person.page);
    await person.submit(person.page.getByRole("button", { name: /^Intrekken/ }).first(), person.page.getByText(/^Ingetrokken op/).nth(1));
    await person.context.close();
  });

  it("a long record lists one year at a time, a hundred per page, switched by plain links, with and without JavaScript", async () => {
    // 260 evenings, one every three days: three calendar years or four, a whole one in between.
    const [long] = insertMembers(sqlite, 1, "lang");
    const first = Date.now() - 785 * day;
    const perYear = insertAttendedSessions(sqlite, { hostId: host.id, memberId: long.id, title: "Intervisie", starts: Array.from({ length: 260 }, (_, i) => first + i * 3 * day) });
    const [newest, whole] = [...perYear.keys()].sort((a, b) => b - a);
    const inWhole = perYear.get(whole)!;
    expect(inWhole).toBeGreaterThan(100);

    const { context, page } = await phone(long.cookie, "long record");
    await page.goto("/settings/learning");
    const years = page.getByRole("navigation", { name: "Jaren" });
    expect(await years.getByRole("link", { name: String(newest) }).getAttribute("aria-current")).toBe("page");
    expect(await page.locator("li.session").count()).toBe(Math.min(100, perYear.get(newest)!));
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoSeriousAxeViolations(page);
    await years.getByRole("link", { name: String(whole) }).click();
    await page.waitForURL(new RegExp(`\\?year=${whole}#sessions$`));
    await page.getByRole("heading", { level: 3, name: new RegExp(`^${whole}`) }).waitFor();
    expect(await page.locator("li.session").count()).toBe(100);
    await page.getByRole("navigation", { name: "Pagina’s" }).getByRole("link", { name: "Volgende pagina" }).click();
    await page.waitForURL(new RegExp(`\\?year=${whole}&page=2#sessions$`));
    expect(await page.locator("li.session").count()).toBe(inWhole - 100);
    await page.getByText(`101–${inWhole} van ${inWhole}`).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await expectNoSeriousAxeViolations(page);
    await context.close();

    const person = await Person.open(browser, server.url, { id: long.id, name: "Lang", cookie: long.cookie });
    await person.page.setViewportSize({ width: 360, height: 740 });
    await person.visit("/settings/learning");
    await person.follow(person.page.getByRole("navigation", { name: "Jaren" }).getByRole("link", { name: String(whole) }), new RegExp(`year=${whole}`));
    await person.follow(person.page.getByRole("link", { name: "Volgende pagina" }), /page=2/);
    await expect.poll(() => person.page.locator("li.session").count()).toBe(inWhole - 100);
    await person.context.close();
  });

  it("every document passes the Nu HTML Checker", async () => {
    expect(documents.length).toBeGreaterThan(8);
    expect(await htmlErrors(documents)).toEqual([]);
  });
});
