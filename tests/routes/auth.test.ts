import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as signupAction } from "~/routes/signup";
import { loader as rootLoader } from "~/root";
import { context, contextFor, cookieFrom, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";

const signup = (fields: Record<string, string>, address = "10.0.0.1") =>
  settle(() => signupAction({ request: formRequest("/signup", fields), context: contextFor(address), params: {} }));
const login = (fields: Record<string, string>, address = "10.0.1.1") =>
  settle(() => loginAction({ request: formRequest("/login", fields), context: contextFor(address), params: {} }));

async function whoIs(cookie: string) {
  const result = await rootLoader({ request: getRequest("/", { cookie }), context, params: {} });
  return dataOf<{ member: { displayName: string } | null }>(result).member;
}

describe("signing up", () => {
  it("creates an account, normalises the email, logs in with an HttpOnly SameSite=Lax cookie", async () => {
    const result = (await signup({ email: "  Fatima@Example.ORG ", password: "tien tekens!", displayName: "Fatima" })) as Response;
    expect(result.status).toBe(303);
    expect(result.headers.get("Location")).toBe("/");
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

  it("does not create a second account for an address, and says so without naming the account", async () => {
    await signup({ email: "sam@example.org", password: "first password", displayName: "Sam" });
    const again = await signup({ email: "SAM@example.org", password: "other password", displayName: "Sam 2" });
    expect(statusOf(again)).toBe(400);
    expect(dataOf<{ errors: Record<string, string> }>(again).errors.form).toBe("signup.failed");
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM members WHERE email = 'sam@example.org'`).n).toBe(1);
  });

  it("limits sign-ups per network address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(statusOf(await signup({ email: `flood${i}@example.org`, password: "long enough pw", displayName: `F${i}` }, "10.9.9.9")));
    }
    expect(statuses.slice(0, 5)).toEqual([303, 303, 303, 303, 303]);
    expect(statuses.slice(5)).toEqual([429, 429]);
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

  it("locks an account for a while after repeated failures, even with the right password, from any address", async () => {
    await signup({ email: "target@example.org", password: "the real password", displayName: "Target" }, "10.0.0.3");
    for (let i = 0; i < 8; i++) expect(statusOf(await login({ email: "target@example.org", password: `guess ${i}` }, `10.1.0.${i}`))).toBe(400);
    const locked = await login({ email: "target@example.org", password: "the real password" }, "10.1.1.1");
    expect(statusOf(locked)).toBe(429);
    expect(dataOf<{ errors: object; retryAfter: number }>(locked).retryAfter).toBeGreaterThan(0);
    // The same happens for an address without an account, so the lock reveals nothing.
    for (let i = 0; i < 8; i++) await login({ email: "ghost@example.org", password: `guess ${i}` }, `10.2.0.${i}`);
    expect(statusOf(await login({ email: "ghost@example.org", password: "x" }, "10.2.1.1"))).toBe(429);
  });

  it("limits login attempts per network address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push(statusOf(await login({ email: `user${i}@example.org`, password: "whatever pw" }, "10.3.3.3")));
    expect(statuses.filter((s) => s === 400)).toHaveLength(20);
    expect(statuses.slice(20)).toEqual([429, 429]);
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
