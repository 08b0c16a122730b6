// Voices are kept in memory between changes (app/models/voice.server.ts): one replay of the
// network's meetings serves every request until derived_versions.voice moves (the database's
// triggers raise it on every change to attendance, founders, holds and hiding, and to the time
// and hosts of meetings with attendance, whichever connection writes) or time passes the
// replay's `nextChange`. A new account, initiative, session or sign-up does not raise it, nor a
// renamed initiative or a host who steps back (their hosting is kept). Whatever changes a voice
// must be seen at once, and nothing from a transaction that was rolled back.
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { governance } from "~/governance/config";
import { replayVoices } from "~/governance/voice";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { deleteAccount } from "~/models/account.server";
import { derivedVersion } from "~/models/derived.server";
import { flag } from "~/models/flags.server";
import { checkIn, markAttendance } from "~/models/registrations.server";
import { register } from "~/models/registrations.server";
import { replayInput, voiceOfMember, voiceReplay, voiceSnapshot } from "~/models/voice.server";
import { day, initiativeBy, sessionOf } from "../support/fixtures";
import { ageAccount, makeFounder, witnessingCircle } from "../support/governance";
import { memberWithSession } from "../support/requests";

const startOf = (sessionId: number) => db().get<{ starts_at: number }>(sql`SELECT starts_at FROM sessions WHERE id = ${sessionId}`).starts_at;
const codeOf = (sessionId: number) => db().get<{ checkin_code: string }>(sql`SELECT checkin_code FROM sessions WHERE id = ${sessionId}`).checkin_code;

// Two founders witness every meeting here (the network stays in its bootstrap: fewer than five
// earned voices), and Hanna hosts them.
const { circle, meeting, newcomer } = witnessingCircle();

describe("the voice snapshot kept in memory", () => {
  it("serves one replay until something changes, and sees a check-in with the code at once", async () => {
    // A meeting that began half an hour ago: check-in is open.
    const { sessionId } = meeting(0.5 / 24);
    const walkIn = await newcomer("Walk-in");
    const first = voiceSnapshot();
    expect(voiceSnapshot().voices).toBe(first.voices);
    expect(voiceOfMember(walkIn.id).pending).toBeNull();
    const version = derivedVersion("voice");

    checkIn(sessionId, walkIn.id, codeOf(sessionId));
    expect(derivedVersion("voice")).toBeGreaterThan(version);
    expect(voiceSnapshot().voices).not.toBe(first.voices);
    // The voice is pending: it starts a week after the meeting.
    expect(voiceOfMember(walkIn.id)).toMatchObject({ reason: { kind: "none" }, pending: { sessionId, startsAt: startOf(sessionId) + governance.pendingDays * day, heldBack: false } });
    expect(voiceReplay().earnings.some((e) => e.memberId === walkIn.id && e.sessionId === sessionId)).toBe(true);
  });

  it("sees attendance a host marks or unmarks at once", async () => {
    // Seven days and an hour ago: its voices have just started, and its attendance is not yet fixed.
    const guest = await newcomer("Guest");
    const { sessionId } = meeting(7 + 1 / 24, [guest]);
    expect(voiceSnapshot().voices.get(guest.id)).toMatchObject({ kind: "earned", via: "attended", sessionId });
    markAttendance(sessionId, circle.hanna.id, guest.id, false);
    expect(voiceSnapshot().voices.has(guest.id)).toBe(false);
    expect(voiceOfMember(guest.id).reason.kind).toBe("none");
    markAttendance(sessionId, circle.hanna.id, guest.id, true);
    expect(voiceSnapshot().voices.get(guest.id)).toMatchObject({ kind: "earned", via: "attended", sessionId });
    expect(voiceOfMember(guest.id).reason.kind).toBe("earned");
  });

  it("sees changes written by another connection to the same database file", async () => {
    const regular = await newcomer("Regular");
    const invited = await newcomer("Invited");
    const { sessionId } = meeting(10, [regular]);
    expect(voiceSnapshot().voices.get(regular.id)?.kind).toBe("earned");
    expect(voiceSnapshot().voices.has(invited.id)).toBe(false);
    const other = new Database(env().databasePath);
    try {
      other.prepare("UPDATE registrations SET attended_at = NULL, attendance_by = NULL WHERE session_id = ? AND member_id = ?").run(sessionId, regular.id);
      expect(voiceSnapshot().voices.has(regular.id)).toBe(false);
      other.prepare("UPDATE members SET founder_at = ? WHERE id = ?").run(Date.now() - 2 * day, invited.id);
      expect(voiceSnapshot().voices.get(invited.id)?.kind).toBe("founder");
    } finally {
      other.close();
    }
  });

  it("starts and ends a voice when time alone passes its moment, without any write", async () => {
    const learner = await newcomer("Learner");
    const { sessionId } = meeting(3, [learner]);
    const start = startOf(sessionId);
    const now = Date.now();
    expect(voiceSnapshot(now).voices.has(learner.id)).toBe(false);
    // The next moment time changes a voice is when this one starts.
    expect(voiceReplay(now).nextChange).toBe(start + governance.pendingDays * day);
    expect(voiceSnapshot(start + governance.pendingDays * day - 1).voices.has(learner.id)).toBe(false);
    expect(voiceSnapshot(start + governance.pendingDays * day).voices.get(learner.id)?.kind).toBe("earned");
    // Asking about the present again is not answered from the future.
    expect(voiceSnapshot(now + 1).voices.has(learner.id)).toBe(false);
    // 180 days after the meeting the earned voice has ended; while the network bootstraps, having
    // ever earned one still speaks.
    const lapsed = start + governance.voiceWindowDays * day;
    expect(voiceSnapshot(lapsed - 1).voices.get(learner.id)?.kind).toBe("earned");
    expect(voiceSnapshot(lapsed).bootstrapping).toBe(true);
    expect(voiceSnapshot(lapsed).voices.get(learner.id)?.kind).toBe("bootstrap");
  });

  it("takes the voice of a member held by flags at once", async () => {
    const loud = await newcomer("Loud");
    meeting(9, [loud]);
    expect(voiceSnapshot().voices.get(loud.id)?.kind).toBe("earned");
    flag({ type: "member", id: loud.id }, circle.founderA.id, "7. Respect en privacy.", "spam");
    expect(flag({ type: "member", id: loud.id }, circle.founderB.id, "7. Respect en privacy.", "spam").held).toBe(true);
    expect(voiceSnapshot().voices.has(loud.id)).toBe(false);
    expect(voiceOfMember(loud.id)).toMatchObject({ reason: { kind: "none" }, held: true });
  });

  it("keeps nothing from a transaction that was rolled back, not even when a later change brings the version back to where it was", async () => {
    const doubter = await newcomer("Doubter");
    const latecomer = await newcomer("Latecomer");
    const { sessionId } = meeting(7 + 1 / 24, [doubter, latecomer]);
    for (const m of [doubter, latecomer]) markAttendance(sessionId, circle.hanna.id, m.id, false);
    expect(voiceSnapshot().voices.has(doubter.id)).toBe(false);
    const version = derivedVersion("voice");
    expect(() =>
      db().transaction(() => {
        markAttendance(sessionId, circle.hanna.id, doubter.id, true);
        expect(voiceSnapshot().voices.has(doubter.id)).toBe(true);
        throw new Error("rolled back");
      }),
    ).toThrow("rolled back");
    expect(derivedVersion("voice")).toBe(version);
    // The same kind of change, for someone else and committed, raises the version just as far.
    markAttendance(sessionId, circle.hanna.id, latecomer.id, true);
    const snapshot = voiceSnapshot();
    expect(snapshot.voices.has(latecomer.id)).toBe(true);
    expect(snapshot.voices.has(doubter.id)).toBe(false);
  });

  it("takes the voice of a member who deletes their account at once", async () => {
    // A founder who never hosted anything: deleting the account touches no hosts row.
    const leaving = await newcomer("Leaving");
    makeFounder(leaving.id, 30 * day);
    expect(voiceSnapshot().voices.get(leaving.id)?.kind).toBe("founder");
    deleteAccount(leaving.id);
    // A fresh replay leaves deleted members out (replayInput reads `deleted_at IS NULL`); the kept one must too.
    expect(voiceSnapshot().voices.has(leaving.id)).toBe(false);
  });

  it("is not made again for writes that cannot change anyone's voice: an account, an initiative, a session, a sign-up", async () => {
    meeting(20, []);
    const kept = voiceSnapshot();
    const version = derivedVersion("voice");
    const newcomerAccount = await memberWithSession("Net begonnen");
    const initiativeId = initiativeBy(newcomerAccount.id);
    const sessionId = sessionOf(initiativeId, newcomerAccount.id);
    register(sessionId, circle.hanna.id);
    db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${initiativeId}, ${circle.hanna.id}, ${Date.now()}, ${Date.now()})`);
    db().run(sql`UPDATE initiatives SET title = 'Andere titel' WHERE id = ${initiativeId}`);
    db().run(sql`UPDATE sessions SET starts_at = starts_at + 3600000 WHERE id = ${sessionId}`);
    expect(derivedVersion("voice")).toBe(version);
    expect(voiceSnapshot().voices).toBe(kept.voices);
    // What the kept replay says is what a fresh one would say.
    expect(new Map(voiceReplay().voices)).toEqual(new Map(voiceSnapshot().voices));
    // The new account is not in the kept replay; its age is read from the database all the same.
    expect(voiceOfMember(newcomerAccount.id)).toMatchObject({ reason: { kind: "none" }, accountOldEnough: false });
    ageAccount(newcomerAccount.id, 8 * day);
    expect(voiceOfMember(newcomerAccount.id).accountOldEnough).toBe(true);
  });

  it("is made again when a write touches a meeting with attendance: its time, who hosted it", async () => {
    const attendee = await newcomer("Deelnemer die erbij was");
    const { sessionId, initiativeId } = meeting(20, [attendee]);
    const changes = [
      () => db().run(sql`UPDATE sessions SET starts_at = starts_at + 60000 WHERE id = ${sessionId}`),
      () => db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${initiativeId}, ${circle.founderA.id}, ${Date.now() - 40 * day}, ${Date.now()})`),
    ];
    for (const change of changes) {
      const version = derivedVersion("voice");
      change();
      expect(derivedVersion("voice")).toBeGreaterThan(version);
    }
  });

  it("is not made again when an initiative is renamed: the profile names the meeting by its new title", async () => {
    const attendee = await newcomer("Deelnemer van de hernoemde");
    const { sessionId, initiativeId } = meeting(20, [attendee]);
    expect(voiceOfMember(attendee.id).reason).toMatchObject({ kind: "earned", sessionId, title: "Intervisie" });
    const kept = voiceSnapshot();
    const version = derivedVersion("voice");
    db().run(sql`UPDATE initiatives SET title = 'Intervisie, deel 2' WHERE id = ${initiativeId}`);
    expect(derivedVersion("voice")).toBe(version);
    expect(voiceSnapshot().voices).toBe(kept.voices);
    expect(voiceOfMember(attendee.id).reason).toMatchObject({ kind: "earned", sessionId, title: "Intervisie, deel 2" });
  });

  it("is not made again when a host steps back: every meeting that began was still hosted by them", async () => {
    const attendee = await newcomer("Deelnemer bij de gastvrouw");
    const { initiativeId } = meeting(20, [attendee]);
    const kept = voiceSnapshot();
    const version = derivedVersion("voice");
    db().run(sql`DELETE FROM hosts WHERE initiative_id = ${initiativeId} AND member_id = ${circle.hanna.id}`);
    expect(derivedVersion("voice")).toBe(version);
    expect(voiceSnapshot().voices).toBe(kept.voices);
    // What the kept replay says is what replaying every meeting from the database says now.
    const now = Date.now();
    const fresh = replayVoices(replayInput(now));
    expect(new Map(voiceSnapshot(now).voices)).toEqual(new Map(fresh.voices));
    expect(voiceReplay(now).earnings).toEqual(fresh.earnings);
    expect(fresh.earnings.some((e) => e.memberId === circle.hanna.id && e.via === "hosted")).toBe(true);
  });

  it("is made again when a host steps back from an initiative whose attendance is noted ahead of a later meeting", async () => {
    const attendee = await newcomer("Vroege deelnemer");
    const { initiativeId } = meeting(20, [attendee]);
    const later = sessionOf(initiativeId, circle.hanna.id, { startsIn: 3_600_000 });
    db().run(sql`
      INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at)
      VALUES (${later}, ${attendee.id}, 'registered', 1, ${Date.now()}, ${circle.hanna.id}, ${Date.now()}, ${Date.now()})`);
    const version = derivedVersion("voice");
    db().run(sql`DELETE FROM hosts WHERE initiative_id = ${initiativeId} AND member_id = ${circle.hanna.id}`);
    expect(derivedVersion("voice")).toBeGreaterThan(version);
  });
});
