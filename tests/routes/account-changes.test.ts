// Changing one's password and e-mail address while logged in, through the real server on a real
// SQLite file: what is stored, who is mailed, the limits, the link mailed to the new address
// (single use, 24 hours, a GET changes nothing), two accounts racing for one address, and
// hostile forms.
import { createHash, randomBytes } from "node:crypto";
import { verify } from "@node-rs/argon2";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/lib/auth.server";
import { insertMembers } from "../support/direct-db";
import { servedForms } from "../support/served-forms";
import { serverForFile } from "../support/server-for-file";

const files = serverForFile("account-changes");
const { post, get, one, count } = servedForms(files);
const password = "a long enough password";
let passwordHash: string;
beforeAll(async () => {
  passwordHash = await hashPassword(password);
});

let made = 0;
/** A member with a real password and a login session. */
function member() {
  const [m] = insertMembers(files.sqlite, 1, `acc${++made}-`);
  files.sqlite.prepare("UPDATE members SET password_hash = ? WHERE id = ?").run(passwordHash, m.id);
  return { ...m, email: `${m.id}@example.org` };
}
/** Another login session of the same member (another phone). */
function secondSession(memberId: string) {
  const id = randomBytes(20).toString("hex");
  files.sqlite.prepare("INSERT INTO auth_sessions (id, member_id, expires_at) VALUES (?, ?, ?)").run(id, memberId, Math.floor(Date.now() / 1000) + 86_400);
  return { id, cookie: `meedoen_session=${id}` };
}
const sessionIdOf = (cookie: string) => cookie.split("=")[1];
const hashOf = (memberId: string) => one<{ password_hash: string }>("SELECT password_hash FROM members WHERE id = ?", memberId).password_hash;
const emailOf = (memberId: string) => one<{ email: string }>("SELECT email FROM members WHERE id = ?", memberId).email;
const mails = (kind: string, memberId: string) =>
  files.sqlite.prepare("SELECT to_address AS toAddress, body FROM outbox WHERE kind = ? AND member_id = ? ORDER BY id").all(kind, memberId) as { toAddress: string; body: string }[];
const linkIn = (body: string) => {
  const token = /\/settings\/email\/([A-Za-z0-9_-]{43})/.exec(body)?.[1];
  if (!token) throw new Error(`no link in: ${body}`);
  return token;
};
const newAddress = () => `nieuw-${randomBytes(5).toString("hex")}@example.org`;
const status = async (path: string, cookie?: string) => (await fetch(`${files.server.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} })).status;

describe("changing the password", () => {
  it("stores a new argon2id hash, ends the member's other login sessions but not this one, mails the member and says so", async () => {
    const ann = member();
    const phone = secondSession(ann.id);
    // A reset link asked for earlier (by whoever knows the address) stops working with the change.
    files.sqlite.prepare("INSERT INTO password_resets (token_hash, member_id, expires_at) VALUES (?, ?, ?)").run(createHash("sha256").update(`waiting-${ann.id}`).digest("hex"), ann.id, Date.now() + 3_600_000);
    const answer = await post("/settings/password", { current: password, password: "een heel nieuw wachtwoord" }, ann.cookie);
    expect(answer.status).toBe(303);
    expect(answer.location).toBe("/settings?done=passwordChanged");
    expect(hashOf(ann.id)).toMatch(/^\$argon2id\$/);
    expect(await verify(hashOf(ann.id), "een heel nieuw wachtwoord")).toBe(true);
    expect(await verify(hashOf(ann.id), password)).toBe(false);
    expect(count("SELECT count(*) AS n FROM auth_sessions WHERE id = ?", phone.id)).toBe(0);
    expect(count("SELECT count(*) AS n FROM auth_sessions WHERE id = ?", sessionIdOf(ann.cookie))).toBe(1);
    expect(count("SELECT count(*) AS n FROM password_resets WHERE member_id = ? AND used_at IS NULL", ann.id)).toBe(0);
    expect(await status("/settings", phone.cookie)).toBe(302);
    const page = await get("/settings?done=passwordChanged", ann.cookie);
    expect(page).toContain("Je wachtwoord is gewijzigd.");
    const [mail] = mails("password-changed", ann.id);
    expect(mail.toAddress).toBe(ann.email);
    expect(mail.body).toContain("/password/forgot");
    // The new password logs in, the old one does not.
    expect((await post("/login", { email: ann.email, password }, null)).status).toBe(400);
    expect((await post("/login", { email: ann.email, password: "een heel nieuw wachtwoord" }, null)).status).toBe(303);
  });

  it("refuses a wrong current password with a clear 400 and changes nothing", async () => {
    const bob = member();
    const phone = secondSession(bob.id);
    const before = hashOf(bob.id);
    const answer = await post("/settings/password", { current: "not my password at all", password: "een heel nieuw wachtwoord" }, bob.cookie);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("Dit is niet je huidige wachtwoord.");
    expect(hashOf(bob.id)).toBe(before);
    expect(count("SELECT count(*) AS n FROM auth_sessions WHERE id = ?", phone.id)).toBe(1);
    expect(mails("password-changed", bob.id)).toHaveLength(0);
  });

  it("holds a new password to the sign-up rules: at least 10 and at most 200 characters", async () => {
    const cas = member();
    const before = hashOf(cas.id);
    const short = await post("/settings/password", { current: password, password: "kort" }, cas.cookie);
    expect(short.status).toBe(400);
    expect(short.body).toContain("Minstens 10 tekens");
    expect((await post("/settings/password", { current: password, password: "x".repeat(201) }, cas.cookie)).status).toBe(400);
    expect(hashOf(cas.id)).toBe(before);
  });

  it("counts wrong passwords on the account like failed logins, before checking: past the limit even the right one is refused, saying when to try again", async () => {
    const dee = member();
    const before = hashOf(dee.id);
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push((await post("/settings/password", { current: `wrong password ${i}`, password: "een heel nieuw wachtwoord" }, dee.cookie)).status);
    expect(answers).toEqual([400, 400, 400, 400, 400, 400, 400, 400]);
    const limited = await post("/settings/password", { current: password, password: "een heel nieuw wachtwoord" }, dee.cookie);
    expect(limited.status).toBe(429);
    expect(limited.body).toContain("Te veel pogingen");
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(60);
    expect(limited.body).toMatch(/Je kunt het over \d+ minuten? weer proberen\./);
    expect(hashOf(dee.id)).toBe(before);
    // The same counter guards the e-mail change and leaving: a borrowed session gets no fresh guesses there.
    const email = await post("/settings/email", { email: newAddress(), password }, dee.cookie);
    expect(email.status).toBe(429);
    expect(Number(email.retryAfter)).toBeGreaterThanOrEqual(60);
    expect(count("SELECT count(*) AS n FROM email_changes WHERE member_id = ?", dee.id)).toBe(0);
    const leave = await post("/settings/delete", { password }, dee.cookie);
    expect(leave.status).toBe(429);
    expect(Number(leave.retryAfter)).toBeGreaterThanOrEqual(60);
    expect(leave.body).toMatch(/Je kunt het over \d+ minuten? weer proberen\./);
    expect(count("SELECT count(*) AS n FROM members WHERE id = ? AND deleted_at IS NULL", dee.id)).toBe(1);
  });

  it("counts guesses sent all at once when leaving: no more than the limit get an answer about the password", async () => {
    const eli = member();
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => post("/settings/delete", { password: `guess number ${i}` }, eli.cookie)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(8);
    expect(statuses.filter((s) => s === 429)).toHaveLength(16);
    expect(count("SELECT count(*) AS n FROM members WHERE id = ? AND deleted_at IS NULL", eli.id)).toBe(1);
  });
});

describe("changing the e-mail address", () => {
  it("mails a single-use link to the new address and a notice to the old one; the address changes only when the link's button is pressed", async () => {
    const eva = member();
    const address = newAddress();
    const answer = await post("/settings/email", { email: `  ${address.toUpperCase()} `, password }, eva.cookie);
    expect(answer.status).toBe(303);
    expect(answer.location).toBe("/settings?done=emailChangeSent");
    expect(emailOf(eva.id)).toBe(eva.email);

    const [link] = mails("email-change", eva.id);
    expect(link.toAddress).toBe(address);
    const token = linkIn(link.body);
    // The reader of a mistyped address gets no way to change the member's mail settings.
    expect(link.body).not.toContain("/unsubscribe/");
    const [notice] = mails("email-change-asked", eva.id);
    expect(notice.toAddress).toBe(eva.email);
    expect(notice.body).toContain(address);
    expect(notice.body).not.toContain("/settings/email/");

    // Only a hash of the token is kept, valid for 24 hours.
    const row = one<{ token_hash: string; new_email: string; created_at: number; expires_at: number }>("SELECT * FROM email_changes WHERE member_id = ?", eva.id);
    expect(row.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(row.new_email).toBe(address);
    expect(row.expires_at - row.created_at).toBe(24 * 3_600_000);

    const settings = await get("/settings", eva.cookie);
    expect(settings).toContain(eva.email);
    expect(settings).toContain(`Wacht op bevestiging: ${address}`);

    // Opening the link (a mail scanner does) shows a button and changes nothing.
    const page = await fetch(`${files.server.url}/settings/email/${token}`);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(address);
    expect(body).toContain("Ja, gebruik dit e-mailadres");
    expect(emailOf(eva.id)).toBe(eva.email);
    expect(count("SELECT count(*) AS n FROM email_changes WHERE member_id = ? AND used_at IS NULL", eva.id)).toBe(1);

    const confirmed = await post(`/settings/email/${token}`, {}, null);
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe("/settings?done=emailChanged");
    expect(emailOf(eva.id)).toBe(address);
    expect(await get("/settings?done=emailChanged", eva.cookie)).toContain("Je e-mailadres is gewijzigd.");
    // The new address logs in.
    expect((await post("/login", { email: address, password }, null)).status).toBe(303);

    // Once only.
    expect(await status(`/settings/email/${token}`)).toBe(410);
    const again = await post(`/settings/email/${token}`, {}, null);
    expect(again.status).toBe(410);
    expect(again.body).toContain("al gebruikt");
  });

  it("refuses a wrong password (400) and the address already in use (400), and stores and mails nothing", async () => {
    const fay = member();
    const wrong = await post("/settings/email", { email: newAddress(), password: "not my password at all" }, fay.cookie);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain("Dit is niet je huidige wachtwoord.");
    const same = await post("/settings/email", { email: fay.email, password }, fay.cookie);
    expect(same.status).toBe(400);
    expect(same.body).toContain("Dit is al je e-mailadres.");
    const invalid = await post("/settings/email", { email: "geen adres", password }, fay.cookie);
    expect(invalid.status).toBe(400);
    expect(count("SELECT count(*) AS n FROM email_changes WHERE member_id = ?", fay.id)).toBe(0);
    expect(count("SELECT count(*) AS n FROM outbox WHERE member_id = ?", fay.id)).toBe(0);
  });

  it("answers for an address another account has exactly as for a free one (as sign-up does), sends no link and tells that account's holder", async () => {
    const gus = member();
    const holder = member();
    const free = await post("/settings/email", { email: newAddress(), password }, gus.cookie);
    const taken = await post("/settings/email", { email: holder.email.toUpperCase(), password }, gus.cookie);
    expect(taken.status).toBe(free.status);
    expect(taken.location).toBe(free.location);
    expect(mails("email-change", gus.id).map((m) => m.toAddress)).not.toContain(holder.email);
    expect(count("SELECT count(*) AS n FROM outbox WHERE to_address = ? AND body LIKE '%/settings/email/%'", holder.email)).toBe(0);
    const [told] = mails("email-change-taken", holder.id);
    expect(told.toAddress).toBe(holder.email);
    expect(emailOf(gus.id)).toBe(gus.email);
    expect(emailOf(holder.id)).toBe(holder.email);
    // The settings page reads the same too.
    expect(await get("/settings", gus.cookie)).toContain(`Wacht op bevestiging: ${holder.email}`);
  });

  it("refuses an expired link (410), an unknown one (404), and changes nothing", async () => {
    const hal = member();
    await post("/settings/email", { email: newAddress(), password }, hal.cookie);
    const token = linkIn(mails("email-change", hal.id)[0].body);
    files.sqlite.prepare("UPDATE email_changes SET expires_at = ? WHERE member_id = ?").run(Date.now() - 1, hal.id);
    expect(await status(`/settings/email/${token}`)).toBe(410);
    const expired = await post(`/settings/email/${token}`, {}, null);
    expect(expired.status).toBe(410);
    expect(expired.body).toContain("verlopen");
    expect(emailOf(hal.id)).toBe(hal.email);
    expect(await get("/settings", hal.cookie)).not.toContain("Wacht op bevestiging");
    for (const unknown of ["A".repeat(43), "nonsense", "x".repeat(8192)]) {
      expect(await status(`/settings/email/${unknown}`)).toBe(404);
      expect((await post(`/settings/email/${unknown}`, {}, null)).status).toBe(404);
    }
  });

  it("a newer request replaces the waiting one: its link no longer works", async () => {
    const ida = member();
    await post("/settings/email", { email: newAddress(), password }, ida.cookie);
    const first = linkIn(mails("email-change", ida.id)[0].body);
    const second = newAddress();
    await post("/settings/email", { email: second, password }, ida.cookie);
    expect(await status(`/settings/email/${first}`)).toBe(404);
    expect((await post(`/settings/email/${first}`, {}, null)).status).toBe(404);
    expect(await get("/settings", ida.cookie)).toContain(`Wacht op bevestiging: ${second}`);
  });

  it("of two accounts confirming the same new address at once, exactly one gets it; the other is told with a 409", async () => {
    for (let round = 0; round < 3; round++) {
      const [jan, kim] = [member(), member()];
      const address = newAddress();
      await post("/settings/email", { email: address, password }, jan.cookie);
      await post("/settings/email", { email: address, password }, kim.cookie);
      const tokens = [linkIn(mails("email-change", jan.id)[0].body), linkIn(mails("email-change", kim.id)[0].body)];
      const answers = await Promise.all(tokens.map((token) => post(`/settings/email/${token}`, {}, null)));
      expect(answers.map((a) => a.status).sort()).toEqual([303, 409]);
      expect(answers.find((a) => a.status === 409)!.body).toContain("hoort inmiddels bij een ander account");
      expect(count("SELECT count(*) AS n FROM members WHERE email = ?", address)).toBe(1);
      expect([emailOf(jan.id), emailOf(kim.id)].filter((e) => e === address)).toHaveLength(1);
    }
  });

  it("limits requests per account, counted before the password is checked", async () => {
    const lou = member();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await post("/settings/email", { email: newAddress(), password }, lou.cookie)).status);
    expect(answers).toEqual([303, 303, 303, 303, 303]);
    const limited = await post("/settings/email", { email: newAddress(), password }, lou.cookie);
    expect(limited.status).toBe(429);
    expect(limited.body).toContain("Te veel pogingen");
    expect(mails("email-change", lou.id)).toHaveLength(5);
  });
});

describe("the account's data", () => {
  it("the download shows a waiting change without any token or hash; leaving removes it", async () => {
    const max = member();
    await post("/settings/email", { email: newAddress(), password }, max.cookie);
    const token = linkIn(mails("email-change", max.id)[0].body);
    const hash = one<{ token_hash: string }>("SELECT token_hash FROM email_changes WHERE member_id = ?", max.id).token_hash;
    const exported = await get("/settings/export.json", max.cookie);
    expect(JSON.parse(exported).emailChanges).toHaveLength(1);
    expect(exported).not.toContain(hash);
    expect(exported).not.toContain(token);
    expect(exported).not.toMatch(/tokenHash|token_hash/);
    expect((await post("/settings/delete", { password }, max.cookie)).status).toBe(303);
    expect(count("SELECT count(*) AS n FROM email_changes WHERE member_id = ?", max.id)).toBe(0);
    expect((await post(`/settings/email/${token}`, {}, null)).status).toBe(404);
  });
});

describe("hostile forms", () => {
  it("8 KB fields are a 400 with nothing written, on both forms", async () => {
    const ned = member();
    const big = "x".repeat(8192);
    const before = hashOf(ned.id);
    for (const fields of [{ current: big, password: "een heel nieuw wachtwoord" }, { current: password, password: big }, { current: big, password: big }]) {
      expect((await post("/settings/password", fields, ned.cookie)).status).toBe(400);
    }
    for (const fields of [{ email: `${big}@example.org`, password }, { email: newAddress(), password: big }]) {
      expect((await post("/settings/email", fields, ned.cookie)).status).toBe(400);
    }
    expect(hashOf(ned.id)).toBe(before);
    expect(count("SELECT count(*) AS n FROM email_changes WHERE member_id = ?", ned.id)).toBe(0);
    expect(count("SELECT count(*) AS n FROM outbox WHERE member_id = ?", ned.id)).toBe(0);
  });

  it("many fields are refused whole (413), repeated fields never a 5xx", async () => {
    const oda = member();
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, "x"]));
    for (const path of ["/settings/password", "/settings/email"]) {
      expect((await post(path, { ...many, current: password, password: "een heel nieuw wachtwoord", email: newAddress() }, oda.cookie)).status).toBe(413);
      expect((await post(path, { current: [password, "x"], password: ["een heel nieuw wachtwoord", "y"], email: [newAddress(), "z"] }, oda.cookie)).status).toBeLessThan(500);
    }
  });

  it("a visitor is sent to log in, and a cross-site form is refused", async () => {
    const pia = member();
    for (const path of ["/settings/password", "/settings/email"]) {
      const visitor = await post(path, { current: password, password: "een heel nieuw wachtwoord", email: newAddress() }, null);
      expect(visitor.status).toBe(302);
      expect(visitor.location).toMatch(/^\/login\?redirectTo=/);
      const forged = await fetch(`${files.server.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example", Cookie: pia.cookie },
        body: new URLSearchParams({ current: password, password: "een heel nieuw wachtwoord", email: newAddress() }).toString(),
      });
      expect(forged.status).toBe(403);
    }
    expect(await verify(hashOf(pia.id), password)).toBe(true);
    expect(count("SELECT count(*) AS n FROM email_changes WHERE member_id = ?", pia.id)).toBe(0);
  });

  it("a held member can still change their own password and address (holds stop posting, governance.md §4)", async () => {
    const rik = member();
    files.sqlite.prepare("UPDATE members SET posting_held_at = ?, posting_held_rule = 'Respect' WHERE id = ?").run(Date.now(), rik.id);
    // Their worst input first: 8 KB fields (400), 300 fields (413), an 8 KB link (404); nothing written.
    const big = "x".repeat(8192);
    const before = hashOf(rik.id);
    expect((await post("/settings/password", { current: big, password: big }, rik.cookie)).status).toBe(400);
    expect((await post("/settings/email", { email: `${big}@example.org`, password: big }, rik.cookie)).status).toBe(400);
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, "x"]));
    for (const path of ["/settings/password", "/settings/email"]) expect((await post(path, { ...many, current: password, password, email: newAddress() }, rik.cookie)).status).toBe(413);
    expect((await post(`/settings/email/${big}`, {}, rik.cookie)).status).toBe(404);
    expect(hashOf(rik.id)).toBe(before);
    expect(count("SELECT count(*) AS n FROM email_changes WHERE member_id = ?", rik.id)).toBe(0);
    expect(count("SELECT count(*) AS n FROM outbox WHERE member_id = ?", rik.id)).toBe(0);
    expect((await post("/settings/password", { current: password, password: "een heel nieuw wachtwoord" }, rik.cookie)).status).toBe(303);
    const address = newAddress();
    expect((await post("/settings/email", { email: address, password: "een heel nieuw wachtwoord" }, rik.cookie)).status).toBe(303);
    expect((await post(`/settings/email/${linkIn(mails("email-change", rik.id)[0].body)}`, {}, null)).status).toBe(303);
    expect(emailOf(rik.id)).toBe(address);
  });
});
