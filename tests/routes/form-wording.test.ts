// Words on forms that a usability test found confusing, as the real server sends them: the
// initiative of a proposal says when it is needed, a majority vote's reason field speaks of no
// objection, and cancelling a session has a heading of its own on the edit page.
import { describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers } from "../support/direct-db";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("form-wording");
const day = 86_400_000;

const headers = (cookie: string) => ({ "Accept-Language": "nl", Cookie: cookie });
const page = async (path: string, cookie: string) => {
  const res = await fetch(files.server.url + path, { headers: headers(cookie) });
  expect(res.status).toBe(200);
  return res.text();
};
const text = (html: string) => html.replace(/<[^>]+>/g, "");

describe("form wording", () => {
  it("says when a proposal's initiative is needed, and gives a majority vote a reason hint without objections", async () => {
    const [anna, bram] = insertMembers(files.sqlite, 2, "wording");
    const old = Date.now() - 30 * day;
    for (const m of [anna, bram]) files.sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(old, old, m.id);

    const form = text(await page("/proposals/new", anna.cookie));
    expect(form).toContain("Verplicht als je hierboven „Eén initiatief” kiest.");
    expect(form).not.toMatch(/Initiatief\s*\(niet verplicht\)/);

    const opened = await fetch(files.server.url + "/proposals/new", {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, ...headers(anna.cookie) },
      body: new URLSearchParams({ title: "Een tweede kookavond", body: "Op zondag.", kind: "majority", scope: "network", days: "7" }).toString(),
    });
    expect(opened.status).toBe(303);
    const proposal = text(await page(new URL(opened.headers.get("location")!, files.server.url).pathname, bram.cookie));
    expect(proposal).toContain("schrijf waarom je voor of tegen bent");
    expect(proposal).not.toContain("Nodig bij een bezwaar");
  });

  it("gives cancelling a session its own heading after the edit form", async () => {
    const [host] = insertMembers(files.sqlite, 1, "cancelhost");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, null);
    const edit = await page(`/sessions/${sessionId}/edit`, host.cookie);
    const save = edit.indexOf("Wijzigingen opslaan");
    const heading = edit.indexOf('<h2 id="cancel-session-heading">Bijeenkomst afzeggen</h2>');
    expect(save).toBeGreaterThan(0);
    expect(heading).toBeGreaterThan(save);
  });
});
