// A short-lived cache of whole pages. For visitors who are not logged in: a link shared in a chat
// app brings many of them to the same page at once. For a member, their own pages, kept for them
// alone (ADR 054): going back to the list they came from, a reload, the next page of a tour. A page
// is served from it only while
//   - nothing in the database has changed since it was made (SQLite's total_changes() counts
//     every write of this process's one connection, data_version every commit by another): a
//     member's own sign-up, anyone's new comment, a hold, a logout all make every kept page old, and
//   - it is at most ten seconds old (statuses such as "running now" follow the clock).
// No answer that sets a cookie is kept. Each answer still gets its own CSP nonce: the one the page
// was made with is replaced (React writes it only in the nonce attributes of script tags; anything
// typed by people is escaped and cannot contain it).
import type http from "node:http";
import zlib from "node:zlib";
import { databaseVersion } from "./db.server";
import { pageBytes, pageResponse } from "./html-stream.server";

/** How long a kept page may be served: statuses such as "running now" follow the clock. */
export const keptForMs = 10_000;
const maxEntries = 500;
/** What the kept pages may take together (each kept as text and compressed). */
const maxBytes = 24 * 1024 * 1024;
/**
 * Pages, calendars, news feeds and a member's page data for navigation in the browser (Remix's
 * `.data`, as text/x-script); never a download.
 */
const keptTypes = /^(text\/html|text\/calendar|application\/atom\+xml|application\/rss\+xml|application\/feed\+json|text\/x-script)\b/;
const sessionCookie = /(?:^|;\s*)meedoen_session=/;
/** A hard reload (and a client that wants no copy) asks for the page made anew. */
const askedAnew = (req: http.IncomingMessage) => /no-cache/i.test(`${req.headers["cache-control"] ?? ""} ${req.headers.pragma ?? ""}`);

type Entry = {
  at: number;
  version: string;
  status: number;
  headers: [string, string][];
  /** The page between its nonces, each part compressed once (see gzipWithNonce). */
  parts: { text: Buffer; deflated: Buffer }[];
  bytes: number;
};
const entries = new Map<string, Entry>();
let keptBytes = 0;

/** What the kept pages take now: their number and bytes. */
export function keptSize() {
  return { pages: entries.size, bytes: keptBytes };
}

function forget(key: string) {
  const entry = entries.get(key);
  if (!entry) return;
  keptBytes -= entry.bytes;
  entries.delete(key);
}

/**
 * The public calendars and news feeds (.ics, .xml, /agenda.json), which apps fetch again and
 * again. Their routes read no cookie: they are the same for members and visitors, and one kept
 * copy serves both (a member's own calendar is /calendar/:token, marked private, never kept).
 */
const publicFeed = (pathname: string) => /\.(ics|xml)$/.test(pathname) || pathname === "/agenda.json";

/** The cache key for a request that may be answered from the cache, or null. */
export function pageCacheKey(req: http.IncomingMessage, url: URL): string | null {
  if (req.method !== "GET") return null;
  const feed = publicFeed(url.pathname);
  const cookie = feed ? "" : (req.headers.cookie ?? "");
  // A member's page is kept under their whole cookie, which names their session: it is never
  // given to anyone else, and a new login starts with nothing kept.
  const member = sessionCookie.test(cookie);
  if (member && askedAnew(req)) return null;
  // Files are left alone, and so are visitors' data requests (navigation in the browser).
  if (!feed && /\.[a-z]+$/i.test(url.pathname) && !(member && url.pathname.endsWith(".data"))) return null;
  // Everything else a page may depend on: the address, the language they chose or their browser
  // asks for, the host they asked.
  // The host too: pages name their own address in the tags chat apps read.
  const host = `${req.headers.host ?? ""} ${req.headers["x-forwarded-host"] ?? ""} ${req.headers["x-forwarded-proto"] ?? ""}`;
  return `${member ? "member " : ""}${url.pathname}${url.search}\n${cookie}\n${req.headers["accept-language"] ?? ""}\n${host}`;
}

/**
 * The page for `key` with `nonce` in place of the one it was made with, if it is still current;
 * compressed already when the client takes gzip.
 */
export function cachedPage(key: string, nonce: string, gzip = false, ifNoneMatch: string | null = null, now = Date.now()): Response | null {
  const entry = entries.get(key);
  if (!entry) return null;
  if (now - entry.at >= keptForMs || entry.version !== databaseVersion()) {
    forget(key);
    return null;
  }
  // A calendar app that has this version already (its ETag) gets a short "not modified".
  const etag = entry.headers.find(([name]) => name === "etag")?.[1];
  if (etag && ifNoneMatch === etag) {
    const kept = entry.headers.filter(([name]) => name === "etag" || name === "cache-control");
    return new Response(null, { status: 304, headers: kept });
  }
  // Age says the answer is a kept copy, and how many seconds old (RFC 9111, 5.1).
  const headers = new Headers(entry.headers);
  headers.set("Age", String(Math.floor((now - entry.at) / 1000)));
  if (gzip) {
    headers.set("Content-Encoding", "gzip");
    headers.set("Vary", "Accept-Encoding");
    return pageResponse(gzipWithNonce(entry.parts, nonce), { status: entry.status, headers });
  }
  const html = entry.parts.map((part) => part.text.toString("utf8")).join(`nonce="${nonce}"`);
  return pageResponse(Buffer.from(html), { status: entry.status, headers });
}

// Compressing a whole page for every answer would cost more than everything else a kept page
// needs, but the nonce differs in every answer. So the parts between the nonces are compressed
// once, each ending on a full flush (a byte boundary after which nothing refers back), and an
// answer is those parts with the new nonce attributes compressed in between: one valid deflate
// stream, wrapped as gzip with the checksum of the whole.
const fullFlush = { finishFlush: zlib.constants.Z_FULL_FLUSH };
const gzipHeader = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
const finalBlock = zlib.deflateRawSync(Buffer.alloc(0));

function splitAtNonce(html: string, nonce: string) {
  return html.split(`nonce="${nonce}"`).map((part) => {
    const text = Buffer.from(part);
    return { text, deflated: zlib.deflateRawSync(text, fullFlush) };
  });
}

export function gzipWithNonce(parts: { text: Buffer; deflated: Buffer }[], nonce: string): Buffer {
  const attribute = Buffer.from(`nonce="${nonce}"`);
  const attributeDeflated = zlib.deflateRawSync(attribute, fullFlush);
  const chunks: Buffer[] = [gzipHeader];
  let crc = 0;
  let size = 0;
  parts.forEach((part, i) => {
    if (i > 0) {
      chunks.push(attributeDeflated);
      crc = zlib.crc32(attribute, crc);
      size += attribute.length;
    }
    chunks.push(part.deflated);
    crc = zlib.crc32(part.text, crc);
    size += part.text.length;
  });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  chunks.push(finalBlock, trailer);
  return Buffer.concat(chunks);
}

/**
 * Makes the page for a request (`render`, which should ask for it uncompressed), keeping it if it
 * may be reused. The data version is read
 * before rendering, so a write that lands while the page is made leaves it out of date at once.
 */
export async function renderAndKeep(key: string, nonce: string, render: () => Promise<Response>): Promise<Response> {
  const version = databaseVersion();
  const at = Date.now();
  const response = await render();
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200 || !keptTypes.test(type) || response.headers.has("set-cookie") || response.headers.has("content-encoding") || !response.body) {
    return response;
  }
  // What its route marks private (a member's own calendar address) is not shared, not even
  // with the next request for the same address.
  if (/\b(private|no-store)\b/.test(response.headers.get("cache-control") ?? "")) {
    return response;
  }
  const page = await pageBytes(response);
  const html = page.toString("utf8");
  const headers = [...response.headers.entries()];
  // Every kept page shares one version: after a write none of them can be served again, so they
  // go at once rather than wait to be asked for; and those past their ten seconds go too.
  const first = entries.values().next().value;
  if (first && first.version !== version) {
    entries.clear();
    keptBytes = 0;
  }
  for (const [oldKey, old] of entries) {
    if (at - old.at < keptForMs) break;
    forget(oldKey);
  }
  forget(key);
  const parts = splitAtNonce(html, nonce);
  const bytes = parts.reduce((sum, part) => sum + part.text.length + part.deflated.length, 0);
  entries.set(key, { at, version, status: response.status, headers, parts, bytes });
  keptBytes += bytes;
  // The oldest go first, past the number or the bytes all kept pages may take.
  while (entries.size > maxEntries || (keptBytes > maxBytes && entries.size > 1)) forget(entries.keys().next().value!);
  return pageResponse(page, { status: response.status, headers });
}
