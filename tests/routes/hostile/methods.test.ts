// Working methods through the real server with their worst input: over-long and repeated fields,
// wrong types, unknown ids, concurrent edits, as a visitor, a fresh account and a held member. A
// refusal is a readable 4xx without a stack trace, and writes nothing.
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
let voice: { id: string; cookie: string };
let voice2: { id: string; cookie: string };
let fresh: { id: string; cookie: string };
let held: { id: string; cookie: string };
let host: { id: string; cookie: string };
let methodId = 0;
let sessionId = 0;

const day = 86_400_000;
const count = (query: string) => sqlite.prepare(query).pluck().get() as number;
const writes = () => JSON.stringify(["methods", "method_versions", "method_tags", "session_methods", "outcome_methods", "flags"].map((t) => count(`SELECT count(*) FROM ${t}`)));

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
  return body.toString();
};
const valid = (extra: Record<string, string | string[]> = {}) =>
  form({ title: "Check-in", purpose: "Binnenkomen.", groupSize: "", duration: "", materials: "", steps: "1. Kring.\n2. Ronde.", variations: "", learned: "", tags: "start", ...extra });

function post(path: string, body: string, cookie?: string, contentType = "application/x-www-form-urlencoded") {
  return fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": contentType, Origin: server.url, "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
}
const get = (path: string, cookie?: string) => fetch(server.url + path, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

async function refused(answer: Promise<Response>, status: number | number[], before: string, text?: string) {
  const res = await answer;
  expect([status].flat(), `${res.status}`).toContain(res.status);
  const html = await res.text();
  expect(html).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//);
  if (text) expect(html).toContain(text);
  expect(writes()).toBe(before);
  return html;
}

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [voice, voice2, fresh, held, host] = insertMembers(sqlite, 5, "method");
  const old = Date.now() - 30 * day;
  for (const m of [voice, voice2, host]) sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, m.id);
  sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ?, posting_held_at = ?, posting_held_rule = '7. Respect en privacy.' WHERE id = ?").run(old, old, Date.now(), held.id);
  sessionId = insertCourseSession(sqlite, host.id, null).sessionId;
  const res = await post("/methods/new", valid(), voice.cookie);
  expect(res.status).toBe(303);
  methodId = Number(/\/methods\/(\d+)$/.exec(res.headers.get("Location")!)![1]);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("POST /methods/new", () => {
  it("refuses over-long fields, too many tags and missing ones with a readable 400", async () => {
    const before = writes();
    await refused(post("/methods/new", valid({ title: "x".repeat(121) }), voice.cookie), 400, before, "hoogstens 120 tekens");
    await refused(post("/methods/new", valid({ steps: "x".repeat(20_001) }), voice.cookie), 400, before, "hoogstens 20.000 tekens");
    await refused(post("/methods/new", valid({ materials: "x".repeat(201) }), voice.cookie), 400, before, "hoogstens 200 tekens");
    await refused(post("/methods/new", valid({ tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(",") }), voice.cookie), 400, before, "Hoogstens 10 trefwoorden");
    await refused(post("/methods/new", form({ title: "Alleen een naam" }), voice.cookie), 400, before);
    await refused(post("/methods/new", "", voice.cookie), 400, before);
  });

  it("takes the first of repeated fields, and refuses a body that is not a form", async () => {
    const before = writes();
    await refused(post("/methods/new", "{\"title\": [1, 2]}", voice.cookie, "application/json"), [400, 415], before);
    await refused(post("/methods/new", `${"a=1&".repeat(300)}`, voice.cookie), [400, 413], before);
    const repeated = await post("/methods/new", valid({ title: ["Eerste naam", "Tweede naam"] }), voice.cookie);
    expect(repeated.status).toBe(303);
    const id = Number(/\/methods\/(\d+)$/.exec(repeated.headers.get("Location")!)![1]);
    expect(sqlite.prepare("SELECT title FROM methods WHERE id = ?").pluck().get(id)).toBe("Eerste naam");
  });

  it("refuses a visitor (to login), a held member (403), and a cross-site post", async () => {
    const before = writes();
    const visitor = await post("/methods/new", valid({ title: "Bezoeker" }));
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/login/);
    await refused(post("/methods/new", valid({ title: "Vastgezet" }), held.cookie), 403, before, "Je kunt op dit moment niets plaatsen");
    const crossSite = await fetch(server.url + "/methods/new", { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example", Cookie: voice.cookie }, body: valid({ title: "Van elders" }) });
    expect(crossSite.status).toBe(403);
    expect(writes()).toBe(before);
  });
});

describe("POST /methods/:id/edit", () => {
  it("refuses a fresh account, a held member, unknown and malformed ids", async () => {
    const before = writes();
    await refused(post(`/methods/${methodId}/edit`, valid({ title: "Gekaapt" }), fresh.cookie), 403, before);
    await refused(post(`/methods/${methodId}/edit`, valid({ title: "Gekaapt" }), held.cookie), 403, before);
    await refused(post("/methods/99999999/edit", valid(), voice.cookie), 404, before);
    await refused(post("/methods/1e3/edit", valid(), voice.cookie), 404, before);
    await refused(post("/methods/-1/edit", valid(), voice.cookie), 404, before);
    await refused(post(`/methods/${methodId}/edit`, valid({ learned: "x".repeat(20_001) }), voice.cookie), 400, before);
    for (const path of ["/methods/99999999", "/methods/abc", "/methods/99999999/history", "/methods/0/history"]) expect((await get(path)).status, path).toBe(404);
  });

  it("gives concurrent edits from two members consecutive version numbers", async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => post(`/methods/${methodId}/edit`, valid({ purpose: `Versie ${i}` }), i % 2 ? voice.cookie : voice2.cookie)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 303));
    const numbers = sqlite.prepare("SELECT version FROM method_versions WHERE method_id = ? ORDER BY version").pluck().all(methodId) as number[];
    expect(numbers).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    const history = await (await get(`/methods/${methodId}/history`)).text();
    expect(history).toContain("Versie 13");
  });

  it("shows a diff of two huge texts of many short lines without holding up the server", async () => {
    const a = await post(`/methods/${methodId}/edit`, valid({ steps: "a\n".repeat(9_999) }), voice.cookie);
    expect(a.status).toBe(303);
    const b = await post(`/methods/${methodId}/edit`, valid({ steps: "b\n".repeat(9_999) }), voice.cookie);
    expect(b.status).toBe(303);
    const history = await get(`/methods/${methodId}/history`);
    expect(history.status).toBe(200);
    expect(await history.text()).toContain("− a");
  });
});

describe("POST /sessions/:id/methods", () => {
  it("refuses everyone but the session's hosts, unknown names and sessions, and bad intents", async () => {
    const before = writes();
    const visitor = await post(`/sessions/${sessionId}/methods`, form({ intent: "add", name: "Check-in" }));
    expect(visitor.status).toBe(302);
    await refused(post(`/sessions/${sessionId}/methods`, form({ intent: "add", name: "Check-in" }), fresh.cookie), 403, before, "Alleen de kartrekkers");
    await refused(post(`/sessions/${sessionId}/methods`, form({ intent: "add", name: "Check-in" }), voice.cookie), 403, before);
    await refused(post(`/sessions/${sessionId}/methods`, form({ intent: "add", name: "Bestaat <b>niet</b>" }), host.cookie), 400, before, "Er is geen werkvorm met de naam");
    await refused(post(`/sessions/${sessionId}/methods`, form({ intent: "add", name: "x".repeat(100_000) }), host.cookie), [400, 413], before);
    await refused(post(`/sessions/${sessionId}/methods`, form({ intent: "remove", methodId: "abc" }), host.cookie), 400, before);
    await refused(post(`/sessions/${sessionId}/methods`, form({ intent: "delete-all" }), host.cookie), 400, before);
    await refused(post("/sessions/99999999/methods", form({ intent: "add", name: "Check-in" }), host.cookie), 404, before);
    sqlite.prepare("UPDATE members SET posting_held_at = ? WHERE id = ?").run(Date.now(), host.id);
    await refused(post(`/sessions/${sessionId}/methods`, form({ intent: "add", name: "Check-in" }), host.cookie), 403, before);
    sqlite.prepare("UPDATE members SET posting_held_at = NULL WHERE id = ?").run(host.id);
  });

  it("attaches a method once, however often it is sent at the same time", async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(`/sessions/${sessionId}/methods`, form({ intent: "add", name: "check-in" }), host.cookie)));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 303));
    expect(count(`SELECT count(*) FROM session_methods WHERE session_id = ${sessionId}`)).toBe(1);
    const page = await (await get(`/sessions/${sessionId}`)).text();
    expect(page).toContain(`href="/methods/${methodId}"`);
  });
});

describe("flags on methods", () => {
  it("refuses a flag from a fresh account or a held member, and an unknown method", async () => {
    const before = writes();
    const rule = encodeURIComponent("7. Respect en privacy.");
    await refused(post(`/methods/${methodId}/flag`, `rule=${rule}&reason=spam`, fresh.cookie), 403, before);
    await refused(post(`/methods/${methodId}/flag`, `rule=${rule}&reason=spam`, held.cookie), 403, before);
    await refused(post(`/methods/${methodId}/flag`, `rule=&reason=`, voice.cookie), 400, before);
    await refused(post(`/methods/${methodId}/flag`, `rule=${rule}&reason=${"x".repeat(1001)}`, voice.cookie), 400, before);
    await refused(post(`/methods/${methodId}/flag`, `rule=Geen%20regel&reason=spam`, voice.cookie), 400, before);
  });
});
