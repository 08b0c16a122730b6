// Hosts on their own sessions (issue point 7): host tools instead of sign-up buttons, hosted
// sessions in the personal calendar, one enrolment mail with a calendar file (over a real SMTP
// server, read by mailparser and ical.js), and the full-screen check-in code with its QR code.
import ICAL from "ical.js";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSmtp } from "../support/smtp";

// The SMTP address must be known before the app reads its configuration.
const smtp = await startSmtp();
process.env.SMTP_URL = smtp.url;
process.env.MAIL_FROM = "Meedoen <meedoen@example.org>";

const { sql } = await import("drizzle-orm");
const { db } = await import("~/lib/db.server");
const { deliverOutbox, resetMailTransport } = await import("~/lib/mail.server");
const { renewCalendarToken } = await import("~/models/members.server");
const { register } = await import("~/models/registrations.server");
const { loader: sessionLoader } = await import("~/routes/sessions.$id");
const { loader: initiativeLoader } = await import("~/routes/initiatives.$id");
const { loader: agendaLoader } = await import("~/routes/agenda");
const { loader: privateFeed } = await import("~/routes/calendar.$token");
const { action: enrolAction } = await import("~/routes/initiatives.$id_.enrol");
const { loader: showLoader } = await import("~/routes/sessions.$id_.checkin_.show");
const { action: checkinAction, loader: checkinLoader } = await import("~/routes/sessions.$id_.checkin");
const { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } = await import("../support/requests");
const { day, initiativeBy, sessionOf } = await import("../support/fixtures");

type Member = Awaited<ReturnType<typeof memberWithSession>>;
const minute = 60_000;

let host: Member, heldHost: Member, participant: Member, stranger: Member;
let courseId: number, soonId: number, laterId: number, otherCourse: number;

beforeAll(async () => {
  [host, heldHost, participant, stranger] = await Promise.all(["Hanna Host", "Held Host", "Piet Participant", "Sara Stranger"].map((n) => memberWithSession(n)));
  courseId = initiativeBy(host.id, { title: "Intervisie voor buurtwerkers" });
  db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${courseId}, ${heldHost.id}, ${Date.now()}, ${Date.now()})`);
  db().run(sql`UPDATE members SET posting_held_at = ${Date.now()}, posting_held_rule = 'Respect' WHERE id = ${heldHost.id}`);
  soonId = sessionOf(courseId, host.id, { startsIn: 10 * minute });
  laterId = sessionOf(courseId, host.id, { startsIn: 3 * day, capacity: 1 });
  register(laterId, participant.id);
  otherCourse = initiativeBy(stranger.id, { title: "Koken met buren" });
});

afterAll(async () => {
  resetMailTransport();
  await smtp.close();
});

const as = (m: Member | null) => (m ? { cookie: m.cookie } : {});

describe("host tools instead of sign-up buttons", () => {
  it.each([
    ["a host of the initiative", () => host, true],
    ["a held host (no host power)", () => heldHost, false],
    ["a participant", () => participant, false],
    ["a member of the network", () => stranger, false],
    ["a visitor", () => null, false],
  ])("%s: host tools %s", async (_, viewer, tools) => {
    const m = viewer();
    const session = dataOf<{ isHost: boolean }>(await sessionLoader({ request: getRequest(`/sessions/${soonId}`, as(m)), context, params: { id: String(soonId) } }));
    expect(session.isHost).toBe(tools);
    const initiative = dataOf<{ isHost: boolean }>(await initiativeLoader({ request: getRequest(`/initiatives/${courseId}`, as(m)), context, params: { id: String(courseId) } }));
    expect(initiative.isHost).toBe(tools);
    const agenda = dataOf<{ hosting: number[] }>(await agendaLoader({ request: getRequest("/agenda", as(m)), context, params: {} }));
    expect(agenda.hosting.includes(soonId)).toBe(tools);
    expect(agenda.hosting.includes(laterId)).toBe(tools);
  });
});

describe("the personal calendar", () => {
  const feed = async (m: Member) => {
    const token = renewCalendarToken(m.id)!;
    const response = (await privateFeed({ request: getRequest(`/calendar/${token}.ics`), context, params: { token: `${token}.ics` } })) as Response;
    expect(response.status).toBe(200);
    return ICAL.Component.fromString(await response.text())
      .getAllSubcomponents("vevent")
      .map((e) => ({ uid: String(e.getFirstPropertyValue("uid")), summary: String(e.getFirstPropertyValue("summary")) }));
  };

  it("holds the sessions a member hosts, marked, once even when they also signed up", async () => {
    register(laterId, host.id);
    const events = await feed(host);
    const uids = events.map((e) => e.uid);
    expect(uids.filter((u) => u.startsWith(`session-${soonId}@`))).toHaveLength(1);
    expect(uids.filter((u) => u.startsWith(`session-${laterId}@`))).toHaveLength(1);
    expect(events.every((e) => e.summary === "Intervisie voor buurtwerkers · Jij bent kartrekker")).toBe(true);
  });

  it("marks nothing for a participant, and leaves out what a held host or a hidden initiative would add", async () => {
    const mine = await feed(participant);
    expect(mine.map((e) => e.summary)).toEqual(["Intervisie voor buurtwerkers"]);
    expect(await feed(heldHost)).toEqual([]);
    const hidden = initiativeBy(host.id, { title: "Verborgen cursus" });
    sessionOf(hidden, host.id, { startsIn: 2 * day });
    db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()}, hidden_rule = 'Respect' WHERE id = ${hidden}`);
    expect((await feed(host)).some((e) => e.summary.includes("Verborgen"))).toBe(false);
  });
});

describe("enrolling in a course", () => {
  it("sends one mail listing every date, with one calendar file holding every date", async () => {
    const learner = await memberWithSession("Lotte Learner");
    const course = initiativeBy(stranger.id, { title: "Mediation, in vier avonden" });
    const dates = [1, 8, 15].map((d) => sessionOf(course, stranger.id, { startsIn: d * day, capacity: d === 8 ? 1 : null, place: `Zaal ${d}` }));
    const other = await memberWithSession("Already There");
    register(dates[1], other.id);

    const result = await settle(() => enrolAction({ request: formRequest(`/initiatives/${course}/enrol`, {}, { cookie: learner.cookie }), context, params: { id: String(course) } }));
    expect(statusOf(result)).toBe(303);
    expect(db().all(sql`SELECT kind FROM outbox WHERE member_id = ${learner.id}`)).toEqual([{ kind: "registration" }]);

    const delivered = smtp.received.length;
    while ((await deliverOutbox(new Date(Date.now() + minute))) > 0);
    const mails = await Promise.all(smtp.received.slice(delivered).filter((m) => m.to.includes(learner.email)).map((m) => simpleParser(m.raw)));
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    // A place for two dates, the waiting list for one: the subject says both.
    expect(mail.subject).toBe("Aangemeld voor Mediation, in vier avonden, deels op de wachtlijst");
    expect(mail.text).toContain("Zaal 1");
    expect(mail.text).toContain("Zaal 15");
    expect(mail.text).toContain("Zaal 8");
    expect(mail.text).toContain("op de wachtlijst (plaats 1)");
    expect(mail.text!.match(/: aangemeld/g)).toHaveLength(2);
    expect(mail.attachments).toHaveLength(1);
    const [file] = mail.attachments;
    expect(file.contentType).toBe("text/calendar");
    expect(file.filename).toBe("meedoen.ics");
    const events = ICAL.Component.fromString(file.content.toString("utf8")).getAllSubcomponents("vevent");
    expect(events.map((e) => String(e.getFirstPropertyValue("uid")).split("@")[0]).sort()).toEqual(dates.map((id) => `session-${id}`).sort());
    expect(events.map((e) => String(e.getFirstPropertyValue("location"))).sort()).toEqual(["Zaal 1", "Zaal 15", "Zaal 8"]);
    // The date they wait for is tentative and says so; the others are confirmed.
    const byPlace = Object.fromEntries(events.map((e) => [String(e.getFirstPropertyValue("location")), { status: e.getFirstPropertyValue("status"), summary: e.getFirstPropertyValue("summary") }]));
    expect(byPlace["Zaal 8"]).toEqual({ status: "TENTATIVE", summary: "Mediation, in vier avonden (wachtlijst)" });
    expect(byPlace["Zaal 1"]).toEqual({ status: "CONFIRMED", summary: "Mediation, in vier avonden" });
    expect(byPlace["Zaal 15"]).toEqual({ status: "CONFIRMED", summary: "Mediation, in vier avonden" });
  });

  it("sends nothing when enrolling again changes nothing", async () => {
    const course = initiativeBy(stranger.id, { title: "Twee avonden" });
    for (const d of [2, 9]) sessionOf(course, stranger.id, { startsIn: d * day });
    const learner = await memberWithSession("Twice");
    const enrol = () => settle(() => enrolAction({ request: formRequest(`/initiatives/${course}/enrol`, {}, { cookie: learner.cookie }), context, params: { id: String(course) } }));
    const mails = () => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE member_id = ${learner.id}`).n;
    expect(statusOf(await enrol())).toBe(303);
    expect(mails()).toBe(1);
    expect(statusOf(await enrol())).toBe(303);
    expect(mails()).toBe(1);
  });
});

describe("the check-in screen", () => {
  const show = (m: Member | null, id = soonId) => settle(() => showLoader({ request: getRequest(`/sessions/${id}/checkin/show`, as(m)), context, params: { id: String(id) } }));
  const code = () => db().get<{ code: string }>(sql`SELECT checkin_code AS code FROM sessions WHERE id = ${soonId}`).code;

  it("shows a host the code and a QR code that opens the check-in page with the code filled in", async () => {
    const screen = dataOf<{ code: string; url: string; qrSvg: string }>(await show(host));
    expect(screen.code).toBe(code());
    expect(screen.url).toBe(`http://localhost:3000/sessions/${soonId}/checkin?code=${code()}`);
    expect(screen.qrSvg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(screen.qrSvg).toContain("<path");
  });

  it("gives no code before check-in opens, and refuses everyone but a host who may act", async () => {
    const later = dataOf<{ code: string | null; qrSvg: string | null }>(await show(host, laterId));
    expect(later).toMatchObject({ code: null, qrSvg: null });
    expect(statusOf(await show(heldHost))).toBe(403);
    expect(statusOf(await show(participant))).toBe(403);
    expect(statusOf(await show(stranger))).toBe(403);
    const visitor = (await show(null)) as Response;
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/sessions/${soonId}/checkin/show`)}`);
    expect(statusOf(await show(host, 999_999))).toBe(404);
  });

  it("opens the check-in form with the code filled in; the member still presses the button", async () => {
    const path = `/sessions/${soonId}/checkin?code=${code().toLowerCase()}`;
    const visitor = (await settle(() => checkinLoader({ request: getRequest(path), context: { ...context, method: "GET" }, params: { id: String(soonId) } }))) as Response;
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    const page = dataOf<{ code: string; open: boolean; attended: boolean }>(await checkinLoader({ request: getRequest(path, as(participant)), context: { ...context, method: "GET" }, params: { id: String(soonId) } }));
    expect(page).toMatchObject({ code: code(), open: true, attended: false });
    expect(db().get(sql`SELECT attended_at FROM registrations WHERE session_id = ${soonId} AND member_id = ${participant.id}`)).toBeUndefined();
    const before = dataOf<{ checkedIn: number }>(await show(host)).checkedIn;
    const checkedIn = await settle(() => checkinAction({ request: formRequest(`/sessions/${soonId}/checkin`, { code: page.code }, as(participant)), context, params: { id: String(soonId) } }));
    expect(statusOf(checkedIn)).toBe(303);
    // The hosts' screen counts the check-ins: more than the people in the room means the code got out.
    expect(dataOf<{ checkedIn: number }>(await show(host)).checkedIn).toBe(before + 1);
    const after = dataOf<{ attended: boolean }>(await checkinLoader({ request: getRequest(path, as(participant)), context: { ...context, method: "GET" }, params: { id: String(soonId) } }));
    expect(after.attended).toBe(true);
    // Without a code the address still leads to the session page.
    const plain = (await settle(() => checkinLoader({ request: getRequest(`/sessions/${soonId}/checkin`), context: { ...context, method: "GET" }, params: { id: String(soonId) } }))) as Response;
    expect(plain.headers.get("Location")).toBe(`/sessions/${soonId}`);
  });
});
