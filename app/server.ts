// The HTTP server: plain node:http in front of the Remix request handler. It serves the static
// files, refuses cross-site, oversized and badly encoded requests before any app code runs, sets
// the security headers and hands loaders the client's address (for rate limits) and the CSP nonce.
// It also bounds what a hostile client can hold: connections (in total and per address), the
// time for headers and bodies, bodies being received at once, a body's size per route and its
// number of fields; a picture is only accepted with a login session, and streamed to disk.
// Bundled with the app into build/index.js by the Remix compiler (remix.config.js `server`).
import { createReadStream, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import * as build from "@remix-run/dev/server-build";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { formFieldLimit } from "~/lib/forms";
import { pageBytes } from "~/lib/html-stream.server";
import { translate, type MessageKey } from "~/lib/i18n";
import { imageNamePattern } from "~/lib/images";
import { cachedPage, pageCacheKey, renderAndKeep } from "~/lib/page-cache.server";
import { routeHandlers } from "~/lib/route-handlers.server";
import { rememberRouteMatches } from "~/lib/route-matching.server";
import { isStorageFault, logFault } from "~/lib/fault-log.server";
import { checkDatabaseFile, checkOpenDatabase, StartRefused } from "~/lib/preflight.server";
import { prepareVoicesForNextStart } from "~/lib/prepare.server";
import { startScheduler } from "~/lib/scheduler.server";
import { addressKey, countFormFields, formBodyLimit, freshNonce, hasLiveSession, isOneClickUnsubscribe, isPublicHost, isSameOrigin, PerAddress, RenderGate, securityHeaders } from "~/lib/security.server";
import { acceptsUpload, saveBody, sweepTemporaryUploads, uploadBodyBytes } from "~/lib/uploads.server";
import { sweepImages } from "~/models/images.server";
import { warmNetworkOverview } from "~/models/network.server";
import { releaseStandingReader, standByMeetingReader } from "~/models/voice-reader.server";
import { mayReadMeetingsEarly, readMeetingsEarly, replayCounts } from "~/models/voice-replay.server";
import { voiceSnapshot } from "~/models/voice.server";

const config = env();
rememberRouteMatches();
const handlerFor = routeHandlers(build, config.NODE_ENV === "production" ? "production" : "development");
const publicDir = path.resolve("public");
// With PUBLIC_URL set the site is that origin only: another Host gets 421, and a form's Origin
// must be this one.
const publicUrl = config.PUBLIC_URL ? new URL(config.PUBLIC_URL) : null;

const mimeTypes: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".woff2": "font/woff2",
};
const compressible = /^(text\/|application\/(json|javascript|xml|atom\+xml|manifest\+json|feed\+json)|image\/svg)/;

// Top-level public files are known at start; /build/ holds the fingerprinted client bundles.
const topLevelFiles = new Set(
  readdirSync(publicDir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => `/${e.name}`),
);

function clientAddress(req: http.IncomingMessage): string {
  if (config.TRUST_PROXY) {
    // The last address is the one our own proxy added; earlier ones are the client's word.
    const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (forwarded.length) return forwarded[forwarded.length - 1];
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** The host the client asked for: the Host header, or the proxy's X-Forwarded-Host behind TRUST_PROXY. */
function requestHost(req: http.IncomingMessage): string | undefined {
  const forwarded = config.TRUST_PROXY ? String(req.headers["x-forwarded-host"] ?? "").split(",")[0].trim() : "";
  return forwarded || req.headers.host;
}

function requestOrigin(req: http.IncomingMessage): string {
  if (publicUrl) return publicUrl.origin;
  const proto = config.TRUST_PROXY
    ? String(req.headers["x-forwarded-proto"] ?? "http").split(",")[0].trim()
    : "encrypted" in req.socket && req.socket.encrypted ? "https" : "http";
  const host = (config.TRUST_PROXY && req.headers["x-forwarded-host"]) || req.headers.host || `localhost:${config.PORT}`;
  return `${proto === "https" ? "https" : "http"}://${host}`;
}

function acceptsGzip(req: http.IncomingMessage) {
  return /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
}

function plainHtml(status: number, nl: string, en: string, link: [href: string, label: string] = ["/", "Meedoen"]) {
  return `<!doctype html><html lang="nl"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${status}</title><main><h1>${nl}</h1><p lang="en">${en}</p><p><a href="${link[0]}">${link[1]}</a></p></main></html>`;
}

function plainPage(res: http.ServerResponse, status: number, nl: string, en: string) {
  const body = plainHtml(status, nl, en);
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

// Public files are compressed once, at the highest level, and kept: they change only with an
// upgrade (which restarts the server), and the client bundles are fetched by every new visitor.
const gzippedFiles = new Map<string, { modified: number; body: Buffer }>();

function gzippedFile(file: string, modified: number): Buffer {
  const known = gzippedFiles.get(file);
  if (known && known.modified === modified) return known.body;
  const body = zlib.gzipSync(readFileSync(file), { level: zlib.constants.Z_BEST_COMPRESSION });
  gzippedFiles.set(file, { modified, body });
  return body;
}

async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const isBuild = pathname.startsWith("/build/");
  // Browsers, feed readers and bookmarks ask for /favicon.ico by convention: they get the icon there is.
  const served = pathname === "/favicon.ico" ? "/favicon.svg" : pathname;
  if (!isBuild && !topLevelFiles.has(served)) return false;
  const file = path.join(publicDir, served);
  if (!file.startsWith(publicDir + path.sep)) return false;
  let size: number;
  let modified: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return false;
    size = stat.size;
    modified = stat.mtimeMs;
  } catch {
    return false;
  }
  const type = mimeTypes[path.extname(file)] ?? "application/octet-stream";
  const headers: Record<string, string> = {
    "Content-Type": type,
    "X-Content-Type-Options": "nosniff",
    // Bundles have content hashes in their names; other files may change with an upgrade.
    "Cache-Control": isBuild ? "public, max-age=31536000, immutable" : "public, max-age=3600",
  };
  if (req.method === "HEAD") {
    res.writeHead(200, { ...headers, "Content-Length": String(size) });
    res.end();
    return true;
  }
  if (compressible.test(type) && acceptsGzip(req) && size > 1024) {
    const body = gzippedFile(file, modified);
    res.writeHead(200, { ...headers, "Content-Encoding": "gzip", Vary: "Accept-Encoding", "Content-Length": String(body.length) });
    res.end(body);
  } else {
    res.writeHead(200, { ...headers, "Content-Length": String(size) });
    await pipeline(createReadStream(file), res);
  }
  return true;
}

/** A picture form's body could not be written to the temporary folder (a full disk, a folder that is not one): answered as a storage fault. */
class TemporaryFileFailure extends Error {
  constructor(readonly failure: unknown) {
    super(`temporary file not written: ${(failure as Error)?.message ?? failure}`);
  }
}

class BodyError extends Error {
  constructor(readonly reason: "tooLarge" | "timeout" | "aborted") {
    super(`request body ${reason}`);
  }
}

/**
 * Reads a request body chunk by chunk, only as fast as its reader asks (the socket is paused in
 * between, so a stalled or slow reader holds no more than a chunk), and fails it (BodyError) as
 * soon as more than `limit` bytes have come in (a chunked body has no Content-Length to check up
 * front), when the client sends nothing for BODY_IDLE_TIMEOUT_MS while a chunk is awaited, or
 * when the whole body takes longer than `timeoutMs`. `onFailure` answers the request.
 */
class BodyReader {
  ended = false;
  private received = 0;
  private failure: BodyError | null = null;
  private queue: Buffer[] = [];
  private waiter: { resolve: (chunk: Buffer | null) => void; reject: (error: BodyError) => void } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly deadline: number;

  constructor(
    private readonly req: http.IncomingMessage,
    private readonly limit: number,
    timeoutMs: number,
    private readonly onFailure: (error: BodyError) => void,
  ) {
    this.deadline = Date.now() + timeoutMs;
    // A client that goes away mid-body makes the request emit "error"; never let that throw.
    req.on("error", () => {});
    req.on("data", this.onData);
    req.once("end", this.onEnd);
    req.once("error", this.onAbort);
    req.once("close", this.onAbort);
    req.pause();
  }

  /** The next chunk, or null at the end of the body. */
  next(): Promise<Buffer | null> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queue.length) return Promise.resolve(this.queue.shift()!);
    if (this.ended) return Promise.resolve(null);
    const left = this.deadline - Date.now();
    if (left <= 0) {
      this.fail(new BodyError("timeout"));
      return Promise.reject(this.failure);
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.timer = setTimeout(() => this.fail(new BodyError("timeout")), Math.min(config.BODY_IDLE_TIMEOUT_MS, left));
      this.req.resume();
    });
  }

  /** The chunks as they come in (for a picture form, written to disk as they come). */
  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    for (let chunk = await this.next(); chunk; chunk = await this.next()) yield chunk;
  }

  /** The whole body (for text forms, whose limit is small). */
  async readAll(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  private onData = (chunk: Buffer) => {
    this.received += chunk.length;
    if (this.received > this.limit) return this.fail(new BodyError("tooLarge"));
    this.req.pause();
    const waiter = this.waiter;
    if (!waiter) return void this.queue.push(chunk);
    this.waiter = null;
    clearTimeout(this.timer);
    waiter.resolve(chunk);
  };

  private onEnd = () => {
    this.ended = true;
    this.detach();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve(null);
  };

  private onAbort = () => {
    if (!this.ended) this.fail(new BodyError("aborted"));
  };

  private fail(error: BodyError) {
    if (this.failure || this.ended) return;
    this.failure = error;
    this.queue = [];
    this.detach();
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.reject(error);
    this.onFailure(error);
  }

  private detach() {
    clearTimeout(this.timer);
    this.req.off("data", this.onData);
    this.req.off("end", this.onEnd);
    this.req.off("error", this.onAbort);
    this.req.off("close", this.onAbort);
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Whether a form body is text that decodes as UTF-8: the bytes themselves, and in a urlencoded
 * body also the bytes its %XX escapes stand for (overlong forms, lone surrogates, cut-off
 * sequences and stray bytes all fail). Browsers only send valid UTF-8 from our pages, so anything
 * else is refused instead of being turned into replacement characters.
 */
function isValidFormEncoding(body: Buffer, contentType: string): boolean {
  try {
    const text = strictUtf8.decode(body);
    if (/^application\/x-www-form-urlencoded/i.test(contentType)) {
      // Unescaped characters are whole code points (checked above), so each run of escapes must
      // be valid UTF-8 on its own.
      for (const [run] of text.matchAll(/(?:%[0-9a-f]{2})+/gi)) {
        strictUtf8.decode(Uint8Array.from(run.slice(1).split("%"), (hex) => parseInt(hex, 16)));
      }
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Uploaded pictures: /images/<sha256>-<400|1200>.webp. The name is checked against its pattern
 * before it comes near the file system; the content never changes, so browsers keep it a year.
 */
async function serveImage(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<boolean> {
  if (!pathname.startsWith("/images/")) return false;
  const name = pathname.slice("/images/".length);
  let size = 0;
  if ((req.method === "GET" || req.method === "HEAD") && imageNamePattern.test(name)) {
    try {
      size = statSync(path.join(config.imagesDir, name)).size;
    } catch {
      size = 0;
    }
  }
  if (!size) {
    plainPage(res, 404, "Deze afbeelding bestaat niet (meer).", "This image does not exist (any more).");
    return true;
  }
  res.writeHead(200, {
    "Content-Type": "image/webp",
    "Content-Length": String(size),
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
  });
  if (req.method === "HEAD") res.end();
  else await pipeline(createReadStream(path.join(config.imagesDir, name)), res);
  return true;
}

function toWebRequest(req: http.IncomingMessage, url: URL, controller: AbortController, body: Buffer | ReadableStream<Uint8Array> | undefined): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  return new Request(url, {
    method: req.method,
    headers,
    body: body instanceof Buffer ? new Uint8Array(body) : body,
    signal: controller.signal,
    ...(body && !(body instanceof Buffer) ? { duplex: "half" } : {}),
  } as RequestInit);
}

function withoutHeader(request: Request, name: string): Request {
  if (!request.headers.has(name)) return request;
  const headers = new Headers(request.headers);
  headers.delete(name);
  return new Request(request, { headers });
}

const lingerMs = 1000;
const lingerBytes = 64 * 1024;

/**
 * A refusal that does not wait for the rest of the body: the whole answer goes out at once, then
 * the connection is closed. Closing on unread data resets the connection, and the client could
 * lose the answer: so the connection stays a moment first (or until the body has ended), while
 * what the client is still sending is read and dropped, up to `lingerBytes`; past that it is no
 * longer read (a client that sends megabytes into a refusal gets no CPU for them).
 */
function refuseAndClose(req: http.IncomingMessage, res: http.ServerResponse, status: number, nl: string, en: string, extra: { headers?: Record<string, string>; link?: [string, string] } = {}) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = plainHtml(status, nl, en, extra.link);
  res.shouldKeepAlive = false;
  res.writeHead(status, { ...extra.headers, "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(body), Connection: "close" });
  res.write(body);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    // Node closes the connection once the answer is out (Connection: close).
    res.end();
  };
  const timer = setTimeout(close, lingerMs);
  let dropped = 0;
  req.on("data", (chunk: Buffer) => {
    if ((dropped += chunk.length) > lingerBytes) req.pause();
  });
  req.on("error", () => {});
  req.once("end", close);
  req.once("error", close);
  req.resume();
}

function decodablePath(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** `refuseAndClose` with a message from the dictionaries. */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, key: MessageKey, extra: Parameters<typeof refuseAndClose>[5] = {}) {
  logLine(req, status, key);
  refuseAndClose(req, res, status, translate("nl", key), translate("en", key), extra);
}

/**
 * One line for a request that was refused or not found: no stack (those are for real faults),
 * no query string or client address (they may hold personal data). At most `lineBudget` a
 * second, with a count of the ones left out, so that a flood cannot fill the disk.
 */
const lineBudget = 20;
let linesThisSecond = 0;
let lineSecond = 0;
let linesLeftOut = 0;
function logLine(req: http.IncomingMessage, status: number, why: string) {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lineSecond) {
    if (linesLeftOut) console.log(`[http] … and ${linesLeftOut} more such lines in that second`);
    lineSecond = second;
    linesThisSecond = 0;
    linesLeftOut = 0;
  }
  if (++linesThisSecond > lineBudget) {
    linesLeftOut++;
    return;
  }
  const path = (req.url ?? "/").split("?")[0].slice(0, 200);
  console.log(`[http] ${status} ${req.method} ${path} ${why}`);
}

function refuseTooLarge(req: http.IncomingMessage, res: http.ServerResponse, upload: boolean) {
  refuse(req, res, 413, upload ? "image.bodyTooLarge" : "form.tooLarge");
}

/**
 * Bodies being received right now, per address and in total. Past a limit a body waits for its
 * turn, unread, as long as a body may pause while it comes in (BODY_IDLE_TIMEOUT_MS); as many may
 * wait as may be received. Then, or when too many wait already, it is refused, and may try again
 * soon.
 */
const bodies = new PerAddress(config.MAX_BODIES_PER_ADDRESS, config.MAX_BODIES, config.MAX_BODIES);
const bodyQueueMs = config.BODY_IDLE_TIMEOUT_MS;
const renders = new RenderGate(config.MAX_RENDERS, config.MAX_RENDER_QUEUE, 10_000);
const retrySoon = { headers: { "Retry-After": "5" } };

/** Answers a body that failed while it came in (the reader has stopped reading it). */
function answerBodyFailure(req: http.IncomingMessage, res: http.ServerResponse, error: BodyError, upload: boolean) {
  // The client went away in the middle of sending: there is no one to answer.
  if (error.reason === "aborted") return void res.destroy();
  // An answer has begun already: the connection goes, unanswered rest and all.
  if (res.headersSent) return void res.destroy();
  if (error.reason === "tooLarge") return refuseTooLarge(req, res, upload);
  refuse(req, res, 408, "request.timeout");
}

/**
 * A picture form's body, taken in whole onto disk as it comes in (a temporary file), then handed to
 * Remix as a stream from that file. The file goes once Remix has read it or the request is over,
 * and only then is `done` called: until then the body counts as one being received, so that no
 * more pictures wait on disk for their turn than may come in at once (MAX_BODIES).
 */
async function pictureFormBody(reader: BodyReader, res: http.ServerResponse, done: () => void): Promise<ReadableStream<Uint8Array>> {
  let file: string | undefined;
  let over = false;
  const discard = () => {
    if (over) return;
    over = true;
    if (file) rmSync(file, { force: true });
    done();
  };
  res.once("close", discard);
  try {
    await saveBody(reader, (name) => (file = name));
  } catch (error) {
    discard();
    // The client's failure is answered by the reader; a file that cannot be written is ours.
    throw error instanceof BodyError ? error : new TemporaryFileFailure(error);
  }
  // The client went away just as the last byte came: there is no one to answer.
  if (over) throw new BodyError("aborted");
  const stream = createReadStream(file!);
  stream.once("close", discard);
  res.once("close", () => stream.destroy());
  return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
}

async function sendWebResponse(req: http.IncomingMessage, res: http.ServerResponse, response: Response, extra: Record<string, string>) {
  const headers: Record<string, string | string[]> = { ...extra };
  response.headers.forEach((value, key) => {
    if (key === "set-cookie") return;
    headers[key] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  const type = response.headers.get("content-type") ?? "";
  const gzip = !!response.body && req.method !== "HEAD" && compressible.test(type) && acceptsGzip(req) && !response.headers.has("content-encoding");
  if (gzip) {
    delete headers["content-length"];
    headers["content-encoding"] = "gzip";
    headers.vary = "Accept-Encoding";
  }
  // A page comes whole (app/entry.server.tsx): compressed in one go (on the thread pool, hundreds
  // queued at once held their pages in memory twice) and written at once with its length. Level 3
  // took a third of level 6's time for a 40 KB page (0.13 against 0.37 ms), for 8% more bytes;
  // level 2, timed in the server under load, 0.29 ms against level 3's 0.37 for the 37 KB home
  // page, for 1% more bytes.
  if (response.body && req.method !== "HEAD" && type.startsWith("text/html")) {
    const page = await pageBytes(response);
    const sent = gzip ? zlib.gzipSync(page, { level: 2 }) : page;
    headers["content-length"] = String(sent.length);
    res.writeHead(response.status, headers);
    res.end(sent);
    return;
  }
  res.writeHead(response.status, headers);
  if (!response.body || req.method === "HEAD") {
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
  if (gzip) await pipeline(body, zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH }), res);
  else await pipeline(body, res);
}

// The reason every request's signal is aborted with when its response closes: one made once, as
// abort() without a reason makes a DOMException with its stack for every request.
const responseClosed = new DOMException("The response was closed.", "AbortError");

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  busyUntilAnswered(req.socket, res);
  const controller = new AbortController();
  // Aborted when the response closes, finished or not: Remix clears the timer it keeps for each
  // page's data only then (tests/routes/hostile/render-leftovers.test.ts).
  res.on("close", () => controller.abort(responseClosed));
  let rendering = false;
  try {
    // The health check answers under any name: monitors and proxies ask for 127.0.0.1 or so.
    if (publicUrl && !isPublicHost(requestHost(req), publicUrl) && req.url !== "/healthz") {
      return refuse(req, res, 421, "request.wrongHost", { link: [publicUrl.origin, publicUrl.host] });
    }
    const origin = requestOrigin(req);
    let url: URL;
    try {
      url = new URL(req.url ?? "/", origin);
    } catch {
      return plainPage(res, 400, "Dit adres klopt niet.", "This address is not valid.");
    }
    // A path that cannot be decoded (a stray "%FF") reaches no route, and Remix would warn about it
    // with the whole path, several times per request, past the log's budget: its "%" go on as
    // themselves, so the route answers with its own "not found" (one line in the log, as any 404).
    if (!decodablePath(url.pathname)) url.pathname = url.pathname.replace(/%/g, "%25");
    if (await serveStatic(req, res, url.pathname)) return;
    if (await serveImage(req, res, url.pathname)) return;
    // Route segments cannot end in ".ics" after a parameter: map the public calendar addresses
    // /sessions/12.ics and /initiatives/3.ics onto their routes.
    const calendar = /^\/(sessions|initiatives)\/(\d+)\.ics$/.exec(url.pathname);
    if (calendar) url.pathname = `/${calendar[1]}/${calendar[2]}/calendar.ics`;

    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const contentType = String(req.headers["content-type"] ?? "");
    // A picture is binary and large: only for a member, and taken in whole onto disk here first;
    // every other form is text, small, and read whole into memory here first.
    const upload = hasBody && acceptsUpload(url.pathname) && /^multipart\/form-data/i.test(contentType);
    let body: Buffer | ReadableStream<Uint8Array> | undefined;
    if (hasBody) {
      const limit = upload ? uploadBodyBytes : formBodyLimit(url.pathname);
      if (Number(req.headers["content-length"] ?? 0) > limit) return refuseTooLarge(req, res, upload);
      // A mail provider's one-click unsubscribe (RFC 8058) comes without an Origin: its token is its key.
      if (!isSameOrigin(req.headers.origin, url.origin) && !isOneClickUnsubscribe(req.method, url.pathname)) {
        logLine(req, 403, "not from this site");
        return refuseAndClose(
          req,
          res,
          403,
          "Dit verzoek kwam niet van deze website en is geweigerd.",
          "This request did not come from this website and was refused.",
        );
      }
      if (upload && !hasLiveSession(req.headers.cookie)) {
        const login = `/login?redirectTo=${encodeURIComponent(url.pathname.replace(/\.data$/, ""))}`;
        return refuse(req, res, 401, "request.loginFirst", { link: [login, `${translate("nl", "nav.login")} · ${translate("en", "nav.login")}`] });
      }
      // An empty body (a one-button form) holds nothing while it "comes in".
      if (req.headers["content-length"] === "0") body = Buffer.alloc(0);
      else {
        const address = addressKey(clientAddress(req));
        const place = await bodies.acquire(address, bodyQueueMs);
        if (place !== "ok") return refuse(req, res, place === "address" ? 429 : 503, place === "address" ? "request.tooManyAtOnce" : "request.busy", retrySoon);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          bodies.give(address);
        };
        // The client may have gone away while it waited for its place.
        if (res.closed || req.socket.destroyed) return release();
        res.once("close", release);
        // curl and some apps ask before they send a large body; browsers do not.
        if (/100-continue/i.test(String(req.headers.expect ?? ""))) res.writeContinue();
        const reader = new BodyReader(req, limit, upload ? config.UPLOAD_TIMEOUT_MS : config.FORM_TIMEOUT_MS, (error) => {
          release();
          answerBodyFailure(req, res, error, upload);
        });
        // The body comes in whole before the request may wait for a place to be made: a client
        // that stops sending holds a place for bodies, never one that pages and /healthz need
        // (docs/decisions/057-bodies-in-whole-before-a-render-place.md).
        try {
          if (upload) body = await pictureFormBody(reader, res, release);
          else {
            body = await reader.readAll();
            release();
          }
        } catch (error) {
          if (error instanceof BodyError) return;
          throw error;
        }
      }
      if (body instanceof Buffer) {
        if (countFormFields(body, contentType, formFieldLimit) > formFieldLimit) {
          return plainPage(res, 413, translate("nl", "form.tooManyFields"), translate("en", "form.tooManyFields"));
        }
        if (!isValidFormEncoding(body, contentType)) {
          return plainPage(res, 400, translate("nl", "error.badEncoding"), translate("en", "error.badEncoding"));
        }
      }
    }
    const request = toWebRequest(req, url, controller, body);
    const nonce = freshNonce();
    const faults = { storage: false };
    // The handler is looked up only when a page is made: a kept page needs none.
    const render = (asked = request) => handlerFor(url.pathname)(asked, { clientAddress: clientAddress(req), nonce, method: req.method, dataRequest: url.pathname.endsWith(".data"), faults });
    const cacheKey = pageCacheKey(req, url);
    let response = cacheKey ? cachedPage(cacheKey, nonce, acceptsGzip(req), request.headers.get("if-none-match")) : undefined;
    if (!response) {
      // A page to make: in turn, so that a burst cannot run the process out of memory.
      rendering = await renders.enter();
      if (!rendering) return refuse(req, res, 503, "request.busy", retrySoon);
      // The client may have gone away while it waited.
      if (res.closed || req.socket.destroyed) return;
      response = cacheKey
        ? // Kept uncompressed (a route may compress its own answer); compressed when it is sent.
          await renderAndKeep(cacheKey, nonce, () => render(withoutHeader(request, "accept-encoding")))
        : await render();
    }
    // A write failed on the disk or the database file (full, read-only, damaged): say so, with a
    // 503 that asks to come back, instead of the page for a fault of ours. Nothing was saved.
    if (faults.storage && !url.pathname.endsWith(".data")) {
      await response.body?.cancel().catch(() => {});
      return refuse(req, res, 503, "error.storage", { headers: { "Retry-After": "300" } });
    }
    if (response.status === 404) logLine(req, 404, "not found");
    await sendWebResponse(req, res, response, securityHeaders(nonce, url.protocol === "https:", url.pathname));
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // The disk or the database file refused a write: a 503 that asks to come back, as for a page's.
    const failure = error instanceof TemporaryFileFailure ? error.failure : error;
    logFault(failure);
    if (error instanceof TemporaryFileFailure || isStorageFault(failure)) return refuse(req, res, 503, "error.storage", { headers: { "Retry-After": "300" } });
    plainPage(res, 500, "Er ging iets mis aan onze kant.", "Something went wrong on our side.");
  } finally {
    if (rendering) renders.leave();
  }
}

const server = http.createServer(
  {
    // Node closes a connection whose headers take longer, or whose whole request (headers and
    // body) takes longer than the longest body may (checked every second, not every 30).
    headersTimeout: config.HEADERS_TIMEOUT_MS,
    requestTimeout: config.HEADERS_TIMEOUT_MS + Math.max(config.FORM_TIMEOUT_MS, config.UPLOAD_TIMEOUT_MS),
    connectionsCheckingInterval: 1000,
  },
  handle,
);
server.on("checkContinue", handle);
// An idle keep-alive connection is closed after 5 s; a proxy keeps its connections to us open
// longer (and must be the one to close them, or a request may meet a closing connection).
server.keepAliveTimeout = config.TRUST_PROXY ? 65_000 : 5_000;
// A connection where nothing moves at all (a client that does not read its answer) goes too.
server.timeout = config.IDLE_TIMEOUT_MS;
// Past MAX_CONNECTIONS a new connection takes the place of the one that has been idle longest
// (no request yet, or none since its last answer: slow headers, a keep-alive nobody uses), so
// that thousands of slow connections from many addresses cannot shut everyone else out; when
// every connection is busy with a request, the new one is reset at once. Node itself refuses
// any past a small margin above that.
server.maxConnections = config.MAX_CONNECTIONS + 256;

/** Connections without a request in progress, longest idle first (a Map keeps insertion order). */
const idleSince = new Map<Socket, number>();
const shedAfterMs = 1000;

/** Marks a connection busy while `res` is answered, and idle again after. */
function busyUntilAnswered(socket: Socket, res: http.ServerResponse) {
  idleSince.delete(socket);
  res.once("close", () => {
    if (!socket.destroyed) idleSince.set(socket, Date.now());
  });
}

// Connections per address: beyond the limit a new one is reset at once, before a byte is read.
// Behind a proxy every connection comes from the proxy, so only the total counts there (the
// proxy limits per client; bodies are still counted per client address, by X-Forwarded-For).
const connectionsPerAddress = config.TRUST_PROXY ? Number.POSITIVE_INFINITY : config.MAX_CONNECTIONS_PER_ADDRESS;
const connections = new PerAddress(connectionsPerAddress, Number.POSITIVE_INFINITY);
let refusedConnections = 0;
let shedConnections = 0;
server.on("drop", () => refusedConnections++);
server.on("connection", (socket: Socket) => {
  const key = config.TRUST_PROXY ? "proxy" : addressKey(socket.remoteAddress ?? "unknown");
  if (connections.of(key) >= connectionsPerAddress) {
    refusedConnections++;
    socket.resetAndDestroy();
    return;
  }
  if (connections.total >= config.MAX_CONNECTIONS) {
    const [oldest, since] = idleSince.entries().next().value ?? [];
    if (!oldest || Date.now() - since! < shedAfterMs) {
      refusedConnections++;
      socket.resetAndDestroy();
      return;
    }
    idleSince.delete(oldest);
    oldest.destroy();
    shedConnections++;
  }
  connections.take(key);
  idleSince.set(socket, Date.now());
  socket.once("close", () => {
    connections.give(key);
    idleSince.delete(socket);
  });
});

/** With STATS_INTERVAL_MS: a "[stats]" line now and then, for benchmarks and for finding a slow moment. */
function logStats(everyMs: number) {
  const resolution = 10;
  const delay = monitorEventLoopDelay({ resolution });
  delay.enable();
  // The histogram counts the timer's own interval: what is over it is the delay.
  const ms = (ns: number) => Math.max(0, ns / 1e6 - resolution).toFixed(1);
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  setInterval(() => {
    const memory = process.memoryUsage();
    // Timers the process holds: a made page must not leave one behind (app/entry.server.tsx).
    const timers = process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    console.log(
      `[stats] loopMax=${ms(delay.max)} loopP99=${ms(delay.percentile(99))} loopMean=${ms(delay.mean)} rss=${mb(memory.rss)} heap=${mb(memory.heapUsed)} ` +
        `buffers=${mb(memory.arrayBuffers)} connections=${connections.total} refusedConnections=${refusedConnections} shedConnections=${shedConnections} bodies=${bodies.total} waiting=${bodies.queued} renders=${renders.inProgress} renderQueue=${renders.queued} timers=${timers}`,
    );
    delay.reset();
  }, everyMs).unref();
}

// The port first: a second start on a port already in use stops here, before it touches the
// database or the pictures of the server that runs. Then, before the first request is read (all
// of it synchronous, inside the listening callback), the database file is checked, opened and
// migrated, and what a stopped upload left behind is tidied up.
let stopScheduler = () => {};
// `node build/index.js --prepare` (npm install, after the build) starts no server: it prepares what
// the next start would compute first, and ends. It never fails an install (ADR 059).
if (process.argv.includes("--prepare")) {
  try {
    console.log(`[prepare] ${prepareVoicesForNextStart(config.databasePath)}`);
  } catch (error) {
    console.log(`[prepare] Nothing prepared (${(error as Error).message}): the start replays the voices itself.`);
  }
  process.exit(0);
}
// On a large network after an upgrade, the start reads every meeting on a worker: it loads now,
// while the server begins to listen and opens the database (ADR 063), and is let go if not needed.
if (mayReadMeetingsEarly(config.databasePath)) standByMeetingReader();
server.once("error", (error: NodeJS.ErrnoException) => {
  console.error(error.code === "EADDRINUSE" ? `[start] Port ${config.PORT} is already in use: is Meedoen already running? Nothing was changed.` : `[start] ${error.message}`);
  process.exit(1);
});
// A deep queue of connections waiting to be accepted: a burst is answered (503 past the render
// limits), not reset by the system before the server sees it. The system may cap it lower.
server.listen({ port: config.PORT, host: config.HOST, backlog: 4096 }, () => {
  // The moment the voices are replayed for at the start (pages read them again as time passes).
  const startedAt = Date.now();
  let database: "existing" | "new";
  try {
    database = checkDatabaseFile(config.databasePath, config.imagesDir);
    // On a large network that needs every meeting replayed, a worker reads them while the file is checked.
    if (database === "existing") readMeetingsEarly(startedAt);
    else releaseStandingReader();
    checkOpenDatabase(db().$client);
  } catch (error) {
    const message = error instanceof StartRefused ? error.message : `The database ${config.databasePath} cannot be opened (${(error as Error).message}): restore the last backup.`;
    console.error(`[start] ${message}`);
    process.exit(1);
  }
  // A database made by this start has written no picture: whatever lies in the folder is not its to remove.
  if (database === "existing") sweepImages();
  sweepTemporaryUploads(10 * 60_000);
  setInterval(() => sweepTemporaryUploads(), 60 * 60_000).unref();
  // The voices most pages read are replayed now, before the server says it is ready, rather than
  // by the first request.
  const replayStarted = performance.now();
  voiceSnapshot(startedAt);
  const replayedFrom = replayCounts.restored ? "from the stored state" : replayCounts.readOnWorker ? "every meeting, read on a worker" : "every meeting";
  console.log(`[start] voices replayed in ${Math.round(performance.now() - replayStarted)} ms (${replayedFrom})`);
  // The network's connections are counted on a worker; pages that show a part of them do without
  // until that first count is in.
  warmNetworkOverview();
  stopScheduler = startScheduler();
  if (config.STATS_INTERVAL_MS) logStats(config.STATS_INTERVAL_MS);
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  console.log(`Meedoen is running on http://localhost:${port} (database: ${config.databasePath})`);
});

function shutdown() {
  stopScheduler();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
