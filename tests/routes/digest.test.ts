// The weekly digest (page and mail), mail settings and the one-click unsubscribe.
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { bodyOf, startSmtp } from "../support/smtp";

// The SMTP address must be known before the app reads its configuration.
const smtp = await startSmtp();
process.env.SMTP_URL = smtp.url;
process.env.MAIL_FROM = "Meedoen <meedoen@example.org>";

const { db } = await import("~/lib/db.server");
const { deliverOutbox, resetMailTransport } = await import("~/lib/mail.server");
const { runScheduledWork } = await import("~/lib/scheduler.server");
const { dueDigestWeek, parseWeek, queueWeeklyDigests, shiftWeek, weekLabel, weekOf, weekRange } = await import("~/models/digest.server");
const { register } = await import("~/models/registrations.server");
const { loader: digestIndexLoader } = await import("~/routes/digest._index");
const { loader: digestWeekLoader } = await import("~/routes/digest.$week");
const { action: settingsAction, loader: settingsLoader } = await import("~/routes/settings");
const { action: unsubscribeAction, loader: unsubscribeLoader } = await import("~/routes/unsubscribe.$token");
const { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } = await import("../support/requests");
const { day, hour, initiativeBy, sessionOf } = await import("../support/fixtures");

afterAll(async () => {
  resetMailTransport();
  await smtp.close();
});

type Page = Awaited<ReturnType<typeof import("~/routes/digest.$week").loader>>;
const weekPage = async (week: string) => settle(() => digestWeekLoader({ request: getRequest(`/digest/${week}`), context, params: { week } }));
const zone = "Europe/Amsterdam";
const digestRows = (memberId: string) => db().all<{ dedupe_key: string; body: string }>(sql`SELECT dedupe_key, body FROM outbox WHERE kind = 'digest' AND member_id = ${memberId}`);

describe("ISO weeks in the community's time zone", () => {
  it.each([
    ["2026-W48", { year: 2026, week: 48 }],
    ["2026-W01", { year: 2026, week: 1 }],
    ["2026-W53", { year: 2026, week: 53 }],
    ["2020-W53", { year: 2020, week: 53 }],
  ])("reads %s", (value, week) => expect(parseWeek(value)).toEqual(week));

  it.each(["2025-W53", "2026-W54", "2026-W00", "2026-w48", "26-W48", "2026-W48x", "2026-48", "", "../etc", "2026-W4"])("refuses %j", (value) => {
    expect(parseWeek(value)).toBeNull();
  });

  it("puts instants in the right week around midnight, the year boundary and daylight saving", () => {
    expect(weekLabel(weekOf(new Date("2026-11-25T12:00:00Z"), zone))).toBe("2026-W48");
    // Sunday 23:30 in Amsterdam is still week 48; Monday 00:30 there (23:30 UTC) is week 49.
    expect(weekLabel(weekOf(new Date("2026-11-29T22:30:00Z"), zone))).toBe("2026-W48");
    expect(weekLabel(weekOf(new Date("2026-11-29T23:30:00Z"), zone))).toBe("2026-W49");
    expect(weekLabel(weekOf(new Date("2027-01-01T12:00:00Z"), zone))).toBe("2026-W53");
    expect(weekLabel(weekOf(new Date("2025-12-29T12:00:00Z"), zone))).toBe("2026-W01");
    expect(weekLabel(shiftWeek({ year: 2026, week: 53 }, 1))).toBe("2027-W01");
    expect(weekLabel(shiftWeek({ year: 2026, week: 1 }, -1))).toBe("2025-W52");
    const w48 = weekRange({ year: 2026, week: 48 }, zone);
    expect(new Date(w48.start).toISOString()).toBe("2026-11-22T23:00:00.000Z");
    expect(new Date(w48.end).toISOString()).toBe("2026-11-29T23:00:00.000Z");
    // The week summer time ends (Sunday 25 October 2026) has 169 hours.
    const w43 = weekRange({ year: 2026, week: 43 }, zone);
    expect((w43.end - w43.start) / hour).toBe(169);
  });
});

describe("the digest page", () => {
  it("shows this week's initiatives, the next 7 days' sessions, outcomes, decisions and now updates; hidden ones not", async () => {
    const ann = await memberWithSession("Ann Digest");
    const initiativeId = initiativeBy(ann.id, { title: "Digest-cursus", summary: "Samen leren." });
    const soon = sessionOf(initiativeId, ann.id, { startsIn: 2 * day, place: "De Linde" });
    const later = sessionOf(initiativeId, ann.id, { startsIn: 9 * day });
    const now = Date.now();
    db().run(sql`INSERT INTO outcomes (initiative_id, member_id, body, created_at, updated_at) VALUES (${initiativeId}, ${ann.id}, 'Zichtbare opbrengst', ${now}, ${now})`);
    db().run(sql`INSERT INTO outcomes (initiative_id, member_id, body, created_at, updated_at, hidden_at) VALUES (${initiativeId}, ${ann.id}, 'Verborgen opbrengst', ${now}, ${now}, ${now})`);
    db().run(sql`INSERT INTO proposals (scope, kind, title, opened_at, deadline, closed_at, outcome) VALUES ('network', 'consent', 'Besluit van deze week', ${now - 8 * day}, ${now}, ${now}, '{"adopted":true,"reason":"consent","quorum":1,"eligible":1,"tally":{}}')`);
    db().run(sql`INSERT INTO proposals (scope, kind, title, opened_at, deadline) VALUES ('network', 'consent', 'Nog open voorstel', ${now}, ${now + 7 * day})`);
    db().run(sql`INSERT INTO now_updates (member_id, text, created_at) VALUES (${ann.id}, 'Bezig met de digest', ${now})`);

    const result = await digestIndexLoader();
    const { digest, previous, next, isCurrent } = result as Page;
    expect(isCurrent).toBe(true);
    expect(digest.week).toBe(weekLabel(weekOf(new Date())));
    expect(next).toBeNull();
    // The network began this week: there is no week before it to go back to.
    expect(previous).toBeNull();
    expect(digest.initiatives.map((i) => i.title)).toContain("Digest-cursus");
    expect(digest.sessions.map((s) => s.id)).toContain(soon);
    expect(digest.sessions.map((s) => s.id)).not.toContain(later);
    expect(digest.outcomes.map((o) => o.body)).toEqual(["Zichtbare opbrengst"]);
    expect(digest.decisions).toEqual([expect.objectContaining({ title: "Besluit van deze week", adopted: true })]);
    expect(digest.nowUpdates).toEqual([expect.objectContaining({ name: "Ann Digest", text: "Bezig met de digest" })]);
  });

  it("goes back to the week the network began, not before it", async () => {
    // A network that began three weeks ago.
    db().run(sql`UPDATE members SET created_at = ${Date.now() - 21 * day} WHERE id = (SELECT id FROM members ORDER BY created_at LIMIT 1)`);
    const first = db().get<{ at: number }>(sql`SELECT min(created_at) AS at FROM members`).at;
    expect(dataOf<Page>(await weekPage(weekLabel(weekOf(first)))).previous).toBeNull();
    expect(dataOf<Page>(await weekPage(weekLabel(shiftWeek(weekOf(first), -5)))).previous).toBeNull();
    expect(dataOf<Page>(await weekPage(weekLabel(shiftWeek(weekOf(first), 1)))).previous).toBe(weekLabel(weekOf(first)));
  });

  it("shows a past week with links both ways, and 404s nonsense and weeks to come", async () => {
    // A network that began ten weeks ago.
    db().run(sql`UPDATE members SET created_at = ${Date.now() - 70 * day} WHERE id = (SELECT id FROM members ORDER BY created_at LIMIT 1)`);
    const current = weekOf(new Date());
    const past = weekLabel(shiftWeek(current, -3));
    const page = dataOf<Page>(await weekPage(past));
    expect(page.digest.week).toBe(past);
    expect(page.next).toBe(weekLabel(shiftWeek(current, -2)));
    expect(page.previous).toBe(weekLabel(shiftWeek(current, -4)));
    expect(page.digest.initiatives.map((i) => i.title)).not.toContain("Digest-cursus");
    expect(page.digest.outcomes).toEqual([]);
    for (const week of ["2026-W99", "nonsense", "2026-W4", weekLabel(shiftWeek(current, 1))]) {
      expect(statusOf(await weekPage(week)), week).toBe(404);
    }
  });
});

describe("the weekly digest by mail", () => {
  // Monday 08:00 (Amsterdam) of next week: the digest of this week goes out.
  const nextMonday = () => weekRange(shiftWeek(weekOf(new Date()), 1), zone).start;

  it("is queued once per week for each member who opted in, sent over SMTP with an unsubscribe link that works without login", async () => {
    const reader = await memberWithSession("Rita Reader");
    const notOptedIn = await memberWithSession("Nico Not");
    const host = await memberWithSession("Hugo Host");
    const initiativeId = initiativeBy(host.id, { title: "Buurtsoep in de digest" });
    // Starts during the week after this one: "upcoming" in the mail sent on Monday.
    sessionOf(initiativeId, host.id, { startsIn: nextMonday() + 2 * day - Date.now() });

    // The digest is opt-in, switched on in the settings.
    expect(dataOf<{ digestOptIn: boolean }>(await settingsLoader({ request: getRequest("/settings", { cookie: reader.cookie }), context, params: {} })).digestOptIn).toBe(false);
    const saved = (await settings(reader.cookie, { intent: "mail", mail: ["registration", "promoted", "reminder"], digest: "on" })) as Response;
    expect(saved.status).toBe(303);
    expect(db().get(sql`SELECT digest_opt_in FROM members WHERE id = ${reader.id}`)).toEqual({ digest_opt_in: 1 });

    // Before Monday 07:00 only the week before is due (a catch-up for someone who just opted
    // in); this week's digest waits until 07:00.
    const early = new Date(nextMonday() + 6 * hour);
    expect(weekLabel(dueDigestWeek(early))).toBe(weekLabel(shiftWeek(weekOf(new Date()), -1)));
    expect(weekLabel(dueDigestWeek(new Date(nextMonday() + 7 * hour)))).toBe(weekLabel(weekOf(new Date())));
    const monday = new Date(nextMonday() + 8 * hour);
    const week = weekLabel(weekOf(new Date()));
    // Through the scheduler, twice (a restart): one mail.
    smtp.received.length = 0;
    await runScheduledWork(monday);
    await runScheduledWork(new Date(monday.getTime() + hour));
    expect(queueWeeklyDigests(new Date(monday.getTime() + 2 * hour))).toBe(0);
    expect(digestRows(reader.id).map((r) => r.dedupe_key)).toEqual([`digest:${week}:${reader.id}`]);
    expect(digestRows(notOptedIn.id)).toEqual([]);
    expect(digestRows(host.id)).toEqual([]);

    await deliverOutbox(new Date(monday.getTime() + 3 * hour));
    const mails = smtp.received.filter((m) => m.to.includes(reader.email));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(`Meedoen: de nieuwsbrief van week ${week}`);
    const body = bodyOf(mails[0]);
    expect(body).toContain("Buurtsoep in de digest");
    expect(body).toContain(`/digest/${week}`);
    const link = /http:\/\/localhost:3000\/unsubscribe\/([\w-]+)/.exec(body);
    expect(link).not.toBeNull();
    const token = link![1];
    expect(mails[0].raw).toMatch(new RegExp(`^List-Unsubscribe:\\s+<http://localhost:3000/unsubscribe/${token}>`, "m"));

    // The link works without logging in: GET shows a button, POST switches everything off.
    const page = await settle(() => unsubscribeLoader({ request: getRequest(`/unsubscribe/${token}`), context, params: { token } }));
    expect(statusOf(page)).toBe(200);
    expect(dataOf<{ found: boolean }>(page).found).toBe(true);
    expect(db().get(sql`SELECT digest_opt_in FROM members WHERE id = ${reader.id}`)).toEqual({ digest_opt_in: 1 });
    const done = (await settle(() => unsubscribeAction({ request: formRequest(`/unsubscribe/${token}`, {}), context, params: { token } }))) as Response;
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe(`/unsubscribe/${token}?done`);
    const row = db().get<{ digest_opt_in: number; mail_off: string }>(sql`SELECT digest_opt_in, mail_off FROM members WHERE id = ${reader.id}`);
    expect(row.digest_opt_in).toBe(0);
    expect(JSON.parse(row.mail_off)).toEqual(expect.arrayContaining(["registration", "reminder", "digest", "promoted", "host-message"]));

    // No more mail: not the next digest, not a sign-up confirmation.
    expect(queueWeeklyDigests(new Date(monday.getTime() + 7 * day))).toBe(0);
    expect(digestRows(reader.id)).toHaveLength(1);
    register(sessionOf(initiativeId, host.id), reader.id);
    expect(db().get(sql`SELECT count(*) AS n FROM outbox WHERE member_id = ${reader.id} AND kind = 'registration'`)).toEqual({ n: 0 });

    // An unknown token is a 404 page, and switches nothing.
    expect(statusOf(await settle(() => unsubscribeLoader({ request: getRequest("/unsubscribe/nope-nope-nope-nope-nope"), context, params: { token: "nope-nope-nope-nope-nope" } })))).toBe(404);
    expect(statusOf(await settle(() => unsubscribeAction({ request: formRequest("/unsubscribe/x", {}), context, params: { token: "x" } })))).toBe(404);
  });

  it("does not queue a kind the member switched off, and puts the unsubscribe footer in every mail", async () => {
    const host = await memberWithSession("Host Kinds");
    const sam = await memberWithSession("Sam Kinds");
    const initiativeId = initiativeBy(host.id, { title: "Keuzes" });
    await settings(sam.cookie, { intent: "mail", mail: ["reminder", "promoted"] });
    const settingsPage = dataOf<{ mailKinds: { kind: string; on: boolean }[]; digestOptIn: boolean }>(
      await settingsLoader({ request: getRequest("/settings", { cookie: sam.cookie }), context, params: {} }),
    );
    expect(settingsPage.mailKinds.filter((k) => k.on).map((k) => k.kind)).toEqual(["promoted", "reminder"]);
    expect(settingsPage.digestOptIn).toBe(false);
    register(sessionOf(initiativeId, host.id), sam.id);
    expect(db().get(sql`SELECT count(*) AS n FROM outbox WHERE member_id = ${sam.id}`)).toEqual({ n: 0 });

    await settings(sam.cookie, { intent: "mail", mail: ["registration"] });
    register(sessionOf(initiativeId, host.id), sam.id);
    const mails = db().all<{ body: string }>(sql`SELECT body FROM outbox WHERE member_id = ${sam.id} AND kind = 'registration'`);
    expect(mails).toHaveLength(1);
    const token = db().get<{ unsubscribe_token: string }>(sql`SELECT unsubscribe_token FROM members WHERE id = ${sam.id}`).unsubscribe_token;
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(mails[0].body).toContain(`/unsubscribe/${token}`);
  });
});

function settings(cookie: string, fields: Record<string, string | string[]>) {
  return settle(() => settingsAction({ request: formRequest("/settings", fields, { cookie }), context, params: {} }));
}
