// The new-proposal form for a member without a voice, through the real server: it starts on the
// choice they can make (an initiative they take part in), refuses a network proposal with a
// message about proposing (not about responding), and tells a founder when their voice starts.
import { describe, expect, it } from "vitest";
import { insertMembers } from "../support/direct-db";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("first-proposal");
const hour = 3_600_000;

const get = async (path: string, cookie: string) => (await fetch(files.server.url + path, { headers: { Cookie: cookie } })).text();
const checked = (html: string) => html.match(/<input[^>]*name="scope"[^>]*>/g)?.find((input) => input.includes("checked"))?.match(/value="(\w+)"/)?.[1];
const founderSince = (memberId: string, hoursAgo: number) =>
  files.sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(Date.now() - hoursAgo * hour, Date.now() - hoursAgo * hour, memberId);

describe("the first proposal", () => {
  it("starts a member without a voice on an initiative proposal, and refuses a network one with a reason about proposing", async () => {
    const [m] = insertMembers(files.sqlite, 1, "novoice");
    const form = await get("/proposals/new", m.cookie);
    expect(checked(form)).toBe("initiative");
    expect(form).toContain("Je hebt nog geen stem, dus je kunt alleen een voorstel doen voor een initiatief waaraan je meedoet.");
    expect(form).not.toContain("Als oprichter");
    const res = await fetch(`${files.server.url}/proposals/new`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, Cookie: m.cookie },
      body: new URLSearchParams({ title: "Vaker koffie", body: "", kind: "consent", scope: "network", days: "7", effect: "none" }).toString(),
    });
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).toContain("Een voorstel voor het hele netwerk kun je doen zodra je een stem hebt.");
    expect(page).not.toContain("niet op reageren");
    expect(page).toContain('value="Vaker koffie"');
  });

  it("tells a founder whose account is not a day old when their voice starts; a day later the network is the first choice", async () => {
    const [young, old] = insertMembers(files.sqlite, 2, "founder");
    founderSince(young.id, 2);
    founderSince(old.id, 25);
    const waiting = await get("/proposals/new", young.cookie);
    expect(waiting).toContain("Als oprichter krijg je een stem zodra je account een dag oud is: vanaf");
    expect(checked(waiting)).toBe("initiative");
    const speaking = await get("/proposals/new", old.cookie);
    expect(speaking).not.toContain("Je hebt nog geen stem");
    expect(checked(speaking)).toBe("network");
  });
});
