// Rights a member might still take after the network said no, through the real server: a held
// member posting on their profile or in "now" (governance.md §4: a held member posts nothing new),
// the author of hidden content changing it again after their one edit (what members accept must
// be the text they read), a held host's refusals (the reason, with the member still logged in),
// and a path that cannot be decoded (one refusal, one log line).
import { beforeAll, describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers, type openServerDatabase } from "../../support/direct-db";
import { png } from "../../support/pictures";
import type { RunningServer } from "../../support/server";
import { serverForFile } from "../../support/server-for-file";

const files = serverForFile("held-hidden");
let server: RunningServer;
let sqlite: ReturnType<typeof openServerDatabase>;
beforeAll(() => {
  ({ server, sqlite } = files);
});

const post = async (pathname: string, fields: Record<string, string>, cookie: string) => {
  const res = await fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: await res.text() };
};
const get = async (pathname: string, cookie?: string) => {
  const res = await fetch(`${server.url}${pathname}`, { headers: cookie ? { Cookie: cookie } : {} });
  return { status: res.status, body: await res.text() };
};
const hold = (memberId: string) => sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = 'Respect' WHERE id = ?").run(Date.now(), memberId);
const member = (id: string) =>
  sqlite.prepare("SELECT display_name, organisation, work, expertise, bio, profile_visibility, now_text, avatar_image FROM members WHERE id = ?").get(id) as Record<string, string | null>;
const held = "na meldingen van deelnemers is je account tegengehouden";

describe("a held member posts nothing new, on their profile either", () => {
  it("refuses a new 'now' line, from /now and from the profile, and the page says why instead of offering the form", async () => {
    const [m] = insertMembers(sqlite, 1, "heldnow");
    hold(m.id);
    const now = await post("/now", { now: "Kijk op mijn site" }, m.cookie);
    expect(now.status).toBe(403);
    expect(now.body).toContain(held);
    const page = await get("/now", m.cookie);
    expect(page.body).toContain(held);
    expect(page.body).not.toContain('name="now"');
    const viaProfile = await post("/settings/profile", { intent: "now", now: "Nog een poging" }, m.cookie);
    expect(viaProfile.status).toBe(403);
    expect(sqlite.prepare("SELECT count(*) AS n FROM now_updates WHERE member_id = ?").get(m.id)).toEqual({ n: 0 });
    expect(member(m.id).now_text).toBe("");
  });

  it("refuses a changed name or story, a new organisation and a photo; lets them choose who sees the profile", async () => {
    const [m] = insertMembers(sqlite, 1, "heldprofile");
    // Not linked to an organisation the network knows (a held member could not add one: organisations.server).
    sqlite.prepare("UPDATE members SET organisation = '' WHERE id = ?").run(m.id);
    hold(m.id);
    const stored = member(m.id);
    const unchanged = { displayName: stored.display_name!, organisation: stored.organisation!, work: "", expertise: "", bio: "", profileVisibility: "public" };
    for (const change of [{ bio: "Bezoek mijn webwinkel" }, { displayName: "Iemand anders" }, { work: "Verkoper" }, { expertise: "reclame" }]) {
      const res = await post("/settings/profile", { ...unchanged, ...change }, m.cookie);
      expect(res.status, JSON.stringify(change)).toBe(403);
      expect(res.body).toContain(held);
    }
    // A name the network does not know would be added to its list of organisations: refused too.
    const club = await post("/settings/profile", { ...unchanged, organisation: "Nieuwe club", organisationConfirmed: "Nieuwe club", organisationChoice: "new" }, m.cookie);
    expect(club.status).toBe(403);
    expect(member(m.id)).toEqual(stored);

    const photo = new FormData();
    for (const [name, value] of Object.entries(unchanged)) photo.set(name, value);
    photo.set("avatar", new Blob([new Uint8Array(await png(300, 300))], { type: "image/png" }), "ik.png");
    const upload = await fetch(`${server.url}/settings/profile`, { method: "POST", redirect: "manual", headers: { Origin: server.url, Cookie: m.cookie }, body: photo });
    expect(upload.status).toBe(403);
    expect(member(m.id).avatar_image).toBeNull();
    expect(sqlite.prepare("SELECT count(*) AS n FROM images").get()).toEqual({ n: 0 });

    // Who sees the profile is not posting: saved, with everything else as it was.
    const narrower = await post("/settings/profile", { ...unchanged, profileVisibility: "members" }, m.cookie);
    expect(narrower.status).toBe(303);
    expect(member(m.id)).toEqual({ ...stored, profile_visibility: "members" });
    const form = await get("/settings/profile", m.cookie);
    expect(form.status).toBe(200);
    expect(form.body).toContain(held);
  });

  it("still lets a member who is not held write all of it", async () => {
    const [m] = insertMembers(sqlite, 1, "free");
    expect((await post("/now", { now: "Aan het tuinieren" }, m.cookie)).status).toBe(303);
    expect((await post("/settings/profile", { displayName: "Vrij Lid", organisation: "", work: "", expertise: "", bio: "Hallo", profileVisibility: "public" }, m.cookie)).status).toBe(303);
    expect(member(m.id)).toMatchObject({ display_name: "Vrij Lid", bio: "Hallo", now_text: "Aan het tuinieren" });
  });
});

describe("hidden content changes by its author's one edit only", () => {
  const hiddenComment = (initiativeId: number, authorId: string, hiddenBy: string | null = null) =>
    (
      sqlite
        .prepare(
          "INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at, hidden_at, hidden_rule, times_hidden, hidden_by) VALUES (?, ?, 'Iets kwetsends', ?, ?, ?, 'Respect', 1, ?) RETURNING id",
        )
        .get(initiativeId, authorId, Date.now(), Date.now(), Date.now(), hiddenBy) as { id: number }
    ).id;
  const body = (id: number) => (sqlite.prepare("SELECT body FROM comments WHERE id = ?").get(id) as { body: string }).body;

  it("takes the author's one edit, then refuses a second: the text members may accept stays the one they read", async () => {
    const [host, author] = insertMembers(sqlite, 2, "edit");
    const { initiativeId } = insertCourseSession(sqlite, host.id, null);
    const id = hiddenComment(initiativeId, author.id);
    expect((await post(`/comments/${id}/edit`, { body: "Sorry, netjes verbeterd" }, author.cookie)).status).toBe(303);
    const again = await post(`/comments/${id}/edit`, { body: "Weer kwetsend" }, author.cookie);
    expect(again.status).toBe(409);
    expect(again.body).toContain("Je hebt je ene aanpassing al gedaan.");
    expect(body(id)).toBe("Sorry, netjes verbeterd");
    // The edit page says so, and offers no form.
    const page = await get(`/comments/${id}/edit`, author.cookie);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Je hebt je ene aanpassing al gedaan.");
    expect(page.body).not.toContain('name="body"');
  });

  it("takes exactly one of two first edits sent at once", async () => {
    const [host, author] = insertMembers(sqlite, 2, "race");
    const { initiativeId } = insertCourseSession(sqlite, host.id, null);
    const id = hiddenComment(initiativeId, author.id);
    const texts = ["Eerste versie", "Tweede versie", "Derde versie", "Vierde versie"];
    const answers = await Promise.all(texts.map((text) => post(`/comments/${id}/edit`, { body: text }, author.cookie)));
    const taken = answers.flatMap((a, i) => (a.status === 303 ? [texts[i]] : []));
    expect(taken).toHaveLength(1);
    expect(answers.filter((a) => a.status === 409)).toHaveLength(texts.length - 1);
    expect(body(id)).toBe(taken[0]);
  });

  it("refuses any edit of a comment a host hid: a proposal decides on the text as it stands", async () => {
    const [host, author] = insertMembers(sqlite, 2, "hosthid");
    const { initiativeId } = insertCourseSession(sqlite, host.id, null);
    const id = hiddenComment(initiativeId, author.id, host.id);
    const res = await post(`/comments/${id}/edit`, { body: "Anders" }, author.cookie);
    expect(res.status).toBe(409);
    expect(res.body).toContain("het netwerk beslist erover met een voorstel");
    expect(body(id)).toBe("Iets kwetsends");
  });

  it("refuses a co-host's edit of a hidden initiative; its author has the one edit", async () => {
    const [author, coHost] = insertMembers(sqlite, 2, "init");
    const { initiativeId } = insertCourseSession(sqlite, author.id, null);
    sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiativeId, coHost.id, Date.now(), Date.now());
    sqlite.prepare("UPDATE initiatives SET hidden_at = ?, hidden_rule = 'Respect', times_hidden = 1 WHERE id = ?").run(Date.now(), initiativeId);
    const fields = (title: string) => ({ title, summary: "Een initiatief dat verborgen is.", kind: "course", body: "", tags: "", place: "Bieb", target: "" });
    const byCoHost = await post(`/initiatives/${initiativeId}/edit`, fields("Door de mede-kartrekker"), coHost.cookie);
    expect(byCoHost.status).toBe(403);
    expect(byCoHost.body).toContain("Alleen wie het heeft geschreven kan het aanpassen");
    expect((await post(`/initiatives/${initiativeId}/edit`, fields("Verbeterd door de schrijver"), author.cookie)).status).toBe(303);
    expect((await post(`/initiatives/${initiativeId}/edit`, fields("Toch weer anders"), author.cookie)).status).toBe(409);
    expect(sqlite.prepare("SELECT title FROM initiatives WHERE id = ?").get(initiativeId)).toEqual({ title: "Verbeterd door de schrijver" });
  });
});

describe("a host's refusals say why, with the member still logged in", () => {
  it("tells a held host why, on the page and after sending the form", async () => {
    const [host] = insertMembers(sqlite, 1, "heldhost");
    const { initiativeId, sessionId } = insertCourseSession(sqlite, host.id, null);
    hold(host.id);
    const name = (sqlite.prepare("SELECT display_name FROM members WHERE id = ?").get(host.id) as { display_name: string }).display_name;
    for (const res of [
      await post(`/sessions/${sessionId}/message`, { subject: "Hallo", body: "Kom allemaal" }, host.cookie),
      await post(`/initiatives/${initiativeId}/edit`, { title: "Nieuw", summary: "Samenvatting van het initiatief.", kind: "course", body: "", tags: "", place: "", target: "" }, host.cookie),
      await get(`/initiatives/${initiativeId}/edit`, host.cookie),
      await get(`/sessions/${sessionId}/edit`, host.cookie),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body).toContain("Dat kan nu niet: na meldingen van deelnemers is je account tegengehouden.");
      // The header names the member: the page is theirs, not a visitor's.
      expect(res.body).toContain(name);
      expect(res.body).not.toContain('href="/signup"');
    }
    expect(sqlite.prepare("SELECT count(*) AS n FROM outbox WHERE subject LIKE '%Hallo%'").get()).toEqual({ n: 0 });
  });

  it("tells a member who is not a host that only its hosts can", async () => {
    const [host, other] = insertMembers(sqlite, 2, "nothost");
    const { initiativeId } = insertCourseSession(sqlite, host.id, null);
    const res = await post(`/initiatives/${initiativeId}/sessions`, { startsAt: "2030-01-01T10:00", endsAt: "2030-01-01T12:00" }, other.cookie);
    expect(res.status).toBe(403);
    expect(res.body).toContain("Alleen de kartrekkers van dit initiatief kunnen dit doen.");
  });
});

describe("a path that cannot be decoded", () => {
  it("is not found, with one short log line, however long it is", async () => {
    const before = server.output().length;
    const long = `/initiatives/${"%FF".repeat(5000)}`;
    const asked = await get(long);
    expect(asked.status).toBe(404);
    expect(asked.body).toContain("Deze pagina bestaat niet");
    const sent = await fetch(server.url + long, { method: "POST", redirect: "manual", headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded" }, body: "a=1" });
    expect(sent.status).toBeGreaterThanOrEqual(400);
    expect(sent.status).toBeLessThan(500);
    await sent.text();
    // The server still answers, and said so in two lines of at most a few hundred characters.
    expect((await get("/healthz")).status).toBe(200);
    const logged = server.output().slice(before);
    expect(logged).not.toContain("could not be decoded");
    expect(logged.length).toBeLessThan(1_000);
  });
});

describe("a meeting that has started", () => {
  it("keeps its start and place and cannot be cancelled, so the voices it gave stay; its end can move earlier and its capacity can still be set", async () => {
    const [host] = insertMembers(sqlite, 1, "past");
    const { sessionId } = insertCourseSession(sqlite, host.id, 10);
    const start = Math.floor((Date.now() - 20 * 86_400_000) / 60_000) * 60_000;
    sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ?, place = 'Buurthuis', announced_at = ? WHERE id = ?").run(start, start + 7_200_000, start - 5 * 86_400_000, sessionId);
    const before = sqlite.prepare("SELECT starts_at, ends_at, place, announced_at, cancelled_at, capacity FROM sessions WHERE id = ?").get(sessionId) as Record<string, number | string | null>;
    const local = (ms: number) => new Date(ms).toLocaleString("sv-SE", { timeZone: "Europe/Amsterdam" }).slice(0, 16).replace(" ", "T");
    const fields = (over: Record<string, string>) => ({ startsAt: local(start), endsAt: local(start + 7_200_000), place: "Buurthuis", capacity: "10", mode: "onsite", onlineUrl: "", ...over });

    // A later end would open check-in and marking again, twenty days on (ADR 052).
    const changes: Record<string, string>[] = [{ place: "Ergens anders" }, { startsAt: local(start + 3_600_000), endsAt: local(start + 10_800_000) }, { endsAt: local(start + 10_800_000) }];
    for (const change of changes) {
      const res = await post(`/sessions/${sessionId}/edit`, fields(change), host.cookie);
      expect(res.status, JSON.stringify(change)).toBe(409);
      expect(res.body).toContain("Deze bijeenkomst is al begonnen");
    }
    const cancel = await post(`/sessions/${sessionId}/edit`, { intent: "cancel-session", scope: "this", reason: "Toch niet" }, host.cookie);
    expect(cancel.status).toBe(409);
    expect(sqlite.prepare("SELECT starts_at, ends_at, place, announced_at, cancelled_at, capacity FROM sessions WHERE id = ?").get(sessionId)).toEqual(before);

    // An earlier end and the capacity: saved, without announcing it again.
    expect((await post(`/sessions/${sessionId}/edit`, fields({ endsAt: local(start + 3_600_000), capacity: "12" }), host.cookie)).status).toBe(303);
    expect(sqlite.prepare("SELECT ends_at, capacity, announced_at FROM sessions WHERE id = ?").get(sessionId)).toEqual({ ends_at: start + 3_600_000, capacity: 12, announced_at: before.announced_at });
    const page = await get(`/sessions/${sessionId}/edit`, host.cookie);
    expect(page.body).toContain("Deze bijeenkomst is al begonnen");
    expect(page.body).not.toContain('value="cancel-session"');
  });
});
