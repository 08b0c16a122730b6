// Through real server restarts on one database file: the first start replays every meeting and
// its scheduler stores the replay's state; the next start goes on from that state and shows the
// same voices on the members' page as replaying every meeting would; a change the stored state
// cannot follow (a hold) makes the start after it replay every meeting again. An upgrade goes on
// from the stored state unless it changed the voice code (ADR 041).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayVoices } from "~/governance/voice";
import { db } from "~/lib/db.server";
import { replayInput } from "~/models/voice-replay.server";
import { day } from "../support/fixtures";
import { makeFounder, witnessedMeeting } from "../support/governance";
import { memberWithSession } from "../support/requests";
import { startServer, type RunningServer } from "../support/server";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let people: Member[];
let recent: number;
let server: RunningServer | null = null;

const start = async (build?: string) => {
  server = await startServer({ DATABASE_PATH: process.env.DATABASE_PATH!, DATA_DIR: process.env.DATA_DIR!, SCHEDULER_INTERVAL_MS: "3600000" }, build);
  return /voices replayed in \d+ ms \(([^)]+)\)/.exec(server.output())?.[1];
};
const stop = async () => {
  await server?.stop();
  server = null;
};

/** The members the members' page marks as having a voice. */
async function badged(): Promise<string[]> {
  const html = await (await fetch(`${server!.url}/members`, { headers: { cookie: people[0].cookie } })).text();
  expect(html).toContain(people[5].displayName);
  return [...html.matchAll(/href="\/members\/([^"]+)">[^<]*<\/a><\/h2><p class="muted">(.*?)<\/p>/g)].filter(([, , line]) => line.includes("badge voice")).map(([, id]) => id).sort();
}
const fullReplayVoices = () => [...replayVoices(replayInput(Date.now())).voices.keys()].sort();

beforeAll(async () => {
  const founders = await Promise.all(["Ans", "Bram", "Cor"].map((n) => memberWithSession(n)));
  for (const f of founders) makeFounder(f.id, 120 * day);
  const host = await memberWithSession("Hanna");
  people = await Promise.all(Array.from({ length: 6 }, (_, i) => memberWithSession(`Deelnemer ${i}`)));
  const witnesses = founders.map((f) => f.id);
  for (const [daysAgo, attendees] of [[60, people.slice(0, 3)], [45, people.slice(2, 5)], [30, people.slice(0, 5)], [12, people.slice(3, 5)]] as const)
    witnessedMeeting({ hostId: host.id, witnesses, attendees: attendees.map((p) => p.id), daysAgo });
  recent = witnessedMeeting({ hostId: host.id, witnesses, attendees: [people[4].id], daysAgo: 9 }).sessionId;
});

afterAll(stop);

describe("restarting the server", () => {
  it("goes on from the stored state of the voice replay, with the voices of a full replay", async () => {
    expect(await start()).toBe("every meeting");
    // The scheduler's first run, before the server said it runs, stored the state.
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM voice_checkpoint`).n).toBe(1);
    const first = await badged();
    expect(first).toEqual(fullReplayVoices());
    expect(first.length).toBeGreaterThan(3);
    expect(first).not.toContain(people[5].id);
    await stop();

    // While it is down, a host marks someone present at last week's meeting.
    db().run(sql`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, updated_at) VALUES (${recent}, ${people[5].id}, 'registered', 9, ${Date.now() - day}, 'code', ${Date.now()})`);
    expect(await start()).toBe("from the stored state");
    expect(await badged()).toEqual(fullReplayVoices());
    await stop();

    // A hold reaches back before the stored state's moment: every meeting is replayed again.
    db().run(sql`UPDATE members SET posting_held_at = ${Date.now() - 50 * day} WHERE id = ${people[0].id}`);
    expect(await start()).toBe("every meeting");
    const afterHold = await badged();
    expect(afterHold).toEqual(fullReplayVoices());
    expect(afterHold).not.toContain(people[0].id);
    await stop();
  });

  it("goes on from the stored state after an upgrade that left the voice code alone, not after one that changed it", async () => {
    const build = readFileSync("build/index.js", "utf8");
    const changed = (after: RegExp, line: string, name: string) => {
      const at = after.exec(build)!;
      const file = `build/index.${name}-${process.pid}.js`;
      writeFileSync(file, build.slice(0, at.index + at[0].length) + line + build.slice(at.index + at[0].length));
      return file;
    };
    const pageChanged = changed(/^\/\/ app\/routes\/\S+\n/m, "var changedPage = 1;\n", "page-changed");
    const rulesChanged = changed(/^\/\/ app\/governance\/voice\.ts\n/m, "var changedRule = 1;\n", "rules-changed");
    try {
      // The build as it is stores (or has stored) the state.
      await start();
      await stop();
      expect(await start(pageChanged)).toBe("from the stored state");
      expect(await badged()).toEqual(fullReplayVoices());
      await stop();
      expect(await start(rulesChanged)).toBe("every meeting");
      expect(await badged()).toEqual(fullReplayVoices());
    } finally {
      await stop();
      rmSync(pageChanged, { force: true });
      rmSync(rulesChanged, { force: true });
    }
  });
});
