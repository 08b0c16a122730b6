// What a form leads to, in a real browser at phone width, without and with JavaScript: an
// objection sent without a reason comes back with "Bezwaar" still chosen (not the position held
// before), a mistyped check-in code can be retyped at once next to its error, and deleting an
// account lands on a page that says it is deleted. The pages pass axe.
import type Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSeriousAxeViolations, launchBrowser } from "../support/browser";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { Member } from "../support/e2e-governance";
import { startServer, type RunningServer } from "../support/server";

const day = 86_400_000;
const password = "een lang genoeg wachtwoord";

let server: RunningServer;
let browser: Browser;
let sqlite: Database.Database;
const opened: Member[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  sqlite = openServerDatabase(server.databasePath);
});

afterAll(async () => {
  for (const person of opened) await person.context.close();
  sqlite?.close();
  await browser?.close();
  await server?.stop();
});

const post = (path: string, fields: Record<string, string>, cookie: string | null) =>
  fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });

async function open(who: { id: string; cookie: string }, javaScript: boolean) {
  const person = await Member.open(browser, server.url, { id: who.id, name: javaScript ? "met JavaScript" : "zonder JavaScript", cookie: who.cookie }, { javaScript });
  opened.push(person);
  return person;
}

describe("after a form, on a phone", () => {
  it("an objection without a reason comes back with Bezwaar chosen, not the earlier consent; with the reason it counts", async () => {
    const [anna, ...voters] = insertMembers(sqlite, 3, "vote");
    const old = Date.now() - 30 * day;
    for (const m of [anna, ...voters]) sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, m.id);
    const proposal = await post("/proposals/new", { title: "Elke maand een kookavond", body: "Op zaterdag.", kind: "consent", scope: "network", days: "7" }, anna.cookie);
    const path = new URL(proposal.headers.get("location")!, server.url).pathname;
    for (const [index, javaScript] of [false, true].entries()) {
      const voter = voters[index];
      expect((await post(path, { intent: "respond", position: "consent", reason: "Prima zo" }, voter.cookie)).status).toBe(303);
      const person = await open(voter, javaScript);
      await person.visit(path);
      await person.page.getByLabel("Bezwaar").check();
      await person.page.getByLabel("Toelichting").fill("");
      await person.send(person.page.getByRole("button", { name: "Reactie wijzigen" }), person.page.locator("#field-reason-error").filter({ hasText: "Een bezwaar heeft een reden nodig" }));
      // Said at the reason field, which is marked, names its error and has the focus.
      const field = person.page.getByLabel("Toelichting");
      expect(await field.getAttribute("aria-invalid"), person.name).toBe("true");
      expect(await field.getAttribute("aria-errormessage"), person.name).toBe("field-reason-error");
      expect(await field.evaluate((el) => el === document.activeElement), `${person.name}: focus on the reason`).toBe(true);
      expect(await person.page.getByLabel("Bezwaar").isChecked(), `${person.name}: Bezwaar still chosen`).toBe(true);
      expect(await person.page.getByLabel("Instemming").isChecked(), `${person.name}: the earlier consent not chosen again`).toBe(false);
      expect(await person.page.getByLabel("Toelichting").inputValue()).toBe("");
      await expectNoSeriousAxeViolations(person.page);
      const reason = `Zaterdag kan ik niet (${person.name}).`;
      await person.page.getByLabel("Toelichting").fill(reason);
      await person.send(person.page.getByRole("button", { name: "Reactie wijzigen" }), person.page.locator("section[aria-labelledby=positions-heading]").getByText(reason));
      expect(sqlite.prepare("SELECT position FROM proposal_positions WHERE member_id = ?").get(voter.id)).toEqual({ position: "object" });
    }
  });

  it("a mistyped check-in code shows its error next to the code field, keeps what was typed, and the right code checks in on the same page", async () => {
    const [host, ...guests] = insertMembers(sqlite, 3, "code");
    const { sessionId } = insertCourseSession(sqlite, host.id, null);
    const start = Date.now() - 10 * 60_000;
    sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?").run(start, start + 2 * 3_600_000, sessionId);
    for (const [index, javaScript] of [false, true].entries()) {
      const person = await open(guests[index], javaScript);
      await person.visit(`/sessions/${sessionId}`);
      await person.page.getByLabel("Incheckcode").fill("ABC123");
      const error = person.page.locator("#checkin-code-error");
      await person.send(person.page.getByRole("button", { name: "Inchecken", exact: true }), error.filter({ hasText: "Deze code klopt niet" }));
      const field = person.page.getByLabel("Incheckcode");
      expect(await field.inputValue(), `${person.name}: what was typed is kept`).toBe("ABC123");
      expect(await field.getAttribute("aria-invalid")).toBe("true");
      expect(await field.evaluate((input) => input === document.activeElement), `${person.name}: the code field has focus`).toBe(true);
      expect(await person.page.getByRole("link", { name: "← Details" }).count()).toBe(0);
      await expectNoSeriousAxeViolations(person.page);
      await field.fill("ACDEFG");
      await person.send(person.page.getByRole("button", { name: "Inchecken", exact: true }), person.page.getByText("Je bent erbij.").first());
    }
  });

  it("deleting an account lands on a page that says the account is deleted", async () => {
    for (const javaScript of [false, true]) {
      const email = `vertrek-${javaScript}@example.org`;
      const signup = await post("/signup", { email, password, displayName: "Vertrekker" }, null);
      const cookie = /meedoen_session=[^;]+/.exec(signup.headers.get("Set-Cookie") ?? "")![0];
      const id = (sqlite.prepare("SELECT id FROM members WHERE email = ?").get(email) as { id: string }).id;
      const person = await open({ id, cookie }, javaScript);
      await person.visit("/settings/delete");
      await person.page.getByLabel("Je wachtwoord, ter bevestiging").fill(password);
      await person.send(person.page.getByRole("button", { name: "Account definitief verwijderen" }), person.page.getByRole("status").filter({ hasText: "Je account is verwijderd." }));
      expect(new URL(person.page.url()).pathname).toBe("/");
      await expectNoSeriousAxeViolations(person.page);
    }
  });
});
