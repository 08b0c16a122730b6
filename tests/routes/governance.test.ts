// Governance by participation, version 2 (docs/governance.md §1–§7), through the real models and
// routes against the file's own SQLite database. The sections build on each other like a network's
// history: founders speak while it bootstraps, a witnessed meeting gives voices a week later, five
// earned voices end the bootstrap, hiding the meeting voids them again, and the network then runs
// on its founders and the voices that stood.
import { acceptEdit } from "~/models/hidden-edits.server";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ruleHeadings } from "~/lib/diff";
import { db } from "~/lib/db.server";
import { AttendanceFixedError, HeldMemberError, NotAHostError, SelfCheckInError } from "~/models/errors.server";
import { flag, FlagRefusedError } from "~/models/flags.server";
import { acceptFounderInvitation, FounderRefusedError, inviteFounder, sayYesToFounder } from "~/models/founders.server";
import { acceptUnansweredRequests, answerHostRequest, hasOpenHostRequest, HostRefusedError, joinAsHost, lapseHosts, stepBack } from "~/models/hosts.server";
import { initiativeInput, listInitiatives, updateInitiative } from "~/models/initiatives.server";
import { checkIn, markAttendance, register, setInterest, withdrawCheckIn } from "~/models/registrations.server";
import { closeProposal, currentRules, openProposal, ProposalRefusedError, queueProposalReminders, raiseAgain, respond, statementHistory, type OpenInput } from "~/models/proposals.server";
import { calendarSessions, upcomingSessions } from "~/models/sessions.server";
import { memberHasVoice, recordVoiceChanges, voiceOfMember, voiceSnapshot } from "~/models/voice.server";
import { action as newInitiativeAction } from "~/routes/initiatives.new";
import { action as editInitiativeAction } from "~/routes/initiatives.$id_.edit";
import { action as flagAction } from "~/routes/initiatives.$id_.flag";
import { action as hostsAction } from "~/routes/initiatives.$id_.hosts";
import { loader as initiativeLoader } from "~/routes/initiatives.$id";
import { action as proposalAction, loader as proposalLoader } from "~/routes/proposals.$id";
import { action as attendanceAction } from "~/routes/sessions.$id_.attendance";
import { loader as logLoader } from "~/routes/log";
import { loader as logAtom } from "~/routes/log[.xml]";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, hour, initiativeBy, sessionOf } from "../support/fixtures";
import { ageAccount, makeFounder, witnessedMeeting } from "../support/governance";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
const ago = (ms: number) => Date.now() - ms;
const logCount = (action: string, subjectId?: string | number) =>
  db().get<{ n: number }>(
    subjectId === undefined
      ? sql`SELECT count(*) AS n FROM log_entries WHERE action = ${action}`
      : sql`SELECT count(*) AS n FROM log_entries WHERE action = ${action} AND subject_id = ${String(subjectId)}`,
  ).n;
const startOf = (sessionId: number) => db().get<{ starts_at: number }>(sql`SELECT starts_at FROM sessions WHERE id = ${sessionId}`).starts_at;
const codeOf = (sessionId: number) => db().get<{ checkin_code: string }>(sql`SELECT checkin_code FROM sessions WHERE id = ${sessionId}`).checkin_code;
const hostsOf = (initiativeId: number) =>
  db().all<{ member_id: string }>(sql`SELECT member_id FROM hosts WHERE initiative_id = ${initiativeId}`).map((h) => h.member_id).sort();
const openRequest = (initiativeId: number, memberId: string) =>
  db().get<{ id: number }>(sql`SELECT id FROM host_requests WHERE initiative_id = ${initiativeId} AND member_id = ${memberId} AND answered_at IS NULL`).id;
const mails = (memberId: string, kind: string) => db().get<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE member_id = ${memberId} AND kind = ${kind}`).n;
const attended = (sessionId: number, memberId: string) =>
  !!db().get(sql`SELECT 1 FROM registrations WHERE session_id = ${sessionId} AND member_id = ${memberId} AND attended_at IS NOT NULL`);
const electorateOf = (proposalId: number) =>
  db().all<{ member_id: string }>(sql`SELECT member_id FROM proposal_electorate WHERE proposal_id = ${proposalId}`).map((r) => r.member_id).sort();
const ids = (...members: Member[]) => members.map((m) => m.id).sort();

/** What `run` threw: of class `type`, with the message key `key`. */
function expectRefusal(run: () => unknown, type: new (...args: never[]) => Error, key?: string) {
  let thrown: unknown = null;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(type);
  if (key !== undefined) expect((thrown as { messageKey?: string }).messageKey).toBe(key);
}

/**
 * An initiative of `host`'s with one session that started `startedAgo` ago. It was set only a day
 * ahead, so it never counts for a voice (§1: 48 hours' notice): these sessions test hosting alone.
 */
function sessionStarted(host: Member, title: string, startedAgo: number) {
  const created = new Date(ago(startedAgo + day));
  const initiativeId = initiativeBy(host.id, { title }, created);
  const sessionId = sessionOf(initiativeId, host.id, { now: created, startsIn: day });
  return { initiativeId, sessionId, startsAt: startOf(sessionId) };
}

const hostsForm = (initiativeId: number, member: Member, fields: Record<string, string>) =>
  settle(() => hostsAction({ request: formRequest(`/initiatives/${initiativeId}/hosts`, fields, { cookie: member.cookie }), context, params: { id: String(initiativeId) } }));
const attendanceForm = (sessionId: number, member: Member, fields: Record<string, string>) =>
  settle(() => attendanceAction({ request: formRequest(`/sessions/${sessionId}/attendance`, fields, { cookie: member.cookie }), context, params: { id: String(sessionId) } }));
const proposalForm = (proposalId: number, member: Member, fields: Record<string, string>) =>
  settle(() => proposalAction({ request: formRequest(`/proposals/${proposalId}`, fields, { cookie: member.cookie }), context, params: { id: String(proposalId) } }));
const flagForm = (initiativeId: number, member: Member, fields: Record<string, string>) =>
  settle(() => flagAction({ request: formRequest(`/initiatives/${initiativeId}/flag`, fields, { cookie: member.cookie }), context, params: { id: String(initiativeId) } }));

// A heading of the house rules a fresh network starts with (`/rules`), as the flag form offers it.
const respectRule = "7. Respect en privacy.";

// Founders: Anna, Bram, Cora, Dirk, Eva and Sam; Fenna is invited in §1.
let anna: Member, bram: Member, cora: Member, dirk: Member, eva: Member, sam: Member, fenna: Member;
// Everyone else starts without a voice.
let oscar: Member, newbie: Member, hana: Member, piet: Member, quinn: Member, pia: Member, pim: Member, teun: Member, lotte: Member, jonne: Member;
let vera: Member, wim: Member, xander: Member, ynze: Member, gijs: Member;
// The meeting whose voices the network voids in §1.
let lunch: { sessionId: number; initiativeId: number };

beforeAll(async () => {
  [anna, bram, cora, dirk, eva, sam, fenna, oscar, newbie, hana, piet, quinn, pia, pim, teun, lotte, jonne, vera, wim, xander, ynze, gijs] = await Promise.all(
    ["Anna", "Bram", "Cora", "Dirk", "Eva", "Sam", "Fenna", "Oscar", "Newbie", "Hana", "Piet", "Quinn", "Pia", "Pim", "Teun", "Lotte", "Jonne", "Vera", "Wim", "Xander", "Ynze", "Gijs"].map((n) =>
      memberWithSession(n),
    ),
  );
  for (const f of [anna, bram, cora, dirk, eva, sam]) makeFounder(f.id, 3 * day);
  ageAccount(fenna.id, 2 * hour);
  for (const m of [oscar, hana, piet, quinn, pia, pim, teun, lotte, jonne, vera, wim, xander, ynze, gijs]) ageAccount(m.id, 60 * day);
});

describe("§1 voice", () => {
  it("while the network bootstraps, founders whose account is a day old have a voice, and nobody else", () => {
    const snapshot = voiceSnapshot();
    expect(snapshot.bootstrapping).toBe(true);
    expect(snapshot.earnedCount).toBe(0);
    for (const f of [anna, bram, cora, dirk, eva, sam]) expect(voiceOfMember(f.id)).toMatchObject({ reason: { kind: "founder" }, founder: true, witness: true });
    // A founder invites Fenna by mail; the log records the invitation, never the address.
    const token = inviteFounder(anna.id, fenna.email, "nl")!;
    expect(db().get(sql`SELECT member_id, kind FROM outbox WHERE to_address = ${fenna.email.toLowerCase()}`)).toEqual({ member_id: null, kind: "founder-invitation" });
    expect(logCount("founder.invited")).toBe(1);
    expect(JSON.stringify(db().all(sql`SELECT detail FROM log_entries WHERE action = 'founder.invited'`))).not.toContain(fenna.email.split("@")[0]);
    // Six founders have a voice: Fenna needs four yes, and the invitation is Anna's.
    expect(acceptFounderInvitation(token, fenna.id)).toBe("waiting");
    expect(logCount("founder.accepted", fenna.id)).toBe(1);
    expect(voiceOfMember(fenna.id).founder).toBe(false);
    // The other five founders are asked by mail.
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM outbox WHERE kind = 'founder-yes'`).n).toBe(5);
    const invitation = db().get<{ token_hash: string }>(sql`SELECT token_hash FROM founder_invitations WHERE used_by = ${fenna.id}`).token_hash;
    expectRefusal(() => sayYesToFounder(anna.id, invitation), FounderRefusedError, "founder.yes.own");
    expectRefusal(() => sayYesToFounder(fenna.id, invitation), FounderRefusedError, "founder.notFounder");
    expect(sayYesToFounder(bram.id, invitation)).toBe("waiting");
    expectRefusal(() => sayYesToFounder(bram.id, invitation), FounderRefusedError, "founder.yes.already");
    expect(sayYesToFounder(cora.id, invitation)).toBe("waiting");
    expect(logCount("founder.joined", fenna.id)).toBe(0);
    expect(sayYesToFounder(dirk.id, invitation)).toBe("founder");
    expect(logCount("founder.confirmed")).toBe(3);
    expect(logCount("founder.joined", fenna.id)).toBe(1);
    // Once a founder, nobody's yes is asked any more.
    expectRefusal(() => sayYesToFounder(eva.id, invitation), FounderRefusedError, "founder.invalid");
    // A founder's voice counts once the account is 24 hours old.
    expect(voiceOfMember(fenna.id)).toMatchObject({ reason: { kind: "none" }, founder: true, witness: false });
    expect(voiceOfMember(fenna.id, Date.now() + day).reason.kind).toBe("founder");
    // An old account that no founder invited has no voice, nor has a new one.
    expect(voiceOfMember(oscar.id)).toMatchObject({ reason: { kind: "none" }, founder: false, witness: false, accountOldEnough: true });
    expect(voiceOfMember(newbie.id)).toMatchObject({ reason: { kind: "none" }, founder: false, accountOldEnough: false });
    expect(memberHasVoice(oscar.id)).toBe(false);
  });

  it("a meeting gives no voice without two witnesses who checked in themselves, 48 hours' notice, or an account a week old", () => {
    // One insider with a voice, and accounts of her own making.
    const insiders = witnessedMeeting({ hostId: pia.id, witnesses: [anna.id], attendees: [pim.id], daysAgo: 20, title: "Onder ons" });
    expect(voiceOfMember(pim.id)).toMatchObject({ reason: { kind: "none" }, pending: null, lastMiss: { sessionId: insiders.sessionId, why: "witnesses" } });
    // Two founders were there, but the host marked them present: that makes no witness.
    const marked = witnessedMeeting({ hostId: pia.id, witnesses: [], attendees: [anna.id, bram.id, teun.id], daysAgo: 18, title: "Afgevinkt" });
    expect(voiceOfMember(teun.id)).toMatchObject({ reason: { kind: "none" }, pending: null, lastMiss: { sessionId: marked.sessionId, why: "witnesses" } });
    // Two founders came, but the session was set an hour before it started.
    const sudden = witnessedMeeting({ hostId: pia.id, witnesses: [anna.id, bram.id], attendees: [lotte.id], daysAgo: 15, title: "Spontaan" });
    db().run(sql`UPDATE sessions SET announced_at = starts_at - ${hour} WHERE id = ${sudden.sessionId}`);
    expect(voiceOfMember(lotte.id)).toMatchObject({ reason: { kind: "none" }, pending: null, lastMiss: { sessionId: sudden.sessionId, why: "not-announced" } });
    expect(voiceOfMember(pia.id)).toMatchObject({ reason: { kind: "none" }, pending: null, lastMiss: { sessionId: sudden.sessionId, why: "not-announced" } });
    // Jonne hosted a meeting two founders came to, with an account a day old.
    const early = witnessedMeeting({ hostId: jonne.id, witnesses: [anna.id, bram.id], attendees: [], daysAgo: 12, title: "Kennismaking" });
    ageAccount(jonne.id, 13 * day);
    expect(voiceOfMember(jonne.id)).toMatchObject({ reason: { kind: "none" }, pending: null, lastMiss: { sessionId: early.sessionId, why: "account-age" } });
    expect(voiceSnapshot().earnedCount).toBe(0);
  });

  it("a meeting that counts gives its attendees and its host a voice a week later, and five earned voices end the bootstrap", () => {
    lunch = witnessedMeeting({ hostId: hana.id, witnesses: [anna.id, bram.id, cora.id], attendees: [piet.id], daysAgo: 10, title: "Buurtlunch" });
    const start = startOf(lunch.sessionId);
    // Three days after the meeting the voice is pending: the network's week to object.
    expect(voiceOfMember(piet.id, start + 3 * day)).toMatchObject({
      reason: { kind: "none" },
      pending: { sessionId: lunch.sessionId, title: "Buurtlunch", startsAt: start + 7 * day, heldBack: false },
    });
    expect(voiceOfMember(hana.id, start + 3 * day).pending).toMatchObject({ sessionId: lunch.sessionId, startsAt: start + 7 * day });
    // Ten days after it, Piet (marked present by the host) and Hana (who hosted it) have earned a voice for 180 days.
    expect(voiceOfMember(piet.id).reason).toEqual({ kind: "earned", via: "attended", sessionId: lunch.sessionId, title: "Buurtlunch", at: start, until: start + 180 * day });
    expect(voiceOfMember(hana.id).reason).toMatchObject({ kind: "earned", via: "hosted", sessionId: lunch.sessionId });
    expect(voiceOfMember(piet.id).pending).toBeNull();
    // The three founders checked in with the code, each with two other founders there.
    for (const f of [anna, bram, cora]) expect(voiceOfMember(f.id).reason).toMatchObject({ kind: "earned", via: "attended" });

    const snapshot = voiceSnapshot();
    expect(snapshot.earnedCount).toBe(5);
    expect(snapshot.bootstrapping).toBe(false);
    // Founders who met nobody have no voice after the bootstrap, and no new founders are made.
    for (const f of [dirk, eva, sam, fenna]) expect(voiceOfMember(f.id)).toMatchObject({ reason: { kind: "none" }, founder: true, witness: false });
    expect(voiceOfMember(oscar.id).reason.kind).toBe("none");
    expectRefusal(() => inviteFounder(anna.id, "nieuw@example.org", "nl"), FounderRefusedError, "founder.notBootstrapping");

    expect(logCount("bootstrap.ended")).toBe(0);
    recordVoiceChanges();
    recordVoiceChanges();
    expect(logCount("bootstrap.ended")).toBe(1);
    expect(logCount("voice.started")).toBe(5);
    for (const m of [anna, bram, cora, piet, hana]) expect(logCount("voice.started", m.id)).toBe(1);
  });

  it("the growth brake holds back a sixth new voice within a week, and the log says so once", () => {
    const cafe = witnessedMeeting({ hostId: hana.id, witnesses: [anna.id, bram.id], attendees: [quinn.id], daysAgo: 8, title: "Taalcafé" });
    const lunchStart = startOf(lunch.sessionId);
    const cafeStart = startOf(cafe.sessionId);
    // Five new voices started three days ago; Quinn's waits until the first of them is a week old.
    expect(voiceOfMember(quinn.id)).toMatchObject({
      reason: { kind: "none" },
      pending: { sessionId: cafe.sessionId, title: "Taalcafé", startsAt: lunchStart + 14 * day, heldBack: true },
    });
    // Hana already had a voice: hosting again makes it last 180 days after the latest meeting.
    expect(voiceOfMember(hana.id).reason).toMatchObject({ kind: "earned", via: "hosted", sessionId: cafe.sessionId, until: cafeStart + 180 * day });
    expect(voiceSnapshot().earnedCount).toBe(5);
    recordVoiceChanges();
    recordVoiceChanges();
    expect(logCount("voice.held-back", quinn.id)).toBe(1);
    expect(logCount("voice.started")).toBe(5);
  });

  it("hiding a meeting's initiative within 14 days voids the voices it gave, and the bootstrap returns", () => {
    expect(flag({ type: "initiative", id: String(lunch.initiativeId) }, anna.id, respectRule, "Dit was geen open bijeenkomst").hidden).toBe(false);
    expect(flag({ type: "initiative", id: String(lunch.initiativeId) }, bram.id, respectRule, "Alleen voor ons vijven").hidden).toBe(true);
    expect(voiceOfMember(piet.id)).toMatchObject({ reason: { kind: "none" }, lastMiss: { sessionId: lunch.sessionId, why: "voided" } });
    const snapshot = voiceSnapshot();
    expect(snapshot.bootstrapping).toBe(true);
    expect(snapshot.earnedCount).toBe(2);
    // The Taalcafé stood: two founders were there with Quinn, and no brake holds her back any more.
    expect(voiceOfMember(quinn.id).reason).toMatchObject({ kind: "earned", via: "attended", title: "Taalcafé" });
    expect(voiceOfMember(hana.id).reason).toMatchObject({ kind: "earned", via: "hosted", title: "Taalcafé" });
    for (const f of [anna, bram, cora, dirk, eva, sam]) expect(voiceOfMember(f.id).reason.kind).toBe("founder");
    recordVoiceChanges();
    recordVoiceChanges();
    expect(logCount("voice.voided")).toBe(5);
    for (const m of [anna, bram, cora, piet, hana]) expect(logCount("voice.voided", m.id)).toBe(1);
    expect(logCount("bootstrap.resumed")).toBe(1);
    expect(logCount("voice.started", quinn.id)).toBe(1);
  });

  it("a host who steps back keeps the voice that hosting a meeting gave", () => {
    const cafe = db().get<{ initiative_id: number }>(sql`SELECT initiative_id FROM sessions s JOIN initiatives i ON i.id = s.initiative_id WHERE i.title = 'Taalcafé'`);
    stepBack(cafe.initiative_id, hana.id);
    expect(db().get(sql`SELECT count(*) AS n FROM host_terms WHERE member_id = ${hana.id} AND initiative_id = ${cafe.initiative_id}`)).toEqual({ n: 1 });
    expect(voiceOfMember(hana.id).reason).toMatchObject({ kind: "earned", via: "hosted", title: "Taalcafé" });
  });
});

describe("§2 hosts", () => {
  let garden: ReturnType<typeof sessionStarted>;

  it("co-hosting needs consent: who attended or has a voice asks, a host answers, each step logged and mailed", async () => {
    garden = sessionStarted(anna, "Buurtmoestuin", day);
    for (const m of [vera, ynze, xander]) register(garden.sessionId, m.id, new Date(garden.startsAt - 12 * hour));
    for (const m of [vera, ynze]) markAttendance(garden.sessionId, anna.id, m.id, true, new Date(garden.startsAt + hour));
    setInterest(garden.initiativeId, wim.id, true);
    // Saying "I'm in", or signing up without coming, is not enough.
    for (const m of [wim, xander]) {
      const refused = await hostsForm(garden.initiativeId, m, { intent: "join" });
      expect(statusOf(refused)).toBe(403);
      expect(dataOf<{ message: string }>(refused).message).toBe("host.notParticipant");
    }
    // Vera came to a session: she asks (twice, which is one request).
    expect(statusOf(await hostsForm(garden.initiativeId, vera, { intent: "join" }))).toBe(303);
    expect(joinAsHost(garden.initiativeId, vera.id)).toBe("requested");
    expect(logCount("host.requested", garden.initiativeId)).toBe(1);
    expect(mails(anna.id, "host-request")).toBe(1);
    expect(hostsOf(garden.initiativeId)).toEqual([anna.id]);
    // Only a host answers.
    expectRefusal(() => answerHostRequest(openRequest(garden.initiativeId, vera.id), oscar.id, true), HostRefusedError, "host.notHost");
    expect(statusOf(await hostsForm(garden.initiativeId, anna, { intent: "accept", request: String(openRequest(garden.initiativeId, vera.id)) }))).toBe(303);
    expect(hostsOf(garden.initiativeId)).toEqual(ids(anna, vera));
    expect(logCount("host.accepted", garden.initiativeId)).toBe(1);
    expect(mails(vera.id, "host-request")).toBe(1);
    // Bram has a voice and asks; Vera, now a host herself, declines.
    expect(joinAsHost(garden.initiativeId, bram.id)).toBe("requested");
    expect(mails(anna.id, "host-request")).toBe(2);
    expect(mails(vera.id, "host-request")).toBe(2);
    answerHostRequest(openRequest(garden.initiativeId, bram.id), vera.id, false);
    expect(hostsOf(garden.initiativeId)).toEqual(ids(anna, vera));
    expect(logCount("host.declined", garden.initiativeId)).toBe(1);
    expect(mails(bram.id, "host-request")).toBe(1);
  });

  it("accepts a request from a member with a voice that no host answers in 7 days; one without a voice waits", () => {
    expect(voiceOfMember(quinn.id).reason.kind).toBe("earned");
    expect(memberHasVoice(ynze.id)).toBe(false);
    expect(joinAsHost(garden.initiativeId, quinn.id)).toBe("requested");
    expect(joinAsHost(garden.initiativeId, ynze.id)).toBe("requested");
    expect(acceptUnansweredRequests()).toBe(0);
    db().run(sql`UPDATE host_requests SET created_at = ${ago(8 * day)} WHERE initiative_id = ${garden.initiativeId} AND answered_at IS NULL`);
    expect(acceptUnansweredRequests()).toBe(1);
    expect(hostsOf(garden.initiativeId)).toEqual(ids(anna, vera, quinn));
    expect(hasOpenHostRequest(garden.initiativeId, ynze.id)).toBe(true);
    const lazy = db().get<{ actor_id: string | null; detail: string }>(sql`
      SELECT actor_id, detail FROM log_entries WHERE action = 'host.accepted' AND subject_id = ${String(garden.initiativeId)} ORDER BY id DESC LIMIT 1`);
    expect(lazy.actor_id).toBeNull();
    expect(JSON.parse(lazy.detail)).toEqual({ memberId: quinn.id, lazyConsent: true });
    expect(acceptUnansweredRequests()).toBe(0);
  });

  it("an initiative without hosts is taken up at once by a member with a voice; hosting lapses after 180 days", () => {
    const id = initiativeBy(anna.id, { title: "Fietsenmaker" });
    stepBack(id, anna.id);
    expect(logCount("host.stepped-back", id)).toBe(1);
    expect(hostsOf(id)).toEqual([]);
    // Looking for a host: Piet has no voice (his meeting was voided); Dirk has one.
    expectRefusal(() => joinAsHost(id, piet.id), HostRefusedError, "host.notParticipant");
    expect(joinAsHost(id, dirk.id)).toBe("joined");
    expect(hostsOf(id)).toEqual([dirk.id]);
    expect(logCount("host.joined", id)).toBe(1);
    db().run(sql`UPDATE hosts SET last_action_at = ${ago(181 * day)} WHERE initiative_id = ${id}`);
    expect(lapseHosts()).toBe(1);
    expect(logCount("host.lapsed", id)).toBe(1);
    expect(hostsOf(id)).toEqual([]);
  });

  it("attendance is changed by hosts from before the start, fixed a week after the end; a self check-in only its member withdraws", async () => {
    const evening = sessionStarted(anna, "Inloopavond", hour);
    register(evening.sessionId, ynze.id, new Date(evening.startsAt - 12 * hour));
    checkIn(evening.sessionId, vera.id, codeOf(evening.sessionId));
    markAttendance(evening.sessionId, anna.id, ynze.id, true);
    expect(attended(evening.sessionId, ynze.id)).toBe(true);
    // Dirk became a host after the session started: its attendance is not his to change.
    expect(joinAsHost(evening.initiativeId, dirk.id)).toBe("requested");
    answerHostRequest(openRequest(evening.initiativeId, dirk.id), anna.id, true);
    expectRefusal(() => markAttendance(evening.sessionId, dirk.id, ynze.id, false), NotAHostError);
    const notHis = await attendanceForm(evening.sessionId, dirk, { memberId: ynze.id, present: "0" });
    expect(statusOf(notHis)).toBe(403);
    expect(dataOf<{ message: string }>(notHis).message).toBe("session.notHost");
    // Vera checked in herself: no host can untick that, she can.
    expectRefusal(() => markAttendance(evening.sessionId, anna.id, vera.id, false), SelfCheckInError);
    const notTheirs = await attendanceForm(evening.sessionId, anna, { memberId: vera.id, present: "0" });
    expect(statusOf(notTheirs)).toBe(403);
    expect(dataOf<{ message: string }>(notTheirs).message).toBe("session.attendance.selfCheckIn");
    expect(attended(evening.sessionId, vera.id)).toBe(true);
    expect(statusOf(await attendanceForm(evening.sessionId, vera, { intent: "withdraw" }))).toBe(303);
    expect(attended(evening.sessionId, vera.id)).toBe(false);
    // Anna unticks Ynze, whom she had marked.
    expect(statusOf(await attendanceForm(evening.sessionId, anna, { memberId: ynze.id, present: "0" }))).toBe(303);
    expect(attended(evening.sessionId, ynze.id)).toBe(false);
    for (const action of ["attendance.checked-in", "attendance.marked", "attendance.unmarked", "attendance.withdrawn"]) expect(logCount(action, evening.sessionId)).toBe(1);

    // A week after a session ended its attendance is fixed, for hosts and members alike.
    const spring = sessionStarted(anna, "Voorjaarsschoonmaak", 8 * day + 3 * hour);
    register(spring.sessionId, ynze.id, new Date(spring.startsAt - 12 * hour));
    checkIn(spring.sessionId, vera.id, codeOf(spring.sessionId), new Date(spring.startsAt + 10 * 60_000));
    expectRefusal(() => markAttendance(spring.sessionId, anna.id, ynze.id, true), AttendanceFixedError);
    expectRefusal(() => withdrawCheckIn(spring.sessionId, vera.id), AttendanceFixedError);
    const fixed = await attendanceForm(spring.sessionId, anna, { memberId: ynze.id, present: "1" });
    expect(statusOf(fixed)).toBe(409);
    expect(dataOf<{ message: string }>(fixed).message).toBe("session.attendance.fixed");
    expect(attended(spring.sessionId, ynze.id)).toBe(false);
    expect(attended(spring.sessionId, vera.id)).toBe(true);
  });

  it("removes a host only through an adopted initiative proposal of those who host or came; signing up is not enough for that", () => {
    const id = initiativeBy(anna.id, { title: "Repaircafé" });
    const sessionId = sessionOf(id, anna.id);
    for (const m of [xander, ynze]) register(sessionId, m.id);
    setInterest(id, wim.id, true);
    expect(joinAsHost(id, bram.id)).toBe("requested");
    answerHostRequest(openRequest(id, bram.id), anna.id, true);
    const removeBram: OpenInput = { scope: "initiative", initiativeId: id, kind: "majority", title: "Bram stopt", body: "", days: 3, effect: { type: "remove-host", initiativeId: id, memberId: bram.id } };
    // "I'm in" alone, or nothing at all, does not decide about an initiative.
    for (const m of [wim, oscar]) expectRefusal(() => openProposal({ ...removeBram, effect: null }, m.id), ProposalRefusedError, "proposal.notParticipant");
    // Signing up does, except about removing a host: a minute's work for any new account.
    expect(openProposal({ ...removeBram, title: "Vaker op zaterdag", effect: null, days: 30 }, xander.id)).toBeGreaterThan(0);
    for (const m of [wim, oscar, xander]) expectRefusal(() => openProposal(removeBram, m.id), ProposalRefusedError, "proposal.removeHost.cameOnly");
    // Those who came decide it, with the hosts.
    db().run(sql`UPDATE registrations SET attended_at = ${Date.now()}, attendance_by = 'host' WHERE session_id = ${sessionId}`);
    const pid = openProposal(removeBram, xander.id);
    expect(electorateOf(pid)).toEqual(ids(anna, bram, xander, ynze));
    expectRefusal(() => respond(pid, wim.id, "for", ""), ProposalRefusedError, "proposal.notParticipant");
    for (const m of [anna, xander, ynze]) respond(pid, m.id, "for", "");
    expect(closeProposal(pid, new Date(Date.now() + 4 * day))).toBe(true);
    expect(hostsOf(id)).toEqual([anna.id]);
    expect(logCount("host.removed", id)).toBe(1);
  });
});

describe("§3 proposals", () => {
  const rulesText = () => currentRules().text;

  it("network proposals are for members with a voice; objections need a reason; positions change until the deadline", () => {
    expectRefusal(() => openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "x", body: "", days: 7, effect: null }, oscar.id), ProposalRefusedError, "proposal.noVoice");
    expectRefusal(() => openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "x", body: "", days: 2, effect: null }, anna.id), ProposalRefusedError, "proposal.duration.invalid");
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Koffie", body: "", days: 7, effect: null }, anna.id);
    expectRefusal(() => respond(pid, oscar.id, "consent", ""), ProposalRefusedError, "proposal.noVoice");
    expectRefusal(() => respond(pid, bram.id, "object", "  "), ProposalRefusedError, "proposal.reasonRequired");
    expectRefusal(() => respond(pid, bram.id, "for", ""), ProposalRefusedError, "proposal.invalidPosition");
    respond(pid, bram.id, "object", "Te duur");
    respond(pid, bram.id, "consent", "");
    // Quinn's voice is earned, not a founder's: it counts the same.
    respond(pid, quinn.id, "consent", "");
    const later = new Date(Date.now() + 8 * day);
    expectRefusal(() => respond(pid, cora.id, "consent", "", later), ProposalRefusedError, "proposal.closed");
  });

  it("a rules change blocked by one objection passes when raised again under the 2/3 rule", () => {
    const newText = `${rulesText()}\n8. **Samen opruimen.** Wie een ruimte gebruikt, laat haar netjes achter.`;
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Regel 8", body: "", days: 7, effect: { type: "rules", text: newText } }, anna.id);
    for (const m of [anna, bram, cora, dirk]) respond(pid, m.id, "consent", "");
    respond(pid, eva.id, "object", "Dat regelt elke plek zelf");
    const deadline = new Date(Date.now() + 7 * day + 1);
    expect(closeProposal(pid, deadline)).toBe(true);
    const closed = db().get<{ outcome: string }>(sql`SELECT outcome FROM proposals WHERE id = ${pid}`);
    expect(JSON.parse(closed.outcome)).toMatchObject({ adopted: false, reason: "objection" });
    expect(rulesText()).not.toContain("Samen opruimen");

    expectRefusal(() => raiseAgain(pid, oscar.id, 7), ProposalRefusedError, "proposal.noVoice");
    const again = raiseAgain(pid, bram.id, 7);
    for (const m of [anna, bram, cora, dirk]) respond(again, m.id, "for", "");
    respond(again, eva.id, "against", "Nog steeds");
    expect(closeProposal(again, new Date(Date.now() + 8 * day))).toBe(true);
    expect(rulesText()).toContain("Samen opruimen");
    expect(logCount("rules.changed")).toBe(1);
  });

  it("closes exactly once, however often and however concurrently it is asked", async () => {
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "majority", title: "Eens per maand", body: "", days: 3, effect: null }, anna.id, new Date(ago(2 * hour)));
    // Positions taken before the deadline, which then passes.
    for (const m of [anna, bram, cora]) respond(pid, m.id, "for", "", new Date(ago(hour)));
    db().run(sql`UPDATE proposals SET deadline = ${ago(1000)} WHERE id = ${pid}`);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => proposalLoader({ request: getRequest(`/proposals/${pid}`), context, params: { id: String(pid) } })),
    );
    expect(results.every((r) => dataOf<{ proposal: { closed: boolean } }>(r).proposal.closed)).toBe(true);
    expect(closeProposal(pid)).toBe(false);
    expect(logCount("proposal.closed", pid)).toBe(1);
    expect(JSON.parse(db().get<{ outcome: string }>(sql`SELECT outcome FROM proposals WHERE id = ${pid}`).outcome)).toMatchObject({ adopted: true });
  });

  it("lets eligible members write the outcome statement after the deadline, through the route, and keeps every version", async () => {
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "majority", title: "Zomerstop", body: "", days: 3, effect: null }, anna.id);
    expect(statusOf(await proposalForm(pid, bram, { intent: "statement", statement: "We stoppen in juli." }))).toBe(409);
    db().run(sql`UPDATE proposals SET deadline = ${ago(1000)} WHERE id = ${pid}`);
    closeProposal(pid);
    expect(statusOf(await proposalForm(pid, bram, { intent: "statement", statement: "We stoppen in juli." }))).toBe(303);
    expect(statusOf(await proposalForm(pid, cora, { intent: "statement", statement: "We stoppen in juli en augustus." }))).toBe(303);
    const refused = await proposalForm(pid, oscar, { intent: "statement", statement: "Nee" });
    expect(statusOf(refused)).toBe(403);
    expect(db().get(sql`SELECT statement, statement_by FROM proposals WHERE id = ${pid}`)).toEqual({ statement: "We stoppen in juli en augustus.", statement_by: cora.id });
    expect(statementHistory(pid).map((s) => [s.text, s.member_id, s.display_name])).toEqual([
      ["We stoppen in juli en augustus.", cora.id, "Cora"],
      ["We stoppen in juli.", bram.id, "Bram"],
    ]);
    expect(logCount("proposal.statement", pid)).toBe(2);
  });

  it("reminds eligible members who have not responded when 24 hours remain, once", () => {
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Herinnering", body: "", days: 3, effect: null }, anna.id);
    respond(pid, bram.id, "consent", "");
    expect(queueProposalReminders(new Date(Date.now() + day))).toBe(0);
    const almost = new Date(Date.now() + 2 * day + 2 * hour);
    expect(queueProposalReminders(almost)).toBe(1);
    expect(queueProposalReminders(almost)).toBe(0);
    const reminded = db().all<{ member_id: string }>(sql`SELECT member_id FROM outbox WHERE kind = 'proposal-reminder' AND dedupe_key LIKE ${`proposal-reminder:${pid}:%`}`).map((r) => r.member_id);
    expect(reminded).toContain(cora.id);
    expect(reminded).toContain(quinn.id);
    expect(reminded).not.toContain(bram.id);
    expect(reminded).not.toContain(oscar.id);
  });

  it("refuses a response from someone without a voice with a translated 403", async () => {
    const pid = openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Logo", body: "", days: 3, effect: null }, anna.id);
    const result = await proposalForm(pid, oscar, { intent: "respond", position: "consent" });
    expect(statusOf(result)).toBe(403);
    expect(dataOf<{ error: string }>(result).error).toBe("proposal.noVoice");
  });

  it("fixes who decides an initiative proposal when it opens: its hosts and who signed up, not who only said \"I'm in\"", async () => {
    const id = initiativeBy(cora.id, { title: "Voedselbank" });
    const sessionId = sessionOf(id, cora.id);
    register(sessionId, vera.id);
    setInterest(id, wim.id, true);
    const input: OpenInput = { scope: "initiative", initiativeId: id, kind: "consent", title: "Vaste avond", body: "", days: 7, effect: null };
    expectRefusal(() => openProposal(input, wim.id), ProposalRefusedError, "proposal.notParticipant");
    const pid = openProposal(input, vera.id);
    // Ynze signs up after it opened.
    register(sessionId, ynze.id);
    expect(electorateOf(pid)).toEqual(ids(cora, vera));
    expect(statusOf(await proposalForm(pid, vera, { intent: "respond", position: "consent" }))).toBe(303);
    respond(pid, cora.id, "consent", "");
    // Ynze came too late, Wim only said "I'm in", Anna has a network voice but no part in this initiative.
    for (const m of [ynze, wim, anna]) {
      const refused = await proposalForm(pid, m, { intent: "respond", position: "consent" });
      expect(statusOf(refused)).toBe(403);
      expect(dataOf<{ error: string }>(refused).error).toBe("proposal.notParticipant");
    }
    expect(db().all(sql`SELECT member_id FROM proposal_positions WHERE proposal_id = ${pid} ORDER BY member_id`)).toEqual(ids(cora, vera).map((member_id) => ({ member_id })));
  });
});

describe("§4 flags and hiding", () => {
  let watches: number;

  it("only witnesses flag, naming a heading of the house rules", async () => {
    watches = initiativeBy(gijs.id, { title: "Koop nu goedkope horloges", kind: "activity" });
    const headings = ruleHeadings(currentRules().text);
    expect(headings).toContain(respectRule);
    expect(headings).toContain("8. Samen opruimen.");
    // No voice: no flag.
    expectRefusal(() => flag({ type: "initiative", id: String(watches) }, oscar.id, respectRule, "spam"), FlagRefusedError, "flag.noVoice");
    // Quinn's earned voice is a day old: not yet a witness.
    expect(voiceOfMember(quinn.id)).toMatchObject({ reason: { kind: "earned" }, witness: false });
    expectRefusal(() => flag({ type: "initiative", id: String(watches) }, quinn.id, respectRule, "spam"), FlagRefusedError, "flag.notWitness");
    const notWitness = await flagForm(watches, quinn, { rule: respectRule, reason: "spam" });
    expect(statusOf(notWitness)).toBe(403);
    expect(dataOf<{ message: string }>(notWitness).message).toBe("flag.notWitness");
    // The rule is one of /rules' headings, not free text.
    const unknown = await flagForm(watches, anna, { rule: "Wees aardig", reason: "spam" });
    expect(statusOf(unknown)).toBe(400);
    expect(dataOf<{ message: string }>(unknown).message).toBe("flag.unknownRule");
    expect(db().get(sql`SELECT count(*) AS n FROM flags WHERE target_id = ${String(watches)}`)).toEqual({ n: 0 });
  });

  it("hides at the threshold; only the author's one edit, once accepted, brings it back; hidden again, the network decides", async () => {
    // Quinn (with a voice) co-hosts Gijs's initiative.
    expect(joinAsHost(watches, quinn.id)).toBe("requested");
    answerHostRequest(openRequest(watches, quinn.id), gijs.id, true);
    sessionOf(watches, gijs.id);
    expect(listInitiatives({ q: "horloges" }).items).toHaveLength(1);
    expect(voiceSnapshot().voices.size).toBeLessThan(10);
    // Founders are witnesses while the network bootstraps; two flags hide it.
    expect(flag({ type: "initiative", id: String(watches) }, bram.id, respectRule, "reclame").hidden).toBe(false);
    expect(flag({ type: "initiative", id: String(watches) }, cora.id, respectRule, "spam").hidden).toBe(true);
    expect(logCount("content.hidden", watches)).toBe(1);
    // Hidden content leaves the feed, search, the agenda and calendars.
    expect(listInitiatives({ q: "horloges" }).items).toHaveLength(0);
    expect(listInitiatives({}).items.some((i) => i.id === watches)).toBe(false);
    expect(upcomingSessions({ limit: 100 }).items.some((s) => s.initiativeId === watches)).toBe(false);
    expect(calendarSessions({ initiativeId: watches })).toHaveLength(0);
    // Visitors see the notice only.
    const visitor = dataOf<{ initiative: { bodyHtml: string }; hidden: { rule: string } }>(await initiativeLoader({ request: getRequest(`/initiatives/${watches}`), context, params: { id: String(watches) } }));
    expect(visitor.hidden.rule).toBe(respectRule);
    expect(visitor.initiative.bodyHtml).toBe("");
    const fields = { title: "Ruilmarkt voor horloges", summary: "Ruilen in plaats van kopen.", kind: "activity", body: "", tags: "", place: "", target: "" };
    const edit = (member: Member, title: string) =>
      settle(() => editInitiativeAction({ request: formRequest(`/initiatives/${watches}/edit`, { ...fields, title }, { cookie: member.cookie }), context, params: { id: String(watches) } }));
    // Quinn, a co-host, cannot change it while it is hidden: only its author can, once …
    expect(statusOf(await edit(quinn, "Ruilmarkt voor horloges"))).toBe(403);
    expect(listInitiatives({ q: "ruilmarkt" }).items).toHaveLength(0);
    expect(logCount("content.restored", watches)).toBe(0);
    // … the author's own edit waits for acceptance: a member with a voice who flagged it accepts.
    expect(statusOf(await edit(gijs, "Ruilmarkt voor horloges"))).toBe(303);
    expect(listInitiatives({ q: "ruilmarkt" }).items).toHaveLength(0);
    expect(acceptEdit("initiative", watches, bram.id)).toEqual({ returned: true });
    expect(listInitiatives({ q: "ruilmarkt" }).items).toHaveLength(1);
    expect(logCount("content.restored", watches)).toBe(1);
    // Hidden a second time: it stays hidden after edits, and a network majority proposal opens.
    flag({ type: "initiative", id: String(watches) }, dirk.id, respectRule, "nog steeds reclame");
    const second = flag({ type: "initiative", id: String(watches) }, eva.id, respectRule, "spam");
    expect(second.hidden).toBe(true);
    expect(second.proposalId).not.toBeNull();
    expect(db().get(sql`SELECT scope, kind FROM proposals WHERE id = ${second.proposalId}`)).toEqual({ scope: "network", kind: "majority" });
    // The network decides on the text as it stands: its author cannot change it meanwhile.
    expect(statusOf(await edit(gijs, "Echt anders"))).toBe(409);
    expect(listInitiatives({ q: "ruilmarkt" }).items).toHaveLength(0);
    // Adopted "restore": back, as it was, flags cleared.
    for (const m of [anna, bram, cora]) respond(second.proposalId!, m.id, "for", "");
    closeProposal(second.proposalId!, new Date(Date.now() + 8 * day));
    expect(listInitiatives({ q: "ruilmarkt" }).items).toHaveLength(1);
    expect(listInitiatives({ q: "anders" }).items).toHaveLength(0);
    expect(db().get(sql`SELECT count(*) AS n FROM flags WHERE target_type = 'initiative' AND target_id = ${String(watches)} AND cleared_at IS NULL`)).toEqual({ n: 0 });
  });

  it("holds a flagged member: no posting, no voice, no flags, no host powers, no proposals, until a proposal restores them", async () => {
    const kitchen = initiativeBy(sam.id, { title: "Samen koken" });
    const other = initiativeBy(anna.id, { title: "Wandelclub" });
    expect(memberHasVoice(sam.id)).toBe(true);
    expect(flag({ type: "member", id: sam.id }, anna.id, respectRule, "spam").held).toBe(false);
    const held = flag({ type: "member", id: sam.id }, bram.id, respectRule, "spam");
    expect(held).toMatchObject({ held: true });
    expect(held.proposalId).not.toBeNull();
    expect(logCount("posting.held", sam.id)).toBe(1);
    // No voice (at once), so no witness either.
    expect(voiceOfMember(sam.id)).toMatchObject({ reason: { kind: "none" }, held: true, witness: false, founder: true });
    expect(voiceSnapshot().voices.has(sam.id)).toBe(false);
    expectRefusal(() => flag({ type: "member", id: oscar.id }, sam.id, respectRule, "wraak"), FlagRefusedError, "flag.noVoice");
    // No host powers over his own initiative.
    const fields = { title: "Samen koken", summary: "Elke week.", kind: "course", body: "", tags: "", place: "", target: "" };
    expectRefusal(() => updateInitiative(kitchen, sam.id, initiativeInput.parse(fields)), HeldMemberError);
    expect(statusOf(await settle(() => editInitiativeAction({ request: formRequest(`/initiatives/${kitchen}/edit`, fields, { cookie: sam.cookie }), context, params: { id: String(kitchen) } })))).toBe(403);
    expectRefusal(() => joinAsHost(other, sam.id), HostRefusedError, "member.held");
    // No proposals: not on the network, not on his own initiative.
    expectRefusal(() => openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Ik mag weer", body: "", days: 7, effect: null }, sam.id), ProposalRefusedError, "proposal.noVoice");
    expectRefusal(() => openProposal({ scope: "initiative", initiativeId: kitchen, kind: "consent", title: "Ik blijf", body: "", days: 7, effect: null }, sam.id), ProposalRefusedError, "proposal.notParticipant");
    expectRefusal(() => respond(held.proposalId!, sam.id, "for", ""), ProposalRefusedError, "proposal.noVoice");
    // No posting.
    const refused = await settle(() =>
      newInitiativeAction({ request: formRequest("/initiatives/new", { title: "Nog meer", summary: "x", kind: "activity" }, { cookie: sam.cookie }), context, params: {} }),
    );
    expect(statusOf(refused)).toBe(403);
    expect(dataOf<{ errors: { form: string } }>(refused).errors.form).toBe("flag.heldPosting");
    // The network restores him: his voice as a founder returns.
    for (const m of [anna, bram, cora]) respond(held.proposalId!, m.id, "for", "");
    expect(closeProposal(held.proposalId!, new Date(Date.now() + 8 * day))).toBe(true);
    expect(logCount("posting.restored", sam.id)).toBe(1);
    expect(voiceOfMember(sam.id)).toMatchObject({ reason: { kind: "founder" }, held: false });
  });

  it("reaches the threshold exactly once when flags arrive at the same moment", async () => {
    const target = initiativeBy(gijs.id, { title: "Gelijktijdig gemeld" });
    const responses = await Promise.all([anna, bram, cora, dirk].map((m) => flagForm(target, m, { rule: respectRule, reason: "spam" })));
    expect(responses.map(statusOf)).toEqual([303, 303, 303, 303]);
    expect(logCount("content.hidden", target)).toBe(1);
    expect(logCount("flag.threshold-reached", target)).toBe(1);
    expect(db().get(sql`SELECT times_hidden FROM initiatives WHERE id = ${target}`)).toEqual({ times_hidden: 1 });
    expect(db().get(sql`SELECT count(*) AS n FROM flags WHERE target_type = 'initiative' AND target_id = ${String(target)} AND cleared_at IS NULL`)).toEqual({ n: 4 });
  });
});

describe("§5 newcomer limits", () => {
  it("lets a member without a voice post three initiatives a day, then refuses with a message", async () => {
    const fresh = await memberWithSession("Fresh");
    expect(memberHasVoice(fresh.id)).toBe(false);
    const post = (n: number) =>
      settle(() => newInitiativeAction({ request: formRequest("/initiatives/new", { title: `Idee ${n}`, summary: "x", kind: "activity" }, { cookie: fresh.cookie }), context, params: {} }));
    for (let n = 1; n <= 3; n++) expect(statusOf(await post(n))).toBe(303);
    const fourth = await post(4);
    expect(statusOf(fourth)).toBe(429);
    expect(dataOf<{ errors: { form: string } }>(fourth).errors.form).toBe("newcomer.limit");
  });
});

describe("§7 the public log", () => {
  it("is filterable by kind and subject, has an Atom feed, and refuses changes", async () => {
    const all = dataOf<{ entries: { action: string }[] }>(await logLoader({ request: getRequest("/log"), context, params: {} }));
    expect(all.entries.length).toBeGreaterThan(10);
    for (const group of ["proposal", "voice", "bootstrap", "host", "founder", "attendance"]) {
      const entries = dataOf<{ entries: { action: string }[] }>(await logLoader({ request: getRequest(`/log?group=${group}`), context, params: {} })).entries;
      expect(entries.length, group).toBeGreaterThan(0);
      expect(entries.every((x) => x.action.startsWith(`${group}.`)), group).toBe(true);
    }
    const voices = dataOf<{ entries: { action: string }[] }>(await logLoader({ request: getRequest("/log?group=voice"), context, params: {} })).entries.map((x) => x.action);
    expect(new Set(voices)).toEqual(new Set(["voice.started", "voice.held-back", "voice.voided"]));
    const atom = (await logAtom({ request: getRequest("/log.xml"), context, params: {} })) as Response;
    expect(atom.headers.get("Content-Type")).toContain("application/atom+xml");
    const xml = await atom.text();
    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom"');
    expect(xml).toContain("<entry>");
    expect(xml).toContain("Spelregels gewijzigd");
    // The database itself refuses to change or delete an entry.
    const refusal = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return String((error as { cause?: unknown }).cause ?? error);
      }
      return "changed";
    };
    expect(refusal(() => db().run(sql`UPDATE log_entries SET action = 'rules.changed'`))).toContain("the log is append-only");
    expect(refusal(() => db().run(sql`DELETE FROM log_entries`))).toContain("the log is append-only");
    expect(db().get<{ n: number }>(sql`SELECT count(*) AS n FROM log_entries WHERE action = 'rules.changed'`).n).toBe(1);
  });
});

describe("no role anywhere", () => {
  it("has no admin, owner, moderator or role in the schema or the app's code", () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else if (/\.(ts|tsx|sql)$/.test(name)) files.push(file);
      }
    };
    walk(path.resolve("app"));
    walk(path.resolve("db"));
    const offenders: string[] = [];
    for (const file of files) {
      // The dictionaries may say in words that there is no administrator.
      if (file.includes(`${path.sep}i18n${path.sep}`)) continue;
      const code = readFileSync(file, "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/(^|[^:])\/\/.*$/gm, "$1")
        .replace(/^\s*--.*$/gm, "")
        // ARIA roles (role="alert") are about the page's structure, not about people.
        .replace(/\brole="[a-z]+"/g, "");
      const match = code.match(/\b\w*(admin|moderator|superuser|owner|roles?)\w*\b/i);
      if (match) offenders.push(`${path.relative(process.cwd(), file)}: ${match[0]}`);
    }
    expect(offenders).toEqual([]);
    const columns = db().all<{ name: string }>(sql`SELECT c.name FROM pragma_table_list() t, pragma_table_info(t.name) c WHERE t.schema = 'main'`).map((c) => c.name);
    expect(columns.length).toBeGreaterThan(30);
    expect(columns.filter((c) => /admin|owner|moderator|role/i.test(c))).toEqual([]);
  });
});
