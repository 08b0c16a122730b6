// Pages are kept for a few seconds (app/lib/page-cache.server.ts): for visitors, and for each
// member their own (ADR 054). Through the real server: a kept page is never out of date after a
// write, whoever writes; a member's page goes to nobody else; every answer has its own CSP nonce;
// languages are kept apart.
import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cachedPage, keptSize, pageCacheKey, renderAndKeep } from "~/lib/page-cache.server";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let sqlite: ReturnType<typeof openServerDatabase>;
let member: { id: string; cookie: string };
let other: { id: string; cookie: string };

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [member, other] = insertMembers(sqlite, 2, "cache");
  sqlite.prepare("UPDATE members SET display_name = 'Fatima Lid' WHERE id = ?").run(member.id);
  sqlite.prepare("UPDATE members SET display_name = 'Gert Ander' WHERE id = ?").run(other.id);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

async function page(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + path, { headers });
  const html = await response.text();
  const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1];
  return { status: response.status, html, nonce: nonce!, kept: response.headers.has("age") };
}

/**
 * A page asked three times in a row, so that the last may come from what was kept (a fresh login's
 * first page refreshes its cookie, and an answer that sets a cookie is not kept).
 */
async function thrice(path: string, headers: Record<string, string> = {}) {
  await page(path, headers);
  await page(path, headers);
  return page(path, headers);
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

  it("are served from what was kept, saying how old (Age)", async () => {
    const first = await page("/how-it-works");
    const second = await page("/how-it-works");
    expect(second.kept).toBe(true);
    expect(withoutNonce(second.html, second.nonce)).toBe(withoutNonce(first.html, first.nonce));
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

describe("a member's own pages, kept for them", () => {
  it("are served again from what was kept, to the same member only", async () => {
    const mine = await thrice("/members/" + member.id, { Cookie: member.cookie });
    expect(mine.kept).toBe(true);
    expect(mine.html).toContain("Fatima Lid");
    // Another member asking the same address gets their own page, not the kept one.
    const theirs = await page("/members/" + member.id, { Cookie: other.cookie });
    expect(theirs.kept).toBe(false);
    expect(theirs.html).toMatch(/Gert Ander/);
    expect(theirs.html).not.toMatch(/href="\/settings\/profile"/);
    // Nor does a visitor, nor a cookie naming no session.
    for (const headers of [{}, { Cookie: "meedoen_session=nobody" }] as Record<string, string>[]) {
      const visitor = await page("/members/" + member.id, headers);
      expect(visitor.html).not.toContain('action="/logout"');
    }
  });

  it("show the member's own write at once", async () => {
    const { sessionId } = insertCourseSession(sqlite, other.id, 10);
    const path = `/sessions/${sessionId}`;
    expect((await thrice(path, { Cookie: member.cookie })).kept).toBe(true);
    const signedUp = await fetch(`${server.url}${path}/register`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: member.cookie },
      body: "",
    });
    expect(signedUp.status).toBe(303);
    const after = await page(path, { Cookie: member.cookie });
    expect(after.kept).toBe(false);
    expect(after.html).toContain(`action="${path}/cancel"`);
  });

  it("show a hold written by another program at once", async () => {
    const path = "/members/" + member.id;
    expect((await thrice(path, { Cookie: member.cookie })).html).not.toContain("tegengehouden");
    sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = '7. Respect' WHERE id = ?").run(Date.now(), member.id);
    const held = await page(path, { Cookie: member.cookie });
    expect(held.kept).toBe(false);
    expect(held.html).toContain("tegengehouden");
    expect((await page(path, { Cookie: member.cookie })).kept).toBe(true);
    sqlite.prepare("UPDATE members SET posting_held_at = NULL, posting_held_rule = NULL WHERE id = ?").run(member.id);
    expect((await page(path, { Cookie: member.cookie })).html).not.toContain("tegengehouden");
  });

  it("are not served after a logout, not even with the old cookie", async () => {
    const [leaving] = insertMembers(sqlite, 1, "leaving");
    expect((await thrice("/settings", { Cookie: leaving.cookie })).kept).toBe(true);
    const out = await fetch(`${server.url}/logout`, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: leaving.cookie }, body: "" });
    expect(out.status).toBe(303);
    const after = await fetch(`${server.url}/settings`, { redirect: "manual", headers: { Cookie: leaving.cookie } });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
    expect(after.headers.has("age")).toBe(false);
  });

  it("are made anew when asked with no-cache (a hard reload), and keep the page data for navigation too", async () => {
    expect((await thrice("/how-it-works", { Cookie: member.cookie })).kept).toBe(true);
    expect((await page("/how-it-works", { Cookie: member.cookie, "Cache-Control": "no-cache" })).kept).toBe(false);
    expect((await page("/how-it-works", { Cookie: member.cookie, Pragma: "no-cache" })).kept).toBe(false);
    const data = async (cookie?: string) => {
      const response = await fetch(`${server.url}/how-it-works.data`, { headers: cookie ? { Cookie: cookie } : {} });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/x-script/);
      await response.text();
      return response.headers.has("age");
    };
    await data(member.cookie);
    expect(await data(member.cookie)).toBe(true);
    await data();
    expect(await data()).toBe(false);
  });

  it("stay each member's own when a hundred members ask at once", async () => {
    const many = insertMembers(sqlite, 100, "crowd");
    many.forEach((m, i) => sqlite.prepare("UPDATE members SET display_name = ? WHERE id = ?").run(`Lid nummer ${i}`, m.id));
    // Each asks their own settings page twice, all at once; each answer names its own member.
    const answers = await Promise.all(many.flatMap((m, i) => [0, 1].map(async () => ({ i, answer: await page("/settings", { Cookie: m.cookie }) }))));
    for (const { i, answer } of answers) {
      expect(answer.status).toBe(200);
      expect(answer.html).toContain(`Lid nummer ${i}<`);
      expect(new Set(answer.html.match(/Lid nummer \d+</g))).toEqual(new Set([`Lid nummer ${i}<`]));
    }
  });
});

describe("the page cache itself", () => {
  const request = (headers: http.IncomingHttpHeaders = {}, method = "GET") => ({ method, headers }) as http.IncomingMessage;
  const url = (path: string) => new URL(path, "http://localhost");

  it("keeps members apart, and leaves out posts, visitors' data requests and files", () => {
    expect(pageCacheKey(request(), url("/?q=taal"))).not.toBeNull();
    const mine = pageCacheKey(request({ cookie: "lang=en; meedoen_session=abc" }), url("/"));
    expect(mine).not.toBeNull();
    expect(pageCacheKey(request({ cookie: "lang=en; meedoen_session=abd" }), url("/"))).not.toBe(mine);
    expect(pageCacheKey(request({ cookie: "lang=en" }), url("/"))).not.toBe(mine);
    expect(pageCacheKey(request({ cookie: "meedoen_session=abc", "cache-control": "no-cache" }), url("/"))).toBeNull();
    expect(pageCacheKey(request({ cookie: "meedoen_session=abc" }), url("/initiatives/3.data"))).not.toBeNull();
    expect(pageCacheKey(request({}, "POST"), url("/"))).toBeNull();
    expect(pageCacheKey(request({ cookie: "meedoen_session=abc" }, "POST"), url("/"))).toBeNull();
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
    // A member's own calendar address is not a public feed: its route marks it private, which
    // keeps it out (see below).
    expect(pageCacheKey(request({ cookie: "meedoen_session=abc" }), url("/calendar/abc"))).not.toBe(pageCacheKey(request(), url("/calendar/abc")));
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

  it("keeps no more than its bytes and pages allow, the oldest going first", async () => {
    // Pages that do not compress, so that each takes its whole size twice (text and compressed).
    const { randomBytes } = await import("node:crypto");
    const big = () => `<p>${randomBytes(300_000).toString("base64")}</p>`;
    for (let i = 0; i < 80; i++) await renderAndKeep(`big${i}`, "n1", () => Promise.resolve(new Response(big(), { headers: { "Content-Type": "text/html" } })));
    expect(keptSize().bytes).toBeLessThanOrEqual(24 * 1024 * 1024);
    expect(cachedPage("big0", "n2")).toBeNull();
    expect(cachedPage("big79", "n2")).not.toBeNull();
    for (let i = 0; i < 700; i++) await renderAndKeep(`small${i}`, "n1", () => Promise.resolve(new Response(`<p>${i}</p>`, { headers: { "Content-Type": "text/html" } })));
    expect(keptSize().pages).toBe(500);
    expect(cachedPage("small199", "n2")).toBeNull();
    expect(cachedPage("small200", "n2")).not.toBeNull();
  });
});
