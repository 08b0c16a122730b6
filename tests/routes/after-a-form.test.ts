// What a form leads to, through the real server and its database file: a refused response to a
// proposal comes back with the position and reason that were sent (not the one held before), a
// mistyped check-in code comes back in the check-in form with the error next to it (still a 4xx),
// and deleting an account lands on a page that says so.
import { describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers } from "../support/direct-db";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("after-a-form");
const day = 86_400_000;

const post = (path: string, fields: Record<string, string>, cookie: string | null) =>
  fetch(files.server.url + path, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });

/** The radio buttons named `name` that are checked. */
const checkedValues = (html: string, name: string) =>
  (html.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`, "g")) ?? []).filter((input) => / checked=""/.test(input)).map((input) => /value="(\w+)"/.exec(input)?.[1]);

describe("a refused response to a proposal", () => {
  it("comes back with the position and reason sent, not the member's earlier response", async () => {
    const [anna, bram] = insertMembers(files.sqlite, 2, "respond");
    const old = Date.now() - 30 * day;
    for (const m of [anna, bram]) files.sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, m.id);
    const opened = await post("/proposals/new", { title: "Elke maand een kookavond", body: "Op zaterdag.", kind: "consent", scope: "network", days: "7" }, anna.cookie);
    expect(opened.status).toBe(303);
    const path = new URL(opened.headers.get("location")!, files.server.url).pathname;
    expect((await post(path, { intent: "respond", position: "consent", reason: "Prima zo" }, bram.cookie)).status).toBe(303);

    const refused = await post(path, { intent: "respond", position: "object", reason: "" }, bram.cookie);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    expect(page).toContain("Een bezwaar heeft een reden nodig: schrijf waarom.");
    expect(checkedValues(page, "position")).toEqual(["object"]);
    expect(page).toMatch(/<textarea[^>]*name="reason"[^>]*><\/textarea>/);
    // At the reason field, not above the form.
    expect(page).toMatch(/<textarea[^>]*name="reason"[^>]*aria-invalid="true"/);
    expect(page).toMatch(/<p class="field-error" id="field-reason-error">Een bezwaar heeft een reden nodig: schrijf waarom.<\/p>/);
    expect(page).not.toContain('role="alert">Een bezwaar heeft een reden nodig');
    expect(page).not.toContain(">Prima zo</textarea>");
    // The earlier response stands: nothing was written.
    const position = files.sqlite.prepare("SELECT position, reason FROM proposal_positions WHERE member_id = ?").get(bram.id);
    expect(position).toEqual({ position: "consent", reason: "Prima zo" });
  });
});

describe("a mistyped check-in code", () => {
  it("shows the check-in form again with the error next to the code field and what was typed, as a 400; other refusals keep their page", async () => {
    const [host, guest] = insertMembers(files.sqlite, 2, "checkin");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, null);
    // The meeting started ten minutes ago: check-in is open.
    const start = Date.now() - 10 * 60_000;
    files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?").run(start, start + 2 * 3_600_000, sessionId);

    const res = await post(`/sessions/${sessionId}/checkin`, { code: "abc123" }, guest.cookie);
    expect(res.status).toBe(400);
    const page = await res.text();
    const input = /<input[^>]*name="code"[^>]*>/.exec(page)?.[0] ?? "";
    expect(input).toContain('value="abc123"');
    expect(input).toContain('aria-invalid="true"');
    expect(input).toContain('aria-errormessage="checkin-code-error"');
    expect(page).toMatch(/<p class="field-error" id="checkin-code-error">Deze code klopt niet\. Controleer de letters en cijfers\.<\/p>/);
    expect(page).toMatch(/<form[^>]*action="\/sessions\/\d+\/checkin"/);
    expect(files.sqlite.prepare("SELECT count(*) AS n FROM registrations WHERE session_id = ? AND member_id = ?").get(sessionId, guest.id)).toEqual({ n: 0 });

    // Retyped on that page, the right code checks in.
    const retyped = await post(`/sessions/${sessionId}/checkin`, { code: "ACDEFG" }, guest.cookie);
    expect(retyped.status).toBe(303);
    expect(files.sqlite.prepare("SELECT attendance_by FROM registrations WHERE session_id = ? AND member_id = ?").get(sessionId, guest.id)).toEqual({ attendance_by: "code" });

    // Where retyping makes no sense (check-in not open yet), the refusal page stays.
    const later = insertCourseSession(files.sqlite, host.id, null);
    const closed = await post(`/sessions/${later.sessionId}/checkin`, { code: "ACDEFG" }, guest.cookie);
    expect(closed.status).toBe(409);
    expect(await closed.text()).not.toContain('name="code"');
  });
});

describe("deleting an account", () => {
  it("lands on the home page with a notice that the account is deleted, in Dutch and in English", async () => {
    for (const [email, language, notice] of [
      ["weg@example.org", "nl", "Je account is verwijderd."],
      ["gone@example.org", "en", "Your account has been deleted."],
    ]) {
      const signup = await post("/signup", { email, password: "een lang genoeg wachtwoord", displayName: "Vertrekker" }, null);
      expect(signup.status).toBe(303);
      const cookie = /meedoen_session=[^;]+/.exec(signup.headers.get("Set-Cookie") ?? "")![0];
      const deleted = await post("/settings/delete", { password: "een lang genoeg wachtwoord" }, cookie);
      expect(deleted.status).toBe(303);
      const location = deleted.headers.get("location")!;
      expect(location).toBe("/?done=accountDeleted");
      // The session ended: the page is asked for as a visitor, in the language of the browser.
      const landed = await fetch(new URL(location, files.server.url), { headers: { "Accept-Language": language } });
      expect(landed.status).toBe(200);
      expect(await landed.text()).toMatch(new RegExp(`<div class="notice" role="status"><p>${notice.replace(".", "\\.")}</p></div>`));
    }
  });
});
