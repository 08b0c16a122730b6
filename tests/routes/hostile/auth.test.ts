// Hostile clients against logging in, signing up and password reset (issue 12 §5, ADR 020):
// through the real HTTP server, with many requests at once from several loopback addresses.
// Mails are read from the outbox table (no SMTP); time is moved by writing the rate_limits rows.
import http from "node:http";
import type Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimitRules } from "~/governance/config";
import { openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

type Answer = { status: number; location: string | null; body: string; setCookie: string | null; headers: http.IncomingHttpHeaders; ms: number };

let server: RunningServer;
let sqlite: Database.Database;

function send(address: string, method: "GET" | "POST", path: string, fields?: Record<string, string>, cookie?: string): Promise<Answer> {
  const body = fields ? new URLSearchParams(fields).toString() : undefined;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      new URL(path, server.url),
      {
        method,
        localAddress: address,
        // A connection of its own for every request, as from that many clients.
        agent: false,
        headers: {
          "Accept-Language": "nl",
          ...(cookie ? { Cookie: cookie } : {}),
          ...(body !== undefined ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: server.url } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, body: text, setCookie: res.headers["set-cookie"]?.[0] ?? null, headers: res.headers, ms: performance.now() - started }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const post = (address: string, path: string, fields: Record<string, string>, cookie?: string) => send(address, "POST", path, fields, cookie);
const get = (address: string, path: string, cookie?: string) => send(address, "GET", path, undefined, cookie);
const cookieOf = (answer: Answer) => answer.setCookie!.split(";")[0];
const tally = (answers: Answer[]) => answers.reduce<Record<number, number>>((n, a) => ({ ...n, [a.status]: (n[a.status] ?? 0) + 1 }), {});

const owner = { email: "olga.owner@example.org", password: "Olga's own long password", name: "Olga Owner" };
let ownerId = "";

function mailsTo(kind: string) {
  return sqlite.prepare("SELECT body, created_at AS createdAt FROM outbox WHERE member_id = ? AND kind = ? ORDER BY id").all(ownerId, kind) as { body: string; createdAt: number }[];
}

/** Whether a cookie logs anyone in: /settings is for members only. */
async function loggedIn(cookie: string, address = "127.0.0.99") {
  const answer = await get(address, "/settings", cookie);
  return answer.status === 200;
}

beforeAll(async () => {
  server = await startServer();
  sqlite = openServerDatabase(server.databasePath);
  const made = await post("127.0.0.2", "/signup", { email: owner.email, password: owner.password, displayName: owner.name });
  expect(made.status, made.body.slice(0, 300)).toBe(303);
  ownerId = (sqlite.prepare("SELECT id FROM members WHERE email = ?").get(owner.email) as { id: string }).id;
});

afterAll(async () => {
  sqlite?.close();
  await server?.stop();
});

describe("guessing a password", () => {
  it("checks at most the per-account limit of 100 guesses sent at once from 5 addresses", async () => {
    const addresses = ["127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14", "127.0.0.15"];
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => post(addresses[i % 5], "/login", { email: owner.email, password: `guess number ${i}` })));
    const seconds = (performance.now() - started) / 1000;
    const statuses = tally(answers);
    // 400 is "wrong password": those guesses had their password checked; 429 were refused first.
    const checked = statuses[400] ?? 0;
    console.info(`[hostile auth] 100 concurrent guesses from 5 addresses: ${checked} checked, ${statuses[429] ?? 0} refused (${JSON.stringify(statuses)}) in ${seconds.toFixed(2)} s`);
    expect(Object.keys(statuses).sort()).toEqual(["400", "429"]);
    expect(checked).toBeLessThanOrEqual(rateLimitRules.loginPerAccount.limit);
    expect(checked + statuses[429]).toBe(100);
    const refusal = answers.find((a) => a.status === 429)!;
    expect(refusal.body).toContain("gaat inloggen op dit account een tijdje trager");
    expect(Number(refusal.headers["retry-after"])).toBeGreaterThan(0);
  });

  it("counts per network address before the password is checked, too", async () => {
    // 30 different accounts at once from one address: a credential-stuffing list.
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => post("127.0.0.60", "/login", { email: `list.${i}@example.org`, password: "password123456" })));
    const statuses = tally(answers);
    console.info(`[hostile auth] 30 concurrent logins to 30 accounts from one address: ${statuses[400] ?? 0} checked, ${statuses[429] ?? 0} refused`);
    expect(statuses[400]).toBe(rateLimitRules.loginPerAddress.limit);
    expect(statuses[429]).toBe(30 - rateLimitRules.loginPerAddress.limit);
  });

  it("slows the owner too, but mails them one link that logs them in while the guessing goes on", async () => {
    const slowed = await post("127.0.0.20", "/login", { email: owner.email, password: owner.password });
    expect(slowed.status).toBe(429);
    // One mail, however many refusals there were.
    const mails = mailsTo("login-unlock");
    expect(mails).toHaveLength(1);
    const link = /\/login\/unlock\/[A-Za-z0-9_-]{43}/.exec(mails[0].body)![0];

    const page = await get("127.0.0.20", link);
    expect(page.status).toBe(200);
    expect(page.body).toContain(owner.email);
    // The guesser is still refused meanwhile.
    expect((await post("127.0.0.11", "/login", { email: owner.email, password: "yet another guess" })).status).toBe(429);

    expect((await post("127.0.0.20", link, { password: "a typo in it" })).status).toBe(400);
    const inside = await post("127.0.0.20", link, { password: owner.password });
    expect(inside.status, inside.body.slice(0, 300)).toBe(303);
    expect(await loggedIn(cookieOf(inside))).toBe(true);
    // Once only.
    expect((await get("127.0.0.20", link)).status).toBe(404);
    expect((await post("127.0.0.20", link, { password: owner.password })).status).toBe(404);
  });

  it("lets the owner in with the password once the delay has passed, and the next guess waits longer", async () => {
    const key = `login:account:${owner.email}`;
    const row = () => sqlite.prepare("SELECT count, window_start AS at FROM rate_limits WHERE key = ?").get(key) as { count: number; at: number };
    const before = row();
    expect(before.count).toBe(rateLimitRules.loginPerAccount.limit);
    // The first delay (30 s) passes.
    sqlite.prepare("UPDATE rate_limits SET window_start = window_start - ? WHERE key = ?").run(rateLimitRules.loginPerAccount.delaySeconds * 1000 + 1000, key);
    const answer = await post("127.0.0.21", "/login", { email: owner.email, password: owner.password });
    expect(answer.status, answer.body.slice(0, 300)).toBe(303);
    expect(await loggedIn(cookieOf(answer))).toBe(true);
    // Still slowed down for the guesser: the next attempt waits twice as long.
    const guess = await post("127.0.0.16", "/login", { email: owner.email, password: "and another guess" });
    expect(guess.status).toBe(429);
    const wait = Number(guess.headers["retry-after"]);
    console.info(`[hostile auth] after ${row().count} attempts the next guess waits ${wait} s`);
    expect(wait).toBeGreaterThan(rateLimitRules.loginPerAccount.delaySeconds);
    expect(wait).toBeLessThanOrEqual(2 * rateLimitRules.loginPerAccount.delaySeconds);
  });
});

describe("signing up with an address that has an account", () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

  it("answers exactly like a new sign-up, logs nobody in, and mails the owner", async () => {
    const fresh = await post("127.0.0.30", "/signup", { email: "nieuw.lid@example.org", password: "een lang genoeg wachtwoord", displayName: "Nieuw Lid", redirectTo: "/agenda" });
    // With the owner's right password, even.
    const known = await post("127.0.0.31", "/signup", { email: owner.email.toUpperCase(), password: owner.password, displayName: "Olga", redirectTo: "/agenda" });
    const shape = (a: Answer) => ({
      status: a.status,
      location: a.location,
      body: a.body,
      headers: Object.keys(a.headers).filter((h) => h !== "date").sort(),
      cookie: a.setCookie!.replace(/=[^;]+/, (v) => `=<${v.length - 1} characters of ${/^=[a-z0-9]+$/.test(v) ? "[a-z0-9]" : "other"}>`),
    });
    expect(shape(known)).toEqual(shape(fresh));
    expect(fresh.status).toBe(303);
    // The start page, which leads back to where the person came from.
    expect(fresh.location).toBe("/welcome?redirectTo=%2Fagenda");

    expect(await loggedIn(cookieOf(fresh))).toBe(true);
    expect(await loggedIn(cookieOf(known))).toBe(false);
    expect(sqlite.prepare("SELECT count(*) AS n FROM members WHERE email = ?").get(owner.email)).toEqual({ n: 1 });
    const mails = mailsTo("signup-existing");
    expect(mails).toHaveLength(1);
    expect(mails[0].body).toContain("/login");
    expect(mails[0].body).toContain("/password/forgot");
  });

  it("takes as long as a new sign-up (argon2 hashing either way), and mails the owner once an hour", async () => {
    const fresh: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 9; i++) {
      const a = await post(`127.0.1.${i + 1}`, "/signup", { email: `timing.${i}@example.org`, password: "een lang genoeg wachtwoord", displayName: `Timing ${i}` });
      const b = await post(`127.0.2.${i + 1}`, "/signup", { email: owner.email, password: "een lang genoeg wachtwoord", displayName: `Timing ${i}` });
      expect([a.status, b.status]).toEqual([303, 303]);
      fresh.push(a.ms);
      known.push(b.ms);
    }
    console.info(`[hostile auth] sign-up median: new address ${median(fresh).toFixed(1)} ms, known address ${median(known).toFixed(1)} ms`);
    // Without the hashing a known address would take a fraction of the time; a busy machine adds noise.
    expect(median(known) / median(fresh)).toBeGreaterThan(0.4);
    expect(median(known) / median(fresh)).toBeLessThan(2.5);
    expect(mailsTo("signup-existing")).toHaveLength(1);
  });
});

describe("asking for a new password", () => {
  it("mails the owner their link however many requests others made for the same address", async () => {
    const before = mailsTo("password-reset").length;
    const others = await Promise.all(Array.from({ length: 6 }, (_, i) => post(`127.0.3.${i + 1}`, "/password/forgot", { email: owner.email })));
    expect(others.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const mine = await post("127.0.0.40", "/password/forgot", { email: owner.email });
    expect(mine.status).toBe(200);
    const mails = mailsTo("password-reset");
    console.info(`[hostile auth] reset mails to the owner after 6 requests from elsewhere and 1 of their own: ${mails.length - before}`);
    expect(mails.length - before).toBe(7);
    // The owner's link is the newest, and it works.
    const link = /\/password\/reset\/[A-Za-z0-9_-]{43}/.exec(mails.at(-1)!.body)![0];
    expect((await get("127.0.0.40", link)).status).toBe(200);
  });

  it("tells the one asking when their network address has asked too often", async () => {
    const answers = [];
    for (let i = 0; i < rateLimitRules.passwordResetPerAddress.limit + 1; i++) answers.push(await post("127.0.0.41", "/password/forgot", { email: `someone.${i}@example.org` }));
    expect(answers.map((a) => a.status)).toEqual([...Array(rateLimitRules.passwordResetPerAddress.limit).fill(200), 429]);
    expect(answers.at(-1)!.body).toContain("Vanaf dit netwerk is de laatste tijd al vaak om een link gevraagd");
    expect(answers.at(-1)!.body).toMatch(/Je kunt het over \d+ minuten weer proberen/);
  });
});
