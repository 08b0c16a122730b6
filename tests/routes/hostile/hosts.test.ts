// The routes hosts and day-one moderation added — POST /comments/:id/hide, POST
// /comments/:id/restore, POST /content/:type/:id/accept, GET /sessions/:id/checkin/show and
// GET /sessions/:id/checkin?code= — with their worst input through the real server, as a visitor,
// a fresh account and a held member: a clear 4xx (or a redirect to log in), never a 5xx, no stack
// trace, and nothing written.
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
let host: { id: string; cookie: string };
let fresh: { id: string; cookie: string };
let held: { id: string; cookie: string };
let voice: { id: string; cookie: string };
let commentId = 0;
let sessionId = 0;
const rule = "7. Respect en privacy.";

const day = 86_400_000;
const count = (query: string) => sqlite.prepare(query).pluck().get() as number;
const writes = () =>
  JSON.stringify(["comments WHERE hidden_at IS NOT NULL", "proposals", "edit_acceptances", "log_entries", "outbox", "registrations WHERE attended_at IS NOT NULL"].map((t) => count(`SELECT count(*) FROM ${t}`)));

function post(path: string, body: string, cookie?: string) {
  return fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
}
const get = (path: string, cookie?: string) => fetch(server.url + path, { redirect: "manual", headers: { "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) } });

async function refused(answer: Promise<Response>, status: number | number[], text?: string) {
  const before = writes();
  const res = await answer;
  expect([status].flat(), `${res.status}`).toContain(res.status);
  const html = await res.text();
  expect(html).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//);
  if (text) expect(html).toContain(text);
  expect(writes()).toBe(before);
  return res;
}

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [host, fresh, held, voice] = insertMembers(sqlite, 4, "hosts");
  const old = Date.now() - 60 * day;
  sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, voice.id);
  sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = ? WHERE id = ?").run(Date.now(), rule, held.id);
  const course = insertCourseSession(sqlite, host.id, null);
  sessionId = course.sessionId;
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(course.initiativeId, held.id, Date.now(), Date.now());
  commentId = (sqlite.prepare("INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, 'Scheldwoord', ?, ?) RETURNING id").get(course.initiativeId, fresh.id, Date.now(), Date.now()) as { id: number }).id;
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("POST /comments/:id/hide", () => {
  it("refuses visitors, fresh accounts, held hosts and members with a voice who are no host", async () => {
    const visitor = await refused(post(`/comments/${commentId}/hide`, `rule=${encodeURIComponent(rule)}`), [302, 303]);
    expect(visitor.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    await refused(post(`/comments/${commentId}/hide`, `rule=${encodeURIComponent(rule)}`, fresh.cookie), 403, "Alleen kartrekkers van dit initiatief");
    await refused(post(`/comments/${commentId}/hide`, `rule=${encodeURIComponent(rule)}`, held.cookie), 403, "je plaatsen is tegengehouden");
    await refused(post(`/comments/${commentId}/hide`, `rule=${encodeURIComponent(rule)}`, voice.cookie), 403);
  });

  it.each([
    ["no rule", ""],
    ["an empty rule", "rule="],
    ["an unknown rule", "rule=Geen%20regel"],
    ["a rule of the maximum length plus one", `rule=${"r".repeat(121)}`],
    ["a huge rule", `rule=${"r".repeat(200_000)}`],
    ["a rule with a NUL byte", `rule=7.%00Respect`],
    ["many rules, the first unknown", `rule=x&${Array.from({ length: 500 }, () => `rule=${encodeURIComponent(rule)}`).join("&")}`],
  ])("refuses %s from a host", async (_, body) => {
    await refused(post(`/comments/${commentId}/hide`, body, host.cookie), [400, 413]);
  });

  it("answers unknown and malformed ids with 404", async () => {
    for (const id of ["999999", "0", "-1", "1e3", "abc", "9".repeat(40)]) await refused(post(`/comments/${id}/hide`, `rule=${encodeURIComponent(rule)}`, host.cookie), 404);
  });

  it("refuses a post from another site", async () => {
    await refused(fetch(`${server.url}/comments/${commentId}/hide`, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example", Cookie: host.cookie }, body: `rule=${encodeURIComponent(rule)}` }), 403);
  });

  it("hides once when the host presses twice at the same moment", async () => {
    const answers = await Promise.all([0, 1, 2].map(() => post(`/comments/${commentId}/hide`, `rule=${encodeURIComponent(rule)}`, host.cookie)));
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409]);
    expect(count(`SELECT count(*) FROM log_entries WHERE action = 'content.hidden-by-host'`)).toBe(1);
  });
});

describe("POST /comments/:id/restore", () => {
  it("refuses everyone but the author, and opens one proposal when asked many times at once", async () => {
    await refused(post(`/comments/${commentId}/restore`, "", host.cookie), 403);
    await refused(post(`/comments/${commentId}/restore`, "", voice.cookie), 403);
    await refused(post(`/comments/999999/restore`, "", fresh.cookie), 404);
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(`/comments/${commentId}/restore`, "", fresh.cookie)));
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409, 409, 409, 409]);
    expect(count("SELECT count(*) FROM proposals WHERE closed_at IS NULL AND json_extract(effect, '$.targetType') = 'comment'")).toBe(1);
  });
});

describe("POST /content/:type/:id/accept", () => {
  it.each([
    ["an unknown kind", "/content/member/1/accept", () => voice, 404],
    ["a kind that looks like SQL", "/content/comments%3B%20DROP%20TABLE%20flags/1/accept", () => voice, 404],
    ["an unknown id", "/content/comment/999999/accept", () => voice, 404],
    ["a malformed id", "/content/comment/1e3/accept", () => voice, 404],
    ["content that does not wait", "/content/comment/COMMENT/accept", () => voice, 409],
    ["a fresh account", "/content/comment/COMMENT/accept", () => fresh, 403],
    ["a held member", "/content/comment/COMMENT/accept", () => held, 403],
  ] as const)("refuses %s", async (_, path, who, status) => {
    await refused(post(path.replace("COMMENT", String(commentId)), "", who().cookie), status);
  });
});

describe("the check-in screen and the prefilled check-in page", () => {
  it("sends visitors to log in and back, and refuses everyone but a host who may act", async () => {
    const visitor = await refused(get(`/sessions/${sessionId}/checkin/show`), [302, 303]);
    expect(visitor.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(`/sessions/${sessionId}/checkin/show`)}`);
    await refused(get(`/sessions/${sessionId}/checkin/show`, fresh.cookie), 403);
    await refused(get(`/sessions/${sessionId}/checkin/show`, held.cookie), 403);
    await refused(get(`/sessions/999999/checkin/show`, host.cookie), 404);
    const page = await get(`/sessions/${sessionId}/checkin/show`, host.cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    // A week ahead: no code yet.
    expect(await page.text()).not.toContain("ACDEFG");
  });

  it.each([
    ["a huge code", "A".repeat(100_000)],
    ["markup", "<script>alert(1)</script>"],
    ["many codes", "A&code=B&code=C"],
    ["an empty code", ""],
  ])("shows the check-in page for %s without harm", async (_, code) => {
    const before = writes();
    const res = await get(`/sessions/${sessionId}/checkin?code=${encodeURIComponent(code).replace("%26code%3D", "&code=")}`, fresh.cookie);
    expect([200, 414, 431]).toContain(res.status);
    const html = await res.text();
    expect(html).not.toContain("<script>alert(1)");
    expect(writes()).toBe(before);
  });
});
