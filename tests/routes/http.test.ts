// Through the real server (build/index.js): what only the HTTP layer can show.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let proxied: RunningServer;

beforeAll(async () => {
  [server, proxied] = await Promise.all([startServer(), startServer({ TRUST_PROXY: "1" })]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), proxied?.stop()]);
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = (extra: Record<string, string> = {}) => ({ "Content-Type": "application/x-www-form-urlencoded", ...extra });

describe("the HTTP server", () => {
  it("answers /healthz with 200 ok", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
  });

  it("serves the feed to anyone, with security headers and a nonce on every script", async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("permissions-policy")).toContain("camera=()");
    const html = await res.text();
    expect(html).toContain('<html lang="nl"');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });

  it("gives every answer a nonce of its own: 16 random bytes, never one seen before", async () => {
    // More answers than one draw of random bytes holds nonces (256), some at once.
    const nonces: string[] = [];
    for (let round = 0; round < 30; round++) {
      const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${server.url}/healthz`)));
      for (const answer of answers) {
        await answer.text();
        nonces.push(/'nonce-([^']+)'/.exec(answer.headers.get("content-security-policy") ?? "")?.[1] ?? "");
      }
    }
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64").toString("base64")).toBe(nonce);
    expect(nonces.every((nonce) => Buffer.from(nonce, "base64").length === 16)).toBe(true);
    expect(new Set(nonces).size).toBe(300);
  });

  it("gzips pages and long-caches the fingerprinted bundles", async () => {
    const page = await fetch(`${server.url}/`, { headers: { "Accept-Encoding": "gzip" } });
    expect(page.headers.get("content-encoding")).toBe("gzip");
    const html = await page.text();
    const bundle = /src="(\/build\/[^"]+\.js)"/.exec(html)?.[1] ?? /href="(\/build\/[^"]+\.js)"/.exec(html)![1];
    const js = await fetch(server.url + bundle);
    expect(js.status).toBe(200);
    expect(js.headers.get("cache-control")).toContain("immutable");
    // The style sheet too: its name carries its content's hash.
    const stylesheet = /<link rel="stylesheet" href="(\/build\/_assets\/meedoen-[A-Z0-9]+\.css)"/.exec(html)![1];
    const css = await fetch(server.url + stylesheet);
    expect(css.headers.get("content-type")).toContain("text/css");
    expect(css.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("answers /favicon.ico with the site's icon, as browsers and feed readers ask by convention", async () => {
    const icon = await fetch(`${server.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/svg+xml");
    expect(await icon.text()).toBe(await (await fetch(`${server.url}/favicon.svg`)).text());
  });

  it("refuses a POST without Origin or from another site with 403, and writes nothing", async () => {
    const fields = form({ email: "csrf@example.org", password: "long enough pw", displayName: "CSRF" });
    const missing = await fetch(`${server.url}/signup`, { method: "POST", headers: formHeaders(), body: fields, redirect: "manual" });
    expect(missing.status).toBe(403);
    const foreign = await fetch(`${server.url}/signup`, { method: "POST", headers: formHeaders({ Origin: "https://evil.example" }), body: fields, redirect: "manual" });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain("niet van deze website");
    // Not created: a login with those details fails.
    const login = await fetch(`${server.url}/login`, { method: "POST", headers: formHeaders({ Origin: server.url }), body: form({ email: "csrf@example.org", password: "long enough pw" }), redirect: "manual" });
    expect(login.status).toBe(400);
  });

  it("accepts a same-origin sign-up with a 303 and an HttpOnly, SameSite=Lax session cookie", async () => {
    const res = await fetch(`${server.url}/signup`, {
      method: "POST",
      headers: formHeaders({ Origin: server.url }),
      body: form({ email: "http@example.org", password: "long enough pw", displayName: "Http" }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const home = await fetch(`${server.url}/`, { headers: { Cookie: cookie.split(";")[0] } });
    expect(await home.text()).toContain("Http");
  });

  it("marks the cookie Secure and sends HSTS when reached over HTTPS through a trusted proxy", async () => {
    const headers = formHeaders({ Origin: "https://meedoen.example", "X-Forwarded-Host": "meedoen.example", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9" });
    const res = await fetch(`${proxied.url}/signup`, {
      method: "POST",
      headers,
      body: form({ email: "tls@example.org", password: "long enough pw", displayName: "Tls" }),
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/; Secure/);
    expect(res.headers.get("strict-transport-security")).toContain("max-age=");
  });

  it("shows a translated validation message with a 400, never a stack trace", async () => {
    const res = await fetch(`${server.url}/signup`, {
      method: "POST",
      headers: formHeaders({ Origin: server.url, "Accept-Language": "en" }),
      body: form({ email: "x", password: "y", displayName: "" }),
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Choose a password of at least 10 characters.");
    expect(html).not.toMatch(/at .*\.js:\d+/);
  });

  it("refuses bodies over 1 MB early with 413", async () => {
    const res = await fetch(`${server.url}/proposals/new`, {
      method: "POST",
      headers: formHeaders({ Origin: server.url }),
      body: "body=" + "x".repeat(1_100_000),
    });
    expect(res.status).toBe(413);
  });

  it("answers unknown pages and ids with a friendly 404, and logs no stack for them", async () => {
    let log = "";
    const listen = (chunk: Buffer) => (log += chunk);
    server.process.stdout!.on("data", listen);
    server.process.stderr!.on("data", listen);
    for (const path of ["/does-not-exist", "/initiatives/999999", "/initiatives/abc", "/wp-login.php", "/.env"]) {
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("Niet gevonden");
    }
    // A reader who goes away halfway through a page is not a fault either.
    const gone = new AbortController();
    const partly = await fetch(`${server.url}/agenda`, { signal: gone.signal });
    gone.abort();
    await partly.text().catch(() => "");
    await new Promise((resolve) => setTimeout(resolve, 300));
    server.process.stdout!.off("data", listen);
    server.process.stderr!.off("data", listen);
    expect(log).not.toMatch(/No route matches|\n\s+at /);
    // One line each, without the query string.
    expect(log).toContain("[http] 404 GET /does-not-exist not found");
    expect(log).toContain("[http] 404 GET /wp-login.php not found");
  });

  it("answers malformed form bodies and odd query strings without a 500", async () => {
    const res = await fetch(`${server.url}/login`, { method: "POST", headers: { "Content-Type": "multipart/form-data; boundary=x", Origin: server.url }, body: "garbage" });
    expect(res.status).toBeLessThan(500);
    const odd = await fetch(`${server.url}/?q=%E0%A4%A&after=-5&kind[]=x`);
    expect(odd.status).toBeLessThan(500);
  });
});
