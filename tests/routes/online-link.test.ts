// The meeting link of an online session (issue 14) is for the people signed up and the hosts only.
// One table: every viewer × every place the session shows, through the real server (build/index.js,
// `npx remix build` first) on this test's own database, plus the mails made here. The link
// appears exactly where it is allowed, and nowhere else: not even in page data sent to others.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { translator } from "~/lib/i18n";
import { toLocalDateTimeInput } from "~/lib/time";
import { composeDigestMail, digestFor, weekLabel, weekOf } from "~/models/digest.server";
import { renewCalendarToken } from "~/models/members.server";
import { register } from "~/models/registrations.server";
import { addSession, queueDueReminders, sessionInput, updateSession } from "~/models/sessions.server";
import { loader as sessionLoader } from "~/routes/sessions.$id";
import { hour, initiativeBy, zone } from "../support/fixtures";
import { context, getRequest, memberWithSession, settle } from "../support/requests";
import { startServer, type RunningServer } from "../support/server";

const link = "https://meet.example.org/kring-7Hq2xZ";
type Viewer = "visitor" | "member" | "registered" | "waitlisted" | "host";
const viewers: Viewer[] = ["visitor", "member", "registered", "waitlisted", "host"];
type Person = { id: string; cookie: string; token: string | null };

let server: RunningServer;
const people = {} as Record<Viewer, Person | null>;
let initiativeId: number, sessionId: number;

beforeAll(async () => {
  const [host, member, registered, waitlisted] = await Promise.all(["Kartrekker", "Lid", "Aangemeld", "Wachtend"].map((n) => memberWithSession(n)));
  initiativeId = initiativeBy(host.id, { title: "Online intervisie" });
  const start = new Date(Date.now() + 20 * hour);
  const fields = { startsAt: toLocalDateTimeInput(start, zone), endsAt: toLocalDateTimeInput(new Date(start.getTime() + hour), zone), place: "", capacity: "1", mode: "online", onlineUrl: link };
  sessionId = addSession(initiativeId, host.id, sessionInput({ now: new Date(), creating: true }).parse(fields));
  register(sessionId, registered.id);
  register(sessionId, waitlisted.id);
  // A change puts the session in the log again (without the link).
  updateSession(sessionId, host.id, sessionInput({ now: new Date(), creating: false }).parse({ ...fields, hostOrganisation: "Lerend netwerk" }));
  const withToken = (m: { id: string; cookie: string }) => ({ id: m.id, cookie: m.cookie, token: renewCalendarToken(m.id) });
  Object.assign(people, { visitor: null, member: withToken(member), registered: withToken(registered), waitlisted: withToken(waitlisted), host: withToken(host) });
  queueDueReminders(new Date());
  // The server shares this test's database file (migrated above); the scheduler stays quiet.
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, DATA_DIR: process.env.DATA_DIR!, SCHEDULER_INTERVAL_MS: "3600000" });
});

afterAll(async () => {
  await server?.stop();
});

async function fetchText(path: string, person: Person | null, expectStatus = 200) {
  const response = await fetch(server.url + path, { headers: person ? { Cookie: person.cookie } : {}, redirect: "manual" });
  expect(response.status, path).toBe(expectStatus);
  // Compressed or binary bodies (the PNG cards) are searched as bytes too.
  const body = Buffer.from(await response.arrayBuffer());
  return `${body.toString("utf8")}\n${body.toString("latin1")}`;
}

// Each place: what the viewer gets there, as text.
const places: Record<string, (person: Person | null) => Promise<string>> = {
  "session page (HTML)": (p) => fetchText(`/sessions/${sessionId}`, p),
  "session page data (.data)": (p) => fetchText(`/sessions/${sessionId}.data`, p),
  "session loader (in process)": async (p) =>
    JSON.stringify(await settle(() => sessionLoader({ request: getRequest(`/sessions/${sessionId}`, p ? { cookie: p.cookie } : {}), context, params: { id: String(sessionId) } } as never))),
  "reminder mail": async (p) => (p ? db().all<{ body: string }>(sql`SELECT subject || body AS body FROM outbox WHERE member_id = ${p.id} AND kind = 'reminder'`).map((r) => r.body).join("\n") : ""),
  "all mail to the viewer except the reminder": async (p) => (p ? db().all<{ body: string }>(sql`SELECT subject || body AS body FROM outbox WHERE member_id = ${p.id} AND kind != 'reminder'`).map((r) => r.body).join("\n") : ""),
  "private calendar feed": (p) => (p?.token ? fetchText(`/calendar/${p.token}.ics`, p) : Promise.resolve("")),
  "agenda.ics": (p) => fetchText("/agenda.ics", p),
  "initiative .ics": (p) => fetchText(`/initiatives/${initiativeId}.ics`, p),
  "session .ics": (p) => fetchText(`/sessions/${sessionId}.ics`, p),
  "agenda (HTML)": (p) => fetchText("/agenda?mode=online", p),
  "initiative page": (p) => fetchText(`/initiatives/${initiativeId}`, p),
  "initiative page data": (p) => fetchText(`/initiatives/${initiativeId}.data`, p),
  "home page": (p) => fetchText("/", p),
  "feed.xml": (p) => fetchText("/feed.xml", p),
  "log.xml": (p) => fetchText("/log.xml", p),
  "log page": (p) => fetchText("/log", p),
  "session preview card": (p) => fetchText(`/sessions/${sessionId}/preview.png`, p),
  "initiative preview card": (p) => fetchText(`/initiatives/${initiativeId}/preview.png`, p),
  "digest page": (p) => fetchText(`/digest/${weekLabel(weekOf(new Date()))}`, p),
  "digest mail": async () => composeDigestMail(digestFor(weekOf(new Date()), { forMembers: true }), translator("nl"), "nl").body,
  "log entries (database)": async () => JSON.stringify(db().all(sql`SELECT * FROM log_entries`)),
};

// Where the link may be seen, and by whom. Everything else: never.
const allowed: Record<string, Viewer[]> = {
  "session page (HTML)": ["registered", "host"],
  "session page data (.data)": ["registered", "host"],
  "session loader (in process)": ["registered", "host"],
  "reminder mail": ["registered"],
  // The host's own feed has the sessions they host, with the link.
  "private calendar feed": ["registered", "host"],
};

// Places that do not name the session at all (pictures; mails that are not about it).
const absent = new Set(["session preview card", "initiative preview card", "all mail to the viewer except the reminder", "digest mail", "digest page", "log entries (database)"]);

describe("the meeting link", () => {
  const cases = Object.keys(places).flatMap((place) => viewers.map((viewer) => [place, viewer, (allowed[place] ?? []).includes(viewer)] as const));
  it.each(cases)("%s, seen by the %s: link shown = %s", async (place, viewer, shown) => {
    const text = await places[place](people[viewer]);
    // The place does show the session (so "no link" means something), except where it never goes.
    const onlyFor = place === "reminder mail" ? ["registered"] : place === "private calendar feed" ? ["registered", "waitlisted", "host"] : viewers;
    if (!absent.has(place) && onlyFor.includes(viewer)) {
      expect(text, "the session is there").toContain("Online intervisie");
    }
    if (shown) expect(text).toContain(link);
    else expect(text).not.toContain(link.slice(-12));
  });

  it("is named as online everywhere the session shows, and the waiting member is told it comes with a place", async () => {
    const waiting = await places["session page (HTML)"](people.waitlisted);
    expect(waiting).toContain("Online");
    expect(waiting).toContain("De link naar het online gesprek zie je hier als je je hebt ingeschreven.");
    const feed = await places["private calendar feed"](people.registered);
    expect(feed).toMatch(/LOCATION:https:\/\/meet\.example\.org/);
    expect(await places["agenda.ics"](null)).toContain("LOCATION:Online");
    // The host is told to show the check-in code in the call.
    expect(await places["session page (HTML)"](people.host)).toContain("laat de incheckcode zien in het gesprek");
  });
});
