// Issue 15's story in a real browser, at phone width and without JavaScript: a host notes on the
// session page which working method they used; a participant checks in with the code from the
// host's screen, reads her record of learning with that method on it, downloads the PDF (read back
// with pdf-parse) and makes a verification link; a visitor, logged out, opens the link and sees the
// same facts, with the plain statement that this is not an accreditation.
import type Database from "better-sqlite3";
import { PDFParse } from "pdf-parse";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser, newPage } from "../support/browser";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

const minute = 60_000;
const day = 24 * 60 * minute;
let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
let host: { id: string; cookie: string };
let participant: { id: string; cookie: string };
let sessionId = 0;
const code = "KRTQWP";

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  sqlite = openServerDatabase(server.databasePath);
  [host, participant] = insertMembers(sqlite, 2, "story");
  sqlite.prepare("UPDATE members SET display_name = 'Hanna Kartrekker', created_at = ? WHERE id = ?").run(Date.now() - 60 * day, host.id);
  sqlite.prepare("UPDATE members SET display_name = 'Zoë Deelnemer', created_at = ? WHERE id = ?").run(Date.now() - 60 * day, participant.id);
  const announced = Date.now() - 10 * day;
  const start = Date.now() - 20 * minute;
  const initiative = sqlite
    .prepare("INSERT INTO initiatives (title, summary, kind, created_by, created_at, updated_at) VALUES ('Intervisie in de wijk', 'Samen leren van casussen', 'course', ?, ?, ?) RETURNING id")
    .pluck()
    .get(host.id, announced, announced) as number;
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiative, host.id, announced, announced);
  sessionId = sqlite
    .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at) VALUES (?, ?, ?, 'Buurthuis De Linde', ?, ?, ?, ?) RETURNING id")
    .pluck()
    .get(initiative, start, start + 150 * minute, code, announced, announced, announced) as number;
  sqlite.prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, created_at, updated_at) VALUES (?, ?, 'registered', 1, ?, ?)").run(sessionId, participant.id, announced, announced);
  const method = sqlite
    .prepare("INSERT INTO methods (title, purpose, steps, created_by, updated_at) VALUES ('Incidentmethode', 'Een casus samen onderzoeken', '1. Inbrengen\n2. Vragen\n3. Advies', ?, ?) RETURNING id")
    .pluck()
    .get(host.id, announced) as number;
  sqlite.prepare("INSERT INTO method_versions (method_id, version, title, purpose, steps, member_id, at) VALUES (?, 1, 'Incidentmethode', 'Een casus samen onderzoeken', '1. Inbrengen\n2. Vragen\n3. Advies', ?, ?)").run(method, host.id, announced);
});

afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
});

async function phone(cookie: string | null) {
  const opened = await newPage(browser, { baseURL: server.url, javaScript: false, phone: true, cookie });
  return opened;
}

describe("a method used, a check-in, a record of learning and its verification", () => {
  let verifyUrl = "";

  it("the host notes the method on the session page", async () => {
    const { context, page } = await phone(host.cookie);
    await page.goto(`/sessions/${sessionId}`);
    await page.getByLabel("Werkvorm toevoegen").fill("incidentmethode");
    await page.getByRole("button", { name: "Toevoegen", exact: true }).click();
    await page.waitForURL(new RegExp(`/sessions/${sessionId}`));
    await expect.poll(() => page.getByText("We gebruikten:").count()).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: "Incidentmethode" }).count()).toBeGreaterThan(0);
    await context.close();
  });

  it("the participant checks in with the code the host's screen opens", async () => {
    const { context, page } = await phone(participant.cookie);
    await page.goto(`/sessions/${sessionId}/checkin?code=${code}`);
    expect(await page.locator("#checkin-code").inputValue()).toBe(code);
    await page.getByRole("button", { name: "Inchecken" }).click();
    await page.waitForLoadState();
    expect(sqlite.prepare("SELECT attendance_by FROM registrations WHERE session_id = ? AND member_id = ?").pluck().get(sessionId, participant.id)).toBe("code");
    await context.close();
  });

  it("her record shows the session with its method; the PDF says the same; she makes a verification link", async () => {
    const { context, page } = await phone(participant.cookie);
    await page.goto("/settings/learning");
    const main = page.locator("main");
    await expect.poll(() => main.textContent()).toContain("Intervisie in de wijk");
    expect(await main.textContent()).toContain("Incidentmethode");
    expect(await main.textContent()).toContain("2,5");
    await expectNoSeriousAxeViolations(page);

    const pdf = await fetch(`${server.url}/settings/learning.pdf?lang=nl`, { headers: { cookie: participant.cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain("Zoë Deelnemer");
    expect(text).toContain("Intervisie in de wijk");
    expect(text).toContain("Incidentmethode");
    expect(text).toContain("Hanna Kartrekker");

    await page.getByLabel("Naam op het verslag").fill("Zoë Anna Deelnemer");
    await page.getByRole("button", { name: "Controlelink maken" }).click();
    await page.waitForURL(/\/settings\/learning/);
    verifyUrl = await page.getByLabel("Link om te delen").first().inputValue();
    expect(verifyUrl).toMatch(/\/verify\/[A-Za-z0-9_-]{20,}$/);
    await context.close();
  });

  it("a visitor, logged out, opens the link and sees the same facts and what the record is not", async () => {
    const { context, page } = await phone(null);
    const response = await page.goto(new URL(verifyUrl).pathname);
    expect(response?.status()).toBe(200);
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain("Zoë Anna Deelnemer");
    expect(text).toContain("Intervisie in de wijk");
    expect(text).toContain("Incidentmethode");
    expect(text).toContain("netwerk zonder rechtspersoon");
    expect(text).toContain("Dit verslag klopt nog");
    await expectNoSeriousAxeViolations(page);
    await context.close();
  });
});
