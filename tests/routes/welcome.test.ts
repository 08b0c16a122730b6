// After creating an account: the start page, and then back to where the person came from, but
// only to a path on this site (redirectTo through sign-up, login and the start page).
import { describe, expect, it } from "vitest";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { action as signupAction } from "~/routes/signup";
import { loader as welcomeLoader } from "~/routes/welcome";
import { contextFor, cookieFrom, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";

let address = 0;
const signup = (fields: Record<string, string>) =>
  settle(() => signupAction({ request: formRequest("/signup", { password: "een lang genoeg wachtwoord", displayName: "Nieuw", ...fields }), context: contextFor(`10.7.0.${++address}`), params: {} })) as Promise<Response>;
const welcome = (cookie: string, redirectTo?: string) =>
  settle(() => welcomeLoader({ request: getRequest(`/welcome${redirectTo === undefined ? "" : `?redirectTo=${encodeURIComponent(redirectTo)}`}`, { cookie }), context: contextFor("10.7.1.1"), params: {} }));

// Attempts to leave the site after sign-up or login, and where each must land instead.
const hostile = [
  "https://evil.example/",
  "//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "javascript:alert(1)",
  "data:text/html,hoi",
  "http:/evil.example",
  ` /sessions/1`,
  `/${"a".repeat(500)}`,
  "",
];

describe("the start page after creating an account", () => {
  it("comes first after sign-up, and then leads back to the page the person came from", async () => {
    const res = await signup({ email: "start@example.org", redirectTo: "/sessions/12?tab=wie#aanmelden" });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe(`/welcome?redirectTo=${encodeURIComponent("/sessions/12?tab=wie#aanmelden")}`);
    const page = dataOf<{ name: string; next: string }>(await welcome(cookieFrom(res.headers.get("Set-Cookie")), "/sessions/12?tab=wie#aanmelden"));
    expect(page.name).toBe("Nieuw");
    expect(page.next).toBe("/sessions/12?tab=wie#aanmelden");
  });

  it("sends a visitor to log in first", async () => {
    const res = await settle(() => welcomeLoader({ request: getRequest("/welcome?redirectTo=%2Fagenda"), context: contextFor("10.7.1.2"), params: {} }));
    expect(statusOf(res)).toBe(302);
    expect((res as Response).headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/welcome?redirectTo=%2Fagenda")}`);
  });

  it.each(hostile)("never leaves the site for redirectTo %j: sign-up, start page and login go to a path here", async (target) => {
    const res = await signup({ email: `open-${address}@example.org`, redirectTo: target });
    expect(res.headers.get("Location")).toMatch(/^\/welcome(\?redirectTo=%2F[^%]|$)/);
    const cookie = cookieFrom(res.headers.get("Set-Cookie"));
    const next = dataOf<{ next: string }>(await welcome(cookie, target)).next;
    expect(next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\")).toBe(true);
    expect(next).not.toContain("evil.example");
    expect(next.length).toBeLessThanOrEqual(500);

    const member = await memberWithSession();
    const login = (await settle(() =>
      loginAction({ request: formRequest("/login", { email: member.email, password: "a long enough password", redirectTo: target }), context: contextFor(`10.7.2.${address}`), params: {} }),
    )) as Response;
    expect(login.status).toBe(303);
    expect(login.headers.get("Location")).not.toContain("evil.example");
    expect(login.headers.get("Location")).toMatch(/^\/(?![/\\])/);
    const loggedIn = (await settle(() => loginLoader({ request: getRequest(`/login?redirectTo=${encodeURIComponent(target)}`, { cookie }), context: contextFor("10.7.3.1"), params: {} }))) as Response;
    expect(loggedIn.headers.get("Location")).not.toContain("evil.example");
  });

  it("does not lead from the start page back to itself", async () => {
    const res = await signup({ email: "loop@example.org", redirectTo: "/welcome?redirectTo=%2Fwelcome" });
    const next = dataOf<{ next: string }>(await welcome(cookieFrom(res.headers.get("Set-Cookie")), "/welcome")).next;
    expect(next).toBe("/");
  });
});
