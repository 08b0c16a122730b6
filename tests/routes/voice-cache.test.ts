// Voices are kept in memory between changes (app/models/voice.server.ts). Whatever changes a
// voice must be seen at once: attendance through the app, a write by another connection, time
// passing a lapse, and nothing from a transaction that was rolled back.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { governance } from "~/governance/config";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { markAttendance, register } from "~/models/registrations.server";
import { voiceOfMember, voiceSnapshot } from "~/models/voice.server";
import { day, hour, initiativeBy, sessionOf } from "../support/fixtures";
import { memberWithSession } from "../support/requests";

/** A host with a session that started two hours ago, and five long-standing members who each attended one (so the bootstrap is over). */
async function networkWithVoices() {
  const host = await memberWithSession("Host");
  const startedAgo = 2 * hour;
  const initiative = initiativeBy(host.id, {}, new Date(Date.now() - 3 * day));
  const session = sessionOf(initiative, host.id, { now: new Date(Date.now() - startedAgo - day), startsIn: day });
  const voices = [];
  for (let i = 0; i < governance.bootstrapVoiceThreshold; i++) {
    const m = await memberWithSession(`Earned ${i}`);
    register(session, m.id, new Date(Date.now() - 3 * hour));
    markAttendance(session, host.id, m.id, true);
    voices.push(m);
  }
  return { host, initiative, session, voices };
}

describe("the voice snapshot kept in memory", () => {
  it("sees attendance marked through the app at once", async () => {
    const { host, session } = await networkWithVoices();
    const newcomer = await memberWithSession("Newcomer");
    register(session, newcomer.id, new Date(Date.now() - 3 * hour));
    expect(voiceSnapshot().voices.has(newcomer.id)).toBe(false);
    markAttendance(session, host.id, newcomer.id, true);
    expect(voiceSnapshot().voices.get(newcomer.id)?.kind).toBe("attended");
    expect(voiceOfMember(newcomer.id).kind).toBe("attended");
    markAttendance(session, host.id, newcomer.id, false);
    expect(voiceSnapshot().voices.has(newcomer.id)).toBe(false);
  });

  it("sees a change written by another connection to the same database file", async () => {
    const { session } = await networkWithVoices();
    const newcomer = await memberWithSession("Other connection");
    register(session, newcomer.id, new Date(Date.now() - 3 * hour));
    expect(voiceSnapshot().voices.has(newcomer.id)).toBe(false);
    const other = new Database(env().databasePath);
    try {
      other.prepare("UPDATE registrations SET attended_at = ?, attendance_by = 'code' WHERE session_id = ? AND member_id = ?").run(Date.now() - hour, session, newcomer.id);
    } finally {
      other.close();
    }
    expect(voiceSnapshot().voices.get(newcomer.id)?.kind).toBe("attended");
  });

  it("lets a voice lapse when its attendance leaves the window, without any write", async () => {
    const { voices } = await networkWithVoices();
    const now = Date.now();
    expect(voiceSnapshot(now).voices.get(voices[0].id)?.kind).toBe("attended");
    // Every earned voice has lapsed by then, so the network is bootstrapping again and
    // long-standing accounts speak through the bootstrap.
    const later = now + (governance.voiceWindowDays + 1) * day;
    expect(voiceSnapshot(later).bootstrapping).toBe(true);
    expect(voiceSnapshot(later).voices.get(voices[0].id)?.kind).toBe("bootstrap");
    // And asking about the present again is not answered from the future.
    expect(voiceSnapshot(now + 1).voices.get(voices[0].id)?.kind).toBe("attended");
  });

  it("keeps nothing from a transaction that was rolled back", async () => {
    const { host, session } = await networkWithVoices();
    const newcomer = await memberWithSession("Rolled back");
    register(session, newcomer.id, new Date(Date.now() - 3 * hour));
    expect(voiceSnapshot().voices.has(newcomer.id)).toBe(false);
    expect(() =>
      db().transaction(() => {
        markAttendance(session, host.id, newcomer.id, true);
        expect(voiceSnapshot().voices.has(newcomer.id)).toBe(true);
        throw new Error("rolled back");
      }),
    ).toThrow("rolled back");
    expect(voiceSnapshot().voices.has(newcomer.id)).toBe(false);
  });
});
