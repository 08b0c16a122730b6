// Hostile clients, connections and hosts (issue 12 §3 and §7): through the real server, with raw
// sockets from several loopback addresses (127.0.x.y are distinct addresses to the server).
// Thousands of slow connections are held without slowing anyone else down, cut off by the headers
// timeout, and can close all at once without the server going quiet; connections are capped per
// address (the ones past it are reset at once) and in total (a new one takes the place of the one
// idle longest, or is reset when all are busy); idle keep-alive connections close after 5 s. With PUBLIC_URL set, a request for another host gets 421 and a form's Origin must be
// PUBLIC_URL's. Timing figures are in `tests/bench/hostile.ts`; here only the bounds.
import http from "node:http";
import net from "node:net";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { translate } from "~/lib/i18n";
import { rawRequest } from "../../support/raw-http";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
/** Small caps, so that reaching them takes a few dozen sockets. */
let small: RunningServer;
/** As in production behind Caddy: PUBLIC_URL and TRUST_PROXY. */
let site: RunningServer;
const publicUrl = "http://meedoen.test";

beforeAll(async () => {
  [server, small, site] = await Promise.all([
    startServer(),
    startServer({ MAX_CONNECTIONS: "60", MAX_CONNECTIONS_PER_ADDRESS: "20" }),
    startServer({ PUBLIC_URL: publicUrl, TRUST_PROXY: "1" }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.stop(), small?.stop(), site?.stop()]);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const portOf = (target: RunningServer) => Number(new URL(target.url).port);

type Held = { socket: net.Socket; opened: number; closedAfter: number | null; reply: string };

/**
 * `count` connections spread over `addresses`, opened in batches; each starts a request and then
 * sends one more byte of a header every 2 s, never finishing it (a "slowloris").
 */
async function slowConnections(target: RunningServer, count: number, addresses: string[]): Promise<Held[]> {
  const held: Held[] = [];
  for (let first = 0; first < count; first += 200) {
    const batch = Array.from({ length: Math.min(200, count - first) }, (_, i) => {
      const socket = net.connect({ host: "127.0.0.1", port: portOf(target), localAddress: addresses[(first + i) % addresses.length] });
      const connection: Held = { socket, opened: Date.now(), closedAfter: null, reply: "" };
      held.push(connection);
      socket.on("error", () => {});
      socket.on("data", (chunk: Buffer) => (connection.reply += chunk.toString("latin1")));
      const timer = setInterval(() => socket.write("a"), 2_000);
      socket.on("close", () => {
        clearInterval(timer);
        connection.closedAfter = Date.now() - connection.opened;
      });
      return new Promise<void>((resolve) => {
        socket.once("connect", () => {
          socket.write(`GET / HTTP/1.1\r\nHost: ${new URL(target.url).host}\r\nX-Slow: `);
          resolve();
        });
        socket.once("close", () => resolve());
      });
    });
    await Promise.all(batch);
  }
  return held;
}

const addresses = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}.${i + 1}`);
const open = (held: Held[]) => held.filter((h) => h.closedAfter === null).length;

/**
 * `count` ordinary requests for `path`, one after the other, each on a connection of its own, from
 * a thread of its own (the test's own thread is busy with the held sockets).
 */
function visitor(target: RunningServer, path: string, count: number): Promise<{ status: number; ms: number }[]> {
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
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      parentPort.postMessage(answers);
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { url: target.url + path, count } });
  return new Promise((resolve, reject) => {
    worker.once("message", (answers) => {
      void worker.terminate();
      resolve(answers);
    });
    worker.once("error", reject);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe("2,000 slow connections", () => {
  it("are held, and ordinary requests are still answered in under 200 ms; the headers timeout (10 s) cuts them off with 408", async () => {
    const held = await slowConnections(server, 2_000, addresses("127.0.2", 20));
    await sleep(300);
    expect(open(held)).toBe(2_000);
    const [health, page] = await Promise.all([visitor(server, "/healthz", 20), visitor(server, "/how-it-works", 5)]);
    console.log(`[hostile] with 2,000 slow connections: /healthz ${health.map((a) => a.ms.toFixed(0)).join(", ")} ms; /how-it-works ${page.map((a) => a.ms.toFixed(0)).join(", ")} ms`);
    expect([...health, ...page].map((a) => a.status)).toEqual(Array(25).fill(200));
    expect(median(health.map((a) => a.ms))).toBeLessThan(200);
    expect(median(page.map((a) => a.ms))).toBeLessThan(200);

    // The server closes them itself once their headers took 10 s, saying why.
    for (let waited = 0; waited < 20_000 && open(held) > 0; waited += 250) await sleep(250);
    expect(open(held)).toBe(0);
    const after = held.map((h) => h.closedAfter!).sort((a, b) => a - b);
    expect(after[0]).toBeGreaterThan(9_000);
    expect(held.filter((h) => !h.reply.startsWith("HTTP/1.1 408 ")).length).toBe(0);
  });

  it("can all close at once without the server going quiet", async () => {
    const held = await slowConnections(server, 2_000, addresses("127.0.3", 20));
    await sleep(300);
    expect(open(held)).toBe(2_000);
    for (const h of held) h.socket.destroy();
    const answers = await visitor(server, "/healthz", 10);
    console.log(`[hostile] right after 2,000 connections closed: /healthz ${answers.map((a) => a.ms.toFixed(0)).join(", ")} ms`);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(median(answers.map((a) => a.ms))).toBeLessThan(200);
  });
});

describe("caps on connections", () => {
  it("from one address, connections past 1,024 are reset at once; another address is not affected", async () => {
    const held = await slowConnections(server, 1_100, ["127.0.4.1"]);
    await sleep(500);
    expect(open(held)).toBe(1_024);
    for (const h of held.filter((h) => h.closedAfter !== null)) {
      // Reset before a byte was read: no answer at all.
      expect(h.reply).toBe("");
      expect(h.closedAfter).toBeLessThan(5_000);
    }
    const answers = await visitor(server, "/healthz", 3);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const h of held) h.socket.destroy();
  });

  it("past MAX_CONNECTIONS in all, a new connection takes the place of the one idle longest, so visitors still get in", async () => {
    const held = await slowConnections(small, 60, addresses("127.0.5", 3));
    await sleep(1_200);
    expect(open(held)).toBe(60);
    const extra = await slowConnections(small, 5, ["127.0.5.4"]);
    await sleep(300);
    expect(open(extra)).toBe(5);
    expect(open(held)).toBe(55);
    // The first ones opened were the ones idle longest.
    expect(held.slice(0, 5).every((h) => h.closedAfter !== null)).toBe(true);
    const answers = await visitor(small, "/healthz", 3);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const h of [...held, ...extra]) h.socket.destroy();
  });

  it("when every connection is busy with a request, one past MAX_CONNECTIONS is reset at once", async () => {
    await sleep(300);
    // 60 form posts whose bodies never finish: busy, not idle.
    const busy = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const socket = net.connect({ host: "127.0.0.1", port: portOf(small), localAddress: `127.0.8.${1 + (i % 3)}` });
        socket.on("error", () => {});
        return new Promise<net.Socket>((resolve) =>
          socket.once("connect", () => {
            socket.write(`POST /language HTTP/1.1\r\nHost: ${new URL(small.url).host}\r\nOrigin: ${small.url}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nlocale=`);
            resolve(socket);
          }),
        );
      }),
    );
    await sleep(1_200);
    const [late] = await slowConnections(small, 1, ["127.0.8.4"]);
    await sleep(300);
    expect(late.closedAfter).not.toBeNull();
    expect(late.reply).toBe("");
    expect(busy.filter((socket) => socket.destroyed).length).toBe(0);
    for (const socket of busy) socket.destroy();
  });

  it("MAX_CONNECTIONS_PER_ADDRESS sets the cap per address", async () => {
    const held = await slowConnections(small, 25, ["127.0.6.1"]);
    await sleep(500);
    expect(open(held)).toBe(20);
    for (const h of held) h.socket.destroy();
  });

  it("an idle keep-alive connection is closed after 5 s", async () => {
    const socket = net.connect({ host: "127.0.0.1", port: portOf(server), localAddress: "127.0.7.1" });
    const opened = Date.now();
    let reply = "";
    socket.on("data", (chunk: Buffer) => (reply += chunk.toString("latin1")));
    socket.on("connect", () => socket.write(`GET /healthz HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\n\r\n`));
    const closedAfter = await new Promise<number>((resolve) => socket.on("close", () => resolve(Date.now() - opened)));
    expect(reply).toMatch(/^HTTP\/1\.1 200 /);
    expect(reply).toMatch(/\r\nKeep-Alive: timeout=5\r\n/i);
    expect(closedAfter).toBeGreaterThan(4_000);
    expect(closedAfter).toBeLessThan(9_000);
  });
});

describe("with PUBLIC_URL set, only its host", () => {
  const get = (path: string, headers: Record<string, string>, method = "GET", body?: string) => rawRequest(`http://127.0.0.1:${portOf(site)}${path}`, { method, headers, body });

  it("answers a request for PUBLIC_URL's host (directly or as the proxy's X-Forwarded-Host)", async () => {
    expect((await get("/how-it-works", { Host: "meedoen.test" })).status).toBe(200);
    expect((await get("/how-it-works", { Host: "127.0.0.1:3000", "X-Forwarded-Host": "meedoen.test" })).status).toBe(200);
    expect((await get("/how-it-works", { Host: "MEEDOEN.test:80" })).status).toBe(200);
  });

  it("refuses any other host with 421 and a translated page", async () => {
    const hosts: Record<string, string>[] = [
      { Host: new URL(site.url).host },
      { Host: "evil.example" },
      { Host: "meedoen.test.evil.example" },
      { Host: "meedoen.test:8080" },
      { Host: "meedoen.test", "X-Forwarded-Host": "evil.example" },
      { Host: "127.0.0.1:3000", "X-Forwarded-Host": "meedoen.test@evil.example" },
    ];
    for (const headers of hosts) {
      const answer = await get("/how-it-works", headers);
      expect(answer.status, JSON.stringify(headers)).toBe(421);
      expect(answer.body).toContain(translate("nl", "request.wrongHost"));
      expect(answer.body).toContain(translate("en", "request.wrongHost"));
    }
  });

  it("answers /healthz under any name (monitors ask for 127.0.0.1)", async () => {
    expect((await get("/healthz", { Host: new URL(site.url).host })).status).toBe(200);
  });

  it("takes a form only with PUBLIC_URL's origin", async () => {
    const body = "locale=en&redirectTo=%2F";
    const form = (origin: string) => ({ Host: "meedoen.test", Origin: origin, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(body.length) });
    expect((await get("/language", form(publicUrl), "POST", body)).status).toBe(303);
    expect((await get("/language", form(site.url), "POST", body)).status).toBe(403);
    expect((await get("/language", form("https://meedoen.test"), "POST", body)).status).toBe(403);
  });
});
