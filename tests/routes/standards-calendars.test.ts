// Every calendar file the app serves, read the way strict readers read it: RFC 5545 line rules
// checked here (octet folding, TEXT escaping, PRODID, no METHOD), then parsed by ical.js and by
// node-ical, with text full of accents, emoji and the characters that need escaping.
import ICAL from "ical.js";
import ical from "node-ical";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { translate } from "~/lib/i18n";
import { parseLocalDateTime } from "~/lib/time";
import { renewCalendarToken } from "~/models/members.server";
import { register } from "~/models/registrations.server";
import { addSession, sessionInput } from "~/models/sessions.server";
import { loader as agendaIcs } from "~/routes/agenda[.ics]";
import { loader as privateFeed } from "~/routes/calendar.$token";
import { loader as initiativeIcs } from "~/routes/initiatives.$id_.calendar[.ics]";
import { loader as sessionIcs } from "~/routes/sessions.$id_.calendar[.ics]";
import { initiativeBy, zone } from "../support/fixtures";
import { context, getRequest, memberWithSession, origin, settle } from "../support/requests";

// X-WR-CALNAME and X-WR-CALDESC are TEXT by convention; ical.js only unescapes properties it knows.
ICAL.design.icalendar.property["x-wr-calname"] = { defaultType: "text" };
ICAL.design.icalendar.property["x-wr-caldesc"] = { defaultType: "text" };

// node-ical reads a literal backslash followed by "n" as a newline (its unescaping runs in the
// wrong order), so the data below has backslashes, but none before an "n".
const title = "Één café, thee; taart \\ Ærø — samen 🎉 👩🏽‍🏫, één; twee \\; drie, vier 👩🏽‍🏫 en nog één café";
const summary =
  "Koffie, thee; koek \\ Ærø 🎉.\nTweede regel: één, twee; drie.\n\nNa een lege regel: 👩🏽‍🏫 leert, wij leren; iedereen \\ welkom. " +
  "Ærø, één café; nog één café, nog één 🎉, en nog een paar woorden om de regel lang genoeg te maken.";
const place = "Café Één; zaal 3, Ærøstraat 12 \\ achterom 🎉\nBel aan bij 👩🏽‍🏫, tweede deur; één trap op, dan links, dan rechts.";
const organisation = "Stichting Één, Café; Ærø \\ Co 👩🏽‍🏫\nafdeling 🎉 één";
const memberName = "Zoë Ærø; één, \\ 👩🏽‍🏫 🎉";

const nextYear = new Date().getUTCFullYear() + 1;
const host = "localhost:3000";
let initiativeId: number, emptyInitiativeId: number;
let sessionId: number, secondId: number, cancelledId: number;
let token: string, emptyToken: string;
let memberDisplayName: string;
const starts: Record<number, number> = {};

beforeAll(async () => {
  const [organiser, member, idle] = await Promise.all([memberWithSession("Organiser"), memberWithSession(memberName), memberWithSession("Idle")]);
  memberDisplayName = member.displayName;
  initiativeId = initiativeBy(organiser.id, { title, summary });
  emptyInitiativeId = initiativeBy(organiser.id, { title: "Leeg; nog, niets \\ 🎉", summary: "Nog geen bijeenkomsten, één; twee." });
  const add = (day: string, time: string) => {
    const startsAt = `${nextYear}-${day}T${time}`;
    const id = addSession(
      initiativeId,
      organiser.id,
      sessionInput({ now: new Date(), creating: true }).parse({ startsAt, endsAt: `${nextYear}-${day}T23:00`, place, hostOrganisation: organisation, capacity: "" }),
    );
    // The form makes a place and an organisation one line (ADR 052); one stored before that may still hold a line
    // end, and the files must carry it whole.
    db().run(sql`UPDATE sessions SET place = ${place}, host_organisation = ${organisation} WHERE id = ${id}`);
    starts[id] = parseLocalDateTime(startsAt, zone)!.getTime();
    return id;
  };
  sessionId = add("02-10", "19:30");
  secondId = add("06-15", "20:00");
  cancelledId = add("09-01", "18:00");
  db().run(sql`UPDATE sessions SET cancelled_at = ${Date.now()} WHERE id = ${cancelledId}`);
  register(sessionId, member.id);
  register(secondId, member.id);
  token = renewCalendarToken(member.id)!;
  emptyToken = renewCalendarToken(idle.id)!;
});

type Served = { name: string; feed: boolean; bytes: Uint8Array; text: string };

async function served(name: string, feed: boolean, run: () => unknown): Promise<Served> {
  const response = (await settle(run)) as Response;
  expect(response.status, name).toBe(200);
  expect(response.headers.get("Content-Type"), name).toBe("text/calendar; charset=utf-8");
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { name, feed, bytes, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
}

const calendars = {
  agenda: () => served("agenda", true, () => agendaIcs({ request: getRequest("/agenda.ics"), context, params: {} })),
  personal: () => served("personal", true, () => privateFeed({ request: getRequest(`/calendar/${token}.ics`), context, params: { token: `${token}.ics` } })),
  personalEmpty: () =>
    served("personal, empty", true, () => privateFeed({ request: getRequest(`/calendar/${emptyToken}.ics`), context, params: { token: `${emptyToken}.ics` } })),
  initiative: () =>
    served("initiative", true, () => initiativeIcs({ request: getRequest(`/initiatives/${initiativeId}/calendar.ics`), context, params: { id: String(initiativeId) } })),
  initiativeEmpty: () =>
    served("initiative, empty", true, () =>
      initiativeIcs({ request: getRequest(`/initiatives/${emptyInitiativeId}/calendar.ics`), context, params: { id: String(emptyInitiativeId) } }),
    ),
  session: () => served("session", false, () => sessionIcs({ request: getRequest(`/sessions/${sessionId}/calendar.ics`), context, params: { id: String(sessionId) } })),
  cancelledSession: () =>
    served("cancelled session", false, () => sessionIcs({ request: getRequest(`/sessions/${cancelledId}/calendar.ics`), context, params: { id: String(cancelledId) } })),
};

const textProperties = new Set(["SUMMARY", "LOCATION", "DESCRIPTION", "COMMENT", "X-WR-CALNAME", "X-WR-CALDESC", "PRODID"]);

/** Where a TEXT value breaks RFC 5545 §3.3.11, or null. */
function badEscape(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === "\\") {
      if (!"\\;,nN".includes(value[i + 1] ?? "")) return `lone backslash at ${i}`;
      i++;
    } else if (c === ";" || c === ",") return `unescaped "${c}" at ${i}`;
    else if (c === "\n" || c === "\r") return `raw line break at ${i}`;
    else if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(c)) return `control character at ${i}`;
  }
  return null;
}

/** The strict line rules; returns the unfolded content lines. */
function checkLines({ name, feed, bytes, text }: Served): string[] {
  // Physical lines, as octets: every one ends in CRLF, holds at most 75 octets, and is whole UTF-8.
  const physical: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) throw new Error(`${name}: bare LF at octet ${i}`);
    if (bytes[i] === 0x0d) {
      expect(bytes[i + 1], `${name}: CR without LF at octet ${i}`).toBe(0x0a);
      physical.push(bytes.subarray(start, i));
      start = i + 2;
      i++;
    }
  }
  expect(start, `${name}: the file ends with CRLF`).toBe(bytes.length);
  const strict = new TextDecoder("utf-8", { fatal: true });
  const lines = physical.map((line, n) => {
    expect(line.length, `${name}: line ${n + 1} is ${line.length} octets`).toBeLessThanOrEqual(75);
    const decoded = strict.decode(line); // throws on a split UTF-8 sequence
    expect(decoded, `${name}: line ${n + 1} has a broken character`).not.toContain("\uFFFD");
    return decoded;
  });

  // Unfold: a continuation line begins with one space.
  const content: string[] = [];
  for (const line of lines) {
    expect(line, `${name}: empty line`).not.toBe("");
    if (line[0] === " " || line[0] === "\t") {
      expect(line[0], `${name}: continuation starts with a space`).toBe(" ");
      expect(content.length, `${name}: file starts with a continuation`).toBeGreaterThan(0);
      content[content.length - 1] += line.slice(1);
    } else content.push(line);
  }
  expect(text.endsWith("\r\n")).toBe(true);

  expect(content[0]).toBe("BEGIN:VCALENDAR");
  expect(content.at(-1)).toBe("END:VCALENDAR");
  expect(content, `${name}: VERSION`).toContain("VERSION:2.0");
  const prodids = content.filter((l) => l.startsWith("PRODID:"));
  expect(prodids, `${name}: one PRODID`).toHaveLength(1);
  expect(prodids[0].slice("PRODID:".length)).toMatch(/^-\/\/[^/]+\/\/[^/]+\/\/[A-Z]{2}$/);

  const firstEvent = content.indexOf("BEGIN:VEVENT");
  const header = firstEvent === -1 ? content : content.slice(0, firstEvent);
  if (feed) {
    expect(header, `${name}: REFRESH-INTERVAL`).toContain("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    expect(header, `${name}: X-PUBLISHED-TTL`).toContain("X-PUBLISHED-TTL:PT1H");
  }

  let inEvent = false;
  let event: string[] = [];
  const method = content.some((l) => /^METHOD[:;]/.test(l));
  for (const line of content) {
    const match = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*))*):(.*)$/.exec(line);
    expect(match, `${name}: not a content line: ${line}`).not.toBeNull();
    const [, property, , value] = match!;
    if (textProperties.has(property.toUpperCase())) expect(badEscape(value), `${name}: ${line}`).toBeNull();
    if (line === "BEGIN:VEVENT") [inEvent, event] = [true, []];
    else if (line === "END:VEVENT") {
      inEvent = false;
      for (const required of ["UID", "DTSTAMP", "DTSTART"]) expect(event.some((l) => l.startsWith(`${required}:`) || l.startsWith(`${required};`)), `${name}: ${required}`).toBe(true);
      // A METHOD makes the file an invitation (RFC 5546), which needs an organiser.
      if (method) expect(event.some((l) => /^ORGANIZER[:;]/.test(l)), `${name}: METHOD without ORGANIZER`).toBe(true);
    } else if (inEvent) event.push(line);
  }
  expect(method, `${name}: a published calendar has no METHOD`).toBe(false);
  return content;
}

type Expected = { id: number; summary: string };
const expectedDescription = (id: number) => [summary, organisation, `${origin}/sessions/${id}`].join("\n\n");

/** ical.js and node-ical read back exactly what was put in. */
function checkParsed({ name, text }: Served, calName: string, calDesc: string | null, events: Expected[]) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  expect(calendar.getFirstPropertyValue("x-wr-calname"), `${name}: ical.js calendar name`).toBe(calName);
  if (calDesc !== null) expect(calendar.getFirstPropertyValue("x-wr-caldesc"), `${name}: ical.js calendar description`).toBe(calDesc);
  const vevents = calendar.getAllSubcomponents("vevent");
  expect(vevents.map((e) => e.getFirstPropertyValue("uid")).sort()).toEqual(events.map((e) => `session-${e.id}@${host}`).sort());
  for (const expected of events) {
    const event = vevents.find((e) => e.getFirstPropertyValue("uid") === `session-${expected.id}@${host}`)!;
    expect(event.getFirstPropertyValue("summary"), `${name}: ical.js summary`).toBe(expected.summary);
    expect(event.getFirstPropertyValue("location"), `${name}: ical.js location`).toBe(place);
    expect(event.getFirstPropertyValue("description"), `${name}: ical.js description`).toBe(expectedDescription(expected.id));
    expect((event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().getTime()).toBe(starts[expected.id]);
  }

  const parsed = ical.sync.parseICS(text);
  const vcalendar = (parsed as unknown as { vcalendar?: Record<string, string> }).vcalendar ?? {};
  expect(vcalendar["WR-CALNAME"], `${name}: node-ical calendar name`).toBe(calName);
  if (calDesc !== null) expect(vcalendar["WR-CALDESC"], `${name}: node-ical calendar description`).toBe(calDesc);
  const nodeEvents = Object.values(parsed).filter((c): c is ical.VEvent => !!c && typeof c === "object" && (c as { type?: string }).type === "VEVENT");
  expect(nodeEvents.map((e) => e.uid).sort()).toEqual(events.map((e) => `session-${e.id}@${host}`).sort());
  for (const expected of events) {
    const event = nodeEvents.find((e) => e.uid === `session-${expected.id}@${host}`)!;
    expect(event.summary, `${name}: node-ical summary`).toBe(expected.summary);
    expect(event.location, `${name}: node-ical location`).toBe(place);
    expect(event.description, `${name}: node-ical description`).toBe(expectedDescription(expected.id));
    expect(new Date(event.start).getTime()).toBe(starts[expected.id]);
  }
}

describe("calendar files read by strict readers", () => {
  it("the network's agenda", async () => {
    const file = await calendars.agenda();
    checkLines(file);
    // Only upcoming, not cancelled sessions; other tests' data is not in this file's database.
    checkParsed(file, "Meedoen", translate("nl", "agenda.intro"), [
      { id: sessionId, summary: title },
      { id: secondId, summary: title },
    ]);
  });

  it("a member's personal feed, and an empty one", async () => {
    const file = await calendars.personal();
    checkLines(file);
    checkParsed(file, `Meedoen — ${memberDisplayName}`, translate("nl", "calendar.personal.description"), [
      { id: sessionId, summary: title },
      { id: secondId, summary: title },
    ]);
    const empty = await calendars.personalEmpty();
    checkLines(empty);
    checkParsed(empty, "Meedoen — Idle", translate("nl", "calendar.personal.description"), []);
  });

  it("an initiative's calendar, with a cancelled session, and one without sessions", async () => {
    const file = await calendars.initiative();
    const lines = checkLines(file);
    checkParsed(file, title, summary, [
      { id: sessionId, summary: title },
      { id: secondId, summary: title },
      { id: cancelledId, summary: `✕ ${title}` },
    ]);
    expect(lines).toContain("STATUS:CANCELLED");
    // The long values really were folded, more than once each.
    expect(file.text.split("\r\n").filter((l) => l.startsWith(" ")).length).toBeGreaterThan(3 * 6);
    const empty = await calendars.initiativeEmpty();
    checkLines(empty);
    checkParsed(empty, "Leeg; nog, niets \\ 🎉", "Nog geen bijeenkomsten, één; twee.", []);
  });

  it("a single session's download, also a cancelled one", async () => {
    const file = await calendars.session();
    checkLines(file);
    checkParsed(file, title, null, [{ id: sessionId, summary: title }]);
    const cancelled = await calendars.cancelledSession();
    checkLines(cancelled);
    checkParsed(cancelled, title, null, [{ id: cancelledId, summary: `✕ ${title}` }]);
  });

  it("folds by octets without splitting a character, whatever the text", async () => {
    // Every offset of a multi-octet character against the 75-octet limit.
    for (let pad = 0; pad < 8; pad++) {
      const padded = `${"x".repeat(pad)}${"é👩🏽‍🏫€".repeat(12)}`;
      db().run(sql`UPDATE initiatives SET title = ${padded} WHERE id = ${initiativeId}`);
      const file = await calendars.session();
      checkLines(file);
      const calendar = new ICAL.Component(ICAL.parse(file.text));
      expect(calendar.getFirstSubcomponent("vevent")!.getFirstPropertyValue("summary")).toBe(padded);
      expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe(padded);
    }
    db().run(sql`UPDATE initiatives SET title = ${title} WHERE id = ${initiativeId}`);
  });
});
