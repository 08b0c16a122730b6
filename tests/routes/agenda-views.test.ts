// The agenda's week and month views and the session page's "add to calendar" links, through the real
// server (build/index.js, `npx remix build` first) on this test's own database: the grid puts each
// session on its day, marks today, pages through months and weeks, keeps the list's filters, and
// never shows a hidden initiative or a cancelled session; the calendar links carry the session's
// public facts and never its meeting link.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { addDays, isoWeekOf, isoWeekText, localDate } from "~/lib/month-grid";
import { register } from "~/models/registrations.server";
import { addSession, cancelSession, sessionInput } from "~/models/sessions.server";
import { initiativeBy, zone } from "../support/fixtures";
import { memberWithSession } from "../support/requests";
import { startServer, type RunningServer } from "../support/server";

const meetingLink = "https://meet.example.org/agenda-Zq81";
let server: RunningServer;
let host: { id: string; cookie: string };
let participant: { id: string; cookie: string };
// A month two months ahead, so every session in it is upcoming whatever today is.
const target = localDate(Date.now() + 62 * 86_400_000, zone).slice(0, 7);
const ids = {} as Record<"course" | "morning" | "activity" | "online" | "hidden" | "cancelled" | "busy1" | "busy5", number>;

function session(initiativeId: number, day: string, from: string, until: string, extra: Record<string, string> = {}) {
  const fields = { startsAt: `${target}-${day}T${from}`, endsAt: `${target}-${day}T${until}`, place: "Buurthuis De Linde", capacity: "", ...extra };
  return addSession(initiativeId, host.id, sessionInput({ now: new Date(), creating: true }).parse(fields), new Date(), { newcomerLimit: false });
}

beforeAll(async () => {
  [host, participant] = await Promise.all([memberWithSession("Kartrekker Kalender"), memberWithSession("Deelnemer Kalender")]);
  const course = initiativeBy(host.id, { title: "Cursus Maandrooster", kind: "course", tags: "buurt, taal", summary: "Vier avonden over het rooster." });
  const activity = initiativeBy(host.id, { title: "Wandeling Weekoverzicht", kind: "activity", tags: "natuur" });
  const hidden = initiativeBy(host.id, { title: "Verborgen Verkoopavond", kind: "activity" });
  ids.course = session(course, "10", "19:30", "21:30");
  ids.morning = session(course, "10", "09:00", "10:00");
  ids.activity = session(activity, "17", "14:00", "16:00");
  ids.online = session(activity, "18", "20:00", "21:00", { mode: "online", onlineUrl: meetingLink, place: "" });
  ids.hidden = session(hidden, "12", "10:00", "11:00");
  ids.cancelled = session(activity, "19", "10:00", "11:00");
  cancelSession(ids.cancelled, host.id);
  db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()}, hidden_rule = 'Geen verkoop' WHERE id = ${hidden}`);
  // Five on one day: the month shows four and links the fifth to the week.
  const busy = initiativeBy(host.id, { title: "Druk Dagje", kind: "activity" });
  for (let i = 1; i <= 5; i++) ids[`busy${i}` as "busy1"] = session(busy, "24", `1${i}:00`, `1${i}:30`);
  register(ids.online, participant.id);
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, DATA_DIR: process.env.DATA_DIR!, SCHEDULER_INTERVAL_MS: "3600000" });
});

afterAll(async () => {
  await server?.stop();
});

async function page(path: string, cookie?: string) {
  const response = await fetch(server.url + path, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
  expect(response.status, path).toBe(200);
  return response.text();
}

/** The month table's cells, each with its date (from the day's full label) and its session links. */
function cells(html: string) {
  const table = /<table class="month-grid">[\s\S]*?<\/table>/.exec(html)![0];
  return [...table.matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)].map(([, attributes, inner]) => ({
    attributes,
    label: /<span class="day-full">([^<]*)<\/span>/.exec(inner)![1],
    sessions: [...inner.matchAll(/href="\/sessions\/(\d+)"/g)].map((m) => Number(m[1])),
    inner,
  }));
}

const monthName = (month: string) => new Intl.DateTimeFormat("nl-NL", { month: "long", timeZone: "UTC" }).format(new Date(`${month}-15T12:00:00Z`));

describe("the month view", () => {
  it("is a table with a caption and weekday headers, with each session on its day, in time order", async () => {
    const html = await page(`/agenda?view=month&month=${target}`);
    expect(html).toMatch(/<caption>[^<]*\d{4}<\/caption>/);
    expect(html.match(/<th scope="col">/g)).toHaveLength(7);
    expect(html).toContain('<span class="visually-hidden">maandag</span>');
    const all = cells(html);
    expect(all.length % 7).toBe(0);
    const tenth = all.find((c) => c.label.endsWith(`10 ${monthName(target)}`))!;
    expect(tenth.sessions).toEqual([ids.morning, ids.course]);
    expect(all.find((c) => c.label.endsWith(`17 ${monthName(target)}`))!.sessions).toEqual([ids.activity]);
    expect(tenth.inner).toContain("09:00");
    expect(tenth.inner).toContain("Cursus Maandrooster");
  });

  it("leaves out hidden initiatives and cancelled sessions, for visitors and members alike", async () => {
    for (const cookie of [undefined, host.cookie, participant.cookie]) {
      const html = await page(`/agenda?view=month&month=${target}`, cookie);
      expect(html).not.toContain("Verborgen Verkoopavond");
      expect(html).not.toContain(`/sessions/${ids.hidden}"`);
      expect(html).not.toContain(`/sessions/${ids.cancelled}"`);
      expect(html).toContain(`/sessions/${ids.activity}"`);
      expect(html).not.toContain(meetingLink);
    }
  });

  it("shows four sessions in a day and links the rest to that day in the week view", async () => {
    const html = await page(`/agenda?view=month&month=${target}`);
    const busy = cells(html).find((c) => c.label.endsWith(`24 ${monthName(target)}`))!;
    // Added one after the other: their ids follow each other.
    expect(busy.sessions).toEqual([0, 1, 2, 3].map((i) => ids.busy1 + i));
    expect(busy.inner).toContain("nog 1 bijeenkomst");
    expect(busy.inner).toContain(`href="/agenda?view=week&amp;date=${target}-24#d-${target}-24"`);
    const week = await page(`/agenda?view=week&date=${target}-24`);
    expect(week).toContain(`id="d-${target}-24"`);
    expect(week).toContain(`/sessions/${ids.busy5}"`);
  });

  it("marks today, once, with aria-current=\"date\" and a visible word", async () => {
    const today = localDate(Date.now(), zone);
    const html = await page("/agenda?view=month");
    const marked = cells(html).filter((c) => c.attributes.includes('aria-current="date"'));
    expect(marked).toHaveLength(1);
    expect(marked[0].attributes).toContain("today");
    expect(marked[0].inner).toContain('<strong class="today-mark">vandaag</strong>');
    expect(marked[0].label).toContain(String(Number(today.slice(8))));
    // Another month has no today.
    expect(await page(`/agenda?view=month&month=${target}`)).not.toContain('aria-current="date"');
  });

  it("links the previous and next month, across a year, keeping the filters", async () => {
    const html = await page("/agenda?view=month&month=2027-01&tag=buurt&kind=course");
    expect(html).toContain('href="/agenda?view=month&amp;month=2026-12&amp;kind=course&amp;tag=buurt"');
    expect(html).toContain('href="/agenda?view=month&amp;month=2027-02&amp;kind=course&amp;tag=buurt"');
    // The filter form keeps the view and the month.
    expect(html).toMatch(/<input type="hidden" name="view" value="month"\/>/);
    expect(html).toMatch(/<input type="hidden" name="month" value="2027-01"\/>/);
    // The switch to the list and the week keeps the filters too.
    expect(html).toContain('href="/agenda?kind=course&amp;tag=buurt"');
    expect(html).toMatch(/href="\/agenda\?view=week&amp;week=2026-W53&amp;kind=course&amp;tag=buurt"/);
  });

  it("filters like the list: tag, kind, where, and words", async () => {
    const shown = async (query: string) => {
      const html = await page(`/agenda?view=month&month=${target}&${query}`);
      return cells(html).flatMap((c) => c.sessions);
    };
    expect(await shown("tag=buurt")).toEqual([ids.morning, ids.course]);
    expect(await shown("kind=course")).toEqual([ids.morning, ids.course]);
    expect(await shown("tag=natuur&mode=online")).toEqual([ids.online]);
    expect(await shown("tag=natuur&mode=onsite")).toEqual([ids.activity]);
    expect(await shown("q=weekoverzicht")).toEqual([ids.activity, ids.online]);
    expect(await shown("q=bestaatniet")).toEqual([]);
    expect(await page(`/agenda?view=month&month=${target}&q=bestaatniet`)).toContain("Er zijn geen bijeenkomsten in");
  });
});

describe("the week view", () => {
  it("lists Monday to Sunday as rows, with the sessions of each day and today marked", async () => {
    const tenth = `${target}-10`;
    const week = isoWeekText(isoWeekOf(tenth));
    const html = await page(`/agenda?view=week&week=${week}`);
    expect(html.match(/<th scope="row">/g)).toHaveLength(7);
    expect(html).toMatch(new RegExp(`<caption>Week ${Number(week.slice(6))} · `));
    const row = new RegExp(`<tr id="d-${tenth}"[^>]*>([\\s\\S]*?)</tr>`).exec(html)![1];
    expect([...row.matchAll(/href="\/sessions\/(\d+)"/g)].map((m) => Number(m[1]))).toEqual([ids.morning, ids.course]);
    expect(row).toContain("19:30–21:30");
    // The weeks before and after; ?date= finds the same week.
    const monday = addDays(tenth, -((new Date(`${tenth}T12:00:00Z`).getUTCDay() + 6) % 7));
    expect(html).toContain(`week=${isoWeekText(isoWeekOf(addDays(monday, -7)))}`);
    expect(html).toContain(`week=${isoWeekText(isoWeekOf(addDays(monday, 7)))}`);
    expect(await page(`/agenda?view=week&date=${tenth}`)).toContain(`<tr id="d-${tenth}"`);
    const now = await page("/agenda?view=week");
    expect(now.match(/aria-current="date"/g)).toHaveLength(1);
    expect(now).toContain(`<tr id="d-${localDate(Date.now(), zone)}" class="today" aria-current="date">`);
  });

  it("leaves out hidden initiatives and cancelled sessions", async () => {
    const html = await page(`/agenda?view=week&date=${target}-12`);
    expect(html).not.toContain("Verborgen Verkoopavond");
    expect(html).not.toContain(`/sessions/${ids.cancelled}"`);
  });
});

describe("the list view", () => {
  it("keeps its cards, paging and filters, and points feed readers to the JSON Feed", async () => {
    const html = await page("/agenda?tag=buurt");
    expect(html).toContain('<ol class="agenda">');
    expect(html).toContain("Cursus Maandrooster");
    expect(html).not.toContain("Wandeling Weekoverzicht");
    expect(html).toContain('<link rel="alternate" type="application/feed+json" href="/agenda.json"');
    expect(html).toMatch(/<a aria-current="page"[^>]*href="\/agenda\?tag=buurt">Lijst<\/a>/);
  });

  it("lists the coming sessions of words many initiatives share in time order, page after page, and no others", async () => {
    // 25 initiatives with the word, made in an order unlike their sessions' dates, each beside one
    // without it on the same day; the list reads sessions in time order and filters by the words.
    // In a month of their own, two months after the one the other tests look at.
    const month = localDate(Date.now() + 124 * 86_400_000, zone).slice(0, 7);
    const session = (initiativeId: number, day: string, from: string, until: string) =>
      addSession(initiativeId, host.id, sessionInput({ now: new Date(), creating: true }).parse({ startsAt: `${month}-${day}T${from}`, endsAt: `${month}-${day}T${until}`, place: "Wijkcentrum Oost", capacity: "" }), new Date(), { newcomerLimit: false });
    const expected: { id: number; day: string }[] = [];
    for (let k = 0; k < 25; k++) {
      const day = String(1 + ((k * 11) % 28)).padStart(2, "0");
      const matching = initiativeBy(host.id, { title: `Zoekavond Lijstwoord ${k}`, kind: "activity" });
      expected.push({ id: session(matching, day, "18:00", "19:00"), day });
      session(initiativeBy(host.id, { title: `Andere Avond ${k}`, kind: "activity" }), day, "17:00", "18:30");
    }
    const cancelled = session(initiativeBy(host.id, { title: "Afgelast Lijstwoord", kind: "activity" }), "05", "12:00", "13:00");
    cancelSession(cancelled, host.id);
    expected.sort((a, b) => a.day.localeCompare(b.day));

    const listed: number[] = [];
    let path: string | null = "/agenda?q=lijstwoord";
    for (let pages = 0; path && pages < 5; pages++) {
      const html = await page(path, host.cookie);
      const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
      listed.push(...[...main.matchAll(/href="\/sessions\/(\d+)"/g)].map((m) => Number(m[1])));
      const later = /href="(\/agenda\?[^"]*after=[^"]*)"/.exec(main);
      path = later ? later[1].replaceAll("&amp;", "&") : null;
    }
    expect([...new Set(listed)]).toEqual(expected.map((e) => e.id));
  });
});

describe("add to calendar", () => {
  const links = (html: string) => ({
    google: /href="(https:\/\/calendar\.google\.com\/[^"]+)"/.exec(html)?.[1].replace(/&amp;/g, "&") ?? null,
    outlook: /href="(https:\/\/outlook\.live\.com\/[^"]+)"/.exec(html)?.[1].replace(/&amp;/g, "&") ?? null,
  });

  it("offers Google Calendar and Outlook.com filled in from the session's facts", async () => {
    const { google, outlook } = links(await page(`/sessions/${ids.course}`));
    const g = new URL(google!);
    expect(g.searchParams.get("action")).toBe("TEMPLATE");
    expect(g.searchParams.get("text")).toBe("Cursus Maandrooster");
    expect(g.searchParams.get("dates")).toMatch(/^\d{8}T\d{6}Z\/\d{8}T\d{6}Z$/);
    const [from, until] = g.searchParams.get("dates")!.split("/");
    const instant = (compact: string) => Date.parse(compact.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
    expect(until > from).toBe(true);
    expect(localDate(instant(from), zone)).toBe(`${target}-10`);
    expect(new Intl.DateTimeFormat("nl-NL", { timeZone: zone, hour: "2-digit", minute: "2-digit" }).format(instant(from))).toBe("19:30");
    expect(instant(until) - instant(from)).toBe(2 * 3_600_000);
    expect(g.searchParams.get("details")).toContain("Vier avonden over het rooster.");
    expect(g.searchParams.get("details")).toContain(`${server.url}/sessions/${ids.course}`);
    expect(g.searchParams.get("location")).toBe("Buurthuis De Linde");
    const o = new URL(outlook!);
    expect(o.searchParams.get("path")).toBe("/calendar/action/compose");
    expect(o.searchParams.get("rru")).toBe("addevent");
    expect(o.searchParams.get("subject")).toBe("Cursus Maandrooster");
    expect(Date.parse(o.searchParams.get("startdt")!)).toBe(instant(from));
    expect(Date.parse(o.searchParams.get("enddt")!)).toBe(instant(until));
    expect(o.searchParams.get("body")).toBe(g.searchParams.get("details"));
    // Plain links: no script from Google or Microsoft on the page.
    const html = await page(`/sessions/${ids.course}`);
    expect(html).not.toMatch(/<script[^>]+src="https?:\/\/(?!127\.0\.0\.1)/);
  });

  it("never carries the meeting link, not even for a participant who may see it on the page", async () => {
    for (const cookie of [undefined, participant.cookie, host.cookie]) {
      const html = await page(`/sessions/${ids.online}`, cookie);
      const { google, outlook } = links(html);
      expect(google).not.toBeNull();
      expect(decodeURIComponent(google!)).not.toContain("meet.example.org");
      expect(decodeURIComponent(outlook!)).not.toContain("meet.example.org");
      expect(new URL(google!).searchParams.get("location")).toBe("Online");
    }
    // The participant does see the link on the page itself.
    expect(await page(`/sessions/${ids.online}`, participant.cookie)).toContain(meetingLink);
  });

  it("is not offered for a hidden initiative or a cancelled session", async () => {
    for (const id of [ids.hidden, ids.cancelled]) {
      for (const cookie of [undefined, host.cookie]) {
        const html = await page(`/sessions/${id}`, cookie);
        expect(links(html)).toEqual({ google: null, outlook: null });
      }
    }
  });
});
