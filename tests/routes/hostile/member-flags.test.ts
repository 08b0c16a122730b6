// Flags on members, through the real server: a witness flags at most one other member in any
// 7 days (governance/config: memberFlagsPerWeek), so that a few witnesses cannot hold a whole
// network in minutes (a hold takes a voice away at once); flags sent at once cannot pass the limit
// together; flagging the same member again stays possible.
import { describe, expect, it } from "vitest";
import { insertMembers } from "../../support/direct-db";
import { serverForFile } from "../../support/server-for-file";

const files = serverForFile("member-flags");
const rule = "7. Respect en privacy.";
const day = 86_400_000;

const flagMember = async (cookie: string, targetId: string) => {
  const res = await fetch(`${files.server.url}/members/${targetId}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: files.server.url, Cookie: cookie },
    body: new URLSearchParams({ intent: "flag", rule, reason: "Stuurt reclame rond" }).toString(),
  });
  return { status: res.status, body: await res.text() };
};
/** Founders whose accounts are old enough: witnesses while the network starts up. */
const witnesses = (n: number) => {
  const made = insertMembers(files.sqlite, n, "witness");
  for (const w of made) files.sqlite.prepare("UPDATE members SET created_at = ?, founder_at = ? WHERE id = ?").run(Date.now() - 3 * day, Date.now() - 3 * day, w.id);
  return made;
};
const flagsBy = (memberId: string) => (files.sqlite.prepare("SELECT count(*) AS n FROM flags WHERE member_id = ? AND target_type = 'member'").get(memberId) as { n: number }).n;

describe("flags on members", () => {
  it("takes one member a week from a witness, refuses a second with the reason, and takes the same one again", async () => {
    const [w] = witnesses(1);
    const [a, b] = insertMembers(files.sqlite, 2, "target");
    expect((await flagMember(w.cookie, a.id)).status).toBeLessThan(400);
    const second = await flagMember(w.cookie, b.id);
    expect(second.status).toBe(429);
    expect(second.body).toContain("Je kunt één deelnemer per week melden.");
    expect(flagsBy(w.id)).toBe(1);
    // The same member again updates the flag.
    expect((await flagMember(w.cookie, a.id)).status).toBeLessThan(400);
    expect(flagsBy(w.id)).toBe(1);
    // A week later, another.
    files.sqlite.prepare("UPDATE flags SET created_at = ? WHERE member_id = ?").run(Date.now() - 8 * day, w.id);
    expect((await flagMember(w.cookie, b.id)).status).toBeLessThan(400);
    expect(flagsBy(w.id)).toBe(2);
  });

  it("lets exactly one of several flags sent at once through", async () => {
    const [w] = witnesses(1);
    const targets = insertMembers(files.sqlite, 6, "burst");
    const answers = await Promise.all(targets.map((t) => flagMember(w.cookie, t.id)));
    expect(answers.filter((a) => a.status < 400)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(5);
    expect(flagsBy(w.id)).toBe(1);
  });
});
