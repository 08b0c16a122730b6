// Flag thresholds, closing proposals and co-host requests under concurrent requests, through the
// real server (governance.md §2–§4, version 2).
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
  // Founders with accounts three days old: while the network bootstraps they all have a voice and
  // are witnesses (governance.md §1).
  const threeDaysAgo = Date.now() - 3 * 86_400_000;
  sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ?").run(threeDaysAgo, threeDaysAgo);
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
    const responses = await Promise.all(flaggers.map((m) => post(`/initiatives/${id}/flag`, m.cookie, { rule: "7. Respect en privacy.", reason: "reclame" })));
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

  it("records a co-host request once, however often it is sent at the same moment, and settles it once when two hosts answer together", async () => {
    const [first, second, asker] = members;
    const now = Date.now();
    const { id } = sqlite
      .prepare("INSERT INTO initiatives (title, summary, kind, updated_at, created_by) VALUES ('Samen tuinieren', 'Elke zaterdag', 'activity', ?, ?) RETURNING id")
      .get(now, first.id) as { id: number };
    const addHost = sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)");
    addHost.run(id, first.id, now, now);
    addHost.run(id, second.id, now, now);
    const asks = await Promise.all(Array.from({ length: 6 }, () => post(`/initiatives/${id}/hosts`, asker.cookie, { intent: "join" })));
    expect(asks.map((r) => r.status)).toEqual(asks.map(() => 303));
    const requests = sqlite.prepare("SELECT id FROM host_requests WHERE initiative_id = ? AND member_id = ?").all(id, asker.id) as { id: number }[];
    expect(requests).toHaveLength(1);
    expect(sqlite.prepare("SELECT count(*) AS n FROM log_entries WHERE action = 'host.requested' AND subject_id = ?").get(String(id))).toEqual({ n: 1 });
    // Both hosts were mailed once.
    expect(sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE kind = 'host-request' AND member_id IN (?, ?)").get(first.id, second.id)).toEqual({ n: 2 });

    const request = String(requests[0].id);
    const answers = await Promise.all([
      post(`/initiatives/${id}/hosts`, first.cookie, { intent: "accept", request }),
      post(`/initiatives/${id}/hosts`, second.cookie, { intent: "decline", request }),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 404]);
    const answer = (sqlite.prepare("SELECT answer FROM host_requests WHERE id = ?").get(request) as { answer: string }).answer;
    expect(["accepted", "declined"]).toContain(answer);
    const logged = sqlite.prepare("SELECT action FROM log_entries WHERE action IN ('host.accepted', 'host.declined') AND subject_id = ?").all(String(id)) as { action: string }[];
    expect(logged).toEqual([{ action: `host.${answer}` }]);
    const hosts = sqlite.prepare("SELECT count(*) AS n FROM hosts WHERE initiative_id = ? AND member_id = ?").get(id, asker.id) as { n: number };
    expect(hosts.n).toBe(answer === "accepted" ? 1 : 0);
  });
});
