// Date polls (issue 17) against hostile clients, through the real server: the worst inputs for the
// offer and answer forms, forged links, the 501st response, visitors' answers per network address,
// and "make this the session" sent many times at once (one session). Every refusal is a clear 4xx
// with nothing written; never a 5xx or a stack trace.
import http from "node:http";
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pollRules } from "~/governance/config";
import { insertCourseSession, insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
let host: { id: string; cookie: string };
let fresh: { id: string; cookie: string };
let held: { id: string; cookie: string };
let initiativeId = 0;

type Answer = { status: number; location: string | null; body: string };
const day = 86_400_000;
const count = (query: string, ...params: unknown[]) => sqlite.prepare(query).pluck().get(...params) as number;
const writes = () => JSON.stringify(["date_polls", "poll_options", "poll_responses", "poll_answers", "sessions", "outbox"].map((t) => count(`SELECT count(*) FROM ${t}`)));

/** A request from `address` (a loopback address of its own, as from another network). */
function send(method: "GET" | "POST", path: string, fields?: [string, string][], cookie?: string, address = "127.0.0.1"): Promise<Answer> {
  const body = fields ? new URLSearchParams(fields).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, server.url),
      {
        method,
        localAddress: address,
        agent: false,
        headers: {
          "Accept-Language": "nl",
          ...(cookie ? { Cookie: cookie } : {}),
          ...(body !== undefined ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: server.url } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** A refusal: the status asked for, a page that says so in words, no stack trace, and nothing written. */
async function refused(answer: () => Promise<Answer>, status: number, text?: string | RegExp) {
  const before = writes();
  const res = await answer();
  expect(res.status, res.body.slice(0, 300)).toBe(status);
  expect(res.body).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//);
  if (typeof text === "string") expect(res.body).toContain(text);
  else if (text) expect(res.body).toMatch(text);
  expect(writes()).toBe(before);
  return res;
}

const dateIn = (days: number) => new Date(Date.now() + days * day).toISOString().slice(0, 10);
const row = (i: number, days = 10 + i): [string, string][] => [
  [`date-${i}`, dateIn(days)],
  [`start-${i}`, "19:30"],
  [`end-${i}`, "21:00"],
  [`place-${i}`, `Zaal ${i}`],
  [`mode-${i}`, "onsite"],
];
const offerFields = (rows: number, title = "Prikken"): [string, string][] => [["intent", "offer"], ["title", title], ...Array.from({ length: rows }, (_, i) => row(i)).flat()];

async function newPoll(rows = 2): Promise<{ code: string; options: number[] }> {
  const res = await send("POST", `/initiatives/${initiativeId}/polls/new`, offerFields(rows), host.cookie);
  expect(res.status, res.body.slice(0, 300)).toBe(303);
  const code = /\/polls\/([A-Za-z0-9_-]{24})$/.exec(res.location!)![1];
  const options = (sqlite.prepare("SELECT o.id FROM poll_options o JOIN date_polls p ON p.id = o.poll_id WHERE p.code = ? ORDER BY o.starts_at").pluck().all(code) as number[]);
  return { code, options };
}

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  [host, fresh, held] = insertMembers(sqlite, 3, "poll");
  initiativeId = insertCourseSession(sqlite, host.id, null).initiativeId;
  sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiativeId, held.id, Date.now(), Date.now());
  sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = '7. Respect' WHERE id = ?").run(Date.now(), held.id);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("offering times", () => {
  it("refuses 21 options, a title over 160 characters, repeated fields, nonsense times and unknown venues", async () => {
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, offerFields(21), host.cookie), 400, "hoogstens 20 momenten");
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, offerFields(2, "x".repeat(161)), host.cookie), 400, "160 tekens");
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, [...offerFields(2), ["title", "Nog een"]], host.cookie), 400, "dubbel");
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, [...offerFields(2), ["date-0", dateIn(3)]], host.cookie), 400, "dubbel");
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, offerFields(1), host.cookie), 400, "minstens 2");
    const bad = offerFields(2).map(([k, v]): [string, string] => (k === "start-1" ? [k, "25:99"] : k === "date-0" ? [k, "2027-02-31"] : [k, v]));
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, bad, host.cookie), 400, "geldige");
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, [...offerFields(2), ["venueId-0", "99999999"]], host.cookie), 400, "Deze plek kennen we niet");
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, [...offerFields(2).filter(([k]) => k !== "mode-0"), ["mode-0", "maybe'; DROP"]], host.cookie), 400, "online of allebei");
  });

  it("refuses visitors, fresh accounts and held hosts, and unknown initiatives", async () => {
    expect((await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, offerFields(2)), 302)).location).toMatch(/^\/login/);
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, offerFields(2), fresh.cookie), 403);
    await refused(() => send("POST", `/initiatives/${initiativeId}/polls/new`, offerFields(2), held.cookie), 403);
    await refused(() => send("POST", `/initiatives/99999999/polls/new`, offerFields(2), host.cookie), 404);
    await refused(() => send("POST", `/initiatives/abc/polls/new`, offerFields(2), host.cookie), 404);
  });
});

describe("answering", () => {
  let poll: { code: string; options: number[] };
  let other: { code: string; options: number[] };
  beforeAll(async () => {
    poll = await newPoll();
    other = await newPoll();
  });
  const answer = (fields: [string, string][], cookie?: string, address?: string) => send("POST", `/polls/${poll.code}`, [["intent", "answer"], ...fields], cookie, address);

  it("is a noindex page for anyone with the link", async () => {
    const page = await send("GET", `/polls/${poll.code}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<meta name="robots" content="noindex"/>');
  });

  it("refuses an 81-character name, no name, another poll's option, a forged answer, repeated fields and forged edit codes", async () => {
    const o = poll.options[0];
    await refused(() => answer([["name", "x".repeat(pollRules.nameMax + 1)], [`answer-${o}`, "yes"]]), 400, "hoogstens 80 tekens");
    await refused(() => answer([["name", ""], [`answer-${o}`, "yes"]]), 400, "Vul je naam in");
    await refused(() => answer([["name", "Gast"], [`answer-${other.options[0]}`, "yes"]]), 400, "hoort niet bij deze prikpoll");
    await refused(() => answer([["name", "Gast"], [`answer-${o}`, "maybe'; DROP"]]), 400, "ja, als het moet of nee");
    await refused(() => answer([["name", "Gast"], [`answer-${o}`, "yes"], [`answer-${o}`, "no"]]), 400, "dubbel");
    await refused(() => answer([["name", "Gast"], ["name", "Tweede"], [`answer-${o}`, "yes"]]), 400, "dubbel");
    await refused(() => answer([["name", "Gast"], [`answer-abc`, "yes"]]), 400);
    await refused(() => answer([["name", "Gast"]]), 400, "minstens één moment");
    await refused(() => send("POST", `/polls/${poll.code}`, [["intent", "answer"], ["intent", "close"], [`answer-${o}`, "yes"]], fresh.cookie), 400);
    // A forged edit code of the right shape, and another poll's real one.
    await refused(() => answer([["name", "Gast"], ["edit", "A".repeat(24)], [`answer-${o}`, "yes"]]), 400, "persoonlijke link kennen we niet");
    const theirs = await send("POST", `/polls/${other.code}`, [["intent", "answer"], ["name", "Ander"], [`answer-${other.options[0]}`, "yes"]], undefined, "127.0.0.5");
    const theirEdit = /edit=([A-Za-z0-9_-]{24})/.exec(theirs.location!)![1];
    await refused(() => answer([["name", "Gast"], ["edit", theirEdit], [`answer-${o}`, "yes"]]), 400, "persoonlijke link kennen we niet");
    // Opening the poll with a forged edit code shows nobody's answers as the visitor's own.
    const page = await send("GET", `/polls/${poll.code}?edit=${theirEdit}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain("Ander");
  });

  it("answers forged and malformed poll codes with 404", async () => {
    for (const code of ["A".repeat(24), "short", "x".repeat(500), "%00", "..%2F..%2Fetc"]) {
      expect((await send("GET", `/polls/${code}`)).status).toBe(404);
      await refused(() => send("POST", `/polls/${code}`, [["intent", "answer"], ["name", "Gast"], [`answer-${poll.options[0]}`, "yes"]]), 404);
    }
  });

  it("lets a held member answer (it is not posting) but not close", async () => {
    expect((await answer([[`answer-${poll.options[0]}`, "yes"]], held.cookie)).status).toBe(303);
    await refused(() => send("POST", `/polls/${poll.code}`, [["intent", "close"]], held.cookie), 403);
    await refused(() => send("POST", `/polls/${poll.code}`, [["intent", "make"], ["optionId", String(poll.options[0])]], held.cookie), 403);
  });

  it("takes at most 30 new answers by visitors from one network address an hour", async () => {
    const address = "127.0.0.21";
    const statuses: number[] = [];
    for (let i = 0; i < pollRules.visitorAnswersPerAddress.limit; i++) statuses.push((await answer([["name", `Gast ${i}`], [`answer-${poll.options[1]}`, "maybe"]], undefined, address)).status);
    expect(statuses.every((s) => s === 303)).toBe(true);
    await refused(() => answer([["name", "Te veel"], [`answer-${poll.options[1]}`, "maybe"]], undefined, address), 429, /Probeer het over \d+ minuten? opnieuw/);
    // Another address, and members, are not held up by it.
    expect((await answer([["name", "Buur"], [`answer-${poll.options[1]}`, "yes"]], undefined, "127.0.0.22")).status).toBe(303);
  });

  it("takes at most 500 responses per poll", async () => {
    const full = await newPoll();
    const pollId = count("SELECT id FROM date_polls WHERE code = ?", full.code);
    const insert = sqlite.prepare("INSERT INTO poll_responses (poll_id, member_id, name, edit_code, created_at, updated_at) VALUES (?, NULL, ?, ?, ?, ?)");
    sqlite.transaction(() => {
      for (let i = 0; i < pollRules.responsesMax; i++) insert.run(pollId, `Gast ${i}`, `${full.code.slice(0, 12)}${String(i).padStart(12, "0")}`, Date.now(), Date.now());
    })();
    await refused(() => send("POST", `/polls/${full.code}`, [["intent", "answer"], ["name", "Nummer 501"], [`answer-${full.options[0]}`, "yes"]], undefined, "127.0.0.31"), 409, "500");
    await refused(() => send("POST", `/polls/${full.code}`, [["intent", "answer"], [`answer-${full.options[0]}`, "yes"]], fresh.cookie), 409, "500");
  });
});

describe("making the session", () => {
  it("makes one session when 'make this the session' arrives many times at once", async () => {
    const poll = await newPoll(3);
    const before = count("SELECT count(*) FROM sessions WHERE initiative_id = ?", initiativeId);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => send("POST", `/polls/${poll.code}`, [["intent", "make"], ["optionId", String(poll.options[i % 2])]], host.cookie)));
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409, 409, 409, 409]);
    expect(count("SELECT count(*) FROM sessions WHERE initiative_id = ?", initiativeId)).toBe(before + 1);
    expect(count("SELECT session_id IS NOT NULL FROM date_polls WHERE code = ?", poll.code)).toBe(1);
    for (const a of answers) expect(a.body).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)/);
  });

  it("refuses another poll's option, a forged option id and a meeting link that is not a web address", async () => {
    const poll = await newPoll();
    const other = await newPoll();
    await refused(() => send("POST", `/polls/${poll.code}`, [["intent", "make"], ["optionId", String(other.options[0])]], host.cookie), 400);
    await refused(() => send("POST", `/polls/${poll.code}`, [["intent", "make"], ["optionId", "1e3"]], host.cookie), 400);
    await refused(() => send("POST", `/polls/${poll.code}`, [["intent", "make"], ["optionId", String(poll.options[0])], ["capacity", "-1"]], host.cookie), 400);
    await refused(() => send("POST", `/polls/${poll.code}`, [["intent", "make"], ["optionId", String(poll.options[0])], ["optionId", String(poll.options[1])]], host.cookie), 400);
    await refused(() => send("POST", `/polls/${poll.code}`, [["intent", "unknown"]], host.cookie), 400);
  });
});
