// Worst inputs to the careful actions, as a fresh account and a held member, through the real server.
import { beforeAll, describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers, type openServerDatabase } from "../../support/direct-db";
import type { RunningServer } from "../../support/server";
import { serverForFile } from "../../support/server-for-file";

const files = serverForFile("safe-hostile");
let server: RunningServer;
let sqlite: ReturnType<typeof openServerDatabase>;
beforeAll(() => {
  ({ server, sqlite } = files);
});

const post = (pathname: string, body: string, cookie: string) =>
  fetch(`${server.url}${pathname}`, { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie }, body });
const cancelledAt = (id: number) => (sqlite.prepare("SELECT cancelled_at FROM sessions WHERE id = ?").get(id) as { cancelled_at: number | null }).cancelled_at;

describe("careful actions under attack", () => {
  it("refuses a cancel reason over 1,000 characters in words and cancels nothing; a held host cannot cancel", async () => {
    const [host, held] = insertMembers(sqlite, 2, "h");
    const { sessionId, initiativeId } = insertCourseSession(sqlite, host.id, 5);
    const long = await post(`/sessions/${sessionId}/edit`, `intent=cancel-session&reason=${"x".repeat(1001)}`, host.cookie);
    expect(long.status).toBe(400);
    expect(await long.text()).toContain("De reden mag hoogstens 1.000 tekens lang zijn.");
    const repeated = await post(`/sessions/${sessionId}/edit`, `intent=cancel-session&reason=&reason=${"y".repeat(5)}`, host.cookie);
    expect(repeated.status).toBe(400);
    expect(cancelledAt(sessionId)).toBeNull();
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiativeId, held.id, Date.now(), Date.now());
    sqlite.prepare("UPDATE members SET posting_held_at = ? WHERE id = ?").run(Date.now(), held.id);
    const byHeld = await post(`/sessions/${sessionId}/edit`, "intent=cancel-session&reason=Weg", held.cookie);
    expect(byHeld.status).toBeGreaterThanOrEqual(400);
    expect(byHeld.status).toBeLessThan(500);
    expect(cancelledAt(sessionId)).toBeNull();
  });

  it("never undoes someone else's cancelled sign-up, nor with forged moments or ids", async () => {
    const [host, ann, mallory] = insertMembers(sqlite, 3, "u");
    const { sessionId } = insertCourseSession(sqlite, host.id, 5);
    expect((await post(`/sessions/${sessionId}/register`, "", ann.cookie)).status).toBe(303);
    const out = await post(`/sessions/${sessionId}/cancel`, "confirmed=yes", ann.cookie);
    const at = new URL(out.headers.get("Location")!, server.url).searchParams.get("at")!;
    for (const body of [`at=${at}`, "at=", "at=abc", `at=${at}&at=1`, "at=1e30", `at=${"9".repeat(400)}`]) {
      const res = await post(`/sessions/${sessionId}/undo`, body, mallory.cookie);
      expect(res.status, body).toBe(409);
    }
    expect((await post(`/sessions/${sessionId}/undo`, `at=${Number(at) + 1}`, ann.cookie)).status).toBe(409);
    for (const id of ["999999", "0", "-1", "1.5", "abc"]) {
      const res = await post(`/sessions/${id}/undo`, `at=${at}`, ann.cookie);
      expect(res.status, id).toBeGreaterThanOrEqual(400);
      expect(res.status, id).toBeLessThan(500);
    }
    const rows = sqlite.prepare("SELECT member_id, status FROM registrations WHERE session_id = ?").all(sessionId);
    expect(rows).toEqual([{ member_id: ann.id, status: "cancelled" }]);
  });

  it("a fresh account cannot step back for someone, undo a host's step back, or delete another's comment", async () => {
    const [host, fresh] = insertMembers(sqlite, 2, "f");
    const { initiativeId } = insertCourseSession(sqlite, host.id, 5);
    const stepBack = await post(`/initiatives/${initiativeId}/step-back`, "confirmed=yes", fresh.cookie);
    expect(stepBack.status).toBe(403);
    const done = await post(`/initiatives/${initiativeId}/step-back`, "confirmed=yes", host.cookie);
    const at = new URL(done.headers.get("Location")!, server.url).searchParams.get("at")!;
    expect((await post(`/initiatives/${initiativeId}/undo-step-back`, `at=${at}`, fresh.cookie)).status).toBe(409);
    expect(sqlite.prepare("SELECT count(*) AS n FROM hosts WHERE initiative_id = ?").get(initiativeId)).toEqual({ n: 0 });
    // A held member may not take hosting back by undo either.
    sqlite.prepare("UPDATE members SET posting_held_at = ? WHERE id = ?").run(Date.now(), host.id);
    expect((await post(`/initiatives/${initiativeId}/undo-step-back`, `at=${at}`, host.cookie)).status).toBe(403);
    expect(sqlite.prepare("SELECT count(*) AS n FROM hosts WHERE initiative_id = ?").get(initiativeId)).toEqual({ n: 0 });

    const comment = (sqlite.prepare("INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, 'Van de kartrekker', ?, ?) RETURNING id").get(initiativeId, host.id, Date.now(), Date.now()) as { id: number }).id;
    expect((await post(`/comments/${comment}/delete`, "confirmed=yes", fresh.cookie)).status).toBe(403);
    expect((await post(`/comments/99999999/delete`, "confirmed=yes", fresh.cookie)).status).toBe(404);
    // A post that skipped the confirm page (an old page, a script) is refused with the same status
    // as a confirmed one, not shown as a page that answers 200.
    expect((await post(`/comments/${comment}/delete`, "x=1", fresh.cookie)).status).toBe(403);
    expect((await post(`/comments/99999999/delete`, "x=1", fresh.cookie)).status).toBe(404);
    expect((await post(`/initiatives/${initiativeId}/step-back`, "x=1", fresh.cookie)).status).toBe(403);
    const { sessionId } = insertCourseSession(sqlite, host.id, 5);
    expect((await post(`/sessions/${sessionId}/cancel`, "x=1", fresh.cookie)).status).toBe(409);
    expect(sqlite.prepare("SELECT count(*) AS n FROM comments WHERE id = ?").get(comment)).toEqual({ n: 1 });
  });
});

describe("careful actions as a held member, and with the worst bodies", () => {
  const hold = (id: string) => sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = '7. Respect en privacy.' WHERE id = ?").run(Date.now(), id);
  const registration = (sessionId: number, memberId: string) => sqlite.prepare("SELECT status FROM registrations WHERE session_id = ? AND member_id = ?").pluck().get(sessionId, memberId);
  const hosts = (initiativeId: number) => sqlite.prepare("SELECT member_id FROM hosts WHERE initiative_id = ?").pluck().all(initiativeId);
  const commentCount = (id: number) => sqlite.prepare("SELECT count(*) FROM comments WHERE id = ?").pluck().get(id);
  const addComment = (initiativeId: number, memberId: string) =>
    (sqlite.prepare("INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (?, ?, 'Eerder geschreven', ?, ?) RETURNING id").get(initiativeId, memberId, Date.now(), Date.now()) as { id: number }).id;
  const noTrace = (html: string) => expect(html).not.toMatch(/\bat [\w.<>$]+ \([^)]*:\d+:\d+\)|node_modules\//);
  /** A session, and a member signed up for it who co-hosts its initiative and wrote a comment there. */
  async function signedUpCoHost(prefix: string) {
    const [host, member] = insertMembers(sqlite, 2, prefix);
    const { sessionId, initiativeId } = insertCourseSession(sqlite, host.id, 5);
    expect((await post(`/sessions/${sessionId}/register`, "", member.cookie)).status).toBe(303);
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiativeId, member.id, Date.now(), Date.now());
    return { host, member, sessionId, initiativeId, comment: addComment(initiativeId, member.id) };
  }

  it("a held member may take back their own sign-up and undo that, step back as host and delete their own words, but not host again", async () => {
    const { host, member: held, sessionId, initiativeId, comment } = await signedUpCoHost("hm");
    hold(held.id);

    // Giving something up, or taking back one's own step, is never held.
    const out = await post(`/sessions/${sessionId}/cancel`, "confirmed=yes", held.cookie);
    expect(out.status).toBe(303);
    expect(registration(sessionId, held.id)).toBe("cancelled");
    const at = new URL(out.headers.get("Location")!, server.url).searchParams.get("at")!;
    expect((await post(`/sessions/${sessionId}/undo`, `at=${at}`, held.cookie)).status).toBe(303);
    expect(registration(sessionId, held.id)).toBe("registered");

    const stepped = await post(`/initiatives/${initiativeId}/step-back`, "confirmed=yes", held.cookie);
    expect(stepped.status).toBe(303);
    expect(hosts(initiativeId)).toEqual([host.id]);
    const stepAt = new URL(stepped.headers.get("Location")!, server.url).searchParams.get("at")!;
    const again = await post(`/initiatives/${initiativeId}/undo-step-back`, `at=${stepAt}`, held.cookie);
    expect(again.status).toBe(403);
    noTrace(await again.text());
    expect(hosts(initiativeId)).toEqual([host.id]);

    expect((await post(`/comments/${comment}/delete`, "confirmed=yes", held.cookie)).status).toBe(303);
    expect(commentCount(comment)).toBe(0);
  });

  it("answers 201 fields, an oversized body and a repeated confirmation on every careful route with a 4xx or the confirm page, and changes nothing", async () => {
    const { member, sessionId, initiativeId, comment } = await signedUpCoHost("wb");
    const state = () => JSON.stringify([registration(sessionId, member.id), hosts(initiativeId).sort(), commentCount(comment)]);
    const before = state();
    const routes = [`/sessions/${sessionId}/cancel`, `/sessions/${sessionId}/undo`, `/initiatives/${initiativeId}/step-back`, `/initiatives/${initiativeId}/undo-step-back`, `/comments/${comment}/delete`];
    const manyFields = "confirmed=yes&" + Array.from({ length: 200 }, (_, i) => `f${i}=x`).join("&");
    // One-button forms take at most 16 KB; the confirmation comes first, so only the size refuses it.
    const oversized = `confirmed=yes&at=1&filler=${"x".repeat(17 * 1024)}`;
    for (const route of routes) {
      const many = await post(route, manyFields, member.cookie);
      expect(many.status, route).toBe(413);
      const manyHtml = await many.text();
      expect(manyHtml, route).toContain("Dit formulier heeft te veel velden om te versturen.");
      noTrace(manyHtml);
      const large = await post(route, oversized, member.cookie);
      expect(large.status, route).toBe(413);
      noTrace(await large.text());
      expect(state(), route).toBe(before);
    }
    // "confirmed" twice: the first one counts, so "no" first only shows the confirm page again.
    for (const route of [`/sessions/${sessionId}/cancel`, `/initiatives/${initiativeId}/step-back`, `/comments/${comment}/delete`]) {
      const twice = await post(route, "confirmed=no&confirmed=yes", member.cookie);
      expect(twice.status, route).toBe(200);
      expect(state(), route).toBe(before);
    }
  });

  it("sends a confirmed cancel only back to a page of this site, whatever redirectTo says", async () => {
    const [host, member] = insertMembers(sqlite, 2, "rt");
    for (const target of ["//evil.example/x", "https://evil.example/", "javascript:alert(1)", "/\\evil.example", "%2F%2Fevil.example", "x".repeat(8_000)]) {
      const { sessionId } = insertCourseSession(sqlite, host.id, 5);
      expect((await post(`/sessions/${sessionId}/register`, "", member.cookie)).status).toBe(303);
      const res = await post(`/sessions/${sessionId}/cancel`, `confirmed=yes&redirectTo=${encodeURIComponent(target)}`, member.cookie);
      expect(res.status, target).toBe(303);
      const location = new URL(res.headers.get("Location")!, server.url);
      expect(location.origin, target).toBe(new URL(server.url).origin);
      expect(location.pathname.startsWith("//"), target).toBe(false);
      expect(registration(sessionId, member.id)).toBe("cancelled");
    }
  });
});
