// Benchmark of governance version 2's replay (docs/governance.md §1): at the bench network's scale
// (5,000 members, 20,000 sessions, 200,000 sign-ups), how long a full replay of every meeting
// takes, cold: reading what it needs from the database, and the pure replay itself. Prints
// figures and asserts nothing; `npm run bench` runs it via run.ts.
import { benchNetwork, seededDatabase, table } from "./support";

const runs = 7;

const seeded = seededDatabase("governance");
process.env.DATABASE_PATH = seeded.file;
process.env.NODE_ENV = "production";
try {
  const { db } = await import("~/lib/db.server");
  const { replayInput } = await import("~/models/voice.server");
  const { replayVoices } = await import("~/governance/voice");
  // The bench network has no founders; its oldest fifteen accounts are made founders, as the
  // upgrade does for a network where nobody had earned a voice yet.
  db().$client.prepare("UPDATE members SET founder_at = created_at WHERE id IN (SELECT id FROM members ORDER BY created_at LIMIT 15)").run();
  const facts = db().$client
    .prepare(
      `SELECT (SELECT count(*) FROM members) AS members, (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM registrations) AS registrations,
        (SELECT count(*) FROM registrations WHERE attended_at IS NOT NULL) AS attended, (SELECT count(*) FROM registrations WHERE attendance_by = 'code') AS checkedIn`,
    )
    .get() as Record<string, number>;
  console.log(`Network (asked for ${JSON.stringify(benchNetwork)}): ${JSON.stringify(facts)}${seeded.seconds ? `, seeded in ${seeded.seconds.toFixed(0)} s` : ""}`);

  const rows: string[][] = [["run", "read (ms)", "replay (ms)", "total (ms)", "voices", "witnesses", "earned", "bootstrapping"]];
  const totals: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const now = Date.now();
    const t0 = performance.now();
    const input = replayInput(now);
    const t1 = performance.now();
    const replay = replayVoices(input);
    const t2 = performance.now();
    totals.push(t2 - t0);
    rows.push([String(run), (t1 - t0).toFixed(0), (t2 - t1).toFixed(0), (t2 - t0).toFixed(0), String(replay.voices.size), String(replay.witnesses.size), String(replay.earnedCount), String(replay.bootstrapping)]);
  }
  console.log(table(rows));
  const sorted = [...totals].sort((a, b) => a - b);
  console.log(`Full replay at this scale: median ${sorted[Math.floor(runs / 2)].toFixed(0)} ms, slowest ${sorted[runs - 1].toFixed(0)} ms (target: well under a second).`);
} finally {
  seeded.remove();
}
