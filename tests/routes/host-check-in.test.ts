// A host who checks in at their own session, through the real server and its database file: the
// attendance is recorded (it counts for voices as any other, governance.md §1), but hosts do not
// sign up for their own initiative, so it is not counted or listed as a sign-up.
import { describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers } from "../support/direct-db";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("host-check-in");

const post = (path: string, fields: Record<string, string>, cookie: string) =>
  fetch(files.server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, "Accept-Language": "nl", Cookie: cookie },
    body: new URLSearchParams(fields).toString(),
  });
const page = async (path: string, cookie?: string) => {
  const res = await fetch(files.server.url + path, { headers: { "Accept-Language": "nl", ...(cookie ? { Cookie: cookie } : {}) } });
  expect(res.status).toBe(200);
  return res.text();
};

describe("a host who checks in at their own session", () => {
  it("is recorded as present, but not counted or listed as signed up", async () => {
    const [host, anna, bram] = insertMembers(files.sqlite, 3, "hostcheckin");
    const { initiativeId, sessionId } = insertCourseSession(files.sqlite, host.id, null);
    for (const m of [anna, bram]) expect((await post(`/sessions/${sessionId}/register`, {}, m.cookie)).status).toBe(303);
    // The session starts in ten minutes: check-in is open.
    const start = Date.now() + 10 * 60_000;
    files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?").run(start, start + 7_200_000, sessionId);

    expect((await post(`/sessions/${sessionId}/checkin`, { code: "ACDEFG" }, host.cookie)).status).toBe(303);
    expect((await post(`/sessions/${sessionId}/checkin`, { code: "ACDEFG" }, anna.cookie)).status).toBe(303);

    // The attendance stands as a check-in with the code, as the voice rules read it.
    const rows = files.sqlite.prepare("SELECT member_id AS id, attendance_by AS by FROM registrations WHERE session_id = ? AND attended_at IS NOT NULL ORDER BY id").all(sessionId);
    expect(rows).toEqual([{ id: anna.id, by: "code" }, { id: host.id, by: "code" }].sort((a, b) => a.id.localeCompare(b.id)));

    // Two sign-ups, not three: on the initiative page, the session page and for a visitor.
    expect(await page(`/initiatives/${initiativeId}`)).toContain("2 mensen ingeschreven");
    expect(await page(`/initiatives/${initiativeId}`)).not.toContain("3 mensen ingeschreven");
    const visitorView = await page(`/sessions/${sessionId}`);
    expect(visitorView).toContain("2 mensen ingeschreven");
    expect(visitorView).not.toContain("3 mensen ingeschreven");

    // The participants see the host as present, marked as a host who did not sign up.
    const list = (await page(`/sessions/${sessionId}`, bram.cookie)).match(/<ul class="people">[\s\S]*?<\/ul>/)![0];
    const items = list.match(/<li>[\s\S]*?<\/li>/g)!.map((li) => li.replace(/<[^>]+>/g, ""));
    expect(items).toHaveLength(3);
    expect(items[0]).toContain("Deelnemer hostcheckin1");
    expect(items[1]).toContain("Deelnemer hostcheckin2");
    expect(items[2]).toContain("Deelnemer hostcheckin0");
    expect(items[2]).toContain("kartrekker, niet ingeschreven");
    expect(items[2]).toContain("Aanwezig");
    expect(items.slice(0, 2).join()).not.toContain("kartrekker");
  });
});
