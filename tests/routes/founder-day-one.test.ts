// The first account of an empty network, through the real server: she is its founder, and on day
// one her profile, /founders and the start page say so and give the moment her voice starts (the
// same moment the new-proposal form gives), instead of the week a newcomer waits or a refusal
// that reads as if she were no founder. A day later she can invite co-founders.
import { describe, expect, it } from "vitest";
import { passTime } from "../support/direct-db";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("founder-day-one");
const hour = 3_600_000;

async function signUp(email: string, displayName: string) {
  const res = await fetch(`${files.server.url}/signup`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url },
    body: new URLSearchParams({ email, password: "een lang genoeg wachtwoord", displayName }).toString(),
  });
  expect(res.status).toBe(303);
  const cookie = /meedoen_session=[^;]+/.exec(res.headers.get("Set-Cookie") ?? "")?.[0];
  expect(cookie).toBeDefined();
  const id = (files.sqlite.prepare("SELECT id FROM members WHERE email = ?").get(email) as { id: string }).id;
  return { id, cookie: cookie! };
}

async function get(path: string, cookie: string) {
  const res = await fetch(files.server.url + path, { headers: { Cookie: cookie } });
  expect(res.status).toBe(200);
  return res.text();
}

describe("the first founder on day one", () => {
  it("is told on her profile, on /founders and on the start page that she is a founder, and from when she has a voice and can invite", async () => {
    const first = await signUp("eerste@example.org", "Fatima Eerste");
    const proposalForm = await get("/proposals/new", first.cookie);
    const when = /Als oprichter krijg je een stem zodra je account een dag oud is: vanaf ([^<]+?)\./.exec(proposalForm)?.[1];
    expect(when).toBeDefined();

    const profile = await get(`/members/${first.id}`, first.cookie);
    expect(profile).toContain(`Heeft nog geen stem: een oprichter krijgt een stem zodra het account een dag oud is, dus vanaf ${when}.`);
    expect(profile).toContain("Oprichter van dit netwerk.");
    expect(profile).not.toContain("minstens een week oud");

    const founders = await get("/founders", first.cookie);
    expect(founders).toContain(`Je bent oprichter van dit netwerk. Zodra je account een dag oud is, krijg je een stem en kun je hier mede-oprichters uitnodigen: vanaf ${when}.`);
    expect(founders).not.toContain("Alleen een oprichter met een stem");

    const welcome = await get("/welcome", first.cookie);
    expect(welcome).toContain("Je bent oprichter: nodig mede-oprichters uit");
    expect(welcome).toContain(`Uitnodigen kan zodra je account een dag oud is en je stem begint: vanaf ${when}.`);
    expect(welcome).toMatch(/<a[^>]*href="\/founders"[^>]*>Oprichters uitnodigen<\/a>/);

    // In English too (her language setting), with the English form's moment.
    files.sqlite.prepare("UPDATE members SET locale = 'en' WHERE id = ?").run(first.id);
    const whenEnglish = /As a founder you get a voice once your account is a day old: from ([^<]+?)\./.exec(await get("/proposals/new", first.cookie))?.[1];
    expect(whenEnglish).toBeDefined();
    expect(await get("/founders", first.cookie)).toContain(`You are a founder of this network. Once your account is a day old you get a voice and can invite co-founders here: from ${whenEnglish}.`);
    expect(await get(`/members/${first.id}`, first.cookie)).toContain(`No voice yet: a founder gets a voice once the account is a day old, so from ${whenEnglish}.`);
    expect(await get("/welcome", first.cookie)).toContain(`You can invite them once your account is a day old and your voice starts: from ${whenEnglish}.`);
    files.sqlite.prepare("UPDATE members SET locale = 'nl' WHERE id = ?").run(first.id);
  });

  it("a newcomer after her is no founder and gets no founder's step; a day later the founder can invite and has a voice", async () => {
    const second = await signUp("tweede@example.org", "Tom Tweede");
    const welcome = await get("/welcome", second.cookie);
    expect(welcome).not.toContain("Je bent oprichter");
    expect(await get("/founders", second.cookie)).toContain("Alleen een oprichter met een stem kan oprichters uitnodigen.");

    passTime(files.sqlite, 25 * hour);
    const first = files.sqlite.prepare("SELECT id FROM members WHERE email = 'eerste@example.org'").get() as { id: string };
    const cookie = `meedoen_session=${(files.sqlite.prepare("SELECT id FROM auth_sessions WHERE member_id = ?").get(first.id) as { id: string }).id}`;
    const founders = await get("/founders", cookie);
    expect(founders).toContain('name="email"');
    expect(founders).not.toContain("Je bent oprichter van dit netwerk.");
    const profile = await get(`/members/${first.id}`, cookie);
    expect(profile).toContain("Heeft een stem als oprichter, zolang het netwerk opstart.");
    expect(profile).not.toContain("Heeft nog geen stem");
    const later = await get("/welcome", cookie);
    expect(later).toContain("Je bent oprichter: nodig mede-oprichters uit");
    expect(later).not.toContain("Uitnodigen kan zodra");
  });
});
