// Hostile clients against the real server (build/index.js), one attack after the other: stalled
// uploads (anonymous, and from signed-in accounts spread over many addresses), trickling bodies,
// forms with a third of a million fields, and thousands of slow connections. For each attack it
// prints the server's memory (RSS before, highest, and a few seconds after the attack ended), the
// event-loop delay inside the server (perf_hooks.monitorEventLoopDelay, logged by the server every
// 250 ms with STATS_INTERVAL_MS), `/healthz` latency while the attack hangs and right after it
// ends, and what the attacking sockets got. Figures only, no assertions; `npm run bench` runs it.
//
// Attackers connect from other loopback addresses (127.0.0.2 and up) than the probe (127.0.0.1),
// as other hosts would: a per-address limit must not stop the probe. The load generator runs on
// the same machine as the server: compare runs on one machine, not figures across machines.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { insertMembers, openServerDatabase } from "../support/direct-db";
import type { RunningServer } from "../support/server";
import { requireBuild, rssMb, table, watchRss, benchServer } from "./support";

requireBuild();
const only = process.env.HOSTILE_ONLY?.split(",");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Each attack gets a fresh server (memory a previous attack kept would blur the next one's figures).
let server: RunningServer;
let databasePath: string;
let pid: number;
let port: number;
let origin: string;

async function freshServer() {
  databasePath = path.join(os.tmpdir(), `meedoen-bench-hostile-${randomBytes(4).toString("hex")}.sqlite`);
  server = await benchServer({ DATABASE_PATH: databasePath, STATS_INTERVAL_MS: "250" });
  pid = server.process.pid!;
  port = Number(new URL(server.url).port);
  origin = server.url;
  let pending = "";
  server.process.stdout!.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith("[stats]")) continue;
      const field = (name: string) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? NaN);
      stats.push({ at: performance.now(), loopMax: field("loopMax"), loopP99: field("loopP99") });
    }
  });
  // Warm up: the first requests load and compile the routes.
  for (let i = 0; i < 20; i++) await probe();
}

async function stopServer() {
  await server.stop();
  for (const suffix of ["", "-wal", "-shm", ".data"]) rmSync(databasePath + suffix, { force: true, recursive: true });
}

// What the server says about itself.

type Stat = { at: number; loopMax: number; loopP99: number };
const stats: Stat[] = [];
/** The event-loop delay the server logged between two moments (a line may come late when the loop was blocked). */
function loopBetween(from: number, to: number) {
  const lines = stats.filter((s) => s.at >= from && s.at <= to + 600);
  return { max: Math.max(0, ...lines.map((s) => s.loopMax)), p99: Math.max(0, ...lines.map((s) => s.loopP99)) };
}

// The probe: a normal visitor from 127.0.0.1, a new connection for each request.

function probe(timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/healthz", localAddress: "127.0.0.1", agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200 ? performance.now() - started : Infinity));
      res.on("error", () => resolve(Infinity));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(Infinity));
  });
}

/** Probes one after the other (25 ms apart) for `ms`; the latencies in ms (Infinity: failed). */
async function probeFor(ms: number): Promise<number[]> {
  const until = performance.now() + ms;
  const latencies: number[] = [];
  while (performance.now() < until) {
    latencies.push(await probe());
    await sleep(25);
  }
  return latencies;
}

/**
 * The same probes from a thread of its own, until stopped: the attacking sockets keep the main
 * thread busy, and probes from there would make the server look slower than it is.
 */
function probeElsewhere(): { stop: () => Promise<number[]> } {
  const code = `
    const { parentPort, workerData } = require("node:worker_threads");
    const http = require("node:http");
    let stopping = false;
    parentPort.on("message", () => (stopping = true));
    const once = () => new Promise((resolve) => {
      const started = performance.now();
      const req = http.get({ host: "127.0.0.1", port: workerData.port, path: "/healthz", localAddress: "127.0.0.1", agent: false, timeout: 30000 }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200 ? performance.now() - started : Infinity));
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => resolve(Infinity));
    });
    (async () => {
      const latencies = [];
      while (!stopping) {
        latencies.push(await once());
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      parentPort.postMessage(latencies);
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { port } });
  return {
    stop: () =>
      new Promise((resolve, reject) => {
        worker.once("message", (latencies: number[]) => {
          void worker.terminate();
          resolve(latencies);
        });
        worker.once("error", reject);
        worker.postMessage("stop");
      }),
  };
}

const percentile = (values: number[], p: number) => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : n.toFixed(0)}` : "fail");

// Attacking sockets.

type Attacker = { socket: net.Socket; opened: number; closed: number | null; status: number | null };

/** Opens `count` sockets spread over `addresses`, in batches, and lets `start` write to each. */
async function openAttackers(count: number, addresses: string[], start: (socket: net.Socket, i: number) => void): Promise<Attacker[]> {
  const attackers: Attacker[] = [];
  for (let first = 0; first < count; first += 250) {
    const batch: Promise<void>[] = [];
    for (let i = first; i < Math.min(count, first + 250); i++) {
      const socket = net.connect({ host: "127.0.0.1", port, localAddress: addresses[i % addresses.length] });
      const attacker: Attacker = { socket, opened: performance.now(), closed: null, status: null };
      attackers.push(attacker);
      let text = "";
      socket.on("data", (chunk: Buffer) => {
        if (attacker.status !== null) return;
        text += chunk.toString("latin1");
        const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
        if (m) attacker.status = Number(m[1]);
      });
      socket.on("error", () => {});
      socket.on("close", () => (attacker.closed = performance.now()));
      batch.push(
        new Promise((resolve) => {
          socket.once("connect", () => {
            start(socket, i);
            resolve();
          });
          socket.once("close", () => resolve());
        }),
      );
    }
    await Promise.all(batch);
  }
  return attackers;
}

const addresses = (from: number, n: number) => Array.from({ length: n }, (_, i) => `127.0.0.${from + i}`);
const openNow = (attackers: Attacker[]) => attackers.filter((a) => a.closed === null).length;
const statuses = (attackers: Attacker[]) => {
  const counts = new Map<string, number>();
  for (const a of attackers) {
    const key = a.status === null ? (a.closed === null ? "open" : "closed") : String(a.status);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort().map(([k, n]) => `${n}×${k}`).join(" ");
};

/** Writes `bytes` of filler after `head` as fast as the socket takes it, then nothing more. */
function sendAndStall(head: string, bytes: number) {
  const piece = Buffer.alloc(64 * 1024, "x");
  return (socket: net.Socket) => {
    socket.write(head);
    let sent = 0;
    const next = () => {
      while (sent < bytes && !socket.destroyed) {
        const data = piece.subarray(0, Math.min(piece.length, bytes - sent));
        sent += data.length;
        if (!socket.write(data)) return void socket.once("drain", next);
      }
    };
    next();
  };
}

/** Writes `head`, then one byte every `everyMs` until closed. */
function trickle(head: string, everyMs: number) {
  return (socket: net.Socket) => {
    socket.write(head);
    const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write("a")), everyMs);
    socket.once("close", () => clearInterval(timer));
  };
}

const boundary = "----hostilebench";
const uploadHead = (cookie: string | null, declared: number) => {
  const preamble =
    `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\navatar\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`;
  return (
    `POST /settings/profile HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${declared}\r\n` +
    (cookie ? `Cookie: ${cookie}\r\n` : "") +
    `\r\n${preamble}`
  );
};
const formHead = (pathname: string, length: number) =>
  `POST ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\n` +
  `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${length}\r\n\r\n`;

// The attacks.

type Row = { attack: string; idle: string; sockets: string; rss: string; loop: string; during: string; after: string; note: string };
const rows: Row[] = [];

/**
 * Runs one attack: `begin` opens the sockets; probes run while it hangs for `holdMs` (plus the
 * time `begin` itself takes), then every attacking socket is closed at once and probes run again.
 */
async function attack(name: string, begin: () => Promise<{ attackers: Attacker[]; note?: () => string }>, holdMs: number) {
  if (only && !only.some((o) => name.includes(o))) return;
  await freshServer();
  const idle = await probeFor(2_000);
  const rssBefore = rssMb(pid);
  const started = performance.now();
  const stopWatching = watchRss(pid, 100);
  const probes = probeElsewhere();
  const { attackers, note } = await begin();
  const established = performance.now();
  await sleep(holdMs);
  const during = await probes.stop();
  const heldOpen = openNow(attackers);
  const heldFor = (performance.now() - started) / 1000;
  const peakRss = stopWatching();
  const loop = loopBetween(started, performance.now());
  const extra = note?.() ?? "";
  const got = statuses(attackers);
  for (const a of attackers) a.socket.destroy();
  const closedAt = performance.now();
  const afterProbes = probeElsewhere();
  await sleep(3_000);
  const after = await afterProbes.stop();
  const loopAfter = loopBetween(closedAt, performance.now());
  await sleep(3_000);
  const rssAfter = rssMb(pid);
  rows.push({
    attack: name,
    sockets: `${heldOpen}/${attackers.length} open after ${heldFor.toFixed(0)} s; ${got}`,
    rss: `${rssBefore.toFixed(0)} → ${peakRss.toFixed(0)} → ${rssAfter.toFixed(0)}`,
    loop: `${ms(loop.max)} / ${ms(loopAfter.max)}`,
    idle: `${ms(percentile(idle, 50))} / ${ms(percentile(idle, 99))}`,
    during: `${ms(percentile(during, 50))} / ${ms(percentile(during, 99))} (${during.length}${during.some((d) => !Number.isFinite(d)) ? `, ${during.filter((d) => !Number.isFinite(d)).length} failed` : ""})`,
    after: `${ms(percentile(after, 50))} / ${ms(percentile(after, 99))} / first ${ms(after[0])}`,
    note: `${extra}${extra ? "; " : ""}opening took ${((established - started) / 1000).toFixed(1)} s`,
  });
  console.log(`${name}: done`);
  await stopServer();
}

console.log(`Hostile clients: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB\n`);

const uploadDeclared = 5_700_000;
const uploadSent = 5_400_000;

await attack(
  "300 stalled uploads, anonymous, one address",
  async () => ({ attackers: await openAttackers(300, addresses(2, 1), sendAndStall(uploadHead(null, uploadDeclared), uploadSent)) }),
  8_000,
);

await attack(
  "300 stalled uploads, signed in, 30 addresses",
  async () => {
    const sqlite = openServerDatabase(databasePath);
    const members = insertMembers(sqlite, 30, "hostile");
    sqlite.close();
    return { attackers: await openAttackers(300, addresses(10, 30), (socket, i) => sendAndStall(uploadHead(members[i % 30].cookie, uploadDeclared), uploadSent)(socket)) };
  },
  8_000,
);

await attack(
  "100 trickling bodies (1 byte / 2 s), one address",
  async () => {
    const attackers = await openAttackers(100, addresses(3, 1), trickle(formHead("/language", 8_000), 2_000));
    return {
      attackers,
      note: () => {
        const byStatus = new Map<string, number[]>();
        for (const a of attackers.filter((a) => a.closed !== null)) {
          const key = String(a.status ?? "no answer");
          byStatus.set(key, [...(byStatus.get(key) ?? []), (a.closed! - a.opened) / 1000]);
        }
        const closed = [...byStatus].map(([status, seconds]) => `${seconds.length}×${status} after ${percentile(seconds, 50).toFixed(1)} s`);
        return closed.length ? `closed by the server (median): ${closed.join(", ")}` : "none closed by the server";
      },
    };
  },
  40_000,
);

// 333,334 fields in 1 MB: "a=&" repeated.
const manyFields = Buffer.from("a=&".repeat(333_334).slice(0, -1));
await attack(
  "10 × 1 MB forms with 333k fields",
  async () => {
    const attackers = await openAttackers(10, addresses(4, 1), (socket) => {
      socket.write(formHead("/language", manyFields.length));
      socket.write(manyFields);
    });
    const started = performance.now();
    // Wait until each has its answer (or was closed), at most a minute.
    while (attackers.some((a) => a.status === null && a.closed === null) && performance.now() - started < 60_000) await sleep(50);
    const took = (performance.now() - started) / 1000;
    return { attackers, note: () => `all answered ${took.toFixed(1)} s after sending` };
  },
  2_000,
);

const slowHeaders = (socket: net.Socket) => trickle(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: `, 3_000)(socket);
await attack("2,000 slow connections, one address", async () => ({ attackers: await openAttackers(2_000, addresses(5, 1), slowHeaders) }), 6_000);
await attack("2,000 slow connections, 20 addresses", async () => ({ attackers: await openAttackers(2_000, addresses(40, 20), slowHeaders) }), 6_000);
await attack("15,000 slow connections, 8 addresses", async () => ({ attackers: await openAttackers(15_000, addresses(70, 8), slowHeaders) }), 6_000);

console.log(
  "\n" +
    table([
      ["attack", "/healthz idle p50 / p99 ms", "RSS MB before → peak → after", "loop delay max ms (during / after close)", "/healthz p50 / p99 ms during (probes)", "/healthz after close p50 / p99 / first", "attacking sockets", "note"],
      ...rows.map((r) => [r.attack, r.idle, r.rss, r.loop, r.during, r.after, r.sockets, r.note]),
    ]),
);
console.log(
  "\nRSS: the server's resident memory; 'after' is 6 s after the attack's sockets were closed. Loop delay: the longest event-loop delay the server measured (monitorEventLoopDelay, 10 ms resolution, resolution subtracted).",
);
