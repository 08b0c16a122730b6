// A check-in code that got out, or a host marking people present who never came (docs/decisions/051),
// through the real server: witnesses who were at a meeting say whom they did not see there, and
// with the second such witness that attendance is struck: it gives no voice, and neither a new
// check-in nor a host can bring it back. Nobody else's word counts (a visitor, a fresh account, a
// held witness, a witness who was not there, a member about themselves), only attendance can be
// struck, no malformed input writes anything, and witnesses who say it at once strike it exactly once.
import { describe, expect, it } from "vitest";
import { insertMembers } from "../../support/direct-db";
import { serverForFile } from "../../support/server-for-file";
import { servedForms, type Answer } from "../../support/served-forms";

const files = serverForFile("unseen-check-ins");
const hour = 3_600_000;
const day = 24 * hour;
const code = "ACDEFG";

const { post, get, one, count } = servedForms(files);
/** Everything saying "not seen" could write. */
const writes = () =>
  count(
    "SELECT (SELECT count(*) FROM unseen_check_ins) + (SELECT count(*) FROM log_entries) + (SELECT count(*) FROM registrations WHERE unseen_at IS NOT NULL) + (SELECT count(*) FROM outbox) + (SELECT count(*) FROM registrations WHERE attended_at IS NULL) AS n",
  );

/** Members whose accounts are 40 days old; founders are witnesses while the network starts up. */
function members(n: number, prefix: string, founder: boolean) {
  const made = insertMembers(files.sqlite, n, prefix);
  for (const m of made) files.sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(Date.now() - 40 * day, founder ? Date.now() - 40 * day : null, m.id);
  return made;
}

/** A meeting hosted by `hostId` that started `ago` ms ago (two hours long) and stood on the agenda three days ahead. */
function meeting(hostId: string, ago = hour) {
  const start = Date.now() - ago;
  const announced = start - 3 * day;
  const initiative = files.sqlite
    .prepare("INSERT INTO initiatives (title, summary, body, kind, created_by, created_at, updated_at) VALUES ('Intervisie', 'Samen leren van casussen.', '', 'course', ?, ?, ?) RETURNING id")
    .pluck()
    .get(hostId, announced, announced) as number;
  files.sqlite.prepare("INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (?, ?, ?, ?)").run(initiative, hostId, announced, announced);
  return files.sqlite
    .prepare("INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at) VALUES (?, ?, ?, 'Buurthuis De Linde', ?, ?, ?, ?) RETURNING id")
    .pluck()
    .get(initiative, start, start + 2 * hour, code, announced, announced, announced) as number;
}
/** Check-ins with the code, through the server; backdated to `at` when given (a meeting days ago). */
async function checkIn(sessionId: number, people: { id: string; cookie: string }[], at?: number) {
  for (const p of people) {
    const answer = await post(`/sessions/${sessionId}/checkin`, { code }, p.cookie);
    expect(answer.status, answer.body.slice(0, 300)).toBe(303);
  }
  if (at !== undefined) for (const p of people) files.sqlite.prepare("UPDATE registrations SET attended_at = ? WHERE session_id = ? AND member_id = ?").run(at, sessionId, p.id);
}
const unseen = (sessionId: number, memberId: string, cookie: string | null, intent = "unseen") => post(`/sessions/${sessionId}/attendance`, { intent, memberId }, cookie);
const attended = (sessionId: number, memberId: string) => one<{ attended_at: number | null; unseen_at: number | null }>("SELECT attended_at, unseen_at FROM registrations WHERE session_id = ? AND member_id = ?", sessionId, memberId);

describe("a check-in the witnesses did not see", () => {
  it("is struck by the second witness who was there, gives no voice, and cannot be made again", async () => {
    const [host, anna, bram, cato] = members(4, "witness", true);
    const [puppet] = members(1, "puppet", false);
    // A meeting two days ago: the puppet's voice would start in five days.
    const start = Date.now() - 2 * day;
    const sessionId = meeting(host.id, 2 * day);
    // Checked in as if the meeting were now, then written back to when it was.
    files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?").run(Date.now() - hour, Date.now() + hour, sessionId);
    await checkIn(sessionId, [anna, bram, cato, puppet]);
    files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?").run(start, start + 2 * hour, sessionId);
    files.sqlite.prepare("UPDATE registrations SET attended_at = ? WHERE session_id = ?").run(start + 600_000, sessionId);
    expect(await get(`/members/${puppet.id}`, puppet.cookie)).toContain("Een stem begint op");

    // The first witness: said, shown, nothing struck.
    const first = await unseen(sessionId, puppet.id, anna.cookie);
    expect(first.status).toBe(303);
    expect(first.location).toBe(`/sessions/${sessionId}#participants-heading`);
    expect(attended(sessionId, puppet.id).attended_at).not.toBeNull();
    expect(await get(`/sessions/${sessionId}`, bram.cookie)).toContain("1 getuige zag deze persoon niet");
    const again = await unseen(sessionId, puppet.id, anna.cookie);
    expect(again.status).toBe(409);
    expect(again.body).toContain("Je zei al dat je deze persoon niet zag.");
    expect(await get(`/members/${puppet.id}`, puppet.cookie)).toContain("Een stem begint op");

    // The second witness strikes it: no attendance, no voice, a mail and one log entry naming both.
    expect((await unseen(sessionId, puppet.id, bram.cookie)).status).toBe(303);
    const row = attended(sessionId, puppet.id);
    expect(row.attended_at).toBeNull();
    expect(row.unseen_at).not.toBeNull();
    const struck = one<{ actor_id: string; detail: string }>("SELECT actor_id, detail FROM log_entries WHERE action = 'attendance.struck' AND subject_id = ?", String(sessionId));
    expect(struck.actor_id).toBe(bram.id);
    expect(JSON.parse(struck.detail)).toEqual({ memberId: puppet.id, by: [anna.id, bram.id] });
    expect(count("SELECT count(*) AS n FROM outbox WHERE kind = 'check-in-struck' AND member_id = ?", puppet.id)).toBe(1);
    const profile = await get(`/members/${puppet.id}`, puppet.cookie);
    expect(profile).not.toContain("Een stem begint op");
    // The profile says why, to the member only.
    expect(profile).toMatch(/Je aanwezigheid bij Intervisie op [^<]+ telt niet: twee getuigen die er waren, hebben je er niet gezien\./);
    expect(await get(`/members/${puppet.id}`, cato.cookie)).not.toContain("telt niet: twee getuigen");
    const puppetPage = await get(`/sessions/${sessionId}`, puppet.cookie);
    expect(puppetPage).toContain("Twee getuigen die bij deze bijeenkomst waren, hebben je er niet gezien.");
    expect(puppetPage).toContain("niet gezien door getuigen; aanwezigheid vervallen");

    // Neither a new check-in, nor a host, nor a third witness.
    files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ? WHERE id = ?").run(Date.now() - hour, Date.now() + hour, sessionId);
    const back = await post(`/sessions/${sessionId}/checkin`, { code }, puppet.cookie);
    expect(back.status).toBe(409);
    expect(back.body).toContain("opnieuw inchecken kan niet");
    const marked = await post(`/sessions/${sessionId}/attendance`, { memberId: puppet.id, present: "1" }, host.cookie);
    expect(marked.status).toBe(409);
    expect(marked.body).toContain("aanwezig melden of opnieuw inchecken kan niet");
    const third = await unseen(sessionId, puppet.id, cato.cookie);
    expect(third.status).toBe(409);
    expect(third.body).toContain("De aanwezigheid is vervallen");
    expect(attended(sessionId, puppet.id).attended_at).toBeNull();
    expect(count("SELECT count(*) AS n FROM log_entries WHERE action = 'attendance.struck' AND subject_id = ?", String(sessionId))).toBe(1);
    // Both keep it in their own data.
    const exported = async (cookie: string) => JSON.parse(await get("/settings/export.json", cookie));
    expect((await exported(puppet.cookie)).registrations).toEqual([expect.objectContaining({ sessionId, attendedAt: null, checkInStruckAt: expect.any(String) })]);
    expect((await exported(anna.cookie)).notSeen).toEqual([{ sessionId, memberId: puppet.id, at: expect.any(String) }]);
    // Nor does the sign-up that came with it make the member one who decides about the initiative.
    const initiativeId = one<{ initiative_id: number }>("SELECT initiative_id FROM sessions WHERE id = ?", sessionId).initiative_id;
    const opened = await post("/proposals/new", { title: "Een vaste dag in de week", body: "", kind: "consent", scope: "initiative", initiativeId: String(initiativeId), days: "7" }, anna.cookie);
    expect(opened.status, opened.body.slice(0, 300)).toBe(303);
    const electorate = files.sqlite.prepare("SELECT e.member_id FROM proposal_electorate e JOIN proposals p ON p.id = e.proposal_id WHERE p.initiative_id = ?").pluck().all(initiativeId);
    expect(electorate).toContain(anna.id);
    expect(electorate).not.toContain(puppet.id);
  });

  it("counts only witnesses who were there, about someone else shown as present, and refuses the rest with the reason", async () => {
    const [host, anna, elsewhere] = members(3, "w2-", true);
    const [held] = members(1, "held", true);
    const [fresh, puppet, absent] = members(3, "fresh", false);
    const sessionId = meeting(host.id);
    await checkIn(sessionId, [anna, held, fresh, puppet]);
    files.sqlite.prepare("UPDATE members SET posting_held_at = ? WHERE id = ?").run(Date.now() - hour, held.id);
    files.sqlite.prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, created_at, updated_at) VALUES (?, ?, 'registered', 100, ?, ?)").run(sessionId, absent.id, Date.now(), Date.now());
    const before = writes();
    const cases: [string, Answer, number, string][] = [
      ["a visitor", await unseen(sessionId, puppet.id, null), 302, ""],
      ["a fresh account that checked in", await unseen(sessionId, puppet.id, fresh.cookie), 403, "Alleen getuigen kunnen zeggen dat ze iemand niet zagen."],
      ["a held witness who checked in", await unseen(sessionId, puppet.id, held.cookie), 403, "je account tegengehouden"],
      ["a witness who was not there", await unseen(sessionId, puppet.id, elsewhere.cookie), 403, "Dat kan alleen wie zelf bij deze bijeenkomst was"],
      ["a witness about themselves", await unseen(sessionId, anna.id, anna.cookie), 403, "Mijn check-in terugdraaien"],
      ["someone who did not come", await unseen(sessionId, absent.id, anna.cookie), 409, "Deze persoon staat niet als aanwezig bij deze bijeenkomst."],
      ["taking back what was not said", await unseen(sessionId, puppet.id, anna.cookie, "seen"), 409, "Je had niet gezegd dat je deze persoon niet zag."],
      ["an unknown session", await unseen(sessionId + 1000, puppet.id, anna.cookie), 404, ""],
    ];
    for (const [who, answer, status, text] of cases) {
      expect(answer.status, who).toBe(status);
      expect(answer.body, who).toContain(text);
      if (status >= 400) expect(answer.body, who).not.toMatch(/\s+at [\w$.<>]+ \(.*:\d+:\d+\)/);
    }
    expect(cases[0][1].location).toMatch(/^\/login/);
    expect(writes()).toBe(before);
    // The host was there (a host when it started) without checking in, and may say it.
    expect((await unseen(sessionId, puppet.id, host.cookie)).status).toBe(303);
    expect(count("SELECT count(*) AS n FROM unseen_check_ins u JOIN registrations r ON r.id = u.registration_id WHERE r.session_id = ? AND u.witness_id = ?", sessionId, host.id)).toBe(1);
  });

  it("strikes the attendance of people a host marked present who never came, and the host cannot mark them again", async () => {
    const [host, anna, bram] = members(3, "w6-", true);
    const absent = members(3, "absent", false);
    const sessionId = meeting(host.id);
    await checkIn(sessionId, [anna, bram]);
    for (const a of absent) {
      files.sqlite.prepare("INSERT INTO registrations (session_id, member_id, status, queued_seq, created_at, updated_at) VALUES (?, ?, 'registered', ?, ?, ?)").run(sessionId, a.id, 10 + absent.indexOf(a), Date.now(), Date.now());
      expect((await post(`/sessions/${sessionId}/attendance`, { memberId: a.id, present: "1" }, host.cookie)).status).toBe(303);
    }
    // Those who were there can tell a host's mark from a check-in.
    const page = await get(`/sessions/${sessionId}`, anna.cookie);
    expect(page.match(/\(gemeld door een kartrekker\)/g)).toHaveLength(3);
    expect(page.match(/\(zelf ingecheckt\)/g)).toHaveLength(2);
    for (const a of absent) for (const w of [anna, bram]) expect((await unseen(sessionId, a.id, w.cookie)).status).toBe(303);
    for (const a of absent) expect(attended(sessionId, a.id)).toMatchObject({ attended_at: null, unseen_at: expect.any(Number) });
    const again = await post(`/sessions/${sessionId}/attendance`, { memberId: absent[0].id, present: "1" }, host.cookie);
    expect(again.status).toBe(409);
    expect(again.body).toContain("aanwezig melden of opnieuw inchecken kan niet");
    expect(count("SELECT count(*) AS n FROM log_entries WHERE action = 'attendance.struck' AND subject_id = ?", String(sessionId))).toBe(3);
  });

  it("writes nothing for malformed or outsized input", async () => {
    const [host, anna] = members(2, "w3-", true);
    const [puppet] = members(1, "p3-", false);
    const sessionId = meeting(host.id);
    await checkIn(sessionId, [anna, puppet]);
    const before = writes();
    const inputs: Record<string, string | string[]>[] = [
      { intent: "unseen", memberId: "" },
      { intent: "unseen" },
      { intent: "unseen", memberId: "x".repeat(8192) },
      { intent: "unseen", memberId: "' OR 1=1 --" },
      { intent: "unseen", memberId: "ëéü-ïöä" },
      { intent: "unseen", memberId: `${puppet.id}/../x` },
      { intent: "unseen", memberId: Array.from({ length: 500 }, () => "nobody-here") },
      { intent: "UNSEEN", memberId: puppet.id },
      { intent: "unseen", memberId: "a".repeat(65) },
    ];
    for (const fields of inputs) {
      const answer = await post(`/sessions/${sessionId}/attendance`, fields, anna.cookie);
      expect(answer.status, JSON.stringify(fields).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(answer.status, JSON.stringify(fields).slice(0, 80)).toBeLessThan(500);
    }
    expect((await post(`/sessions/abc/attendance`, { intent: "unseen", memberId: puppet.id }, anna.cookie)).status).toBe(404);
    expect(writes()).toBe(before);
  });

  it("is possible from check-in's opening until attendance is fixed, and not for a cancelled meeting", async () => {
    const [host, anna] = members(2, "w4-", true);
    const [puppet] = members(1, "p4-", false);
    const sessionId = meeting(host.id);
    await checkIn(sessionId, [anna, puppet]);
    const set = (startsAt: number, cancelled: number | null) => files.sqlite.prepare("UPDATE sessions SET starts_at = ?, ends_at = ?, cancelled_at = ? WHERE id = ?").run(startsAt, startsAt + 2 * hour, cancelled, sessionId);
    const before = writes();
    set(Date.now() - 8 * day, null);
    const fixed = await unseen(sessionId, puppet.id, anna.cookie);
    expect(fixed.status).toBe(409);
    expect(fixed.body).toContain("De aanwezigheid ligt vast");
    set(Date.now() + day, null);
    expect((await unseen(sessionId, puppet.id, anna.cookie)).status).toBe(409);
    set(Date.now() - hour, Date.now());
    expect((await unseen(sessionId, puppet.id, anna.cookie)).status).toBe(409);
    expect(writes()).toBe(before);
    // Six days after it ended: still open.
    set(Date.now() - 6 * day, null);
    expect((await unseen(sessionId, puppet.id, anna.cookie)).status).toBe(303);
  });

  it("can be taken back before it strikes, and three witnesses at once strike it exactly once", async () => {
    const [host, anna, bram, cato] = members(4, "w5-", true);
    const [p1, p2] = members(2, "p5-", false);
    const sessionId = meeting(host.id);
    await checkIn(sessionId, [anna, bram, cato, p1, p2]);
    // Taken back: the first witness's word is gone, so the next one alone strikes nothing.
    expect((await unseen(sessionId, p1.id, anna.cookie)).status).toBe(303);
    expect((await unseen(sessionId, p1.id, anna.cookie, "seen")).status).toBe(303);
    expect(count("SELECT count(*) AS n FROM log_entries WHERE action = 'attendance.seen' AND actor_id = ?", anna.id)).toBe(1);
    expect((await unseen(sessionId, p1.id, bram.cookie)).status).toBe(303);
    expect(attended(sessionId, p1.id).attended_at).not.toBeNull();

    const answers = await Promise.all([anna, bram, cato].map((w) => unseen(sessionId, p2.id, w.cookie)));
    expect(answers.map((a) => a.status).sort()).toEqual([303, 303, 409]);
    expect(attended(sessionId, p2.id).unseen_at).not.toBeNull();
    expect(count("SELECT count(*) AS n FROM log_entries WHERE action = 'attendance.struck' AND subject_id = ?", String(sessionId))).toBe(1);
    expect(count("SELECT count(*) AS n FROM outbox WHERE kind = 'check-in-struck' AND member_id = ?", p2.id)).toBe(1);
  });
});
