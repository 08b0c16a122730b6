// A burst of thousands of requests at once, for pages that must be made (a 404, a member's home
// page): the server makes a few at a time, lets a bounded number wait, and answers the rest 503
// at once. It stays up, its memory stays bounded, and it serves normally right after.
import { readFileSync } from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let cookie: string;
// The server's own "[stats]" lines: how many pages it made at once, and how many waited.
let stats = "";

beforeAll(async () => {
  // The connection limit per address is raised: this test is about what happens past the socket.
  server = await startServer({ MAX_CONNECTIONS_PER_ADDRESS: "8192", MAX_RENDERS: "16", MAX_RENDER_QUEUE: "512", STATS_INTERVAL_MS: "25" });
  server.process.stdout!.on("data", (chunk: Buffer) => (stats += chunk));
  const sqlite = openServerDatabase(server.databasePath);
  const [member] = insertMembers(sqlite, 1, "burst");
  sqlite.close();
  cookie = member.cookie;
});

afterAll(async () => {
  await server?.stop();
});

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.process.pid}/status`, "utf8"))![1]) / 1024;

function get(path: string, headers: Record<string, string> = {}): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get(`${server.url}${path}`, { agent: false, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", () => resolve("reset"));
    });
    req.on("error", () => resolve("reset"));
  });
}

/** The most pages made at once, and the most waiting, in the stats lines since `from`. */
function mostAtOnce(from: number) {
  const lines = stats.slice(from).split("\n").filter((line) => line.startsWith("[stats]"));
  const most = (name: string) => Math.max(0, ...lines.map((line) => Number(new RegExp(`${name}=(\\d+)`).exec(line)?.[1] ?? 0)));
  return { lines: lines.length, renders: most("renders"), queue: most("renderQueue") };
}

describe("a burst of requests for pages that must be made", () => {
  it("5,000 at once (visitors' 404s, a member's pages, different searches): each answered 200, 404 or a quick 503; the server stays up", { timeout: 120_000 }, async () => {
    const from = stats.length;
    let peak = rssMb();
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, rssMb());
      } catch {
        // The process is gone: the assertions below say so.
      }
    }, 20);
    const requests = Array.from({ length: 5_000 }, (_, i) =>
      i % 3 === 0 ? get(`/bestaat-niet-${i}`) : i % 3 === 1 ? get(i % 2 ? "/" : "/agenda", { Cookie: cookie }) : get(`/?q=${encodeURIComponent(`zoek ${i}`)}`),
    );
    const statuses = await Promise.all(requests);
    clearInterval(sampler);
    const tally: Record<string, number> = {};
    for (const status of statuses) tally[status] = (tally[status] ?? 0) + 1;
    const atOnce = mostAtOnce(from);
    console.info(`[burst] 5000 mixed: ${JSON.stringify(tally)}, RSS peak ${peak.toFixed(0)} MB, at once ${JSON.stringify(atOnce)}`);
    expect(Object.keys(tally).every((status) => ["200", "404", "503"].includes(status)), JSON.stringify(tally)).toBe(true);
    expect(tally["200"]).toBeGreaterThan(100);
    expect(tally["404"]).toBeGreaterThan(50);
    // Made a few at a time, with a bounded line waiting, whatever comes in.
    expect(atOnce.lines).toBeGreaterThan(3);
    expect(atOnce.renders).toBe(16);
    expect(atOnce.queue).toBeLessThanOrEqual(512);
    expect(peak).toBeLessThan(250);
    expect(server.process.exitCode).toBeNull();
    expect(await get("/healthz")).toBe(200);
    expect(await get("/", { Cookie: cookie })).toBe(200);
    expect(await get("/bestaat-niet")).toBe(404);
  });
});
