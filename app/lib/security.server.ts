// Request checks and response headers that every request gets, in one place.
import { randomFillSync } from "node:crypto";
import { isIP } from "node:net";
import { statement } from "./db.server";

/**
 * A state-changing request must come from a page of this site: browsers send `Origin` with every
 * POST, so a missing or foreign origin is refused (cross-site request forgery). `siteOrigin` is
 * `PUBLIC_URL`'s origin when that is set, else the origin the request was made to.
 */
export function isSameOrigin(origin: string | undefined, siteOrigin: string): boolean {
  if (!origin) return false;
  return origin === siteOrigin;
}

/**
 * The one exception to the Origin check: RFC 8058 one-click unsubscribe. Mail providers POST
 * `List-Unsubscribe=One-Click` to the List-Unsubscribe address of a mail from their own servers,
 * without an Origin; the secret token in that address is the only key it needs. Only a POST to
 * exactly /unsubscribe/<token> passes (the route still wants a same-site Origin for its button).
 */
export function isOneClickUnsubscribe(method: string | undefined, pathname: string): boolean {
  return method === "POST" && /^\/unsubscribe\/[\w-]{20,64}$/.test(pathname);
}

/**
 * With `PUBLIC_URL` set, the site answers to that host only: a request for another name (an
 * attacker's domain pointed at this server, DNS rebinding, a bare IP address) gets 421. `host` is
 * the Host header (or the proxy's X-Forwarded-Host); a port the scheme implies may be left out.
 */
export function isPublicHost(host: string | undefined, publicUrl: URL): boolean {
  if (!host || !/^[a-z0-9.\-:[\]]{1,300}$/i.test(host)) return false;
  try {
    return new URL(`${publicUrl.protocol}//${host}`).host === publicUrl.host;
  } catch {
    return false;
  }
}

/** How much a request body may be, by route; see `bodyLimitFor`. */
export const bodyLimits = {
  /** Log-in, sign-up, language and the one-button forms: a few short fields. */
  small: 16 * 1024,
  /**
   * Every other text form. The longest (a proposal with new house rules) is 30,000 characters:
   * about 35 KB url-encoded for Dutch text, so there is room for accents, quotes and newlines.
   */
  text: 64 * 1024,
} as const;

// Forms that anyone can send without an account, and the forms of one button or a few choices.
const smallForms =
  /^\/(language|login|signup|logout|settings|settings\/delete|password\/forgot|password\/reset\/[^/]+|unsubscribe\/[^/]+|founders\/[^/]+|sessions\/\d+\/(register|checkin|cancel|undo|attendance)|initiatives\/\d+\/(interest|enrol|hosts|step-back|undo-step-back)|comments\/\d+\/delete)(\.data)?$/;

/** The largest text form body a route takes (pictures are streamed separately: app/lib/uploads.server.ts). */
export function formBodyLimit(pathname: string): number {
  return smallForms.test(pathname) ? bodyLimits.small : bodyLimits.text;
}

/**
 * Counts fields in a buffered form body, stopping at `limit`: `&`-separated pairs of a url-encoded
 * body, or the parts of a multipart one. Counted on the bytes, before any parser runs: a megabyte
 * of "a=&a=&…" is a third of a million fields, and parsing them blocks the server for a second.
 */
export function countFormFields(body: Buffer, contentType: string, limit: number): number {
  let separator: Buffer;
  if (/^multipart\/form-data/i.test(contentType)) {
    const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    if (!boundary) return 0;
    separator = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  } else {
    if (!body.length) return 0;
    separator = Buffer.from("&");
  }
  // Url-encoded: one more field than separators. Multipart: one fewer (the closing delimiter).
  const extra = separator.length === 1 ? 1 : -1;
  let separators = 0;
  for (let at = body.indexOf(separator); at !== -1 && separators + extra <= limit; at = body.indexOf(separator, at + separator.length)) separators++;
  return Math.max(0, separators + extra);
}

/**
 * The address a per-address limit counts: an IPv4 address as it is, an IPv6 address by its /64
 * (one household or server gets a whole /64, so counting single IPv6 addresses would count
 * nothing). IPv4-mapped IPv6 (::ffff:1.2.3.4) is the IPv4 address.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIP(address) !== 6) return address;
  const [head, tail = ""] = address.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = address.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * Whether the request carries a login session that has not expired: read-only (unlike a full
 * validation, which may extend the session and owes the browser a new cookie for it), for the
 * server to refuse an anonymous upload before reading its body. The action checks again.
 * The cookie's name is lucia's, set in app/lib/auth.server.ts.
 */
export function hasLiveSession(cookieHeader: string | undefined): boolean {
  const id = /(?:^|;\s*)meedoen_session=([^;\s]+)/.exec(cookieHeader ?? "")?.[1];
  if (!id || id.length > 200) return false;
  const row = statement("SELECT expires_at FROM auth_sessions WHERE id = ?").get(id) as { expires_at: number } | undefined;
  return !!row && row.expires_at * 1000 > Date.now();
}

/**
 * Counts what each address has open (connections, bodies being received) against a limit per
 * address and one in total. A request may wait a moment for a place (`acquire`): a burst from
 * one address (a school behind one router, a test) then goes through one after the other instead
 * of being refused, while a client that holds its places only makes its own requests wait.
 */
export class PerAddress {
  private readonly counts = new Map<string, number>();
  private waiting: { key: string; done: (result: "ok" | "address" | "total") => void }[] = [];
  total = 0;

  constructor(
    private readonly perAddress: number,
    private readonly overall: number,
    /** How many may wait for a place at once; past that a request is refused at once. */
    private readonly maxWaiting = 0,
  ) {}

  /** Takes a place for `key`: "ok", or which limit is full. */
  take(key: string): "ok" | "address" | "total" {
    const mine = this.counts.get(key) ?? 0;
    if (mine >= this.perAddress) return "address";
    if (this.total >= this.overall) return "total";
    this.counts.set(key, mine + 1);
    this.total++;
    return "ok";
  }

  /** Takes a place, waiting up to `waitMs` for one when the limits are full (first come, first served per address). */
  acquire(key: string, waitMs: number): Promise<"ok" | "address" | "total"> {
    const now = this.waiting.some((w) => w.key === key) ? "address" : this.take(key);
    if (now === "ok" || this.waiting.length >= this.maxWaiting) return Promise.resolve(now);
    return new Promise((resolve) => {
      const waiter = {
        key,
        done: (result: "ok" | "address" | "total") => {
          clearTimeout(timer);
          this.waiting = this.waiting.filter((w) => w !== waiter);
          resolve(result);
        },
      };
      const timer = setTimeout(() => waiter.done((this.counts.get(key) ?? 0) >= this.perAddress ? "address" : "total"), waitMs);
      this.waiting.push(waiter);
    });
  }

  give(key: string) {
    const mine = this.counts.get(key) ?? 0;
    if (mine <= 1) this.counts.delete(key);
    else this.counts.set(key, mine - 1);
    this.total--;
    for (const waiter of [...this.waiting]) if (this.take(waiter.key) === "ok") waiter.done("ok");
  }

  of(key: string) {
    return this.counts.get(key) ?? 0;
  }

  get queued() {
    return this.waiting.length;
  }
}

/**
 * Pages any website may show in a frame: the agenda made for that (/embed/agenda, ADR 028). It has
 * no forms, no scripts and no cookies, so framing it gives another site nothing to click-jack.
 */
export const framablePaths = new Set(["/embed/agenda"]);

// Random bytes for the nonces, drawn 256 at a time: one call to the system's generator per
// request was 2% of a member's trivial page. Each nonce gets bytes no other nonce had.
const nonceBytes = 16;
const nonceStock = Buffer.alloc(nonceBytes * 256);
let nonceAt = nonceStock.length;

/** A fresh nonce for the Content Security Policy of one answer: 16 random bytes, base64. */
export function freshNonce(): string {
  if (nonceAt === nonceStock.length) {
    randomFillSync(nonceStock);
    nonceAt = 0;
  }
  nonceAt += nonceBytes;
  return nonceStock.toString("base64", nonceAt - nonceBytes, nonceAt);
}

export function securityHeaders(nonce: string, https: boolean, pathname = ""): Record<string, string> {
  const framable = framablePaths.has(pathname);
  const headers: Record<string, string> = {
    "Content-Security-Policy": [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      framable ? "frame-ancestors *" : "frame-ancestors 'none'",
    ].join("; "),
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Content-Type-Options": "nosniff",
    ...(framable ? {} : { "X-Frame-Options": "DENY" }),
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  if (https) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/**
 * Pages being made at one moment: at most `running`, then up to `waiting` wait their turn (first
 * come, first served) for at most `waitMs`; past that a request is refused at once. A burst of
 * thousands of requests then costs the memory of a few renders, not of thousands (each render
 * holds its page and its data until it is sent).
 */
export class RenderGate {
  private active = 0;
  private readonly queue: ((entered: boolean) => void)[] = [];

  constructor(
    private readonly running: number,
    private readonly waiting: number,
    private readonly waitMs: number,
  ) {}

  get inProgress() {
    return this.active;
  }

  get queued() {
    return this.queue.length;
  }

  enter(): Promise<boolean> {
    if (this.active < this.running) {
      this.active++;
      return Promise.resolve(true);
    }
    if (this.queue.length >= this.waiting) return Promise.resolve(false);
    return new Promise((resolve) => {
      const turn = (entered: boolean) => {
        clearTimeout(timer);
        resolve(entered);
      };
      const timer = setTimeout(() => {
        const at = this.queue.indexOf(turn);
        if (at >= 0) this.queue.splice(at, 1);
        resolve(false);
      }, this.waitMs);
      this.queue.push(turn);
    });
  }

  leave() {
    const next = this.queue.shift();
    // The place passes straight to the next in line.
    if (next) next(true);
    else this.active--;
  }
}
