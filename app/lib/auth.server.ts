// Everything about accounts and login sessions goes through this module, so that replacing
// lucia (see docs/decisions/003-lucia-behind-one-module.md) touches one file.
import { hash, verify } from "@node-rs/argon2";
import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { redirect } from "@remix-run/node";
import { generateIdFromEntropySize, Lucia, TimeSpan, type Session, type User } from "lucia";
import { authSessions, members } from "../../db/schema";
import { db, statement } from "./db.server";

let instance: ReturnType<typeof createLucia> | undefined;

/**
 * The drizzle adapter, except for the lookup every logged-in request makes: one prepared
 * statement for the session and the two member fields the pages use, instead of two queries
 * built anew each time over all of the member's columns (about 8% of a member page's CPU).
 */
class MeedoenAdapter extends DrizzleSQLiteAdapter {
  override async getSessionAndUser(sessionId: string): ReturnType<DrizzleSQLiteAdapter["getSessionAndUser"]> {
    const row = statement(
      `SELECT s.id, s.member_id, s.expires_at, m.display_name, m.locale
       FROM auth_sessions s JOIN members m ON m.id = s.member_id WHERE s.id = ?`,
    ).get(sessionId) as { id: string; member_id: string; expires_at: number; display_name: string; locale: "nl" | "en" | null } | undefined;
    if (!row) return [null, null];
    return [
      { id: row.id, userId: row.member_id, expiresAt: new Date(row.expires_at * 1000), attributes: {} },
      { id: row.member_id, attributes: { displayName: row.display_name, locale: row.locale } },
    ];
  }
}

function createLucia() {
  const adapter = new MeedoenAdapter(db(), authSessions, members);
  return new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: { name: "meedoen_session", attributes: { sameSite: "lax" } },
    getUserAttributes: (row) => ({
      displayName: row.displayName,
      locale: row.locale,
    }),
  });
}

function lucia() {
  instance ??= createLucia();
  return instance;
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: { displayName: string; locale: "nl" | "en" | null };
  }
}

export type CurrentMember = User;

// OWASP's recommended argon2id parameters (19 MiB, 2 passes, 1 lane).
const argon2Options = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string) {
  return hash(password, argon2Options);
}

// Verifying against this when no account exists takes as long as a real check, so the
// response time does not tell whether an email address is known.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string) {
  if (!passwordHash) {
    dummyHash ??= hashPassword("not a real password, only for timing");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

// The server sets the request URL's protocol from the socket, or from the proxy when
// TRUST_PROXY is on: the cookie is Secure whenever the site is reached over HTTPS.
function cookieHeader(cookie: { name: string; value: string; attributes: { maxAge?: number } }, request: Request) {
  const secure = new URL(request.url).protocol === "https:";
  const parts = [`${cookie.name}=${cookie.value}`, "Path=/", "HttpOnly", "SameSite=Lax"];
  if (typeof cookie.attributes.maxAge === "number") parts.push(`Max-Age=${cookie.attributes.maxAge}`);
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

export async function startAuthSession(memberId: string, request: Request): Promise<string> {
  const session = await lucia().createSession(memberId, {});
  return cookieHeader(lucia().createSessionCookie(session.id), request);
}

/**
 * A Set-Cookie header exactly like startAuthSession's, for a session that does not exist: the
 * answer to a sign-up with an address that already has an account looks like any other sign-up,
 * and logs nobody in (docs/decisions/020-login-limits.md).
 */
export function decoySessionCookie(request: Request): string {
  return cookieHeader(lucia().createSessionCookie(generateIdFromEntropySize(25)), request);
}

export async function endAuthSession(request: Request): Promise<string> {
  const sessionId = readSessionId(request);
  if (sessionId) await lucia().invalidateSession(sessionId);
  return cookieHeader(lucia().createBlankSessionCookie(), request);
}

function readSessionId(request: Request) {
  return lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
}

type Current = { member: CurrentMember; session: Session; refreshCookie: string | null } | null;
const perRequest = new WeakMap<Request, Promise<Current>>();
// Remix hands each loader of a page a copy of the request (it strips query parameters of its own),
// so a page's loaders, which it calls one after the other in one turn of the event loop, also
// share the lookup of that turn by session (and by scheme: the refreshed cookie names it). The
// turn's lookups are forgotten when it ends.
const thisTurn = new Map<string, Promise<Current>>();

/** The logged-in member of this request (looked up once per request), or null. */
export function getCurrent(request: Request): Promise<Current> {
  let pending = perRequest.get(request);
  if (pending) return pending;
  const sessionId = readSessionId(request);
  const key = sessionId ? `${request.url.startsWith("https:") ? "https" : "http"} ${sessionId}` : null;
  pending = key ? thisTurn.get(key) : undefined;
  if (!pending) {
    pending = lookUp(sessionId, request);
    if (key) {
      if (!thisTurn.size) queueMicrotask(() => thisTurn.clear());
      thisTurn.set(key, pending);
    }
  }
  perRequest.set(request, pending);
  return pending;
}

async function lookUp(sessionId: string | null, request: Request): Promise<Current> {
  if (!sessionId) return null;
  const { session, user } = await lucia().validateSession(sessionId);
  if (!session || !user) return null;
  const refreshCookie = session.fresh ? cookieHeader(lucia().createSessionCookie(session.id), request) : null;
  return { member: user, session, refreshCookie };
}

export async function getMember(request: Request): Promise<CurrentMember | null> {
  return (await getCurrent(request))?.member ?? null;
}

/** The logged-in member, or a redirect to the login page that comes back here afterwards. */
export async function requireMember(request: Request): Promise<CurrentMember> {
  const member = await getMember(request);
  if (!member) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return member;
}

/** Only same-site paths (of at most 500 characters) are followed after login, never another host. */
export function safeRedirect(target: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof target !== "string" || target.length > 500 || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return fallback;
  }
  // Read it as a browser would: tabs and newlines are dropped ("/\t/evil.example" is
  // "//evil.example") and a backslash is a slash, so only a path on this site stays on it. What
  // comes back is percent-encoded: nothing in it can break the Location header.
  const base = "http://same.invalid";
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  const path = url.pathname + url.search + url.hash;
  if (url.origin !== base || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}
