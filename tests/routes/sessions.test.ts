import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { getInitiative } from "~/models/initiatives.server";
import { checkIn, CheckinClosedError, enrol, markAttendance, register, TooManyCodeAttemptsError, withdraw, WrongCodeError } from "~/models/registrations.server";
import { NotAHostError } from "~/models/errors.server";
import { getSession, queueDueReminders } from "~/models/sessions.server";
import { loader as initiativeLoader } from "~/routes/initiatives.$id";
import { action as addSessionAction } from "~/routes/initiatives.$id_.sessions";
import { action as enrolAction } from "~/routes/initiatives.$id_.enrol";
import { action as interestAction } from "~/routes/initiatives.$id_.interest";
import { loader as sessionLoader } from "~/routes/sessions.$id";
import { action as editSessionAction } from "~/routes/sessions.$id_.edit";
import { action as registerAction } from "~/routes/sessions.$id_.register";
import { action as withdrawAction } from "~/routes/sessions.$id_.cancel";
import { action as checkinAction } from "~/routes/sessions.$id_.checkin";
import { action as attendanceAction } from "~/routes/sessions.$id_.attendance";
import { action as messageAction } from "~/routes/sessions.$id_.message";
import { loader as csvLoader } from "~/routes/sessions.$id_.participants[.csv]";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, hour, initiativeBy, sessionOf } from "../support/fixtures";
import { toLocalDateTimeInput } from "~/lib/time";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let host: Member, ann: Member, bob: Member, cas: Member, dee: Member;

beforeAll(async () => {
  [host, ann, bob, cas, dee] = await Promise.all(["Host", "Ann", "Bob", "Cas", "Dee"].map((n) => memberWithSession(n, { organisation: `Org ${n}` })));
});

const local = (ms: number) => toLocalDateTimeInput(ms, "Europe/Amsterdam");
const post = (action: (args: never) => unknown, path: string, params: Record<string, string>, fields: Record<string, string>, cookie?: string) =>
  settle(() => action({ request: formRequest(path, fields, { cookie }), context, params } as never));
const outboxFor = (memberId: string, kind: string) => db().all<{ subject: string; body: string }>(sql`SELECT subject, body FROM outbox WHERE member_id = ${memberId} AND kind = ${kind}`);
const statusIn = (sessionId: number, memberId: string) =>
  db().get<{ status: string } | undefined>(sql`SELECT status FROM registrations WHERE session_id = ${sessionId} AND member_id = ${memberId}`)?.status;

describe("adding sessions", () => {
  let initiativeId: number;
  beforeAll(() => {
    initiativeId = initiativeBy(host.id);
  });
  const add = (fields: Record<string, string>, cookie = host.cookie) => post(addSessionAction, `/initiatives/${initiativeId}/sessions`, { id: String(initiativeId) }, fields, cookie);
  const start = Date.now() + 3 * day;

  it("lets a host add one; the initiative goes from idea to planned, and it is logged", async () => {
    expect(getInitiative(initiativeId)!.status).toBe("idea");
    const result = (await add({ startsAt: local(start), endsAt: local(start + 2 * hour), place: "Bibliotheek", hostOrganisation: "Bibliotheek Oost", capacity: "12" })) as Response;
    expect(result.status).toBe(303);
    const row = db().get<{ id: number; capacity: number; checkin_code: string; starts_at: number }>(sql`SELECT * FROM sessions WHERE initiative_id = ${initiativeId}`);
    expect(row.capacity).toBe(12);
    expect(row.checkin_code).toMatch(/^[ACDEFGHJKMNPQRTUVWXY345679]{6}$/);
    // Typed as Amsterdam wall time, stored as the UTC instant (to the minute).
    expect(Math.abs(row.starts_at - start)).toBeLessThan(60_000);
    expect(getInitiative(initiativeId)!.status).toBe("planned");
    expect(db().get(sql`SELECT count(*) AS n FROM log_entries WHERE action = 'session.added' AND subject_id = ${String(row.id)}`)).toEqual({ n: 1 });
  });

  it.each([
    ["endsAt", { endsAt: local(start - hour) }, "session.endsAt.beforeStart"],
    ["startsAt", { startsAt: local(Date.now() - day), endsAt: local(Date.now() - day + hour) }, "session.startsAt.past"],
    ["startsAt", { startsAt: "next tuesday" }, "session.startsAt.invalid"],
    ["startsAt", { startsAt: "2027-03-28T02:30", endsAt: "2027-03-28T04:00" }, "session.time.skipped"],
    ["capacity", { capacity: "0" }, "session.capacity.invalid"],
    ["capacity", { capacity: "10001" }, "session.capacity.invalid"],
    ["capacity", { capacity: "twelve" }, "session.capacity.invalid"],
    ["place", { place: "p".repeat(201) }, "session.place.tooLong"],
  ])("refuses a bad %s (case %#) with a message and writes nothing", async (field, change, message) => {
    const before = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM sessions`).n;
    const result = await add({ startsAt: local(start), endsAt: local(start + 2 * hour), place: "x", capacity: "10", ...change });
    expect(statusOf(result)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(result).errors[field]).toBe(message);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM sessions`).n).toBe(before);
  });

  it("accepts exactly 10,000 places and an empty capacity (unlimited)", async () => {
    expect(statusOf(await add({ startsAt: local(start), endsAt: local(start + hour), capacity: "10000" }))).toBe(303);
    expect(statusOf(await add({ startsAt: local(start), endsAt: local(start + hour), capacity: "" }))).toBe(303);
    expect(db().get(sql`SELECT count(*) AS n FROM sessions WHERE initiative_id = ${initiativeId} AND capacity IS NULL`)).toEqual({ n: 1 });
  });

  it("refuses members who are not hosts", async () => {
    expect(statusOf(await add({ startsAt: local(start), endsAt: local(start + hour) }, ann.cookie))).toBe(403);
  });
});

describe("signing up, the waiting list and withdrawing", () => {
  let sessionId: number;
  let initiativeId: number;
  beforeAll(() => {
    initiativeId = initiativeBy(host.id);
    sessionId = sessionOf(initiativeId, host.id, { capacity: 2 });
  });
  const reg = (m: Member) => post(registerAction, `/sessions/${sessionId}/register`, { id: String(sessionId) }, { redirectTo: `/initiatives/${initiativeId}` }, m.cookie);
  const out = (m: Member) => post(withdrawAction, `/sessions/${sessionId}/cancel`, { id: String(sessionId) }, { confirmed: "yes" }, m.cookie);

  it("registers until full, then waitlists first in, first out with visible positions", async () => {
    for (const m of [ann, bob, cas, dee]) {
      const result = (await reg(m)) as Response;
      expect(result.status).toBe(303);
      expect(result.headers.get("Location")).toBe(`/initiatives/${initiativeId}`);
    }
    expect([ann, bob, cas, dee].map((m) => statusIn(sessionId, m.id))).toEqual(["registered", "registered", "waitlisted", "waitlisted"]);
    const page = dataOf<{ sessions: { id: number; myStatus: string; myPosition: number; registered: number; waitlisted: number }[] }>(
      await initiativeLoader({ request: getRequest(`/initiatives/${initiativeId}`, { cookie: dee.cookie }), context, params: { id: String(initiativeId) } }),
    );
    expect(page.sessions[0]).toMatchObject({ myStatus: "waitlisted", myPosition: 2, registered: 2, waitlisted: 2 });
    expect(outboxFor(ann.id, "registration")[0].subject).toContain("Ingeschreven");
    expect(outboxFor(cas.id, "waitlist")[0].body).toContain("plaats 1");
  });

  it("signing up twice changes nothing", async () => {
    expect(statusOf(await reg(ann))).toBe(303);
    expect(db().get(sql`SELECT count(*) AS n FROM registrations WHERE session_id = ${sessionId} AND status = 'registered'`)).toEqual({ n: 2 });
  });

  it("a withdrawal promotes the first person waiting and mails them", async () => {
    expect(statusOf(await out(ann))).toBe(303);
    expect(statusIn(sessionId, ann.id)).toBe("cancelled");
    expect(statusIn(sessionId, cas.id)).toBe("registered");
    expect(statusIn(sessionId, dee.id)).toBe("waitlisted");
    expect(outboxFor(cas.id, "promoted")).toHaveLength(1);
    expect(outboxFor(dee.id, "promoted")).toHaveLength(0);
  });

  it("someone signing up again joins the back of the queue", async () => {
    expect(statusOf(await reg(ann))).toBe(303);
    expect(statusIn(sessionId, ann.id)).toBe("waitlisted");
    const positions = db().all<{ member_id: string }>(sql`SELECT member_id FROM registrations WHERE session_id = ${sessionId} AND status = 'waitlisted' ORDER BY queued_seq`);
    expect(positions.map((p) => p.member_id)).toEqual([dee.id, ann.id]);
  });

  it("withdrawing when not signed up is a clear 409", async () => {
    const stranger = await memberWithSession("Stranger");
    const result = await out(stranger);
    expect(statusOf(result)).toBe(409);
    expect(dataOf<{ message: string }>(result).message).toBe("session.notRegistered");
  });

  it("refuses lowering capacity below the number registered, and raising it promotes", async () => {
    const s = getSession(sessionId)!;
    const fields = { startsAt: local(s.startsAt.getTime()), endsAt: local(s.endsAt.getTime()), place: s.place, capacity: "1" };
    const lowered = await post(editSessionAction, `/sessions/${sessionId}/edit`, { id: String(sessionId) }, fields, host.cookie);
    expect(statusOf(lowered)).toBe(409);
    expect(dataOf<{ errors: Record<string, string> }>(lowered).errors.capacity).toBe("session.capacity.belowRegistered");
    expect(getSession(sessionId)!.capacity).toBe(2);
    const raised = await post(editSessionAction, `/sessions/${sessionId}/edit`, { id: String(sessionId) }, { ...fields, capacity: "3" }, host.cookie);
    expect(statusOf(raised)).toBe(303);
    expect(statusIn(sessionId, dee.id)).toBe("registered");
    expect(statusIn(sessionId, ann.id)).toBe("waitlisted");
  });

  it("closes registration when the session starts", () => {
    const s = getSession(sessionId)!;
    const later = new Date(s.startsAt.getTime() + 1);
    expect(() => register(sessionId, host.id, later)).toThrow(/started/);
    expect(() => withdraw(sessionId, bob.id, later)).toThrow(/started/);
  });

  it("tells participants when a session moves, and when it is cancelled", async () => {
    const s = getSession(sessionId)!;
    const moved = s.startsAt.getTime() + day;
    const fields = { startsAt: local(moved), endsAt: local(moved + 2 * hour), place: "Elders", capacity: "3" };
    expect(statusOf(await post(editSessionAction, `/sessions/${sessionId}/edit`, { id: String(sessionId) }, fields, host.cookie))).toBe(303);
    expect(outboxFor(bob.id, "session-changed")[0].body).toContain("Elders");
    // Online, a new link is where it takes place: it is announced again and everyone hears of it.
    const online = { ...fields, place: "", mode: "online", onlineUrl: "https://meet.example.org/kring-1" };
    expect(statusOf(await post(editSessionAction, `/sessions/${sessionId}/edit`, { id: String(sessionId) }, online, host.cookie))).toBe(303);
    expect(outboxFor(bob.id, "session-changed")).toHaveLength(2);
    const relinked = await post(editSessionAction, `/sessions/${sessionId}/edit`, { id: String(sessionId) }, { ...online, onlineUrl: "https://meet.example.org/kring-2" }, host.cookie);
    expect(statusOf(relinked)).toBe(303);
    expect(outboxFor(bob.id, "session-changed")).toHaveLength(3);
    expect(statusOf(await post(editSessionAction, `/sessions/${sessionId}/edit`, { id: String(sessionId) }, { intent: "cancel-session", reason: "De zaal is dicht" }, host.cookie))).toBe(303);
    expect(getSession(sessionId)!.cancelledAt).not.toBeNull();
    expect(outboxFor(ann.id, "session-cancelled")).toHaveLength(1);
    const refused = await reg(await memberWithSession("Late"));
    expect(statusOf(refused)).toBe(409);
    expect(dataOf<{ message: string }>(refused).message).toBe("session.closed.cancelled");
  });

  it("answers 404 for sessions that do not exist", async () => {
    expect(statusOf(await post(registerAction, "/sessions/999999/register", { id: "999999" }, {}, ann.cookie))).toBe(404);
    expect(statusOf(await post(registerAction, "/sessions/x/register", { id: "x" }, {}, ann.cookie))).toBe(404);
  });

  it("sends visitors without an account to the login page", async () => {
    const result = (await post(registerAction, `/sessions/${sessionId}/register`, { id: String(sessionId) }, {})) as Response;
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("enrolling in a whole course", () => {
  it("signs up for every upcoming session at once, waitlisting where full", async () => {
    const courseId = initiativeBy(host.id, { kind: "course" });
    const ids = [sessionOf(courseId, host.id, { startsIn: 2 * day, capacity: 5 }), sessionOf(courseId, host.id, { startsIn: 9 * day, capacity: 1 }), sessionOf(courseId, host.id, { startsIn: 16 * day })];
    register(ids[1], cas.id);
    const result = await post(enrolAction, `/initiatives/${courseId}/enrol`, { id: String(courseId) }, {}, bob.cookie);
    expect(statusOf(result)).toBe(303);
    expect(ids.map((id) => statusIn(id, bob.id))).toEqual(["registered", "waitlisted", "registered"]);
    // Enrolling again changes nothing.
    expect(enrol(courseId, bob.id).every((o) => o.already)).toBe(true);
  });

  it("is only for courses", async () => {
    const activityId = initiativeBy(host.id, { kind: "activity" });
    sessionOf(activityId, host.id);
    const result = await post(enrolAction, `/initiatives/${activityId}/enrol`, { id: String(activityId) }, {}, bob.cookie);
    expect(statusOf(result)).toBe(400);
    expect(dataOf<{ message: string }>(result).message).toBe("enrol.onlyCourses");
  });
});

describe("\"I'm in\" on ideas", () => {
  it("counts who is in, and invites them by mail when the first session is added", async () => {
    const ideaId = initiativeBy(host.id, { kind: "activity", target: "3" });
    for (const m of [ann, bob]) expect(statusOf(await post(interestAction, `/initiatives/${ideaId}/interest`, { id: String(ideaId) }, { interested: "1" }, m.cookie))).toBe(303);
    await post(interestAction, `/initiatives/${ideaId}/interest`, { id: String(ideaId) }, { interested: "0" }, bob.cookie);
    const page = dataOf<{ interest: { count: number; mine: boolean } }>(
      await initiativeLoader({ request: getRequest(`/initiatives/${ideaId}`, { cookie: ann.cookie }), context, params: { id: String(ideaId) } }),
    );
    expect(page.interest).toEqual({ count: 1, mine: true });
    sessionOf(ideaId, host.id);
    sessionOf(ideaId, host.id, { startsIn: 8 * day });
    expect(outboxFor(ann.id, "invitation").filter((m) => m.body.includes(`/initiatives/${ideaId}`))).toHaveLength(1);
    expect(outboxFor(bob.id, "invitation").filter((m) => m.body.includes(`/initiatives/${ideaId}`))).toHaveLength(0);
  });
});

describe("attendance", () => {
  let sessionId: number;
  let code: string;
  let startsAt: number;
  beforeAll(() => {
    const id = initiativeBy(host.id);
    sessionId = sessionOf(id, host.id, { startsIn: 10 * day });
    register(sessionId, ann.id);
    register(sessionId, bob.id);
    const s = getSession(sessionId)!;
    code = s.checkinCode;
    startsAt = s.startsAt.getTime();
  });

  it("opens check-in 30 minutes before the start and closes it 2 hours after the end", () => {
    expect(() => checkIn(sessionId, ann.id, code, new Date(startsAt - 31 * 60_000))).toThrow(CheckinClosedError);
    expect(() => checkIn(sessionId, ann.id, code, new Date(startsAt + 2 * hour + 2 * hour + 60_000))).toThrow(CheckinClosedError);
    expect(checkIn(sessionId, ann.id, code.toLowerCase(), new Date(startsAt - 29 * 60_000))).toEqual({ already: false });
    expect(checkIn(sessionId, ann.id, code, new Date(startsAt))).toEqual({ already: true });
    expect(db().get(sql`SELECT attendance_by FROM registrations WHERE session_id = ${sessionId} AND member_id = ${ann.id}`)).toEqual({ attendance_by: "code" });
    expect(db().get(sql`SELECT count(*) AS n FROM log_entries WHERE action = 'attendance.checked-in' AND subject_id = ${String(sessionId)}`)).toEqual({ n: 1 });
  });

  it("refuses a wrong code, and stops guessing after 10 tries", () => {
    const during = new Date(startsAt + hour);
    const wrong = code === "AAAAAA" ? "CCCCCC" : "AAAAAA";
    for (let i = 0; i < 10; i++) expect(() => checkIn(sessionId, cas.id, wrong, during)).toThrow(WrongCodeError);
    expect(() => checkIn(sessionId, cas.id, code, during)).toThrow(TooManyCodeAttemptsError);
  });

  it("the check-in route answers a wrong code with a translated 400", async () => {
    // The session is in the future, so through the route check-in is not open yet: 409.
    const result = await post(checkinAction, `/sessions/${sessionId}/checkin`, { id: String(sessionId) }, { code: "XXXXXX" }, dee.cookie);
    expect(statusOf(result)).toBe(409);
    expect(dataOf<{ message: string }>(result).message).toBe("session.checkin.closed");
  });

  it("lets hosts mark who came (logged), and nobody else", async () => {
    const during = new Date(startsAt + hour);
    markAttendance(sessionId, host.id, bob.id, true, during);
    expect(db().get(sql`SELECT attendance_by FROM registrations WHERE session_id = ${sessionId} AND member_id = ${bob.id}`)).toEqual({ attendance_by: host.id });
    expect(() => markAttendance(sessionId, ann.id, bob.id, false, during)).toThrow(NotAHostError);
    const viaRoute = await post(attendanceAction, `/sessions/${sessionId}/attendance`, { id: String(sessionId) }, { memberId: bob.id, present: "0" }, ann.cookie);
    expect(statusOf(viaRoute)).toBe(403);
    markAttendance(sessionId, host.id, bob.id, false, during);
    expect(db().get(sql`SELECT attended_at FROM registrations WHERE session_id = ${sessionId} AND member_id = ${bob.id}`)).toEqual({ attended_at: null });
    expect(db().get(sql`SELECT count(*) AS n FROM log_entries WHERE action IN ('attendance.marked', 'attendance.unmarked') AND subject_id = ${String(sessionId)}`)).toEqual({ n: 2 });
  });
});

describe("participants, the CSV and messages", () => {
  let sessionId: number;
  beforeAll(() => {
    const id = initiativeBy(host.id);
    sessionId = sessionOf(id, host.id, { capacity: 1 });
    register(sessionId, ann.id);
    register(sessionId, bob.id);
    db().run(sql`UPDATE members SET organisation = '=HYPERLINK("http://evil.example")' WHERE id = ${bob.id}`);
  });
  const page = async (cookie?: string) =>
    dataOf<{ participants: { displayName: string; organisation: string }[] | null }>(
      await sessionLoader({ request: getRequest(`/sessions/${sessionId}`, { cookie }), context, params: { id: String(sessionId) } }),
    );

  it("shows names and organisations to participants and hosts, never emails, and only numbers to others", async () => {
    const seen = await page(ann.cookie);
    expect(seen.participants!.map((p) => p.displayName)).toEqual(["Ann", "Bob"]);
    expect(JSON.stringify(seen)).not.toContain("@example.org");
    expect((await page(host.cookie)).participants).toHaveLength(2);
    expect((await page(cas.cookie)).participants).toBeNull();
    expect((await page()).participants).toBeNull();
  });

  it("gives hosts a CSV without emails, safe to open in a spreadsheet", async () => {
    const response = (await settle(() => csvLoader({ request: getRequest(`/sessions/${sessionId}/participants.csv`, { cookie: host.cookie }), context, params: { id: String(sessionId) } }))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/csv");
    const csv = await response.text();
    expect(csv).toContain("Ann");
    expect(csv).not.toContain("@example.org");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    const refused = await settle(() => csvLoader({ request: getRequest(`/sessions/${sessionId}/participants.csv`, { cookie: ann.cookie }), context, params: { id: String(sessionId) } }));
    expect(statusOf(refused)).toBe(403);
  });

  it("lets hosts message everyone signed up or waiting, without seeing addresses", async () => {
    const result = await post(messageAction, `/sessions/${sessionId}/message`, { id: String(sessionId) }, { subject: "Andere zaal", body: "We zitten in zaal 2." }, host.cookie);
    expect(statusOf(result)).toBe(200);
    expect(dataOf<{ sent: number }>(result).sent).toBe(2);
    expect(JSON.stringify(dataOf(result))).not.toContain("@");
    expect(outboxFor(bob.id, "host-message")[0]).toMatchObject({ subject: expect.stringContaining("Andere zaal"), body: expect.stringContaining("zaal 2") });
    expect(statusOf(await post(messageAction, `/sessions/${sessionId}/message`, { id: String(sessionId) }, { subject: "", body: "" }, host.cookie))).toBe(400);
    expect(statusOf(await post(messageAction, `/sessions/${sessionId}/message`, { id: String(sessionId) }, { subject: "x", body: "y" }, ann.cookie))).toBe(403);
  });
});

describe("reminders", () => {
  it("queues one reminder per participant 24 hours ahead, once, even when run again", () => {
    const id = initiativeBy(host.id);
    const sessionId = sessionOf(id, host.id, { startsIn: 20 * hour });
    const later = sessionOf(id, host.id, { startsIn: 30 * hour });
    register(sessionId, ann.id);
    register(later, ann.id);
    queueDueReminders();
    queueDueReminders();
    const reminders = db().all<{ body: string }>(sql`SELECT body FROM outbox WHERE kind = 'reminder' AND member_id = ${ann.id} AND dedupe_key LIKE ${`reminder:${sessionId}:%`}`);
    expect(reminders).toHaveLength(1);
    expect(db().get(sql`SELECT count(*) AS n FROM outbox WHERE kind = 'reminder' AND dedupe_key LIKE ${`reminder:${later}:%`}`)).toEqual({ n: 0 });
  });
});
