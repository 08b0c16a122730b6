// The governance rules (docs/governance.md) as pure functions over plain data: no database and no
// clock. Every number comes from ./config. Each rule has a table-driven test in
// tests/unit/governance.test.ts that reads like the rule.
import { governance as g } from "./config";

const dayMs = 86_400_000;
const hourMs = 3_600_000;

// §1 Voice ------------------------------------------------------------------------------------
// Voices come from a replay of the network's meetings: see ./voice.ts.

/** While fewer than 5 members have earned a voice, the network is bootstrapping. */
export function isBootstrapping(membersWithEarnedVoice: number): boolean {
  return membersWithEarnedVoice < g.bootstrapVoiceThreshold;
}

/**
 * A new founder needs the yes of more than half of the founders who have a voice; the invitation
 * is its inviter's yes, so a network's first founder invites alone. How many yes that takes.
 */
export function founderYesNeeded(foundersWithVoice: number): number {
  return Math.floor(foundersWithVoice / 2) + 1;
}

// §2 Hosts ------------------------------------------------------------------------------------

/**
 * A co-host request (governance.md §2): answered by a host, or accepted by itself after 7 days
 * when the member who asked has a voice then.
 */
export function lazyConsentDue(requestedAt: number, askerHasVoice: boolean, now: number): boolean {
  return askerHasVoice && now - requestedAt >= g.hostRequestLazyConsentDays * dayMs;
}

/** Who may ask to co-host: a member who attended one of its sessions, or has a voice; never a held member. */
export function mayAskToHost(asker: { attended: boolean; voice: boolean; held: boolean }): boolean {
  return !asker.held && (asker.attended || asker.voice);
}

/** Whether a session's attendance can change now: from check-in opening until it is fixed. */
export function attendanceWindow({ endsAt, checkinOpensAt, now }: { endsAt: number; checkinOpensAt: number; now: number }): "ok" | "not-open" | "fixed" {
  if (now > endsAt + g.attendanceFixedAfterDays * dayMs) return "fixed";
  if (now < checkinOpensAt) return "not-open";
  return "ok";
}

/**
 * A member's attendance is struck when this many witnesses who were at the meeting themselves say
 * they did not see the member there (docs/decisions/051).
 */
export const unseenStrikes = (witnesses: number) => witnesses >= g.unseenCheckInWitnesses;

/**
 * Attendance can be changed by those who were hosts when the session started, from the moment
 * check-in opens until 7 days after the session ended; a self check-in only by that member.
 */
export function attendanceChangeAllowed(change: {
  hostSince: number | null;
  startsAt: number;
  endsAt: number;
  checkinOpensAt: number;
  now: number;
  selfCheckIn: boolean;
  byThatMember: boolean;
}): "ok" | "not-host" | "not-open" | "fixed" | "self-check-in" {
  const { hostSince, startsAt, selfCheckIn, byThatMember } = change;
  const window = attendanceWindow(change);
  if (window !== "ok") return window;
  if (byThatMember) return selfCheckIn ? "ok" : "not-host";
  if (hostSince === null || hostSince > startsAt) return "not-host";
  if (selfCheckIn) return "self-check-in";
  return "ok";
}

/** Hosting lapses after 180 days without any action on that initiative. */
export function hostingLapsed(lastActionAt: number, now: number): boolean {
  return now - lastActionAt > g.hostLapseDays * dayMs;
}

// §3 Proposals --------------------------------------------------------------------------------

export type ProposalKind = "consent" | "majority";
export type Position = "consent" | "abstain" | "object" | "for" | "against";

export const positionsFor = (kind: ProposalKind): Position[] => (kind === "consent" ? ["consent", "abstain", "object"] : ["for", "against", "abstain"]);

/** Duration in days: default 7, at least 3, at most 30. */
export function validDuration(days: number): boolean {
  return Number.isInteger(days) && days >= g.proposalMinDays && days <= g.proposalMaxDays;
}

/** quorum = max(3, ceil(20% of those eligible)), but never more than the number eligible. */
export function quorum(eligible: number): number {
  return Math.min(eligible, Math.max(g.quorumMinimum, Math.ceil(g.quorumShare * eligible - 1e-9)));
}

export type Tally = { consent: number; abstain: number; object: number; for: number; against: number; responses: number };

export function tally(positions: Position[]): Tally {
  const t: Tally = { consent: 0, abstain: 0, object: 0, for: 0, against: 0, responses: positions.length };
  for (const p of positions) t[p]++;
  return t;
}

export type Outcome = { adopted: boolean; reason: "no-quorum" | "objection" | "not-enough-for" | "adopted"; quorum: number; tally: Tally };

/**
 * The outcome at the deadline, from the positions then standing.
 * - consent: adopted with responses ≥ quorum and no objection;
 * - majority: adopted with responses ≥ quorum and for > against;
 * - a fallback (a blocked consent proposal raised again) needs for ≥ 2/3 of for + against.
 */
export function proposalOutcome(kind: ProposalKind, positions: Position[], eligible: number, fallback = false): Outcome {
  const t = tally(positions);
  const q = quorum(eligible);
  const result = (adopted: boolean, reason: Outcome["reason"]): Outcome => ({ adopted, reason, quorum: q, tally: t });
  if (t.responses < q || t.responses === 0) return result(false, "no-quorum");
  if (kind === "consent") return t.object > 0 ? result(false, "objection") : result(true, "adopted");
  if (fallback) {
    const cast = t.for + t.against;
    // Whole numbers only: for / (for + against) ≥ 2/3 without rounding errors.
    const { for: share, of } = g.fallbackMajority;
    return cast > 0 && t.for * of >= cast * share ? result(true, "adopted") : result(false, "not-enough-for");
  }
  return t.for > t.against ? result(true, "adopted") : result(false, "not-enough-for");
}

/** A consent proposal that failed on objections may be raised again under the 2/3 rule. */
export function canRaiseAgain(kind: ProposalKind, outcome: Outcome | null): boolean {
  return kind === "consent" && outcome?.reason === "objection";
}

/**
 * Closing early (docs/decisions/029): positions can change until the deadline, so a proposal
 * closes before it only when every eligible member has responded and nobody changed their
 * position during the last call (24 hours since the latest change). A consent proposal with an
 * objection standing never closes early: an amendment can still answer it.
 */
export type EarlyCloseInput = {
  kind: ProposalKind;
  eligible: number;
  /** Eligible members with a standing position on the version in force. */
  responded: number;
  objections: number;
  /** The latest position change, or null when there is none. */
  lastChangeAt: number | null;
  deadline: number;
  now: number;
};
export type EarlyCloseState = "open" | "objection-stands" | "last-call" | "close";

export function earlyCloseState(p: EarlyCloseInput): EarlyCloseState {
  if (p.now >= p.deadline || p.eligible === 0 || p.responded < p.eligible || p.lastChangeAt === null) return "open";
  if (p.kind === "consent" && p.objections > 0) return "objection-stands";
  return p.now - p.lastChangeAt >= g.proposalLastCallHours * hourMs ? "close" : "last-call";
}

/** When the last call ends: the proposal closes then unless a position changes. */
export function lastCallEndsAt(lastChangeAt: number): number {
  return lastChangeAt + g.proposalLastCallHours * hourMs;
}

export type AmendRefusal = "not-eligible" | "closed" | "not-consent" | "no-objection";

/**
 * Amending (docs/decisions/029): once an objection stands on an open consent proposal, its
 * proposer or any eligible member may publish a new version; never a held member.
 */
export function amendRefusal(
  proposal: { kind: ProposalKind; closed: boolean; objections: number },
  who: { eligible: boolean; proposer: boolean; held: boolean },
): AmendRefusal | null {
  if (who.held || !(who.eligible || who.proposer)) return "not-eligible";
  if (proposal.closed) return "closed";
  if (proposal.kind !== "consent") return "not-consent";
  if (proposal.objections === 0) return "no-objection";
  return null;
}

/** An amended proposal keeps at least `proposalMinDays`: a nearer deadline moves out to that. */
export function amendedDeadline(deadline: number, now: number): number {
  return Math.max(deadline, now + g.proposalMinDays * dayMs);
}

/** Eligible members who have not responded get a reminder when 24 hours remain. */
export function reminderDue(deadline: number, now: number): boolean {
  return now >= deadline - g.proposalReminderHours * hourMs && now < deadline;
}

// §4 Flags ------------------------------------------------------------------------------------

/** Flags from distinct members with a voice needed to hide: 3, or 2 while fewer than 10 have a voice. */
export function hideThreshold(membersWithVoice: number): number {
  return membersWithVoice < g.smallNetworkVoices ? g.hideThresholdSmallNetwork : g.hideThreshold;
}

export function reachesThreshold(distinctFlaggersWithVoice: number, membersWithVoice: number): boolean {
  return distinctFlaggersWithVoice >= hideThreshold(membersWithVoice);
}

export type EditAcceptance = { hasVoice: boolean; flagged: boolean };
export type EditReturn = "accepted-by-flagger" | "accepted-by-voices" | "no-new-flag";

/**
 * The author's one edit of hidden content returns it when a member with a voice who flagged it
 * accepts, or two members with a voice accept, or 3 days pass without a new flag; a flag placed
 * after the edit starts the 3 days again. `lastFlagAt` is the newest standing flag's time.
 */
export function editReturns(edit: { editedAt: number; lastFlagAt: number | null; acceptances: EditAcceptance[]; now: number }): EditReturn | null {
  const withVoice = edit.acceptances.filter((a) => a.hasVoice);
  if (withVoice.filter((a) => a.flagged).length >= g.editAcceptedByFlaggers) return "accepted-by-flagger";
  if (withVoice.length >= g.editAcceptedByVoices) return "accepted-by-voices";
  const waitFrom = Math.max(edit.editedAt, edit.lastFlagAt ?? 0);
  return edit.now - waitFrom >= g.editReturnsAfterDays * dayMs ? "no-new-flag" : null;
}

// §5 Newcomer limits --------------------------------------------------------------------------

export type PostKind = "initiative" | "comment";

/** Members without a voice may post at most 3 initiatives and 20 comments/outcomes per 24 hours. */
export function withinNewcomerLimit(kind: PostKind, voice: boolean, postedLast24h: number): boolean {
  if (voice) return true;
  return postedLast24h < (kind === "initiative" ? g.newcomerInitiativesPerDay : g.newcomerCommentsPerDay);
}
