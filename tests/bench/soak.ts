// Soak: ten minutes of mixed reading and writing against the bench network, printing the
// server's memory (RSS) and throughput every minute. Memory should level off, not climb.
// `npm run soak` (after `remix build`); SOAK_MINUTES shortens or lengthens it. Figures only.
//
// Each connection repeats a round of ten requests: seven pages (feed pages, initiatives,
// sessions, members, searches, the agenda) and three writes by members who have a voice (sign
// up for or withdraw from a session, a comment, a "now" line), every request for a random
// target, as different visitors and members would.
import { randomBytes } from "node:crypto";
import os from "node:os";
import autocannon from "autocannon";
import { openServerDatabase } from "../support/direct-db";
import { requireBuild, rssMb, seededDatabase, table, benchServer } from "./support";

const minutes = Number(process.env.SOAK_MINUTES ?? 10);
const connections = 8;

requireBuild();
const database = seededDatabase("soak");
const server = await benchServer({ DATABASE_PATH: database.file });
const pid = server.process.pid!;

// A deterministic PRNG, so that two runs make the same requests.
let seed = 42;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];

try {
  const sqlite = openServerDatabase(database.file);
  const ids = (query: string) => sqlite.prepare(query).pluck().all() as (number | string)[];
  const initiatives = ids("SELECT id FROM initiatives WHERE hidden_at IS NULL");
  const futureSessions = ids(`SELECT id FROM sessions WHERE starts_at > ${Date.now() + 86_400_000} AND cancelled_at IS NULL`);
  const allSessions = ids("SELECT id FROM sessions");
  const memberIds = ids("SELECT id FROM members WHERE id LIKE 'bulk%' AND profile_visibility = 'public'") as string[];
  const words = ["buurt", "taal", "armoede", "vrijwilligers", "mantelzorg", "jongeren", "koken", "digitale", "schuldhulp"];

  // Log-in sessions for 500 members with a voice (the bulk members attended sessions).
  const writers = memberIds.slice(0, 500).map((id) => {
    const sessionId = randomBytes(20).toString("hex");
    sqlite.prepare("INSERT INTO auth_sessions (id, member_id, expires_at) VALUES (?, ?, ?)").run(sessionId, id, Math.floor(Date.now() / 1000) + 7 * 86_400);
    return `meedoen_session=${sessionId}`;
  });
  const counts = () =>
    sqlite.prepare("SELECT (SELECT count(*) FROM registrations) AS registrations, (SELECT count(*) FROM comments) AS comments").get() as Record<string, number>;
  const startCounts = counts();

  const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
  const write = (make: () => { path: string; body: string }): autocannon.Request => ({
    method: "POST",
    setupRequest: (request) => {
      const { path, body } = make();
      return {
        ...request,
        path,
        body,
        headers: { ...request.headers, origin: server.url, cookie: pick(writers), "content-type": "application/x-www-form-urlencoded" },
      };
    },
  });
  const read = (make: () => string): autocannon.Request => ({ method: "GET", setupRequest: (request) => ({ ...request, path: make() }) });

  let n = 0;
  const round: autocannon.Request[] = [
    read(() => (random() < 0.5 ? "/" : `/?after=${pick(initiatives)}`)),
    read(() => `/initiatives/${pick(initiatives)}`),
    write(() => {
      const session = pick(futureSessions);
      return random() < 0.6 ? { path: `/sessions/${session}/register`, body: "" } : { path: `/sessions/${session}/cancel`, body: "confirmed=yes" };
    }),
    read(() => `/sessions/${pick(allSessions)}`),
    read(() => `/?q=${pick(words)}`),
    write(() => ({ path: `/initiatives/${pick(initiatives)}/comments`, body: form({ body: `Goed idee, ik denk mee. (${++n})` }) })),
    read(() => `/members/${pick(memberIds)}`),
    read(() => "/agenda"),
    write(() => ({ path: "/now", body: form({ now: `Ik werk deze week aan ronde ${++n}.` }) })),
    read(() => `/initiatives/${pick(initiatives)}`),
  ];

  console.log(`Soak: ${minutes} min, ${connections} connections, 7 reads and 3 writes per round; Node ${process.version}, ${os.cpus().length} CPUs`);
  const rows: string[][] = [["minute", "req/s", "p50 ms", "p99 ms", "errors", "refused", "RSS MB", "RSS max MB"]];
  const rssAtStart = rssMb(pid);
  console.log(`RSS before the load: ${rssAtStart.toFixed(0)} MB`);
  for (let minute = 1; minute <= minutes; minute++) {
    let max = rssMb(pid);
    const timer = setInterval(() => (max = Math.max(max, rssMb(pid))), 500);
    const result = await autocannon({ url: server.url, connections, duration: 60, requests: round, headers: { "accept-encoding": "gzip" } });
    clearInterval(timer);
    const codes = result.statusCodeStats ?? {};
    const fine = Object.entries(codes).filter(([code]) => Number(code) < 400).reduce((sum, [, s]) => sum + Number(s.count ?? 0), 0);
    const row = [String(minute), result.requests.average.toFixed(0), result.latency.p50.toFixed(0), result.latency.p99.toFixed(0), String(result.errors), String(result.requests.total - fine), rssMb(pid).toFixed(0), max.toFixed(0)];
    rows.push(row);
    console.log(`minute ${minute}: ${row.slice(1).join(" | ")}`);
  }
  const endCounts = counts();
  console.log("\n" + table(rows));
  console.log(
    `\nwritten during the soak: ${(endCounts.registrations - startCounts.registrations).toLocaleString("en")} new sign-ups (others withdrawn and renewed), ` +
      `${(endCounts.comments - startCounts.comments).toLocaleString("en")} comments`,
  );
  console.log("refused: answers of 400 and up, e.g. a withdrawal from a session the member was not signed up for, or a rate limit");
  const integrity = sqlite.pragma("integrity_check", { simple: true });
  console.log(`database integrity after the soak: ${integrity}`);
  sqlite.close();
} finally {
  await server.stop();
  await database.remove();
}
