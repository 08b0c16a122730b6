import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as signupAction } from "~/routes/signup";
import { action as unlockAction, loader as unlockLoader } from "~/routes/login_.unlock.$token";
import { rateLimitRules } from "~/governance/config";
import { checkUnlockToken, offerLoginUnlock } from "~/models/account.server";
import { addressKey, claimWithDelay } from "~/models/rate-limits.server";
import { loader as rootLoader } from "~/root";
import { context, contextFor, cookieFrom, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";

const signup = (fields: Record<string, string>, address = "10.0.0.1") =>
  settle(() => signupAction({ request: formRequest("/signup", fields), context: contextFor(address), params: {} }));
const login = (fields: Record<string, string>, address = "10.0.1.1") =>
  settle(() => loginAction({ request: formRequest("/login", fields), context: contextFor(address), params: {} }));

const unlockPage = (token: string) => settle(() => unlockLoader({ request: getRequest(`/login/unlock/${token}`), context, params: { token } }));
const unlock = (token: string, password: string, address = "10.0.9.1") =>
  settle(() => unlockAction({ request: formRequest(`/login/unlock/${token}`, { password }), context: contextFor(address), params: { token } }));

async function whoIs(cookie: string) {
  const result = await rootLoader({ request: getRequest("/", { cookie }), context, params: {} });
  return dataOf<{ member: { displayName: string } | null }>(result).member;
}

describe("signing up", () => {
  it("creates an account, normalises the email, logs in with an HttpOnly SameSite=Lax cookie", async () => {
    const result = (await signup({ email: "  Fatima@Example.ORG ", password: "tien tekens!", displayName: "Fatima" })) as Response;
    expect(result.status).toBe(303);
    // A new account sees the start page first.
    expect(result.headers.get("Location")).toBe("/welcome");
    const setCookie = result.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    // Served over plain http here, so not Secure; over https it is (see the HTTP tests).
    expect(setCookie).not.toMatch(/Secure/);
    expect((await whoIs(cookieFrom(setCookie)))?.displayName).toBe("Fatima");
    const row = db().get<{ email: string; password_hash: string }>(sql`SELECT email, password_hash FROM members WHERE display_name = 'Fatima'`);
    expect(row.email).toBe("fatima@example.org");
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it("refuses short passwords, bad emails and empty names with translated messages, writing nothing", async () => {
    const before = db().get<{ n: number }>(sql`SELECT count(*) AS n FROM members`).n;
    const result = await signup({ email: "not-an-email", password: "short", displayName: "" });
    expect(statusOf(result)).toBe(400);
    const body = dataOf<{ errors: Record<string, string>; values: Record<string, string> }>(result);
    expect(body.errors).toEqual({ email: "auth.email.invalid", password: "auth.password.tooShort", displayName: "auth.displayName.required" });
    expect(body.values.password).toBeUndefined();
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM members`).n).toBe(before);
  });

  it("refuses missing fields and non-text values without an error page", async () => {
    const result = await signup({});
    expect(statusOf(result)).toBe(400);
  });

  it("answers a sign-up with a known address like a new one: same redirect and cookie form, nobody logged in, a mail to the owner", async () => {
    await signup({ email: "sam@example.org", password: "first password", displayName: "Sam" }, "10.0.0.4");
    const sam = db().get<{ id: string; password_hash: string }>(sql`SELECT id, password_hash FROM members WHERE email = 'sam@example.org'`);
    const fresh = (await signup({ email: "newcomer@example.org", password: "other password", displayName: "New", redirectTo: "/agenda" }, "10.0.0.5")) as Response;
    // With the owner's own password too: signing up never logs in to an existing account.
    for (const password of ["other password", "first password"]) {
      const again = (await signup({ email: "SAM@example.org", password, displayName: "Sam 2", redirectTo: "/agenda" }, "10.0.0.5")) as Response;
      expect(again.status).toBe(fresh.status);
      expect(again.headers.get("Location")).toBe(fresh.headers.get("Location"));
      const form = (c: string | null) => c!.replace(/=[^;]+/, (v) => `=${v.length}`);
      expect(form(again.headers.get("Set-Cookie"))).toBe(form(fresh.headers.get("Set-Cookie")));
      expect([...again.headers.keys()].sort()).toEqual([...fresh.headers.keys()].sort());
      expect(await whoIs(cookieFrom(again.headers.get("Set-Cookie")))).toBeNull();
    }
    expect((await whoIs(cookieFrom(fresh.headers.get("Set-Cookie"))))?.displayName).toBe("New");
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM members WHERE email = 'sam@example.org'`).n).toBe(1);
    expect(db().get<{ h: string }>(sql`SELECT password_hash AS h FROM members WHERE id = ${sam.id}`).h).toBe(sam.password_hash);
    // One mail an hour, however often it is tried.
    const mails = db().all<{ subject: string; body: string }>(sql`SELECT subject, body FROM outbox WHERE member_id = ${sam.id} AND kind = 'signup-existing'`);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe("Iemand wilde een account maken met je e-mailadres");
    expect(mails[0].body).toMatch(/\/login\b/);
    expect(mails[0].body).toContain("/password/forgot");
  });

  it("limits accepted sign-ups per network address to a room of 30 an hour; refused forms do not count, known addresses do", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(statusOf(await signup({ email: `typo${i}@example`, password: "short", displayName: "" }, "10.9.9.9")));
    expect(new Set(statuses)).toEqual(new Set([400]));
    statuses.length = 0;
    for (let i = 0; i < 28; i++) {
      statuses.push(statusOf(await signup({ email: `room${i}@example.org`, password: "long enough pw", displayName: `R${i}` }, "10.9.9.9")));
    }
    statuses.push(statusOf(await signup({ email: "room0@example.org", password: "long enough pw", displayName: "R0 again" }, "10.9.9.9")));
    statuses.push(statusOf(await signup({ email: "room28@example.org", password: "long enough pw", displayName: "R28" }, "10.9.9.9")));
    expect(statuses).toEqual(Array(30).fill(303));
    for (let i = 0; i < 2; i++) statuses.push(statusOf(await signup({ email: `late${i}@example.org`, password: "long enough pw", displayName: `L${i}` }, "10.9.9.9")));
    expect(statuses.slice(30)).toEqual([429, 429]);
    // The refusal gives back the name and address typed (never the password), and says when to come back.
    const refused = await signup({ email: "later@example.org", password: "long enough pw", displayName: "Later Lid" }, "10.9.9.9");
    expect(dataOf<{ values: Record<string, string> }>(refused).values).toEqual({ displayName: "Later Lid", email: "later@example.org" });
    expect(Number(new Headers((refused as { init: ResponseInit }).init.headers).get("Retry-After"))).toBeGreaterThanOrEqual(60);
    // Another address is not affected.
    expect(statusOf(await signup({ email: "calm@example.org", password: "long enough pw", displayName: "Calm" }, "10.9.9.10"))).toBe(303);
  });
});

describe("logging in and out", () => {
  it("logs in with the right password and goes back where the member came from", async () => {
    await signup({ email: "lotte@example.org", password: "lotte's password", displayName: "Lotte" }, "10.0.0.2");
    const result = (await login({ email: "Lotte@example.org", password: "lotte's password", redirectTo: "/initiatives/new" })) as Response;
    expect(result.status).toBe(303);
    expect(result.headers.get("Location")).toBe("/initiatives/new");
    expect((await whoIs(cookieFrom(result.headers.get("Set-Cookie"))))?.displayName).toBe("Lotte");
  });

  it("never follows a redirect to another site", async () => {
    for (const redirectTo of ["//evil.example/", "https://evil.example/", "/\\evil.example"]) {
      const result = (await login({ email: "lotte@example.org", password: "lotte's password", redirectTo })) as Response;
      expect(result.headers.get("Location")).toBe("/");
    }
  });

  it("gives the same message for a wrong password and an unknown address", async () => {
    const wrong = await login({ email: "lotte@example.org", password: "not the password" }, "10.0.2.1");
    const unknown = await login({ email: "nobody@example.org", password: "not the password" }, "10.0.2.2");
    expect(statusOf(wrong)).toBe(400);
    expect(statusOf(unknown)).toBe(400);
    expect(dataOf<{ errors: object }>(wrong).errors).toEqual({ form: "login.failed" });
    expect(dataOf<{ errors: object }>(unknown).errors).toEqual({ form: "login.failed" });
  });

  it("counts attempts on an account before the password is checked: five go at once, then each waits twice as long", async () => {
    await signup({ email: "target@example.org", password: "the real password", displayName: "Target" }, "10.0.0.3");
    const limit = rateLimitRules.loginPerAccount.limit;
    for (let i = 0; i < limit; i++) expect(statusOf(await login({ email: "target@example.org", password: `guess ${i}` }, `10.1.0.${i}`))).toBe(400);
    // Even the right password waits now, from any address, and the page says how long.
    const slowed = await login({ email: "target@example.org", password: "the real password" }, "10.1.1.1");
    expect(statusOf(slowed)).toBe(429);
    const body = dataOf<{ errors: object; retryAfterSeconds: number }>(slowed);
    expect(body.errors).toEqual({ form: "login.slowed" });
    expect(body.retryAfterSeconds).toBeGreaterThan(rateLimitRules.loginPerAccount.delaySeconds - 5);
    expect(body.retryAfterSeconds).toBeLessThanOrEqual(rateLimitRules.loginPerAccount.delaySeconds);
    // The same happens for an address without an account, so the delay reveals nothing.
    for (let i = 0; i < limit; i++) await login({ email: "ghost@example.org", password: `guess ${i}` }, `10.2.0.${i}`);
    const ghost = await login({ email: "ghost@example.org", password: "x" }, "10.2.1.1");
    expect(statusOf(ghost)).toBe(429);
    expect(dataOf<{ errors: object }>(ghost).errors).toEqual({ form: "login.slowed" });
  });

  it("checks at most five of twenty guesses sent at once", async () => {
    await signup({ email: "burst@example.org", password: "the burst password", displayName: "Burst" }, "10.0.0.6");
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login({ email: "burst@example.org", password: `guess ${i}` }, `10.4.${i % 5}.1`)));
    const statuses = answers.map(statusOf);
    expect(statuses.filter((s) => s === 400)).toHaveLength(rateLimitRules.loginPerAccount.limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - rateLimitRules.loginPerAccount.limit);
  });

  it("grows the delay from 30 seconds to at most an hour, and forgets it after a day without attempts", () => {
    const rule = rateLimitRules.loginPerAccount;
    const key = "test:delay";
    let now = Date.parse("2030-01-01T00:00:00Z");
    const waits: number[] = [];
    for (let attempt = 0; attempt < 14; attempt++) {
      const claim = claimWithDelay(key, rule, now);
      if (!claim.allowed) {
        waits.push(claim.retryAfterSeconds);
        now += claim.retryAfterSeconds * 1000;
        expect(claimWithDelay(key, rule, now - 1000).allowed).toBe(false);
        expect(claimWithDelay(key, rule, now).allowed).toBe(true);
      }
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(claimWithDelay(key, rule, now + 1000).allowed).toBe(false);
    expect(claimWithDelay(key, rule, now + rule.windowMinutes * 60_000).attempts).toBe(1);
  });

  it("forgets the owner's own typos when they log in, but not an account that is being slowed down", async () => {
    await signup({ email: "typo@example.org", password: "typo's password", displayName: "Typo" }, "10.0.0.7");
    const attempts = () => db().get<{ count: number } | undefined>(sql`SELECT count FROM rate_limits WHERE key = 'login:account:typo@example.org'`)?.count ?? 0;
    for (let i = 0; i < 3; i++) await login({ email: "typo@example.org", password: `typo ${i}` }, "10.5.0.1");
    expect(statusOf(await login({ email: "typo@example.org", password: "typo's password" }, "10.5.0.1"))).toBe(303);
    expect(attempts()).toBe(0);
    // Slowed down (by someone else) an hour ago: a login that succeeds leaves that as it is.
    db().run(sql`INSERT INTO rate_limits (key, window_start, count) VALUES ('login:account:typo@example.org', ${Date.now() - 3_600_000}, ${rateLimitRules.loginPerAccount.limit + 1})`);
    expect(statusOf(await login({ email: "typo@example.org", password: "typo's password" }, "10.5.0.1"))).toBe(303);
    expect(attempts()).toBe(rateLimitRules.loginPerAccount.limit + 2);
  });

  it("mails the owner of a slowed-down account one link an hour that logs in past the delay", async () => {
    await signup({ email: "owner@example.org", password: "the owner's password", displayName: "Owner" }, "10.0.0.8");
    const ownerId = db().get<{ id: string }>(sql`SELECT id FROM members WHERE email = 'owner@example.org'`).id;
    for (let i = 0; i < 12; i++) await login({ email: "owner@example.org", password: `guess ${i}` }, `10.6.0.${i}`);
    const mails = db().all<{ body: string }>(sql`SELECT body FROM outbox WHERE member_id = ${ownerId} AND kind = 'login-unlock'`);
    expect(mails).toHaveLength(1);
    const token = /\/login\/unlock\/([A-Za-z0-9_-]{43})/.exec(mails[0].body)![1];
    const page = await unlockPage(token);
    expect(statusOf(page)).toBe(200);
    expect(dataOf<{ email: string }>(page).email).toBe("owner@example.org");
    // Only a hash of the token is kept.
    expect(JSON.stringify(db().all(sql`SELECT * FROM rate_limits`))).not.toContain(token);
    expect(statusOf(await unlock(token, "a wrong one"))).toBe(400);
    const inside = (await unlock(token, "the owner's password")) as Response;
    expect(inside.status).toBe(303);
    expect((await whoIs(cookieFrom(inside.headers.get("Set-Cookie"))))?.displayName).toBe("Owner");
    // Used up, and the guesser is still slowed down.
    expect(statusOf(await unlockPage(token))).toBe(404);
    expect(statusOf(await login({ email: "owner@example.org", password: "another guess" }, "10.6.1.1"))).toBe(429);
    // Nobody else's address gets a mail: an unknown address has no owner.
    for (let i = 0; i < 7; i++) await login({ email: "nobody-owns@example.org", password: `guess ${i}` }, `10.6.2.${i}`);
    expect(db().get(sql`SELECT count(*) AS n FROM outbox WHERE to_address = 'nobody-owns@example.org'`)).toEqual({ n: 0 });
  });

  it("an unlock link works for an hour and five passwords", async () => {
    await signup({ email: "links@example.org", password: "the links password", displayName: "Links" }, "10.0.0.9");
    const token = offerLoginUnlock("links@example.org")!;
    expect(offerLoginUnlock("links@example.org"), "one link an hour").toBeNull();
    for (let i = 0; i < rateLimitRules.loginUnlock.limit; i++) expect(statusOf(await unlock(token, `wrong ${i}`))).toBe(400);
    expect(statusOf(await unlock(token, "the links password"))).toBe(410);
    expect(dataOf<{ state: string }>(await unlockPage(token)).state).toBe("spent");

    const later = new Date(Date.now() + 61 * 60_000);
    const second = offerLoginUnlock("links@example.org", later)!;
    expect(second).not.toBeNull();
    expect(checkUnlockToken(second, new Date(later.getTime() + 59 * 60_000)).state).toBe("valid");
    expect(checkUnlockToken(second, new Date(later.getTime() + 60 * 60_000)).state).toBe("expired");
    expect(statusOf(await unlockPage("A".repeat(43)))).toBe(404);
    expect(statusOf(await unlockPage("nonsense"))).toBe(404);
  });

  it("limits login attempts per network address, counted before the password is checked; a login that succeeds gives its attempt back", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push(statusOf(await login({ email: `user${i}@example.org`, password: "whatever pw" }, "10.3.3.3")));
    expect(statuses.filter((s) => s === 400)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
    // A room of 30 logging in together from one address.
    for (let i = 0; i < 30; i++) await signup({ email: `roomie${i}@example.org`, password: "roomie's password", displayName: `Roomie ${i}` }, `10.3.4.${i}`);
    const room = [];
    for (let i = 0; i < 30; i++) room.push(statusOf(await login({ email: `roomie${i}@example.org`, password: "roomie's password" }, "10.3.3.4")));
    expect(room).toEqual(Array(30).fill(303));
  });

  it("counts an IPv6 address by its /64, and an IPv4 address written as IPv6 as IPv4", () => {
    expect(addressKey("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2::ffff")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:DB8:0001:0002:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressKey("::1")).toBe("0:0:0:0::/64");
    expect(addressKey("::ffff:192.0.2.7")).toBe("192.0.2.7");
    expect(addressKey("192.0.2.7")).toBe("192.0.2.7");
    expect(addressKey("unknown")).toBe("unknown");
  });

  it("keeps rate limits in the database, so a restart does not reset them", async () => {
    const row = db().get<{ count: number }>(sql`SELECT count FROM rate_limits WHERE key = 'login:address:10.3.3.3'`);
    expect(row.count).toBe(22);
  });

  it("logs out: the session stops working", async () => {
    const result = (await login({ email: "lotte@example.org", password: "lotte's password" }, "10.0.3.1")) as Response;
    const cookie = cookieFrom(result.headers.get("Set-Cookie"));
    expect(await whoIs(cookie)).not.toBeNull();
    const out = (await settle(() => logoutAction({ request: formRequest("/logout", {}, { cookie }), context, params: {} }))) as Response;
    expect(out.status).toBe(303);
    expect(out.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    expect(await whoIs(cookie)).toBeNull();
  });

  it("knows the member by the session, extends a session past half its 30 days, and refuses an expired one", async () => {
    const member = await memberWithSession("Sessie Sanne");
    const sessionId = /meedoen_session=([^;]+)/.exec(member.cookie)![1];
    const expiry = () => db().get<{ e: number }>(sql`SELECT expires_at AS e FROM auth_sessions WHERE id = ${sessionId}`).e;
    const nowSeconds = () => Math.floor(Date.now() / 1000);
    const asked = async () => {
      const result = await rootLoader({ request: getRequest("/", { cookie: member.cookie }), context, params: {} });
      const headers = result instanceof Response ? result.headers : new Headers((result as { init?: ResponseInit | null }).init?.headers);
      return { member: dataOf<{ member: { id: string; displayName: string } | null }>(result).member, setCookie: headers.get("Set-Cookie") };
    };

    // Fresh: known, nothing to renew.
    expect(await asked()).toEqual({ member: { id: member.id, displayName: "Sessie Sanne" }, setCookie: null });
    expect(expiry()).toBeGreaterThan(nowSeconds() + 29 * 86_400);

    // Ten days left: still known, and renewed to thirty days, in the database and the cookie.
    db().run(sql`UPDATE auth_sessions SET expires_at = ${nowSeconds() + 10 * 86_400} WHERE id = ${sessionId}`);
    const renewed = await asked();
    expect(renewed.member?.displayName).toBe("Sessie Sanne");
    expect(renewed.setCookie).toContain(`meedoen_session=${sessionId}`);
    expect(expiry()).toBeGreaterThan(nowSeconds() + 29 * 86_400);

    // Expired: not known, and the session is gone.
    db().run(sql`UPDATE auth_sessions SET expires_at = ${nowSeconds() - 60} WHERE id = ${sessionId}`);
    expect((await asked()).member).toBeNull();
    expect(db().get(sql`SELECT 1 FROM auth_sessions WHERE id = ${sessionId}`)).toBeUndefined();
  });
});

describe("one lookup of the session for a page's loaders", () => {
  // Remix gives each loader of a page its own copy of the request; the copies asked in one turn
  // share one lookup, and nothing of it outlives the turn.
  it("shares the lookup between copies of a request in one turn, keeps sessions apart, and looks again in the next turn", async () => {
    const { getCurrent } = await import("~/lib/auth.server");
    const ann = await memberWithSession("Ann Turn");
    const bob = await memberWithSession("Bob Turn");
    const first = getCurrent(getRequest("/", { cookie: ann.cookie }));
    const copy = getCurrent(getRequest("/?index", { cookie: ann.cookie }));
    const other = getCurrent(getRequest("/", { cookie: bob.cookie }));
    const nobody = getCurrent(getRequest("/", { cookie: "meedoen_session=unknown" }));
    expect(copy).toBe(first);
    expect(other).not.toBe(first);
    expect((await first)?.member.id).toBe(ann.id);
    expect((await other)?.member.id).toBe(bob.id);
    expect(await nobody).toBeNull();
    // Logged out in between: the next turn looks again and finds no one.
    const sessionId = /meedoen_session=([^;]+)/.exec(ann.cookie)![1];
    db().run(sql`DELETE FROM auth_sessions WHERE id = ${sessionId}`);
    const later = getCurrent(getRequest("/", { cookie: ann.cookie }));
    expect(later).not.toBe(first);
    expect(await later).toBeNull();
  });
});
