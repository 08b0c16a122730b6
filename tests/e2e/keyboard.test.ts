// Keyboard only, in the seeded demo network: someone signs up from the feed, registers for a
// session found on the agenda and responds to a proposal of that initiative that its host opened
// after she signed up (who decides is fixed when a proposal opens: its hosts and whoever signed
// up for one of its sessions, governance.md §3), using nothing but Tab, Shift+Tab, Enter, Space
// and typing: no clicks, no fill(). Every control that takes focus on the way must show it (an outline or a shadow) and be
// on screen; the skip link must be the first stop and move focus to the main content. Each step
// is checked in the page and in the database. The sign-up is also done with JavaScript off.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newPage, waitForHydration } from "../support/browser";
import { openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

const databasePath = path.join(os.tmpdir(), `meedoen-keyboard-${randomBytes(4).toString("hex")}.sqlite`);
// The models below write to the demo database (before the server opens it).
process.env.DATABASE_PATH = databasePath;

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
let sessionId: number;
let proposalId: number;
let initiativeTitle: string;
const proposalTitle = "Koffie en thee voortaan zelf meenemen";

let initiativeId: number;
let hostCookie: string;

beforeAll(async () => {
  execFileSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "db/seed.ts"], { env: { ...process.env, DATABASE_PATH: databasePath }, stdio: "ignore" });
  sqlite = openServerDatabase(databasePath);
  // A course's next session with places left, and its host, logged in (the proposal comes later).
  const session = sqlite
    .prepare(
      `SELECT s.id, s.initiative_id AS initiativeId, i.title, h.member_id AS hostId FROM sessions s
       JOIN initiatives i ON i.id = s.initiative_id JOIN hosts h ON h.initiative_id = i.id
       WHERE i.kind = 'course' AND s.starts_at > ? AND s.cancelled_at IS NULL
         AND (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') < s.capacity
       ORDER BY s.starts_at LIMIT 1`,
    )
    .get(Date.now()) as { id: number; initiativeId: number; title: string; hostId: string };
  sessionId = session.id;
  initiativeId = session.initiativeId;
  initiativeTitle = session.title;
  const loginId = randomBytes(20).toString("hex");
  sqlite.prepare("INSERT INTO auth_sessions (id, member_id, expires_at) VALUES (?, ?, ?)").run(loginId, session.hostId, Math.floor(Date.now() / 1000) + 86_400);
  hostCookie = `meedoen_session=${loginId}`;
  [server, browser] = await Promise.all([startServer({ DATABASE_PATH: databasePath }), launchBrowser()]);
});

/** The course's host opens a consent proposal for the course's participants, through the real form post. */
async function hostOpensProposal(): Promise<number> {
  const response = await fetch(`${server.url}/proposals/new`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: hostCookie },
    body: new URLSearchParams({ title: proposalTitle, body: "Dan hoeft niemand meer boodschappen te doen.", kind: "consent", scope: "initiative", initiativeId: String(initiativeId), days: "7", effect: "none" }),
  });
  expect(response.status, await response.text()).toBe(303);
  return Number(/\/proposals\/(\d+)$/.exec(response.headers.get("location") ?? "")?.[1]);
}

afterAll(async () => {
  sqlite?.close();
  await browser?.close();
  await server?.stop();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
  // The server kept its pictures and uploads next to the database.
  rmSync(`${databasePath}.data`, { recursive: true, force: true });
});

type Focused = {
  tag: string;
  id: string;
  type: string;
  name: string;
  text: string;
  href: string;
  inMain: boolean;
  invalid: string | null;
  /** The text of the element's description (aria-describedby): its hint and error. */
  description: string;
  /** Why the focus is not visible, or "" when it is. */
  unseen: string;
};

/** What has focus now, and whether a sighted keyboard user can see it. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) {
      return { tag: "body", id: "", type: "", name: "", text: "", href: "", inMain: false, invalid: null, description: "", unseen: "" };
    }
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== "none";
    const rect = el.getBoundingClientRect();
    const onScreen = rect.width > 0 && rect.height > 0 && rect.bottom > 0 && rect.top < innerHeight && rect.right > 0 && rect.left < innerWidth;
    const unseen = [outline || shadow ? "" : "no outline or shadow", onScreen ? "" : `off screen (${Math.round(rect.left)},${Math.round(rect.top)} ${Math.round(rect.width)}×${Math.round(rect.height)})`]
      .filter(Boolean)
      .join(", ");
    const description = (el.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" ")
      .trim();
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute("type") ?? "",
      name: el.getAttribute("name") ?? "",
      text: (el.textContent ?? "").replace(/\s+/g, " ").trim(),
      href: el.getAttribute("href") ?? "",
      inMain: !!el.closest("main"),
      invalid: el.getAttribute("aria-invalid"),
      description,
      unseen,
    };
  });
}

/**
 * Presses Tab (or Shift+Tab) until `wanted` has focus, checking at every stop that the focus can
 * be seen; fails after `max` presses. Returns the element it stopped on.
 */
async function tabTo(page: Page, what: string, wanted: (f: Focused) => boolean, { back = false, max = 150 } = {}): Promise<Focused> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const now = await focused(page);
    if (now.tag !== "body" && now.tag !== "main") {
      expect(now.unseen, `focus on <${now.tag}> "${now.text || now.id || now.name}" (${page.url()}) is visible`).toBe("");
    }
    if (wanted(now)) return now;
  }
  throw new Error(`${max} presses of ${back ? "Shift+Tab" : "Tab"} on ${page.url()} did not reach ${what}`);
}

/**
 * Presses a key on the control that has focus and waits until the address matches. With
 * JavaScript the address changes a moment before React draws the new page: Remix changed the page
 * without loading it, and it is there once focus has moved to its main content (checked here).
 */
async function pressAndGo(page: Page, key: "Enter" | "Space", url: RegExp, javaScript: boolean) {
  await page.keyboard.press(key);
  await page.waitForURL(url);
  if (!javaScript) return;
  await waitForHydration(page);
  await expectMainHasFocus(page);
}

async function expectMainHasFocus(page: Page) {
  await expect.poll(async () => (await focused(page)).tag, { message: `main content has focus on ${page.url()}` }).toBe("main");
}

/** From the feed: the skip link, then to "Account maken" in the header, and through the sign-up form. */
async function signUp(page: Page, person: { name: string; email: string }, javaScript: boolean) {
  await page.goto("/");
  if (javaScript) await waitForHydration(page);

  // The skip link is the first stop, shows on focus, and moves focus to the main content.
  const skip = await tabTo(page, "the skip link", () => true, { max: 1 });
  expect(skip).toMatchObject({ tag: "a", href: "#main", text: "Naar de inhoud" });
  await page.keyboard.press("Enter");
  await expectMainHasFocus(page);
  expect((await tabTo(page, "a control in the main content", () => true, { max: 1 })).inMain).toBe(true);

  // Back up into the header, to the sign-up link.
  await tabTo(page, "the sign-up link", (f) => f.href === "/signup", { back: true });
  await pressAndGo(page, "Enter", /\/signup$/, javaScript);
  expect(await page.locator("h1").textContent()).toBe("Account maken");

  const name = await tabTo(page, "the name field", (f) => f.id === "field-displayName");
  expect(name.description).toContain("Zo zien andere deelnemers je");
  {
    // Sent empty: the errors show and focus goes to the first field in error, which names it
    // (without JavaScript the new page gives it focus as it loads).
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await focused(page)).invalid).toBe("true");
    const first = await focused(page);
    expect(first.id).toBe("field-displayName");
    expect(first.description).toMatch(/naam/i);
    expect(first.unseen).toBe("");
  }
  await page.keyboard.type(person.name);
  await tabTo(page, "the e-mail field", (f) => f.id === "field-email");
  await page.keyboard.type(person.email);
  await tabTo(page, "the password field", (f) => f.id === "field-password");
  await page.keyboard.type("een lang genoeg wachtwoord");
  await tabTo(page, "the submit button", (f) => f.tag === "button" && f.text === "Account maken");
  // A new account sees the start page first.
  await pressAndGo(page, "Enter", new RegExp(`^${server.url}/welcome$`), javaScript);

  // In the page: logged in, the name in the header (the copy in the closed menu is not shown). In the database: the account.
  await expect.poll(() => page.locator("header .who >> visible=true").textContent()).toBe(person.name);
  const row = sqlite.prepare("SELECT id, display_name AS name FROM members WHERE email = ?").get(person.email) as { id: string; name: string } | undefined;
  expect(row?.name).toBe(person.name);
  return row!.id;
}

describe("keyboard only", () => {
  it("signs up, registers for a session and responds to a proposal, with JavaScript", { timeout: 120_000 }, async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url });
    context.setDefaultTimeout(20_000);
    const memberId = await signUp(page, { name: "Toetsenbord Tineke", email: "tineke@example.org" }, true);

    // Register: the agenda (back up into the header), the session's link, its sign-up button.
    await tabTo(page, "the agenda link", (f) => f.href === "/agenda", { back: true });
    await pressAndGo(page, "Enter", /\/agenda$/, true);
    await tabTo(page, `the link to session ${sessionId}`, (f) => f.href === `/sessions/${sessionId}`);
    await pressAndGo(page, "Enter", new RegExp(`/sessions/${sessionId}$`), true);
    expect(await page.locator("h1").textContent()).toBe(initiativeTitle);
    await tabTo(page, "the register button", (f) => f.tag === "button" && f.text === "Inschrijven");
    await page.keyboard.press("Space");
    await page.getByText("Je bent ingeschreven.").waitFor();
    // The button is gone (replaced by "Inschrijving annuleren"): focus did not get lost with it.
    expect((await focused(page)).tag).not.toBe("body");
    const registration = sqlite.prepare("SELECT status FROM registrations WHERE session_id = ? AND member_id = ?").get(sessionId, memberId) as { status: string } | undefined;
    expect(registration?.status).toBe("registered");
    // Now the host opens a proposal of the course: she signed up before it opened, so she decides too.
    proposalId = await hostOpensProposal();
    expect(proposalId).toBeGreaterThan(0);

    // Respond: the proposals (through the header again), the proposal, a position and a reason.
    await tabTo(page, "the proposals link", (f) => f.href === "/proposals", { back: true });
    await pressAndGo(page, "Enter", /\/proposals$/, true);
    await tabTo(page, "the proposal's link", (f) => f.href === `/proposals/${proposalId}`);
    await pressAndGo(page, "Enter", new RegExp(`/proposals/${proposalId}$`), true);
    expect(await page.locator("h1").textContent()).toBe(proposalTitle);
    await tabTo(page, "the first position", (f) => f.type === "radio" && f.name === "position");
    await page.keyboard.press("Space");
    expect(await page.getByRole("radio", { name: /Instemming/ }).isChecked()).toBe(true);
    await tabTo(page, "the explanation", (f) => f.tag === "textarea" && f.name === "reason");
    await page.keyboard.type("Prima, ik neem een thermoskan mee.");
    await tabTo(page, "the respond button", (f) => f.tag === "button" && f.text === "Reactie geven");
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Reactie wijzigen" }).waitFor();
    expect(await page.locator("section[aria-labelledby=positions-heading]").textContent()).toContain("Toetsenbord Tineke");
    const position = sqlite.prepare("SELECT position, reason FROM proposal_positions WHERE proposal_id = ? AND member_id = ?").get(proposalId, memberId) as { position: string; reason: string } | undefined;
    expect(position).toEqual({ position: "consent", reason: "Prima, ik neem een thermoskan mee." });
    await context.close();
  });

  it("signs up without JavaScript", { timeout: 60_000 }, async () => {
    const { context, page } = await newPage(browser, { baseURL: server.url, javaScript: false });
    context.setDefaultTimeout(20_000);
    await signUp(page, { name: "Zonder Script", email: "zonder@example.org" }, false);
    await context.close();
  });
});
