// Date polls (issue 17): offer → answers by members and visitors → a visitor changes theirs by the
// edit link → the host makes the winner a session → the yes- and if-need-be-sayers get a mail (over
// a real SMTP server) asking them to sign up, and nobody is signed up; closed polls stay readable;
// who may do what; hidden initiatives; times across daylight-saving changes.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyOf, startSmtp } from "../support/smtp";

// The SMTP address must be known before the app reads its configuration.
const smtp = await startSmtp();
process.env.SMTP_URL = smtp.url;
process.env.MAIL_FROM = "Meedoen <meedoen@example.org>";

const { db } = await import("~/lib/db.server");
const { deliverOutbox, resetMailTransport } = await import("~/lib/mail.server");
const { parseLocalDateTime, toLocalDateTimeInput } = await import("~/lib/time");
const { loader: pollLoader, action: pollAction } = await import("~/routes/polls.$code");
const { loader: newLoader, action: newAction } = await import("~/routes/initiatives.$id_.polls.new");
const { loader: initiativeLoader } = await import("~/routes/initiatives.$id");
const { context, contextFor, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } = await import("../support/requests");
const { day, hour, initiativeBy, zone } = await import("../support/fixtures");

type Member = Awaited<ReturnType<typeof memberWithSession>>;
type Page = Awaited<ReturnType<typeof pollLoader>>;
let host: Member, ann: Member, bob: Member, fresh: Member, otherHost: Member, held: Member;
let initiativeId: number;

afterAll(async () => {
  resetMailTransport();
  await smtp.close();
});

beforeAll(async () => {
  [host, ann, bob, fresh, otherHost, held] = await Promise.all(["Host Hanna", "Ann", "Bob", "Fresh", "Other host", "Held"].map((n) => memberWithSession(n)));
  initiativeId = initiativeBy(host.id, { title: "Kring Noord" });
  initiativeBy(otherHost.id, { title: "Ander initiatief" });
  db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${initiativeId}, ${held.id}, ${Date.now()}, ${Date.now()})`);
  db().run(sql`UPDATE members SET posting_held_at = ${Date.now()}, posting_held_rule = '7. Respect' WHERE id = ${held.id}`);
});

const dateOf = (ms: number) => toLocalDateTimeInput(ms, zone).slice(0, 10);
const offer = (fields: Record<string, string>, cookie: string | null = host.cookie, id = initiativeId) =>
  settle(() => newAction({ request: formRequest(`/initiatives/${id}/polls/new`, { intent: "offer", ...fields }, { cookie: cookie ?? undefined }), context, params: { id: String(id) } } as never));
const openPoll = (code: string, cookie?: string, query = "") =>
  settle(() => pollLoader({ request: getRequest(`/polls/${code}${query}`, { cookie }), context, params: { code } } as never));
const postPoll = (code: string, fields: Record<string, string | string[]>, cookie?: string, address = "127.0.0.1") =>
  settle(() => pollAction({ request: formRequest(`/polls/${code}`, fields, { cookie }), context: contextFor(address), params: { code } } as never));
const codeOf = (result: unknown) => /^\/polls\/([A-Za-z0-9_-]{24})$/.exec((result as Response).headers.get("Location") ?? "")![1];

const first = Date.now() + 10 * day;
const second = Date.now() + 11 * day;
const twoTimes = {
  title: "Volgende bijeenkomst",
  note: "Graag voor vrijdag prikken.",
  "date-0": dateOf(first),
  "start-0": "19:30",
  "end-0": "21:30",
  "place-0": "Buurthuis De Linde",
  "mode-0": "onsite",
  "date-1": dateOf(second),
  "start-1": "14:00",
  "end-1": "15:30",
  "place-1": "",
  "mode-1": "online",
  "date-2": "",
  "start-2": "",
  "end-2": "",
  "place-2": "",
};

describe("from offer to session", () => {
  let code: string;
  let page: Page;
  let visitorEdit: string;

  it("lets a host offer two times; the link holds at least 128 random bits", async () => {
    const result = await offer(twoTimes);
    expect(statusOf(result)).toBe(303);
    code = codeOf(result);
    expect(Buffer.from(code, "base64url").length * 8).toBeGreaterThanOrEqual(128);
    page = dataOf<Page>(await openPoll(code));
    expect(page.options.map((o) => [o.when.endsWith("19:30–21:30") || o.when.endsWith("14:00–15:30"), o.place, o.mode])).toEqual([
      [true, "Buurthuis De Linde", "onsite"],
      [true, "", "online"],
    ]);
    expect(page.can).toEqual({ answer: true, close: false, makeSession: false });
  });

  it("takes answers from members under their own name and from a visitor with a typed name", async () => {
    const [o1, o2] = page.options.map((o) => o.id);
    expect(statusOf(await postPoll(code, { intent: "answer", [`answer-${o1}`]: "yes", [`answer-${o2}`]: "no" }, ann.cookie))).toBe(303);
    expect(statusOf(await postPoll(code, { intent: "answer", [`answer-${o1}`]: "maybe", [`answer-${o2}`]: "yes" }, bob.cookie))).toBe(303);
    // A held member may answer: answering is not posting.
    expect(statusOf(await postPoll(code, { intent: "answer", [`answer-${o1}`]: "no" }, held.cookie))).toBe(303);
    const visitor = (await postPoll(code, { intent: "answer", name: "Fatima (buurtteam)", [`answer-${o1}`]: "yes", [`answer-${o2}`]: "maybe" })) as Response;
    expect(visitor.status).toBe(303);
    visitorEdit = /[?&]edit=([A-Za-z0-9_-]{24})/.exec(visitor.headers.get("Location")!)![1];
    // Ann answers again: still one response of hers.
    expect(statusOf(await postPoll(code, { intent: "answer", [`answer-${o1}`]: "yes", [`answer-${o2}`]: "maybe" }, ann.cookie))).toBe(303);
    page = dataOf<Page>(await openPoll(code, host.cookie));
    expect(page.responseCount).toBe(4);
    expect(page.options[0].counts).toEqual({ yes: 2, maybe: 1, no: 1 });
    expect(page.options[0].names.yes).toEqual(["Ann", "Fatima (buurtteam) (gast)"]);
    expect(page.can).toEqual({ answer: true, close: true, makeSession: true });
  });

  it("lets the visitor change their answers with their own edit link, and only with it", async () => {
    const [o1, o2] = page.options.map((o) => o.id);
    const mine = dataOf<Page>(await openPoll(code, undefined, `?edit=${visitorEdit}`));
    expect(mine.answerer).toMatchObject({ kind: "visitor", name: "Fatima (buurtteam)", editCode: visitorEdit });
    expect(mine.options.map((o) => o.mine)).toEqual(["yes", "maybe"]);
    expect(statusOf(await postPoll(code, { intent: "answer", edit: visitorEdit, name: "Fatima B.", [`answer-${o1}`]: "no", [`answer-${o2}`]: "yes" }))).toBe(303);
    const after = dataOf<Page>(await openPoll(code));
    expect(after.responseCount).toBe(4);
    expect(after.options[0].names.no).toContain("Fatima B. (gast)");
    expect(after.options[1].names.yes).toEqual(["Bob", "Fatima B. (gast)"]);
    // Without the link a visitor sees nobody's answers as their own.
    expect(after.options.map((o) => o.mine)).toEqual([null, null]);
  });

  it("makes the winner a session in one step: announced, logged, linked; yes- and if-need-be-sayers are asked by mail, nobody is signed up", async () => {
    const winner = page.options[0].id;
    const result = await postPoll(code, { intent: "make", optionId: String(winner), capacity: "20" }, host.cookie);
    expect(statusOf(result)).toBe(303);
    const poll = db().get<{ closed_at: number | null; session_id: number | null }>(sql`SELECT closed_at, session_id FROM date_polls WHERE code = ${code}`)!;
    expect(poll.closed_at).not.toBeNull();
    const session = db().get<{ id: number; starts_at: number; place: string; capacity: number; announced_at: number }>(sql`SELECT * FROM sessions WHERE id = ${poll.session_id}`)!;
    expect(toLocalDateTimeInput(session.starts_at, zone)).toBe(`${dateOf(first)}T19:30`);
    expect([session.place, session.capacity]).toEqual(["Buurthuis De Linde", 20]);
    expect(Math.abs(session.announced_at - Date.now())).toBeLessThan(60_000);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM log_entries WHERE action = 'session.added' AND subject_id = ${String(session.id)}`)!.n).toBe(1);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM registrations WHERE session_id = ${session.id}`)!.n).toBe(0);
    const before = smtp.received.length;
    await deliverOutbox();
    const mails = smtp.received.slice(before).filter((m) => m.raw.includes(`/sessions/${session.id}`));
    const to = (m: Member) => mails.filter((mail) => mail.to.includes(m.email));
    // Ann said yes, Bob if need be; Held said no, the visitor has no address, the host chose.
    expect(to(ann)).toHaveLength(1);
    expect(to(bob)).toHaveLength(1);
    expect(mails).toHaveLength(2);
    expect(to(ann)[0].subject).toContain("Schrijf je in");
    expect(to(bob)[0].subject).not.toBe(to(ann)[0].subject);
    expect(bodyOf(to(ann)[0])).toContain("nog niet ingeschreven");
  });

  it("keeps the closed poll readable, with the chosen time marked and a link to the session; answers are refused", async () => {
    const closed = dataOf<Page>(await openPoll(code));
    expect(closed.closed).toBe(true);
    expect(closed.sessionId).not.toBeNull();
    expect(closed.options.map((o) => o.chosen)).toEqual([true, false]);
    expect(closed.can).toEqual({ answer: false, close: false, makeSession: false });
    expect(statusOf(await postPoll(code, { intent: "answer", name: "Laat", [`answer-${closed.options[0].id}`]: "yes" }))).toBe(409);
    expect(statusOf(await postPoll(code, { intent: "make", optionId: String(closed.options[1].id), onlineUrl: "https://meet.example.org/x" }, host.cookie))).toBe(409);
    const listed = dataOf<{ polls: { code: string; closed: boolean; sessionId: number | null }[] }>(await settle(() => initiativeLoader({ request: getRequest(`/initiatives/${initiativeId}`), context, params: { id: String(initiativeId) } } as never)));
    expect(listed.polls).toEqual([{ code, title: "Volgende bijeenkomst", closed: true, sessionId: closed.sessionId }]);
  });

  it("asks for the meeting link of an online time when it becomes the session, and never shows it on the poll", async () => {
    const made = codeOf(await offer(twoTimes));
    const online = dataOf<Page>(await openPoll(made)).options[1];
    const missing = await postPoll(made, { intent: "make", optionId: String(online.id) }, host.cookie);
    expect(statusOf(missing)).toBe(400);
    // Said at the option's link field, with what was typed (docs/forms-refusals.md).
    expect(dataOf<{ errors: Record<string, string>; typed: Record<string, string> }>(missing)).toMatchObject({ errors: { onlineUrl: "session.onlineUrl.required" }, typed: { optionId: String(online.id), onlineUrl: "" } });
    const link = "https://meet.example.org/kring-9Xq";
    expect(statusOf(await postPoll(made, { intent: "make", optionId: String(online.id), onlineUrl: link }, host.cookie))).toBe(303);
    for (const cookie of [undefined, ann.cookie, host.cookie]) expect(JSON.stringify(dataOf(await openPoll(made, cookie)))).not.toContain("kring-9Xq");
  });
});

describe("who may do what", () => {
  let code: string;
  beforeAll(async () => {
    code = codeOf(await offer(twoTimes));
  });
  type Who = "visitor" | "fresh" | "host" | "otherHost" | "held";
  const cookieOf = (who: Who) => ({ visitor: undefined, fresh: fresh.cookie, host: host.cookie, otherHost: otherHost.cookie, held: held.cookie })[who];
  // "make" is an on-site time with a time still ahead: only a host who is not held may; the host's turn comes last and closes the poll.
  const table: [Who, { offerForm: number; offer: number; answer: number; make: number; close: number }][] = [
    ["visitor", { offerForm: 302, offer: 302, answer: 303, make: 302, close: 302 }],
    ["fresh", { offerForm: 403, offer: 403, answer: 303, make: 403, close: 403 }],
    ["otherHost", { offerForm: 403, offer: 403, answer: 303, make: 403, close: 403 }],
    ["held", { offerForm: 403, offer: 403, answer: 303, make: 403, close: 403 }],
    ["host", { offerForm: 200, offer: 303, answer: 303, make: 303, close: 409 }],
  ];
  it.each(table)("%s", async (who, expected) => {
    const cookie = cookieOf(who);
    const option = dataOf<Page>(await openPoll(code)).options[0].id;
    const form = await settle(() => newLoader({ request: getRequest(`/initiatives/${initiativeId}/polls/new`, { cookie }), context, params: { id: String(initiativeId) } } as never));
    const offered = await offer(twoTimes, cookie ?? null);
    const answered = await postPoll(code, { intent: "answer", name: `Gast ${who}`, [`answer-${option}`]: "yes" }, cookie, "10.0.0.7");
    const make = await postPoll(code, { intent: "make", optionId: String(option) }, cookie);
    const close = await postPoll(code, { intent: "close" }, cookie);
    expect({ offerForm: statusOf(form), offer: statusOf(offered), answer: statusOf(answered), make: statusOf(make), close: statusOf(close) }).toEqual(expected);
    expect(db().get<{ closed_at: number | null }>(sql`SELECT closed_at FROM date_polls WHERE code = ${code}`)!.closed_at === null).toBe(who !== "host");
  });
});

describe("a hidden initiative", () => {
  it("keeps its polls from visitors and members without a voice, on the poll and on the initiative page", async () => {
    const hiddenId = initiativeBy(host.id, { title: "Verborgen" });
    const code = codeOf(await offer(twoTimes, host.cookie, hiddenId));
    db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()}, hidden_rule = '7. Respect' WHERE id = ${hiddenId}`);
    expect(statusOf(await openPoll(code))).toBe(404);
    expect(statusOf(await openPoll(code, fresh.cookie))).toBe(404);
    expect(statusOf(await openPoll(code, host.cookie))).toBe(200);
    const option = dataOf<Page>(await openPoll(code, host.cookie)).options[0].id;
    expect(statusOf(await postPoll(code, { intent: "answer", name: "Gast", [`answer-${option}`]: "yes" }))).toBe(404);
    const visitorPage = dataOf<{ polls: unknown[] }>(await settle(() => initiativeLoader({ request: getRequest(`/initiatives/${hiddenId}`), context, params: { id: String(hiddenId) } } as never)));
    expect(visitorPage.polls).toEqual([]);
  });
});

describe("times in the community time zone, across daylight saving", () => {
  const row = (date: string, start: string, end: string) => ({ title: "Zomertijd", "date-0": date, "start-0": start, "end-0": end, "place-0": "Wijkcentrum", "date-1": dateOf(second), "start-1": "10:00", "end-1": "11:00", "place-1": "Wijkcentrum" });

  it("refuses 02:30 on the night the clocks go forward, with a translated message", async () => {
    const result = await offer(row("2027-03-28", "02:30", "04:00"));
    expect(statusOf(result)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(result).errors["start-0"]).toBe("session.time.skipped");
  });

  it("takes 02:30 on the night the clocks go back as the time library reads it", async () => {
    const code = codeOf(await offer(row("2027-10-31", "02:30", "04:00")));
    const stored = db().get<{ starts_at: number }>(sql`SELECT o.starts_at FROM poll_options o JOIN date_polls p ON p.id = o.poll_id WHERE p.code = ${code} ORDER BY o.starts_at DESC LIMIT 1`)!;
    expect(stored.starts_at).toBe(parseLocalDateTime("2027-10-31T02:30", zone)!.getTime());
    expect(dataOf<Page>(await openPoll(code)).options.some((o) => o.when.endsWith("02:30–04:00"))).toBe(true);
  });

  it("shows times on either side of a change as they were typed", async () => {
    const code = codeOf(
      await offer({ title: "Rond de wisseling", "date-0": "2027-03-27", "start-0": "19:30", "end-0": "21:00", "place-0": "A", "date-1": "2027-03-29", "start-1": "19:30", "end-1": "21:00", "place-1": "A", "date-2": "2027-10-30", "start-2": "19:30", "end-2": "21:00", "place-2": "A", "date-3": "2027-11-01", "start-3": "19:30", "end-3": "21:00", "place-3": "A" }),
    );
    const options = dataOf<Page>(await openPoll(code, undefined)).options;
    expect(options).toHaveLength(4);
    for (const o of options) expect(o.when).toMatch(/19:30–21:00$/);
    const instants = db().all<{ starts_at: number }>(sql`SELECT o.starts_at FROM poll_options o JOIN date_polls p ON p.id = o.poll_id WHERE p.code = ${code} ORDER BY o.starts_at`);
    // Winter time is UTC+1, summer time UTC+2: the same wall-clock time is a different hour in UTC.
    expect(instants.map((r) => new Date(r.starts_at).getUTCHours())).toEqual([18, 17, 17, 18]);
  });

  it("offers five rows at first and five more on request, at most twenty, without saving anything", async () => {
    const form = dataOf<{ rows: number }>(await settle(() => newLoader({ request: getRequest(`/initiatives/${initiativeId}/polls/new`, { cookie: host.cookie }), context, params: { id: String(initiativeId) } } as never)));
    expect(form.rows).toBe(5);
    const before = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM date_polls`)!.n;
    const more = await settle(() => newAction({ request: formRequest(`/initiatives/${initiativeId}/polls/new`, { intent: "more", rows: "5", title: "Half af" }, { cookie: host.cookie }), context, params: { id: String(initiativeId) } } as never));
    expect(statusOf(more)).toBe(200);
    expect(dataOf<{ rows: number; values: Record<string, string> }>(more)).toMatchObject({ rows: 10, values: { title: "Half af" } });
    const most = await settle(() => newAction({ request: formRequest(`/initiatives/${initiativeId}/polls/new`, { intent: "more", rows: "20" }, { cookie: host.cookie }), context, params: { id: String(initiativeId) } } as never));
    expect(dataOf<{ rows: number }>(most).rows).toBe(20);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM date_polls`)!.n).toBe(before);
    expect(hour).toBe(3_600_000);
  });
});
