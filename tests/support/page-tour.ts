// The tour of every page type of the seeded demo network (app/routes: every route that renders
// HTML), as a visitor and as a member who hosts, at phone width (360×740) and desktop width (1280×800): it
// loads with the expected status, hydrates without a single script error or Content Security
// Policy violation, and axe finds no serious or critical violation at either width. Every HTML
// document the server sent on the way (forms with errors included, as a browser without
// JavaScript gets them) is then checked by the Nu HTML Checker. Forms are also checked with their error
// messages showing (and focus on the first field in error), and the error pages (404, 403, links
// that no longer work) too. Not here: routes that answer with files (.ics, .xml, .csv, .json) or
// only redirect, and the page an action such as /sessions/:id/register shows when it refuses
// (a plain <Refusal>: a heading, a role="alert" message and a link back).
//
// The tours are in three test files (tests/e2e/pages-*.test.ts) that run side by side: as one
// file they took over four minutes, the longest part of the suite. Each file has one browser and
// one page per audience; each address is loaded once and checked at both widths by resizing the
// page. Proposals, a comment, an outcome, a cancelled session, a reset link and
// an unsubscribe link are added through the models before the server starts; a meeting that
// gave the host a voice, a founder's invitation and a request to co-host straight into the
// database.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { desktopViewport, expectNoSeriousAxeViolations, launchBrowser, loadAxeInEveryDocument, phoneViewport, waitForHydration } from "./browser";
import { openServerDatabase } from "./direct-db";
import { startServer, type RunningServer } from "./server";
import { htmlErrors, type HtmlDocument } from "./vnu";

const databasePath = path.join(os.tmpdir(), `meedoen-pages-${randomBytes(4).toString("hex")}.sqlite`);
// The models below write to the demo database (before the server opens it).
process.env.DATABASE_PATH = databasePath;

const day = 86_400_000;
export let server: RunningServer;
export let browser: Browser;
// What the server sent, for the Nu HTML Checker at the end.
export const documents: HtmlDocument[] = [];
export let ids: {
  member: string;
  membersOnly: string;
  initiative: number;
  pastSession: number;
  session: number;
  cancelledSession: number;
  fullSession: number;
  networkProposal: number;
  initiativeProposal: number;
  closedProposal: number;
  comment: number;
  outcome: number;
  othersOutcome: number;
  resetToken: string;
  unsubscribeToken: string;
  lastWeek: string;
  founderToken: string;
  venue: number;
  organisation: string;
};

/** The demo network with the additions above, a server on it and a browser: call once, at the top of a test file. */
export function setUpPageTour() {
  beforeAll(async () => {
    execFileSync(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "db/seed.ts"], { env: { ...process.env, DATABASE_PATH: databasePath }, stdio: "ignore" });
    const { closeDb } = await import("~/lib/db.server");
    const { openProposal, respond, closeProposal, writeStatement } = await import("~/models/proposals.server");
    const { postComment, postOutcome } = await import("~/models/contributions.server");
    const { cancelSession } = await import("~/models/sessions.server");
    const { requestPasswordReset } = await import("~/models/account.server");
    const { weekLabel, weekOf, shiftWeek } = await import("~/models/digest.server");
    const { voiceOfMember } = await import("~/models/voice.server");

    const sqlite = openServerDatabase(databasePath);
    const idOf = (name: string) => (sqlite.prepare("SELECT id FROM members WHERE email = ?").get(`${name}@demo.meedoen.nl`) as { id: string }).id;
    const pieter = idOf("pieter");
    const anna = idOf("anna");
    // Pieter hosts a course: one session took place, two are ahead.
    const hosted = sqlite.prepare("SELECT s.initiative_id AS initiative, s.id AS session, s.starts_at AS startsAt FROM sessions s JOIN hosts h ON h.initiative_id = s.initiative_id WHERE h.member_id = ? ORDER BY s.starts_at").all(pieter) as { initiative: number; session: number; startsAt: number }[];
    const past = hosted.find((s) => s.startsAt < Date.now())!;
    const [next, later] = hosted.filter((s) => s.startsAt > Date.now());
    const full = sqlite.prepare("SELECT s.id FROM sessions s WHERE s.capacity IS NOT NULL AND (SELECT count(*) FROM registrations r WHERE r.session_id = s.id AND r.status = 'registered') >= s.capacity").get() as { id: number };
    const othersOutcome = sqlite.prepare("SELECT id FROM outcomes WHERE member_id != ? LIMIT 1").get(pieter) as { id: number };
    const membersOnly = sqlite.prepare("SELECT id FROM members WHERE profile_visibility = 'members' LIMIT 1").get() as { id: string };
    const unsubscribeToken = sqlite.prepare("SELECT unsubscribe_token AS token FROM members WHERE id = ?").get(anna) as { token: string };
    // Pieter and Anna open and answer network proposals, so they need a voice (governance.md §1,
    // version 2). The demo's own meetings do not give Pieter one, and which five of the demo's new
    // voices the growth brake lets start first depends on the members' random ids. So: an earlier
    // evening of Pieter's course, in the network's first weeks, stood on the agenda days ahead and
    // three founders, Anna among them, checked in there with the code, each a witness for the other
    // two. Hosting it gave Pieter a voice and attending it gave the three theirs, started a week
    // later and lasting still.
    const courseCreated = sqlite.prepare("SELECT created_at FROM initiatives WHERE id = ?").pluck().get(past.initiative) as number;
    const earlier = courseCreated + 3 * day;
    const demoMeetings = sqlite.prepare("SELECT min(starts_at) FROM sessions").pluck().get() as number;
    expect(earlier + 8 * day, "the earlier evening's voices started before the demo's meetings").toBeLessThan(demoMeetings);
    const witnesses = sqlite.prepare("SELECT id FROM members WHERE founder_at IS NOT NULL AND id <> ? ORDER BY created_at LIMIT 3").pluck().all(pieter) as string[];
    expect(witnesses).toHaveLength(3);
    expect(witnesses).toContain(anna);
    sqlite.transaction(() => {
      const sessionId = sqlite
        .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at) VALUES (?, ?, ?, 'Buurthuis De Linde', 'KWRTYP', ?, ?, ?) RETURNING id")
        .pluck()
        .get(past.initiative, earlier, earlier + 2 * 3_600_000, courseCreated + 3_600_000, courseCreated + 3_600_000, courseCreated + 3_600_000) as number;
      witnesses.forEach((id, i) =>
        sqlite
          .prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at) VALUES (?, ?, 'registered', ?, ?, 'code', ?, ?)")
          .run(sessionId, id, i + 1, earlier + 600_000, earlier - day, earlier + 600_000),
      );
    })();
    for (const [who, id] of [["Pieter", pieter], ["Anna", anna]]) {
      expect(voiceOfMember(id).reason.kind, `${who}'s voice`).toBe("earned");
      expect(voiceOfMember(id, Date.now() - 8 * day).reason.kind, `${who}'s voice eight days ago`).toBe("earned");
    }
    // An invitation as founder that a founder sent while the network started (governance.md §1),
    // not used yet; and someone who came to Pieter's course asks to co-host it (§2), which Pieter
    // sees on the initiative's page.
    const founderToken = randomBytes(32).toString("base64url");
    sqlite
      .prepare("INSERT INTO founder_invitations (token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?)")
      .run(createHash("sha256").update(founderToken).digest("hex"), anna, Date.now() - day, Date.now() + 13 * day);
    const asker = sqlite.prepare("SELECT member_id FROM registrations WHERE session_id = ? AND attended_at IS NOT NULL AND member_id <> ? LIMIT 1").pluck().get(past.session, pieter) as string;
    sqlite.prepare("INSERT INTO host_requests (initiative_id, member_id, created_at) VALUES (?, ?, ?)").run(past.initiative, asker, Date.now() - day);
    // A venue Pieter added (the seed's), with its organisation (issue 14).
    const venue = sqlite.prepare("SELECT v.id, o.slug FROM venues v JOIN organisations o ON o.id = v.organisation_id WHERE v.created_by = ? LIMIT 1").get(pieter) as { id: number; slug: string };
    sqlite.close();

    const now = new Date();
    const networkProposal = openProposal(
      { scope: "network", initiativeId: null, kind: "consent", title: "Elke maand een open avond", body: "We houden **elke eerste dinsdag** een open avond.\n\n- Iedereen welkom\n- Koffie staat klaar", days: 7, effect: null },
      pieter,
      now,
    );
    respond(networkProposal, anna, "object", "Dinsdag kan ik nooit; liever donderdag.", now);
    const initiativeProposal = openProposal(
      { scope: "initiative", initiativeId: past.initiative, kind: "majority", title: "Cursusavonden een half uur eerder", body: "Dan halen de deelnemers de laatste bus.", days: 5, effect: null },
      pieter,
      now,
    );
    respond(initiativeProposal, pieter, "for", "", now);
    const opened = new Date(now.getTime() - 8 * day);
    const closedProposal = openProposal({ scope: "network", initiativeId: null, kind: "majority", title: "Een gezamenlijke agenda op papier", body: "", days: 7, effect: null }, pieter, opened);
    respond(closedProposal, pieter, "for", "", opened);
    closeProposal(closedProposal, new Date(now.getTime() - day));
    writeStatement(closedProposal, pieter, "We proberen het later opnieuw, met meer mensen erbij.", new Date(now.getTime() - day / 2));
    const comment = postComment(past.initiative, pieter, { body: "Wie neemt de oefenkaarten mee?" }, now);
    const outcome = postOutcome(past.initiative, pieter, { body: "## Wat we deden\n\nOefenen in tweetallen.", sessionId: past.session }, now);
    cancelSession(later.session, pieter, now);
    const resetToken = requestPasswordReset("anna@demo.meedoen.nl", now)!;
    const lastWeek = weekLabel(shiftWeek(weekOf(now), -1));
    closeDb();

    ids = {
      member: pieter,
      membersOnly: membersOnly.id,
      initiative: past.initiative,
      pastSession: past.session,
      session: next.session,
      cancelledSession: later.session,
      fullSession: full.id,
      networkProposal,
      initiativeProposal,
      closedProposal,
      comment,
      outcome,
      othersOutcome: othersOutcome.id,
      resetToken,
      unsubscribeToken: unsubscribeToken.token,
      lastWeek,
      founderToken,
      venue: venue.id,
      organisation: venue.slug,
    };
    [server, browser] = await Promise.all([startServer({ DATABASE_PATH: databasePath }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
    // The server kept its pictures and uploads next to the database.
    rmSync(`${databasePath}.data`, { recursive: true, force: true });
  });
}

function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().includes("Failed to load resource")) errors.push(message.text());
  });
  return errors;
}

/**
 * Content Security Policy violations, which Chrome reports without a console error when a script
 * catches them (a library probing for eval): every document records them from its first script on.
 */
async function watchPolicyViolations(page: Page) {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __policyViolations: string[] }).__policyViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} at ${event.sourceFile}:${event.lineNumber}`);
    });
  });
}

async function policyViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __policyViolations?: string[] }).__policyViolations?.splice(0) ?? []);
}

/**
 * What search engines and chat apps read in a page's head: a description on every page, and a
 * text for every card picture (og:image:alt) for people who cannot see it.
 */
function headProblems(pathname: string, html: string): string[] {
  const head = html.slice(0, html.indexOf("</head>"));
  const content = (attribute: string) => new RegExp(`<meta [^>]*${attribute}[^>]*>`).exec(head)?.[0].match(/content="([^"]*)"/)?.[1]?.trim();
  const problems: string[] = [];
  if (!content('name="description"')) problems.push(`${pathname}: no meta description`);
  if (content('property="og:image"') && !content('property="og:image:alt"')) problems.push(`${pathname}: a card picture without og:image:alt`);
  return problems;
}

// The first form on the page that has fields to fill in.
const postForm = 'main form[method="post"]:has(input:not([type="hidden"]), textarea)';

/** One audience (visitor or member) on one page, collecting every problem instead of stopping at the first. */
export class Tour {
  readonly problems: string[] = [];
  readonly errors: string[];
  private wide = false;

  constructor(
    readonly page: Page,
    readonly audience: string,
  ) {
    this.errors = watchErrors(page);
  }

  static async start(page: Page, audience: string) {
    await watchPolicyViolations(page);
    await loadAxeInEveryDocument(page);
    return new Tour(page, audience);
  }

  /** Loads an address (expecting `status`), then checks it at both widths. */
  async visit(pathname: string, status = 200) {
    const response = await this.page.goto(server.url + pathname);
    await waitForHydration(this.page);
    if (response?.status() !== status) this.problems.push(`${pathname}: status ${response?.status()}, expected ${status}`);
    if (response) {
      const html = await response.text();
      documents.push({ label: `${this.audience} ${pathname}`, html });
      this.problems.push(...headProblems(pathname, html));
    }
    if (status === 200) {
      const heading = await this.page.locator("h1").first().textContent();
      if (/Dat lukte niet|Niet gevonden/.test(heading ?? "")) this.problems.push(`${pathname}: shows the error page "${heading}"`);
    }
    await this.check(pathname);
  }

  /**
   * Submits a form on the page as it is (through Remix), then checks the page with its errors
   * showing; focus must be on the first field in error, so that its error is read out with it.
   */
  async submitWithErrors(pathname: string, prepare?: (page: Page) => Promise<void>, form = postForm) {
    await this.page.goto(server.url + pathname);
    await waitForHydration(this.page);
    await prepare?.(this.page);
    const submit = this.page.locator(form).first().locator('button[type="submit"]').last();
    // The same form as a browser without JavaScript posts it: the server answers a whole page.
    const fields = await submit.evaluate((button: HTMLButtonElement) => [...new FormData(button.form!, button)].map(([name, value]) => [name, String(value)]));
    const plain = await this.page.request.post(server.url + pathname, {
      headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" },
      data: new URLSearchParams(fields).toString(),
      maxRedirects: 0,
    });
    if (plain.status() < 400) this.problems.push(`${pathname}: the form without JavaScript answered ${plain.status()}, not its errors`);
    documents.push({ label: `${this.audience} ${pathname} (with errors, without JavaScript)`, html: await plain.text() });
    await submit.click();
    await this.page.locator('main [aria-invalid="true"], main .form-error').first().waitFor();
    const focusedOnIt = await this.page
      .waitForFunction(
        () => {
          const invalid = document.querySelector('main [aria-invalid="true"]');
          const first = invalid?.matches("fieldset") ? invalid.querySelector("input, select, textarea") : invalid;
          return !first || first === document.activeElement;
        },
        null,
        { timeout: 5_000 },
      )
      .then(
        () => true,
        () => false,
      );
    if (!focusedOnIt) this.problems.push(`${pathname}: after the errors showed, focus is not on the first field in error`);
    await this.check(`${pathname} (with errors)`);
  }

  /** axe at the width the page has, then at the other one (alternating saves a resize per page). */
  private async check(label: string) {
    for (let i = 0; i < 2; i++) {
      const viewport = this.wide ? desktopViewport : phoneViewport;
      await this.page.setViewportSize(viewport);
      try {
        await expectNoSeriousAxeViolations(this.page);
      } catch (error) {
        this.problems.push(`${label} at ${viewport.width}px: ${(error as Error).message}`);
      }
      if (i === 0) this.wide = !this.wide;
    }
    if (this.errors.length) this.problems.push(`${label}: script errors: ${this.errors.splice(0).join("; ")}`);
    // Headings go down one level at a time (no h2 followed by an h4), so that their outline reads right.
    const skips = await this.page.evaluate(() => {
      let previous = 0;
      const found: string[] = [];
      for (const heading of document.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
        const level = Number(heading.tagName[1]);
        if (previous && level > previous + 1) found.push(`h${previous} then h${level} "${heading.textContent?.trim().slice(0, 40)}"`);
        previous = level;
      }
      return found;
    });
    if (skips.length) this.problems.push(`${label}: headings skip a level: ${skips.join("; ")}`);
    const violations = await policyViolations(this.page);
    if (violations.length) this.problems.push(`${label}: Content Security Policy violations: ${violations.join("; ")}`);
  }

  expectNoProblems() {
    expect(this.problems.join("\n\n")).toBe("");
  }
}

export async function logIn(page: Page, email: string) {
  await page.goto(`${server.url}/login`);
  await waitForHydration(page);
  await page.getByLabel("E-mailadres").fill(email);
  await page.getByLabel("Wachtwoord").fill("meedoen-demo");
  await page.getByRole("button", { name: "Inloggen" }).last().click();
  await page.waitForURL(`${server.url}/`);
}

/** Pages anyone can see: the same addresses are checked logged out and logged in. */
export const publicPages = () => [
  "/",
  "/?q=taal",
  "/?kind=course",
  "/?q=gibberishxyz",
  "/agenda",
  `/initiatives/${ids.initiative}`,
  "/initiatives/2",
  "/initiatives/3",
  "/initiatives/12",
  `/sessions/${ids.pastSession}`,
  `/sessions/${ids.session}`,
  `/sessions/${ids.cancelledSession}`,
  `/sessions/${ids.fullSession}`,
  "/members",
  "/members?q=taal",
  `/members/${ids.member}`,
  "/proposals",
  `/proposals/${ids.networkProposal}`,
  `/proposals/${ids.initiativeProposal}`,
  `/proposals/${ids.closedProposal}`,
  "/rules",
  "/log",
  "/log?group=session",
  "/how-it-works",
  "/now",
  "/digest",
  `/digest/${ids.lastWeek}`,
  "/organisations",
  "/organisations?q=lindenveen",
  `/organisations/${ids.organisation}`,
  `/venues/${ids.venue}`,
  "/network",
];

/** Every document this file's tours received passes the Nu HTML Checker (at least `least` of them). */
export async function expectValidDocuments(least: number) {
  expect(documents.length).toBeGreaterThanOrEqual(least);
  expect(await htmlErrors(documents)).toEqual([]);
}
