// The reminder's first word follows the calendar in the community's time zone: "Vandaag:" for a
// session later the same day, "Morgen:" for one the next day (it is sent up to a day ahead).
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { register } from "~/models/registrations.server";
import { queueDueReminders } from "~/models/sessions.server";
import { hour, initiativeBy, sessionOf } from "../support/fixtures";
import { memberWithSession } from "../support/requests";

const reminderSubject = (memberId: string, sessionId: number) =>
  db().get<{ subject: string }>(sql`SELECT subject FROM outbox WHERE member_id = ${memberId} AND kind = 'reminder' AND dedupe_key LIKE ${`reminder:${sessionId}:%`}`)?.subject;

describe("the reminder's subject", () => {
  it.each([
    // 08:00 in Amsterdam (winter, UTC+1): a session at 19:00 is today; at 07:00 the next morning, tomorrow.
    ["2027-01-12T07:00:00Z", 10 * hour, "Vandaag: Cursus samenwerken"],
    ["2027-01-12T07:00:00Z", 23 * hour, "Morgen: Cursus samenwerken"],
    // 23:30 in Amsterdam on a summer evening (UTC+2) is 21:30Z: a session an hour later is tomorrow there.
    ["2027-07-12T21:30:00Z", 1 * hour, "Morgen: Cursus samenwerken"],
  ])("at %s, a session %i ms later: %s", async (nowText, startsIn, subject) => {
    const now = new Date(nowText);
    const host = await memberWithSession();
    const ann = await memberWithSession();
    const sessionId = sessionOf(initiativeBy(host.id, {}, new Date(now.getTime() - 30 * 24 * hour)), host.id, { startsIn, now });
    register(sessionId, ann.id, now);
    queueDueReminders(now);
    expect(reminderSubject(ann.id, sessionId)).toBe(subject);
  });
});
