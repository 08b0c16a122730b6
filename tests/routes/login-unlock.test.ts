// The link that logs a slowed-down account's member in (/login/unlock/:token), refused by the
// network address's limit on login attempts: through the real server on a real SQLite file, the
// 429 says when to try again, in Retry-After and on the page, and the refused attempt does not
// spend the link.
import { beforeAll, describe, expect, it } from "vitest";
import { rateLimitRules } from "~/governance/config";
import { hashPassword } from "~/lib/auth.server";
import { insertMembers } from "../support/direct-db";
import { servedForms } from "../support/served-forms";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("login-unlock");
const { post, count } = servedForms(files);
const password = "a long enough password";
let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(password);
});

function member() {
  const [m] = insertMembers(files.sqlite, 1, "unlock-");
  files.sqlite.prepare("UPDATE members SET password_hash = ? WHERE id = ?").run(passwordHash, m.id);
  return { ...m, email: `${m.id}@example.org` };
}
const unlockLink = (memberId: string) => {
  const mail = files.sqlite.prepare("SELECT body FROM outbox WHERE kind = 'login-unlock' AND member_id = ?").get(memberId) as { body: string } | undefined;
  const link = mail && /\/login\/unlock\/[A-Za-z0-9_-]{43}/.exec(mail.body)?.[0];
  if (!link) throw new Error("no unlock link mailed");
  return link;
};

describe("/login/unlock/:token past the address's limit on login attempts", () => {
  it("answers 429 with Retry-After and says on the page in how many minutes to try again; the link still works afterwards", async () => {
    const ann = member();
    // Wrong guesses at Ann's account slow it down, and Ann is mailed the link.
    for (let i = 0; i < rateLimitRules.loginPerAccount.limit; i++) expect((await post("/login", { email: ann.email, password: `wrong guess ${i}` }, null)).status).toBe(400);
    expect((await post("/login", { email: ann.email, password }, null)).status).toBe(429);
    const link = unlockLink(ann.id);
    expect((await post(link, { password: "a typo in it" }, null)).status).toBe(400);
    // The rest of this address's attempts go to other accounts (a list of guesses).
    const used = rateLimitRules.loginPerAccount.limit + 2;
    for (let i = used; i < rateLimitRules.loginPerAddress.limit; i++) expect((await post("/login", { email: `list.${i}@example.org`, password: "password123456" }, null)).status).toBe(400);

    const limited = await post(link, { password }, null);
    expect(limited.status).toBe(429);
    expect(limited.body).toContain("Te veel pogingen achter elkaar.");
    const minutes = Number(/Je kunt het over (\d+) minuten? weer proberen\./.exec(limited.body)?.[1]);
    expect(minutes).toBeGreaterThanOrEqual(1);
    expect(minutes).toBeLessThanOrEqual(rateLimitRules.loginPerAddress.windowMinutes);
    expect(limited.retryAfter).toBe(String(minutes * 60));
    // Still the form, to try again with, and nobody logged in.
    expect(limited.body).toContain('name="password"');
    expect(count("SELECT count(*) AS n FROM auth_sessions WHERE member_id = ?", ann.id)).toBe(1);

    // The address's window passes: the link lets Ann in, so the refused attempt did not spend it.
    files.sqlite.prepare("UPDATE rate_limits SET window_start = window_start - ? WHERE key LIKE 'login:address:%'").run(rateLimitRules.loginPerAddress.windowMinutes * 60_000 + 1000);
    const inside = await post(link, { password }, null);
    expect(inside.status, inside.body.slice(0, 300)).toBe(303);
    expect(count("SELECT count(*) AS n FROM auth_sessions WHERE member_id = ?", ann.id)).toBe(2);
  });
});
