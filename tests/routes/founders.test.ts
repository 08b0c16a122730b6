// Founders (governance.md §1) and the host's message limit (§2), through the routes against the
// real test database: the first account founds the network; founders invite by mail, at most 15
// in all, only while it bootstraps; a link works once and expires; hosts send at most five
// messages per session per day.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { acceptFounderInvitation, FounderRefusedError, foundIfFirst, inviteFounder } from "~/models/founders.server";
import { register } from "~/models/registrations.server";
import { action as foundersAction, loader as foundersLoader } from "~/routes/founders._index";
import { action as acceptAction, loader as acceptLoader } from "~/routes/founders.$token";
import { action as messageAction } from "~/routes/sessions.$id_.message";
import { context, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, initiativeBy, sessionOf } from "../support/fixtures";
import { ageAccount, makeFounder } from "../support/governance";

const tokenIn = (body: string) => /\/founders\/([A-Za-z0-9_-]{43})/.exec(body)![1];
const lastInvitation = () => db().get<{ body: string; to_address: string }>(sql`SELECT body, to_address FROM outbox WHERE kind = 'founder-invitation' ORDER BY id DESC LIMIT 1`);
const founderCount = () => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM members WHERE founder_at IS NOT NULL`).n;

let firstFounder: { id: string; cookie: string };

describe("founders", () => {
  it("the first account founds the network; later accounts do not", async () => {
    const first = await memberWithSession("Eerste");
    foundIfFirst(first.id);
    firstFounder = first;
    const second = await memberWithSession("Tweede");
    foundIfFirst(second.id);
    expect(db().all(sql`SELECT id FROM members WHERE founder_at IS NOT NULL`)).toEqual([{ id: first.id }]);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM log_entries WHERE action = 'founder.joined'`).n).toBe(1);
  });

  it("a founder with a voice invites by mail; the link works once, for the invited member only once", async () => {
    const [founder] = db().all<{ id: string }>(sql`SELECT id FROM members WHERE founder_at IS NOT NULL`);
    makeFounder(founder.id);
    expect(founder.id).toBe(firstFounder.id);
    const first = firstFounder;
    // A member who is not a founder cannot invite.
    const stranger = await memberWithSession("Geen stichter");
    const refused = await settle(() => foundersAction({ request: formRequest("/founders", { email: "nieuw@example.org" }, { cookie: stranger.cookie }), context, params: {} }));
    expect(statusOf(refused)).toBe(403);
    // A founder whose account is younger than a day has no voice yet, and cannot invite either.
    const young = await memberWithSession("Jonge stichter");
    makeFounder(young.id, 3_600_000);
    expect(statusOf(await settle(() => foundersAction({ request: formRequest("/founders", { email: "nieuw@example.org" }, { cookie: young.cookie }), context, params: {} })))).toBe(403);
    const invitedBy = await memberWithSession("Uitnodiger");
    makeFounder(invitedBy.id);
    const sent = await settle(() => foundersAction({ request: formRequest("/founders", { email: "Lotte@Example.org" }, { cookie: invitedBy.cookie }), context, params: {} }));
    expect(statusOf(sent)).toBe(200);
    const mail = lastInvitation();
    expect(mail.to_address).toBe("lotte@example.org");
    const token = tokenIn(mail.body);
    // The log records the invitation, never the address; the address is kept nowhere else.
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM log_entries WHERE action = 'founder.invited' AND actor_id = ${invitedBy.id}`).n).toBe(1);
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM log_entries WHERE detail LIKE '%lotte%'`).n).toBe(0);
    const lotte = await memberWithSession("Lotte");
    expect(statusOf(await settle(() => acceptLoader({ request: getRequest(`/founders/${token}`), context, params: { token } })))).toBe(200);
    // Two founders have a voice (the first and the one who invited): the invitation is one yes, and
    // more than half takes both. Lotte is sent to the founders page, which says what is missing.
    const accepted = await settle(() => acceptAction({ request: formRequest(`/founders/${token}`, {}, { cookie: lotte.cookie }), context, params: { token } }));
    expect(statusOf(accepted)).toBe(303);
    expect((accepted as Response).headers.get("location")).toBe("/founders");
    expect(db().get(sql`SELECT founder_at IS NOT NULL AS founder FROM members WHERE id = ${lotte.id}`)).toEqual({ founder: 0 });
    const waiting = await foundersLoader({ request: getRequest("/founders", { cookie: lotte.cookie }), context, params: {} });
    expect(waiting.mine).toMatchObject({ memberId: lotte.id, yes: 1, needed: 2 });
    // The first founder is asked by mail, and says yes on the founders page.
    expect(db().get(sql`SELECT count(*) AS n FROM outbox WHERE kind = 'founder-yes' AND member_id = ${first.id}`)).toEqual({ n: 1 });
    const page = await foundersLoader({ request: getRequest("/founders", { cookie: first.cookie }), context, params: {} });
    expect(page.waiting).toEqual([expect.objectContaining({ memberId: lotte.id, name: "Lotte", invitedBy: "Uitnodiger", canSayYes: true })]);
    const yes = await settle(() => foundersAction({ request: formRequest("/founders", { intent: "yes", invitation: page.waiting[0].invitation }, { cookie: first.cookie }), context, params: {} }));
    expect(statusOf(yes)).toBe(200);
    expect(db().get(sql`SELECT founder_at IS NOT NULL AS founder FROM members WHERE id = ${lotte.id}`)).toEqual({ founder: 1 });
    const again = await memberWithSession("Tweede keer");
    expect(statusOf(await settle(() => acceptAction({ request: formRequest(`/founders/${token}`, {}, { cookie: again.cookie }), context, params: { token } })))).toBe(404);
    expect(statusOf(await settle(() => acceptLoader({ request: getRequest(`/founders/${token}`), context, params: { token } })))).toBe(404);
    // A guessed or malformed token is simply unknown.
    expect(statusOf(await settle(() => acceptLoader({ request: getRequest("/founders/x"), context, params: { token: "x" } })))).toBe(404);
  });

  it("an invitation expires after 14 days", async () => {
    const [founder] = db().all<{ id: string }>(sql`SELECT id FROM members WHERE founder_at IS NOT NULL LIMIT 1`);
    const token = inviteFounder(founder.id, "later@example.org", "nl")!;
    db().run(sql`UPDATE founder_invitations SET expires_at = ${Date.now() - 1000} WHERE used_at IS NULL`);
    const late = await memberWithSession("Te laat");
    expect(() => acceptFounderInvitation(token, late.id)).toThrow(FounderRefusedError);
  });

  it("at most 15 founders, open invitations included, whatever the concurrency", async () => {
    const [founder] = db().all<{ id: string }>(sql`SELECT id FROM members WHERE founder_at IS NOT NULL LIMIT 1`);
    const openInvitations = () => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM founder_invitations WHERE used_at IS NULL AND expires_at > ${Date.now()}`).n;
    const before = founderCount() + openInvitations();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => Promise.resolve().then(() => inviteFounder(founder.id, `f${i}@example.org`, "nl")).then(() => "sent", (e) => (e as FounderRefusedError).messageKey)));
    expect(founderCount() + openInvitations()).toBe(15);
    expect(results.filter((r) => r === "sent").length).toBe(15 - before);
    expect(results.filter((r) => r === "founder.full").length).toBe(20 - (15 - before));
  });

  it("no new founders once the bootstrap ended: voices come from meetings then", async () => {
    const [founder] = db().all<{ id: string }>(sql`SELECT id FROM members WHERE founder_at IS NOT NULL LIMIT 1`);
    // Five members with an earned voice end the bootstrap.
    const { witnessedMeeting } = await import("../support/governance");
    const people = await Promise.all(["A", "B", "C", "D", "E"].map((n) => memberWithSession(`Deelnemer ${n}`)));
    const witnesses = db().all<{ id: string }>(sql`SELECT id FROM members WHERE founder_at IS NOT NULL LIMIT 2`).map((r) => r.id);
    witnessedMeeting({ hostId: people[0].id, witnesses, attendees: people.slice(1).map((p) => p.id), daysAgo: 10 });
    db().run(sql`UPDATE founder_invitations SET used_at = ${Date.now()} WHERE used_at IS NULL`);
    db().run(sql`UPDATE members SET founder_at = NULL WHERE id IN (SELECT id FROM members WHERE founder_at IS NOT NULL ORDER BY founder_at DESC LIMIT 5)`);
    expect(() => inviteFounder(people[1].id, "x@example.org", "nl")).toThrow(FounderRefusedError);
    try {
      inviteFounder(founder.id, "x@example.org", "nl");
      expect.unreachable();
    } catch (error) {
      expect((error as FounderRefusedError).messageKey).toMatch(/founder\.(notBootstrapping|notFounder)/);
    }
  });
});

describe("host messages", () => {
  it("at most five per session per day, then a translated 429 and nothing queued", async () => {
    const host = await memberWithSession("Kartrekker");
    ageAccount(host.id, 30 * day);
    makeFounder(host.id, 30 * day);
    const participant = await memberWithSession("Deelnemer");
    const id = initiativeBy(host.id, { title: "Taalcafé" });
    const sessionId = sessionOf(id, host.id);
    register(sessionId, participant.id);
    const send = (n: number) => settle(() => messageAction({ request: formRequest(`/sessions/${sessionId}/message`, { subject: `Bericht ${n}`, body: `Tekst ${n}` }, { cookie: host.cookie }), context, params: { id: String(sessionId) } }));
    for (let n = 1; n <= 5; n++) expect(statusOf(await send(n))).toBe(200);
    const sixth = await send(6);
    expect(statusOf(sixth)).toBe(429);
    expect((sixth as { data: { errors: { form: string } } }).data.errors.form).toBe("session.message.limit");
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE kind = 'host-message' AND dedupe_key LIKE ${`host-message:${sessionId}:%`}`).n).toBe(5);
    // A day later the host can write again.
    db().run(sql`UPDATE outbox SET created_at = created_at - ${day + 1000} WHERE kind = 'host-message'`);
    expect(statusOf(await send(7))).toBe(200);
  });
});
