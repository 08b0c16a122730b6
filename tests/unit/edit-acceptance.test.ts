// governance.md §4: the author's one edit of hidden content returns it when a member with a voice
// who flagged it accepts, or two members with a voice accept, or after 3 days without a new flag.
import { describe, expect, it } from "vitest";
import { editReturns, type EditAcceptance } from "~/governance/rules";

const day = 86_400_000;
const editedAt = Date.UTC(2026, 10, 25, 12);
const flaggerWithVoice: EditAcceptance = { hasVoice: true, flagged: true };
const voice: EditAcceptance = { hasVoice: true, flagged: false };
const flaggerWithoutVoice: EditAcceptance = { hasVoice: false, flagged: true };
const noVoice: EditAcceptance = { hasVoice: false, flagged: false };

describe("§4 the author's edit of hidden content returns it", () => {
  it.each<[string, EditAcceptance[], number | null, number, ReturnType<typeof editReturns>]>([
    ["nobody accepted, just edited", [], null, 0, null],
    ["one flagger with a voice accepts", [flaggerWithVoice], null, 0, "accepted-by-flagger"],
    ["one member with a voice who did not flag", [voice], null, 0, null],
    ["two members with a voice", [voice, voice], null, 0, "accepted-by-voices"],
    ["one with a voice and one without", [voice, noVoice], null, 0, null],
    ["a flagger who lost their voice", [flaggerWithoutVoice], null, 0, null],
    ["a flagger without a voice and a member with one", [flaggerWithoutVoice, voice], null, 0, null],
    ["two without a voice", [noVoice, noVoice], null, 0, null],
    ["2 days 23 hours without a new flag", [], null, 3 * day - 3_600_000, null],
    ["3 days without a new flag", [], null, 3 * day, "no-new-flag"],
    ["3 days, but a flag came a day after the edit", [], editedAt + day, 3 * day, null],
    ["4 days after that new flag", [], editedAt + day, 4 * day, "no-new-flag"],
    ["a flag from before the edit does not restart the wait", [], editedAt - day, 3 * day, "no-new-flag"],
    ["one member with a voice and 3 quiet days", [voice], null, 3 * day, "no-new-flag"],
  ])("%s", (_, acceptances, lastFlagAt, after, expected) => {
    expect(editReturns({ editedAt, lastFlagAt, acceptances, now: editedAt + after })).toBe(expected);
  });
});
