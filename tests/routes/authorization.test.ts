// The authorisation matrix: every mutating route, tried by every kind of actor.
//
// Expectations come from docs/governance.md (there is no admin; every right is derived from
// participation) and the product rules quoted in the route and model code:
// - "login":     anonymous requests to member actions are redirected (302) to /login;
// - "allowed":   a 2xx/3xx success (303 redirect, or 200 without errors);
// - "forbidden": 403, or the route's documented refusal status where the refusal is rule-based
//                (e.g. 409 host.notParticipant / host.notHost on /initiatives/:id/hosts).
//
// Actors are deliberately "pure": the host and the participant are minutes-old accounts without
// a voice, so a right they exercise comes from their role alone, and the voice member takes part
// in nothing, so a right they exercise comes from their voice alone. The voice member gets a voice
// through the bootstrap as a founder (governance v2 §1: only founders whose account is 24 hours old
// have a voice while fewer than 5 members earned one; a founder with a voice is also a witness, so
// may flag); attendance created by check-in/attendance cases is reset after every case so voices
// never change mid-matrix.
import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/lib/db.server";
import { postComment, postOutcome } from "~/models/contributions.server";
import { joinAsHost, stepBack } from "~/models/hosts.server";
import { closeProposal, currentRules, openProposal } from "~/models/proposals.server";
import { register } from "~/models/registrations.server";
import { voiceSnapshot } from "~/models/voice.server";
import { ruleHeadings } from "~/lib/diff";
import { toLocalDateTimeInput } from "~/lib/time";
import { action as editCommentAction } from "~/routes/comments.$id_.edit";
import { action as flagCommentAction } from "~/routes/comments.$id_.flag";
import { action as commentAction } from "~/routes/initiatives.$id_.comments";
import { action as editInitiativeAction } from "~/routes/initiatives.$id_.edit";
import { action as enrolAction } from "~/routes/initiatives.$id_.enrol";
import { action as flagInitiativeAction } from "~/routes/initiatives.$id_.flag";
import { action as hostsAction } from "~/routes/initiatives.$id_.hosts";
import { action as interestAction } from "~/routes/initiatives.$id_.interest";
import { action as outcomeAction } from "~/routes/initiatives.$id_.outcomes";
import { action as addSessionAction } from "~/routes/initiatives.$id_.sessions";
import { action as newInitiativeAction } from "~/routes/initiatives.new";
import { action as flagMemberAction } from "~/routes/members.$id";
import { action as nowAction } from "~/routes/now";
import { action as editOutcomeAction } from "~/routes/outcomes.$id_.edit";
import { action as flagOutcomeAction } from "~/routes/outcomes.$id_.flag";
import { action as proposalAction } from "~/routes/proposals.$id";
import { action as newProposalAction } from "~/routes/proposals.new";
import { action as attendanceAction } from "~/routes/sessions.$id_.attendance";
import { action as withdrawAction } from "~/routes/sessions.$id_.cancel";
import { action as stepBackAction } from "~/routes/initiatives.$id_.step-back";
import { action as checkinAction } from "~/routes/sessions.$id_.checkin";
import { action as editSessionAction } from "~/routes/sessions.$id_.edit";
import { action as messageAction } from "~/routes/sessions.$id_.message";
import { loader as csvLoader } from "~/routes/sessions.$id_.participants[.csv]";
import { action as registerAction } from "~/routes/sessions.$id_.register";
import { action as settingsAction } from "~/routes/settings";
import { action as profileAction } from "~/routes/settings_.profile";
import { context, dataOf, formRequest, getRequest, memberWithSession, settle, statusOf } from "../support/requests";
import { day, hour, initiativeBy, sessionOf } from "../support/fixtures";
import { makeFounder } from "../support/governance";

type Member = Awaited<ReturnType<typeof memberWithSession>>;
type Actor = "anonymous" | "newbie" | "voice" | "host" | "participant";
type Expected = "allowed" | "forbidden" | "login";
const actors: Actor[] = ["anonymous", "newbie", "voice", "host", "participant"];

let members: Record<Exclude<Actor, "anonymous">, Member>;
let target: Member; // a bystander whose profile can be flagged
let rule: string; // a heading of the house rules in force: a flag must name one (governance v2 §4)

/** Fresh targets for one case: an initiative hosted by `host`, with a future, a past and a live session. */
function fixture() {
  const now = Date.now();
  const earlier = new Date(now - 3 * day); // outside the 24-hour newcomer window
  const initiativeId = initiativeBy(members.host.id, { title: "Matrix" }, earlier);
  const future = sessionOf(initiativeId, members.host.id, { now: earlier, startsIn: 10 * day });
  const past = sessionOf(initiativeId, members.host.id, { now: earlier, startsIn: day }); // took place two days ago
  const live = sessionOf(initiativeId, members.host.id, { now: new Date(now - 2 * hour), startsIn: hour }); // started an hour ago
  register(future, members.participant.id);
  register(past, members.participant.id, earlier);
  return { initiativeId, future, past, live };
}
type Fixture = ReturnType<typeof fixture>;

/** Content created lazily (and back-dated, so it does not count against the newcomer limits). */
// Back-dated one per day, moving forward from 90 days ago: never 20 within any 24-hour window.
let backdated = 0;
const longAgo = () => new Date(Date.now() - (90 - ++backdated) * day);
const commentBy = (fx: Fixture, m: Member) => postComment(fx.initiativeId, m.id, { body: "Goed idee." }, longAgo());
const outcomeBy = (fx: Fixture, m: Member) => postOutcome(fx.initiativeId, m.id, { body: "We hebben geoogst.", sessionId: null }, longAgo());
const networkProposal = () =>
  openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Koffie", body: "", days: 7, effect: null }, members.voice.id);
const initiativeProposal = (fx: Fixture) =>
  openProposal({ scope: "initiative", initiativeId: fx.initiativeId, kind: "majority", title: "Vaker", body: "", days: 7, effect: null }, members.host.id);

/** A case's targets: the fixture plus whatever the route's setup made (`id`: a comment, outcome or proposal). */
type Targets = Fixture & { id?: number };
type Call = (fx: Targets, cookie: string | undefined) => Promise<unknown>;
const post = (action: (args: never) => unknown, path: string, params: Record<string, string>, fields: Record<string, string | string[]>): ((cookie?: string) => Promise<unknown>) =>
  (cookie) => settle(() => action({ request: formRequest(path, fields, { cookie }), context, params } as never));
/** Closes a proposal as if its deadline had passed. */
function closed(id: number) {
  if (!closeProposal(id, new Date(Date.now() + 31 * day))) throw new Error(`proposal ${id} did not close`);
  return id;
}
const local = (ms: number) => toLocalDateTimeInput(ms, "Europe/Amsterdam");

type RouteSpec = {
  route: string;
  /** Preconditions, run before the state snapshot that a refused request must leave unchanged. */
  setup?: (fx: Fixture, actor: Actor) => Partial<Targets> | void;
  call: Call;
  /** Expected outcome per actor (anonymous defaults to "login"). */
  expect: Partial<Record<Actor, Expected>>;
  /** The status a "forbidden" case answers with (default 403), for every actor or per actor. */
  refusal?: number | Partial<Record<Actor, number>>;
  /** Actors for whom an allowed request is a no-op (e.g. signing up when already signed up). */
  unchangedFor?: Actor[];
};

const L = "login", A = "allowed", F = "forbidden";
const onlyHost = { newbie: F, voice: F, host: A, participant: F } as const;
const anyMember = { newbie: A, voice: A, host: A, participant: A } as const;
const onlyVoice = { newbie: F, voice: A, host: F, participant: F } as const;
const takingPart = { newbie: F, voice: F, host: A, participant: A } as const;
const onlyParticipant = { newbie: F, voice: F, host: F, participant: A } as const;

const routes: RouteSpec[] = [
  // Initiatives
  { route: "POST /initiatives/new", expect: anyMember,
    call: (_fx, cookie) => post(newInitiativeAction, "/initiatives/new", {}, { title: "Nieuw", summary: "Kort.", kind: "course" })(cookie) },
  { route: "POST /initiatives/:id/edit", expect: onlyHost,
    call: (fx, cookie) => post(editInitiativeAction, `/initiatives/${fx.initiativeId}/edit`, { id: String(fx.initiativeId) }, { title: "Anders", summary: "Nieuw.", kind: "course" })(cookie) },
  { route: "POST /initiatives/:id/sessions (add session)", expect: onlyHost,
    call: (fx, cookie) => {
      const start = Date.now() + 5 * day;
      return post(addSessionAction, `/initiatives/${fx.initiativeId}/sessions`, { id: String(fx.initiativeId) }, { startsAt: local(start), endsAt: local(start + 2 * hour), place: "Bieb", capacity: "" })(cookie);
    } },
  { route: "POST /initiatives/:id/enrol", expect: anyMember, unchangedFor: ["participant"],
    call: (fx, cookie) => post(enrolAction, `/initiatives/${fx.initiativeId}/enrol`, { id: String(fx.initiativeId) }, {})(cookie) },
  { route: "POST /initiatives/:id/interest (I'm in)", expect: anyMember,
    call: (fx, cookie) => post(interestAction, `/initiatives/${fx.initiativeId}/interest`, { id: String(fx.initiativeId) }, { interested: "1" })(cookie) },
  // Co-hosting (§2, v2 "joining as co-host needs consent"): a member who attended one of its
  // sessions, or has a voice, *asks* (a host_requests row: an allowed write); signing up alone no
  // longer qualifies, so the participant (signed up, never attended) is refused: 403 for who may
  // not ask (host.notParticipant), 409 for the host who already is one (host.alreadyHost).
  { route: "POST /initiatives/:id/hosts intent=join (asks to co-host)", expect: onlyVoice, refusal: { host: 409 },
    call: (fx, cookie) => post(hostsAction, `/initiatives/${fx.initiativeId}/hosts`, { id: String(fx.initiativeId) }, { intent: "join" })(cookie) },
  // v2: an initiative without hosts is taken up at once only by a member with a voice; the
  // participant who only signed up (and the former host, who has no voice) is refused.
  { route: "POST /initiatives/:id/hosts intent=join (looking for a host)", expect: onlyVoice,
    setup: (fx) => void stepBack(fx.initiativeId, members.host.id),
    call: (fx, cookie) => post(hostsAction, `/initiatives/${fx.initiativeId}/hosts`, { id: String(fx.initiativeId) }, { intent: "join" })(cookie) },
  // v2: a current host answers a co-host request (here the voice member's); anyone else is refused.
  { route: "POST /initiatives/:id/hosts intent=accept", expect: onlyHost,
    setup: (fx) => {
      if (joinAsHost(fx.initiativeId, members.voice.id) !== "requested") throw new Error("no co-host request");
      return { id: db().get<{ id: number }>(sql`SELECT id FROM host_requests WHERE initiative_id = ${fx.initiativeId} AND answered_at IS NULL`).id };
    },
    call: ({ initiativeId, id }, cookie) => post(hostsAction, `/initiatives/${initiativeId}/hosts`, { id: String(initiativeId) }, { intent: "accept", request: String(id) })(cookie) },
  { route: "POST /initiatives/:id/step-back (confirmed)", expect: onlyHost,
    call: (fx, cookie) => post(stepBackAction, `/initiatives/${fx.initiativeId}/step-back`, { id: String(fx.initiativeId) }, { confirmed: "yes" })(cookie) },
  // Sessions
  { route: "POST /sessions/:id/edit (change)", expect: onlyHost,
    call: (fx, cookie) => {
      const start = Date.now() + 11 * day;
      return post(editSessionAction, `/sessions/${fx.future}/edit`, { id: String(fx.future) }, { startsAt: local(start), endsAt: local(start + 2 * hour), place: "Elders", capacity: "" })(cookie);
    } },
  { route: "POST /sessions/:id/edit intent=cancel-session", expect: onlyHost,
    call: (fx, cookie) => post(editSessionAction, `/sessions/${fx.future}/edit`, { id: String(fx.future) }, { intent: "cancel-session", reason: "Ziek" })(cookie) },
  { route: "POST /sessions/:id/attendance", expect: onlyHost,
    call: (fx, cookie) => post(attendanceAction, `/sessions/${fx.past}/attendance`, { id: String(fx.past) }, { memberId: members.participant.id, present: "1" })(cookie) },
  { route: "POST /sessions/:id/message", expect: onlyHost,
    call: (fx, cookie) => post(messageAction, `/sessions/${fx.future}/message`, { id: String(fx.future) }, { subject: "Tot dinsdag", body: "Neem koffie mee." })(cookie) },
  { route: "GET /sessions/:id/participants.csv", expect: onlyHost,
    call: (fx, cookie) => settle(() => csvLoader({ request: getRequest(`/sessions/${fx.future}/participants.csv`, { cookie }), context, params: { id: String(fx.future) } } as never)) },
  { route: "POST /sessions/:id/register (sign up)", expect: anyMember, unchangedFor: ["participant"],
    call: (fx, cookie) => post(registerAction, `/sessions/${fx.future}/register`, { id: String(fx.future) }, {})(cookie) },
  { route: "POST /sessions/:id/cancel (withdraw own sign-up)", expect: anyMember,
    // Withdrawing presupposes a sign-up: every member actor signs up first (the participant already did).
    setup: (fx, actor) => void (actor !== "anonymous" && actor !== "participant" && register(fx.future, members[actor].id)),
    call: (fx, cookie) => post(withdrawAction, `/sessions/${fx.future}/cancel`, { id: String(fx.future) }, { confirmed: "yes" })(cookie) },
  { route: "POST /sessions/:id/checkin (with the code)", expect: anyMember,
    call: (fx, cookie) => {
      const code = db().get<{ checkin_code: string }>(sql`SELECT checkin_code FROM sessions WHERE id = ${fx.live}`).checkin_code;
      return post(checkinAction, `/sessions/${fx.live}/checkin`, { id: String(fx.live) }, { code })(cookie);
    } },
  // Contributions
  { route: "POST /initiatives/:id/comments", expect: anyMember,
    call: (fx, cookie) => post(commentAction, `/initiatives/${fx.initiativeId}/comments`, { id: String(fx.initiativeId) }, { body: "Ik kom ook." })(cookie) },
  { route: "POST /comments/:id/edit (participant's comment)", expect: onlyParticipant,
    setup: (fx) => ({ id: commentBy(fx, members.participant) }),
    call: ({ id }, cookie) => post(editCommentAction, `/comments/${id}/edit`, { id: String(id) }, { body: "Ik kom toch." })(cookie) },
  { route: "POST /initiatives/:id/outcomes (initiative as a whole)", expect: takingPart,
    call: (fx, cookie) => post(outcomeAction, `/initiatives/${fx.initiativeId}/outcomes`, { id: String(fx.initiativeId) }, { body: "Tien bakken vol.", sessionId: "" })(cookie) },
  { route: "POST /initiatives/:id/outcomes (past session)", expect: takingPart,
    call: (fx, cookie) => post(outcomeAction, `/initiatives/${fx.initiativeId}/outcomes`, { id: String(fx.initiativeId) }, { body: "Tien bakken vol.", sessionId: String(fx.past) })(cookie) },
  { route: "POST /outcomes/:id/edit (participant's outcome)", expect: onlyParticipant,
    setup: (fx) => ({ id: outcomeBy(fx, members.participant) }),
    call: ({ id }, cookie) => post(editOutcomeAction, `/outcomes/${id}/edit`, { id: String(id) }, { body: "Twaalf bakken." })(cookie) },
  // Flags (§4): only witnesses (v2; a founder with a voice is one), naming a house-rule heading.
  { route: "POST /initiatives/:id/flag", expect: onlyVoice,
    call: (fx, cookie) => post(flagInitiativeAction, `/initiatives/${fx.initiativeId}/flag`, { id: String(fx.initiativeId) }, { rule, reason: "Reclame." })(cookie) },
  { route: "POST /comments/:id/flag", expect: onlyVoice,
    setup: (fx) => ({ id: commentBy(fx, members.participant) }),
    call: ({ id }, cookie) => post(flagCommentAction, `/comments/${id}/flag`, { id: String(id) }, { rule, reason: "Reclame." })(cookie) },
  { route: "POST /outcomes/:id/flag", expect: onlyVoice,
    setup: (fx) => ({ id: outcomeBy(fx, members.participant) }),
    call: ({ id }, cookie) => post(flagOutcomeAction, `/outcomes/${id}/flag`, { id: String(id) }, { rule, reason: "Reclame." })(cookie) },
  { route: "POST /members/:id (flag a profile)", expect: onlyVoice,
    call: (_fx, cookie) => post(flagMemberAction, `/members/${target.id}`, { id: target.id }, { rule, reason: "Spam." })(cookie) },
  // Proposals (§3)
  { route: "POST /proposals/new scope=network", expect: onlyVoice,
    call: (_fx, cookie) => post(newProposalAction, "/proposals/new", {}, { title: "Vaker koffie", kind: "consent", scope: "network", days: "7" })(cookie) },
  { route: "POST /proposals/new scope=initiative", expect: takingPart,
    call: (fx, cookie) => post(newProposalAction, "/proposals/new", {}, { title: "Op dinsdag", kind: "majority", scope: "initiative", initiativeId: String(fx.initiativeId), days: "7" })(cookie) },
  { route: "POST /proposals/:id intent=respond (network)", expect: onlyVoice,
    setup: () => ({ id: networkProposal() }),
    call: ({ id }, cookie) => post(proposalAction, `/proposals/${id}`, { id: String(id) }, { intent: "respond", position: "consent" })(cookie) },
  { route: "POST /proposals/:id intent=respond (initiative)", expect: takingPart,
    setup: (fx) => ({ id: initiativeProposal(fx) }),
    call: ({ id }, cookie) => post(proposalAction, `/proposals/${id}`, { id: String(id) }, { intent: "respond", position: "for" })(cookie) },
  { route: "POST /proposals/:id intent=statement (closed network proposal)", expect: onlyVoice,
    setup: () => ({ id: closed(openProposal({ scope: "network", initiativeId: null, kind: "consent", title: "Thee", body: "", days: 3, effect: null }, members.voice.id)) }),
    call: ({ id }, cookie) => post(proposalAction, `/proposals/${id}`, { id: String(id) }, { intent: "statement", statement: "We doen het." })(cookie) },
  { route: "POST /proposals/:id intent=statement (closed initiative proposal)", expect: takingPart,
    setup: (fx) => ({ id: closed(openProposal({ scope: "initiative", initiativeId: fx.initiativeId, kind: "majority", title: "Later", body: "", days: 3, effect: null }, members.host.id)) }),
    call: ({ id }, cookie) => post(proposalAction, `/proposals/${id}`, { id: String(id) }, { intent: "statement", statement: "We doen het." })(cookie) },
  // One's own account: any member, never anyone else's (these act on the cookie's member only).
  { route: "POST /now", expect: anyMember,
    call: (_fx, cookie) => post(nowAction, "/now", {}, { now: "Bezig met de moestuin." })(cookie) },
  { route: "POST /settings intent=mail", expect: anyMember,
    call: (_fx, cookie) => post(settingsAction, "/settings", {}, { intent: "mail", mail: ["registration"], digest: "on" })(cookie) },
  { route: "POST /settings/profile intent=now", expect: anyMember,
    call: (_fx, cookie) => post(profileAction, "/settings/profile", {}, { intent: "now", now: "Aan het lezen." })(cookie) },
];

type Row = { route: string; actor: Actor; expected: Expected; refusal: number; changes: boolean; setup?: RouteSpec["setup"]; call: Call };
const matrix: Row[] = routes.flatMap((r) =>
  actors.map((actor) => ({ route: r.route, actor, expected: actor === "anonymous" ? L : (r.expect[actor] as Expected), refusal: (typeof r.refusal === "object" ? r.refusal[actor] : r.refusal) ?? 403,
    changes: !r.route.startsWith("GET ") && !r.unchangedFor?.includes(actor), setup: r.setup, call: r.call })),
);

/** Everything a member action could change (not rate limits or login sessions). */
const stateTables = ["members", "initiatives", "initiative_tags", "hosts", "host_requests", "log_entries", "sessions", "registrations", "interests", "outbox", "proposals", "proposal_positions", "proposal_electorate", "proposal_statements", "flags", "house_rules", "member_tags", "now_updates", "outcomes", "comments", "founder_invitations"];
const snapshot = () => JSON.stringify(stateTables.map((t) => db().all(sql.raw(`SELECT * FROM ${t} ORDER BY rowid`))));

beforeAll(async () => {
  const [newbie, voice, host, participant] = await Promise.all(["Newbie", "Voice", "Host", "Participant"].map((n) => memberWithSession(`Authz ${n}`)));
  target = await memberWithSession("Authz Target");
  members = { newbie, voice, host, participant };
  makeFounder(voice.id);
  rule = ruleHeadings(currentRules().text)[0];
});

afterEach(() => {
  // Check-ins and marked attendance earn a voice; undo them so every case sees the same voices.
  db().run(sql`UPDATE registrations SET attended_at = NULL, attendance_by = NULL`);
});

describe("authorisation matrix", () => {
  it("starts from the intended voices: only the founder has one, and is the only witness (bootstrap)", () => {
    const snapshot = voiceSnapshot();
    expect(snapshot.bootstrapping).toBe(true);
    expect([...snapshot.voices.keys()].sort()).toEqual([members.voice.id].sort());
    expect([...snapshot.witnesses]).toEqual([members.voice.id]);
    expect(rule).toMatch(/^1\. /);
    expect(matrix.every((row) => row.expected)).toBe(true);
  });

  it.each(matrix)("$route as $actor → $expected", async (row) => {
    // The voices never drift between cases.
    expect([...voiceSnapshot().voices.keys()]).toEqual([members.voice.id]);
    const base = fixture();
    const fx: Targets = { ...base, ...(row.setup?.(base, row.actor) ?? {}) };
    const cookie = row.actor === "anonymous" ? undefined : members[row.actor].cookie;
    const before = snapshot();
    const result = await row.call(fx, cookie);
    const status = statusOf(result);
    const location = result instanceof Response ? result.headers.get("Location") : null;
    const summary = { status, location, data: result instanceof Response ? undefined : dataOf(result) };
    if (row.expected === "login") {
      expect(summary).toMatchObject({ status: 302, location: expect.stringMatching(/^\/login/) });
      expect(snapshot(), "a redirect to /login changed state").toBe(before);
    } else if (row.expected === "forbidden") {
      expect(summary.status, JSON.stringify(summary)).toBe(row.refusal);
      expect(snapshot(), "a refused request changed state").toBe(before);
    } else {
      expect(status, JSON.stringify(summary)).toBeGreaterThanOrEqual(200);
      expect(status, JSON.stringify(summary)).toBeLessThan(400);
      expect(location ?? "", JSON.stringify(summary)).not.toMatch(/^\/login/);
      const data = summary.data as Record<string, unknown> | undefined;
      if (data && typeof data === "object") {
        expect(data.errors ?? data.error ?? undefined, JSON.stringify(summary)).toBeFalsy();
      }
      if (row.changes) expect(snapshot(), "an allowed action changed nothing").not.toBe(before);
      else expect(snapshot(), "a read or a repeated request changed state").toBe(before);
    }
  });
});
