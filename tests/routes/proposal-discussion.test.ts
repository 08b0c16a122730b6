// Proposals people talk about (issue 17), through the real server and a real SMTP server: the
// mail when a proposal opens (to every eligible member and only them, its own switch, one-click
// unsubscribe), the discussion under the comment rules (newcomer limit, flags, hiding, the
// author's one edit), amending after an objection (positions cleared, every version kept, a mail),
// closing early after the last call (logged), and the races between them.
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import { rawRequest } from "../support/raw-http";
import { startServer, type RunningServer } from "../support/server";
import { startSmtp } from "../support/smtp";

const hour = 3_600_000;
const day = 24 * hour;

let server: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let sqlite: ReturnType<typeof openServerDatabase>;
let founders: { id: string; cookie: string }[];
let newcomer: { id: string; cookie: string };
let held: { id: string; cookie: string };

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ SMTP_URL: smtp.url, MAIL_FROM: "Meedoen <meedoen@example.org>", SCHEDULER_INTERVAL_MS: "200" });
  sqlite = openServerDatabase(server.databasePath);
  // Six founders with accounts three days old: while the network bootstraps they all have a voice
  // and are witnesses (governance.md §1); the newcomer and the held member have no voice.
  founders = insertMembers(sqlite, 6, "f");
  const threeDaysAgo = Date.now() - 3 * day;
  for (const f of founders) sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(threeDaysAgo, threeDaysAgo, f.id);
  [newcomer, held] = insertMembers(sqlite, 2, "n");
  sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = '7. Respect en privacy.' WHERE id = ?").run(Date.now(), held.id);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
  await smtp?.close();
});

const post = (path: string, cookie: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return fetch(server.url + path, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie }, body: body.toString() });
};
const page = async (path: string, cookie = "") => (await fetch(server.url + path, { headers: cookie ? { Cookie: cookie } : {} })).text();
const emailOf = (m: { id: string }) => `${m.id}@example.org`;
const row = <T>(query: string, ...args: unknown[]) => sqlite.prepare(query).get(...args) as T;

async function openProposal(by: { cookie: string }, title: string, extra: Record<string, string> = {}) {
  const answer = await post("/proposals/new", by.cookie, { title, body: "Zullen we dit doen?", kind: "consent", scope: "network", days: "7", ...extra });
  expect(answer.status).toBe(303);
  return Number(/\/proposals\/(\d+)/.exec(answer.headers.get("location")!)![1]);
}

/** The mails whose subject holds `text`, once `count` of them arrived (the scheduler sends every 200 ms). */
async function mailsAbout(text: string, count: number) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = smtp.received.filter((m) => m.subject.includes(text));
    if (found.length >= count) {
      await new Promise((resolve) => setTimeout(resolve, 600));
      return smtp.received.filter((m) => m.subject.includes(text));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return smtp.received.filter((m) => m.subject.includes(text));
}

describe("the mail when a proposal opens", () => {
  it("goes to every member with a voice except the opener, once, with the deadline in the community's time and a link", async () => {
    const [opener, ...others] = founders;
    const id = await openProposal(opener, "Gezamenlijke agenda");
    const mails = await mailsAbout("Gezamenlijke agenda", others.length);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(others.map(emailOf).sort());
    const deadline = row<{ deadline: number }>("SELECT deadline FROM proposals WHERE id = ?", id).deadline;
    const parsed = await simpleParser(mails[0].raw);
    expect(parsed.subject).toBe("Nieuw voorstel: Gezamenlijke agenda");
    const local = new Intl.DateTimeFormat("nl-NL", { timeZone: "Europe/Amsterdam", hour: "2-digit", minute: "2-digit" }).format(new Date(deadline));
    expect(parsed.text).toContain(local);
    expect(parsed.text).toContain(`/proposals/${id}`);
    // Optional: mail programs offer one-click unsubscribe (RFC 8058).
    expect(mails[0].raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(mails[0].raw).toMatch(/^List-Unsubscribe:\s+<http[^>]+\/unsubscribe\/[\w-]{20,64}>/m);
    expect(row<{ n: number }>("SELECT count(*) AS n FROM outbox WHERE kind = 'proposal-opened' AND dedupe_key LIKE ?", `proposal-opened:${id}:%`).n).toBe(others.length);
    // The newcomer and the held member have no voice: no mail.
    expect(mails.some((m) => [emailOf(newcomer), emailOf(held)].includes(m.to[0]))).toBe(false);
    expect(row<{ n: number }>("SELECT count(*) AS n FROM proposal_versions WHERE proposal_id = ? AND version = 1", id).n).toBe(1);
  });

  it("has its own switch in the settings, and the one-click unsubscribe stops it", async () => {
    const [opener, switcher, clicker] = founders;
    const settings = await page("/settings", switcher.cookie);
    expect(settings).toContain('value="proposal-opened"');
    // Everything on but this kind.
    const kinds = [...settings.matchAll(/<input[^>]*name="mail"[^>]*>/g)].map((m) => /value="([^"]+)"/.exec(m[0])![1]).filter((k) => k !== "proposal-opened");
    expect(kinds).toContain("proposal-reminder");
    expect((await post("/settings", switcher.cookie, { intent: "mail", mail: kinds })).status).toBe(303);
    expect(JSON.parse(row<{ mail_off: string }>("SELECT mail_off FROM members WHERE id = ?", switcher.id).mail_off)).toEqual(["proposal-opened"]);
    const earlier = smtp.received.find((m) => m.to[0] === emailOf(clicker) && m.subject.includes("Gezamenlijke agenda"))!;
    const url = new URL((/^List-Unsubscribe:\s+<([^>]+)>/m.exec(earlier.raw) ?? [])[1]);
    const body = "List-Unsubscribe=One-Click";
    const answer = await rawRequest(server.url + url.pathname, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": body.length }, body });
    expect(answer.status).toBe(200);

    await openProposal(opener, "Tweede voorstel over de agenda");
    const mails = await mailsAbout("Tweede voorstel over de agenda", founders.length - 3);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(founders.slice(3).map(emailOf).sort());
  });
});

describe("the discussion on a proposal", () => {
  let proposalId: number;
  beforeAll(async () => {
    proposalId = await openProposal(founders[3], "Een bespreking");
  });

  it("lets a newcomer comment, shows it to visitors, and lets the author edit it", async () => {
    const answer = await post(`/proposals/${proposalId}/comments`, newcomer.cookie, { body: "Wat kost dit **ongeveer**?" });
    expect(answer.status).toBe(303);
    const commentId = Number(/proposal-comment-(\d+)/.exec(answer.headers.get("location")!)![1]);
    expect(await page(`/proposals/${proposalId}`)).toContain("<strong>ongeveer</strong>");
    expect((await post(`/proposal-comments/${commentId}/edit`, newcomer.cookie, { body: "Wat kost dit per jaar?" })).status).toBe(303);
    expect((await post(`/proposal-comments/${commentId}/edit`, founders[0].cookie, { body: "Niet van mij" })).status).toBe(403);
    expect(await page(`/proposals/${proposalId}`)).toContain("Wat kost dit per jaar?");
  });

  it("refuses a held member (403) and a newcomer past the daily limit shared with comments and outcomes (429)", async () => {
    expect((await post(`/proposals/${proposalId}/comments`, held.cookie, { body: "Ik mag niets" })).status).toBe(403);
    const [limited] = insertMembers(sqlite, 1, "limit");
    const initiative = sqlite.prepare("INSERT INTO initiatives (title, summary, kind, updated_at, created_by) VALUES ('Soep', 'Samen', 'activity', ?, ?) RETURNING id").get(Date.now(), founders[0].id) as { id: number };
    const insertComment = sqlite.prepare("INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)");
    for (let i = 0; i < 19; i++) insertComment.run(initiative.id, limited.id, `reactie ${i}`, Date.now() - hour, Date.now() - hour);
    expect((await post(`/proposals/${proposalId}/comments`, limited.cookie, { body: "De twintigste" })).status).toBe(303);
    const refused = await post(`/proposals/${proposalId}/comments`, limited.cookie, { body: "De eenentwintigste" });
    expect(refused.status).toBe(429);
    expect(row<{ n: number }>("SELECT count(*) AS n FROM proposal_comments WHERE member_id = ?", limited.id).n).toBe(1);
  });

  it("hides a comment when two witnesses flag it, keeps it from visitors, brings it back when a flagger accepts the author's one edit, and opens the restore proposal the second time", async () => {
    const answer = await post(`/proposals/${proposalId}/comments`, newcomer.cookie, { body: "Koop goedkope horloges hier" });
    const commentId = Number(/proposal-comment-(\d+)/.exec(answer.headers.get("location")!)![1]);
    const flagIt = (by: { cookie: string }) => post(`/proposal-comments/${commentId}/flag`, by.cookie, { rule: "7. Respect en privacy.", reason: "reclame" });
    expect((await flagIt(newcomer)).status).toBe(403);
    expect((await flagIt(founders[0])).status).toBe(303);
    expect(await page(`/proposals/${proposalId}`)).toContain("goedkope horloges");
    expect((await flagIt(founders[1])).status).toBe(303);
    expect(row<{ times_hidden: number; hidden: number }>("SELECT times_hidden, hidden_at IS NOT NULL AS hidden FROM proposal_comments WHERE id = ?", commentId)).toEqual({ times_hidden: 1, hidden: 1 });
    expect(row<{ n: number }>("SELECT count(*) AS n FROM log_entries WHERE action = 'content.hidden' AND subject_type = 'proposal' AND subject_id = ?", String(proposalId)).n).toBe(1);
    expect(await page(`/proposals/${proposalId}`)).not.toContain("goedkope horloges");
    // Readable on click-through for its author and members with a voice.
    expect(await page(`/proposals/${proposalId}`, newcomer.cookie)).toContain("goedkope horloges");
    expect(await page(`/proposals/${proposalId}`, founders[4].cookie)).toContain("goedkope horloges");

    expect((await post(`/proposal-comments/${commentId}/edit`, newcomer.cookie, { body: "Sorry, zonder reclame: wat kost het?" })).status).toBe(303);
    // The edit waits for acceptance (governance.md §4): a member with a voice who flagged it accepts.
    expect(row<{ hidden: number }>("SELECT hidden_at IS NOT NULL AS hidden FROM proposal_comments WHERE id = ?", commentId).hidden).toBe(1);
    // The proposal page offers the accept button to a member with a voice, not to the author or a visitor.
    const acceptForm = `action="/content/proposal-comment/${commentId}/accept"`;
    expect(await page(`/proposals/${proposalId}`, founders[0].cookie)).toContain(acceptForm);
    expect(await page(`/proposals/${proposalId}`, newcomer.cookie)).not.toContain(acceptForm);
    expect(await page(`/proposals/${proposalId}`)).not.toContain(acceptForm);
    const accepted = await post(`/content/proposal-comment/${commentId}/accept`, founders[0].cookie, {});
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("location")).toBe(`/proposals/${proposalId}#proposal-comment-${commentId}`);
    expect(row<{ hidden: number }>("SELECT hidden_at IS NOT NULL AS hidden FROM proposal_comments WHERE id = ?", commentId).hidden).toBe(0);
    expect(await page(`/proposals/${proposalId}`)).toContain("zonder reclame");

    await flagIt(founders[2]);
    await flagIt(founders[3]);
    expect(row<{ times_hidden: number; hidden: number }>("SELECT times_hidden, hidden_at IS NOT NULL AS hidden FROM proposal_comments WHERE id = ?", commentId)).toEqual({ times_hidden: 2, hidden: 1 });
    const restore = row<{ id: number; effect: string; opened_by: string | null }>("SELECT id, effect, opened_by FROM proposals WHERE json_extract(effect, '$.targetType') = 'proposal-comment'");
    expect(restore.opened_by).toBeNull();
    expect(JSON.parse(restore.effect)).toEqual({ type: "restore-content", targetType: "proposal-comment", targetId: String(commentId) });
    // Hidden a second time, it is not edited any more: the proposal decides on the text as it stands.
    expect((await post(`/proposal-comments/${commentId}/edit`, newcomer.cookie, { body: "Nog een keer" })).status).toBe(409);
    expect(row<{ hidden: number }>("SELECT hidden_at IS NOT NULL AS hidden FROM proposal_comments WHERE id = ?", commentId).hidden).toBe(1);
  });
});

describe("amending after an objection", () => {
  it("makes amending the main action, clears the positions, keeps every version and mails everyone eligible", async () => {
    const [opener, objector, supporter] = founders;
    const id = await openProposal(opener, "Vergaderen op zaterdag");
    expect((await post(`/proposals/${id}`, supporter.cookie, { intent: "respond", position: "consent", reason: "" })).status).toBe(303);
    // No objection yet: nothing to amend.
    expect((await post(`/proposals/${id}/amend`, opener.cookie, { title: "x", answers: "y", version: "1" })).status).toBe(409);
    expect((await post(`/proposals/${id}`, objector.cookie, { intent: "respond", position: "object", reason: "Op zaterdag werk ik" })).status).toBe(303);
    const before = await page(`/proposals/${id}`, supporter.cookie);
    expect(before).toContain(`href="/proposals/${id}/amend"`);
    expect(before).toContain("Voorstel aanpassen");

    const form = await page(`/proposals/${id}/amend`, supporter.cookie);
    expect(form).toContain("Op zaterdag werk ik");
    const answer = await post(`/proposals/${id}/amend`, supporter.cookie, { title: "Vergaderen op vrijdagavond", body: "Om de week.", answers: "Niet op zaterdag: wie dan werkt kan er ook bij.", version: "1" });
    expect(answer.status).toBe(303);
    expect(answer.headers.get("location")).toBe(`/proposals/${id}?done=saved#version-2`);
    expect(row<{ title: string; version: number }>("SELECT title, version FROM proposals WHERE id = ?", id)).toEqual({ title: "Vergaderen op vrijdagavond", version: 2 });
    expect(row<{ n: number }>("SELECT count(*) AS n FROM proposal_positions WHERE proposal_id = ?", id).n).toBe(0);
    expect(row<{ n: number }>("SELECT count(*) AS n FROM proposal_versions WHERE proposal_id = ?", id).n).toBe(2);
    expect(row<{ n: number }>("SELECT count(*) AS n FROM log_entries WHERE action = 'proposal.amended' AND subject_id = ?", String(id)).n).toBe(1);

    const after = await page(`/proposals/${id}`);
    expect(after).toContain("Versies");
    expect(after).toContain("Niet op zaterdag: wie dan werkt kan er ook bij.");
    expect(after).toMatch(/<del>[^<]*Vergaderen op zaterdag/);
    expect(after).toMatch(/<ins>[^<]*Vergaderen op vrijdagavond/);
    expect(after).toContain("op versie 1");
    expect(after).toContain("Op zaterdag werk ik");

    // Everyone eligible but the one who amended (some switched this mail off above).
    const mails = await mailsAbout("Aangepast voorstel: Vergaderen op vrijdagavond", 3);
    const expected = founders.filter((f) => f !== supporter && f !== founders[1] && f !== founders[2]).map(emailOf).sort();
    expect(mails.map((m) => m.to[0]).sort()).toEqual(expected);
    const text = (await simpleParser(mails[0].raw)).text ?? "";
    expect(text).toContain("Niet op zaterdag");
  });

  it("gives two amendments of the same version one success and one refusal, never a lost update", async () => {
    const [opener, objector, a, b] = founders;
    const id = await openProposal(opener, "Nieuwe werkgroep");
    await post(`/proposals/${id}`, objector.cookie, { intent: "respond", position: "object", reason: "Te groot" });
    const answers = await Promise.all(
      [a, b, a, b].map((m, i) => post(`/proposals/${id}/amend`, m.cookie, { title: `Kleinere werkgroep ${i}`, body: "", answers: "Kleiner", version: "1" })),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([303, 409, 409, 409]);
    expect(row<{ version: number }>("SELECT version FROM proposals WHERE id = ?", id).version).toBe(2);
    expect(row<{ n: number }>("SELECT count(*) AS n FROM proposal_versions WHERE proposal_id = ?", id).n).toBe(2);
  });
});

describe("an amendment racing the close at the deadline", () => {
  it("is refused once the deadline has passed, and the proposal closes once on the version in force", async () => {
    const [opener, objector, other] = founders;
    const id = await openProposal(opener, "Op het nippertje");
    await post(`/proposals/${id}`, objector.cookie, { intent: "respond", position: "object", reason: "Nee" });
    sqlite.prepare("UPDATE proposals SET deadline = ? WHERE id = ?").run(Date.now() - 1, id);
    const [amended, ...views] = await Promise.all([
      post(`/proposals/${id}/amend`, other.cookie, { title: "Te laat", body: "", answers: "Het bezwaar", version: "1" }),
      ...Array.from({ length: 6 }, () => fetch(`${server.url}/proposals/${id}`)),
    ]);
    expect(amended.status).toBe(409);
    expect(views.every((v) => v.status === 200)).toBe(true);
    expect(row<{ version: number; closed: number }>("SELECT version, closed_at IS NOT NULL AS closed FROM proposals WHERE id = ?", id)).toEqual({ version: 1, closed: 1 });
    expect(row<{ n: number }>("SELECT count(*) AS n FROM log_entries WHERE action = 'proposal.closed' AND subject_id = ?", String(id)).n).toBe(1);
    expect(JSON.parse(row<{ outcome: string }>("SELECT outcome FROM proposals WHERE id = ?", id).outcome)).toMatchObject({ adopted: false, reason: "no-quorum" });
  });
});

describe("closing early", () => {
  it("closes when everyone responded and nobody changed during the last call, and logs it as closed early", async () => {
    const id = await openProposal(founders[5], "Iedereen eens");
    for (const f of founders) expect((await post(`/proposals/${id}`, f.cookie, { intent: "respond", position: "consent", reason: "" })).status).toBe(303);
    // Still in the last call: open, and the page says when it would close.
    expect(await page(`/proposals/${id}`)).toContain("sluit dit voorstel eerder");
    expect(row<{ closed: number }>("SELECT closed_at IS NOT NULL AS closed FROM proposals WHERE id = ?", id).closed).toBe(0);
    // The last call is mailed once to everyone eligible (but the one who unsubscribed from all mail).
    const lastCalls = await mailsAbout("Laatste oproep: Iedereen eens", founders.length - 1);
    expect(lastCalls.map((m) => m.to[0]).sort()).toEqual(founders.filter((f) => f !== founders[2]).map(emailOf).sort());
    sqlite.prepare("UPDATE proposal_positions SET updated_at = updated_at - ? WHERE proposal_id = ?").run(25 * hour, id);
    const html = await page(`/proposals/${id}`);
    expect(html).toContain("Eerder gesloten");
    const log = row<{ detail: string }>("SELECT detail FROM log_entries WHERE action = 'proposal.closed' AND subject_id = ?", String(id));
    expect(JSON.parse(log.detail)).toMatchObject({ adopted: true, closedEarly: "all-responded-unchanged", eligible: 6 });
    const logPage = await page("/log");
    expect(logPage).toContain("eerder gesloten");
  });

  it("races a position change at the same moment safely: either the change counts and it stays open, or it closed first and the change is refused", async () => {
    const id = await openProposal(founders[5], "Race om te sluiten");
    for (const f of founders) await post(`/proposals/${id}`, f.cookie, { intent: "respond", position: "consent", reason: "" });
    sqlite.prepare("UPDATE proposal_positions SET updated_at = updated_at - ? WHERE proposal_id = ?").run(25 * hour, id);
    const [change, ...views] = await Promise.all([
      post(`/proposals/${id}`, founders[0].cookie, { intent: "respond", position: "object", reason: "Toch niet" }),
      ...Array.from({ length: 8 }, () => fetch(`${server.url}/proposals/${id}`)),
    ]);
    expect(views.every((v) => v.status === 200)).toBe(true);
    const state = row<{ closed: number }>("SELECT closed_at IS NOT NULL AS closed FROM proposals WHERE id = ?", id);
    const closings = row<{ n: number }>("SELECT count(*) AS n FROM log_entries WHERE action = 'proposal.closed' AND subject_id = ?", String(id)).n;
    if (change.status === 303) {
      expect(state.closed).toBe(0);
      expect(closings).toBe(0);
    } else {
      expect(change.status).toBe(409);
      expect(state.closed).toBe(1);
      expect(closings).toBe(1);
    }
  });
});
