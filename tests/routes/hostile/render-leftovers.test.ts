// A page that has been made and sent leaves nothing behind that keeps it in memory. A render
// once left its time limit running for six seconds after the answer went out, holding React's
// state and the whole page: under load a thousand pages at once, and the server's memory grew to
// the limit of the burst test with only a few requests in flight.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMembers, openServerDatabase } from "../../support/direct-db";
import { startServer, type RunningServer } from "../../support/server";

let server: RunningServer;
let cookie: string;
let stats = "";

beforeAll(async () => {
  server = await startServer({ STATS_INTERVAL_MS: "100" });
  server.process.stdout!.on("data", (chunk: Buffer) => (stats += chunk));
  const sqlite = openServerDatabase(server.databasePath);
  const [member] = insertMembers(sqlite, 1, "leftovers");
  sqlite.close();
  cookie = member.cookie;
});

afterAll(async () => {
  await server?.stop();
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

function get(path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { agent, headers }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      })
      .on("error", reject);
  });
}

/** The `timers=` figure of the first stats line the server writes after this moment. */
async function timersNow(): Promise<number> {
  const from = stats.length;
  for (let waited = 0; waited < 10_000; waited += 50) {
    const line = stats.slice(from).split("\n").find((l) => l.startsWith("[stats]") && l.includes("timers="));
    if (line) return Number(/timers=(\d+)/.exec(line)![1]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the server wrote no stats line");
}

describe("pages made and sent leave nothing behind", () => {
  it("after 150 pages (a member's, and visitors' pages that are not kept) the server holds no more timers than before", { timeout: 60_000 }, async () => {
    const before = await timersNow();
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) {
      statuses.push(await get("/", { Cookie: cookie }));
      statuses.push(await get(`/bestaat-niet-${i}`));
      statuses.push(await get(`/?q=${encodeURIComponent(`woord ${i}`)}`, { Cookie: cookie }));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    expect(statuses.filter((s) => s === 404)).toHaveLength(50);
    const after = await timersNow();
    // A few come and go (the connection's own); one per page made would be 150.
    expect(after - before).toBeLessThan(10);
    agent.destroy();
  });
});
