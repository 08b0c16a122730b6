// The routes issue 17 added to proposals (/proposals/:id/comments, /proposals/:id/amend,
// /proposal-comments/:id/edit and /flag), each with its worst input through the real server, as
// a visitor, a fresh account and a held member: a clear 4xx, never a 5xx, and nothing written.
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
let founders: { id: string; cookie: string }[];
let fresh: { id: string; cookie: string };
let held: { id: string; cookie: string };
let open = 0;
let closed = 0;
let commentId = 0;

const day = 86_400_000;
const count = (query: string) => sqlite.prepare(query).pluck().get() as number;
const writes = () => JSON.stringify(["proposal_comments", "proposal_versions", "proposal_positions", "flags", "outbox", "log_entries", "proposals WHERE version > 1"].map((t) => count(`SELECT count(*) FROM ${t}`)));

function post(path: string, body: string, cookie?: string) {
  return fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
}
const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  return body.toString();
};

async function refused(answer: Promise<Response>, status: number | number[], before: string, text?: string) {
  const res = await answer;
  expect([status].flat(), `${res.status}`).toContain(res.status);
  const html = await res.text();
  expect(html).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//);
  if (text) expect(html).toContain(text);
  expect(writes()).toBe(before);
}

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  founders = insertMembers(sqlite, 3, "f");
  [fresh, held] = insertMembers(sqlite, 2, "x");
  const old = Date.now() - 30 * day;
  for (const f of founders) sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, f.id);
  sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = '7. Respect en privacy.' WHERE id = ?").run(Date.now(), held.id);
  const opened = await post("/proposals/new", form({ title: "Open voorstel", body: "", kind: "consent", scope: "network", days: "7" }), founders[0].cookie);
  open = Number(/(\d+)$/.exec(opened.headers.get("location")!)![1]);
  expect((await post(`/proposals/${open}`, form({ intent: "respond", position: "object", reason: "Nee" }), founders[1].cookie)).status).toBe(303);
  const now = Date.now();
  closed = (sqlite.prepare("INSERT INTO proposals (scope, kind, title, body, opened_by, opened_at, deadline, closed_at, outcome) VALUES ('network', 'consent', 'Gesloten', '', ?, ?, ?, ?, ?) RETURNING id").get(founders[0].id, now - 8 * day, now - day, now - day, JSON.stringify({ adopted: false, reason: "objection", quorum: 3, eligible: 3, tally: {} })) as { id: number }).id;
  sqlite.prepare("INSERT INTO proposal_versions (proposal_id, version, title, body, answers, member_id, at) VALUES (?, 1, 'Gesloten', '', '', ?, ?)").run(closed, founders[0].id, now - 8 * day);
  sqlite.prepare("INSERT INTO proposal_positions (proposal_id, member_id, position, reason, updated_at) VALUES (?, ?, 'object', 'Nee', ?)").run(closed, founders[1].id, now - 2 * day);
  const posted = await post(`/proposals/${open}/comments`, form({ body: "Een reactie" }), fresh.cookie);
  commentId = Number(/proposal-comment-(\d+)/.exec(posted.headers.get("location")!)![1]);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("POST /proposals/:id/comments", () => {
  it("takes exactly 5,000 characters and refuses 5,001 (400), an empty body and a missing field", async () => {
    const ok = await post(`/proposals/${open}/comments`, form({ body: "a".repeat(5000) }), fresh.cookie);
    expect(ok.status).toBe(303);
    const before = writes();
    await refused(post(`/proposals/${open}/comments`, form({ body: "a".repeat(5001) }), fresh.cookie), 400, before, "5000");
    await refused(post(`/proposals/${open}/comments`, form({ body: "" }), fresh.cookie), 400, before);
    await refused(post(`/proposals/${open}/comments`, form({ other: "x" }), fresh.cookie), 400, before);
  });

  it("refuses a visitor (to the login), a held member (403), an unknown or malformed proposal (404)", async () => {
    const before = writes();
    const visitor = await post(`/proposals/${open}/comments`, form({ body: "hallo" }));
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toMatch(/^\/login/);
    expect(writes()).toBe(before);
    await refused(post(`/proposals/${open}/comments`, form({ body: "hallo" }), held.cookie), 403, before);
    await refused(post("/proposals/999999/comments", form({ body: "hallo" }), fresh.cookie), 404, before);
    await refused(post("/proposals/1e3/comments", form({ body: "hallo" }), fresh.cookie), [400, 404], before);
  });

  it("treats repeated fields and many fields as one form, never as a 5xx", async () => {
    const many = form({ body: ["eerste", "tweede"], ...Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`f${i}`, "x"])) });
    const res = await post(`/proposals/${open}/comments`, many, fresh.cookie);
    expect(res.status).toBeLessThan(500);
    const tooMany = form(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`f${i}`, "x"])));
    const before = writes();
    await refused(post(`/proposals/${open}/comments`, tooMany, fresh.cookie), 413, before);
  });
});

describe("POST /proposals/:id/amend", () => {
  const amend = (fields: Record<string, string | string[]> = {}) => form({ title: "Beter voorstel", body: "Anders", answers: "Het bezwaar", version: "1", ...fields });

  it("refuses a member who may not respond (403): a fresh account and a held member, and a visitor", async () => {
    const before = writes();
    await refused(post(`/proposals/${open}/amend`, amend(), fresh.cookie), 403, before);
    await refused(post(`/proposals/${open}/amend`, amend(), held.cookie), 403, before);
    const visitor = await post(`/proposals/${open}/amend`, amend());
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("location")).toMatch(/^\/login/);
    expect(writes()).toBe(before);
    expect((await fetch(`${server.url}/proposals/${open}/amend`, { headers: { Cookie: fresh.cookie } })).status).toBe(403);
  });

  it("refuses amending a closed proposal (409), a stale version (409), and an unknown one (404)", async () => {
    const before = writes();
    await refused(post(`/proposals/${closed}/amend`, amend(), founders[2].cookie), 409, before);
    expect((await fetch(`${server.url}/proposals/${closed}/amend`, { headers: { Cookie: founders[2].cookie } })).status).toBe(409);
    await refused(post(`/proposals/${open}/amend`, amend({ version: "2" }), founders[2].cookie), 409, before);
    await refused(post("/proposals/999999/amend", amend(), founders[2].cookie), 404, before);
  });

  it("refuses a missing answer, over-long fields, a malformed version and repeated fields with 400", async () => {
    const before = writes();
    await refused(post(`/proposals/${open}/amend`, amend({ answers: "" }), founders[2].cookie), 400, before);
    await refused(post(`/proposals/${open}/amend`, amend({ answers: "a".repeat(2001) }), founders[2].cookie), 400, before);
    await refused(post(`/proposals/${open}/amend`, amend({ title: "t".repeat(161) }), founders[2].cookie), 400, before);
    await refused(post(`/proposals/${open}/amend`, amend({ body: "b".repeat(10_001) }), founders[2].cookie), 400, before);
    for (const version of ["0", "-1", "1.5", "x", "9999999", ""]) await refused(post(`/proposals/${open}/amend`, amend({ version }), founders[2].cookie), [400, 409], before);
    const repeated = await post(`/proposals/${open}/amend`, amend({ version: ["1", "2"], title: ["Een", "Twee"] }), founders[2].cookie);
    expect(repeated.status).toBeLessThan(500);
  });
});

describe("/proposal-comments/:id/edit and /flag", () => {
  it("refuses someone else's edit (403), a held member's flag (403), a fresh account's flag (403), an over-long edit (400) and unknown ids (404)", async () => {
    const before = writes();
    await refused(post(`/proposal-comments/${commentId}/edit`, form({ body: "overgenomen" }), founders[0].cookie), 403, before);
    await refused(post(`/proposal-comments/${commentId}/edit`, form({ body: "a".repeat(5001) }), fresh.cookie), 400, before);
    await refused(post(`/proposal-comments/${commentId}/flag`, form({ rule: "7. Respect en privacy.", reason: "x" }), fresh.cookie), 403, before);
    await refused(post(`/proposal-comments/${commentId}/flag`, form({ rule: "7. Respect en privacy.", reason: "x" }), held.cookie), 403, before);
    await refused(post(`/proposal-comments/${commentId}/flag`, form({ rule: "Geen regel", reason: "x" }), founders[0].cookie), 400, before);
    await refused(post("/proposal-comments/999999/flag", form({ rule: "7. Respect en privacy.", reason: "x" }), founders[0].cookie), 404, before);
    await refused(post("/proposal-comments/999999/edit", form({ body: "x" }), fresh.cookie), 404, before);
  });
});
