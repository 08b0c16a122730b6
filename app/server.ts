// The HTTP server: plain node:http in front of the Remix request handler. It serves the static
// files, refuses cross-site, oversized and badly encoded requests before any app code runs, sets
// the security headers and hands loaders the client's address (for rate limits) and the CSP nonce.
// Bundled with the app into build/index.js by the Remix compiler (remix.config.js `server`).
import { randomBytes } from "node:crypto";
import { createReadStream, readdirSync, readFileSync, statSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { createRequestHandler } from "@remix-run/node";
import * as build from "@remix-run/dev/server-build";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { translate, type MessageKey } from "~/lib/i18n";
import { imageNamePattern } from "~/lib/images";
import { cachedPage, pageCacheKey, renderAndKeep } from "~/lib/page-cache.server";
import { rememberRouteMatches } from "~/lib/route-matching.server";
import { startScheduler } from "~/lib/scheduler.server";
import { isSameOrigin, securityHeaders } from "~/lib/security.server";
import { acceptsUpload, uploadBodyBytes } from "~/lib/uploads.server";
import { sweepImages } from "~/models/images.server";

const config = env();
rememberRouteMatches();
const handleRequest = createRequestHandler(build, config.NODE_ENV === "production" ? "production" : "development");
const publicDir = path.resolve("public");
// Forms carry text; the few that carry a picture may send more (app/lib/uploads.server.ts).
const bodyLimit = (pathname: string) => (acceptsUpload(pathname) ? uploadBodyBytes : 1024 * 1024);

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
const compressible = /^(text\/|application\/(json|javascript|xml|atom\+xml|manifest\+json)|image\/svg)/;

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

function requestOrigin(req: http.IncomingMessage): string {
  const proto = config.TRUST_PROXY
    ? String(req.headers["x-forwarded-proto"] ?? "http").split(",")[0].trim()
    : "encrypted" in req.socket && req.socket.encrypted ? "https" : "http";
  const host = (config.TRUST_PROXY && req.headers["x-forwarded-host"]) || req.headers.host || `localhost:${config.PORT}`;
  return `${proto === "https" ? "https" : "http"}://${host}`;
}

function acceptsGzip(req: http.IncomingMessage) {
  return /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
}

function plainHtml(status: number, nl: string, en: string) {
  return `<!doctype html><html lang="nl"><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${status}</title><main><h1>${nl}</h1><p lang="en">${en}</p><p><a href="/">Meedoen</a></p></main></html>`;
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
  if (!isBuild && !topLevelFiles.has(pathname)) return false;
  const file = path.join(publicDir, pathname);
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

class BodyTooLargeError extends Error {}

/**
 * Reads the request body, refusing it (BodyTooLargeError) as soon as more than `limit` bytes
 * have come in: forms are small, and a chunked body has no Content-Length to check up front.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        req.off("data", onData);
        req.pause();
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
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

function toWebRequest(req: http.IncomingMessage, url: URL, controller: AbortController, body: Buffer | undefined): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(key, v);
  }
  return new Request(url, {
    method: req.method,
    headers,
    body: body ? new Uint8Array(body) : undefined,
    signal: controller.signal,
  });
}

function withoutHeader(request: Request, name: string): Request {
  if (!request.headers.has(name)) return request;
  const headers = new Headers(request.headers);
  headers.delete(name);
  return new Request(request, { headers });
}

const lingerMs = 1000;

/**
 * A refusal that does not wait for the rest of the body: the whole answer goes out at once, then
 * the connection is closed. What the client is still sending is read and dropped for a moment
 * first: closing on unread data resets the connection, and the client could lose the answer.
 */
function refuseAndClose(req: http.IncomingMessage, res: http.ServerResponse, status: number, nl: string, en: string) {
  const body = plainHtml(status, nl, en);
  res.shouldKeepAlive = false;
  res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", "Content-Length": Buffer.byteLength(body), Connection: "close" });
  res.write(body);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    res.end();
  };
  const timer = setTimeout(close, lingerMs);
  req.on("data", () => {});
  req.once("end", close);
  req.once("error", close);
  req.resume();
}

function refuseTooLarge(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
  const key: MessageKey = acceptsUpload(pathname) ? "image.bodyTooLarge" : "form.tooLarge";
  refuseAndClose(req, res, 413, translate("nl", key), translate("en", key));
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
  res.writeHead(response.status, headers);
  if (!response.body || req.method === "HEAD") {
    res.end();
    return;
  }
  const body = Readable.fromWeb(response.body as import("node:stream/web").ReadableStream);
  if (gzip) await pipeline(body, zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH }), res);
  else await pipeline(body, res);
}

const server = http.createServer(async (req, res) => {
  const controller = new AbortController();
  res.on("close", () => controller.abort());
  try {
    const origin = requestOrigin(req);
    let url: URL;
    try {
      url = new URL(req.url ?? "/", origin);
    } catch {
      return plainPage(res, 400, "Dit adres klopt niet.", "This address is not valid.");
    }
    if (await serveStatic(req, res, url.pathname)) return;
    if (await serveImage(req, res, url.pathname)) return;
    // Route segments cannot end in ".ics" after a parameter: map the public calendar addresses
    // /sessions/12.ics and /initiatives/3.ics onto their routes.
    const calendar = /^\/(sessions|initiatives)\/(\d+)\.ics$/.exec(url.pathname);
    if (calendar) url.pathname = `/${calendar[1]}/${calendar[2]}/calendar.ics`;

    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    if (hasBody && Number(req.headers["content-length"] ?? 0) > bodyLimit(url.pathname)) return refuseTooLarge(req, res, url.pathname);
    if (hasBody && !isSameOrigin(req.headers.origin, url)) {
      return refuseAndClose(
        req,
        res,
        403,
        "Dit verzoek kwam niet van deze website en is geweigerd.",
        "This request did not come from this website and was refused.",
      );
    }
    let body: Buffer | undefined;
    if (hasBody) {
      try {
        body = await readBody(req, bodyLimit(url.pathname));
      } catch (error) {
        if (error instanceof BodyTooLargeError) return refuseTooLarge(req, res, url.pathname);
        // The client went away in the middle of sending: there is no one to answer.
        res.destroy();
        return;
      }
      // A picture is binary: an upload form's text fields are checked as they are read instead.
      const contentType = String(req.headers["content-type"] ?? "");
      const upload = acceptsUpload(url.pathname) && /^multipart\/form-data/i.test(contentType);
      if (!upload && !isValidFormEncoding(body, contentType)) {
        return plainPage(res, 400, translate("nl", "error.badEncoding"), translate("en", "error.badEncoding"));
      }
    }
    const request = toWebRequest(req, url, controller, body);
    const nonce = randomBytes(16).toString("base64");
    const render = (asked = request) => handleRequest(asked, { clientAddress: clientAddress(req), nonce, method: req.method });
    const cacheKey = pageCacheKey(req, url);
    const response = cacheKey
      ? (cachedPage(cacheKey, nonce, acceptsGzip(req), request.headers.get("if-none-match")) ??
        // Kept uncompressed (a route may compress its own answer); compressed when it is sent.
        (await renderAndKeep(cacheKey, nonce, () => render(withoutHeader(request, "accept-encoding")))))
      : await render();
    await sendWebResponse(req, res, response, securityHeaders(nonce, url.protocol === "https:"));
  } catch (error) {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    console.error(error);
    plainPage(res, 500, "Er ging iets mis aan onze kant.", "Something went wrong on our side.");
  }
});

// Open the database (and apply migrations) before accepting the first request, and tidy up
// after an upload that was cut off by a stop.
db();
sweepImages();
const stopScheduler = startScheduler();
server.keepAliveTimeout = 65_000;
server.listen(config.PORT, config.HOST, () => {
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
