// The rules of docs/governance.md, one table per rule, edges included.
import { describe, expect, it } from "vitest";
import {
  attendanceChangeAllowed,
  attendanceWindow,
  founderYesNeeded,
  hideThreshold,
  hostingLapsed,
  isBootstrapping,
  proposalOutcome,
  quorum,
  reachesThreshold,
  reminderDue,
  lazyConsentDue,
  mayAskToHost,
  unseenStrikes,
  validDuration,
  withinNewcomerLimit,
  type Position,
} from "~/governance/rules";

const now = Date.UTC(2026, 10, 25, 12);
const day = 86_400_000;
const hour = 3_600_000;

describe("§1 bootstrap: while fewer than 5 members earned a voice", () => {
  it.each([
    [0, true],
    [4, true],
    [5, false],
    [6, false],
  ])("with %i members who earned a voice, bootstrapping is %s", (earned, expected) => {
    expect(isBootstrapping(earned)).toBe(expected);
  });
});

describe("§1 a new founder needs the yes of more than half of the founders with a voice", () => {
  it.each([
    [0, 1],
    [1, 1],
    [2, 2],
    [3, 2],
    [4, 3],
    [5, 3],
    [6, 4],
    [14, 8],
    [15, 8],
  ])("with %i founders with a voice: %i yes (the invitation is one)", (founders, needed) => {
    expect(founderYesNeeded(founders)).toBe(needed);
    expect(needed > founders / 2 && needed - 1 <= founders / 2).toBe(true);
  });
});

describe("§2 hosting lapses after 180 days without action", () => {
  it.each([
    [179, false],
    [180, false],
    [181, true],
  ])("last action %i days ago → lapsed: %s", (daysAgo, expected) => {
    expect(hostingLapsed(now - daysAgo * day, now)).toBe(expected);
  });
});

describe("§2 joining as co-host needs consent", () => {
  it.each([
    ["attended one of its sessions", { attended: true, voice: false, held: false }, true],
    ["has a voice", { attended: false, voice: true, held: false }, true],
    ["only said \"I'm in\" or signed up", { attended: false, voice: false, held: false }, false],
    ["attended, but is held", { attended: true, voice: true, held: true }, false],
  ])("a member who %s may ask: %s", (_what, asker, expected) => {
    expect(mayAskToHost(asker)).toBe(expected);
  });

  it.each([
    ["a member with a voice, unanswered for 7 days", 7 * day, true, true],
    ["a member with a voice, unanswered for 6 days 23 hours", 7 * day - hour, true, false],
    ["a member without a voice, unanswered for 30 days", 30 * day, false, false],
  ])("lazy consent for %s: %s", (_what, waited, voice, expected) => {
    expect(lazyConsentDue(now - waited, voice, now)).toBe(expected);
  });
});

describe("§2 attendance: hosts from before the start, from check-in until 7 days after, not a self check-in", () => {
  const startsAt = now - 2 * day;
  const endsAt = startsAt + 2 * hour;
  const base = { hostSince: startsAt - day, startsAt, endsAt, checkinOpensAt: startsAt - 30 * 60_000, now, selfCheckIn: false, byThatMember: false };
  it.each([
    ["a host since before the start marks someone present", {}, "ok"],
    ["a host who joined after the start", { hostSince: startsAt + hour }, "not-host"],
    ["someone who is not a host", { hostSince: null }, "not-host"],
    ["a host, before check-in opens", { now: startsAt - hour }, "not-open"],
    ["a host, 7 days after the end (exactly)", { now: endsAt + 7 * day }, "ok"],
    ["a host, 7 days and a minute after the end", { now: endsAt + 7 * day + 60_000 }, "fixed"],
    ["a host unticks a self check-in", { selfCheckIn: true }, "self-check-in"],
    ["the member undoes their own check-in", { hostSince: null, selfCheckIn: true, byThatMember: true }, "ok"],
    ["the member undoes a host's mark", { hostSince: null, selfCheckIn: false, byThatMember: true }, "not-host"],
  ])("%s → %s", (_what, change, expected) => {
    expect(attendanceChangeAllowed({ ...base, ...change })).toBe(expected);
  });
});

describe("§2 a self check-in the witnesses who were there did not see (ADR 051)", () => {
  const startsAt = now - 2 * day;
  const endsAt = startsAt + 2 * hour;
  const checkinOpensAt = startsAt - 30 * 60_000;
  it.each([
    ["before check-in opens", checkinOpensAt - 60_000, "not-open"],
    ["when check-in opens", checkinOpensAt, "ok"],
    ["7 days after the end (exactly)", endsAt + 7 * day, "ok"],
    ["7 days and a minute after the end", endsAt + 7 * day + 60_000, "fixed"],
  ])("%s → %s", (_what, at, expected) => {
    expect(attendanceWindow({ endsAt, checkinOpensAt, now: at })).toBe(expected);
  });
  it.each([
    [0, false],
    [1, false],
    [2, true],
    [3, true],
  ])("%i witnesses who did not see the member → struck: %s", (witnesses, expected) => {
    expect(unseenStrikes(witnesses)).toBe(expected);
  });
});

describe("§3 proposals", () => {
  it.each([
    [2, false],
    [3, true],
    [7, true],
    [30, true],
    [31, false],
    [7.5, false],
  ])("a duration of %s days is allowed: %s", (days, expected) => {
    expect(validDuration(days)).toBe(expected);
  });

  it.each([
    // eligible, quorum
    [1, 1],
    [2, 2],
    [3, 3],
    [10, 3],
    [15, 3],
    [16, 4],
    [20, 4],
    [21, 5],
    [100, 20],
    [300, 60],
  ])("with %i eligible members the quorum is %i", (eligible, expected) => {
    expect(quorum(eligible)).toBe(expected);
  });

  const many = (counts: Partial<Record<Position, number>>) =>
    Object.entries(counts).flatMap(([p, n]) => Array.from({ length: n ?? 0 }, () => p as Position));

  it.each([
    ["consent: 3 consents out of 10 eligible", "consent", { consent: 3 }, 10, false, "adopted"],
    ["consent: exactly the quorum with abstentions", "consent", { consent: 1, abstain: 2 }, 10, false, "adopted"],
    ["consent: one below the quorum", "consent", { consent: 2 }, 10, false, "no-quorum"],
    ["consent: one objection among many consents", "consent", { consent: 9, object: 1 }, 10, false, "objection"],
    ["consent: nobody responded", "consent", {}, 10, false, "no-quorum"],
    ["majority: more for than against", "majority", { for: 3, against: 2 }, 10, false, "adopted"],
    ["majority: a tie is not adopted", "majority", { for: 2, against: 2 }, 10, false, "not-enough-for"],
    ["majority: abstentions count for the quorum only", "majority", { for: 1, abstain: 5 }, 10, false, "adopted"],
    ["majority: below quorum", "majority", { for: 2 }, 10, false, "no-quorum"],
    ["fallback 2/3: exactly two thirds for", "majority", { for: 2, against: 1 }, 10, true, "adopted"],
    ["fallback 2/3: just under two thirds", "majority", { for: 5, against: 3 }, 10, true, "not-enough-for"],
    ["fallback 2/3: one objector cannot block", "majority", { for: 6, against: 1 }, 10, true, "adopted"],
    ["small network: 2 eligible, quorum 2", "consent", { consent: 2 }, 2, false, "adopted"],
  ])("%s → %s", (_what, kind, counts, eligible, fallback, expected) => {
    const outcome = proposalOutcome(kind as "consent" | "majority", many(counts as Partial<Record<Position, number>>), eligible as number, fallback as boolean);
    expect(outcome.reason).toBe(expected);
    expect(outcome.adopted).toBe(expected === "adopted");
  });

  it.each([
    [25 * hour, false],
    [24 * hour, true],
    [1 * hour, true],
    [0, false],
  ])("with %i ms to go, the reminder is due: %s", (left, expected) => {
    expect(reminderDue(now + left, now)).toBe(expected);
  });
});

describe("§4 content is hidden when enough distinct members with a voice flag it", () => {
  it.each([
    [9, 2],
    [10, 3],
    [300, 3],
  ])("with %i members with a voice the threshold is %i", (voices, expected) => {
    expect(hideThreshold(voices)).toBe(expected);
  });

  it.each([
    [1, 5, false],
    [2, 5, true],
    [2, 10, false],
    [3, 10, true],
  ])("%i flags with %i voices in the network → hidden: %s", (flags, voices, expected) => {
    expect(reachesThreshold(flags, voices)).toBe(expected);
  });
});

describe("§5 newcomers without a voice post at most 3 initiatives and 20 comments a day", () => {
  it.each([
    ["initiative", false, 2, true],
    ["initiative", false, 3, false],
    ["initiative", true, 50, true],
    ["comment", false, 19, true],
    ["comment", false, 20, false],
  ])("a %s with voice %s after %i today → allowed: %s", (kind, voice, posted, expected) => {
    expect(withinNewcomerLimit(kind as "initiative" | "comment", voice as boolean, posted as number)).toBe(expected);
  });
});
