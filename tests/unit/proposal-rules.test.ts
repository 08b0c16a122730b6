// Amending and closing early (governance.md §3, docs/decisions/029), one table per rule.
import { describe, expect, it } from "vitest";
import { governance } from "~/governance/config";
import { amendedDeadline, amendRefusal, earlyCloseState, lastCallEndsAt, type EarlyCloseInput } from "~/governance/rules";

const now = Date.UTC(2026, 10, 30, 12);
const hour = 3_600_000;
const day = 24 * hour;
const lastCall = governance.proposalLastCallHours * hour;

describe("closing early: every eligible member responded and nobody changed during the last call", () => {
  const base: EarlyCloseInput = { kind: "consent", eligible: 5, responded: 5, objections: 0, lastChangeAt: now - lastCall, deadline: now + 3 * day, now };
  it.each<[string, Partial<EarlyCloseInput>, ReturnType<typeof earlyCloseState>]>([
    ["all consented, unchanged for exactly the last call", {}, "close"],
    ["all consented, unchanged for longer", { lastChangeAt: now - 2 * day }, "close"],
    ["all responded, the last change 1 ms short of the last call", { lastChangeAt: now - lastCall + 1 }, "last-call"],
    ["all responded, a change just now", { lastChangeAt: now }, "last-call"],
    ["one eligible member has not responded", { responded: 4 }, "open"],
    ["nobody responded", { responded: 0, lastChangeAt: null }, "open"],
    ["nobody is eligible", { eligible: 0, responded: 0, lastChangeAt: null }, "open"],
    ["an objection stands on a consent proposal", { objections: 1 }, "objection-stands"],
    ["an objection stands, even long unchanged", { objections: 2, lastChangeAt: now - 5 * day }, "objection-stands"],
    ["a majority proposal with everyone against still closes (its outcome is settled)", { kind: "majority", objections: 0 }, "close"],
    ["a majority proposal in its last call", { kind: "majority", lastChangeAt: now - hour }, "last-call"],
    ["the deadline has passed: closing at the deadline applies instead", { deadline: now }, "open"],
  ])("%s → %s", (_case, change, expected) => {
    expect(earlyCloseState({ ...base, ...change })).toBe(expected);
  });

  it("the last call ends the configured hours after the latest change", () => {
    expect(lastCallEndsAt(now)).toBe(now + lastCall);
  });
});

describe("amending: after an objection, by the proposer or any eligible member, never a held one", () => {
  const open = { kind: "consent" as const, closed: false, objections: 1 };
  const eligible = { eligible: true, proposer: false, held: false };
  it.each<[string, Partial<typeof open>, Partial<typeof eligible>, ReturnType<typeof amendRefusal>]>([
    ["an eligible member, an objection stands", {}, {}, null],
    ["the proposer without a voice any more", {}, { eligible: false, proposer: true }, null],
    ["the proposer who is eligible", {}, { proposer: true }, null],
    ["a member who may not respond", {}, { eligible: false }, "not-eligible"],
    ["a held member, even the proposer", {}, { proposer: true, held: true }, "not-eligible"],
    ["a held member who was eligible", {}, { held: true }, "not-eligible"],
    ["no objection stands", { objections: 0 }, {}, "no-objection"],
    ["a closed proposal", { closed: true }, {}, "closed"],
    ["a majority proposal (objections are a consent matter)", { kind: "majority" as never }, {}, "not-consent"],
    ["not eligible and closed: the member is refused first", { closed: true }, { eligible: false }, "not-eligible"],
  ])("%s → %s", (_case, proposal, who, expected) => {
    expect(amendRefusal({ ...open, ...proposal }, { ...eligible, ...who })).toBe(expected);
  });
});

describe("an amended proposal keeps at least the shortest duration", () => {
  it.each([
    ["10 days left: unchanged", 10 * day, 10 * day],
    ["exactly the minimum left: unchanged", governance.proposalMinDays * day, governance.proposalMinDays * day],
    ["one hour left: moved out to the minimum", hour, governance.proposalMinDays * day],
    ["one day left: moved out to the minimum", day, governance.proposalMinDays * day],
  ])("%s", (_case, left, after) => {
    expect(amendedDeadline(now + left, now)).toBe(now + after);
  });
});
