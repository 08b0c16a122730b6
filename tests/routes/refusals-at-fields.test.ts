// Refusals that concern one field are said at that field, through the real server: the answer's
// HTML has the message in the field's error element, the field is marked aria-invalid, the
// status stays a 4xx and what was typed comes back (docs/forms-refusals.md).
import { describe, expect, it } from "vitest";
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
