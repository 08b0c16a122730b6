// Hostile markdown through the real server (issue 12): a member posts, at each field's maximum
// length, the texts that crashed marked ("Maximum call stack size exceeded" from a few thousand
// nested `>`) and the ones that stalled it for seconds (`_a`, `_*a` repeated). The pages that show
// them — the initiative page, `/` (the outcome's excerpt), `/feed.xml` — answer 200 with the text
// shown (as text where it cannot be markup), and `/healthz` keeps answering while they are made.
// Times are printed, not asserted (tests/bench/markdown.ts measures them); a request only has to
// complete.
//
// The server shares this test file's own database (tests/support/setup.ts): the member, the
// initiative and its past session are made through the real models, the texts go through HTTP.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { contributionLimits } from "~/models/contributions.server";
import { flagLimits } from "~/models/flags.server";
import { limits } from "~/models/initiatives.server";
import { profileLimits } from "~/models/profiles.server";
import { fill, userTextFields } from "../../bench/markdown";
import { day, initiativeBy, sessionOf } from "../../support/fixtures";
import { makeFounder } from "../../support/governance";
import { memberWithSession } from "../../support/requests";
import { processCpuMs, startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let host: Awaited<ReturnType<typeof memberWithSession>>;
let initiativeId: number;
let pastSession: number;

/** A request that only has to complete: a stalled server fails it, a slow machine does not. */
const patience = 30_000;

/** CPU time the server process has used, in ms: a busy machine does not inflate it. */
const serverCpuMs = () => processCpuMs(server.process.pid!);

async function get(path: string, cookie?: string) {
  const started = performance.now();
  const cpuBefore = serverCpuMs();
  const res = await fetch(server.url + path, { headers: cookie ? { Cookie: cookie } : {}, signal: AbortSignal.timeout(patience) });
  const body = await res.text();
  const ms = performance.now() - started;
  return { status: res.status, body, ms, took: `${ms.toFixed(0)} ms (server CPU ${serverCpuMs() - cpuBefore} ms)` };
}

async function post(path: string, fields: Record<string, string>) {
  const res = await fetch(server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: server.url, Cookie: host.cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
    signal: AbortSignal.timeout(patience),
  });
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

/** `unit` repeated, then a word to find it by: exactly `length` characters. */
const hostile = (unit: string, length: number, word: string) => `${fill(unit, length - word.length - 1)} ${word}`;

const initiativeFields = (body: string) => ({ title: "Vijandige tekst", summary: "Een initiatief met een lastige beschrijving.", kind: "course", body, tags: "test", place: "Bieb", target: "" });

beforeAll(async () => {
  // The models (this process) and the server share the database file; migrate it here first.
  db();
  host = await memberWithSession("Vijandig Lid");
  // A founder has a voice while the network starts up: no newcomer limit on posting.
  makeFounder(host.id);
  const earlier = new Date(Date.now() - 3 * day);
  initiativeId = initiativeBy(host.id, { title: "Vijandige tekst", summary: "Een initiatief met een lastige beschrijving.", kind: "course" }, earlier);
  pastSession = sessionOf(initiativeId, host.id, { now: earlier, startsIn: day });
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, SCHEDULER_INTERVAL_MS: "3600000" });
  // The first request for a page compiles its code: not part of what is looked at here.
  for (const path of ["/", "/feed.xml", `/initiatives/${initiativeId}`]) await get(path, host.cookie);
});

afterAll(async () => {
  await server?.stop();
});

describe("hostile markdown through the server", () => {
  it("knows every user-text field's maximum length (the bench and these tests use them)", () => {
    const max = Object.fromEntries(userTextFields.map((f) => [f.name, f.max]));
    expect(max["initiative body"]).toBe(limits.body);
    expect(max["initiative summary"]).toBe(limits.summary);
    expect(max["initiative summary + body (/feed.xml)"]).toBe(limits.summary + 2 + limits.body);
    expect(max.outcome).toBe(contributionLimits.outcome);
    expect(max.comment).toBe(contributionLimits.comment);
    expect(max["member bio"]).toBe(profileLimits.bio);
    expect(max["now line"]).toBe(profileLimits.now);
    expect(max["flag reason"]).toBe(flagLimits.reason);
  });

  it("a comment of 2,500 nested quotes shows on the initiative page, as quotes and then text", async () => {
    const body = hostile("> ", contributionLimits.comment, "Diepgang");
    expect(body.length).toBe(contributionLimits.comment);
    const posted = await post(`/initiatives/${initiativeId}/comments`, { body });
    expect(posted.status, posted.body.slice(0, 300)).toBe(303);
    for (const cookie of [host.cookie, undefined]) {
      const page = await get(`/initiatives/${initiativeId}`, cookie);
      console.log(`[hostile markdown] initiative page with the nested comment (${cookie ? "member" : "visitor"}): ${page.status} in ${page.took}`);
      expect(page.status).toBe(200);
      expect(page.body).toContain("<blockquote>");
      expect(page.body).toContain("&gt; &gt; &gt; &gt;");
      expect(page.body).toContain("Diepgang");
    }
    expect((await get("/healthz")).status).toBe(200);
  });

  it("an outcome of 5,000 nested quotes leaves /, /feed.xml and the initiative page up", async () => {
    const body = hostile("> ", contributionLimits.outcome, "Uitkomstdiepte");
    const posted = await post(`/initiatives/${initiativeId}/outcomes`, { body, sessionId: String(pastSession) });
    expect(posted.status, posted.body.slice(0, 300)).toBe(303);
    const home = await get("/");
    const feed = await get("/feed.xml");
    const page = await get(`/initiatives/${initiativeId}`, host.cookie);
    console.log(`[hostile markdown] nested outcome: / ${home.status} in ${home.took}, /feed.xml ${feed.status} in ${feed.took}, initiative ${page.status} in ${page.took}`);
    expect([home.status, feed.status, page.status]).toEqual([200, 200, 200]);
    // On / its excerpt: the markers beyond the deepest quote are text.
    expect(home.body).toContain("&gt; &gt; &gt; &gt;");
    expect(feed.body).toContain("Uitkomstdiepte");
    expect(page.body).toContain("Uitkomstdiepte");
    expect((await get("/healthz")).status).toBe(200);
  });

  it("an initiative body of 10,000 `_a` and of `_*a` shows on its page and in the feed", async () => {
    for (const [unit, word] of [["_a", "Onderstreept"], ["_*a", "Sterretjes"]] as const) {
      const body = hostile(unit, limits.body, word);
      expect(body.length).toBe(limits.body);
      const posted = await post(`/initiatives/${initiativeId}/edit`, initiativeFields(body));
      expect(posted.status, posted.body.slice(0, 300)).toBe(303);
      const page = await get(`/initiatives/${initiativeId}`, host.cookie);
      const feed = await get("/feed.xml");
      console.log(`[hostile markdown] body of ${unit}: initiative ${page.status} in ${page.took}, /feed.xml ${feed.status} in ${feed.took}`);
      expect([page.status, feed.status]).toEqual([200, 200]);
      expect(page.body).toContain(word);
      expect(page.body).toContain(fill(unit, 30));
      expect(feed.body).toContain(word);
    }
  });

  it("keeps /healthz answering while pages with new hostile texts are made", async () => {
    const texts = [hostile("_*a", limits.body, "Gelijktijdig"), hostile("> ", limits.body, "Gelijktijdig"), hostile("!", limits.body, "Gelijktijdig"), `a${" ".repeat(limits.body - 14)}Gelijktijdig`];
    for (const body of texts) {
      const posted = await post(`/initiatives/${initiativeId}/edit`, initiativeFields(body));
      expect(posted.status).toBe(303);
      // The page (this text is new to the server: nothing memoised) and the feed, with /healthz asked meanwhile.
      const pages = Promise.all([get(`/initiatives/${initiativeId}`, host.cookie), get("/feed.xml")]);
      const health: { status: number; ms: number }[] = [];
      let done = false;
      void pages.finally(() => (done = true));
      while (!done) {
        const h = await get("/healthz");
        health.push({ status: h.status, ms: h.ms });
      }
      const [page, feed] = await pages;
      console.log(`[hostile markdown] ${JSON.stringify(body.slice(0, 6))}…: initiative and feed together in ${Math.max(page.ms, feed.ms).toFixed(0)} ms, /healthz slowest ${Math.max(...health.map((h) => h.ms)).toFixed(0)} ms (${health.length} asked)`);
      expect([page.status, feed.status]).toEqual([200, 200]);
      expect(page.body).toContain("Gelijktijdig");
      expect(health.every((h) => h.status === 200)).toBe(true);
    }
  });

  it("never shows a stack trace or an error page for these texts", async () => {
    const rows = db().all<{ body: string }>(sql`SELECT body FROM comments WHERE initiative_id = ${initiativeId} UNION ALL SELECT body FROM outcomes WHERE initiative_id = ${initiativeId}`);
    expect(rows.length).toBe(2);
    for (const path of ["/", "/feed.xml", `/initiatives/${initiativeId}`]) {
      const page = await get(path, host.cookie);
      expect(page.status).toBe(200);
      expect(page.body).not.toMatch(/Maximum call stack|RangeError|Please report this to https:\/\/github.com\/markedjs/);
    }
  });
});
