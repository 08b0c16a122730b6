// The rules of docs/governance.md, one table per rule, edges included.
import { describe, expect, it } from "vitest";
import {
  earnedVoice,
  hasVoice,
  hideThreshold,
  hostingLapsed,
  isBootstrapping,
  proposalOutcome,
  quorum,
  reachesThreshold,
  reminderDue,
  validDuration,
  voiceOf,
  withinNewcomerLimit,
  type Participation,
  type Position,
} from "~/governance/rules";

const now = Date.UTC(2026, 10, 25, 12);
const day = 86_400_000;
const hour = 3_600_000;
const attended = (daysAgo: number): Participation => ({ kind: "attended", sessionId: 1, title: "Intervisie", at: now - daysAgo * day });
const hosted = (daysAgo: number, otherAttendees: number): Participation => ({ kind: "hosted", sessionId: 2, title: "Taalcafé", at: now - daysAgo * day, otherAttendees });

describe("§1 a member has a voice when, within the last 180 days, they …", () => {
  it.each([
    ["attended a session yesterday", [attended(1)], true],
    ["attended exactly 180 days ago", [attended(180)], true],
    ["attended 181 days ago", [attended(181)], false],
    ["hosted a session with one other attendee", [hosted(10, 1)], true],
    ["hosted a session nobody else attended", [hosted(10, 0)], false],
    ["hosted with others, but 200 days ago", [hosted(200, 4)], false],
    ["did nothing", [], false],
    ["attended long ago and recently", [attended(400), attended(3)], true],
  ])("%s → voice: %s", (_what, participations, expected) => {
    expect(earnedVoice(participations as Participation[], now) !== null).toBe(expected);
  });

  it("names the most recent reason", () => {
    expect(earnedVoice([attended(30), attended(2)], now)?.at).toBe(now - 2 * day);
  });
});

describe("§1 bootstrap: while fewer than 5 members earned a voice, accounts of 24 hours or older have one", () => {
  it.each([
    [0, true],
    [4, true],
    [5, false],
    [6, false],
  ])("with %i members who earned a voice, bootstrapping is %s", (earned, expected) => {
    expect(isBootstrapping(earned)).toBe(expected);
  });

  it.each([
    ["a 2-day-old account while 4 have earned a voice", 2 * day, 4, [], "bootstrap"],
    ["a 24-hour-old account (exactly) while bootstrapping", 24 * hour, 0, [], "bootstrap"],
    ["a 23-hour-old account while bootstrapping", 23 * hour, 0, [], "none"],
    ["a 2-day-old account once 5 have earned a voice", 2 * day, 5, [], "none"],
    ["someone who attended, after bootstrap", 2 * day, 12, [attended(5)], "attended"],
    ["a new account that attended, during bootstrap", 1 * hour, 1, [attended(0)], "attended"],
  ])("%s → %s", (_what, age, earned, participations, kind) => {
    const reason = voiceOf({ createdAt: now - (age as number), participations: participations as Participation[] }, earned as number, now);
    expect(reason.kind).toBe(kind);
    expect(hasVoice(reason)).toBe(kind !== "none");
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
