// The governance rules (docs/governance.md) as pure functions over plain data: no database and no
// clock. Every number comes from ./config. Each rule has a table-driven test in
// tests/unit/governance.test.ts that reads like the rule.
import { governance as g } from "./config";

const dayMs = 86_400_000;
const hourMs = 3_600_000;

// §1 Voice ------------------------------------------------------------------------------------

export type Participation =
  | { kind: "attended"; sessionId: number; title: string; at: number }
  | { kind: "hosted"; sessionId: number; title: string; at: number; otherAttendees: number };

export type VoiceReason =
  | { kind: "attended" | "hosted"; sessionId: number; title: string; at: number }
  | { kind: "bootstrap" }
  | { kind: "none"; bootstrap: boolean; accountTooNew: boolean };

/** The participation that earns a voice now: attended, or hosted with someone else there, within the window. */
export function earnedVoice(participations: Participation[], now: number): Participation | null {
  const since = now - g.voiceWindowDays * dayMs;
  const counting = participations
    .filter((p) => p.at >= since && p.at <= now)
    .filter((p) => p.kind === "attended" || p.otherAttendees >= 1)
    .sort((a, b) => b.at - a.at);
  return counting[0] ?? null;
}

/** While fewer than 5 members have earned a voice, the network is bootstrapping. */
export function isBootstrapping(membersWithEarnedVoice: number): boolean {
  return membersWithEarnedVoice < g.bootstrapVoiceThreshold;
}

/**
 * Whether a member has a voice now, and why. `membersWithEarnedVoice` counts the members of the
 * whole network whose voice comes from participation (not from the bootstrap).
 */
export function voiceOf(member: { createdAt: number; participations: Participation[] }, membersWithEarnedVoice: number, now: number): VoiceReason {
  const earned = earnedVoice(member.participations, now);
  if (earned) return { kind: earned.kind, sessionId: earned.sessionId, title: earned.title, at: earned.at };
  const bootstrap = isBootstrapping(membersWithEarnedVoice);
  const oldEnough = now - member.createdAt >= g.bootstrapAccountAgeHours * hourMs;
  if (bootstrap && oldEnough) return { kind: "bootstrap" };
  return { kind: "none", bootstrap, accountTooNew: bootstrap && !oldEnough };
}

export const hasVoice = (reason: VoiceReason) => reason.kind !== "none";

// §2 Hosts ------------------------------------------------------------------------------------

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

// §5 Newcomer limits --------------------------------------------------------------------------

export type PostKind = "initiative" | "comment";

/** Members without a voice may post at most 3 initiatives and 20 comments/outcomes per 24 hours. */
export function withinNewcomerLimit(kind: PostKind, voice: boolean, postedLast24h: number): boolean {
  if (voice) return true;
  return postedLast24h < (kind === "initiative" ? g.newcomerInitiativesPerDay : g.newcomerCommentsPerDay);
}
