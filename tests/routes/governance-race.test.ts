// Flag thresholds and closing proposals under concurrent requests, through the real server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let sqlite: ReturnType<typeof openServerDatabase>;
let members: { id: string; cookie: string }[];

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  members = insertMembers(sqlite, 8);
  // Accounts three days old: while the network starts up, they all have a voice.
  sqlite.prepare("UPDATE members SET created_at = ?").run(Date.now() - 3 * 86_400_000);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

const post = (path: string, cookie: string, fields: Record<string, string>) =>
  fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields).toString(),
  });

describe("concurrent governance", () => {
  it("hides content exactly once when many flags arrive at the same moment", async () => {
    const [author, ...flaggers] = members;
    const now = Date.now();
    const { id } = sqlite
      .prepare("INSERT INTO initiatives (title, summary, kind, updated_at, created_by) VALUES ('Goedkope pillen', 'spam', 'activity', ?, ?) RETURNING id")
      .get(now, author.id) as { id: number };
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(id, author.id, now, now);
    const responses = await Promise.all(flaggers.map((m) => post(`/initiatives/${id}/flag`, m.cookie, { rule: "7. Respect en privacy", reason: "reclame" })));
    expect(responses.map((r) => r.status)).toEqual(flaggers.map(() => 303));
    expect(sqlite.prepare("SELECT times_hidden, hidden_at IS NOT NULL AS hidden FROM initiatives WHERE id = ?").get(id)).toEqual({ times_hidden: 1, hidden: 1 });
    expect(sqlite.prepare("SELECT count(*) AS n FROM log_entries WHERE action = 'content.hidden' AND subject_id = ?").get(String(id))).toEqual({ n: 1 });
    expect(sqlite.prepare("SELECT count(*) AS n FROM flags WHERE target_id = ?").get(String(id))).toEqual({ n: flaggers.length });
    const feed = await (await fetch(`${server.url}/?q=pillen`)).text();
    expect(feed).not.toContain("Goedkope pillen");
  });

  it("closes a proposal exactly once, and applies its effect once, when many people open it at the deadline", async () => {
    const opener = members[0];
    const rulesBefore = (sqlite.prepare("SELECT count(*) AS n FROM house_rules").get() as { n: number }).n;
    const past = Date.now() - 1000;
    const { id } = sqlite
      .prepare(
        "INSERT INTO proposals (scope, kind, title, body, effect, opened_by, opened_at, deadline) VALUES ('network', 'consent', 'Regels', '', ?, ?, ?, ?) RETURNING id",
      )
      .get(JSON.stringify({ type: "rules", text: "1. **Nieuw.** Alles anders." }), opener.id, past - 7 * 86_400_000, past) as { id: number };
    const insertPosition = sqlite.prepare("INSERT INTO proposal_positions (proposal_id, member_id, position, reason, updated_at) VALUES (?, ?, 'consent', '', ?)");
    for (const m of members.slice(0, 4)) insertPosition.run(id, m.id, past - 60_000);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => fetch(i % 2 ? `${server.url}/proposals/${id}` : `${server.url}/proposals`)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(sqlite.prepare("SELECT count(*) AS n FROM log_entries WHERE action = 'proposal.closed' AND subject_id = ?").get(String(id))).toEqual({ n: 1 });
    expect((sqlite.prepare("SELECT count(*) AS n FROM house_rules").get() as { n: number }).n).toBe(rulesBefore + 1);
    const outcome = JSON.parse((sqlite.prepare("SELECT outcome FROM proposals WHERE id = ?").get(id) as { outcome: string }).outcome);
    expect(outcome).toMatchObject({ adopted: true, reason: "adopted", eligible: 8, quorum: 3 });
    expect(await (await fetch(`${server.url}/rules`)).text()).toContain("Alles anders");
  });
});
