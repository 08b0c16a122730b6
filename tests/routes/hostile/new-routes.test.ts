// The routes governance version 2 and the login limits added (/founders, /founders/:token,
// /login/unlock/:token), each with its worst input through the real server, as a fresh account
// and as a held member: a clear 4xx, never a 5xx, and nothing written.
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
let founder: { id: string; cookie: string };
let fresh: { id: string; cookie: string };
let held: { id: string; cookie: string };
let token = "";

const day = 86_400_000;
const count = (query: string) => sqlite.prepare(query).pluck().get() as number;
const writes = () => JSON.stringify(["founder_invitations", "members WHERE founder_at IS NOT NULL", "outbox", "log_entries", "auth_sessions"].map((t) => count(`SELECT count(*) FROM ${t}`)));

function post(path: string, body: string, cookie?: string) {
  return fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) },
    body,
  });
}
const get = (path: string, cookie?: string) => fetch(server.url + path, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

/** A refusal: the status asked for, a page that says so, no stack trace, and nothing written. */
async function refused(answer: Promise<Response>, status: number | number[], before: string, text?: string) {
  const res = await answer;
  expect([status].flat(), `${res.status}`).toContain(res.status);
  const html = await res.text();
  // No stack trace: no "at fn (file:line:col)" frame, no path into the code.
  expect(html).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//);
  if (text) expect(html).toContain(text);
  expect(writes()).toBe(before);
}

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [founder, fresh, held] = insertMembers(sqlite, 3, "route");
  const old = Date.now() - 30 * day;
  sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, founder.id);
  sqlite.prepare("UPDATE members SET created_at = ?, posting_held_at = ?, posting_held_rule = '7. Respect en privacy.' WHERE id = ?").run(old, Date.now(), held.id);
  // A real invitation, so that a held member holds a valid link.
  const sent = await post("/founders", "email=uitgenodigd%40example.org", founder.cookie);
  expect(sent.status).toBe(200);
  const mail = sqlite.prepare("SELECT body FROM outbox WHERE kind = 'founder-invitation'").pluck().get() as string;
  token = /\/founders\/([A-Za-z0-9_-]{43})/.exec(mail)![1];
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("POST /founders", () => {
  const worst = [
    ["an address of 10,000 characters", `email=${"a".repeat(9_990)}%40example.org`],
    ["a header injection", "email=a%40example.org%0D%0ABcc%3A%20all%40example.org"],
    ["the field 150 times", Array.from({ length: 150 }, (_, i) => `email=x${i}%40example.org`).join("&")],
    ["201 fields", Array.from({ length: 201 }, (_, i) => `f${i}=x`).join("&")],
    ["no field at all", ""],
  ] as const;

  it.each(worst)("a fresh account sending %s is refused and nothing is written", async (_what, body) => {
    await refused(post("/founders", body, fresh.cookie), [400, 403, 413], writes());
  });

  it.each(worst)("a held member sending %s is refused and nothing is written", async (_what, body) => {
    await refused(post("/founders", body, held.cookie), [400, 403, 413], writes());
  });

  it("a held founder with a valid address is told why", async () => {
    sqlite.prepare("UPDATE members SET founder_at = created_at WHERE id = ?").run(held.id);
    try {
      await refused(post("/founders", "email=iemand%40example.org", held.cookie), 403, writes(), "tegengehouden");
    } finally {
      sqlite.prepare("UPDATE members SET founder_at = NULL WHERE id = ?").run(held.id);
    }
  });
});

describe("/founders/:token", () => {
  const tokens = [
    ["a token of 8,000 characters", "A".repeat(8_000)],
    ["a token one character off", "x".repeat(43)],
    ["unicode", encodeURIComponent("ÿ".repeat(43))],
    ["SQL", encodeURIComponent("' OR 1=1 --")],
  ] as const;

  it.each(tokens)("%s is not found, for a fresh account and a held member, by GET and POST", async (_what, bad) => {
    for (const who of [fresh, held]) {
      await refused(get(`/founders/${bad}`, who.cookie), [404, 414], writes());
      await refused(post(`/founders/${bad}`, "", who.cookie), [404, 413, 414], writes());
    }
  });

  it("a held member cannot accept a valid invitation; a fresh account can, once", async () => {
    await refused(post(`/founders/${token}`, "", held.cookie), 403, writes(), "tegengehouden");
    const accepted = await post(`/founders/${token}`, "", fresh.cookie);
    expect(accepted.status).toBe(303);
    expect(count(`SELECT count(*) FROM members WHERE id = '${fresh.id}' AND founder_at IS NOT NULL`)).toBe(1);
    await refused(post(`/founders/${token}`, "", held.cookie), 404, writes());
  });
});

describe("/login/unlock/:token", () => {
  it.each([
    ["a token of 8,000 characters", "A".repeat(8_000)],
    ["a token that was never sent", "B".repeat(43)],
    ["unicode", encodeURIComponent("漢".repeat(43))],
  ])("%s is not found, for a visitor, a fresh account and a held member", async (_what, bad) => {
    for (const cookie of [undefined, fresh.cookie, held.cookie]) {
      await refused(get(`/login/unlock/${bad}`, cookie), [404, 414], writes());
      await refused(post(`/login/unlock/${bad}`, "password=een%20lang%20genoeg%20wachtwoord", cookie), [404, 413, 414, 429], writes());
    }
  });

  it("a password of 100,000 characters and 201 fields are refused before anything is checked", async () => {
    const bad = "C".repeat(43);
    await refused(post(`/login/unlock/${bad}`, `password=${"p".repeat(100_000)}`, held.cookie), [404, 413], writes());
    await refused(post(`/login/unlock/${bad}`, Array.from({ length: 201 }, (_, i) => `f${i}=x`).join("&"), fresh.cookie), [404, 413], writes());
  });
});
