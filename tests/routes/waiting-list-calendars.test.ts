// What people on the waiting list and people whose sessions move are told, through the real
// server, a real SMTP server (mails parsed by mailparser) and their calendars (ical.js, node-ical):
// a waiting-list date is tentative and says "(wachtlijst)" in the mail's calendar file and in the
// personal feed, and turns confirmed under the same UID when a place comes free; "sign up for all"
// says so when every session is full, and its mail fits what happened; moving a series sends one
// mail per participant with every date's old and new time and one calendar file.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import ICAL from "ical.js";
import ical from "node-ical";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";
import { startSmtp } from "../support/smtp";

const databasePath = path.join(os.tmpdir(), `meedoen-waitlist-${randomBytes(4).toString("hex")}.sqlite`);
const hour = 3_600_000;
const day = 24 * hour;
let server: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let sqlite: ReturnType<typeof openServerDatabase>;

/** A port nobody listens on, so the server can be told its public address before it starts. */
async function freePort() {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  smtp = await startSmtp();
  // As in production: PUBLIC_URL set, so mails and feeds name the same host in their UIDs.
  const port = await freePort();
  server = await startServer({ DATABASE_PATH: databasePath, SMTP_URL: smtp.url, SCHEDULER_INTERVAL_MS: "200", PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });
  sqlite = openServerDatabase(databasePath);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
  await smtp?.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
  rmSync(`${databasePath}.data`, { recursive: true, force: true });
});

type Member = { id: string; cookie: string };
const emailOf = (m: Member) => `${m.id}@example.org`;

function post(pathname: string, fields: Record<string, string>, cookie: string) {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields).toString(),
  });
}
const page = async (pathname: string, cookie: string) => {
  const response = await fetch(`${server.url}${pathname}`, { headers: { Cookie: cookie } });
  expect(response.status).toBe(200);
  return response.text();
};

async function waitFor(check: () => boolean, ms = 15_000) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return check();
}

/** The mails to a member whose subject starts so, once the server has sent them, parsed. */
async function mailsTo(member: Member, subject: string, count = 1): Promise<ParsedMail[]> {
  const matching = () => smtp.received.filter((m) => m.to.includes(emailOf(member)) && m.subject.startsWith(subject));
  expect(await waitFor(() => matching().length >= count), `${count} mail(s) "${subject}…" to ${member.id}`).toBe(true);
  return Promise.all(matching().map((m) => simpleParser(m.raw)));
}

type Event = { uid: string; summary: string; status: string; start: number; end: number; location: string; url: string; sequence: number };
/** The events of a calendar file, read by ical.js; node-ical must read the same. */
function eventsOf(text: string): Event[] {
  const events = ICAL.Component.fromString(text)
    .getAllSubcomponents("vevent")
    .map((e) => ({
      uid: String(e.getFirstPropertyValue("uid")),
      summary: String(e.getFirstPropertyValue("summary")),
      status: String(e.getFirstPropertyValue("status")),
      start: (e.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().getTime(),
      end: (e.getFirstPropertyValue("dtend") as ICAL.Time).toJSDate().getTime(),
      location: String(e.getFirstPropertyValue("location") ?? ""),
      url: String(e.getFirstPropertyValue("url") ?? ""),
      sequence: Number(e.getFirstPropertyValue("sequence")),
    }))
    .sort((a, b) => a.start - b.start);
  const parsed = Object.values(ical.sync.parseICS(text)).filter((c): c is ical.VEvent => c?.type === "VEVENT");
  expect(parsed.map((e) => ({ uid: e.uid, status: e.status, summary: String(e.summary) })).sort((a, b) => a.uid.localeCompare(b.uid))).toEqual(
    events.map((e) => ({ uid: e.uid, status: e.status, summary: e.summary })).sort((a, b) => a.uid.localeCompare(b.uid)),
  );
  return events;
}
const attachedEvents = (mail: ParsedMail) => {
  expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([["meedoen.ics", "text/calendar"]]);
  return eventsOf(mail.attachments[0].content.toString("utf8"));
};
const uidOf = (sessionId: number) => `session-${sessionId}@${new URL(server.url).host}`;

async function feedOf(member: Member) {
  const token = randomBytes(24).toString("base64url");
  sqlite.prepare("UPDATE members SET calendar_token = ? WHERE id = ?").run(token, member.id);
  return async () => {
    const response = await fetch(`${server.url}/calendar/${token}.ics`);
    expect(response.status).toBe(200);
    return eventsOf(await response.text());
  };
}

/** A course hosted by `host`, with a two-hour session (19:00 in winter time) a week apart for each capacity. */
function course(host: Member, title: string, capacities: (number | null)[]) {
  const now = Date.now();
  const initiativeId = sqlite
    .prepare("INSERT INTO initiatives (title, summary, body, kind, updated_at, created_by) VALUES (?, 'Samen leren', '', 'course', ?, ?) RETURNING id")
    .pluck()
    .get(title, now, host.id) as number;
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiativeId, host.id, now, now);
  const first = Math.ceil((now + 3 * day) / day) * day + 18 * hour;
  const sessionIds = capacities.map(
    (capacity, i) =>
      sqlite
        .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, capacity, checkin_code, announced_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'ACDEFG', ?, ?, ?) RETURNING id")
        .pluck()
        .get(initiativeId, first + i * 7 * day, first + i * 7 * day + 2 * hour, `Zaal ${i + 1}`, capacity, now, now, now) as number,
  );
  return { initiativeId, sessionIds };
}

const statusIn = (sessionId: number, member: Member) =>
  (sqlite.prepare("SELECT status FROM registrations WHERE session_id = ? AND member_id = ?").pluck().get(sessionId, member.id) as string | undefined) ?? null;

describe("the waiting list in calendars", () => {
  it("puts waiting-list dates in the enrolment mail's file and the feed as tentative, and confirms one when a place comes free, under the same UID", async () => {
    const [host, learner, ...fillers] = insertMembers(sqlite, 5, "wl");
    const { initiativeId, sessionIds } = course(host, "Verbinden en veranderen", [1, 1, 1]);
    for (const [i, id] of sessionIds.entries()) expect((await post(`/sessions/${id}/register`, {}, fillers[i].cookie)).status).toBe(303);

    const feed = await feedOf(learner);
    expect((await post(`/initiatives/${initiativeId}/enrol`, {}, learner.cookie)).status).toBe(303);
    expect(sessionIds.map((id) => statusIn(id, learner))).toEqual(["waitlisted", "waitlisted", "waitlisted"]);

    // The enrolment mail (whatever its subject) carries every date, each tentative and marked.
    const [mail] = await mailsTo(learner, "");
    const attached = attachedEvents(mail);
    expect(attached.map((e) => e.uid)).toEqual(sessionIds.map(uidOf));
    expect(attached.map((e) => [e.status, e.summary])).toEqual(sessionIds.map(() => ["TENTATIVE", "Verbinden en veranderen (wachtlijst)"]));
    const before = await feed();
    expect(before.map((e) => [e.uid, e.status, e.summary])).toEqual(sessionIds.map((id) => [uidOf(id), "TENTATIVE", "Verbinden en veranderen (wachtlijst)"]));

    // Its words: no place anywhere, so no promise of one.
    expect(mail.subject).toBe("Op de wachtlijst voor Verbinden en veranderen");
    expect(mail.text).toContain("Alle bijeenkomsten van de cursus Verbinden en veranderen zijn vol. Je hebt nog geen plek");
    expect(mail.text!.match(/: op de wachtlijst \(plaats 1\) · plaats: Zaal \d/g)).toHaveLength(3);
    expect(mail.text).not.toContain(": aangemeld");
    expect(mail.text).not.toContain("dan gaat je plek naar iemand op de wachtlijst");
    expect(mail.text).toContain("Wil je voor een bijeenkomst niet meer op de wachtlijst staan?");

    // A minute passes: the sessions and the sign-ups were made a minute ago.
    sqlite.prepare(`UPDATE sessions SET created_at = created_at - 60000, updated_at = updated_at - 60000 WHERE id IN (${sessionIds.join(",")})`).run();
    sqlite.prepare(`UPDATE registrations SET updated_at = updated_at - 60000 WHERE session_id IN (${sessionIds.join(",")})`).run();
    const waiting = await feed();
    // The second session's filler withdraws: the learner moves up, and is told with the event.
    expect((await post(`/sessions/${sessionIds[1]}/cancel`, { confirmed: "yes" }, fillers[1].cookie)).status).toBe(303);
    expect(statusIn(sessionIds[1], learner)).toBe("registered");
    const [promoted] = await mailsTo(learner, "Er is een plek vrij");
    expect(promoted.text).toContain("nu als vaste afspraak");
    expect(attachedEvents(promoted).map((e) => [e.uid, e.status, e.summary, e.location, e.url])).toEqual([
      [uidOf(sessionIds[1]), "CONFIRMED", "Verbinden en veranderen", "Zaal 2", `${server.url}/sessions/${sessionIds[1]}`],
    ]);
    // A higher SEQUENCE than the tentative event it replaces: a calendar app importing the file
    // takes it over the one it has.
    expect(attachedEvents(promoted)[0].sequence).toBeGreaterThan(waiting[1].sequence);

    // The feed, read again, shows that date confirmed: the same three UIDs, nothing added.
    const after = await feed();
    expect(after.map((e) => e.url)).toEqual(sessionIds.map((id) => `${server.url}/sessions/${id}`));
    expect(after.map((e) => [e.uid, e.status, e.summary])).toEqual([
      [uidOf(sessionIds[0]), "TENTATIVE", "Verbinden en veranderen (wachtlijst)"],
      [uidOf(sessionIds[1]), "CONFIRMED", "Verbinden en veranderen"],
      [uidOf(sessionIds[2]), "TENTATIVE", "Verbinden en veranderen (wachtlijst)"],
    ]);
    expect(after.map((e) => e.sequence > waiting[after.indexOf(e)].sequence)).toEqual([false, true, false]);
  });
});

describe("sign up for all sessions", () => {
  it.each([
    {
      name: "with a place everywhere",
      title: "Alles vrij",
      capacities: [null, 5],
      button: "Inschrijven voor alle bijeenkomsten",
      hint: "Je schrijft je in één keer in voor alle 2 komende bijeenkomsten van deze cursus.",
      subject: "Aangemeld voor Alles vrij",
      states: ["aangemeld", "aangemeld"],
      tentative: 0,
    },
    {
      name: "with some sessions full",
      title: "Deels vol",
      capacities: [1, null, 1],
      button: "Inschrijven voor alle bijeenkomsten",
      hint: "Je schrijft je in één keer in voor alle 3 komende bijeenkomsten van deze cursus. 2 daarvan zijn vol: daarvoor kom je op de wachtlijst.",
      subject: "Aangemeld voor Deels vol, deels op de wachtlijst",
      states: ["op de wachtlijst (plaats 1)", "aangemeld", "op de wachtlijst (plaats 1)"],
      tentative: 2,
    },
    {
      name: "with every session full",
      title: "Alles vol",
      capacities: [1, 1],
      button: "Op de wachtlijst voor alle bijeenkomsten",
      hint: "Alle komende bijeenkomsten zijn vol. Je komt in één keer op de wachtlijst voor alle 2 bijeenkomsten",
      subject: "Op de wachtlijst voor Alles vol",
      states: ["op de wachtlijst (plaats 1)", "op de wachtlijst (plaats 1)"],
      tentative: 2,
    },
  ])("$name: the button, its hint and the mail say what happens", async ({ title, capacities, button, hint, subject, states, tentative }) => {
    const [host, learner, filler] = insertMembers(sqlite, 3, `all${capacities.length}${tentative}`);
    const { initiativeId, sessionIds } = course(host, title, capacities);
    for (const [i, id] of sessionIds.entries()) if (capacities[i] === 1) expect((await post(`/sessions/${id}/register`, {}, filler.cookie)).status).toBe(303);

    const html = await page(`/initiatives/${initiativeId}`, learner.cookie);
    const form = html.match(/<form[^>]*action="\/initiatives\/\d+\/enrol"[\s\S]*?<\/form>/)?.[0] ?? "";
    expect(form).toContain(button);
    expect(form).toContain(hint);

    expect((await post(`/initiatives/${initiativeId}/enrol`, {}, learner.cookie)).status).toBe(303);
    const [mail] = await mailsTo(learner, subject.split(",")[0]);
    expect(mail.subject).toBe(subject);
    expect([...mail.text!.matchAll(/^- .*?: (aangemeld|op de wachtlijst \(plaats \d\))/gm)].map((m) => m[1])).toEqual(states);
    const events = attachedEvents(mail);
    expect(events.map((e) => e.uid)).toEqual(sessionIds.map(uidOf));
    expect(events.filter((e) => e.status === "TENTATIVE" && e.summary === `${title} (wachtlijst)`)).toHaveLength(tentative);
    expect(events.filter((e) => e.status === "CONFIRMED" && e.summary === title)).toHaveLength(capacities.length - tentative);
  });
});

describe("moving sessions", () => {
  const zone = "Europe/Amsterdam";
  const local = (ms: number) => new Intl.DateTimeFormat("sv-SE", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(ms).replace(" ", "T");
  const sessionsOf = (initiativeId: number) =>
    sqlite.prepare("SELECT id, starts_at, ends_at, place FROM sessions WHERE initiative_id = ? ORDER BY starts_at").all(initiativeId) as { id: number; starts_at: number; ends_at: number; place: string }[];
  const changeMails = (member: Member) => sqlite.prepare("SELECT count(*) FROM outbox WHERE member_id = ? AND kind = 'session-changed'").pluck().get(member.id) as number;

  it("tells each participant once about a moved series, with every date's old and new time and place, and a calendar file with the same UIDs", async () => {
    const [host, ann, bob] = insertMembers(sqlite, 3, "move");
    const initiativeId = sqlite
      .prepare("INSERT INTO initiatives (title, summary, body, kind, updated_at, created_by) VALUES ('Twaalf weken samen', 'Een reeks', '', 'course', ?, ?) RETURNING id")
      .pluck()
      .get(Date.now(), host.id) as number;
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiativeId, host.id, Date.now(), Date.now());
    const year = new Date().getUTCFullYear() + 1;
    const added = await post(`/initiatives/${initiativeId}/sessions`, { startsAt: `${year}-02-02T19:00`, endsAt: `${year}-02-02T21:00`, place: "Buurthuis", capacity: "1", repeat: "weekly", count: "4" }, host.cookie);
    expect(added.status).toBe(303);
    const series = sessionsOf(initiativeId);
    expect(series).toHaveLength(4);
    // Ann has a place on every date; Bob waits for the last one only.
    expect((await post(`/initiatives/${initiativeId}/enrol`, {}, ann.cookie)).status).toBe(303);
    expect((await post(`/sessions/${series[3].id}/register`, {}, bob.cookie)).status).toBe(303);
    expect(statusIn(series[3].id, bob)).toBe("waitlisted");
    const oldUids = series.map((s) => uidOf(s.id));

    // The second date and all later ones: half an hour later, in the library.
    const startsAt = `${local(series[1].starts_at).slice(0, 10)}T19:30`;
    const moved = await post(`/sessions/${series[1].id}/edit`, { startsAt, endsAt: startsAt.replace("19:30", "21:30"), place: "Bibliotheek", capacity: "1", mode: "onsite", scope: "later" }, host.cookie);
    expect(moved.status).toBe(303);
    expect(sessionsOf(initiativeId).map((s) => [local(s.starts_at).slice(11), local(s.ends_at).slice(11), s.place])).toEqual([
      ["19:00", "21:00", "Buurthuis"],
      ["19:30", "21:30", "Bibliotheek"],
      ["19:30", "21:30", "Bibliotheek"],
      ["19:30", "21:30", "Bibliotheek"],
    ]);
    // One mail each, however many dates moved.
    expect(changeMails(ann)).toBe(1);
    expect(changeMails(bob)).toBe(1);

    const [annMail] = await mailsTo(ann, "Gewijzigd: Twaalf weken samen");
    expect(annMail.subject).toBe("Gewijzigd: Twaalf weken samen");
    expect(annMail.text).toContain("3 bijeenkomsten van Twaalf weken samen zijn gewijzigd:");
    const blocks = annMail.text!.split(/\n\n/).filter((b) => b.startsWith("Was: "));
    expect(blocks).toHaveLength(3);
    for (const [i, block] of blocks.entries()) {
      const date = new Intl.DateTimeFormat("nl-NL", { timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(series[i + 1].starts_at);
      expect(block).toBe(`Was: ${date}, 19:00–21:00\nWordt: ${date}, 19:30–21:30\nNieuwe plaats: Bibliotheek (was: Buurthuis)`);
    }
    const annEvents = attachedEvents(annMail);
    expect(annEvents.map((e) => e.uid)).toEqual(oldUids.slice(1));
    expect(annEvents.map((e) => [e.status, e.location, e.end - e.start])).toEqual(oldUids.slice(1).map(() => ["CONFIRMED", "Bibliotheek", 2 * hour]));
    expect(annEvents.map((e) => e.start)).toEqual(sessionsOf(initiativeId).slice(1).map((s) => s.starts_at));

    // Bob waits for one date: his mail lists that one, and his calendar keeps it tentative.
    const [bobMail] = await mailsTo(bob, "Gewijzigd: Twaalf weken samen");
    expect(bobMail.text).toContain("De bijeenkomst van Twaalf weken samen is gewijzigd:");
    expect(bobMail.text!.split(/\n\n/).filter((b) => b.startsWith("Was: "))).toHaveLength(1);
    expect(attachedEvents(bobMail).map((e) => [e.uid, e.status, e.summary])).toEqual([[oldUids[3], "TENTATIVE", "Twaalf weken samen (wachtlijst)"]]);

    // One session alone: still one mail, with its old and new time.
    const first = sessionsOf(initiativeId)[0];
    const single = await post(`/sessions/${first.id}/edit`, { startsAt: local(first.starts_at), endsAt: local(first.ends_at + hour), place: "Buurthuis", capacity: "1", mode: "onsite", scope: "this" }, host.cookie);
    expect(single.status).toBe(303);
    expect(changeMails(ann)).toBe(2);
    const mails = await mailsTo(ann, "Gewijzigd: Twaalf weken samen", 2);
    const last = mails.find((m) => m.text!.includes("De bijeenkomst van Twaalf weken samen is gewijzigd:"))!;
    const date = new Intl.DateTimeFormat("nl-NL", { timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(first.starts_at);
    expect(last.text).toContain(`Was: ${date}, 19:00–21:00\nWordt: ${date}, 19:00–22:00\nPlaats: Buurthuis`);
    expect(attachedEvents(last).map((e) => [e.uid, e.end - e.start])).toEqual([[oldUids[0], 3 * hour]]);
  });
});
