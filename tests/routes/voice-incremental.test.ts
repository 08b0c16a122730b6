// The kept voice replay resumes from a copy of its state when only attendance changed
// (app/models/voice-replay.server.ts). Whatever was written, in whatever order, the voices it
// gives must be exactly those of replaying every meeting from the database again. Random
// sequences of writes on a real SQLite file: check-ins with the code, hosts marking and unmarking,
// sign-ups removed, attendance moved between meetings, brand-new accounts checking in, meetings
// starting as time passes, and now and then a change that is not attendance: a founder, a hold or
// its end, an initiative hidden or shown again (with its log entry, or by hand), a meeting moved,
// cancelled or given back, or announced otherwise, a member leaving (or, by hand, back). After those
// the replay resumes from before the change's moment, or replays everything when that is older than
// its copies (migrations 0026, 0027).
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { replayVoices, type VoiceReplay } from "~/governance/voice";
import { db } from "~/lib/db.server";
import { earlyReadVersion, forgetKeptReplay, readMeetingsEarly, replayCounts, replayInput, replayReader, storeVoiceCheckpoint } from "~/models/voice-replay.server";
import { voiceReplay } from "~/models/voice.server";

const day = 86_400_000;
const hour = 3_600_000;

/** A small deterministic random source, so that a failing sequence can be run again. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: T[]) => list[Math.floor(next() * list.length)] };
}

function member(createdAt: number, founder = false): string {
  const id = `m-${randomBytes(5).toString("hex")}`;
  db().run(sql`INSERT INTO members (id, email, password_hash, display_name, created_at, founder_at) VALUES (${id}, ${`${id}@example.org`}, 'x', ${id}, ${createdAt}, ${founder ? createdAt : null})`);
  return id;
}

/** An initiative hosted by `hostId` with sessions starting at `starts`; returns the sessions' ids. */
function initiative(hostId: string, starts: number[], announcedBefore: number): { initiativeId: number; sessions: { id: number; startsAt: number }[] } {
  const first = Math.min(...starts) - announcedBefore;
  const { id } = db().get<{ id: number }>(sql`
    INSERT INTO initiatives (title, summary, body, kind, created_by, created_at, updated_at)
    VALUES (${`Intervisie ${randomBytes(2).toString("hex")}`}, 'Samen leren.', '', 'course', ${hostId}, ${first}, ${first}) RETURNING id`);
  db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${id}, ${hostId}, ${first}, ${first})`);
  const sessions = starts.map((startsAt) => {
    const announced = startsAt - announcedBefore;
    const row = db().get<{ id: number }>(sql`
      INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at)
      VALUES (${id}, ${startsAt}, ${startsAt + 2 * hour}, 'Buurthuis De Linde', 'ACDEFG', ${announced}, ${announced}, ${announced}) RETURNING id`);
    return { id: row.id, startsAt };
  });
  return { initiativeId: id, sessions };
}

/** Everything a page can read from a replay, for comparing two of them. */
function seen(replay: VoiceReplay, memberIds: string[]) {
  return {
    bootstrapping: replay.bootstrapping,
    earnedCount: replay.earnedCount,
    voices: [...replay.voices].sort(([a], [b]) => a.localeCompare(b)),
    witnesses: [...replay.witnesses].sort(),
    earnings: replay.earnings,
    voided: replay.voided,
    nextChange: replay.nextChange,
    // How old an account is, the profile reads from the database (voiceOfMember).
    members: memberIds.map((id) => ({ ...replay.member(id), accountOldEnough: undefined })),
  };
}

/**
 * A random network and a random sequence of 120 rounds of writes on it; after each round, the
 * voices the app gives must be those of replaying every meeting again. With `restarts`, every
 * tenth round the scheduler stores the replay's state and the server restarts (forgets what it kept).
 */
function sequence(seed: number, restarts: boolean, rareShare = 0.04, readAhead = false) {
  const r = random(seed);
  const base = Date.now();
  const founders = [0, 1, 2, 3].map(() => member(base - 200 * day, true));
  const people = Array.from({ length: 24 }, (_, i) => member(base - (i % 6 === 0 ? 3 : 90) * day));
  const hosts = people.slice(0, 6);
  // Meetings from four months ago to the next three days: most in the last weeks, where
  // attendance still changes, some announced too late to count.
  const initiatives = hosts.map((hostId, i) => {
    const starts = Array.from({ length: 6 }, () => base - Math.floor((r.next() < 0.6 ? 25 : 120) * day * r.next()) + (r.next() < 0.15 ? Math.floor(3 * day * r.next()) : 0));
    return initiative(hostId, starts, i === 5 ? 24 * hour : 3 * day);
  });
  const sessions = initiatives.flatMap((i) => i.sessions.map((s) => ({ ...s, initiativeId: i.initiativeId })));
  let now = base;
  const attend = (sessionId: number, memberId: string, by: string) => {
    const exists = db().get<{ id: number } | undefined>(sql`SELECT id FROM registrations WHERE session_id = ${sessionId} AND member_id = ${memberId}`);
    if (exists) db().run(sql`UPDATE registrations SET attended_at = ${now}, attendance_by = ${by}, updated_at = ${now} WHERE id = ${exists.id}`);
    else db().run(sql`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at) VALUES (${sessionId}, ${memberId}, 'registered', 1, ${now}, ${by}, ${now}, ${now})`);
  };
  // Founders meet often enough for voices to be earned, the bootstrap to end and the brake to hold.
  for (const s of sessions) for (const f of founders) if (r.next() < 0.5) attend(s.id, f, "code");

  const attended = () => db().all<{ id: number; session_id: number; member_id: string }>(sql`SELECT id, session_id, member_id FROM registrations WHERE attended_at IS NOT NULL`);
  const writes: (() => void)[] = [
    // A check-in with the code, mostly at recent meetings.
    () => {
      const recent = sessions.filter((s) => s.startsAt > now - 3 * day && s.startsAt < now + 30 * 60_000);
      const session = recent.length && r.next() < 0.7 ? r.pick(recent) : r.pick(sessions);
      attend(session.id, r.pick([...founders, ...people]), "code");
    },
    // A host marks someone present.
    () => {
      const session = r.pick(sessions);
      attend(session.id, r.pick(people), hosts[initiatives.findIndex((i) => i.initiativeId === session.initiativeId)]);
    },
    // A brand-new account checks in (a new account alone does not make the replay stale).
    () => {
      const session = r.pick(sessions);
      attend(session.id, member(now - Math.floor(20 * day * r.next())), "code");
    },
    // Attendance unmarked, a sign-up removed, attendance moved to another meeting, its kind changed.
    () => {
      const row = r.pick(attended());
      if (row) db().run(sql`UPDATE registrations SET attended_at = NULL, attendance_by = NULL WHERE id = ${row.id}`);
    },
    () => {
      const row = r.pick(attended());
      if (row) db().run(sql`DELETE FROM registrations WHERE id = ${row.id}`);
    },
    () => {
      const row = r.pick(attended());
      const to = r.pick(sessions);
      const taken = db().get(sql`SELECT 1 FROM registrations WHERE session_id = ${to.id} AND member_id = ${row?.member_id ?? ""}`);
      if (row && !taken) db().run(sql`UPDATE registrations SET session_id = ${to.id} WHERE id = ${row.id}`);
    },
    () => {
      const row = r.pick(attended());
      if (row) db().run(sql`UPDATE registrations SET attendance_by = CASE attendance_by WHEN 'code' THEN ${hosts[0]} ELSE 'code' END WHERE id = ${row.id}`);
    },
    // Time passes: meetings start, voices start and end.
    () => {
      now += Math.floor(r.next() * 10 * hour);
    },
  ];
  const rare: (() => void)[] = [
    () => db().run(sql`UPDATE members SET posting_held_at = ${r.next() < 0.5 ? now : null} WHERE id = ${r.pick(people)}`),
    // A member leaves (a host among them too), or is back by hand.
    () => db().run(sql`UPDATE members SET deleted_at = CASE WHEN deleted_at IS NULL THEN ${now} END WHERE id = ${r.pick(people)}`),
    () => db().run(sql`UPDATE members SET founder_at = ${r.next() < 0.5 ? now - 30 * day : now} WHERE id = ${r.pick(people)}`),
    () => db().run(sql`UPDATE initiatives SET hidden_at = ${r.next() < 0.5 ? now : null} WHERE id = ${r.pick(initiatives).initiativeId}`),
    // A meeting moved by up to three hours either way, cancelled or given back, announced late or in time.
    () => db().run(sql`UPDATE sessions SET starts_at = starts_at + ${Math.floor((r.next() - 0.5) * 6 * hour)} WHERE id = ${r.pick(sessions).id}`),
    () => db().run(sql`UPDATE sessions SET cancelled_at = ${r.next() < 0.5 ? now : null} WHERE id = ${r.pick(sessions).id}`),
    () => db().run(sql`UPDATE sessions SET announced_at = starts_at - ${r.next() < 0.5 ? hour : 4 * day} WHERE id = ${r.pick(sessions).id}`),
    // Hidden by flags or shown again as the app does it: with its entry in the log, which the
    // replay reads the hiding from.
    () => {
      const id = r.pick(initiatives).initiativeId;
      const hidden = db().get<{ hidden_at: number | null }>(sql`SELECT hidden_at FROM initiatives WHERE id = ${id}`).hidden_at !== null;
      db().run(sql`INSERT INTO log_entries (at, action, actor_id, subject_type, subject_id, detail) VALUES (${now}, ${hidden ? "content.restored" : "content.hidden"}, NULL, 'initiative', ${String(id)}, '{}')`);
      db().run(sql`UPDATE initiatives SET hidden_at = ${hidden ? null : now} WHERE id = ${id}`);
    },
  ];

  const everyone = () => db().all<{ id: string }>(sql`SELECT id FROM members`).map((m) => m.id);
  const before = { ...replayCounts };
  // With `readAhead`, each start begins reading on a worker first, as the server's start does.
  if (readAhead) {
    forgetKeptReplay();
    db().run(sql`DELETE FROM voice_checkpoint`);
    readMeetingsEarly(now);
  }
  voiceReplay(now);
  for (let step = 0; step < 120; step++) {
    const restart = restarts && step % 10 === 9;
    if (restart) {
      // The scheduler stores the replay's state, and the server restarts.
      storeVoiceCheckpoint(now);
      forgetKeptReplay();
    }
    const writesNow = r.next() < 0.8 ? 1 : 1 + r.int(3);
    for (let w = 0; w < writesNow; w++) (r.next() < rareShare ? r.pick(rare) : r.pick(writes))();
    if (restart && readAhead) {
      // Without the stored state, as after a release that changed the tables voices come from.
      db().run(sql`DELETE FROM voice_checkpoint`);
      readMeetingsEarly(now);
    }
    const ids = everyone();
    expect(seen(voiceReplay(now), ids), `seed ${seed}, step ${step}`).toEqual(seen(replayVoices(replayInput(now)), ids));
  }
  return {
    resumed: replayCounts.resumed - before.resumed,
    restored: replayCounts.restored - before.restored,
    full: replayCounts.full - before.full,
    readOnWorker: replayCounts.readOnWorker - before.readOnWorker,
  };
}

describe("the kept voice replay, resumed after attendance changes", () => {
  it.each([1, 2, 3])("gives the voices of a full replay after every write of a random sequence (seed %i)", (seed) => {
    // The sequence did exercise resuming, not only replaying everything.
    expect(sequence(seed, false).resumed).toBeGreaterThan(30);
  });

  it.each([4, 5, 6])("gives them too after restarts, from the stored state or from every meeting (seed %i)", (seed) => {
    const counts = sequence(seed, true);
    // Of the eleven restarts, some went on from the stored state; others found it no longer held
    // (attendance changed at an older meeting, a hold, a founder, a hidden initiative) and
    // replayed every meeting, as does the first replay of each sequence's network.
    expect(counts.restored).toBeGreaterThan(2);
    expect(counts.full).toBeGreaterThan(0);
  });
});

describe("the kept voice replay, resumed after holds, founders and hiding", () => {
  it.each([7, 8, 9])("gives the voices of a full replay when a third of the writes are these (seed %i)", (seed) => {
    // Every step is checked against a full replay inside; that it resumed after these writes is
    // checked one by one in tests/routes/voice-cache.test.ts.
    expect(sequence(seed, false, 0.3).resumed).toBeGreaterThan(30);
  });

  it.each([10, 11])("and after restarts (seed %i)", (seed) => {
    const counts = sequence(seed, true, 0.3);
    expect(counts.restored).toBeGreaterThan(2);
  });
});

describe("a replay of every meeting read on a worker, as at the start (ADR 063)", () => {
  it.each([12, 13])("gives the voices of replaying them as read here, and the same after every write (seed %i)", (seed) => {
    // Every network counts as large here, and each of the twelve restarts finds no stored state:
    // the first replay of each start, and the sequence's first, is read on the worker (meetings of
    // the last three weeks as sessions, which the replay keeps; older ones as numbers).
    replayReader.fromCheckIns = 0;
    try {
      const counts = sequence(seed, true, 0.3, true);
      expect(counts.readOnWorker).toBe(13);
    } finally {
      replayReader.fromCheckIns = 20_000;
    }
  });

  it("reads them here when something was written after the worker began (another version)", () => {
    replayReader.fromCheckIns = 0;
    try {
      const now = Date.now() + 500 * day;
      const founders = [0, 1, 2].map(() => member(now - 300 * day, true));
      const host = member(now - 200 * day);
      const newcomer = member(now - 100 * day);
      const { sessions } = initiative(host, [now - 40 * day, now - 20 * day, now - 2 * day], 4 * day);
      const attend = (sessionId: number, memberId: string, at: number) =>
        db().run(sql`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at) VALUES (${sessionId}, ${memberId}, 'registered', 1, ${at}, 'code', ${at}, ${at})`);
      for (const s of sessions.slice(0, 2)) for (const f of founders) attend(s.id, f, s.startsAt);
      forgetKeptReplay();
      db().run(sql`DELETE FROM voice_checkpoint`);
      readMeetingsEarly(now);
      // Written after the worker began its read transaction: it reads the version before.
      expect(earlyReadVersion()).toBe(db().get<{ version: number }>(sql`SELECT version FROM derived_versions WHERE name = 'voice'`).version);
      attend(sessions[0].id, newcomer, sessions[0].startsAt);
      const counts = { ...replayCounts };
      const ids = [...founders, host, newcomer];
      expect(seen(voiceReplay(now), ids)).toEqual(seen(replayVoices(replayInput(now)), ids));
      expect(replayCounts.full).toBe(counts.full + 1);
      expect(replayCounts.readOnWorker).toBe(counts.readOnWorker);
      // The check-in written after the worker began counts: without it the newcomer has nothing.
      const voice = voiceReplay(now).member(newcomer);
      expect(voice.reason.kind !== "none" || voice.pending !== null || voice.lastMiss !== null).toBe(true);
    } finally {
      replayReader.fromCheckIns = 20_000;
    }
  });
});

describe("the kept replay's copies of its state", () => {
  it("stay true when a meeting older than a day but newer than any replayed gets its first attendance", () => {
    // The replay keeps a copy of its state from before the last day's meetings. Here nobody
    // attended anything in the day before the replay; then a host marks attendance at a meeting
    // two days old, and later two check-ins come in at a meeting of this morning. The second
    // resumes from the copy: it must hold the meeting of two days ago.
    const now = Date.now() + 400 * day;
    const founders = [0, 1, 2].map(() => member(now - 300 * day, true));
    const host = member(now - 200 * day);
    const [early, late] = [member(now - 100 * day), member(now - 100 * day)];
    const { sessions } = initiative(host, [now - 3 * day, now - 2 * day, now - 10 * hour], 4 * day);
    const attend = (sessionId: number, memberId: string, by: string, at: number) =>
      db().run(sql`INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at) VALUES (${sessionId}, ${memberId}, 'registered', 1, ${at}, ${by}, ${at}, ${at})`);
    for (const f of founders) attend(sessions[0].id, f, "code", sessions[0].startsAt);
    attend(sessions[0].id, early, "code", sessions[0].startsAt);
    const ids = [...founders, host, early, late];
    const check = (label: string) => expect(seen(voiceReplay(now), ids), label).toEqual(seen(replayVoices(replayInput(now)), ids));
    check("first replay");
    for (const f of founders) attend(sessions[1].id, f, host, now - day);
    attend(sessions[1].id, late, host, now - day);
    check("attendance marked at the meeting of two days ago");
    attend(sessions[2].id, founders[0], "code", now - 9 * hour);
    check("a check-in this morning");
    const resumed = replayCounts.resumed;
    attend(sessions[2].id, founders[1], "code", now - 8 * hour);
    check("a second check-in this morning");
    expect(replayCounts.resumed).toBe(resumed + 1);
  });
});
