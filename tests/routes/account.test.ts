// The member's own account: password reset by mail, the data download, and leaving.
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getMember } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { checkResetToken } from "~/models/account.server";
import { register } from "~/models/registrations.server";
import { action as forgotAction } from "~/routes/password.forgot";
import { action as resetAction, loader as resetLoader } from "~/routes/password.reset.$token";
import { action as loginAction } from "~/routes/login";
import { action as deleteAction } from "~/routes/settings_.delete";
import { loader as exportLoader } from "~/routes/settings_.export[.json]";
import { context, contextFor, cookieFrom, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { hour, initiativeBy, sessionOf } from "../support/fixtures";

let address = 0;
// Each request from its own network address, so the per-address limit does not get in the way.
const forgot = (email: string, from = `10.9.0.${++address}`) =>
  settle(() => forgotAction({ request: formRequest("/password/forgot", { email }), context: contextFor(from), params: {} }));
const resetPage = (token: string) => settle(() => resetLoader({ request: getRequest(`/password/reset/${token}`), context, params: { token } }));
const reset = (token: string, password: string) =>
  settle(() => resetAction({ request: formRequest(`/password/reset/${token}`, { password }), context, params: { token } }));
const login = (email: string, password: string) =>
  settle(() => loginAction({ request: formRequest("/login", { email, password }), context: contextFor(`10.8.0.${++address}`), params: {} }));
const whoIs = async (cookie: string) => (await getMember(getRequest("/", { cookie })))?.id ?? null;

function resetMailsTo(memberId: string) {
  return db().all<{ body: string; kind: string }>(sql`SELECT body, kind FROM outbox WHERE member_id = ${memberId} AND kind = 'password-reset' ORDER BY id`);
}
function tokenFrom(body: string) {
  const token = /\/password\/reset\/([A-Za-z0-9_-]+)/.exec(body)?.[1];
  if (!token) throw new Error(`no reset link in: ${body}`);
  return token;
}

describe("password reset by mail", () => {
  it("gives the same answer for a known and an unknown address, and mails only the known one", async () => {
    const ann = await memberWithSession("Ann Reset");
    const known = await forgot(ann.email.toUpperCase());
    const unknown = await forgot("nobody-here@example.org");
    expect(statusOf(known)).toBe(200);
    expect(statusOf(unknown)).toBe(200);
    const strip = (r: unknown) => ({ ...dataOf<Record<string, unknown>>(r), values: undefined });
    expect(strip(known)).toEqual(strip(unknown));
    expect(resetMailsTo(ann.id)).toHaveLength(1);
    expect(db().get(sql`SELECT count(*) AS n FROM outbox WHERE to_address = 'nobody-here@example.org'`)).toEqual({ n: 0 });
  });

  it("stores only a SHA-256 hash of a 32-byte token that expires in one hour", async () => {
    const bob = await memberWithSession("Bob Reset");
    const before = Date.now();
    await forgot(bob.email);
    const token = tokenFrom(resetMailsTo(bob.id)[0].body);
    // 32 random bytes, base64url without padding.
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const rows = db().all<{ token_hash: string; expires_at: number; used_at: number | null }>(sql`SELECT * FROM password_resets WHERE member_id = ${bob.id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(JSON.stringify(db().all(sql`SELECT * FROM password_resets`))).not.toContain(token);
    expect(rows[0].expires_at - before).toBeGreaterThanOrEqual(hour - 1000);
    expect(rows[0].expires_at - before).toBeLessThanOrEqual(hour + 1000);
    expect(checkResetToken(token, new Date(before + hour - 60_000))).toBe("valid");
    expect(checkResetToken(token, new Date(rows[0].expires_at + 1))).toBe("expired");
  });

  it("sets a new password, ends every login session, logs in, and works only once", async () => {
    const cas = await memberWithSession("Cas Reset");
    expect(await whoIs(cas.cookie)).toBe(cas.id);
    await forgot(cas.email);
    const token = tokenFrom(resetMailsTo(cas.id)[0].body);
    expect(statusOf(await resetPage(token))).toBe(200);

    const short = await reset(token, "too short");
    expect(statusOf(short)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(short).errors.password).toBe("auth.password.tooShort");

    const done = (await reset(token, "een nieuw lang wachtwoord")) as Response;
    expect(done.status).toBe(303);
    const newCookie = cookieFrom(done.headers.get("Set-Cookie"));
    expect(await whoIs(newCookie)).toBe(cas.id);
    // The old login session (maybe on a lost laptop) no longer works.
    expect(await whoIs(cas.cookie)).toBeNull();
    expect(statusOf(await login(cas.email, "a long enough password"))).toBe(400);
    expect(statusOf(await login(cas.email, "een nieuw lang wachtwoord"))).toBe(303);

    // Single use: the same link again is refused with a clear page, and changes nothing.
    expect(statusOf(await resetPage(token))).toBe(410);
    expect(dataOf<{ state: string }>(await resetPage(token)).state).toBe("used");
    const again = await reset(token, "nog een ander wachtwoord");
    expect(statusOf(again)).toBe(410);
    expect(statusOf(await login(cas.email, "nog een ander wachtwoord"))).toBe(400);
  });

  it("refuses an expired link and an unknown one", async () => {
    const dee = await memberWithSession("Dee Reset");
    await forgot(dee.email);
    const token = tokenFrom(resetMailsTo(dee.id)[0].body);
    // An hour and a bit later:
    db().run(sql`UPDATE password_resets SET expires_at = ${Date.now() - 1} WHERE member_id = ${dee.id}`);
    expect(statusOf(await resetPage(token))).toBe(410);
    expect(dataOf<{ state: string }>(await resetPage(token)).state).toBe("expired");
    expect(statusOf(await reset(token, "een nieuw lang wachtwoord"))).toBe(410);
    expect(statusOf(await login(dee.email, "a long enough password"))).toBe(303);

    const unknown = "A".repeat(43);
    expect(statusOf(await resetPage(unknown))).toBe(404);
    expect(statusOf(await resetPage("nonsense"))).toBe(404);
    expect(statusOf(await reset(unknown, "een nieuw lang wachtwoord"))).toBe(404);
  });

  it("mails every request, so nobody else's requests can use up the owner's", async () => {
    const eve = await memberWithSession("Eve Reset");
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await forgot(eve.email));
    expect(answers.map(statusOf)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(resetMailsTo(eve.id)).toHaveLength(7);
  });

  it("limits requests per network address, and says so to the one asking", async () => {
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await forgot(`someone${i}@example.org`, "10.7.7.7"));
    expect(results.map(statusOf)).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = dataOf<{ sent: boolean; errors: Record<string, string>; retryAfter: number }>(results[5]);
    expect(limited.sent).toBe(false);
    expect(limited.errors.form).toBe("password.forgot.limited");
    expect(limited.retryAfter).toBeGreaterThan(0);
    // A form refused for its content does not count.
    for (let i = 0; i < 6; i++) expect(statusOf(await forgot("", "10.7.7.8"))).toBe(400);
    expect(statusOf(await forgot("someone@example.org", "10.7.7.8"))).toBe(200);
  });

  it("sends the reset mail even when every other mail is switched off", async () => {
    const fay = await memberWithSession("Fay Reset");
    db().run(sql`UPDATE members SET mail_off = '["registration","waitlist","promoted","session-changed","session-cancelled","reminder","invitation","host-message","proposal-reminder","digest"]' WHERE id = ${fay.id}`);
    await forgot(fay.email);
    expect(resetMailsTo(fay.id)).toHaveLength(1);
  });
});

describe("downloading your data", () => {
  it("contains the member's own data and nothing of anyone else", async () => {
    const gus = await memberWithSession("Gus Export", { organisation: "Bibliotheek Oost" });
    const other = await memberWithSession("Hanna Other", { organisation: "Secret Org" });
    const initiativeId = initiativeBy(gus.id, { title: "Moestuin" });
    const sessionId = sessionOf(initiativeId, gus.id);
    register(sessionId, gus.id);
    register(sessionId, other.id);
    const now = Date.now();
    db().run(sql`INSERT INTO interests (initiative_id, member_id) VALUES (${initiativeId}, ${gus.id})`);
    db().run(sql`INSERT INTO outcomes (initiative_id, member_id, body, created_at, updated_at) VALUES (${initiativeId}, ${gus.id}, 'Wat we leerden: compost', ${now}, ${now})`);
    db().run(sql`INSERT INTO outcomes (initiative_id, member_id, body, created_at, updated_at) VALUES (${initiativeId}, ${other.id}, 'Hanna haar opbrengst', ${now}, ${now})`);
    db().run(sql`INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (${initiativeId}, ${gus.id}, 'Wie neemt zaden mee?', ${now}, ${now})`);
    db().run(sql`INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (${initiativeId}, ${other.id}, 'Hanna haar reactie', ${now}, ${now})`);
    const proposal = db().get<{ id: number }>(sql`INSERT INTO proposals (scope, kind, title, opened_at, deadline) VALUES ('network', 'consent', 'Nieuwe spelregel', ${now}, ${now + 7 * 24 * hour}) RETURNING id`);
    db().run(sql`INSERT INTO proposal_positions (proposal_id, member_id, position, reason, updated_at) VALUES (${proposal.id}, ${gus.id}, 'consent', 'Goed plan', ${now})`);
    db().run(sql`INSERT INTO proposal_positions (proposal_id, member_id, position, reason, updated_at) VALUES (${proposal.id}, ${other.id}, 'object', 'Hanna bezwaar', ${now})`);
    db().run(sql`INSERT INTO flags (target_type, target_id, member_id, rule, reason, created_at) VALUES ('member', ${other.id}, ${gus.id}, 'respect', 'Niet aardig', ${now})`);
    db().run(sql`INSERT INTO now_updates (member_id, text, created_at) VALUES (${gus.id}, 'Zaaien', ${now})`);
    db().run(sql`UPDATE members SET digest_opt_in = 1, mail_off = '["reminder"]', bio = 'Tuinier' WHERE id = ${gus.id}`);

    const response = (await exportLoader({ request: getRequest("/settings/export.json", { cookie: gus.cookie }), context, params: {} })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="meedoen-\d{4}-\d{2}-\d{2}\.json"$/);
    const text = await response.text();
    const exported = JSON.parse(text);
    expect(exported.profile).toMatchObject({ id: gus.id, email: gus.email, displayName: "Gus Export", organisation: "Bibliotheek Oost", bio: "Tuinier" });
    expect(exported.registrations).toEqual([expect.objectContaining({ sessionId, initiative: "Moestuin", status: "registered" })]);
    expect(exported.interests).toEqual([expect.objectContaining({ initiativeId })]);
    expect(exported.hosting).toEqual([expect.objectContaining({ initiativeId })]);
    expect(exported.outcomes.map((o: { body: string }) => o.body)).toEqual(["Wat we leerden: compost"]);
    expect(exported.comments.map((c: { body: string }) => c.body)).toEqual(["Wie neemt zaden mee?"]);
    expect(exported.proposalPositions).toEqual([expect.objectContaining({ proposalId: proposal.id, position: "consent", reason: "Goed plan" })]);
    expect(exported.flags).toEqual([expect.objectContaining({ targetType: "member", reason: "Niet aardig" })]);
    expect(exported.nowUpdates.map((n: { text: string }) => n.text)).toEqual(["Zaaien"]);
    expect(exported.mailSettings).toEqual({ digestOptIn: true, switchedOff: ["reminder"] });
    // Nobody else's data, and no secrets.
    for (const foreign of [other.email, "Hanna", "Secret Org"]) expect(text).not.toContain(foreign);
    expect(text).not.toContain("argon2");
  });

  it("needs a login", async () => {
    const result = await settle(() => exportLoader({ request: getRequest("/settings/export.json"), context, params: {} }));
    expect(statusOf(result)).toBe(302);
  });
});

describe("deleting an account", () => {
  it("asks for the password and changes nothing when it is wrong", async () => {
    const ivo = await memberWithSession("Ivo Stays");
    const result = await settle(() => deleteAction({ request: formRequest("/settings/delete", { password: "wrong password" }, { cookie: ivo.cookie }), context, params: {} }));
    expect(statusOf(result)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(result).errors.password).toBe("settings.leave.wrongPassword");
    expect(db().get(sql`SELECT deleted_at, display_name FROM members WHERE id = ${ivo.id}`)).toEqual({ deleted_at: null, display_name: "Ivo Stays" });
    expect(await whoIs(ivo.cookie)).toBe(ivo.id);
  });

  it("withdraws future registrations (the waiting list moves up), steps back as host, erases personal data, keeps contributions", async () => {
    const jan = await memberWithSession("Jan Leaves", { organisation: "Wijkteam" });
    const host = await memberWithSession("Kim Host");
    const waiting = await memberWithSession("Lot Waiting");
    const full = sessionOf(initiativeBy(host.id, { title: "Volle cursus" }), host.id, { capacity: 1 });
    register(full, jan.id);
    register(full, waiting.id);
    const own = initiativeBy(jan.id, { title: "Jans initiatief" });
    const ownSession = sessionOf(own, jan.id);
    register(ownSession, jan.id);
    const now = Date.now();
    const outcome = db().get<{ id: number }>(sql`INSERT INTO outcomes (initiative_id, member_id, body, created_at, updated_at) VALUES (${own}, ${jan.id}, 'Jans opbrengst', ${now}, ${now}) RETURNING id`);
    db().run(sql`INSERT INTO comments (initiative_id, member_id, body, created_at, updated_at) VALUES (${own}, ${jan.id}, 'Jans reactie', ${now}, ${now})`);
    db().run(sql`INSERT INTO interests (initiative_id, member_id) VALUES (${own}, ${jan.id})`);
    db().run(sql`INSERT INTO member_tags (member_id, tag) VALUES (${jan.id}, 'tuinieren')`);
    db().run(sql`INSERT INTO now_updates (member_id, text, created_at) VALUES (${jan.id}, 'Op vakantie', ${now})`);
    db().run(sql`UPDATE members SET bio = 'Mijn verhaal', work = 'Buurtwerker', expertise = 'tuinieren', now_text = 'Op vakantie', calendar_token = 'cal-token-of-jan-1234567890', unsubscribe_token = 'unsub-token-of-jan-123456789' WHERE id = ${jan.id}`);
    await forgot(jan.email);

    const result = (await settle(() =>
      deleteAction({ request: formRequest("/settings/delete", { password: "a long enough password" }, { cookie: jan.cookie }), context, params: {} }),
    )) as Response;
    expect(result.status).toBe(303);
    expect(result.headers.get("Set-Cookie")).toMatch(/meedoen_session=;/);

    // Registrations withdrawn; the first on the waiting list got the place and a mail.
    expect(db().all(sql`SELECT status FROM registrations WHERE member_id = ${jan.id}`)).toEqual([{ status: "cancelled" }, { status: "cancelled" }]);
    expect(db().get(sql`SELECT status FROM registrations WHERE session_id = ${full} AND member_id = ${waiting.id}`)).toEqual({ status: "registered" });
    expect(db().get(sql`SELECT count(*) AS n FROM outbox WHERE member_id = ${waiting.id} AND kind = 'promoted'`)).toEqual({ n: 1 });
    // No longer a host, and the log says so.
    expect(db().get(sql`SELECT count(*) AS n FROM hosts WHERE member_id = ${jan.id}`)).toEqual({ n: 0 });
    expect(db().get(sql`SELECT count(*) AS n FROM log_entries WHERE action = 'host.stepped-back' AND actor_id = ${jan.id} AND subject_id = ${String(own)}`)).toEqual({ n: 1 });

    // Personal data gone.
    const row = db().get<Record<string, unknown>>(sql`SELECT * FROM members WHERE id = ${jan.id}`);
    expect(row).toMatchObject({
      email: `deleted-${jan.id}@invalid`,
      password_hash: "",
      display_name: "",
      organisation: "",
      work: "",
      expertise: "",
      bio: "",
      now_text: "",
      calendar_token: null,
      unsubscribe_token: null,
    });
    expect(row.deleted_at).toBeTypeOf("number");
    for (const table of ["interests", "member_tags", "now_updates", "password_resets", "auth_sessions"]) {
      expect(db().get(sql`SELECT count(*) AS n FROM ${sql.raw(table)} WHERE member_id = ${jan.id}`), table).toEqual({ n: 0 });
    }
    expect(db().get(sql`SELECT count(*) AS n FROM outbox WHERE member_id = ${jan.id} AND sent_at IS NULL`)).toEqual({ n: 0 });
    expect(JSON.stringify(db().all(sql`SELECT * FROM members WHERE id = ${jan.id}`))).not.toMatch(/Jan Leaves|Wijkteam|Mijn verhaal|example\.org/);

    // Contributions stay.
    expect(db().get(sql`SELECT member_id, body FROM outcomes WHERE id = ${outcome.id}`)).toEqual({ member_id: jan.id, body: "Jans opbrengst" });
    expect(db().get(sql`SELECT count(*) AS n FROM comments WHERE member_id = ${jan.id}`)).toEqual({ n: 1 });
    expect(db().get(sql`SELECT title FROM initiatives WHERE id = ${own}`)).toEqual({ title: "Jans initiatief" });

    // And the account cannot be used any more.
    expect(await whoIs(jan.cookie)).toBeNull();
    expect(statusOf(await login(jan.email, "a long enough password"))).toBe(400);
    expect(statusOf(await login(`deleted-${jan.id}@invalid`, ""))).toBe(400);
    await forgot(jan.email);
    expect(db().get(sql`SELECT count(*) AS n FROM password_resets WHERE member_id = ${jan.id}`)).toEqual({ n: 0 });
  });
});
