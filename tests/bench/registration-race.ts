// Benchmark: 1,000 concurrent sign-up attempts for 50 places through the real HTTP server.
// Prints throughput and latency, and checks the database afterwards: it must hold exactly 50
// registered and 950 waitlisted, in arrival order. Figures only; run by `npm run bench`.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { insertCourseSession, insertMembers, openServerDatabase } from "../support/direct-db";
import { atExit, benchServer } from "./support";

const attempts = 1000;
const places = 50;
const databasePath = path.join(os.tmpdir(), `meedoen-bench-race-${randomBytes(4).toString("hex")}.sqlite`);

const removeDatabase = atExit(() => {
  for (const suffix of ["", "-wal", "-shm", ".data"]) rmSync(databasePath + suffix, { force: true, recursive: true });
});
const server = await benchServer({ DATABASE_PATH: databasePath });
try {
  const sqlite = openServerDatabase(databasePath);
  const [host, ...people] = insertMembers(sqlite, attempts + 1);
  const { sessionId } = insertCourseSession(sqlite, host.id, places);

  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  await Promise.all(
    people.map(async (p) => {
      const t = performance.now();
      const res = await fetch(`${server.url}/sessions/${sessionId}/register`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: p.cookie },
        body: "",
      });
      await res.arrayBuffer();
      latencies.push(performance.now() - t);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(0);

  const counts = Object.fromEntries(
    (sqlite.prepare("SELECT status, count(*) AS n FROM registrations WHERE session_id = ? GROUP BY status").all(sessionId) as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );
  const queue = sqlite.prepare("SELECT status FROM registrations WHERE session_id = ? ORDER BY queued_seq").all(sessionId) as { status: string }[];
  const fifo = queue.every((r, i) => (i < places ? r.status === "registered" : r.status === "waitlisted"));
  sqlite.close();

  console.log(`concurrent sign-up attempts: ${attempts} for ${places} places`);
  console.log(`responses: ${[...statuses].map(([s, n]) => `${n}× ${s}`).join(", ")}`);
  console.log(`throughput: ${(attempts / seconds).toFixed(0)} sign-ups/s (${seconds.toFixed(2)} s in all)`);
  console.log(`latency: p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms`);
  console.log(`registered: ${counts.registered ?? 0}, waitlisted: ${counts.waitlisted ?? 0}, overbooked: ${Math.max(0, (counts.registered ?? 0) - places)}`);
  console.log(`waiting list in arrival order: ${fifo ? "yes" : "NO"}`);
} finally {
  await server.stop();
  await removeDatabase();
}
