// The voice replay's state from three weeks back is stored in the database (voice_checkpoint,
// migration 0019) so that a restart replays only the meetings after it. A stored state is a
// cache: whenever it might not give what replaying every meeting gives, the replay must not use
// it. These tests store it, "restart" (forget what the process kept), change the database in the
// ways that must and must not make the stored state unusable, and compare with a full replay.
// tests/routes/voice-restart.test.ts does the same through real server restarts.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { replayVoices } from "~/governance/voice";
import { db } from "~/lib/db.server";
import { forgetKeptReplay, replayCounts, replayInput, storeVoiceCheckpoint } from "~/models/voice-replay.server";
import { recordVoiceChanges, voiceReplay } from "~/models/voice.server";
import { day } from "../support/fixtures";
import { ageAccount, makeFounder, witnessedMeeting } from "../support/governance";
import { memberWithSession } from "../support/requests";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
let founders: Member[];
let host: Member;
let people: Member[];
let recent: number;
let older: number;

const stored = () => db().get<{ version: number; at: number; fingerprint: string; saved_at: number } | undefined>(sql`SELECT version, at, fingerprint, saved_at FROM voice_checkpoint`);
const voices = (replay = voiceReplay()) => ({ voices: [...replay.voices].sort(), witnesses: [...replay.witnesses].sort(), earnings: replay.earnings, lastMisses: people.map((p) => replay.member(p.id).lastMiss) });
const fullReplay = () => voices(replayVoices(replayInput(Date.now())));

/** What the next start does: "restored" (from the stored state) or "full" (every meeting). */
function restart(): "restored" | "full" | "kept" {
  forgetKeptReplay();
  const before = { ...replayCounts };
  voiceReplay();
  return replayCounts.restored > before.restored ? "restored" : replayCounts.full > before.full ? "full" : "kept";
}

beforeEach(async () => {
  db().run(sql`DELETE FROM voice_checkpoint`);
  founders = await Promise.all(["Ans", "Bram", "Cor"].map((n) => memberWithSession(`${n} ${randomBytes(2).toString("hex")}`)));
  for (const f of founders) makeFounder(f.id, 120 * day);
  host = await memberWithSession(`Hanna ${randomBytes(2).toString("hex")}`);
  people = await Promise.all(Array.from({ length: 6 }, (_, i) => memberWithSession(`Lid ${i} ${randomBytes(2).toString("hex")}`)));
  const witnesses = founders.map((f) => f.id);
  // Meetings long before the stored moment, around it, and in the last weeks.
  for (const [daysAgo, attendees] of [[60, people.slice(0, 3)], [45, people.slice(2, 5)], [30, people], [12, people.slice(3)], [5, people.slice(0, 2)]] as const) {
    const { sessionId } = witnessedMeeting({ hostId: host.id, witnesses, attendees: attendees.map((p) => p.id), daysAgo });
    if (daysAgo === 45) older = sessionId;
  }
  recent = witnessedMeeting({ hostId: host.id, witnesses, attendees: [people[5].id], daysAgo: 2 }).sessionId;
  forgetKeptReplay();
  voiceReplay();
});

describe("the voice replay's stored state", () => {
  it("is written by the scheduler and lets a restart go on from it, with the voices of a full replay", () => {
    expect(stored()).toBeUndefined();
    expect(storeVoiceCheckpoint(Date.now())).toBe(true);
    const row = stored()!;
    // From before the meetings of the last three weeks (and those after it are read again).
    expect(Date.now() - row.at).toBeGreaterThan(21 * day);
    expect(Date.now() - row.at).toBeLessThan(23 * day);
    // Written once: a second run of the scheduler leaves it as it is.
    expect(storeVoiceCheckpoint(Date.now())).toBe(false);
    expect(restart()).toBe("restored");
    expect(voices()).toEqual(fullReplay());
    expect(voices().voices.length).toBeGreaterThan(3);
  });

  it("is used after attendance changed at meetings after its moment, which are read again", () => {
    storeVoiceCheckpoint(Date.now());
    db().run(sql`UPDATE registrations SET attended_at = NULL WHERE session_id = ${recent} AND member_id = ${people[5].id}`);
    db().run(sql`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, updated_at) VALUES (${recent}, ${people[4].id}, 'registered', 9, ${Date.now() - day}, 'code', ${Date.now()})`);
    expect(restart()).toBe("restored");
    expect(voices()).toEqual(fullReplay());
  });

  it.each([
    ["a member held now", () => db().run(sql`UPDATE members SET posting_held_at = ${Date.now()} WHERE id = ${people[1].id}`)],
    ["a founder named now", () => db().run(sql`UPDATE members SET founder_at = ${Date.now()} WHERE id = ${people[5].id}`)],
    ["a meeting moved a day back", () => db().run(sql`UPDATE sessions SET starts_at = starts_at - ${day} WHERE id = ${recent}`)],
    ["an initiative hidden now", () => db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now()} WHERE id = (SELECT initiative_id FROM sessions WHERE id = ${recent})`)],
  ])("is used after %s: the meetings after its moment are replayed with it", (_, change) => {
    storeVoiceCheckpoint(Date.now());
    const before = fullReplay();
    change();
    expect(restart()).toBe("restored");
    expect(voices()).toEqual(fullReplay());
    expect(voices()).not.toEqual(before);
  });

  it.each([
    ["attendance changed at a meeting before its moment", () => db().run(sql`UPDATE registrations SET attended_at = NULL WHERE member_id = ${people[0].id} AND session_id = (SELECT min(session_id) FROM registrations WHERE member_id = ${people[0].id})`)],
    ["a member held from before its moment", () => db().run(sql`UPDATE members SET posting_held_at = ${Date.now() - 50 * day} WHERE id = ${people[1].id}`)],
    ["a founder named from before its moment", () => db().run(sql`UPDATE members SET founder_at = ${Date.now() - 50 * day} WHERE id = ${people[2].id}`)],
    ["a member who left", () => db().run(sql`UPDATE members SET deleted_at = ${Date.now()} WHERE id = ${people[0].id}`)],
    ["an initiative hidden from before its moment", () => db().run(sql`UPDATE initiatives SET hidden_at = ${Date.now() - 40 * day} WHERE id = (SELECT initiative_id FROM sessions WHERE id = ${recent})`)],
    ["a meeting moved from before its moment", () => db().run(sql`UPDATE sessions SET starts_at = starts_at + ${day} WHERE id = ${older}`)],
  ])("is not used after %s: every meeting is replayed", (_, change) => {
    storeVoiceCheckpoint(Date.now());
    change();
    expect(restart()).toBe("full");
    expect(voices()).toEqual(fullReplay());
    // The scheduler then stores the state anew, which the next restart uses.
    expect(storeVoiceCheckpoint(Date.now())).toBe(true);
    expect(restart()).toBe("restored");
    expect(voices()).toEqual(fullReplay());
  });

  it("is not used when other code wrote it, or when it cannot be read", () => {
    storeVoiceCheckpoint(Date.now());
    // The version before stored it, before this process began.
    db().run(sql`UPDATE voice_checkpoint SET fingerprint = 'an older build', saved_at = ${Date.now() - 60 * 60_000}`);
    expect(restart()).toBe("full");
    expect(storeVoiceCheckpoint(Date.now())).toBe(true);
    expect(stored()!.fingerprint).not.toBe("an older build");
    // A newer build's install stored its own after this process began (ADR 059): left for the
    // start that replaces this process, unless this is that install's preparation.
    db().run(sql`UPDATE voice_checkpoint SET fingerprint = 'a newer build', saved_at = ${Date.now()}`);
    expect(restart()).toBe("full");
    expect(storeVoiceCheckpoint(Date.now())).toBe(false);
    expect(stored()!.fingerprint).toBe("a newer build");
    expect(storeVoiceCheckpoint(Date.now(), { forNextStart: true })).toBe(true);
    expect(stored()!.fingerprint).not.toBe("a newer build");
    // A damaged value: the replay goes on without it, it does not fail.
    db().run(sql`UPDATE voice_checkpoint SET state = ${randomBytes(2000)}`);
    expect(restart()).toBe("full");
    db().run(sql`UPDATE voice_checkpoint SET state = ${Buffer.from([0xff, 0x0f, 0x6f, 0x7b])}`);
    expect(restart()).toBe("full");
    expect(voices()).toEqual(fullReplay());
  });

  it("is not used once attendance written ahead of its time counts", async () => {
    // Someone with no attendance yet, marked present at the meeting of 45 days ago with a time a
    // minute from now (written by hand: the app writes attendance at its time). The state is
    // stored before it counts; once it counts, the state no longer holds.
    const late = await memberWithSession(`Laat ${randomBytes(2).toString("hex")}`);
    ageAccount(late.id, 200 * day);
    const ahead = Date.now() + 60_000;
    db().run(sql`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, updated_at) VALUES (${older}, ${late.id}, 'registered', 9, ${ahead}, 'code', ${ahead})`);
    forgetKeptReplay();
    voiceReplay();
    storeVoiceCheckpoint(Date.now());
    const seenOfLate = (replay: ReturnType<typeof voiceReplay>) => ({ ...replay.member(late.id), earnings: replay.earnings.filter((e) => e.memberId === late.id) });
    // Once it counts, the meeting counts for them (a voice, or a miss with its reason).
    expect(seenOfLate(voiceReplay())).toMatchObject({ lastMiss: null, earnings: [] });
    const then = seenOfLate(replayVoices(replayInput(ahead + 1)));
    expect(then.lastMiss?.sessionId ?? then.earnings[0]?.sessionId).toBe(older);
    forgetKeptReplay();
    const before = { ...replayCounts };
    expect(seenOfLate(voiceReplay(ahead + 1))).toEqual(then);
    expect(replayCounts.full).toBe(before.full + 1);
    expect(replayCounts.restored).toBe(before.restored);
  });

  it("keeps the notes of attendance changes it needs until a newer state is stored", () => {
    storeVoiceCheckpoint(Date.now());
    const notes = () => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM voice_attendance_changes WHERE version > ${stored()!.version}`).n;
    for (const p of people.slice(0, 3)) db().run(sql`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, updated_at) VALUES (${recent}, ${p.id}, 'registered', 9, ${Date.now() - day}, 'code', ${Date.now()})`);
    // The kept replay reads them and the log is written: the notes stay for the stored state.
    recordVoiceChanges();
    expect(notes()).toBe(3);
    expect(restart()).toBe("restored");
    expect(voices()).toEqual(fullReplay());
    // A newer state (here: the stored one replaced after a member left) makes them unneeded.
    db().run(sql`UPDATE members SET deleted_at = ${Date.now()} WHERE id = ${people[5].id}`);
    voiceReplay();
    expect(storeVoiceCheckpoint(Date.now())).toBe(true);
    recordVoiceChanges();
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM voice_attendance_changes`).n).toBe(0);
  });

  it("maps the file only while it replays, and unmaps it when the replay fails half-way", () => {
    const mapping = () => db().$client.pragma("mmap_size", { simple: true });
    expect(mapping()).toBe(0);
    expect(restart()).toBe("full");
    expect(mapping()).toBe(0);
    expect(voices()).toEqual(fullReplay());
    storeVoiceCheckpoint(Date.now());
    expect(restart()).toBe("restored");
    expect(mapping()).toBe(0);
    // A table the replay reads is gone while it reads: the replay fails, nothing is kept, the file is unmapped.
    db().$client.exec("ALTER TABLE host_terms RENAME TO host_terms_away");
    try {
      forgetKeptReplay();
      expect(() => voiceReplay()).toThrow(/host_terms/);
      expect(mapping()).toBe(0);
    } finally {
      db().$client.exec("ALTER TABLE host_terms_away RENAME TO host_terms");
    }
    expect(restart()).toBe("restored");
    expect(voices()).toEqual(fullReplay());
  });
});
