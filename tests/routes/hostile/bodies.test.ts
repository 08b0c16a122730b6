// Hostile input, request bodies (issue 12 §2): bodies are bounded before they are read. Through
// the real server, with raw sockets from several loopback addresses (127.0.0.x are distinct
// addresses to the server): per-route size limits, at most 200 fields, no picture without a login
// session, pictures streamed to a temporary file that is gone afterwards, stalled and trickling
// bodies cut off, and caps on bodies being received per address and in total. Then the attack
// from the issue: 300 stalled uploads leave RSS under 250 MB, /healthz answering, and nothing on
// disk once they end; and picture forms whose bodies never come take no place from pages or
// /healthz. Timing figures are in `tests/bench/hostile.ts`; here only the issue's bounds.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate, type MessageKey } from "~/lib/i18n";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import * as pictures from "../../support/pictures";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
/** The same server with short body timeouts, so that waiting for them takes seconds. */
let quick: RunningServer;
/** A body waits 1.5 s for its turn here (as long as a body may pause), and may take 20 s. */
let queue: RunningServer;
let members: { id: string; cookie: string }[];
let quickMember: { id: string; cookie: string };

beforeAll(async () => {
  [server, quick, queue] = await Promise.all([
    startServer(),
    startServer({ BODY_IDLE_TIMEOUT_MS: "1500", FORM_TIMEOUT_MS: "3000", UPLOAD_TIMEOUT_MS: "4000" }),
    startServer({ BODY_IDLE_TIMEOUT_MS: "1500" }),
  ]);
  const sqlite = openServerDatabase(server.databasePath);
  members = insertMembers(sqlite, 30, "body");
  sqlite.close();
  const other = openServerDatabase(quick.databasePath);
  [quickMember] = insertMembers(other, 1, "quick");
  other.close();
});

afterAll(async () => {
  await Promise.all([server?.stop(), quick?.stop(), queue?.stop()]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (key: MessageKey) => [translate("nl", key), translate("en", key)].map((t) => t.replaceAll("'", "&#x27;"));

// Raw requests.

type Raw = {
  socket: net.Socket;
  /** The status line's code, once it came (0 when the connection closed without one). */
  status: Promise<number>;
  /** Milliseconds from opening until the server closed the connection. */
  closed: Promise<number>;
  /** What came back so far. */
  answer: () => string;
};

/** Opens a connection from `from` and writes `head` (and `body`); `then` may write more. */
function raw(target: RunningServer, from: string, head: string, body?: Buffer | string, then?: (socket: net.Socket) => void): Raw {
  const socket = net.connect({ host: "127.0.0.1", port: Number(new URL(target.url).port), localAddress: from });
  const started = Date.now();
  let received = "";
  let gotStatus: (n: number) => void;
  const status = new Promise<number>((resolve) => (gotStatus = resolve));
  const closed = new Promise<number>((resolve) =>
    socket.on("close", () => {
      gotStatus(0);
      resolve(Date.now() - started);
    }),
  );
  socket.on("error", () => {});
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString("latin1");
    const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
    if (m) gotStatus(Number(m[1]));
  });
  socket.on("connect", () => {
    socket.write(head);
    if (body !== undefined) socket.write(body);
    then?.(socket);
  });
  return { socket, status, closed, answer: () => Buffer.from(received, "latin1").toString("utf8") };
}

const head = (target: RunningServer, pathname: string, headers: Record<string, string | number>) =>
  `POST ${pathname} HTTP/1.1\r\nHost: ${new URL(target.url).host}\r\nOrigin: ${target.url}\r\n` +
  Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("") +
  "\r\n";
const formHead = (target: RunningServer, pathname: string, length: number, extra: Record<string, string> = {}) =>
  head(target, pathname, { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": length, ...extra });

const boundary = "----hostileboundary";
const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const filePart = (name: string, filename: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`;
const uploadHead = (target: RunningServer, cookie: string | null, extra: Record<string, string | number>) =>
  head(target, "/settings/profile", { "Content-Type": `multipart/form-data; boundary=${boundary}`, ...(cookie ? { Cookie: cookie } : {}), ...extra });

/** Writes one byte every `everyMs` until the connection closes. */
function trickle(request: Raw, everyMs: number) {
  const timer = setInterval(() => (request.socket.destroyed ? clearInterval(timer) : request.socket.write("a")), everyMs);
  request.socket.once("close", () => clearInterval(timer));
}

/** A whole request over a connection of its own from `from`; the status and the page. */
function post(target: RunningServer, from: string, pathname: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(pathname, target.url), {
      method: "POST",
      localAddress: from,
      agent: false,
      headers: { Origin: target.url, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), ...headers },
    });
    req.on("response", (res) => {
      let page = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (page += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: page, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const temporaryUploads = (target: RunningServer) => {
  const dir = path.join(target.dataDir, "tmp");
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".upload")) : [];
};
const rssMb = (target: RunningServer) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${target.process.pid}/status`, "utf8"))![1]) / 1024;

/**
 * `count` requests for /healthz one after the other, from a thread of their own: the attacking
 * sockets keep this test's own thread busy, and would make the server look slower than it is.
 */
function healthzFromElsewhere(target: RunningServer, count: number): Promise<{ status: number; ms: number }[]> {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const http = require("node:http");
    const once = () => new Promise((resolve) => {
      const started = performance.now();
      const req = http.get(workerData.url, { agent: false, timeout: 30000 }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode, ms: performance.now() - started }));
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => resolve({ status: 0, ms: performance.now() - started }));
    });
    (async () => {
      const answers = [];
      for (let i = 0; i < workerData.count; i++) {
        answers.push(await once());
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      parentPort.postMessage(answers);
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { url: `${target.url}/healthz`, count } });
  return new Promise((resolve, reject) => {
    worker.once("message", (answers) => {
      void worker.terminate();
      resolve(answers);
    });
    worker.once("error", reject);
  });
}

async function healthz(target: RunningServer): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${target.url}/healthz`);
  await res.text();
  return { status: res.status, ms: performance.now() - started };
}

// The tests.

describe("size limits per route", () => {
  it("refuse a body over the route's limit with 413 before reading it: 16 KB for the language switch, 64 KB for other text forms", async () => {
    const language = await post(server, "127.0.0.2", "/language", `locale=en&redirectTo=/&x=${"a".repeat(17 * 1024)}`);
    expect(language.status).toBe(413);
    for (const t of text("form.tooLarge")) expect(language.body).toContain(t);
    expect(language.headers.connection).toBe("close");

    // A proposal of 60 KB is read (and sends a visitor to the login page); 70 KB is not.
    const fits = await post(server, "127.0.0.2", "/proposals/new", `title=x&body=${"b".repeat(60 * 1024)}`);
    expect(fits.status).not.toBe(413);
    expect(fits.status).toBeLessThan(500);
    expect((await post(server, "127.0.0.2", "/proposals/new", `title=x&body=${"b".repeat(70 * 1024)}`)).status).toBe(413);
  });

  it("refuse a chunked body without Content-Length as soon as it passes the limit, and close the connection", async () => {
    const chunk = Buffer.alloc(8 * 1024, "a");
    // 24 KB in chunks, then nothing: the answer must come without the rest.
    const request = raw(server, "127.0.0.2", formHead(server, "/language", 0).replace("Content-Length: 0", "Transfer-Encoding: chunked"), undefined, (socket) => {
      for (let i = 0; i < 3; i++) socket.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]));
    });
    expect(await request.status).toBe(413);
    expect(await request.closed).toBeLessThan(5_000);
  });

  it("refuse a megabyte of 333,000 fields at once (the issue's attack on /language)", async () => {
    const body = "a=&".repeat(333_334).slice(0, -1);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(server, "127.0.0.3", "/language", body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(413));
    expect((await healthz(server)).status).toBe(200);
  });
});

describe("at most 200 fields", () => {
  const fields = (n: number) => ["locale=en", "redirectTo=%2F", ...Array.from({ length: n - 2 }, (_, i) => `x${i}=1`)].join("&");

  it("a url-encoded form with 201 fields is refused with 413 and a translated page; 200 fields go through", async () => {
    expect((await post(server, "127.0.0.4", "/language", fields(200))).status).toBe(303);
    const refused = await post(server, "127.0.0.4", "/language", fields(201));
    expect(refused.status).toBe(413);
    expect(refused.body).toContain('<html lang="nl"');
    for (const t of text("form.tooManyFields")) expect(refused.body).toContain(t);
  });

  it("so is a multipart form with 201 parts, also to a picture form, where the parts are counted as they stream in", async () => {
    const parts = (n: number) => Array.from({ length: n }, (_, i) => part(i ? `x${i}` : "locale", i ? "1" : "en")).join("") + `--${boundary}--\r\n`;
    const proposal = await post(server, "127.0.0.4", "/proposals/new", parts(201), { "Content-Type": `multipart/form-data; boundary=${boundary}` });
    expect(proposal.status).toBe(413);
    for (const t of text("form.tooManyFields")) expect(proposal.body).toContain(t);

    const body = part("intent", "now") + Array.from({ length: 200 }, (_, i) => part(`x${i}`, "1")).join("") + `--${boundary}--\r\n`;
    const profile = await post(server, "127.0.0.4", "/settings/profile", body, { "Content-Type": `multipart/form-data; boundary=${boundary}`, Cookie: members[0].cookie });
    expect(profile.status).toBe(413);
    expect(profile.body).toContain(translate("nl", "form.tooManyFields"));
  });
});

describe("pictures", () => {
  it("an upload without a login session is refused with 401 before its body is read, and the connection closed", async () => {
    for (const cookie of [null, "meedoen_session=not-a-session", `meedoen_session=${"x".repeat(40)}`]) {
      const request = raw(server, "127.0.0.5", uploadHead(server, cookie, { "Content-Length": 5_700_000 }), Buffer.alloc(1024 * 1024, "x"));
      expect(await request.status).toBe(401);
      expect(await request.closed).toBeLessThan(5_000);
      for (const t of text("request.loginFirst")) expect(request.answer()).toContain(t);
      expect(request.answer()).toContain('href="/login?redirectTo=%2Fsettings%2Fprofile"');
    }
    expect(temporaryUploads(server)).toEqual([]);
  });

  it("a picture that cannot be written to the temporary folder is a 503 that asks to come back; nothing is changed and the server goes on", async () => {
    const upload = async (cookie: string) => {
      const form = new FormData();
      form.append("intent", "avatar");
      form.append("avatar", new File([new Uint8Array(await pictures.png(120, 80))], "foto.png", { type: "image/png" }));
      const res = await fetch(`${server.url}/settings/profile`, { method: "POST", body: form, redirect: "manual", headers: { Origin: server.url, Cookie: cookie } });
      return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.text() };
    };
    const avatar = () => {
      const sqlite = openServerDatabase(server.databasePath);
      const row = sqlite.prepare("SELECT avatar_image AS image FROM members WHERE id = ?").get(members[2].id) as { image: string | null };
      sqlite.close();
      return row.image;
    };
    // The temporary folder's place is taken by a file: the body cannot be written anywhere.
    const dir = path.join(server.dataDir, "tmp");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(server.dataDir, { recursive: true });
    writeFileSync(dir, "not a folder");
    try {
      const refused = await upload(members[2].cookie);
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBe("300");
      for (const t of text("error.storage")) expect(refused.body.replaceAll("&#x27;", "'"), refused.body).toContain(t.replaceAll("&#x27;", "'"));
      expect(refused.body).not.toMatch(/at .*\.js:\d+/);
      expect(avatar()).toBeNull();
      expect((await healthz(server)).status).toBe(200);
    } finally {
      rmSync(dir, { force: true });
    }
    expect((await upload(members[2].cookie)).status).toBe(303);
    expect(avatar()).toMatch(/^[0-9a-f]{64}$/);
    expect(temporaryUploads(server)).toEqual([]);
  });

  it("a member's picture is streamed to a temporary file, taken, and the file is gone afterwards", async () => {
    const form = new FormData();
    form.append("intent", "avatar");
    form.append("avatar", new File([new Uint8Array(await pictures.png(300, 200))], "foto.png", { type: "image/png" }));
    const res = await fetch(`${server.url}/settings/profile`, { method: "POST", body: form, redirect: "manual", headers: { Origin: server.url, Cookie: members[1].cookie } });
    expect(res.status, (await res.text()).slice(0, 300)).toBe(303);
    const sqlite = openServerDatabase(server.databasePath);
    expect((sqlite.prepare("SELECT avatar_image AS image FROM members WHERE id = ?").get(members[1].id) as { image: string | null }).image).toMatch(/^[0-9a-f]{64}$/);
    sqlite.close();
    expect(temporaryUploads(server)).toEqual([]);
  });

  it("a member's upload past 5.5 MB is refused with 413 once the limit passes, with or without Content-Length, leaving no file", async () => {
    const preamble = part("intent", "avatar") + filePart("avatar", "groot.png");
    for (const chunked of [false, true]) {
      const piece = Buffer.alloc(256 * 1024, "x");
      const frame = (data: Buffer | string) => (chunked ? Buffer.concat([Buffer.from(`${Buffer.byteLength(data).toString(16)}\r\n`), Buffer.from(data), Buffer.from("\r\n")]) : Buffer.from(data));
      const request = raw(server, "127.0.0.5", uploadHead(server, members[2].cookie, chunked ? { "Transfer-Encoding": "chunked" } : { "Content-Length": 6_000_000 }), undefined, (socket) => {
        socket.write(frame(preamble));
        let sent = 0;
        const next = () => {
          while (sent < 6_000_000 && !socket.destroyed) {
            sent += piece.length;
            if (!socket.write(frame(piece))) return void socket.once("drain", next);
          }
        };
        next();
      });
      expect(await request.status).toBe(413);
      for (const t of text("image.bodyTooLarge")) expect(request.answer()).toContain(t);
      await request.closed;
    }
    await sleep(200);
    expect(temporaryUploads(server)).toEqual([]);
  });
});

describe.concurrent("time limits", () => {
  it("a body that stops coming is answered with 408 after a few seconds (5 by default) and the connection closed", async () => {
    const request = raw(server, "127.0.0.6", formHead(server, "/language", 1000), "locale=en&");
    expect(await request.status).toBe(408);
    for (const t of text("request.timeout")) expect(request.answer()).toContain(t);
    const closed = await request.closed;
    expect(closed).toBeGreaterThan(4_000);
    expect(closed).toBeLessThan(12_000);
  });

  it("a body that trickles in is cut off at the form's time limit (3 s on this server), however steadily it comes", async () => {
    const request = raw(quick, "127.0.0.6", formHead(quick, "/language", 8000), "locale=en&x=");
    trickle(request, 500);
    expect(await request.status).toBe(408);
    const closed = await request.closed;
    expect(closed).toBeGreaterThan(2_500);
    expect(closed).toBeLessThan(10_000);
  });

  it("so is a picture that trickles in (4 s on this server), and its temporary file is removed", async () => {
    const request = raw(quick, "127.0.0.6", uploadHead(quick, quickMember.cookie, { "Content-Length": 100_000 }), part("intent", "avatar") + filePart("avatar", "langzaam.png") + "x".repeat(20_000));
    trickle(request, 300);
    expect(await request.status).toBe(408);
    await request.closed;
    await sleep(300);
    expect(temporaryUploads(quick)).toEqual([]);
  });
});

describe("bodies being received at once", () => {
  /** `n` bodies from `from` that keep trickling in (a byte every 0.4 s), never finishing. */
  const holding = (from: string, n: number) =>
    Array.from({ length: n }, () => {
      const request = raw(queue, from, formHead(queue, "/language", 8000), "locale=en&x=");
      trickle(request, 400);
      return request;
    });
  const settled = () => sleep(300);
  const language = (from: string) => post(queue, from, "/language", "locale=en&redirectTo=%2F");

  it("past 8 from one address a body waits its turn, goes through when a place frees up, and is refused with 429 when none does; other addresses are not held up", async () => {
    const held = holding("127.0.0.7", 8);
    await settled();
    // A ninth from the same address waits for a place; one of the eight goes away: it goes through.
    const waiting = language("127.0.0.7");
    await sleep(500);
    held.shift()!.socket.destroy();
    expect((await waiting).status).toBe(303);
    // Eight again; now none goes away: after waiting its turn (1.5 s here) the ninth is refused.
    held.push(...holding("127.0.0.7", 1));
    await settled();
    const [refused, other] = await Promise.all([language("127.0.0.7"), language("127.0.0.8")]);
    expect(refused.status).toBe(429);
    expect(refused.headers["retry-after"]).toBe("5");
    for (const t of text("request.tooManyAtOnce")) expect(refused.body).toContain(t);
    expect(other.status).toBe(303);
    for (const request of held) request.socket.destroy();
    await settled();
    expect((await language("127.0.0.7")).status).toBe(303);
  });

  it("past 64 in all, a body from anywhere waits, and is refused with 503 when no place frees up", async () => {
    const held = Array.from({ length: 8 }, (_, i) => holding(`127.0.0.${20 + i}`, 8)).flat();
    await settled();
    const refused = await language("127.0.0.30");
    expect(refused.status).toBe(503);
    for (const t of text("request.busy")) expect(refused.body).toContain(t);
    // Pages without a body are not held up.
    expect((await healthz(queue)).status).toBe(200);
    for (const request of held) request.socket.destroy();
    await settled();
    expect((await language("127.0.0.30")).status).toBe(303);
  });
});

describe("the issue's attack: 300 stalled uploads", () => {
  const declared = 5_700_000;
  const sent = 5_400_000;

  /** 300 uploads that send 5.4 MB of a 5.7 MB form and stall; `cookie(i)` for the i-th. */
  function stalledUploads(from: (i: number) => string, cookie: (i: number) => string | null) {
    const piece = Buffer.alloc(64 * 1024, "x");
    return Array.from({ length: 300 }, (_, i) => {
      const request = raw(server, from(i), uploadHead(server, cookie(i), { "Content-Length": declared }), part("intent", "avatar") + filePart("avatar", "a.png"));
      let written = 0;
      const next = () => {
        while (written < sent && !request.socket.destroyed) {
          written += piece.length;
          if (!request.socket.write(piece)) return void request.socket.once("drain", next);
        }
      };
      request.socket.once("connect", next);
      return request;
    });
  }

  /** Until the attack hangs: no byte has left any of its sockets for half a second. */
  async function stalled(requests: Raw[]) {
    const sent = () => requests.reduce((sum, r) => sum + r.socket.bytesWritten - r.socket.writableLength, 0);
    for (let last = -1, waited = 0; waited < 20_000 && sent() !== last; waited += 500) {
      last = sent();
      await sleep(500);
    }
  }

  async function whileTheyHang(requests: Raw[]) {
    const rssBefore = rssMb(server);
    let peak = rssBefore;
    const watch = setInterval(() => (peak = Math.max(peak, rssMb(server))), 100);
    await stalled(requests);
    const probes = await healthzFromElsewhere(server, 10);
    clearInterval(watch);
    peak = Math.max(peak, rssMb(server));
    for (const request of requests) request.socket.destroy();
    // What the server had read already is worked through; then the temporary files go.
    for (let waited = 0; waited < 20_000 && temporaryUploads(server).length; waited += 250) await sleep(250);
    await sleep(1_000);
    return { rssBefore, peak, probes, rssAfter: rssMb(server) };
  }

  it("anonymous, from one address: all refused before their bodies are read; RSS stays under 250 MB and /healthz answers", async () => {
    const requests = stalledUploads(() => "127.0.0.40", () => null);
    const figures = await whileTheyHang(requests);
    console.log(`[hostile] 300 anonymous stalled uploads: RSS ${figures.rssBefore.toFixed(0)} → ${figures.peak.toFixed(0)} → ${figures.rssAfter.toFixed(0)} MB; /healthz ${figures.probes.map((p) => p.ms.toFixed(0)).join(", ")} ms`);
    // Each is answered 401 at once; the connection goes a second later, unread data and all (a
    // client too busy sending to read its answer in that second may see only the reset).
    const statuses = await Promise.all(requests.map((r) => r.status));
    expect(statuses.filter((s) => s !== 401 && s !== 0)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThan(285);
    expect(figures.peak).toBeLessThan(250);
    expect(figures.probes.map((p) => p.status)).toEqual(Array(10).fill(200));
    expect(Math.min(...figures.probes.map((p) => p.ms))).toBeLessThan(100);
  });

  it("from 30 signed-in members on 30 addresses: streamed to disk, at most 64 at once; RSS stays under 250 MB, /healthz answers, and nothing is left once they end", async () => {
    const requests = stalledUploads((i) => `127.0.1.${1 + (i % 30)}`, (i) => members[i % 30].cookie);
    const figures = await whileTheyHang(requests);
    const statuses = await Promise.all(requests.map((r) => r.status));
    const tally = statuses.reduce<Record<number, number>>((n, s) => ({ ...n, [s]: (n[s] ?? 0) + 1 }), {});
    console.log(`[hostile] 300 signed-in stalled uploads: RSS ${figures.rssBefore.toFixed(0)} → ${figures.peak.toFixed(0)} → ${figures.rssAfter.toFixed(0)} MB; /healthz ${figures.probes.map((p) => p.ms.toFixed(0)).join(", ")} ms; answers ${JSON.stringify(tally)}`);
    expect(figures.peak).toBeLessThan(250);
    expect(figures.rssAfter).toBeLessThan(250);
    expect(figures.probes.map((p) => p.status)).toEqual(Array(10).fill(200));
    // Every one of them promptly, the first too: a stalled picture holds no place a page needs.
    expect(Math.max(...figures.probes.map((p) => p.ms))).toBeLessThan(1_000);
    // Those that did not get a place were told so (429 per address, 503 in all); the others hung
    // (0: closed by us) or were cut off when they stalled (408).
    for (const status of statuses) expect([0, 408, 429, 503]).toContain(status);
    expect(temporaryUploads(server)).toEqual([]);
    // And the server takes a real picture afterwards.
    const form = new FormData();
    form.append("intent", "avatar");
    form.append("avatar", new File([new Uint8Array(await pictures.png(64, 64))], "na.png", { type: "image/png" }));
    const res = await fetch(`${server.url}/settings/profile`, { method: "POST", body: form, redirect: "manual", headers: { Origin: server.url, Cookie: members[3].cookie } });
    expect(res.status).toBe(303);
  });
});

describe("bodies that do not come hold no place that pages need", () => {
  /** Pages made 2 at a time with 4 waiting: more stalled pictures than that are easily held. */
  let narrow: RunningServer;
  let sender: { id: string; cookie: string }[];
  let reader: { id: string; cookie: string };
  beforeAll(async () => {
    narrow = await startServer({ MAX_RENDERS: "2", MAX_RENDER_QUEUE: "4", STATS_INTERVAL_MS: "100" });
    const sqlite = openServerDatabase(narrow.databasePath);
    [reader, ...sender] = insertMembers(sqlite, 6, "stall");
    sqlite.close();
  });
  afterAll(async () => {
    await narrow?.stop();
  });

  /** The last "[stats]" line's counts of bodies being received (and waiting), pages being made (and waiting). */
  const places = () => {
    const line = narrow.output().split("\n").filter((l) => l.startsWith("[stats]")).pop() ?? "";
    const count = (name: string) => Number(new RegExp(` ${name}=(\\d+)`).exec(line)?.[1] ?? -1);
    return { bodies: count("bodies"), waiting: count("waiting"), renders: count("renders"), renderQueue: count("renderQueue") };
  };
  const timed = async (path: string, headers: Record<string, string> = {}) => {
    const started = performance.now();
    const res = await fetch(`${narrow.url}${path}`, { headers, redirect: "manual" });
    await res.text();
    return { path, status: res.status, ms: performance.now() - started };
  };

  it("40 signed-in picture forms that send their headers and never their body (or stop early): /healthz and a member's page answer 200 at once meanwhile; each stalled one is answered 408 and closed, and nothing is left", async () => {
    const stalledCount = 40;
    // Past what may be made (2) and wait to be made (4) together, within what may come in (64, 8 an address).
    expect(stalledCount).toBeGreaterThan(2 + 4);
    const stalled = Array.from({ length: stalledCount }, (_, i) =>
      raw(
        narrow,
        `127.0.2.${1 + (i % 5)}`,
        uploadHead(narrow, sender[i % 5].cookie, { "Content-Length": 5_000_000 }),
        // Half send nothing after their headers; half start the picture and stop.
        i % 2 ? part("intent", "avatar") + filePart("avatar", "nooit.png") + "x".repeat(64 * 1024) : undefined,
      ),
    );
    const opened = Date.now();
    // Until the server has taken every one of them in as a body being received.
    for (let waited = 0; waited < 3_000 && places().bodies !== stalledCount; waited += 50) await sleep(50);
    expect(places()).toMatchObject({ bodies: stalledCount, waiting: 0, renders: 0, renderQueue: 0 });

    const probes = [];
    for (let i = 0; i < 5; i++) {
      probes.push(await timed("/healthz"));
      // A member's page made anew (not a kept copy), so it needs a place to be made.
      probes.push(await timed("/", { Cookie: reader.cookie, "Cache-Control": "no-cache" }));
    }
    const probedFor = Date.now() - opened;
    console.log(`[hostile] with ${stalledCount} stalled picture forms on a server making 2 pages at a time: ${probes.map((p) => `${p.path} ${p.ms.toFixed(0)} ms`).join(", ")}`);
    expect(probes.map((p) => p.status)).toEqual(Array(10).fill(200));
    expect(Math.max(...probes.map((p) => p.ms))).toBeLessThan(1_000);
    // All of it while every stalled one was still waiting for its body: none has an answer yet.
    expect(probedFor).toBeLessThan(4_000);
    expect(stalled.filter((r) => /^HTTP/.test(r.answer()))).toEqual([]);

    // The server ends each one itself, after the longest pause a body may take (5 s).
    const statuses = await Promise.all(stalled.map((r) => r.status));
    const closed = await Promise.all(stalled.map((r) => r.closed));
    expect(statuses).toEqual(Array(stalledCount).fill(408));
    for (const t of text("request.timeout")) expect(stalled[0].answer()).toContain(t);
    expect(Math.min(...closed)).toBeGreaterThan(4_000);
    expect(Math.max(...closed)).toBeLessThan(12_000);

    // Nothing held, nothing left on disk, and a real picture goes through.
    await sleep(300);
    expect(places()).toMatchObject({ bodies: 0, waiting: 0, renders: 0, renderQueue: 0 });
    expect(temporaryUploads(narrow)).toEqual([]);
    const form = new FormData();
    form.append("intent", "avatar");
    form.append("avatar", new File([new Uint8Array(await pictures.png(64, 64))], "wel.png", { type: "image/png" }));
    const res = await fetch(`${narrow.url}/settings/profile`, { method: "POST", body: form, redirect: "manual", headers: { Origin: narrow.url, Cookie: sender[0].cookie } });
    expect(res.status, (await res.text()).slice(0, 300)).toBe(303);
    expect(temporaryUploads(narrow)).toEqual([]);
  });
});
