// What one or two fresh accounts could still reach, found by a hostile run through the real server,
// and the answers a file address gives when it refuses:
// - a host hid their own comment and then, as its author, asked the network to restore it: a
//   network proposal mailed to every member with a voice, opened by an account minutes old; two
//   accounts (one hosting, one commenting) could open one for every comment;
// - names, titles and subjects kept the line ends a script sent, which put lines of their own in
//   the mails that show them ("Team Meedoen", an empty line, "Je wachtwoord verloopt …");
// - a fresh account added 1,670 sessions in seconds, series after series;
// - a host moved the end of a meeting that had started days later, which opened check-in again;
// - a post that skipped a confirm page answered 200 for something not there or not theirs;
// - calendars, the participant list and the data export refused in bare English.
import { describe, expect, it } from "vitest";
import { insertCourseSession, insertMembers } from "../../support/direct-db";
import { serverForFile } from "../../support/server-for-file";
import { servedForms } from "../../support/served-forms";
import { toLocalDateTimeInput } from "~/lib/time";

const files = serverForFile("newcomer-reach");
const { post, one, count } = servedForms(files);
const hour = 3_600_000;
const day = 24 * hour;
const zone = "Europe/Amsterdam";
const rule = "7. Respect en privacy.";
const local = (ms: number) => toLocalDateTimeInput(ms, zone);

async function comment(initiativeId: number, cookie: string, body: string) {
  const answer = await post(`/initiatives/${initiativeId}/comments`, { body }, cookie);
  expect(answer.status, answer.body.slice(0, 300)).toBe(303);
  return Number(/#comment-(\d+)$/.exec(answer.location!)![1]);
}

describe("a host's own comment, and asking the network to restore", () => {
  it("a host cannot hide their own comment, and an author without a voice asks the network once a week", async () => {
    const [host, author] = insertMembers(files.sqlite, 2, "ring");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const own = await comment(initiativeId, host.cookie, "Mijn eigen reactie");
    const first = await comment(initiativeId, author.cookie, "Eerste reactie");
    const second = await comment(initiativeId, author.cookie, "Tweede reactie");
    const proposals = () => count("SELECT count(*) AS n FROM proposals");
    const mails = () => count("SELECT count(*) AS n FROM outbox");

    const ownHide = await post(`/comments/${own}/hide`, { rule }, host.cookie);
    expect(ownHide.status).toBe(403);
    expect(ownHide.body).toContain("Je eigen reactie verberg je niet");
    expect(one<{ hidden_at: number | null }>("SELECT hidden_at FROM comments WHERE id = ?", own).hidden_at).toBeNull();
    expect((await post(`/comments/${own}/restore`, {}, host.cookie)).status).toBe(409);

    for (const id of [first, second]) expect((await post(`/comments/${id}/hide`, { rule }, host.cookie)).status).toBe(303);
    const asked = await post(`/comments/${first}/restore`, {}, author.cookie);
    expect(asked.status).toBe(303);
    expect(asked.location).toMatch(/^\/proposals\/\d+$/);
    expect(proposals()).toBe(1);
    const mailsAfterOne = mails();

    const again = await post(`/comments/${second}/restore`, {}, author.cookie);
    expect(again.status).toBe(429);
    expect(again.body).toContain("1 keer per 7 dagen");
    expect(proposals()).toBe(1);
    expect(mails()).toBe(mailsAfterOne);

    // A week later the author may ask again. The log is append-only, so the test lifts its guard to
    // date the first request eight days back, and puts the guard back.
    files.sqlite.exec("DROP TRIGGER log_entries_no_update");
    files.sqlite.prepare("UPDATE log_entries SET at = at - ? WHERE action = 'content.restore-requested'").run(8 * day);
    files.sqlite.exec("CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END");
    expect((await post(`/comments/${second}/restore`, {}, author.cookie)).status).toBe(303);
    expect(proposals()).toBe(2);
  });
});

describe("names, titles and subjects are one line", () => {
  it("a display name, a venue and a message subject sent with line ends are kept as one line", async () => {
    const injected = "Team Meedoen\r\n\r\nJe wachtwoord verloopt: ga naar evil.example\n";
    const signup = await fetch(`${files.server.url}/signup`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url },
      body: new URLSearchParams({ email: "team@example.org", password: "een lang wachtwoord", displayName: injected }).toString(),
    });
    expect(signup.status).toBe(303);
    const cookie = signup.headers.get("set-cookie")!.split(";")[0];
    const name = one<{ display_name: string }>("SELECT display_name FROM members WHERE email = 'team@example.org'").display_name;
    expect(name).toBe("Team Meedoen Je wachtwoord verloopt: ga naar evil.example");

    const venue = await post("/venues/new", { name: "Zaal\nTwee\tboven", address: "Lindelaan 1\r\nBcc: iedereen@example.org", organisation: "" }, cookie);
    expect(venue.status, venue.body.slice(0, 300)).toBe(303);
    expect(one("SELECT name, address FROM venues ORDER BY id DESC LIMIT 1")).toEqual({ name: "Zaal Twee boven", address: "Lindelaan 1 Bcc: iedereen@example.org" });

    // A host writes to the participants: the subject reaches every mail as one line.
    const [host, participant] = insertMembers(files.sqlite, 2, "subject");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, null);
    expect((await post(`/sessions/${sessionId}/register`, {}, participant.cookie)).status).toBe(303);
    const sent = await post(`/sessions/${sessionId}/message`, { subject: "Tot dinsdag\r\nBcc: iedereen@example.org", body: "Neem koffie mee." }, host.cookie);
    expect(sent.status, sent.body.slice(0, 300)).toBe(200);
    const mail = one<{ subject: string }>("SELECT subject FROM outbox WHERE member_id = ? ORDER BY id DESC LIMIT 1", participant.id);
    expect(mail.subject).toContain("Tot dinsdag Bcc: iedereen@example.org");
    expect(mail.subject).not.toMatch(/[\r\n]/);

    // The longest name still fits: made one line first, then measured.
    const longest = await post("/venues/new", { name: `${"a\n".repeat(60)}`, address: "", organisation: "" }, cookie);
    expect(longest.status).toBe(303);
    const tooLong = await post("/venues/new", { name: "b ".repeat(61), address: "", organisation: "" }, cookie);
    expect(tooLong.status).toBe(400);
  });
});

describe("sessions a newcomer adds", () => {
  const series = (initiativeId: number, cookie: string, n: number, startsIn = 10 * day) =>
    post(`/initiatives/${initiativeId}/sessions`, { startsAt: local(Date.now() + startsIn), endsAt: local(Date.now() + startsIn + 2 * hour), place: "Buurthuis", capacity: "", mode: "onsite", repeat: "weekly", count: String(n) }, cookie);
  const sessionsOf = (initiativeId: number) => count("SELECT count(*) AS n FROM sessions WHERE initiative_id = ?", initiativeId);

  it("are at most 60 in 24 hours for a member without a voice, and two series at once do not slip past it", async () => {
    const [host, other] = insertMembers(files.sqlite, 2, "agenda");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    expect((await series(initiativeId, host.cookie, 52)).status).toBe(303);
    expect(sessionsOf(initiativeId)).toBe(53);
    const refused = await series(initiativeId, host.cookie, 9, 11 * day);
    expect(refused.status).toBe(429);
    expect(refused.body).toContain("ten hoogste 60 bijeenkomsten");
    expect(refused.body).toContain("nog 8 keer");
    expect(sessionsOf(initiativeId)).toBe(53);
    expect((await series(initiativeId, host.cookie, 8, 12 * day)).status).toBe(303);
    expect(sessionsOf(initiativeId)).toBe(61);

    const theirs = insertCourseSession(files.sqlite, other.id, null).initiativeId;
    const both = await Promise.all([series(theirs, other.cookie, 40, 10 * day), series(theirs, other.cookie, 40, 11 * day)]);
    expect(both.map((a) => a.status).sort()).toEqual([303, 429]);
    expect(sessionsOf(theirs)).toBe(41);
  });
});

describe("a meeting that has started", () => {
  it("can end earlier, not later: a later end would open check-in again", async () => {
    const [host] = insertMembers(files.sqlite, 1, "late");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, null);
    const minute = 60_000;
    const start = Math.floor((Date.now() - hour) / minute) * minute;
    const end = start + 2 * hour;
    files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ?, place = 'Buurthuis' WHERE id = ?").run(start, end, sessionId);
    const edit = (endsAt: number) => post(`/sessions/${sessionId}/edit`, { startsAt: local(start), endsAt: local(endsAt), place: "Buurthuis", capacity: "", mode: "onsite" }, host.cookie);
    const later = await edit(end + 3 * day);
    expect(later.status).toBe(409);
    expect(later.body).toContain("het einde kan nog eerder, maar niet later");
    expect(one<{ ends_at: number }>("SELECT ends_at FROM sessions WHERE id = ?", sessionId).ends_at).toBe(end);
    const earlier = end - 30 * minute;
    expect((await edit(earlier)).status).toBe(303);
    expect(one<{ ends_at: number }>("SELECT ends_at FROM sessions WHERE id = ?", sessionId).ends_at).toBe(earlier);
  });
});

describe("posts that skipped a confirm page", () => {
  it("are refused with the status of the refusal, not shown as a page that answers 200", async () => {
    const [host, other] = insertMembers(files.sqlite, 2, "skip");
    const { initiativeId, sessionId } = insertCourseSession(files.sqlite, host.id, null);
    const theirs = await comment(initiativeId, host.cookie, "Van de kartrekker");
    expect((await post(`/comments/${theirs}/delete`, { x: "1" }, other.cookie)).status).toBe(403);
    expect((await post("/comments/99999999/delete", { x: "1" }, other.cookie)).status).toBe(404);
    expect((await post(`/initiatives/${initiativeId}/step-back`, { x: "1" }, other.cookie)).status).toBe(403);
    expect((await post(`/sessions/${sessionId}/cancel`, { x: "1" }, other.cookie)).status).toBe(409);
    // What may be confirmed still shows its confirm page.
    const mine = await comment(initiativeId, other.cookie, "Van mij");
    expect((await post(`/comments/${mine}/delete`, { x: "1" }, other.cookie)).status).toBe(200);
    expect(count("SELECT count(*) AS n FROM comments WHERE id IN (?, ?)", theirs, mine)).toBe(2);
  });
});

describe("files that refuse", () => {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${files.server.url}${path}`, { headers });

  it("say why in the reader's language, and the participant list opens in a Dutch spreadsheet", async () => {
    const [host, ann, bob, stranger] = insertMembers(files.sqlite, 4, "csv");
    const { sessionId } = insertCourseSession(files.sqlite, host.id, 1);
    expect((await post(`/sessions/${sessionId}/register`, {}, ann.cookie)).status).toBe(303);
    expect((await post(`/sessions/${sessionId}/register`, {}, bob.cookie)).status).toBe(303);

    const missing = await get("/sessions/99999999/participants.csv", { cookie: stranger.cookie });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("Deze pagina bestaat niet (meer)");
    const english = await get("/sessions/99999999/participants.csv", { cookie: stranger.cookie, "accept-language": "en-GB,en;q=0.9" });
    expect(await english.text()).toContain("This page does not exist");
    const notHost = await get(`/sessions/${sessionId}/participants.csv`, { cookie: stranger.cookie });
    expect(notHost.status).toBe(403);
    expect(await notHost.text()).toContain("Alleen de kartrekkers");
    const calendar = await get("/calendar/bestaatniet1234567890abcd.ics");
    expect(calendar.status).toBe(404);
    expect(await calendar.text()).toContain("Deze agendalink bestaat niet (meer)");
    const session = await get("/sessions/99999999.ics");
    expect(session.status).toBe(404);
    expect(session.headers.get("content-type")).toContain("text/plain");
    expect(await session.text()).toContain("Deze pagina bestaat niet (meer)");

    const list = await get(`/sessions/${sessionId}/participants.csv`, { cookie: host.cookie });
    expect(list.status).toBe(200);
    expect(list.headers.get("content-disposition")).toMatch(new RegExp(`filename="deelnemers-${sessionId}-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}\\.csv"`));
    const lines = (await list.text()).replace(/^\uFEFF/, "").trimEnd().split("\r\n");
    expect(lines[0]).toBe("Naam;Organisatie;Status;Plaats op de wachtlijst;Aanwezig (1 = ja)");
    expect(lines.slice(1)).toEqual(["Deelnemer csv1;Organisatie 1;Aangemeld;;", "Deelnemer csv2;Organisatie 2;Op de wachtlijst;1;"]);
    const inEnglish = await get(`/sessions/${sessionId}/participants.csv`, { cookie: host.cookie, "accept-language": "en" });
    expect((await inEnglish.text()).replace(/^\uFEFF/, "").split("\r\n")[0]).toBe("Name,Organisation,Status,Place on the waiting list,Present (1 = yes)");
  });
});

describe("a date poll", () => {
  it("blames an impossible date on the date, not on the time", async () => {
    const [host] = insertMembers(files.sqlite, 1, "poll");
    const { initiativeId } = insertCourseSession(files.sqlite, host.id, null);
    const next = local(Date.now() + 20 * day).slice(0, 10);
    const answer = await post(
      `/initiatives/${initiativeId}/polls/new`,
      { intent: "offer", title: "Volgende keer", note: "", "date-0": "2027-02-30", "start-0": "19:30", "end-0": "21:30", "place-0": "", "mode-0": "onsite", "date-1": next, "start-1": "19:30", "end-1": "21:30", "place-1": "", "mode-1": "onsite" },
      host.cookie,
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Vul een geldige datum in.");
    expect(answer.body).not.toContain("Vul een geldige tijd in");
    expect(count("SELECT count(*) AS n FROM date_polls")).toBe(0);
  });
});
