// The agenda's new addresses under their worst inputs, through the real server: impossible months
// and weeks, huge and repeated parameters, wrong types, as a visitor, a fresh account and a held
// member. Always a sane page or a clear 4xx, never a 5xx or a stack trace; nothing is written.
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let sqlite: Database.Database;
let fresh: { id: string; cookie: string };
let held: { id: string; cookie: string };

const count = (query: string) => sqlite.prepare(query).pluck().get() as number;
const writes = () => JSON.stringify(["sessions", "initiatives", "organisations", "venues", "log_entries", "registrations"].map((t) => count(`SELECT count(*) FROM ${t}`)));
const stack = /\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//;

beforeAll(async () => {
  server = await startServer({ SCHEDULER_INTERVAL_MS: "3600000" });
  sqlite = openServerDatabase(server.databasePath);
  [fresh, held] = insertMembers(sqlite, 2, "agh");
  sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = '7. Respect en privacy.' WHERE id = ?").run(Date.now(), held.id);
  // One session next week, so every view has something to show.
  const now = Date.now();
  const initiative = sqlite.prepare("INSERT INTO initiatives (title, summary, body, kind, updated_at, created_by) VALUES ('Vijandige Vrijdag', 'x', '', 'activity', ?, ?) RETURNING id").pluck().get(now, fresh.id) as number;
  sqlite.prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, checkin_code, updated_at) VALUES (?, ?, ?, 'ACDEFG', ?)").run(initiative, now + 7 * 86_400_000, now + 7 * 86_400_000 + 3_600_000, now);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

const huge = "x".repeat(6000);
const viewers = () => [
  ["visitor", undefined],
  ["fresh account", fresh.cookie],
  ["held member", held.cookie],
] as const;

/** Fetches `path` and checks the answer is one of `statuses`, without a stack; returns the body. */
async function answer(path: string, statuses: number[], cookie?: string) {
  const response = await fetch(server.url + path, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
  const body = await response.text();
  expect(statuses, `${path}: ${response.status}`).toContain(response.status);
  expect(body).not.toMatch(stack);
  return { body, response };
}

describe("the month and week views", () => {
  const cases: [string, string][] = [
    ["view=month&month=9999-99", "month-grid"],
    ["view=month&month=0000-00", "month-grid"],
    ["view=month&month=2026-13", "month-grid"],
    ["view=month&month=-2026-01", "month-grid"],
    ["view=month&month=1969-12", "month-grid"],
    ["view=month&month=9998-12", "month-grid"],
    ["view=month&month=9999-12", "month-grid"],
    ["view=month&month=1970-01", "month-grid"],
    ["view=month&month[]=2026-01", "month-grid"],
    ["view=month&month=2026-01&month=2027-05", "month-grid"],
    ["view=month&view=week&week=2026-W10", "month-grid"],
    ["view=month&date=2026-02-30", "month-grid"],
    [`view=month&month=${huge}`, "month-grid"],
    ["view=week&week=abc", "week-grid"],
    ["view=week&week=2026-W99", "week-grid"],
    ["view=week&week=2025-W53", "week-grid"],
    ["view=week&week=9998-W52", "week-grid"],
    ["view=week&week=9999-W52", "week-grid"],
    ["view=week&week=1970-W01", "week-grid"],
    ["view=week&date=99999-01-01", "week-grid"],
    ["view=week&date=%00%FF", "week-grid"],
    ["view=MONTH", "agenda"],
    [`view=${huge}`, "agenda"],
    [`view=month&q=${huge}`, "month-grid"],
    [`view=month&tag=${huge}`, "month-grid"],
    ["view=month&q=%22%20OR%20*%20NEAR(a%20b)%20%22", "month-grid"],
    ["view=month&kind=x&kind=course&mode=%27", "month-grid"],
    [`view=week&${Array.from({ length: 500 }, (_, i) => `tag=t${i}`).join("&")}`, "week-grid"],
  ];
  it.each(cases.map(([query, shows]) => [query.length > 80 ? `${query.slice(0, 60)}… (${query.length} characters)` : query, query, shows]))("?%s is a page, never an error", async (_, query, shows) => {
    const before = writes();
    for (const [, cookie] of viewers()) {
      const { body } = await answer(`/agenda?${query}`, [200], cookie);
      expect(body).toContain(`class="${shows}`);
    }
    expect(writes()).toBe(before);
  });

  it("shows no next month after 9998-12 and no previous before 1970-01, and a bad month is this month", async () => {
    const last = (await answer("/agenda?view=month&month=9998-12", [200])).body;
    expect(last).toContain("month=9998-11");
    expect(last).not.toContain("month=9999-01");
    const first = (await answer("/agenda?view=month&month=1970-01", [200])).body;
    expect(first).toContain("month=1970-02");
    expect(first).not.toContain("month=1969");
    const now = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam", year: "numeric", month: "2-digit" }).format(Date.now()).slice(0, 7);
    expect((await answer("/agenda?view=month&month=9999-99", [200])).body).toContain(`<input type="hidden" name="month" value="${now}"/>`);
  });
});

describe("the embed and the JSON feed", () => {
  const cases: [string, number][] = [
    ["organisation=", 200],
    ["venue=", 200],
    ["venue=0", 400],
    ["venue=1e3", 400],
    ["venue=99999999999999999999", 400],
    ["venue=1&venue=2", 400],
    [`organisation=${huge}`, 400],
    ["organisation=%00", 400],
    ["organisation[]=x", 200],
    [`tag=${huge}`, 200],
    [`q=${huge}`, 200],
    ["lang=xx", 200],
    ["lang=en&lang=nl", 200],
    [`${Array.from({ length: 500 }, (_, i) => `tag=t${i}`).join("&")}`, 200],
  ];
  it.each(cases.map(([query, status]) => [query.length > 80 ? `${query.slice(0, 60)}… (${query.length} characters)` : query, status, query] as const))("?%s answers %i", async (_, status, query) => {
    const before = writes();
    for (const [, cookie] of viewers()) {
      const embed = await answer(`/embed/agenda?${query}`, [status], cookie);
      expect(embed.response.headers.get("set-cookie")).toBeNull();
      expect(embed.body).not.toMatch(/<form|<script/);
      const feed = await answer(`/agenda.json?${query}`, [status], cookie);
      expect(() => JSON.parse(feed.body)).not.toThrow();
      expect(feed.response.headers.get("set-cookie")).toBeNull();
    }
    expect(writes()).toBe(before);
  });

  it("answers only GET and HEAD: a POST is refused without a 5xx", async () => {
    for (const path of ["/embed/agenda", "/agenda.json"]) {
      const response = await fetch(server.url + path, { method: "POST", headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" }, body: "a=b", redirect: "manual" });
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      const head = await fetch(server.url + path, { method: "HEAD" });
      expect(head.status).toBe(200);
    }
  });

  it("answers many requests at once without failing", async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${server.url}/${i % 2 ? "embed/agenda" : "agenda.json"}?tag=t${i % 5}`)));
    for (const response of answers) expect([200, 503]).toContain(response.status);
    expect(answers.filter((r) => r.status === 200).length).toBeGreaterThan(30);
  });
});
