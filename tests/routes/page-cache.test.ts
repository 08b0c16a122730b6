// Pages for visitors are kept for a few seconds (app/lib/page-cache.server.ts). Through the real
// server: a kept page is never out of date after a write, whoever writes; members never get a
// kept page; every answer has its own CSP nonce; languages are kept apart.
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedPage, pageCacheKey, renderAndKeep } from "~/lib/page-cache.server";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let sqlite: ReturnType<typeof openServerDatabase>;
let member: { id: string; cookie: string };

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [member] = insertMembers(sqlite, 1, "cache");
  sqlite.prepare("UPDATE members SET display_name = 'Fatima Lid' WHERE id = ?").run(member.id);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

async function page(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + path, { headers });
  const html = await response.text();
  const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
  return { status: response.status, html, nonce: nonce! };
}

const withoutNonce = (html: string, nonce: string) => html.replaceAll(nonce, "NONCE");

describe("pages kept for visitors", () => {
  it("give every answer its own nonce, in the header and in every script tag", async () => {
    const first = await page("/");
    const second = await page("/");
    expect(first.nonce).not.toBe(second.nonce);
    expect(second.html).not.toContain(first.nonce);
    const tags = [...second.html.matchAll(/<script[^>]*nonce="([^"]+)"/g)].map((m) => m[1]);
    expect(tags.length).toBeGreaterThan(0);
    expect(new Set(tags)).toEqual(new Set([second.nonce]));
    expect(withoutNonce(second.html, second.nonce)).toBe(withoutNonce(first.html, first.nonce));
  });

  it("show a change made through the server at once", async () => {
    await page("/");
    const response = await fetch(`${server.url}/initiatives/new`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: member.cookie },
      body: new URLSearchParams({ title: "Wandelgroep op dinsdag", summary: "Samen een uur lopen.", kind: "activity" }).toString(),
    });
    expect(response.status).toBe(303);
    expect((await page("/")).html).toContain("Wandelgroep op dinsdag");
  });

  it("show a change written by another program to the database file at once", async () => {
    await page("/");
    const now = Date.now();
    sqlite.prepare("INSERT INTO initiatives (title, summary, kind, created_by, created_at, updated_at) VALUES ('Taalmaatjes gezocht', 'Een uur per week.', 'request', ?, ?, ?)").run(member.id, now, now);
    expect((await page("/")).html).toContain("Taalmaatjes gezocht");
  });

  it("are never given to a member, and a member's page is never given to a visitor", async () => {
    await page("/");
    const asMember = await page("/", { Cookie: member.cookie });
    expect(asMember.html).toContain('action="/logout"');
    expect(asMember.html).not.toContain('href="/login?');
    const asVisitor = await page("/");
    expect(asVisitor.html).not.toContain('action="/logout"');
    expect(asVisitor.html).toContain('href="/login?');
  });

  it("keep the public agenda for calendar apps: compressed, 304 for the version they have, a new session at once", async () => {
    const first = await fetch(`${server.url}/agenda.ics`);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"/);
    const calendar = await first.text();
    // Kept: the same file again, and compressed for an app that takes gzip (fetch unpacks it).
    const again = await fetch(`${server.url}/agenda.ics`, { headers: { "Accept-Encoding": "gzip" } });
    expect(again.headers.get("content-encoding")).toBe("gzip");
    expect(again.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(await again.text()).toBe(calendar);
    const unchanged = await fetch(`${server.url}/agenda.ics`, { headers: { "If-None-Match": etag } });
    expect(unchanged.status).toBe(304);

    const { sessionId } = insertCourseSession(sqlite, member.id, 12);
    const changed = await fetch(`${server.url}/agenda.ics`, { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(await changed.text()).toContain(`/sessions/${sessionId}`);
  });

  it("a member gets the news feed a visitor got, and the change after a write", async () => {
    const first = await fetch(`${server.url}/feed.xml`);
    const visitors = await first.text();
    const asMember = await fetch(`${server.url}/feed.xml`, { headers: { Cookie: member.cookie } });
    expect(asMember.status).toBe(200);
    expect(await asMember.text()).toBe(visitors);
    const now = Date.now();
    sqlite.prepare("INSERT INTO initiatives (title, summary, kind, created_by, created_at, updated_at) VALUES ('Buurtkoor voor beginners', 'Zingen', 'activity', ?, ?, ?)").run(member.id, now, now);
    expect(await (await fetch(`${server.url}/feed.xml`, { headers: { Cookie: member.cookie } })).text()).toContain("Buurtkoor voor beginners");
  });

  it("keep the languages apart", async () => {
    const dutch = await page("/how-it-works", { "Accept-Language": "nl-NL,nl;q=0.9" });
    const english = await page("/how-it-works", { "Accept-Language": "en-GB,en;q=0.9" });
    const dutchAgain = await page("/how-it-works", { "Accept-Language": "nl-NL,nl;q=0.9" });
    expect(dutch.html).toContain('lang="nl"');
    expect(english.html).toContain('lang="en"');
    expect(dutchAgain.html).toContain('lang="nl"');
  });
});

describe("the page cache itself", () => {
  const request = (headers: http.IncomingHttpHeaders = {}, method = "GET") => ({ method, headers }) as http.IncomingMessage;
  const url = (path: string) => new URL(path, "http://localhost");

  it("leaves out members, posts, data requests and files", () => {
    expect(pageCacheKey(request(), url("/?q=taal"))).not.toBeNull();
    expect(pageCacheKey(request({ cookie: "lang=en; meedoen_session=abc" }), url("/"))).toBeNull();
    expect(pageCacheKey(request({}, "POST"), url("/"))).toBeNull();
    expect(pageCacheKey(request(), url("/initiatives/3.data"))).toBeNull();
    expect(pageCacheKey(request(), url("/sessions/4/participants.csv"))).toBeNull();
    expect(pageCacheKey(request(), url("/initiatives/3/preview.png"))).toBeNull();
    // The public calendar and news feeds are kept: apps fetch them again and again. They read no
    // cookie, so a member gets the same copy as a visitor.
    for (const path of ["/agenda.ics", "/feed.xml", "/log.xml", "/agenda.json?tag=taal", "/sessions/4/calendar.ics"]) {
      const visitors = pageCacheKey(request(), url(path));
      expect(visitors).not.toBeNull();
      expect(pageCacheKey(request({ cookie: "lang=en; meedoen_session=abc" }), url(path))).toBe(visitors);
    }
    // A member's own calendar address is not a public feed.
    expect(pageCacheKey(request({ cookie: "meedoen_session=abc" }), url("/calendar/abc"))).toBeNull();
  });

  it("the feed and calendar routes read no cookie, so that sharing their copy is safe", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const routes = readdirSync("app/routes").filter((file) => /\[\.(ics|xml)\]|agenda\[\.json\]/.test(file));
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const file of routes) expect(readFileSync(`app/routes/${file}`, "utf8"), file).not.toMatch(/auth\.server|headers\.get\(["']cookie|parseCookie|Cookie\(/);
  });

  it("keeps a calendar with its ETag and answers a client that has it with 304, but keeps nothing private", async () => {
    const calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
    const headers = { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "public, max-age=300", ETag: '"v1"' };
    await renderAndKeep("ics", "n1", () => Promise.resolve(new Response(calendar, { headers })));
    const again = cachedPage("ics", "n2", false, null)!;
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(calendar);
    const unchanged = cachedPage("ics", "n3", true, '"v1"')!;
    expect(unchanged.status).toBe(304);
    expect(unchanged.headers.get("ETag")).toBe('"v1"');
    expect(await unchanged.text()).toBe("");
    expect(cachedPage("ics", "n4", false, '"v0"')!.status).toBe(200);

    const own = { ...headers, "Cache-Control": "private, max-age=300" };
    await renderAndKeep("mine", "n1", () => Promise.resolve(new Response(calendar, { headers: own })));
    expect(cachedPage("mine", "n2")).toBeNull();
    // An answer its route compressed itself is passed on, not kept.
    await renderAndKeep("gz-route", "n1", () => Promise.resolve(new Response(calendar, { headers: { ...headers, "Content-Encoding": "gzip" } })));
    expect(cachedPage("gz-route", "n2")).toBeNull();
  });

  it("sends a kept page compressed, with the new nonce in it, as one valid gzip stream", async () => {
    const page = `<!DOCTYPE html><html><head><script nonce="old">a()</script></head><body>${"<p>Buurthuis De Kastanje</p>".repeat(500)}<script nonce="old">b()</script></body></html>`;
    await renderAndKeep("gz", "old", () => Promise.resolve(new Response(page, { headers: { "Content-Type": "text/html; charset=utf-8" } })));
    const response = cachedPage("gz", "new+/=", true)!;
    expect(response.headers.get("Content-Encoding")).toBe("gzip");
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBeLessThan(page.length / 10);
    const { gunzipSync } = await import("node:zlib");
    expect(gunzipSync(body).toString("utf8")).toBe(page.replaceAll('nonce="old"', 'nonce="new+/="'));
  });

  it("lets a page go after ten seconds, and keeps no page that sets a cookie or failed", async () => {
    const html = (text: string) => () => Promise.resolve(new Response(`<p>${text}</p><script nonce="n1"></script>`, { headers: { "Content-Type": "text/html; charset=utf-8" } }));
    await renderAndKeep("k1", "n1", html("kept"));
    expect(await cachedPage("k1", "n2")?.text()).toBe('<p>kept</p><script nonce="n2"></script>');
    expect(cachedPage("k1", "n3", false, null, Date.now() + 10_001)).toBeNull();

    await renderAndKeep("k2", "n1", () => Promise.resolve(new Response("<p>x</p>", { headers: { "Content-Type": "text/html", "Set-Cookie": "a=b" } })));
    expect(cachedPage("k2", "n2")).toBeNull();
    await renderAndKeep("k3", "n1", () => Promise.resolve(new Response("<p>x</p>", { status: 404, headers: { "Content-Type": "text/html" } })));
    expect(cachedPage("k3", "n2")).toBeNull();
  });
});
