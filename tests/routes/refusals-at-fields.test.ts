// Refusals that concern one field are said at that field, through the real server: the answer's
// HTML has the message in the field's error element, the field is marked aria-invalid, the
// status stays a 4xx and what was typed comes back (docs/forms-refusals.md).
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { contactRules } from "~/governance/config";
import { translator, type MessageKey, type Params } from "~/lib/i18n";
import { insertCourseSession, insertMembers } from "../support/direct-db";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("refusals-at-fields");
const hour = 3_600_000;
const day = 24 * hour;

const post = (path: string, fields: [string, string][] | Record<string, string>, cookie: string | null) =>
  fetch(files.server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });

const get = async (path: string, cookie: string) => (await fetch(files.server.url + path, { headers: { Cookie: cookie } })).text();

/** The opening tag of the control named `name` (input, select or textarea). */
const control = (html: string, name: string) => new RegExp(`<(?:input|select|textarea)[^>]*name="${name}"[^>]*>`).exec(html)?.[0] ?? "";

const inputValue = (html: string, name: string) => /value="([^"]*)"/.exec(control(html, name))?.[1] ?? "";

/** The message at the field `name`: the text of its error element. */
const fieldError = (html: string, name: string) => new RegExp(`<p class="field-error" id="field-${name}-error">([^<]*)</p>`).exec(html)?.[1];

/** Whether a message is shown above the form (the form's alert). */
const aboveForm = (html: string) => /class="form-error" role="alert"/.test(html);

/** "2026-12-10T18:30" moved by `ms`, as a datetime-local field shows it. */
const shifted = (local: string, ms: number) => new Date(Date.parse(`${local}:00Z`) + ms).toISOString().slice(0, 16);

describe("the session edit form", () => {
  it("says at the end field that a started meeting cannot end later, at the start field that its start is fixed, and keeps what was typed", async () => {
    const [host] = insertMembers(files.sqlite, 1, "started");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, null);
    // Ten minutes ago, on a whole minute as a form sets it.
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ?, place = 'Buurthuis' WHERE id = ?").run(start, start + 2 * hour, sessionId);
    const form = await get(`/sessions/${sessionId}/edit`, host.cookie);
    const startsAt = inputValue(form, "startsAt");
    const endsAt = inputValue(form, "endsAt");
    expect(startsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);

    const later = shifted(endsAt, hour);
    const endLater = await post(`/sessions/${sessionId}/edit`, { startsAt, endsAt: later, mode: "onsite", place: "Buurthuis", capacity: "12" }, host.cookie);
    expect(endLater.status).toBe(409);
    const page = await endLater.text();
    expect(fieldError(page, "endsAt")).toBe("Deze bijeenkomst is al begonnen: het einde kan nog eerder, maar niet later. Loopt hij uit? Inchecken en aanwezigheid melden kan tot 2 uur na het einde.");
    expect(control(page, "endsAt")).toContain('aria-invalid="true"');
    expect(control(page, "endsAt")).toContain(`value="${later}"`);
    expect(inputValue(page, "capacity")).toBe("12");
    expect(aboveForm(page)).toBe(false);

    const moved = await post(`/sessions/${sessionId}/edit`, { startsAt: shifted(startsAt, -hour), endsAt, mode: "onsite", place: "Buurthuis" }, host.cookie);
    expect(moved.status).toBe(409);
    const movedPage = await moved.text();
    expect(fieldError(movedPage, "startsAt")).toMatch(/^Deze bijeenkomst is al begonnen: het begin en de plek liggen vast/);
    expect(control(movedPage, "startsAt")).toContain('aria-invalid="true"');
    expect(control(movedPage, "startsAt")).toContain(`value="${shifted(startsAt, -hour)}"`);
    expect(control(movedPage, "endsAt")).not.toContain("aria-invalid");

    const elsewhere = await post(`/sessions/${sessionId}/edit`, { startsAt, endsAt, mode: "onsite", place: "De bieb" }, host.cookie);
    expect(elsewhere.status).toBe(409);
    const elsewherePage = await elsewhere.text();
    expect(fieldError(elsewherePage, "place")).toMatch(/^Deze bijeenkomst is al begonnen/);
    expect(control(elsewherePage, "place")).toContain('aria-invalid="true"');
    expect(control(elsewherePage, "place")).toContain('value="De bieb"');
    // Nothing changed.
    expect(files.sqlite.prepare("SELECT starts_at, ends_at, place FROM sessions WHERE id = ?").get(sessionId)).toEqual({ starts_at: start, ends_at: start + 2 * hour, place: "Buurthuis" });
  });

  it("says at the places field how many have signed up, with the number, and only there", async () => {
    const [host, a, b] = insertMembers(files.sqlite, 3, "full");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, null);
    const now = Date.now();
    const register = files.sqlite.prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, created_at, updated_at) VALUES (?, ?, 'registered', ?, ?, ?)");
    register.run(sessionId, a.id, 1, now, now);
    register.run(sessionId, b.id, 2, now, now);
    const form = await get(`/sessions/${sessionId}/edit`, host.cookie);
    const res = await post(`/sessions/${sessionId}/edit`, { startsAt: inputValue(form, "startsAt"), endsAt: inputValue(form, "endsAt"), mode: "onsite", place: "Buurthuis", capacity: "1" }, host.cookie);
    expect(res.status).toBe(409);
    const page = await res.text();
    expect(fieldError(page, "capacity")).toBe("Er zijn al 2 inschrijvingen. Kies minstens 2 plaatsen.");
    expect(control(page, "capacity")).toContain('aria-invalid="true"');
    expect(control(page, "capacity")).toContain('value="1"');
    expect(page.split("Er zijn al 2 inschrijvingen").length).toBe(2);
    expect(aboveForm(page)).toBe(false);
  });
});

describe("the statement after a proposal closed", () => {
  it("says at the statement field that it is empty or too long, and gives back what was written", async () => {
    const [anna, bram] = insertMembers(files.sqlite, 2, "statement");
    // Two founders of a month ago; the proposal's deadline passed, so the page closes it.
    files.sqlite.prepare("UPDATE members SET created_at = @at, founder_at = @at WHERE id IN (@anna, @bram)").run({ at: Date.now() - 30 * day, anna: anna.id, bram: bram.id });
    const path = (await post("/proposals/new", { title: "Zomerstop", body: "In juli.", kind: "majority", scope: "network", days: "7" }, anna.cookie)).headers.get("location")!;
    const id = Number(/\/proposals\/(\d+)$/.exec(path)?.[1]);
    files.sqlite.prepare("UPDATE proposals SET deadline = ? WHERE id = ?").run(Date.now() - 1000, id);
    expect(await get(path, bram.cookie)).toContain('name="statement"');

    const empty = await post(path, { intent: "statement", statement: "   " }, bram.cookie);
    expect(empty.status).toBe(400);
    const emptyPage = await empty.text();
    expect(fieldError(emptyPage, "statement")).toBeTruthy();
    expect(control(emptyPage, "statement")).toContain('aria-invalid="true"');
    expect(aboveForm(emptyPage)).toBe(false);

    const long = "We stoppen in juli. ".repeat(300);
    const tooLong = await post(path, { intent: "statement", statement: long }, bram.cookie);
    expect(tooLong.status).toBe(400);
    const longPage = await tooLong.text();
    expect(fieldError(longPage, "statement")).toBeTruthy();
    expect(control(longPage, "statement")).toContain('aria-invalid="true"');
    expect(longPage).toContain(`>${long.trim()}</textarea>`);
    expect(aboveForm(longPage)).toBe(false);
    expect(files.sqlite.prepare("SELECT statement FROM proposals WHERE id = ?").get(id)).toEqual({ statement: null });
  });
});

describe("the outcome form", () => {
  it("says at the session select that the session has not started, and at the methods that one was not used, keeping text and ticks", async () => {
    const [host] = insertMembers(files.sqlite, 1, "outcome");
    const { initiativeId, sessionId: coming } = insertCourseSession(files.sqlite, host.id, null);
    const now = Date.now();
    const past = files.sqlite
      .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, checkin_code, updated_at) VALUES (?, ?, ?, 'ACDEFG', ?) RETURNING id")
      .get(initiativeId, now - 2 * day, now - 2 * day + 2 * hour, now) as { id: number };
    const method = files.sqlite.prepare("INSERT INTO methods (title, updated_at) VALUES ('Kringgesprek', ?) RETURNING id").get(now) as { id: number };
    const unused = files.sqlite.prepare("INSERT INTO methods (title, updated_at) VALUES ('Niet hier gebruikt', ?) RETURNING id").get(now) as { id: number };
    files.sqlite.prepare("INSERT INTO session_methods (session_id, method_id, added_at) VALUES (?, ?, ?)").run(past.id, method.id, now);
    const path = `/initiatives/${initiativeId}/outcomes`;

    const notStarted = await post(path, [["sessionId", String(coming)], ["body", "Wat we leerden."], ["methodId", String(method.id)]], host.cookie);
    expect(notStarted.status).toBe(409);
    const page = await notStarted.text();
    expect(fieldError(page, "sessionId")).toBe("Een opbrengst kun je delen zodra de bijeenkomst begonnen is.");
    expect(control(page, "sessionId")).toContain('aria-invalid="true"');
    expect(page).toContain(">Wat we leerden.</textarea>");
    expect(control(page, "methodId")).toContain('checked=""');
    expect(aboveForm(page)).toBe(false);

    const notUsed = await post(path, [["sessionId", String(past.id)], ["body", "Met een vreemde werkvorm."], ["methodId", String(method.id)], ["methodId", String(unused.id)]], host.cookie);
    expect(notUsed.status).toBe(400);
    const notUsedPage = await notUsed.text();
    expect(fieldError(notUsedPage, "methodId")).toBe("Je kunt alleen werkvormen noemen die bij een bijeenkomst van dit initiatief zijn gebruikt.");
    expect(notUsedPage).toMatch(/<fieldset class="field" aria-invalid="true" aria-describedby="field-methodId-error">/);
    expect(notUsedPage).toContain(">Met een vreemde werkvorm.</textarea>");
    expect(aboveForm(notUsedPage)).toBe(false);
    expect(files.sqlite.prepare("SELECT count(*) AS n FROM outcomes WHERE initiative_id = ?").get(initiativeId)).toEqual({ n: 0 });
  });
});

describe("a date poll's option made the session", () => {
  it("says a missing meeting link and a wrong number of places at that option's own fields, with what was typed, and nothing is made", async () => {
    const [host] = insertMembers(files.sqlite, 1, "pollhost");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const code = "PollRefusalsAtFields_abcd".slice(0, 24);
    const now = Date.now();
    const poll = files.sqlite.prepare("INSERT INTO date_polls (code, initiative_id, title, created_by, created_at) VALUES (?, ?, 'Volgende keer', ?, ?) RETURNING id").get(code, initiativeId, host.id, now) as { id: number };
    const option = (start: number, mode: string) =>
      (files.sqlite.prepare("INSERT INTO poll_options (poll_id, starts_at, ends_at, place, mode) VALUES (?, ?, ?, 'Buurthuis', ?) RETURNING id").get(poll.id, start, start + 2 * hour, mode) as { id: number }).id;
    const onsite = option(now + 10 * day, "onsite");
    const online = option(now + 11 * day, "online");
    const sessionsBefore = (files.sqlite.prepare("SELECT count(*) AS n FROM sessions").get() as { n: number }).n;

    const noLink = await post(`/polls/${code}`, { intent: "make", optionId: String(online), onlineUrl: "", capacity: "15" }, host.cookie);
    expect(noLink.status).toBe(400);
    const noLinkPage = await noLink.text();
    expect(fieldError(noLinkPage, `onlineUrl-${online}`)).toBeTruthy();
    expect(new RegExp(`<input[^>]*id="field-onlineUrl-${online}"[^>]*>`).exec(noLinkPage)?.[0]).toContain('aria-invalid="true"');
    expect(noLinkPage).toMatch(new RegExp(`<input[^>]*id="field-capacity-${online}"[^>]*value="15"`));
    // The other option's form is left as it was.
    expect(noLinkPage).not.toMatch(new RegExp(`<input[^>]*id="field-capacity-${onsite}"[^>]*value=`));
    expect(aboveForm(noLinkPage)).toBe(false);

    const badPlaces = await post(`/polls/${code}`, { intent: "make", optionId: String(onsite), capacity: "veel" }, host.cookie);
    expect(badPlaces.status).toBe(400);
    const badPage = await badPlaces.text();
    expect(fieldError(badPage, `capacity-${onsite}`)).toMatch(/^Vul een heel getal in/);
    const places = new RegExp(`<input[^>]*id="field-capacity-${onsite}"[^>]*>`).exec(badPage)?.[0] ?? "";
    expect(places).toContain('aria-invalid="true"');
    expect(places).toContain('value="veel"');
    expect(aboveForm(badPage)).toBe(false);

    // An option of another poll, or none: said above the forms, as it concerns no field.
    const unknown = await post(`/polls/${code}`, { intent: "make", optionId: "999999", capacity: "3" }, host.cookie);
    expect(unknown.status).toBe(400);
    expect(aboveForm(await unknown.text())).toBe(true);
    expect((files.sqlite.prepare("SELECT count(*) AS n FROM sessions").get() as { n: number }).n).toBe(sessionsBefore);
  });
});

describe("a date poll's answer", () => {
  it("says at the group of times that none was chosen, marked invalid and focused, with the name typed; a name too long at the name, with the times chosen; a forged answer above the form; nothing is stored", async () => {
    const [host, member] = insertMembers(files.sqlite, 2, "pollanswer");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const code = "PollAnswerAtTheTimes_abcd".slice(0, 24);
    const now = Date.now();
    const poll = files.sqlite.prepare("INSERT INTO date_polls (code, initiative_id, title, created_by, created_at) VALUES (?, ?, 'Volgende keer', ?, ?) RETURNING id").get(code, initiativeId, host.id, now) as { id: number };
    const option = (start: number) =>
      (files.sqlite.prepare("INSERT INTO poll_options (poll_id, starts_at, ends_at, place, mode) VALUES (?, ?, ?, 'Buurthuis', 'onsite') RETURNING id").get(poll.id, start, start + 2 * hour) as { id: number }).id;
    const first = option(now + 10 * day);
    const second = option(now + 11 * day);
    const group = (html: string) => /<fieldset class="field poll-options"[^>]*>/.exec(html)?.[0] ?? "";
    const radio = (html: string, optionId: number, answer: string) => new RegExp(`<input type="radio" name="answer-${optionId}"[^>]*value="${answer}"[^>]*>`).exec(html)?.[0] ?? "";
    const responses = () => (files.sqlite.prepare("SELECT count(*) AS n FROM poll_responses WHERE poll_id = ?").get(poll.id) as { n: number }).n;

    // A visitor who typed a name and chose no time.
    const none = await post(`/polls/${code}`, { intent: "answer", name: "Gast Jansen" }, null);
    expect(none.status).toBe(400);
    const nonePage = await none.text();
    expect(fieldError(nonePage, "answers")).toBe("Kies bij minstens één moment ja, als het moet of nee.");
    expect(group(nonePage)).toBe('<fieldset class="field poll-options" aria-invalid="true" aria-describedby="field-answers-error">');
    // The first choice of the group has the focus without JavaScript.
    expect(radio(nonePage, first, "yes")).toContain("autofocus");
    expect(radio(nonePage, second, "yes")).not.toContain("autofocus");
    expect(aboveForm(nonePage)).toBe(false);
    expect(inputValue(nonePage, "name")).toBe("Gast Jansen");
    expect(control(nonePage, "name")).not.toContain("aria-invalid");

    // A member has no name to type: the same, at the group.
    const memberNone = await post(`/polls/${code}`, { intent: "answer" }, member.cookie);
    expect(memberNone.status).toBe(400);
    const memberPage = await memberNone.text();
    expect(fieldError(memberPage, "answers")).toBe("Kies bij minstens één moment ja, als het moet of nee.");
    expect(group(memberPage)).toContain('aria-invalid="true"');
    expect(aboveForm(memberPage)).toBe(false);

    // A name too long is said at the name, and the times chosen come back checked.
    const long = "x".repeat(81);
    const tooLong = await post(`/polls/${code}`, { intent: "answer", name: long, [`answer-${first}`]: "maybe", [`answer-${second}`]: "no" }, null);
    expect(tooLong.status).toBe(400);
    const longPage = await tooLong.text();
    expect(fieldError(longPage, "name")).toBe("Je naam mag hoogstens 80 tekens lang zijn.");
    expect(control(longPage, "name")).toContain('aria-invalid="true"');
    expect(control(longPage, "name")).toContain("autofocus");
    expect(inputValue(longPage, "name")).toBe(long);
    expect(radio(longPage, first, "maybe")).toContain('checked=""');
    expect(radio(longPage, second, "no")).toContain('checked=""');
    expect(radio(longPage, first, "yes")).not.toContain("checked");
    expect(group(longPage)).not.toContain("aria-invalid");
    expect(fieldError(longPage, "answers")).toBeUndefined();
    expect(aboveForm(longPage)).toBe(false);

    // No name at all: at the name too (the poll's own check), with the times chosen.
    const noName = await post(`/polls/${code}`, { intent: "answer", name: "", [`answer-${second}`]: "yes" }, null);
    expect(noName.status).toBe(400);
    const noNamePage = await noName.text();
    expect(fieldError(noNamePage, "name")).toBe("Vul je naam in.");
    expect(radio(noNamePage, second, "yes")).toContain('checked=""');
    expect(aboveForm(noNamePage)).toBe(false);

    // A forged answer is a tampered form: above it.
    const forged = await post(`/polls/${code}`, { intent: "answer", name: "Gast Jansen", [`answer-${first}`]: "misschien" }, null);
    expect(forged.status).toBe(400);
    const forgedPage = await forged.text();
    expect(aboveForm(forgedPage)).toBe(true);
    expect(forgedPage).toContain("Kies bij elk moment ja, als het moet of nee.");
    expect(group(forgedPage)).not.toContain("aria-invalid");
    expect(responses()).toBe(0);

    // Answered as asked, it is stored.
    const fine = await post(`/polls/${code}`, { intent: "answer", name: "Gast Jansen", [`answer-${first}`]: "yes" }, null);
    expect(fine.status).toBe(303);
    expect(responses()).toBe(1);
  });
});

// Pages that said their refusals in a paragraph of their own (docs/forms-refusals.md): a refusal
// about one field now stands at it, one about the whole form is a `FormError` that takes the focus.

/** The form's alert, when it is the one that takes the focus (no field in error): its text. */
const focusedAlert = (html: string) => /<p class="form-error" role="alert" tabindex="-1" autofocus="">([^<]*)<\/p>/.exec(html)?.[1];

const said = (key: MessageKey, params?: Params) => translator("nl")(key, params).replace(/&/g, "&amp;").replace(/'/g, "&#x27;").replace(/"/g, "&quot;");

/** A founder of a month ago: while the network bootstraps, a witness who may flag. */
function monthOldFounder(id: string) {
  files.sqlite.prepare("UPDATE members SET created_at = @at, founder_at = @at WHERE id = @id").run({ at: Date.now() - 30 * day, id });
}

describe("the cancel part of the session edit form", () => {
  it("says a missing or too long reason at the reason field, with what was written, and a meeting begun meanwhile above the page, focused; nothing is cancelled", async () => {
    const [host] = insertMembers(files.sqlite, 1, "cancel");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, null);
    const path = `/sessions/${sessionId}/edit`;
    const cancelled = () => files.sqlite.prepare("SELECT cancelled_at FROM sessions WHERE id = ?").get(sessionId);

    const empty = await post(path, { intent: "cancel-session", reason: "   " }, host.cookie);
    expect(empty.status).toBe(400);
    const emptyPage = await empty.text();
    expect(fieldError(emptyPage, "reason")).toBe(said("safe.cancel.reason.required"));
    const reason = control(emptyPage, "reason");
    expect(reason).toContain('aria-invalid="true"');
    expect(reason).toContain('aria-describedby="field-reason-hint field-reason-error"');
    expect(reason).toContain('aria-errormessage="field-reason-error"');
    expect(reason).toContain("autofocus");
    expect(aboveForm(emptyPage)).toBe(false);

    const long = "De zaal is niet beschikbaar. ".repeat(40).trim();
    const tooLong = await post(path, { intent: "cancel-session", reason: long }, host.cookie);
    expect(tooLong.status).toBe(400);
    const longPage = await tooLong.text();
    expect(fieldError(longPage, "reason")).toBe(said("safe.cancel.reason.tooLong"));
    expect(control(longPage, "reason")).toContain('aria-invalid="true"');
    expect(longPage).toContain(`>${long}</textarea>`);
    expect(aboveForm(longPage)).toBe(false);
    expect(cancelled()).toEqual({ cancelled_at: null });

    // Begun meanwhile: the cancel form is gone, the refusal is the page's, with the focus.
    files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?").run(Date.now() - 10 * 60_000, Date.now() + hour, sessionId);
    const begun = await post(path, { intent: "cancel-session", reason: "De spreker is ziek." }, host.cookie);
    expect(begun.status).toBe(409);
    const begunPage = await begun.text();
    expect(focusedAlert(begunPage)).toBe(said("session.started.fixed"));
    expect(begunPage.split(said("session.started.fixed")).length).toBe(2);
    expect(control(begunPage, "reason")).toBe("");
    expect(cancelled()).toEqual({ cancelled_at: null });
  });
});

describe("the settings page", () => {
  it("says a form it does not have above the page, focused, and changes nothing", async () => {
    const [member] = insertMembers(files.sqlite, 1, "settings");
    const before = files.sqlite.prepare("SELECT mail_off, digest_opt_in, contact_off, calendar_token FROM members WHERE id = ?").get(member.id);
    const res = await post("/settings", { intent: "iets-anders", mail: "reminder" }, member.cookie);
    expect(res.status).toBe(400);
    expect(focusedAlert(await res.text())).toBe(said("error.badRequest"));
    expect(files.sqlite.prepare("SELECT mail_off, digest_opt_in, contact_off, calendar_token FROM members WHERE id = ?").get(member.id)).toEqual(before);
  });
});

describe("flagging a member", () => {
  it("says a missing rule or reason, a reason too long and a rule not in the list at that field, with what was chosen and written; no voice (a newcomer, a held witness) and oneself above the form, focused; nothing is flagged", async () => {
    const [witness, target, newcomer] = insertMembers(files.sqlite, 3, "flagging");
    monthOldFounder(witness.id);
    const path = `/members/${target.id}`;
    const rule = /<option value="([^"]+)">/.exec(await get(path, witness.cookie))?.[1] ?? "";
    expect(rule).not.toBe("");
    const flags = () => (files.sqlite.prepare("SELECT count(*) AS n FROM flags WHERE target_type = 'member'").get() as { n: number }).n;
    const selected = (html: string) => /<option value="([^"]*)" selected="">/.exec(html)?.[1];

    /** A flag refused at `field` with `key`: 400, the message under the field, which is marked, nothing above the form; the page. */
    const refusedAt = async (sent: Record<string, string>, field: string, key: MessageKey) => {
      const answer = await post(path, sent, witness.cookie);
      expect(answer.status).toBe(400);
      const html = await answer.text();
      expect(fieldError(html, field)).toBe(said(key));
      expect(control(html, field)).toContain('aria-invalid="true"');
      expect(aboveForm(html)).toBe(false);
      return html;
    };

    const noReasonPage = await refusedAt({ rule, reason: "  " }, "reason", "flag.reason.required");
    expect(control(noReasonPage, "reason")).toContain('aria-errormessage="field-reason-error"');
    expect(control(noReasonPage, "reason")).toContain("autofocus");
    expect(selected(noReasonPage)).toBe(rule);
    // The form is opened again, so that the field and its refusal are seen.
    expect(noReasonPage).toContain('<details class="flag-form" open="">');

    const noRulePage = await refusedAt({ rule: "", reason: "Stuurt reclame." }, "rule", "flag.rule.required");
    expect(control(noRulePage, "rule")).toContain('aria-describedby="field-rule-error"');
    expect(control(noRulePage, "rule")).toContain("autofocus");
    expect(noRulePage).toContain(">Stuurt reclame.</textarea>");

    // A reason past its 1,000 characters: at the reason, with the rule kept.
    const longReasonPage = await refusedAt({ rule, reason: "Stuurt steeds weer reclame. ".repeat(40) }, "reason", "flag.reason.tooLong");
    expect(selected(longReasonPage)).toBe(rule);

    // A rule that is not a house rule: the model refuses it, said at the rule.
    const unknownPage = await refusedAt({ rule: "Geen spelregel", reason: "Stuurt reclame." }, "rule", "flag.unknownRule");
    expect(unknownPage).toContain(">Stuurt reclame.</textarea>");

    // Who may not flag, or flags themself: the whole form, above it, focused.
    const noVoice = await post(path, { rule, reason: "Stuurt reclame." }, newcomer.cookie);
    expect(noVoice.status).toBe(403);
    expect(focusedAlert(await noVoice.text())).toBe(said("flag.noVoice"));
    // A witness whose posting is held has no voice while held: the same refusal.
    files.sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = 'Spam' WHERE id = ?").run(Date.now(), witness.id);
    const held = await post(path, { rule, reason: "Stuurt reclame." }, witness.cookie);
    expect(held.status).toBe(403);
    expect(focusedAlert(await held.text())).toBe(said("flag.noVoice"));
    files.sqlite.prepare("UPDATE members SET posting_held_at = NULL, posting_held_rule = NULL WHERE id = ?").run(witness.id);
    const self = await post(`/members/${witness.id}`, { rule, reason: "Ikzelf." }, witness.cookie);
    expect(self.status).toBe(400);
    const selfPage = await self.text();
    expect(focusedAlert(selfPage)).toBe(said("flag.self"));
    expect(selfPage).not.toContain('aria-invalid="true"');
    expect(flags()).toBe(0);
  });
});

describe("a founder's invitation", () => {
  it("says a refusal of the invitation above the form, focused, with its status, and leaves the invitation unused", async () => {
    const [inviter, founder, held] = insertMembers(files.sqlite, 3, "invited");
    monthOldFounder(inviter.id);
    monthOldFounder(founder.id);
    files.sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = 'Spam' WHERE id = ?").run(Date.now(), held.id);
    const token = randomBytes(32).toString("base64url");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const hash = createHash("sha256").update(token).digest("hex");
    files.sqlite.prepare("INSERT INTO founder_invitations (token_hash, invited_by, created_at, expires_at) VALUES (?, ?, ?, ?)").run(hash, inviter.id, Date.now(), Date.now() + 14 * day);

    const already = await post(`/founders/${token}`, {}, founder.cookie);
    expect(already.status).toBe(409);
    expect(focusedAlert(await already.text())).toBe(said("founder.already"));
    const heldBack = await post(`/founders/${token}`, {}, held.cookie);
    expect(heldBack.status).toBe(403);
    expect(focusedAlert(await heldBack.text())).toBe(said("member.held"));
    expect(files.sqlite.prepare("SELECT used_at, used_by FROM founder_invitations WHERE token_hash = ?").get(hash)).toEqual({ used_at: null, used_by: null });
    expect(files.sqlite.prepare("SELECT founder_at FROM members WHERE id = ?").get(held.id)).toEqual({ founder_at: null });
  });
});

describe("editing a venue one may not edit", () => {
  it("says why above the page, focused, both on opening it and on a post, with a 403, and changes nothing", async () => {
    const [maker, stranger, held] = insertMembers(files.sqlite, 3, "venue");
    const venue = files.sqlite.prepare("INSERT INTO venues (name, address, created_by, updated_at) VALUES ('Buurthuis De Linde', 'Lindelaan 1', ?, ?) RETURNING id").get(maker.id, Date.now()) as { id: number };
    files.sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = 'Spam' WHERE id = ?").run(Date.now(), held.id);
    const path = `/venues/${venue.id}/edit`;

    const opened = await fetch(files.server.url + path, { headers: { Cookie: stranger.cookie } });
    expect(opened.status).toBe(403);
    const openedPage = await opened.text();
    expect(focusedAlert(openedPage)).toBe(said("venue.edit.notAllowed"));
    expect(control(openedPage, "name")).toBe("");

    const refused = await post(path, { name: "Iets anders", address: "Elders 2" }, held.cookie);
    expect(refused.status).toBe(403);
    const refusedPage = await refused.text();
    expect(focusedAlert(refusedPage)).toBe(said("venue.held"));
    expect(refusedPage.split(said("venue.held")).length).toBe(2);
    expect(files.sqlite.prepare("SELECT name, address FROM venues WHERE id = ?").get(venue.id)).toEqual({ name: "Buurthuis De Linde", address: "Lindelaan 1" });
  });
});

describe("withdrawing a learning link", () => {
  it("says a link that is not one's own above the list, focused, with a 404, and withdraws nothing", async () => {
    const [holder, other] = insertMembers(files.sqlite, 2, "learninglink");
    const code = "abcdefghijkmnpqrstuvwxyz";
    files.sqlite.prepare("INSERT INTO learning_links (code, member_id, year, name, facts, created_at) VALUES (?, ?, NULL, 'Houder', '[]', ?)").run(code, holder.id, Date.now());

    for (const tried of [code, "geen-code"]) {
      const res = await post("/settings/learning", { intent: "withdraw", code: tried }, other.cookie);
      expect(res.status).toBe(404);
      const page = await res.text();
      expect(focusedAlert(page)).toBe(said("learning.link.unknown"));
      // Not with the form for a new link, whose own refusals are said there.
      expect(page.indexOf(said("learning.link.unknown"))).toBeGreaterThan(page.indexOf('id="links"'));
    }
    expect(files.sqlite.prepare("SELECT withdrawn_at FROM learning_links WHERE code = ?").get(code)).toEqual({ withdrawn_at: null });
  });
});

describe("writing to a member", () => {
  const limit = contactRules.perDayWithoutVoice.limit;
  const sentBy = (sender: { id: string }) => (files.sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'member-message' AND dedupe_key LIKE ?").get(`member-message:%:${sender.id}:%`) as { n: number }).n;
  const open = (path: string, cookie: string) => fetch(files.server.url + path, { headers: { Cookie: cookie } });
  /** The way back to the recipient's profile, which a refused page keeps. */
  const backTo = (html: string, recipient: { id: string }) => html.includes(`href="/members/${recipient.id}"`);

  it("says the day's limit above the form, focused, with a 429 and the text typed kept; opened again, in place of the form; nothing more is sent", async () => {
    const [fresh, recipient] = insertMembers(files.sqlite, 2, "contactlimit");
    const path = `/members/${recipient.id}/message`;
    const name = `Deelnemer contactlimit1`;
    const form = await open(path, fresh.cookie);
    expect(form.status).toBe(200);
    const formPage = await form.text();
    expect(control(formPage, "body")).not.toBe("");
    expect(aboveForm(formPage)).toBe(false);
    // A fresh account has no voice: the newcomers' limit. Meanwhile, in another tab, it is used up.
    for (let i = 0; i < limit; i++) expect((await post(path, { body: `Bericht ${i}` }, fresh.cookie)).status).toBe(303);

    const typed = "Hoi, ik zoek iemand voor de inloop van donderdag. Zullen we bellen?";
    const over = await post(path, { body: typed, replyTo: "on" }, fresh.cookie);
    expect(over.status).toBe(429);
    const overPage = await over.text();
    const message = said("contact.limit", { n: limit, name });
    expect(focusedAlert(overPage)).toBe(message);
    expect(overPage.split(message).length).toBe(2);
    // Above the form's field, which keeps the text to be copied and is not itself in error.
    expect(overPage.indexOf(message)).toBeLessThan(overPage.indexOf('name="body"'));
    expect(overPage).toContain(`>${typed}</textarea>`);
    expect(control(overPage, "body")).not.toContain("aria-invalid");
    expect(overPage).not.toContain('aria-live="assertive"');
    expect(sentBy(fresh)).toBe(limit);

    // Opened again over the limit: no form, the refusal is the page's, focused.
    const again = await open(path, fresh.cookie);
    expect(again.status).toBe(429);
    const againPage = await again.text();
    expect(focusedAlert(againPage)).toBe(message);
    expect(control(againPage, "body")).toBe("");
    expect(backTo(againPage, recipient)).toBe(true);
    expect(sentBy(fresh)).toBe(limit);
  });

  it("says a permission refusal (messages switched off, a former member, oneself) above the page, focused, with its status, on opening and on sending; nothing is sent", async () => {
    const [writer, closed, former] = insertMembers(files.sqlite, 3, "contactrefused");
    files.sqlite.prepare("UPDATE members SET contact_off = 1 WHERE id = ?").run(closed.id);
    files.sqlite.prepare("UPDATE members SET deleted_at = ?, display_name = '' WHERE id = ?").run(Date.now(), former.id);
    const cases = [
      { to: closed, key: "contact.off", status: 403, name: "Deelnemer contactrefused1" },
      { to: former, key: "contact.former", status: 410, name: "" },
      { to: writer, key: "contact.self", status: 400, name: "Deelnemer contactrefused0" },
    ] as const;
    for (const { to, key, status, name } of cases) {
      const path = `/members/${to.id}/message`;
      const message = said(key, { name });
      const opened = await open(path, writer.cookie);
      expect(opened.status, key).toBe(status);
      const openedPage = await opened.text();
      expect(focusedAlert(openedPage), key).toBe(message);
      expect(control(openedPage, "body"), key).toBe("");
      expect(backTo(openedPage, to), key).toBe(true);

      const sent = await post(path, { body: "Hallo, mag ik je iets vragen?" }, writer.cookie);
      expect(sent.status, key).toBe(status);
      const sentPage = await sent.text();
      expect(focusedAlert(sentPage), key).toBe(message);
      expect(sentPage.split(message).length, key).toBe(2);
      expect(control(sentPage, "body"), key).toBe("");
      expect(sentPage, key).not.toContain('aria-live="assertive"');
    }
    expect(sentBy(writer)).toBe(0);
  });

  it("says to a held member that their messages are held, above the page, focused, with a 403, whatever they send; nothing is sent", async () => {
    const [held, recipient] = insertMembers(files.sqlite, 2, "contactheld");
    files.sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = 'Spam' WHERE id = ?").run(Date.now(), held.id);
    const path = `/members/${recipient.id}/message`;
    const message = said("contact.held");
    const opened = await open(path, held.cookie);
    expect(opened.status).toBe(403);
    const openedPage = await opened.text();
    expect(focusedAlert(openedPage)).toBe(message);
    expect(control(openedPage, "body")).toBe("");

    const refused = await post(path, { body: "Hallo daar" }, held.cookie);
    expect(refused.status).toBe(403);
    const refusedPage = await refused.text();
    expect(focusedAlert(refusedPage)).toBe(message);
    expect(refusedPage.split(message).length).toBe(2);
    // An empty message is refused for its text first (400), but the page has no form for them:
    // it says the hold, not a field they cannot see.
    const empty = await post(path, { body: "" }, held.cookie);
    expect(empty.status).toBe(400);
    const emptyPage = await empty.text();
    expect(focusedAlert(emptyPage)).toBe(message);
    expect(fieldError(emptyPage, "body")).toBeUndefined();
    expect(sentBy(held)).toBe(0);
  });

  it("says a message one character too long, or empty, at the message field, with the text kept; one of exactly the maximum goes out", async () => {
    const [fresh, recipient] = insertMembers(files.sqlite, 2, "contactworst");
    const path = `/members/${recipient.id}/message`;
    const long = "Een lang verhaal. ".repeat(Math.ceil((contactRules.messageMax + 1) / 18)).slice(0, contactRules.messageMax) + "!";
    expect(long.length).toBe(contactRules.messageMax + 1);
    for (const [body, key] of [
      [long, "contact.body.tooLong"],
      ["", "contact.body.required"],
      ["  \t ", "contact.body.required"],
    ] as const) {
      const res = await post(path, { body }, fresh.cookie);
      expect(res.status, key).toBe(400);
      const page = await res.text();
      expect(fieldError(page, "body"), key).toBe(said(key));
      const field = control(page, "body");
      expect(field, key).toContain('aria-invalid="true"');
      expect(field, key).toContain('aria-errormessage="field-body-error"');
      expect(field, key).toContain("autofocus");
      expect(aboveForm(page), key).toBe(false);
      if (body === long) expect(page).toContain(`>${long}</textarea>`);
    }
    expect(sentBy(fresh)).toBe(0);
    expect((await post(path, { body: long.slice(0, contactRules.messageMax) }, fresh.cookie)).status).toBe(303);
    expect(sentBy(fresh)).toBe(1);
  });
});
