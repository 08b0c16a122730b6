// Careful actions through the real server and a real SMTP server: a cancelled session carries the
// hosts' reason to every participant; cancelling a sign-up asks first and can be undone for ten
// minutes, never past a change or someone else's seat; a room of 30 can make accounts together.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers, openServerDatabase, passTime } from "../support/direct-db";
import { startServer, type RunningServer } from "../support/server";
import * as pictures from "../support/pictures";
import { bodyOf, startSmtp } from "../support/smtp";

const databasePath = path.join(os.tmpdir(), `meedoen-safe-${randomBytes(4).toString("hex")}.sqlite`);
let server: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let sqlite: ReturnType<typeof openServerDatabase>;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ DATABASE_PATH: databasePath, SMTP_URL: smtp.url, SCHEDULER_INTERVAL_MS: "200" });
  sqlite = openServerDatabase(databasePath);
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
  await smtp?.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
  // The server kept its pictures and uploads next to the database.
  rmSync(`${databasePath}.data`, { recursive: true, force: true });
});

function post(pathname: string, fields: Record<string, string>, cookie: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}
const get = (pathname: string, cookie = "") => fetch(`${server.url}${pathname}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const statusOf = (sessionId: number, memberId: string) =>
  (sqlite.prepare("SELECT status FROM registrations WHERE session_id = ? AND member_id = ?").get(sessionId, memberId) as { status: string } | undefined)?.status;

async function waitFor(check: () => boolean, ms = 10_000) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return check();
}

/** Signs up through the server; the undo address and moment from the redirect after cancelling. */
async function signUp(sessionId: number, cookie: string) {
  expect((await post(`/sessions/${sessionId}/register`, {}, cookie)).status).toBe(303);
}
async function cancelSignUp(sessionId: number, cookie: string) {
  const response = await post(`/sessions/${sessionId}/cancel`, { confirmed: "yes" }, cookie);
  expect(response.status).toBe(303);
  const location = new URL(response.headers.get("Location")!, server.url);
  return { location, at: location.searchParams.get("at")!, undo: location.searchParams.get("undo")! };
}

describe("a host cancels a session", () => {
  it("only with a reason, which reaches everyone signed up or waiting and stays on the page", async () => {
    const [host, ann, bob] = insertMembers(sqlite, 3, "cancel");
    const { sessionId } = insertCourseSession(sqlite, host.id, 1);
    await signUp(sessionId, ann.cookie);
    await signUp(sessionId, bob.cookie);
    expect(statusOf(sessionId, bob.id)).toBe("waitlisted");

    const empty = await post(`/sessions/${sessionId}/edit`, { intent: "cancel-session", reason: "   " }, host.cookie);
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Schrijf waarom de bijeenkomst niet doorgaat");
    expect((sqlite.prepare("SELECT cancelled_at FROM sessions WHERE id = ?").get(sessionId) as { cancelled_at: number | null }).cancelled_at).toBeNull();

    const reason = "De zaal is onder water gelopen. We zoeken een nieuwe datum.";
    const done = await post(`/sessions/${sessionId}/edit`, { intent: "cancel-session", reason }, host.cookie);
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe(`/sessions/${sessionId}?done=sessionCancelled`);
    expect(await waitFor(() => smtp.received.filter((m) => m.subject.startsWith("Gaat niet door")).length === 2)).toBe(true);
    const mails = smtp.received.filter((m) => m.subject.startsWith("Gaat niet door"));
    expect(mails.map((m) => m.to[0]).sort()).toEqual([`${ann.id}@example.org`, `${bob.id}@example.org`].sort());
    for (const mail of mails) expect(bodyOf(mail)).toContain("Reden: De zaal is onder water gelopen.");

    const page = await (await get(`/sessions/${sessionId}?done=sessionCancelled`, ann.cookie)).text();
    expect(page).toContain("Reden van de kartrekkers: De zaal is onder water gelopen.");
    expect(page).toMatch(/role="status"[^>]*>.*De bijeenkomst is afgezegd/s);
  });
});

describe("cancelling a sign-up", () => {
  it("asks first: the button leads to a page that says what happens, and a post without confirming changes nothing", async () => {
    const [host, ann] = insertMembers(sqlite, 2, "confirm");
    const { sessionId } = insertCourseSession(sqlite, host.id, 10);
    await signUp(sessionId, ann.cookie);
    const sessionPage = await (await get(`/sessions/${sessionId}`, ann.cookie)).text();
    expect(sessionPage).toMatch(new RegExp(`<form method="get" action="/sessions/${sessionId}/cancel"`));

    const confirmPage = await get(`/sessions/${sessionId}/cancel`, ann.cookie);
    expect(confirmPage.status).toBe(200);
    const html = await confirmPage.text();
    expect(html).toContain("Je plek gaat naar de eerste op de wachtlijst");
    expect(html).toContain("Ja, annuleer mijn inschrijving");
    expect(html).toContain('name="confirmed" value="yes"');

    const unconfirmed = await post(`/sessions/${sessionId}/cancel`, {}, ann.cookie);
    expect(unconfirmed.status).toBe(200);
    expect(await unconfirmed.text()).toContain("Ja, annuleer mijn inschrijving");
    expect(statusOf(sessionId, ann.id)).toBe("registered");

    // Someone not signed up who opens the address goes back to the session.
    const [carl] = insertMembers(sqlite, 1, "nosignup");
    expect((await get(`/sessions/${sessionId}/cancel`, carl.cookie)).headers.get("Location")).toBe(`/sessions/${sessionId}`);
  });

  it("shows an undo that gives the place back within ten minutes", async () => {
    const [host, ann] = insertMembers(sqlite, 2, "undo");
    const { sessionId } = insertCourseSession(sqlite, host.id, 10);
    await signUp(sessionId, ann.cookie);
    const { location, at, undo } = await cancelSignUp(sessionId, ann.cookie);
    expect(statusOf(sessionId, ann.id)).toBe("cancelled");
    expect(undo).toBe(`/sessions/${sessionId}/undo`);
    const landing = await (await get(location.pathname + location.search, ann.cookie)).text();
    expect(landing).toContain("Je inschrijving is geannuleerd.");
    expect(landing).toContain(`action="/sessions/${sessionId}/undo"`);
    expect(landing).toContain(">Ongedaan maken<");

    const undone = await post(undo, { at }, ann.cookie);
    expect(undone.status).toBe(303);
    expect(undone.headers.get("Location")).toBe(`/sessions/${sessionId}?done=registered`);
    expect(statusOf(sessionId, ann.id)).toBe("registered");
    // Twice is not once more.
    expect((await post(undo, { at }, ann.cookie)).status).toBe(409);
  });

  it("refuses the undo once the ten minutes have passed, in words", async () => {
    const [host, ann] = insertMembers(sqlite, 2, "late");
    const { sessionId } = insertCourseSession(sqlite, host.id, 10);
    await signUp(sessionId, ann.cookie);
    await cancelSignUp(sessionId, ann.cookie);
    passTime(sqlite, 11 * 60_000);
    const movedAt = (sqlite.prepare("SELECT updated_at FROM registrations WHERE session_id = ? AND member_id = ?").get(sessionId, ann.id) as { updated_at: number }).updated_at;
    const late = await post(`/sessions/${sessionId}/undo`, { at: String(movedAt) }, ann.cookie);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("Ongedaan maken kan niet meer");
    expect(statusOf(sessionId, ann.id)).toBe("cancelled");
  });

  it("refuses the undo after the sign-up changed since", async () => {
    const [host, ann] = insertMembers(sqlite, 2, "changed");
    const { sessionId } = insertCourseSession(sqlite, host.id, 10);
    await signUp(sessionId, ann.cookie);
    const first = await cancelSignUp(sessionId, ann.cookie);
    await signUp(sessionId, ann.cookie);
    await new Promise((r) => setTimeout(r, 5));
    await cancelSignUp(sessionId, ann.cookie);
    expect((await post(first.undo, { at: first.at }, ann.cookie)).status).toBe(409);
    expect(statusOf(sessionId, ann.id)).toBe("cancelled");
  });

  it("leaving the waiting list and undoing it puts the member at the back of the queue", async () => {
    const [host, ann, bob, cas] = insertMembers(sqlite, 4, "queue");
    const { sessionId } = insertCourseSession(sqlite, host.id, 1);
    await signUp(sessionId, ann.cookie);
    await signUp(sessionId, bob.cookie);
    await signUp(sessionId, cas.cookie);
    const page = await (await get(`/sessions/${sessionId}/cancel`, bob.cookie)).text();
    expect(page).toContain("Ja, haal me van de wachtlijst");
    expect(page).toContain("dan kom je achteraan op de wachtlijst");
    const left = await cancelSignUp(sessionId, bob.cookie);
    expect(left.location.searchParams.get("done")).toBe("leftWaitlist");
    const undone = await post(left.undo, { at: left.at }, bob.cookie);
    expect(undone.headers.get("Location")).toBe(`/sessions/${sessionId}?done=backOnWaitlist`);
    const queue = sqlite.prepare("SELECT member_id FROM registrations WHERE session_id = ? AND status = 'waitlisted' ORDER BY queued_seq").all(sessionId) as { member_id: string }[];
    expect(queue.map((r) => r.member_id)).toEqual([cas.id, bob.id]);
  });

  it("an undo racing someone for the last seat: one gets it, the other waits, never both", async () => {
    for (let round = 0; round < 5; round++) {
      const [host, ann, bob] = insertMembers(sqlite, 3, `race${round}`);
      const { sessionId } = insertCourseSession(sqlite, host.id, 1);
      await signUp(sessionId, ann.cookie);
      const { undo, at } = await cancelSignUp(sessionId, ann.cookie);
      const [a, b] = await Promise.all([post(undo, { at }, ann.cookie), post(`/sessions/${sessionId}/register`, {}, bob.cookie)]);
      expect([a.status, b.status]).toEqual([303, 303]);
      expect([statusOf(sessionId, ann.id), statusOf(sessionId, bob.id)].sort()).toEqual(["registered", "waitlisted"]);
      const winner = statusOf(sessionId, ann.id) === "registered" ? "registered" : "backOnWaitlist";
      expect(a.headers.get("Location")).toBe(`/sessions/${sessionId}?done=${winner}`);
    }
  });
});

describe("a room signs up together", () => {
  it("makes 30 accounts from one address in an hour; the 31st is refused in words with 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push((await post("/signup", { displayName: `Kamer ${i}`, email: `kamer${i}@example.org`, password: "een lange zin hier" }, "")).status);
    }
    expect(statuses).toEqual(Array(30).fill(303));
    const late = await post("/signup", { displayName: "Laat", email: "laat@example.org", password: "een lange zin hier" }, "");
    expect(late.status).toBe(429);
    expect(await late.text()).toContain("Te veel pogingen achter elkaar");
  });
});

describe("stepping back as host", () => {
  it("asks first, can be undone within the window, and not after someone else changed the hosts", async () => {
    const [host, other] = insertMembers(sqlite, 2, "stepback");
    const { initiativeId } = insertCourseSession(sqlite, host.id, 5);
    const since = (sqlite.prepare("SELECT since FROM hosts WHERE initiative_id = ? AND member_id = ?").get(initiativeId, host.id) as { since: number }).since;
    const confirm = await (await get(`/initiatives/${initiativeId}/step-back`, host.cookie)).text();
    expect(confirm).toContain("Je bent de enige kartrekker");
    // The old one-tap form only leads to the confirm page.
    const oldForm = await post(`/initiatives/${initiativeId}/hosts`, { intent: "step-back" }, host.cookie);
    expect(oldForm.headers.get("Location")).toBe(`/initiatives/${initiativeId}/step-back`);
    const hostsNow = () => (sqlite.prepare("SELECT member_id, since FROM hosts WHERE initiative_id = ?").all(initiativeId) as { member_id: string; since: number }[]);
    expect(hostsNow()).toHaveLength(1);

    const done = await post(`/initiatives/${initiativeId}/step-back`, { confirmed: "yes" }, host.cookie);
    const location = new URL(done.headers.get("Location")!, server.url);
    expect(location.searchParams.get("undo")).toBe(`/initiatives/${initiativeId}/undo-step-back`);
    expect(hostsNow()).toHaveLength(0);
    // Someone else cannot use the undo.
    expect((await post(`/initiatives/${initiativeId}/undo-step-back`, { at: location.searchParams.get("at")! }, other.cookie)).status).toBe(409);
    const undone = await post(`/initiatives/${initiativeId}/undo-step-back`, { at: location.searchParams.get("at")! }, host.cookie);
    expect(undone.headers.get("Location")).toBe(`/initiatives/${initiativeId}?done=hostAgain`);
    expect(hostsNow()).toEqual([{ member_id: host.id, since }]);

    // Step back again; then hosting changes (someone takes it up): the undo is gone.
    const again = new URL((await post(`/initiatives/${initiativeId}/step-back`, { confirmed: "yes" }, host.cookie)).headers.get("Location")!, server.url);
    sqlite.prepare("INSERT INTO log_entries (at, action, actor_id, subject_type, subject_id) VALUES (?, 'host.joined', ?, 'initiative', ?)").run(Date.now(), other.id, String(initiativeId));
    const refused = await post(`/initiatives/${initiativeId}/undo-step-back`, { at: again.searchParams.get("at")! }, host.cookie);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Ongedaan maken kan niet meer");
    expect(hostsNow()).toHaveLength(0);
  });
});

describe("deleting your own comment", () => {
  it("asks first, says it cannot be undone, and refuses someone else's or a hidden one", async () => {
    const [host, ann, bob] = insertMembers(sqlite, 3, "comment");
    const { initiativeId } = insertCourseSession(sqlite, host.id, 5);
    const insert = sqlite.prepare("INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at, hidden_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    const mine = (insert.get(initiativeId, ann.id, "Mooi plan", Date.now(), Date.now(), null) as { id: number }).id;
    const hidden = (insert.get(initiativeId, ann.id, "Verborgen", Date.now(), Date.now(), Date.now()) as { id: number }).id;
    const confirm = await get(`/comments/${mine}/delete`, ann.cookie);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("Dit kun je niet ongedaan maken.");
    expect((await post(`/comments/${mine}/delete`, {}, ann.cookie)).status).toBe(200);
    expect((await post(`/comments/${mine}/delete`, { confirmed: "yes" }, bob.cookie)).status).toBe(403);
    expect((await post(`/comments/${hidden}/delete`, { confirmed: "yes" }, ann.cookie)).status).toBe(409);
    const count = (id: number) => (sqlite.prepare("SELECT count(*) AS n FROM comments WHERE id = ?").get(id) as { n: number }).n;
    expect([count(mine), count(hidden)]).toEqual([1, 1]);
    const done = await post(`/comments/${mine}/delete`, { confirmed: "yes" }, ann.cookie);
    expect(done.headers.get("Location")).toBe(`/initiatives/${initiativeId}?done=commentDeleted`);
    expect(count(mine)).toBe(0);
  });
});

describe("the profile page", () => {
  it("keeps a typed now line when the profile is saved, and says it saved", async () => {
    const [ann] = insertMembers(sqlite, 1, "profile");
    const saved = await post("/settings/profile", { now: "Ik zoek een zaal in Zwolle", displayName: "Ann", organisation: "", work: "", expertise: "", bio: "", profileVisibility: "public" }, ann.cookie);
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe(`/members/${ann.id}?done=saved`);
    const row = sqlite.prepare("SELECT display_name, now_text FROM members WHERE id = ?").get(ann.id);
    expect(row).toEqual({ display_name: "Ann", now_text: "Ik zoek een zaal in Zwolle" });
    const page = await (await get(`/members/${ann.id}?done=saved`, ann.cookie)).text();
    expect(page).toMatch(/role="status"[^>]*><p>Opgeslagen\.<\/p>/);
  });

  it("saves a chosen photo together with what was typed, and a refused photo keeps the typed text and changes nothing", async () => {
    const [bo] = insertMembers(sqlite, 1, "photo");
    const profile = { now: "Ik zoek vrijwilligers", displayName: "Bo Bakker", organisation: "", work: "Jongerenwerker", expertise: "", bio: "Half geschreven", profileVisibility: "public" };
    const send = (fields: Record<string, string>, file: Blob | null) => {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append("avatar", file ?? new Blob([]), file ? "ik.png" : "");
      return fetch(`${server.url}/settings/profile`, { method: "POST", redirect: "manual", headers: { Origin: server.url, Cookie: bo.cookie, "Accept-Language": "nl" }, body: form });
    };
    const stored = () => sqlite.prepare("SELECT display_name, work, bio, now_text, avatar_image IS NOT NULL AS photo FROM members WHERE id = ?").get(bo.id);
    const before = stored();

    const refused = await send(profile, new Blob(["geen foto"], { type: "image/png" }));
    expect(refused.status).toBe(400);
    const page = await refused.text();
    for (const typed of ["Bo Bakker", "Jongerenwerker", "Half geschreven", "Ik zoek vrijwilligers"]) expect(page).toContain(typed);
    expect(stored()).toEqual(before);

    const saved = await send(profile, new Blob([new Uint8Array(await pictures.png(300, 300))], { type: "image/png" }));
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe(`/members/${bo.id}?done=saved`);
    expect(stored()).toEqual({ display_name: "Bo Bakker", work: "Jongerenwerker", bio: "Half geschreven", now_text: "Ik zoek vrijwilligers", photo: 1 });

    // Removing the photo saves the text typed since, too.
    const removed = await send({ ...profile, intent: "avatar-remove", bio: "Nu af" }, null);
    expect(removed.status).toBe(303);
    expect(stored()).toEqual({ display_name: "Bo Bakker", work: "Jongerenwerker", bio: "Nu af", now_text: "Ik zoek vrijwilligers", photo: 0 });
  });
});
