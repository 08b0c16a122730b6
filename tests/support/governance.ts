// Governance state for tests (docs/governance.md §1, version 2), written straight into the test
// database: founders, and meetings that count for a voice. Time is moved by writing timestamps.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll } from "vitest";
import { db } from "~/lib/db.server";
import { memberWithSession } from "./requests";

const day = 86_400_000;

/**
 * Makes a member a founder whose account is `ageMs` old (2 days by default): during the bootstrap
 * a founder has a voice and is a witness.
 */
export function makeFounder(memberId: string, ageMs = 2 * day) {
  const createdAt = Date.now() - ageMs;
  db().run(sql`UPDATE members SET created_at = ${createdAt}, founder_at = ${createdAt} WHERE id = ${memberId}`);
}

/** Backdates a member's account. */
export function ageAccount(memberId: string, ageMs: number) {
  db().run(sql`UPDATE members SET created_at = ${Date.now() - ageMs} WHERE id = ${memberId}`);
}

/**
 * A meeting `daysAgo` days ago (10 by default: its voices have started) that stood on the agenda
 * three days ahead, hosted by `hostId`, where `witnesses` checked in with the code themselves and
 * `attendees` were marked present by the host. Accounts too young to count are made old enough,
 * and witnesses who are founders are made founders from before it. Returns the session's id.
 */
export function witnessedMeeting(input: { hostId: string; witnesses: string[]; attendees: string[]; daysAgo?: number; title?: string }) {
  const start = Date.now() - (input.daysAgo ?? 10) * day;
  const announced = start - 3 * day;
  const everyone = [input.hostId, ...input.witnesses, ...input.attendees];
  for (const id of everyone) {
    db().run(sql`UPDATE members SET created_at = min(created_at, ${start - 30 * day}) WHERE id = ${id}`);
    db().run(sql`UPDATE members SET founder_at = min(founder_at, ${start - 30 * day}) WHERE id = ${id} AND founder_at IS NOT NULL`);
  }
  const initiative = db().get<{ id: number }>(sql`
    INSERT INTO initiatives (title, summary, body, kind, created_by, created_at, updated_at)
    VALUES (${input.title ?? "Intervisie"}, 'Samen leren van casussen.', '', 'course', ${input.hostId}, ${announced}, ${announced}) RETURNING id`);
  db().run(sql`INSERT INTO hosts (initiative_id, member_id, since, last_action_at) VALUES (${initiative.id}, ${input.hostId}, ${announced}, ${start})`);
  const session = db().get<{ id: number }>(sql`
    INSERT INTO sessions (initiative_id, starts_at, ends_at, place, checkin_code, announced_at, created_at, updated_at)
    VALUES (${initiative.id}, ${start}, ${start + 2 * 3_600_000}, 'Buurthuis De Linde', ${randomBytes(3).toString("hex").toUpperCase()}, ${announced}, ${announced}, ${announced}) RETURNING id`);
  let seq = 0;
  const attend = (memberId: string, by: string) =>
    db().run(sql`
      INSERT INTO registrations (session_id, member_id, status, queued_seq, attended_at, attendance_by, created_at, updated_at)
      VALUES (${session.id}, ${memberId}, 'registered', ${++seq}, ${start + 600_000}, ${by}, ${announced}, ${start + 600_000})`);
  for (const id of input.witnesses) attend(id, "code");
  for (const id of input.attendees) attend(id, input.hostId);
  return { sessionId: session.id, initiativeId: initiative.id };
}

type Member = Awaited<ReturnType<typeof memberWithSession>>;

/**
 * Two founders who witness every meeting and Hanna who hosts them, made before the file's tests
 * (the network stays in its bootstrap while fewer than five voices are earned); `meeting` is a
 * witnessed meeting of theirs `daysAgo` ago with `attendees` marked present by Hanna, `newcomer` a
 * member whose account is old enough to earn a voice.
 */
export function witnessingCircle() {
  const circle = {} as { founderA: Member; founderB: Member; hanna: Member };
  beforeAll(async () => {
    [circle.founderA, circle.founderB, circle.hanna] = await Promise.all(["Founder A", "Founder B", "Hanna"].map((n) => memberWithSession(n)));
    makeFounder(circle.founderA.id, 60 * day);
    makeFounder(circle.founderB.id, 60 * day);
    ageAccount(circle.hanna.id, 60 * day);
  });
  return {
    circle,
    meeting: (daysAgo: number, attendees: Member[] = []) =>
      witnessedMeeting({ hostId: circle.hanna.id, witnesses: [circle.founderA.id, circle.founderB.id], attendees: attendees.map((m) => m.id), daysAgo }),
    newcomer: async (name: string) => {
      const m = await memberWithSession(name);
      ageAccount(m.id, 30 * day);
      return m;
    },
  };
}
