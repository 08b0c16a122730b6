// A new founder needs the yes of more than half of the founders with a voice (governance.md §1),
// through the real server: the invitation is its inviter's yes, the others say theirs on /founders
// after the invited member accepted. Nobody else's yes counts (a member who is no founder, a founder
// without a voice yet, a held founder, the inviter again, the invited member), no malformed or
// unknown invitation writes anything, and yes sent at once make the member a founder exactly once.
import { describe, expect, it } from "vitest";
import { insertMembers } from "../../support/direct-db";
import { serverForFile } from "../../support/server-for-file";
import { servedForms } from "../../support/served-forms";

const files = serverForFile("founder-yes");
const day = 86_400_000;

const { post, get, one, count } = servedForms(files);
/** Everything a yes could write. */
const writes = () => count("SELECT (SELECT count(*) FROM founder_confirmations) + (SELECT count(*) FROM log_entries) + (SELECT count(*) FROM members WHERE founder_at IS NOT NULL) AS n");

/** Members whose accounts are three days old; founders have a voice while the network starts up. */
function members(n: number, prefix: string, founder: boolean) {
  const made = insertMembers(files.sqlite, n, prefix);
  for (const m of made) files.sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(Date.now() - 3 * day, founder ? Date.now() - 3 * day : null, m.id);
  return made;
}

describe("a founder's yes", () => {
  it("makes a new founder only with more than half of the founders with a voice, and refuses every other yes with the reason", async () => {
    // Four founders with a voice (three yes needed), a held founder, a founder for an hour, a member who is no founder.
    const [anna, bram, cato, dirk] = members(4, "founder", true);
    const [held] = members(1, "held", true);
    files.sqlite.prepare("UPDATE members SET posting_held_at = ? WHERE id = ?").run(Date.now() - day, held.id);
    const [young] = insertMembers(files.sqlite, 1, "young");
    files.sqlite.prepare("UPDATE members SET founder_at = ? WHERE id = ?").run(Date.now(), young.id);
    const [stranger] = members(1, "stranger", false);
    const [pien] = insertMembers(files.sqlite, 1, "pien");

    expect((await post("/founders", { email: "pien@example.org" }, anna.cookie)).status).toBe(200);
    const token = /\/founders\/([A-Za-z0-9_-]{43})/.exec(one<{ body: string }>("SELECT body FROM outbox WHERE kind = 'founder-invitation' ORDER BY id DESC LIMIT 1").body)![1];
    const accepted = await post(`/founders/${token}`, {}, pien.cookie);
    expect(accepted.status).toBe(303);
    expect(accepted.location).toBe("/founders");
    expect(count("SELECT count(*) AS n FROM members WHERE id = ? AND founder_at IS NOT NULL", pien.id)).toBe(0);
    // The three other founders with a voice are asked; the held and the young founder are not.
    const asked = (files.sqlite.prepare("SELECT member_id FROM outbox WHERE kind = 'founder-yes' ORDER BY member_id").all() as { member_id: string }[]).map((r) => r.member_id);
    expect(asked).toEqual([bram.id, cato.id, dirk.id].sort());
    expect(await get("/founders", pien.cookie)).toContain("er zijn nog 2 keer ja nodig");
    const invitation = one<{ token_hash: string }>("SELECT token_hash FROM founder_invitations WHERE used_by = ?", pien.id).token_hash;
    expect(await get("/founders", bram.cookie)).toContain(`value="${invitation}"`);

    const before = writes();
    const refusals: [string, string | null, number, string][] = [
      ["a member who is no founder", stranger.cookie, 403, "Alleen een oprichter met een stem"],
      ["a held founder", held.cookie, 403, "tegengehouden"],
      ["a founder without a voice yet", young.cookie, 403, "Je bent oprichter, maar je stem begint pas als je account een dag oud is."],
      ["the inviter again", anna.cookie, 403, "telt al mee"],
      ["the invited member", pien.cookie, 403, "Alleen een oprichter met een stem"],
    ];
    for (const [who, cookie, status, text] of refusals) {
      const answer = await post("/founders", { intent: "yes", invitation }, cookie);
      expect([who, answer.status], who).toEqual([who, status]);
      expect(answer.body, who).toContain(text);
    }
    const visitor = await post("/founders", { intent: "yes", invitation }, null);
    expect([302, 303]).toContain(visitor.status);
    expect(visitor.location).toMatch(/^\/login/);
    // Not an invitation waiting for a yes: unknown, malformed, huge, many fields.
    for (const value of ["", "x", invitation.toUpperCase(), `${invitation}0`, invitation.slice(1), "0".repeat(64), "'; DELETE FROM members; --", "ü".repeat(64), "x".repeat(8192)]) {
      const answer = await post("/founders", { intent: "yes", invitation: value }, bram.cookie);
      expect([value.slice(0, 20), answer.status]).toEqual([value.slice(0, 20), 404]);
      expect(answer.body).toContain("Deze uitnodiging bestaat niet");
    }
    expect((await post("/founders", { intent: "yes", invitation: Array.from({ length: 500 }, () => invitation) }, bram.cookie)).status).toBeGreaterThanOrEqual(400);
    expect(writes()).toBe(before);

    // Bram, Cato and Dirk say yes at once: the second yes makes Pien a founder, the third finds
    // nothing waiting any more.
    const answers = await Promise.all([bram, cato, dirk].map((f) => post("/founders", { intent: "yes", invitation }, f.cookie)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 404]);
    expect(answers.filter((a) => a.body.includes("Met jouw ja is er een oprichter bij."))).toHaveLength(1);
    expect(answers.filter((a) => a.body.includes("Je ja is geteld."))).toHaveLength(1);
    expect(count("SELECT count(*) AS n FROM members WHERE id = ? AND founder_at IS NOT NULL", pien.id)).toBe(1);
    expect(count("SELECT count(*) AS n FROM founder_confirmations WHERE token_hash = ?", invitation)).toBe(2);
    expect(count("SELECT count(*) AS n FROM log_entries WHERE action = 'founder.joined' AND subject_id = ?", pien.id)).toBe(1);
    expect(count("SELECT count(*) AS n FROM log_entries WHERE action = 'founder.confirmed' AND subject_id = ?", pien.id)).toBe(2);
  });

  it("lets an accepted invitation lapse after 14 days without enough yes, and gives its place back", async () => {
    const founders = (files.sqlite.prepare("SELECT id FROM members WHERE founder_at IS NOT NULL AND posting_held_at IS NULL AND created_at < ?").all(Date.now() - day) as { id: string }[]).map((r) => r.id);
    const [inviter] = members(1, "inviter", true);
    const [late] = insertMembers(files.sqlite, 1, "late");
    expect(founders.length).toBeGreaterThan(1);
    const inviterCookie = inviter.cookie;
    expect((await post("/founders", { email: "late@example.org" }, inviterCookie)).status).toBe(200);
    const token = /\/founders\/([A-Za-z0-9_-]{43})/.exec(one<{ body: string }>("SELECT body FROM outbox WHERE kind = 'founder-invitation' ORDER BY id DESC LIMIT 1").body)![1];
    expect((await post(`/founders/${token}`, {}, late.cookie)).status).toBe(303);
    const invitation = one<{ token_hash: string }>("SELECT token_hash FROM founder_invitations WHERE used_by = ?", late.id).token_hash;
    const places = async () => Number(/Nog (\d+) plaats/.exec(await get("/founders", inviterCookie))?.[1]);
    const waitingPlaces = await places();
    files.sqlite.prepare("UPDATE founder_invitations SET used_at = ? WHERE token_hash = ?").run(Date.now() - 15 * day, invitation);
    expect(await places()).toBe(waitingPlaces + 1);
    const [someone] = founders.filter((id) => id !== inviter.id);
    expect(someone).toBeDefined();
    const cookie = (files.sqlite.prepare("SELECT id FROM auth_sessions WHERE member_id = ?").get(someone) as { id: string }).id;
    const answer = await post("/founders", { intent: "yes", invitation }, `meedoen_session=${cookie}`);
    expect(answer.status).toBe(404);
    expect(count("SELECT count(*) AS n FROM members WHERE id = ? AND founder_at IS NOT NULL", late.id)).toBe(0);
  });

  it("asks nobody's yes for a member held after accepting, nor makes them a founder", async () => {
    const [inviter, other] = members(2, "heldcase", true);
    const [newcomer] = insertMembers(files.sqlite, 1, "heldnew");
    expect((await post("/founders", { email: "heldnew@example.org" }, inviter.cookie)).status).toBe(200);
    const token = /\/founders\/([A-Za-z0-9_-]{43})/.exec(one<{ body: string }>("SELECT body FROM outbox WHERE kind = 'founder-invitation' ORDER BY id DESC LIMIT 1").body)![1];
    expect((await post(`/founders/${token}`, {}, newcomer.cookie)).status).toBe(303);
    const invitation = one<{ token_hash: string }>("SELECT token_hash FROM founder_invitations WHERE used_by = ?", newcomer.id).token_hash;
    files.sqlite.prepare("UPDATE members SET posting_held_at = ? WHERE id = ?").run(Date.now(), newcomer.id);
    expect(await get("/founders", other.cookie)).not.toContain(invitation);
    expect((await post("/founders", { intent: "yes", invitation }, other.cookie)).status).toBe(404);
    expect(count("SELECT count(*) AS n FROM members WHERE id = ? AND founder_at IS NOT NULL", newcomer.id)).toBe(0);
  });
});
