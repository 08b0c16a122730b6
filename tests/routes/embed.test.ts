// The agenda on other websites, through the real server (build/index.js, `npx remix build` first):
// /embed/agenda may be framed by any site (that route only), reads and sets no cookie, has no form
// and no script, and shows only public facts; /agenda.json is a valid JSON Feed 1.1 with the same
// facts and filters. Neither ever holds a hidden initiative, a cancelled session or a meeting link.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { toLocalDateTimeInput } from "~/lib/time";
import { register } from "~/models/registrations.server";
import { addSession, cancelSession, sessionInput } from "~/models/sessions.server";
import { day, hour, initiativeBy, zone } from "../support/fixtures";
import { memberWithSession } from "../support/requests";
import { startServer, type RunningServer } from "../support/server";

const meetingLink = "https://meet.example.org/embed-Pk20";
let server: RunningServer;
let member: { id: string; cookie: string };
const ids = {} as Record<"course" | "online" | "atVenue" | "hidden" | "cancelled" | "past", number>;
let organisationId = 0;
let venueId = 0;

function session(initiativeId: number, startsIn: number, extra: Record<string, string> = {}) {
  const start = new Date(Date.now() + startsIn);
  const fields = { startsAt: toLocalDateTimeInput(start, zone), endsAt: toLocalDateTimeInput(new Date(start.getTime() + 2 * hour), zone), place: "Wijkcentrum Oost", capacity: "", ...extra };
  return addSession(initiativeId, member.id, sessionInput({ now: new Date(), creating: true }).parse(fields));
}

beforeAll(async () => {
  member = await memberWithSession("Kartrekker Kader");
  const course = initiativeBy(member.id, { title: "Cursus Kaderwerk", kind: "course", tags: "vrijwilligers, training", summary: "Samen leren begeleiden." });
  const online = initiativeBy(member.id, { title: "Online Spreekuur", kind: "activity", tags: "vrijwilligers" });
  const hidden = initiativeBy(member.id, { title: "Geheime Reclameavond", kind: "activity", tags: "vrijwilligers" });
  ids.course = session(course, 3 * day);
  ids.online = session(online, 4 * day, { mode: "online", onlineUrl: meetingLink, place: "" });
  ids.atVenue = session(course, 5 * day);
  ids.hidden = session(hidden, 3 * day);
  ids.cancelled = session(course, 6 * day);
  cancelSession(ids.cancelled, member.id);
  ids.past = session(course, 2 * hour);
  db().run(sql`UPDATE sessions SET starts_at = ${Date.now() - 5 * hour}, ends_at = ${Date.now() - 3 * hour} WHERE id = ${ids.past}`);
  db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()}, hidden_rule = 'Geen reclame' WHERE id = ${hidden}`);
  register(ids.online, member.id);
  organisationId = db().get<{ id: number }>(sql`INSERT INTO organisations (slug, name, name_key) VALUES ('buurtwerk-oost', 'Buurtwerk "Oost"', 'buurtwerk oost') RETURNING id`).id;
  db().run(sql`INSERT INTO organisations (slug, name, name_key, merged_into) VALUES ('buurtwerk-o', 'Buurtwerk O.', 'buurtwerk o', ${organisationId})`);
  venueId = db().get<{ id: number }>(sql`INSERT INTO venues (organisation_id, name, address, updated_at) VALUES (${organisationId}, 'Zaal De Esch', 'Eschweg 4', ${Date.now()}) RETURNING id`).id;
  db().run(sql`UPDATE sessions SET host_organisation_id = ${organisationId}, host_organisation = 'Buurtwerk "Oost"' WHERE id = ${ids.course}`);
  db().run(sql`UPDATE sessions SET venue_id = ${venueId}, place = 'Zaal De Esch, Eschweg 4' WHERE id IN (${ids.atVenue}, ${ids.hidden})`);
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, DATA_DIR: process.env.DATA_DIR!, SCHEDULER_INTERVAL_MS: "3600000" });
});

afterAll(async () => {
  await server?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers, redirect: "manual" });
const shownSessions = (text: string) => [...new Set([...text.matchAll(/\/sessions\/(\d+)/g)].map((m) => Number(m[1])))];

describe("/embed/agenda", () => {
  it("may be framed by any site, and only this address may", async () => {
    const embed = await get("/embed/agenda");
    expect(embed.status).toBe(200);
    const csp = embed.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors *");
    expect(csp).not.toContain("frame-ancestors 'none'");
    expect(embed.headers.get("x-frame-options")).toBeNull();
    // Everything else as strict as the rest of the site.
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(embed.headers.get("x-content-type-options")).toBe("nosniff");
    for (const other of ["/agenda", "/agenda?view=month", "/embed/agenda/", "/embed", `/sessions/${ids.course}`]) {
      const response = await get(other);
      expect(response.headers.get("x-frame-options"), other).toBe("DENY");
      expect(response.headers.get("content-security-policy"), other).toContain("frame-ancestors 'none'");
    }
  });

  it("reads and sets no cookie: with or without one, the answer is the same and sets none", async () => {
    const bare = await get("/embed/agenda");
    const withCookies = await get("/embed/agenda", { Cookie: `${member.cookie}; meedoen_lang=en` });
    for (const response of [bare, withCookies]) {
      expect(response.headers.get("set-cookie")).toBeNull();
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    const [a, b] = [await bare.text(), await withCookies.text()];
    expect(b).toBe(a);
    // Not the member's language, not their name, no logout form.
    expect(b).toContain('<html lang="nl">');
    expect(b).not.toContain("Kartrekker Kader");
  });

  it("is a compact page without forms or scripts, linking to the full site in a new window", async () => {
    const html = await (await get("/embed/agenda")).text();
    expect(html).not.toMatch(/<form/i);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<nav/i);
    expect(html).toMatch(/<link rel="stylesheet" href="\/build\/_assets\/embed-[\w-]+\.css"\/>/);
    const anchors = [...html.matchAll(/<a ([^>]*)>/g)].map((m) => m[1]);
    expect(anchors.length).toBeGreaterThan(1);
    for (const a of anchors) {
      expect(a).toContain('target="_blank"');
      expect(a).toContain('rel="noopener"');
      expect(a).toMatch(new RegExp(`href="${server.url}/`));
    }
    expect(html).toContain("Cursus Kaderwerk");
  });

  it("shows upcoming public sessions only: no hidden initiative, cancelled or past session, no meeting link", async () => {
    for (const headers of [{}, { Cookie: member.cookie }] as Record<string, string>[]) {
      const html = await (await get("/embed/agenda", headers)).text();
      expect(shownSessions(html).sort()).toEqual([ids.course, ids.online, ids.atVenue].sort());
      expect(html).not.toContain("Geheime Reclameavond");
      expect(html).not.toContain("meet.example.org");
      expect(html).toContain("Online");
    }
  });

  it("filters by tag, organisation (a merged name too) and venue, and links to the rest", async () => {
    const shown = async (query: string) => {
      const html = await (await get(`/embed/agenda?${query}`)).text();
      return { ids: shownSessions(html), html };
    };
    expect((await shown("tag=training")).ids).toEqual([ids.course, ids.atVenue]);
    const organisation = await shown("organisation=buurtwerk-oost");
    // The sessions it hosts and those at its venues.
    expect(organisation.ids).toEqual([ids.course, ids.atVenue]);
    expect(organisation.html).toContain("<h1>Agenda van Buurtwerk &quot;Oost&quot;</h1>");
    expect(organisation.html).toContain(`href="${server.url}/organisations/buurtwerk-oost"`);
    expect((await shown("organisation=buurtwerk-o")).ids).toEqual([ids.course, ids.atVenue]);
    const venue = await shown(`venue=${venueId}`);
    expect(venue.ids).toEqual([ids.atVenue]);
    expect(venue.html).toContain(`href="${server.url}/venues/${venueId}"`);
    expect((await shown("tag=bestaatniet")).html).toContain("Er staan nu geen komende bijeenkomsten in deze agenda.");
    expect((await shown("lang=en")).html).toContain('<html lang="en">');
  });

  it("answers an unknown organisation or venue with a short 400 page that can still be framed", async () => {
    for (const query of ["organisation=bestaat-niet", "venue=999999", "venue=abc", "venue=-1", `organisation=${"x".repeat(81)}`]) {
      const response = await get(`/embed/agenda?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get("content-security-policy")).toContain("frame-ancestors *");
      expect(response.headers.get("set-cookie")).toBeNull();
      const html = await response.text();
      expect(html).toContain("de organisatie of de plek in het adres kennen we niet");
      expect(html).not.toMatch(/<form|<script|\bat \w+ \(/);
    }
  });
});

type JsonFeedItem = { id: string; url?: string; title?: string; content_text?: string; content_html?: string; date_published?: string; date_modified?: string; tags?: string[]; _meedoen: Record<string, unknown> };
type JsonFeed = { version: string; title: string; home_page_url?: string; feed_url?: string; language?: string; items: JsonFeedItem[] };

const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The spec's rules (https://www.jsonfeed.org/version/1.1/): required fields, types, extensions start with "_". */
function expectValidJsonFeed(feed: JsonFeed) {
  const topLevel = new Set(["version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon", "favicon", "authors", "language", "expired", "hubs", "items"]);
  for (const key of Object.keys(feed)) expect(topLevel.has(key) || key.startsWith("_"), key).toBe(true);
  expect(feed.version).toBe("https://jsonfeed.org/version/1.1");
  expect(typeof feed.title).toBe("string");
  expect(Array.isArray(feed.items)).toBe(true);
  for (const url of [feed.home_page_url, feed.feed_url]) expect(() => new URL(url!)).not.toThrow();
  const itemKeys = new Set(["id", "url", "external_url", "title", "content_html", "content_text", "summary", "image", "banner_image", "date_published", "date_modified", "authors", "tags", "language", "attachments"]);
  for (const item of feed.items) {
    for (const key of Object.keys(item)) expect(itemKeys.has(key) || key.startsWith("_"), key).toBe(true);
    expect(typeof item.id).toBe("string");
    expect(typeof item.content_text === "string" || typeof item.content_html === "string").toBe(true);
    expect(item.date_published).toMatch(rfc3339);
    expect(item.date_modified).toMatch(rfc3339);
    expect(item.tags!.every((tag) => typeof tag === "string")).toBe(true);
    expect(typeof item._meedoen).toBe("object");
  }
}

describe("/agenda.json", () => {
  it("is a JSON Feed 1.1 of the upcoming public sessions, with their facts in words and in fields", async () => {
    const response = await get("/agenda.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/feed+json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    expect(response.headers.get("set-cookie")).toBeNull();
    const feed = (await response.json()) as JsonFeed;
    expectValidJsonFeed(feed);
    expect(feed.language).toBe("nl");
    expect(feed.home_page_url).toBe(`${server.url}/agenda`);
    expect(feed.feed_url).toBe(`${server.url}/agenda.json`);
    expect(feed.items.map((i) => i.id)).toEqual([ids.course, ids.online, ids.atVenue].map((id) => `${server.url}/sessions/${id}`));
    const [course, online, atVenue] = feed.items;
    expect(course.title).toBe("Cursus Kaderwerk");
    expect(course.content_text).toContain("Samen leren begeleiden.");
    // One day ("do 3 dec 2026, 19:30–21:30"), or two when it runs past midnight.
    expect(course.content_text).toMatch(/Wanneer: \w\w \d+ \w+\.? \d{4}, \d\d:\d\d( ?– ?\w\w \d+ \w+\.? \d{4}, |–)\d\d:\d\d/);
    expect(course.content_text).toContain("Waar: Wijkcentrum Oost");
    expect(course.tags).toEqual(["training", "vrijwilligers"]);
    expect(course._meedoen).toMatchObject({ mode: "onsite", place: "Wijkcentrum Oost", organisation: { name: 'Buurtwerk "Oost"', url: `${server.url}/organisations/buurtwerk-oost` }, venue: null });
    expect(Date.parse(course._meedoen.ends_at as string) - Date.parse(course._meedoen.starts_at as string)).toBe(2 * hour);
    expect(online._meedoen).toMatchObject({ mode: "online" });
    expect(online.content_text).toContain("Online (de link krijg je als je je aanmeldt)");
    expect(atVenue._meedoen).toMatchObject({ venue: { id: venueId, name: "Zaal De Esch", address: "Eschweg 4", url: `${server.url}/venues/${venueId}` } });
  });

  it("holds nothing private: no meeting link, no hidden initiative, no cancelled or past session, whoever asks", async () => {
    for (const headers of [{}, { Cookie: member.cookie }] as Record<string, string>[]) {
      const text = await (await get("/agenda.json", headers)).text();
      expect(text).not.toContain("meet.example.org");
      expect(text).not.toContain("Geheime Reclameavond");
      expect(shownSessions(text)).not.toContain(ids.hidden);
      expect(shownSessions(text)).not.toContain(ids.cancelled);
      expect(shownSessions(text)).not.toContain(ids.past);
      expect(text).not.toContain(member.id);
    }
  });

  it("takes the list's filters and organisation and venue, and says so in feed_url", async () => {
    const items = async (query: string) => {
      const feed = (await (await get(`/agenda.json?${query}`)).json()) as JsonFeed;
      expectValidJsonFeed(feed);
      return { ids: feed.items.map((i) => Number(i.id.split("/").pop())), feed };
    };
    expect((await items("tag=training")).ids).toEqual([ids.course, ids.atVenue]);
    expect((await items("mode=online")).ids).toEqual([ids.online]);
    expect((await items("kind=activity")).ids).toEqual([ids.online]);
    expect((await items("q=spreekuur")).ids).toEqual([ids.online]);
    const organisation = await items("organisation=buurtwerk-oost&utm_source=x");
    expect(organisation.ids).toEqual([ids.course, ids.atVenue]);
    expect(organisation.feed.feed_url).toBe(`${server.url}/agenda.json?organisation=buurtwerk-oost`);
    expect((await items(`venue=${venueId}`)).ids).toEqual([ids.atVenue]);
    expect((await items("lang=en")).feed.items[0].content_text).toContain("When: ");
    const unknown = await get("/agenda.json?organisation=bestaat-niet");
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: "unknown organisation or venue" });
  });

  it("is kept for visitors like the calendars, and compressed for clients that take gzip", async () => {
    const first = await get("/agenda.json", { "Accept-Encoding": "gzip" });
    expect(first.headers.get("content-encoding")).toBe("gzip");
    const again = await get("/agenda.json");
    expect((await again.json()) as JsonFeed).toEqual((await first.json()) as JsonFeed);
  });
});

describe("the organisation page", () => {
  it("offers the embed code, prefilled with the organisation, in a read-only field", async () => {
    const html = await (await get("/organisations/buurtwerk-oost")).text();
    const textarea = /<textarea[^>]*id="embed-code"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)!;
    expect(textarea[0]).toMatch(/ readonly=""/i);
    const code = textarea[1].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    expect(code).toBe(`<iframe src="${server.url}/embed/agenda?organisation=buurtwerk-oost" title="Agenda van Buurtwerk &quot;Oost&quot; op Meedoen" loading="lazy" width="100%" height="480" style="border:0"></iframe>`);
    expect(html).toContain(`href="/agenda.json?organisation=buurtwerk-oost"`);
  });
});
