// Where a refusal is said, on a 360 px phone, without and with JavaScript: on the most used forms
// (a new session, a started session's edit, sign-up) a refusal about one field stands right under
// that field, which is marked invalid and has the focus, so it is in view and read with the field;
// a refusal of the whole form (a failed login) is in view and has the focus itself; a date poll
// answered without a time chosen is said at the group of times, whose first choice has the focus;
// a member flagged without a reason is said at the reason, in the flag form opened again; a
// founder's invitation refused (a founder already) is said above the form, focused; a message to a
// member refused for the day's limit is said above the form, focused, the text typed kept. Axe passes.
import { createHash, randomBytes } from "node:crypto";
import type { Locator } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { contactRules } from "~/governance/config";
import { browserAndServerForFile } from "../support/browser-server-for-file";
import { expectNoSeriousAxeViolations } from "../support/browser";
import { insertCourseSession, insertMembers } from "../support/direct-db";
import { Member } from "../support/e2e-governance";

const day = 86_400_000;

const files = browserAndServerForFile();
const opened: Member[] = [];

afterAll(async () => {
  for (const person of opened) await person.context.close();
});

async function open(who: { id: string; cookie: string | null }, javaScript: boolean) {
  const person = await Member.open(files.browser, files.server.url, { id: who.id, name: javaScript ? "met JavaScript" : "zonder JavaScript", cookie: who.cookie }, { javaScript });
  opened.push(person);
  return person;
}

const both = [false, true] as const;

/**
 * The field `label` is refused with `message`: marked invalid, naming its error, focused, and the
 * message stands right under it, both within the phone's screen.
 */
async function expectSaidAtField(person: Member, label: string, message: string) {
  const field = person.page.getByLabel(label, { exact: true });
  const name = await field.getAttribute("name");
  const error = person.page.locator(`#field-${name}-error`);
  expect(await error.textContent(), person.name).toBe(message);
  expect(await field.getAttribute("aria-invalid"), `${person.name}: ${label} marked`).toBe("true");
  expect(await field.getAttribute("aria-errormessage"), person.name).toBe(`field-${name}-error`);
  expect(await field.evaluate((el) => el === document.activeElement), `${person.name}: focus on ${label}`).toBe(true);
  expect(await person.page.getByRole("alert").count(), `${person.name}: nothing above the form`).toBe(0);
  const [fieldBox, errorBox] = [await box(field), await box(error)];
  expect(errorBox.y - (fieldBox.y + fieldBox.height), `${person.name}: the message right under ${label}`).toBeGreaterThanOrEqual(0);
  expect(errorBox.y - (fieldBox.y + fieldBox.height), `${person.name}: the message right under ${label}`).toBeLessThan(40);
  await expectInView(person, field);
  await expectInView(person, error);
  await expectNoSeriousAxeViolations(person.page);
}

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  expect(found).not.toBeNull();
  return found!;
}

/** Within the 360 px wide screen as it is scrolled now. */
async function expectInView(person: Member, locator: Locator) {
  const inView = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth;
  });
  expect(inView, `${person.name}: in view`).toBe(true);
}

/** A date 10 days from now, as a datetime-local field takes it. */
const inTenDays = (time: string) => `${new Date(Date.now() + 10 * day).toISOString().slice(0, 10)}T${time}`;

describe("refusals on a phone", () => {
  it("a new session ending before it begins: said at Eindigt", async () => {
    const [host] = insertMembers(files.sqlite, 1, "new-session");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    for (const javaScript of both) {
      const person = await open(host, javaScript);
      await person.visit(`/initiatives/${initiativeId}/sessions`);
      await person.page.getByLabel("Begint", { exact: true }).fill(inTenDays("18:00"));
      await person.page.getByLabel("Eindigt", { exact: true }).fill(inTenDays("17:00"));
      await person.send(person.page.getByRole("button", { name: "Bijeenkomst toevoegen" }), person.page.locator("#field-endsAt-error"));
      await expectSaidAtField(person, "Eindigt", "Het einde moet na het begin liggen.");
      expect(await person.page.getByLabel("Eindigt", { exact: true }).inputValue()).toBe(inTenDays("17:00"));
    }
  });

  it("a started session's end moved later: said at Eindigt, with the time typed", async () => {
    const [host] = insertMembers(files.sqlite, 1, "started");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, null);
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ?, place = 'Buurthuis' WHERE id = ?").run(start, start + 2 * 3_600_000, sessionId);
    for (const javaScript of both) {
      const person = await open(host, javaScript);
      await person.visit(`/sessions/${sessionId}/edit`);
      const ends = person.page.getByLabel("Eindigt", { exact: true });
      const later = new Date(Date.parse(`${await ends.inputValue()}:00Z`) + 3_600_000).toISOString().slice(0, 16);
      await ends.fill(later);
      await person.send(person.page.getByRole("button", { name: "Wijzigingen opslaan" }), person.page.locator("#field-endsAt-error"));
      await expectSaidAtField(person, "Eindigt", "Deze bijeenkomst is al begonnen: het einde kan nog eerder, maar niet later. Loopt hij uit? Inchecken en aanwezigheid melden kan tot 2 uur na het einde.");
      expect(await ends.inputValue()).toBe(later);
    }
    expect(files.sqlite.prepare("SELECT ends_at FROM sessions WHERE id = ?").get(sessionId)).toEqual({ ends_at: start + 2 * 3_600_000 });
  });

  it("sign-up with a short password: said at Wachtwoord, name and address kept", async () => {
    for (const javaScript of both) {
      const person = await open({ id: `visitor-${javaScript}`, cookie: null }, javaScript);
      await person.visit("/signup");
      await person.page.getByLabel("Je naam", { exact: true }).fill("Fatima de Vries");
      await person.page.getByLabel("E-mailadres", { exact: true }).fill(`fatima-${javaScript}@example.org`);
      await person.page.getByLabel("Wachtwoord", { exact: true }).fill("kort");
      await person.send(person.page.getByRole("button", { name: "Account maken" }), person.page.locator("#field-password-error"));
      await expectSaidAtField(person, "Wachtwoord", "Kies een wachtwoord van minstens 10 tekens.");
      expect(await person.page.getByLabel("Je naam", { exact: true }).inputValue()).toBe("Fatima de Vries");
      expect(await person.page.getByLabel("E-mailadres", { exact: true }).inputValue()).toBe(`fatima-${javaScript}@example.org`);
    }
  });

  it("a failed login concerns the whole form: said above it, in view and focused", async () => {
    for (const javaScript of both) {
      const person = await open({ id: `login-${javaScript}`, cookie: null }, javaScript);
      await person.visit("/login");
      await person.page.getByLabel("E-mailadres", { exact: true }).fill("niemand@example.org");
      await person.page.getByLabel("Wachtwoord", { exact: true }).fill("een lang genoeg wachtwoord");
      const alert = person.page.getByRole("alert");
      await person.send(person.page.getByRole("button", { name: "Inloggen" }), alert);
      expect(await alert.textContent()).toBe("Het e-mailadres of het wachtwoord klopt niet.");
      expect(await alert.evaluate((el) => el === document.activeElement), `${person.name}: focus on the refusal`).toBe(true);
      await expectInView(person, alert);
      expect(await person.page.getByLabel("E-mailadres", { exact: true }).inputValue()).toBe("niemand@example.org");
      await expectNoSeriousAxeViolations(person.page);
    }
  });

  it("a date poll answered without a time chosen: said at the group of times, its first choice focused, the name kept", async () => {
    const [host] = insertMembers(files.sqlite, 1, "poll-group");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const code = "PollGroupOnAPhone_abcdefg".slice(0, 24);
    const poll = files.sqlite.prepare("INSERT INTO date_polls (code, initiative_id, title, created_by, created_at) VALUES (?, ?, 'Volgende keer', ?, ?) RETURNING id").get(code, initiativeId, host.id, Date.now()) as { id: number };
    for (const days of [12, 13, 14]) {
      const start = Date.now() + days * day;
      files.sqlite.prepare("INSERT INTO poll_options (poll_id, starts_at, ends_at, place, mode) VALUES (?, ?, ?, 'Buurthuis', 'onsite')").run(poll.id, start, start + 2 * 3_600_000);
    }
    for (const javaScript of both) {
      const person = await open({ id: `poll-${javaScript}`, cookie: null }, javaScript);
      await person.visit(`/polls/${code}`);
      await person.page.getByLabel("Je naam", { exact: true }).fill("Yara van het buurtteam");
      const error = person.page.locator("#field-answers-error");
      await person.send(person.page.getByRole("button", { name: "Antwoorden opslaan" }), error);
      expect(await error.textContent()).toBe("Kies bij minstens één moment ja, als het moet of nee.");
      const group = person.page.locator("fieldset.poll-options");
      expect(await group.getAttribute("aria-invalid"), person.name).toBe("true");
      expect(await group.getAttribute("aria-describedby"), person.name).toBe("field-answers-error");
      const first = group.getByRole("radio").first();
      expect(await first.evaluate((el) => el === document.activeElement), `${person.name}: focus on the first choice`).toBe(true);
      expect(await person.page.getByRole("alert").count(), `${person.name}: nothing above the form`).toBe(0);
      await expectInView(person, error);
      await expectInView(person, first);
      expect(await person.page.getByLabel("Je naam", { exact: true }).inputValue()).toBe("Yara van het buurtteam");
      await expectNoSeriousAxeViolations(person.page);
    }
  });

  it("a member flagged without a reason (only spaces): said at Waarom?, the form open again with the rule chosen", async () => {
    const [witness, target] = insertMembers(files.sqlite, 2, "flag-reason");
    files.sqlite.prepare("UPDATE members SET created_at = @at, founder_at = @at WHERE id = @id").run({ at: Date.now() - 30 * day, id: witness.id });
    for (const javaScript of both) {
      const person = await open(witness, javaScript);
      await person.visit(`/members/${target.id}`);
      await person.page.getByText("Melden: dit account breekt een spelregel").click();
      const rule = person.page.getByLabel("Welke spelregel?", { exact: true });
      await rule.selectOption({ index: 1 });
      const chosen = await rule.inputValue();
      await person.page.getByLabel("Waarom?", { exact: true }).fill("   ");
      await person.send(person.page.getByRole("button", { name: "Melding versturen" }), person.page.locator("#field-reason-error"));
      await expectSaidAtField(person, "Waarom?", "Schrijf waarom je dit meldt.");
      expect(await rule.inputValue(), person.name).toBe(chosen);
    }
    expect(files.sqlite.prepare("SELECT count(*) AS n FROM flags WHERE target_id = ?").get(target.id)).toEqual({ n: 0 });
  });

  it("a founder's invitation accepted by someone who is a founder already concerns the whole form: said above it, in view and focused", async () => {
    const [inviter, founder] = insertMembers(files.sqlite, 2, "founder-again");
    const monthAgo = Date.now() - 30 * day;
    files.sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id IN (?, ?)").run(monthAgo, monthAgo, inviter.id, founder.id);
    const token = randomBytes(32).toString("base64url");
    const hash = createHash("sha256").update(token).digest("hex");
    files.sqlite.prepare("INSERT INTO founder_invitations (token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?)").run(hash, inviter.id, Date.now(), Date.now() + 14 * day);
    for (const javaScript of both) {
      const person = await open(founder, javaScript);
      await person.visit(`/founders/${token}`);
      const alert = person.page.getByRole("alert");
      await person.send(person.page.getByRole("button", { name: "Uitnodiging aannemen" }), alert);
      expect(await alert.textContent()).toBe("Je bent al oprichter.");
      expect(await alert.evaluate((el) => el === document.activeElement), `${person.name}: focus on the refusal`).toBe(true);
      await expectInView(person, alert);
      await expectNoSeriousAxeViolations(person.page);
    }
    expect(files.sqlite.prepare("SELECT used_at FROM founder_invitations WHERE token_hash = ?").get(hash)).toEqual({ used_at: null });
  });

  it("a message to a member over the day's limit concerns the whole form: said above it, in view and focused, the text typed kept", async () => {
    const [recipient, ...writers] = insertMembers(files.sqlite, 3, "contact-limit");
    const limit = contactRules.perDayWithoutVoice.limit;
    const path = `/members/${recipient.id}/message`;
    const sentBy = (writer: { id: string }) => (files.sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'member-message' AND dedupe_key LIKE ?").get(`member-message:%:${writer.id}:%`) as { n: number }).n;
    for (const javaScript of both) {
      const writer = writers[Number(javaScript)];
      const person = await open(writer, javaScript);
      await person.visit(path);
      const typed = `Hoi, zullen we de inloop van donderdag samen doen? (${person.name})`;
      await person.page.getByLabel("Je bericht", { exact: true }).fill(typed);
      // Meanwhile, from another tab, a fresh account sends as many as it may today.
      for (let i = 0; i < limit; i++) {
        const res = await fetch(files.server.url + path, {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, Cookie: writer.cookie },
          body: new URLSearchParams({ body: `Uit een ander tabblad ${i}` }).toString(),
        });
        expect(res.status).toBe(303);
      }
      const alert = person.page.getByRole("alert");
      await person.send(person.page.getByRole("button", { name: "Bericht versturen" }), alert);
      expect(await alert.textContent()).toBe(`Je hebt vandaag al ${limit} berichten gestuurd, het meeste dat kan. Probeer het morgen opnieuw.`);
      expect(await alert.evaluate((el) => el === document.activeElement), `${person.name}: focus on the refusal`).toBe(true);
      await expectInView(person, alert);
      expect(await person.page.getByLabel("Je bericht", { exact: true }).inputValue(), person.name).toBe(typed);
      await expectNoSeriousAxeViolations(person.page);
      expect(sentBy(writer), person.name).toBe(limit);
    }
  });
});
