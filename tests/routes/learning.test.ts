// The record of learning (issue 15), through its routes against this file's own database: the
// record agrees with the database, the governance log and the voice replay; the PDF, read back
// with pdf-parse in Dutch and English, says what the database says; the verification page for
// visitors, after a host unmarks attendance, after new hours and after withdrawal; the learning
// hours on the session edit page; the export and leaving.
import { sql } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { formatHours } from "~/lib/learning-hours";
import { formatTimeRange } from "~/lib/time";
import { deleteAccount, exportMemberData } from "~/models/account.server";
import { learningRecord, publicReader, yearOf } from "~/models/learning.server";
import { checkIn, markAttendance, register } from "~/models/registrations.server";
import { addSession, getSession, sessionEditForm } from "~/models/sessions.server";
import { replayInput } from "~/models/voice.server";
import { loader as pdfLoader } from "~/routes/settings_.learning[.pdf]";
import { action as learningAction, loader as learningLoader } from "~/routes/settings_.learning";
import { action as editSessionAction } from "~/routes/sessions.$id_.edit";
import { loader as verifyLoader } from "~/routes/verify.$code";
import { day, hour, initiativeBy, zone } from "../support/fixtures";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let hanna: Member, mila: Member, otto: Member, lukasz: Member, other: Member;
const ids = { course: 0, hidden: 0, lastYear: 0, newYear: 0, recent: 0, hiddenSession: 0, notAttended: 0, cancelled: 0 };
const thisYear = yearOf(Date.now(), zone);

const post = (action: (args: never) => unknown, path: string, params: Record<string, string>, fields: Record<string, string>, cookie?: string) =>
  settle(() => action({ request: formRequest(path, fields, { cookie }), context, params } as never));
const get = (loader: (args: never) => unknown, path: string, params: Record<string, string> = {}, cookie?: string, language = "nl") =>
  settle(() => loader({ request: getRequest(path, { cookie, headers: { "Accept-Language": language } }), context, params } as never));

/** A session of `initiativeId` at `startsAt`, `hours` long, added three days before it. */
function sessionAt(initiativeId: number, startsAt: number, hours = 2) {
  return addSession(initiativeId, hanna.id, { startsAt: new Date(startsAt), endsAt: new Date(startsAt + hours * hour), place: "Buurthuis De Linde", hostOrganisation: "", capacity: null }, new Date(startsAt - 3 * day));
}
const codeOf = (sessionId: number) => getSession(sessionId)!.checkinCode;

/** What the database says Łukasz attended, as the record must show it: sessions not cancelled. */
function attendedInDatabase(memberId: string) {
  return db().all<{ id: number; minutes: number; starts_at: number }>(sql`
    SELECT s.id, coalesce(s.learning_minutes, (s.ends_at - s.starts_at) / 60000) AS minutes, s.starts_at
    FROM registrations r JOIN sessions s ON s.id = r.session_id
    WHERE r.member_id = ${memberId} AND r.attended_at IS NOT NULL AND s.cancelled_at IS NULL ORDER BY s.starts_at DESC`);
}

/** Attendance as the governance log tells it: the last entry per session decides. */
function attendedInLog(memberId: string) {
  const present = new Map<number, boolean>();
  const rows = db().all<{ action: string; subject_id: string }>(sql`
    SELECT action, subject_id FROM log_entries
    WHERE action LIKE 'attendance.%' AND json_extract(detail, '$.memberId') = ${memberId} ORDER BY id`);
  for (const r of rows) present.set(Number(r.subject_id), r.action === "attendance.checked-in" || r.action === "attendance.marked");
  const cancelled = new Set(db().all<{ id: number }>(sql`SELECT id FROM sessions WHERE cancelled_at IS NOT NULL`).map((r) => r.id));
  return [...present].filter(([id, here]) => here && !cancelled.has(id)).map(([id]) => id);
}

beforeAll(async () => {
  [hanna, mila, otto, lukasz, other] = await Promise.all(
    [["Hanna Host", "Buurthuis De Linde"], ["Mila Leden", "GGZ Lindenveen"], ["Otto Oud", ""], ["Łukasz Zoë Nguyễn", "Wijkteam Noord"], ["Olga Ander", ""]].map(([n, o]) => memberWithSession(n, { organisation: o })),
  );
  // Mila keeps her profile for members: visitors, the PDF and the verification page call her "a member from GGZ Lindenveen".
  db().run(sql`UPDATE members SET profile_visibility = 'organisation' WHERE id = ${mila.id}`);
  const longAgo = new Date(Date.now() - 800 * day);
  ids.course = initiativeBy(hanna.id, { title: "Cursus gespreksvoering" }, longAgo);
  ids.hidden = initiativeBy(hanna.id, { title: "Geheime bijeenkomst" }, longAgo);
  // Last year, a 2-hour evening where Łukasz checked in with the code; Otto hosted it then and stepped back since.
  ids.lastYear = sessionAt(ids.course, Date.UTC(thisYear - 1, 5, 10, 17));
  db().run(sql`INSERT INTO host_terms (initiative_id, member_id, since, ended_at) VALUES (${ids.course}, ${otto.id}, ${longAgo.getTime()}, ${Date.UTC(thisYear - 1, 5, 20)})`);
  register(ids.lastYear, lukasz.id, new Date(Date.UTC(thisYear - 1, 5, 1)));
  checkIn(ids.lastYear, lukasz.id, codeOf(ids.lastYear), new Date(Date.UTC(thisYear - 1, 5, 10, 17, 10)));
  // 31 December 23:30 UTC is New Year's night 00:30 in Amsterdam: it counts for this year. Marked present by Hanna.
  ids.newYear = sessionAt(ids.course, Date.UTC(thisYear - 1, 11, 31, 23, 30), 1.5);
  register(ids.newYear, lukasz.id, new Date(Date.UTC(thisYear - 1, 11, 20)));
  markAttendance(ids.newYear, hanna.id, lukasz.id, true, new Date(Date.UTC(thisYear - 1, 11, 31, 23, 45)));
  // Mila became a host after those two sessions started; she hosts the recent one.
  db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${ids.course}, ${mila.id}, ${Date.now() - 10 * day}, ${Date.now()})`);
  ids.recent = sessionAt(ids.course, Date.now() - 2 * day, 3);
  register(ids.recent, lukasz.id, new Date(Date.now() - 4 * day));
  markAttendance(ids.recent, hanna.id, lukasz.id, true, new Date(Date.now() - 2 * day + hour));
  // Signed up, not attended; attended, but the session was cancelled afterwards: neither counts.
  ids.notAttended = sessionAt(ids.course, Date.now() - 20 * day);
  register(ids.notAttended, lukasz.id, new Date(Date.now() - 25 * day));
  ids.cancelled = sessionAt(ids.course, Date.now() - 30 * day);
  checkIn(ids.cancelled, lukasz.id, codeOf(ids.cancelled), new Date(Date.now() - 30 * day + 600_000));
  // Written directly: a meeting that has started can no longer be cancelled in the app (sessions.server), but one cancelled before it began can hold an early check-in.
  db().run(sql`UPDATE sessions SET cancelled_at = ${Date.now() - 29 * day} WHERE id = ${ids.cancelled}`);
  // A session of an initiative that was later hidden by flags.
  ids.hiddenSession = sessionAt(ids.hidden, Date.now() - 40 * day);
  checkIn(ids.hiddenSession, lukasz.id, codeOf(ids.hiddenSession), new Date(Date.now() - 40 * day + 600_000));
  db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now() - day}, hidden_rule = '1. Respect' WHERE id = ${ids.hidden}`);
  // Methods used in the recent session; a hidden one is left out.
  const method = (title: string, hidden: boolean) =>
    db().get<{ id: number }>(sql`INSERT INTO methods (title, updated_at, hidden_at) VALUES (${title}, ${Date.now()}, ${hidden ? Date.now() : null}) RETURNING id`).id;
  for (const id of [method("Vragenvuur", false), method("Verborgen werkvorm", true)]) {
    db().run(sql`INSERT INTO session_methods (session_id, method_id, added_at) VALUES (${ids.recent}, ${id}, ${Date.now()})`);
  }
});

describe("the learning hours on the session edit page", () => {
  const edit = (sessionId: number, learningHours: string | undefined, cookie = hanna.cookie) => {
    const values = sessionEditForm(getSession(sessionId)!, hanna.id, new URLSearchParams()).values;
    const fields: Record<string, string> = { ...values, venueId: "" };
    if (learningHours !== undefined) fields.learningHours = learningHours;
    return post(editSessionAction, `/sessions/${sessionId}/edit`, { id: String(sessionId) }, fields, cookie);
  };
  const minutesOf = (sessionId: number) => db().get<{ m: number | null }>(sql`SELECT learning_minutes AS m FROM sessions WHERE id = ${sessionId}`).m;

  it("takes '2,5' and '2.5', empty means the session's length, and a form without the field leaves them", async () => {
    expect(statusOf(await edit(ids.lastYear, "2,5"))).toBe(303);
    expect(minutesOf(ids.lastYear)).toBe(150);
    expect(statusOf(await edit(ids.lastYear, "1.75"))).toBe(303);
    expect(minutesOf(ids.lastYear)).toBe(105);
    expect(statusOf(await edit(ids.lastYear, undefined))).toBe(303);
    expect(minutesOf(ids.lastYear)).toBe(105);
    expect(statusOf(await edit(ids.lastYear, ""))).toBe(303);
    expect(minutesOf(ids.lastYear)).toBeNull();
    expect(statusOf(await edit(ids.lastYear, "2,5"))).toBe(303);
  });

  it.each(["-1", "25", "24,5", "1e9", "abc", ",5", "2,555", "0x10", "٣"])("refuses %j with a translated message and changes nothing", async (typed) => {
    const result = await edit(ids.lastYear, typed);
    expect(statusOf(result)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(result).errors.learningHours).toBe("session.learningHours.invalid");
    expect(minutesOf(ids.lastYear)).toBe(150);
  });

  it("changed for 'this and all later' of a series, go to the later ones; unchanged, they keep their own", async () => {
    const [first, second] = [Date.now() + 10 * day, Date.now() + 17 * day].map((at) => sessionAt(ids.course, at));
    db().run(sql`UPDATE sessions SET series_id = 'reeks-leeruren' WHERE id IN (${first}, ${second})`);
    const later = async (learningHours: string) => {
      const values = sessionEditForm(getSession(first)!, hanna.id, new URLSearchParams()).values;
      return post(editSessionAction, `/sessions/${first}/edit`, { id: String(first) }, { ...values, venueId: "", scope: "later", learningHours }, hanna.cookie);
    };
    expect(statusOf(await later("3"))).toBe(303);
    expect([minutesOf(first), minutesOf(second)]).toEqual([180, 180]);
    db().run(sql`UPDATE sessions SET learning_minutes = 60 WHERE id = ${second}`);
    expect(statusOf(await later("3"))).toBe(303);
    expect([minutesOf(first), minutesOf(second)]).toEqual([180, 60]);
    expect(statusOf(await later("0,5"))).toBe(303);
    expect([minutesOf(first), minutesOf(second)]).toEqual([30, 30]);
  });

  it("is the hosts' only: another member gets 403", async () => {
    expect(statusOf(await edit(ids.lastYear, "9", other.cookie))).toBe(403);
    expect(minutesOf(ids.lastYear)).toBe(150);
  });
});

describe("the record", () => {
  it("lists exactly the attended sessions that were not cancelled, newest first, with the database's hours and per-year totals", () => {
    const record = learningRecord(lukasz.id, { names: { memberId: lukasz.id, locale: "nl" }, forSelf: true });
    const expected = attendedInDatabase(lukasz.id);
    expect(record.sessions.map((s) => s.sessionId)).toEqual(expected.map((r) => r.id));
    expect(record.sessions.map((s) => s.minutes)).toEqual(expected.map((r) => r.minutes));
    expect(record.sessions.map((s) => s.sessionId)).toEqual([ids.recent, ids.hiddenSession, ids.newYear, ids.lastYear]);
    expect(record.sessions.find((s) => s.sessionId === ids.lastYear)!.minutes).toBe(150);
    expect(record.sessions.find((s) => s.sessionId === ids.newYear)!.minutes).toBe(90);
    // New Year's night in Amsterdam counts for this year, though it was still last year in UTC.
    expect(record.sessions.find((s) => s.sessionId === ids.newYear)!.year).toBe(thisYear);
    expect(record.years).toEqual([
      { year: thisYear, sessions: 3, minutes: 180 + 120 + 90 },
      { year: thisYear - 1, sessions: 1, minutes: 150 },
    ]);
    expect(record.total).toEqual({ sessions: 4, minutes: 540 });
  });

  it("names the hosts who were hosts when each session started, and the methods used that are not hidden", () => {
    const record = learningRecord(lukasz.id, { names: { memberId: lukasz.id, locale: "nl" }, forSelf: true });
    const hostsOf = (id: number) => record.sessions.find((s) => s.sessionId === id)!.hosts.map((h) => h.name).sort();
    expect(hostsOf(ids.lastYear)).toEqual(["Hanna Host", "Otto Oud"]);
    expect(hostsOf(ids.newYear)).toEqual(["Hanna Host"]);
    expect(hostsOf(ids.recent)).toEqual(["Hanna Host", "Mila Leden"]);
    expect(record.sessions.find((s) => s.sessionId === ids.recent)!.methods.map((m) => m.title)).toEqual(["Vragenvuur"]);
    expect(record.sessions.find((s) => s.sessionId === ids.lastYear)!.attendance).toBe("code");
    expect(record.sessions.find((s) => s.sessionId === ids.newYear)!.attendance).toBe("host");
  });

  it("agrees with the governance log's attendance entries and with the voice replay's idea of who attended", () => {
    const record = learningRecord(lukasz.id, publicReader("nl"));
    const mine = record.sessions.map((s) => s.sessionId).sort();
    expect(attendedInLog(lukasz.id).sort()).toEqual(mine);
    const replayed = replayInput(Date.now()).sessions.filter((s) => !s.cancelled && s.attendees.includes(lukasz.id));
    expect(replayed.map((s) => s.id).sort()).toEqual(mine);
    // And the way of attending: a self check-in there is "code" here.
    for (const s of replayed) expect(s.markedByHost.includes(lukasz.id) ? "host" : "code").toBe(record.sessions.find((r) => r.sessionId === s.id)!.attendance);
  });

  it("keeps a hidden initiative's title from visitors, and from its attendee without a voice", () => {
    expect(learningRecord(lukasz.id, publicReader("nl")).sessions.find((s) => s.sessionId === ids.hiddenSession)!.initiative).toBeNull();
    expect(learningRecord(lukasz.id, { names: { memberId: lukasz.id, locale: "nl" }, forSelf: true }).sessions.find((s) => s.sessionId === ids.hiddenSession)!.initiative).toBeNull();
  });
});

async function pdfText(path: string, cookie: string) {
  const res = (await get(pdfLoader, path, {}, cookie)) as Response;
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("application/pdf");
  expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="[a-z0-9-]+\.pdf"$/);
  const parser = new PDFParse({ data: new Uint8Array(await res.arrayBuffer()) });
  try {
    const { text, total } = await parser.getText();
    return { text: text.replace(/\s+/g, " "), pages: total };
  } finally {
    await parser.destroy();
  }
}

describe("the PDF", () => {
  it.each([
    ["nl", "uur", "Leerverslag", "een verborgen initiatief", "een deelnemer van GGZ Lindenveen", "geen accreditatie"],
    ["en", "hours", "Record of learning", "a hidden initiative", "a member from GGZ Lindenveen", "not an accreditation"],
  ] as const)("in %s says what the database says: name, dates, hours, totals, initiatives, hosts as visitors see them", async (lang, unit, title, hidden, mila, statement) => {
    const { text } = await pdfText(`/settings/learning.pdf?lang=${lang}`, lukasz.cookie);
    expect(text).toContain(title);
    expect(text).toContain("Łukasz Zoë Nguyễn");
    expect(text).toContain(statement);
    const record = learningRecord(lukasz.id, publicReader(lang));
    for (const row of attendedInDatabase(lukasz.id)) {
      const s = record.sessions.find((r) => r.sessionId === row.id)!;
      expect(text).toContain(`${formatTimeRange(s.startsAt, s.endsAt, lang, zone)} · ${formatHours(row.minutes, lang)} ${unit}`);
    }
    for (const y of record.years) expect(text).toContain(`${y.year} ${y.sessions} ${formatHours(y.minutes, lang)} ${unit}`);
    expect(text).toMatch(new RegExp(`${lang === "nl" ? "Totaal" : "Total"} 4 ${formatHours(540, lang).replace(".", "\\.")} ${unit}`));
    expect(text).toContain(lang === "nl" ? "9,0 uur" : "9.0 hours");
    expect(text).toContain("Cursus gespreksvoering");
    expect(text).toContain(hidden);
    expect(text).not.toContain("Geheime bijeenkomst");
    expect(text).toContain("Hanna Host");
    expect(text).toContain(mila);
    expect(text).not.toContain("Mila Leden");
    expect(text).toContain("Otto Oud");
    expect(text).toContain("Vragenvuur");
    expect(text).not.toContain("Verborgen werkvorm");
    // Not attended, or cancelled: not in it.
    for (const id of [ids.notAttended, ids.cancelled]) {
      const s = getSession(id)!;
      expect(text).not.toContain(formatTimeRange(s.startsAt, s.endsAt, lang, zone));
    }
  });

  it("of one year holds that year only, and a member without sessions gets one that says so", async () => {
    const { text } = await pdfText(`/settings/learning.pdf?lang=nl&year=${thisYear - 1}`, lukasz.cookie);
    expect(text).toContain(`Het jaar ${thisYear - 1}`);
    expect(text).toContain(`Totaal 1 2,5 uur`);
    expect(text).not.toContain("Mila");
    const empty = await pdfText("/settings/learning.pdf?lang=nl", other.cookie);
    expect(empty.text).toContain("Geen bijeenkomsten in deze periode.");
  });

  it("runs over several A4 pages when the record is long", async () => {
    const many = initiativeBy(hanna.id, { title: "Lange reeks" }, new Date(Date.now() - 400 * day));
    for (let i = 0; i < 45; i++) {
      const id = sessionAt(many, Date.now() - (300 - i) * day);
      checkIn(id, other.id, codeOf(id), new Date(Date.now() - (300 - i) * day + 600_000));
    }
    const { text, pages } = await pdfText("/settings/learning.pdf?lang=en", other.cookie);
    expect(pages).toBeGreaterThan(2);
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text.match(/Lange reeks/g)!.length).toBe(45);
  });
});

describe("verification links", () => {
  let code = "";
  const verify = (c: string, language = "nl") => get(verifyLoader, `/verify/${c}`, { code: c }, undefined, language);
  const make = (fields: Record<string, string>, who = lukasz) => post(learningAction, "/settings/learning", {}, { intent: "make", ...fields }, who.cookie);
  const withdraw = (c: string, who = lukasz) => post(learningAction, "/settings/learning", {}, { intent: "withdraw", code: c }, who.cookie);
  const codes = (memberId: string) => db().all<{ code: string; withdrawn_at: number | null }>(sql`SELECT code, withdrawn_at FROM learning_links WHERE member_id = ${memberId} ORDER BY created_at`);

  it("are made with the name the member chooses, and the page lists them with their full address", async () => {
    const made = (await make({ scope: "all", name: "Łukasz Zoë Nguyễn-Kowalski" })) as Response;
    expect(made.status).toBe(303);
    code = codes(lukasz.id)[0].code;
    expect(code).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const page = dataOf<{ links: { url: string; name: string; matches: boolean }[]; can: { makeLink: boolean } }>(await get(learningLoader, "/settings/learning", {}, lukasz.cookie));
    expect(page.links).toEqual([expect.objectContaining({ url: `http://localhost:3000/verify/${code}`, name: "Łukasz Zoë Nguyễn-Kowalski", matches: true })]);
    // The facts kept: each session and its minutes, as the database had them.
    const facts = JSON.parse(db().get<{ facts: string }>(sql`SELECT facts FROM learning_links WHERE code = ${code}`).facts);
    expect(facts).toEqual(attendedInDatabase(lukasz.id).map((r) => ({ sessionId: r.id, minutes: r.minutes })).sort((a, b) => a.sessionId - b.sessionId));
  });

  it("show visitors the facts from the database, the plain statement, hosts as visitors may see them, and no hidden title", async () => {
    const result = await verify(code);
    expect(statusOf(result)).toBe(200);
    const page = dataOf<{ state: string; name: string; changes: unknown[]; record: ReturnType<typeof learningRecord> }>(result);
    expect(page.state).toBe("shown");
    expect(page.name).toBe("Łukasz Zoë Nguyễn-Kowalski");
    expect(page.changes).toEqual([]);
    expect(page.record).toEqual(learningRecord(lukasz.id, publicReader("nl")));
    const json = JSON.stringify(page);
    expect(json).not.toContain("Geheime bijeenkomst");
    expect(json).not.toContain("Mila Leden");
    expect(json).toContain("een deelnemer van GGZ Lindenveen");
    expect(json).not.toContain(lukasz.email);
    expect(JSON.stringify(dataOf(await verify(code, "en")))).toContain("a member from GGZ Lindenveen");
  });

  it("say so when the hosts change the hours, and when a host unmarks the attendance, showing what differs", async () => {
    db().run(sql`UPDATE sessions SET learning_minutes = 60 WHERE id = ${ids.newYear}`);
    let page = dataOf<{ changes: { sessionId: number; kind: string; minutesThen: number | null; minutesNow: number | null }[] }>(await verify(code));
    expect(page.changes).toEqual([expect.objectContaining({ sessionId: ids.newYear, kind: "changed", minutesThen: 90, minutesNow: 60 })]);
    db().run(sql`UPDATE sessions SET learning_minutes = NULL WHERE id = ${ids.newYear}`);
    markAttendance(ids.recent, hanna.id, lukasz.id, false);
    page = dataOf(await verify(code));
    expect(page.changes).toEqual([expect.objectContaining({ sessionId: ids.recent, kind: "removed", minutesThen: 180, minutesNow: null, title: "Cursus gespreksvoering" })]);
    const own = dataOf<{ links: { matches: boolean }[] }>(await get(learningLoader, "/settings/learning", {}, lukasz.cookie));
    expect(own.links[0].matches).toBe(false);
    // The log and the replay still agree with the record after the change.
    const mine = learningRecord(lukasz.id, publicReader("nl")).sessions.map((s) => s.sessionId).sort();
    expect(attendedInLog(lukasz.id).sort()).toEqual(mine);
    expect(mine).not.toContain(ids.recent);
    markAttendance(ids.recent, hanna.id, lukasz.id, true);
    expect(dataOf<{ changes: unknown[] }>(await verify(code)).changes).toEqual([]);
  });

  it("cover one year when asked, and refuse a year without sessions and names over 100 characters", async () => {
    expect(statusOf(await make({ scope: String(thisYear - 1), name: "" }))).toBe(303);
    const yearCode = codes(lukasz.id)[1].code;
    const page = dataOf<{ name: string; year: number; record: { total: { sessions: number } } }>(await verify(yearCode));
    expect(page).toMatchObject({ name: "Łukasz Zoë Nguyễn", year: thisYear - 1, record: { total: { sessions: 1 } } });
    const refused = await make({ scope: "1999", name: "x" });
    expect(statusOf(refused)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(refused).errors.scope).toBe("learning.scope.invalid");
    const long = await make({ scope: "all", name: "Ł".repeat(101) });
    expect(statusOf(long)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(long).errors.name).toBe("learning.name.tooLong");
    expect(statusOf(await make({ scope: "all", name: "Ł".repeat(100) }))).toBe(303);
    expect(codes(lukasz.id)).toHaveLength(3);
  });

  it("cannot be withdrawn by another member (404, nothing changes), and withdrawn by their member turn into 410", async () => {
    const refused = await withdraw(code, other);
    expect(statusOf(refused)).toBe(404);
    expect(dataOf<{ withdrawErrors: Record<string, string> }>(refused).withdrawErrors.form).toBe("learning.link.unknown");
    expect(codes(lukasz.id)[0].withdrawn_at).toBeNull();
    expect(statusOf(await verify(code))).toBe(200);
    expect(statusOf(await withdraw(code))).toBe(303);
    const at = codes(lukasz.id)[0].withdrawn_at;
    expect(at).not.toBeNull();
    const gone = await verify(code);
    expect(statusOf(gone)).toBe(410);
    expect(dataOf(gone)).toEqual({ state: "withdrawn", withdrawnAt: at });
    expect(JSON.stringify(dataOf(gone))).not.toContain("Łukasz");
    // Withdrawing again changes nothing.
    expect(statusOf(await withdraw(code))).toBe(303);
    expect(codes(lukasz.id)[0].withdrawn_at).toBe(at);
  });

  it("that do not exist are 404, whatever the code looks like", async () => {
    for (const c of ["", "abc", "A".repeat(24), code.slice(0, 23), `${code}x`, "../../etc/passwd", "%00"]) {
      const result = await verify(c);
      expect(statusOf(result)).toBe(404);
      expect(dataOf(result)).toEqual({ state: "unknown" });
    }
  });

  it("are in the member's export, and go when the member leaves the network", async () => {
    const exported = exportMemberData(lukasz.id)!;
    expect(exported.learningLinks).toHaveLength(3);
    expect(exported.learningLinks[0]).toMatchObject({ name: "Łukasz Zoë Nguyễn-Kowalski", year: null, url: expect.stringContaining(`/verify/${code}`) });
    expect(exported.learningLinks[0].withdrawnAt).not.toBeNull();
    const working = codes(lukasz.id)[1].code;
    expect(statusOf(await verify(working))).toBe(200);
    deleteAccount(lukasz.id);
    expect(codes(lukasz.id)).toEqual([]);
    expect(statusOf(await verify(working))).toBe(404);
  });
});

describe("the page", () => {
  it("is for members only: a visitor is sent to log in, for the PDF too", async () => {
    for (const [loader, path] of [[learningLoader, "/settings/learning"], [pdfLoader, "/settings/learning.pdf?lang=nl"]] as const) {
      const result = (await get(loader, path)) as Response;
      expect(result.status).toBe(302);
      expect(result.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
  });

  it("lets a member without sessions make no link, and says why", async () => {
    const page = dataOf<{ can: { makeLink: boolean }; record: { sessions: unknown[] } }>(await get(learningLoader, "/settings/learning", {}, mila.cookie));
    expect(page.can.makeLink).toBe(false);
    const refused = await post(learningAction, "/settings/learning", {}, { intent: "make", scope: "all", name: "" }, mila.cookie);
    expect(statusOf(refused)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(refused).errors.scope).toBe("learning.links.emptyRecord");
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM learning_links WHERE member_id = ${mila.id}`).n).toBe(0);
  });
});
