// A start that must replay every meeting of a large network (more than 20,000 check-ins) reads the
// meetings on a worker while it checks the database file, and replays them as they come (ADR 063).
// Through the real server: the start says so, and the voices it shows are those of replaying every
// meeting as read in this process. A start that goes on from the stored state starts no worker.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayVoices } from "~/governance/voice";
import { db } from "~/lib/db.server";
import { replayInput } from "~/models/voice-replay.server";
import { day } from "../support/fixtures";
import { makeFounder } from "../support/governance";
import { memberWithSession } from "../support/requests";
import { startServer, type RunningServer } from "../support/server";

const hour = 3_600_000;
let server: RunningServer | null = null;

const start = async () => {
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, DATA_DIR: process.env.DATA_DIR!, SCHEDULER_INTERVAL_MS: "3600000" });
  return /voices replayed in \d+ ms \(([^)]+)\)/.exec(server.output())?.[1];
};
const stop = async () => {
  await server?.stop();
  server = null;
};
afterAll(stop);

/** The numbers /how-it-works gives: members with a voice, and (while starting up) voices earned. */
async function shown() {
  const html = await (await fetch(`${server!.url}/how-it-works`, { headers: { "accept-language": "en" } })).text();
  const notice = /<p class="notice">(.*?)<\/p>/.exec(html)?.[1] ?? "";
  return notice.match(/\d+/g)?.map(Number) ?? [];
}
function expected() {
  const replay = replayVoices(replayInput(Date.now()));
  return replay.bootstrapping ? [replay.earnedCount, 5, replay.voices.size] : [replay.voices.size];
}

beforeAll(async () => {
  // Three founders who check in at every meeting, a host, and 300 members who come ten at a time
  // to 2,100 meetings of the last 350 days: 27,300 check-ins.
  const founders = await Promise.all(["Ans", "Bram", "Cor"].map((n) => memberWithSession(n)));
  for (const f of founders) makeFounder(f.id, 400 * day);
  const host = await memberWithSession("Hanna");
  const now = Date.now();
  const first = now - 2100 * 4 * hour;
  db().run(sql`UPDATE members SET created_at = ${first - 60 * day}`);
  db().run(sql`
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 299)
    INSERT INTO members (id, email, password_hash, display_name, created_at)
    SELECT 'bulk-' || i, 'bulk-' || i || '@example.org', 'x', 'Deelnemer ' || i, ${first - 60 * day} FROM n`);
  const { id: initiativeId } = db().get<{ id: number }>(sql`
    INSERT INTO initiatives (title, summary, body, kind, created_by, created_at, updated_at)
    VALUES ('Intervisie', 'Samen leren.', '', 'course', ${host.id}, ${first - 5 * day}, ${first - 5 * day}) RETURNING id`);
  db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${initiativeId}, ${host.id}, ${first - 5 * day}, ${now - day})`);
  db().run(sql`
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2099)
    INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at)
    SELECT ${initiativeId}, ${first} + i * ${4 * hour}, ${first} + i * ${4 * hour} + ${2 * hour}, 'Buurthuis De Linde', 'ACDEFG',
      ${first} + i * ${4 * hour} - ${3 * day}, ${first - 4 * day}, ${first - 4 * day} FROM n`);
  const attend = (members: string) =>
    db().run(
      sql.raw(`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at)
        SELECT s.id, m.id, 'registered', 1, s.starts_at + 600000, 'code', s.starts_at - 86400000, s.starts_at + 600000
        FROM sessions s JOIN (${members}) m WHERE s.initiative_id = ${initiativeId}`),
    );
  attend(`SELECT id, 0 AS k FROM members WHERE founder_at IS NOT NULL`);
  for (let k = 0; k < 10; k++) {
    db().run(
      sql.raw(`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at)
        SELECT s.id, 'bulk-' || ((s.id * 7 + ${k * 31}) % 300), 'registered', 1, s.starts_at + 600000 + ${k * 1000}, 'code', s.starts_at - 86400000, s.starts_at + 600000
        FROM sessions s WHERE s.initiative_id = ${initiativeId}`),
    );
  }
  expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM registrations WHERE attended_at IS NOT NULL`).n).toBe(27_300);
});

describe("a start that replays every meeting of a large network", () => {
  it("reads them on a worker and shows the voices of replaying them here", async () => {
    expect(await start()).toBe("every meeting, read on a worker");
    const voices = await shown();
    expect(voices).toEqual(expected());
    expect(voices[0]).toBeGreaterThan(100);
    await stop();
  });

  it("goes on from the stored state at the next start, without a worker", async () => {
    // The first start's scheduler stored the state.
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM voice_checkpoint`).n).toBe(1);
    expect(await start()).toBe("from the stored state");
    expect(await shown()).toEqual(expected());
    await stop();
  });

  it("replays every meeting again after a hold from long ago, with the voices of the database as it is", async () => {
    // Without a stored state that holds. The hold is written before the start: the worker reads it.
    db().run(sql`DELETE FROM voice_checkpoint`);
    db().run(sql`UPDATE members SET posting_held_at = ${Date.now() - 200 * day} WHERE id = 'bulk-1'`);
    expect(await start()).toBe("every meeting, read on a worker");
    expect(await shown()).toEqual(expected());
    await stop();
  });
});
