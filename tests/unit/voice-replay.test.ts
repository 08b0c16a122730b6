// governance.md §0–§1 (version 2), read as tables: who has a voice after which meetings, replayed
// in time order by the pure function in app/governance/voice.ts.
import { describe, expect, it } from "vitest";
import { brakeCapacity, brakeStart, replayVoices, type ReplayMember, type ReplaySession } from "~/governance/voice";

const day = 86_400_000;
const hour = 3_600_000;
const T = Date.UTC(2026, 0, 12, 18); // the first meeting

type MemberSpec = { created?: number; founder?: boolean; heldAt?: number };
type MeetingSpec = {
  at: number;
  announcedBefore?: number;
  hosts?: string[];
  code?: string[];
  marked?: string[];
  initiativeId?: number;
  cancelled?: boolean;
};

let sessionIds = 0;
function network(members: Record<string, MemberSpec>, meetings: MeetingSpec[], hidden: { initiativeId: number; from: number; until?: number }[] = []) {
  const list: ReplayMember[] = Object.entries(members).map(([id, m]) => {
    const createdAt = m.created ?? T - 60 * day;
    return { id, createdAt, founderAt: m.founder ? createdAt : null, heldAt: m.heldAt ?? null };
  });
  const sessions: ReplaySession[] = meetings.map((m) => ({
    id: ++sessionIds,
    initiativeId: m.initiativeId ?? 1,
    startsAt: m.at,
    announcedAt: m.at - (m.announcedBefore ?? 72 * hour),
    cancelled: !!m.cancelled,
    hosts: m.hosts ?? ["host"],
    attendees: [...(m.code ?? []), ...(m.marked ?? [])],
    markedByHost: (m.marked ?? []).filter((id) => !m.code?.includes(id)),
  }));
  const hiddenSpans = hidden.map((h) => ({ initiativeId: h.initiativeId, from: h.from, until: h.until ?? null }));
  return (now: number) => replayVoices({ members: list, sessions, hidden: hiddenSpans, now });
}

const founders = { f1: { founder: true }, f2: { founder: true }, f3: { founder: true }, host: {} };

describe("§1 a meeting counts for a voice when it was announced 48 hours ahead and two witnesses checked in themselves", () => {
  it.each([
    ["two founders checked in with the code", { code: ["f1", "f2", "ann"] }, true, null],
    ["only one witness checked in", { code: ["f1", "ann"] }, false, "witnesses"],
    ["two witnesses, but a host marked them present", { marked: ["f1", "f2"], code: ["ann"] }, false, "witnesses"],
    ["a host marked the member present, two witnesses checked in", { code: ["f1", "f2"], marked: ["ann"] }, true, null],
    ["announced exactly 48 hours ahead", { code: ["f1", "f2", "ann"], announcedBefore: 48 * hour }, true, null],
    ["announced 47 hours ahead", { code: ["f1", "f2", "ann"], announcedBefore: 47 * hour }, false, "not-announced"],
    ["cancelled", { code: ["f1", "f2", "ann"], cancelled: true }, false, null],
  ])("%s → Ann earns a voice: %s", (_what, meeting, earns, miss) => {
    const at = network({ ...founders, ann: {} }, [{ at: T, ...meeting }]);
    const later = at(T + 8 * day);
    expect(later.voices.has("ann")).toBe(earns);
    expect(later.member("ann").lastMiss?.why ?? null).toBe(miss);
  });

  it.each([
    ["8 days old", T - 8 * day, true],
    ["exactly 7 days old", T - 7 * day, true],
    ["6 days old", T - 6 * day, false],
  ])("an account that was %s at the meeting → counts: %s", (_what, created, earns) => {
    const at = network({ ...founders, ann: { created } }, [{ at: T, code: ["f1", "f2", "ann"] }]);
    expect(at(T + 8 * day).voices.has("ann")).toBe(earns);
  });

  it.each([
    ["hidden 10 days after the meeting", [{ initiativeId: 1, from: T + 10 * day }], false],
    ["hidden 14 days after the meeting (the last day of the window)", [{ initiativeId: 1, from: T + 14 * day }], false],
    ["hidden 15 days after the meeting", [{ initiativeId: 1, from: T + 15 * day }], true],
    ["hidden before, shown again before the meeting", [{ initiativeId: 1, from: T - 9 * day, until: T - 2 * day }], true],
    ["another initiative hidden", [{ initiativeId: 2, from: T + day }], true],
  ])("its initiative %s → the meeting still counts: %s", (_what, hidden, counts) => {
    const at = network({ ...founders, ann: {} }, [{ at: T, code: ["f1", "f2", "ann"] }], hidden);
    expect(at(T + 20 * day).voices.has("ann")).toBe(counts);
    expect(at(T + 20 * day).voided.some((v) => v.memberId === "ann")).toBe(!counts);
  });
});

describe("§1 the voice starts 7 days after the meeting and lasts 180 days after it", () => {
  const at = network({ ...founders, ann: {} }, [{ at: T, code: ["f1", "f2", "ann"] }]);
  it.each([
    ["at the meeting", T, false],
    ["6 days 23 hours later (pending: the network's window to void it)", T + 7 * day - hour, false],
    ["7 days later", T + 7 * day, true],
    ["179 days later", T + 179 * day, true],
    ["180 days later", T + 180 * day, false],
  ])("%s → a voice earned at the meeting: %s", (_what, now, voice) => {
    expect(at(now).voices.get("ann")?.kind === "earned").toBe(voice);
  });

  it("after it lapsed, a member who once earned a voice has one again while the network bootstraps", () => {
    expect(at(T + 180 * day).voices.get("ann")).toEqual({ kind: "bootstrap" });
  });

  it("tells the member when the pending voice starts", () => {
    expect(at(T + day).member("ann").pending).toMatchObject({ startsAt: T + 7 * day, heldBack: false });
    expect(at(T + 8 * day).member("ann").reason).toMatchObject({ kind: "earned", via: "attended", at: T, until: T + 180 * day });
  });

  it("a later meeting makes the voice longer, not new", () => {
    const twice = network({ ...founders, ann: {} }, [
      { at: T, code: ["f1", "f2", "ann"] },
      { at: T + 100 * day, code: ["f1", "f2", "ann"] },
    ]);
    // The founders lost their bootstrap voice? Not here: fewer than five earned a voice.
    expect(twice(T + 200 * day).voices.get("ann")).toMatchObject({ kind: "earned", until: T + 280 * day });
    expect(twice(T + 200 * day).earnings.filter((e) => e.memberId === "ann").map((e) => e.newVoice)).toEqual([true, false]);
  });
});

describe("§1 a witness holds a voice without a break for 30 days, or is a founder with a voice", () => {
  const at = network({ ...founders, ann: {} }, [{ at: T, code: ["f1", "f2", "ann"] }]);
  it.each([
    ["a founder during the bootstrap", "f1", T, true],
    ["Ann, 36 days after her meeting (voice held 29 days)", "ann", T + 36 * day, false],
    ["Ann, 37 days after her meeting (voice held 30 days)", "ann", T + 37 * day, true],
    ["the host, who hosted it with Ann there (voice held 33 days)", "host", T + 40 * day, true],
    ["a founder while the network still bootstraps (two earned voices)", "f3", T + 40 * day, true],
  ])("%s → witness: %s", (_what, id, now, witness) => {
    expect(at(now).witnesses.has(id)).toBe(witness);
  });

  it("a held member has no voice and is no witness", () => {
    const held = network({ ...founders, f3: { founder: true, heldAt: T - day }, ann: {} }, [{ at: T, code: ["f3", "f1", "ann"] }]);
    const now = held(T + 8 * day);
    expect(now.voices.has("f3")).toBe(false);
    expect(now.witnesses.has("f3")).toBe(false);
    expect(now.member("f3").held).toBe(true);
    // f3 did not witness: Ann's meeting had only one witness besides her.
    expect(now.voices.has("ann")).toBe(false);
  });
});

describe("§1 hosting a meeting that counts, with someone else there, earns a voice", () => {
  it.each([
    ["with one other attendee and two witnesses", { hosts: ["hanna"], code: ["f1", "f2"] }, true],
    ["with nobody else there", { hosts: ["hanna"], code: [] as string[] }, false],
    ["checking in at her own meeting with only one witness", { hosts: ["hanna"], code: ["hanna", "f1"] }, false],
  ])("Hanna hosts %s → voice: %s", (_what, meeting, voice) => {
    const at = network({ ...founders, hanna: {} }, [{ at: T, ...meeting }]);
    expect(at(T + 8 * day).voices.has("hanna")).toBe(voice);
  });
});

describe("§1 growth brake: in any 7 days at most max(5, 25% of the voices) new voices start", () => {
  it.each([
    [0, 5],
    [20, 5],
    [24, 6],
    [100, 25],
  ])("with %i voices, %i new voices a week", (voices, capacity) => {
    expect(brakeCapacity(voices)).toBe(capacity);
  });

  it.each([
    ["nobody started this week", [], T, 5, T],
    ["four started this week", [T - day, T - day, T - day, T - day], T, 5, T],
    ["five started a day ago", [T - day, T - day, T - day, T - day, T - day], T, 5, T + 6 * day],
    ["five started 7 days ago (the window has passed)", Array(5).fill(T - 7 * day), T, 5, T],
  ])("%s → the next voice starts %s", (_what, starts, eligible, capacity, expected) => {
    expect(brakeStart(starts as number[], eligible as number, capacity as number)).toBe(expected);
  });


  it("finds the starts in the window as counting back through every start would, for growing lists of starts", () => {
    // The rule itself, counted back from the last start: the window holds the starts after `candidate - 7 days`.
    const counted = (starts: number[], eligibleAt: number, capacity: number) => {
      const candidate = Math.max(eligibleAt, starts.length ? starts[starts.length - 1] : eligibleAt);
      let inWindow = 0;
      for (let i = starts.length - 1; i >= 0 && starts[i] > candidate - 7 * day; i--) inWindow++;
      return inWindow < capacity ? candidate : Math.max(candidate, starts[starts.length - capacity] + 7 * day);
    };
    let seed = 19;
    const random = () => (seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647;
    for (let round = 0; round < 500; round++) {
      // Starts only grow: the brake never starts a voice before the last one.
      const starts: number[] = [];
      let at = T;
      // Whole hours, so that a start often lies exactly 7 days before another (the window's edge).
      for (let i = Math.floor(random() * 60); i > 0; i--) starts.push((at += random() < 0.3 ? 0 : Math.floor(random() * 72) * hour));
      const eligibleAt = T + Math.floor(random() * 40 * 24) * hour;
      const capacity = 1 + Math.floor(random() * 12);
      expect(brakeStart(starts, eligibleAt, capacity), `round ${round}`).toBe(counted(starts, eligibleAt, capacity));
    }
  });
  it("twelve newcomers at one meeting start five a week, in the order they were earned", () => {
    const newcomers = Array.from({ length: 12 }, (_, i) => `n${String(i).padStart(2, "0")}`);
    const at = network({ ...founders, ...Object.fromEntries(newcomers.map((n) => [n, {}])) }, [{ at: T, code: ["f1", "f2", ...newcomers] }]);
    const replay = at(T + 30 * day);
    const starts = newcomers.map((n) => replay.earnings.find((e) => e.memberId === n)!.startsAt);
    expect(starts).toEqual([...Array(5).fill(T + 7 * day), ...Array(5).fill(T + 14 * day), ...Array(2).fill(T + 21 * day)]);
    expect(at(T + 10 * day).member("n07").pending).toMatchObject({ startsAt: T + 14 * day, heldBack: true });
  });
  it("thirty people at one meeting, each checked in twice: each counts once, in the order they first arrived", () => {
    const newcomers = Array.from({ length: 30 }, (_, i) => `n${String(i).padStart(2, "0")}`);
    const arrival = [...newcomers].reverse();
    const at = network({ ...founders, ...Object.fromEntries(newcomers.map((n) => [n, {}])) }, [{ at: T, code: ["f1", "f2", ...arrival], marked: [...newcomers, "f1"] }]);
    const replay = at(T + 60 * day);
    const starts = arrival.map((n) => replay.earnings.filter((e) => e.memberId === n).map((e) => e.startsAt));
    expect(starts).toEqual(arrival.map((_, i) => [T + (7 + 7 * Math.floor(i / 5)) * day]));
    // The host was there with others: a voice, after everyone who attended.
    expect(replay.earnings.at(-1)).toMatchObject({ memberId: "host", via: "hosted" });
  });
  it("a witness who checks in twice is one witness", () => {
    const newcomers = Array.from({ length: 20 }, (_, i) => `n${String(i).padStart(2, "0")}`);
    const at = network({ ...founders, ...Object.fromEntries(newcomers.map((n) => [n, {}])) }, [{ at: T, code: ["f1", ...newcomers, "f1"], marked: ["f2"] }]);
    const replay = at(T + 30 * day);
    expect(replay.earnings).toEqual([]);
    expect(replay.member("n00").lastMiss).toMatchObject({ why: "witnesses", at: T });
    expect(replay.member("n19").lastMiss).toEqual(replay.member("n00").lastMiss);
  });
});

describe("§1 bootstrap: the founders have a voice while fewer than 5 members earned one", () => {
  it("late sign-ups who meet among themselves never end the bootstrap nor take the founders' voice", () => {
    const ring = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, { created: T - 10 * day }]));
    const ids = Object.keys(ring);
    const meetings = Array.from({ length: 40 }, (_, i) => ({ at: T + i * 10 * day, hosts: [ids[i % 9]], code: ids }));
    const at = network({ f1: { founder: true, created: T - 5 * day }, f2: { founder: true, created: T - 5 * day }, ...ring }, meetings);
    const later = at(T + 400 * day);
    expect(later.bootstrapping).toBe(true);
    expect([...later.voices.keys()].sort()).toEqual(["f1", "f2"]);
  });

  it("ends when five newcomers' voices start; founders without an earned voice then have none", () => {
    const five = Object.fromEntries(["a", "b", "c", "d", "e"].map((n) => [n, {}]));
    const at = network({ ...founders, ...five }, [{ at: T, code: ["f1", "f2", "a", "b", "c", "d", "e"] }]);
    expect(at(T + 6 * day).bootstrapping).toBe(true);
    const after = at(T + 7 * day);
    expect(after.bootstrapping).toBe(false);
    expect(after.voices.has("f1")).toBe(false);
    expect(after.earnedCount).toBe(5);
  });

  it("newcomers who checked in before the founders (a code that got out) do not take the brake's first places nor end the bootstrap with voices of their own only", () => {
    const four = { f1: { founder: true }, f2: { founder: true }, f3: { founder: true }, f4: { founder: true } };
    const puppets = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`p${i}`, { created: T - 8 * day }]));
    // The founders host and attend; the eight check in first, from anywhere.
    const at = network({ ...four, ...puppets }, [{ at: T, hosts: ["f1"], code: [...Object.keys(puppets), "f1", "f2", "f3", "f4"] }]);
    const week = at(T + 7 * day);
    expect(week.bootstrapping).toBe(false);
    // The founders' earned voices start first; one newcomer's with them, the rest later.
    for (const f of ["f1", "f2", "f3", "f4"]) expect(week.hasVoice(f), f).toBe(true);
    expect(Object.keys(puppets).filter((p) => week.hasVoice(p))).toEqual(["p0"]);
    expect(week.earnedCount).toBe(5);
  });

  it("a founder's account must be 24 hours old for the bootstrap voice", () => {
    const at = network({ f1: { founder: true, created: T } }, []);
    expect(at(T + 23 * hour).voices.has("f1")).toBe(false);
    expect(at(T + 24 * hour).voices.get("f1")).toEqual({ kind: "founder" });
  });
});

describe("§0 what the rules guarantee", () => {
  it("any number of fresh accounts meeting among themselves, for 400 days, gain no voice", () => {
    const ring = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`x${i}`, {}]));
    const ids = Object.keys(ring);
    const meetings = Array.from({ length: 100 }, (_, i) => ({ at: T + i * 4 * day, hosts: [ids[i % 30]], code: ids, announcedBefore: 5 * day }));
    const at = network({ ...ring, old: { created: T - 400 * day } }, meetings);
    for (const now of [T + 30 * day, T + 200 * day, T + 400 * day]) {
      expect(at(now).voices.size).toBe(0);
      expect(at(now).witnesses.size).toBe(0);
    }
  });

  it("one insider with a voice plus puppets: still no new voice", () => {
    const puppets = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`q${i}`, {}]));
    const ids = Object.keys(puppets);
    const meetings = Array.from({ length: 50 }, (_, i) => ({ at: T + i * 7 * day, hosts: ["f1"], code: ["f1", ...ids] }));
    const at = network({ f1: { founder: true }, ...puppets }, meetings);
    const later = at(T + 400 * day);
    expect([...later.voices.keys()]).toEqual(["f1"]);
  });

  it("is deterministic: the same data gives the same voices in any input order", () => {
    const members = { ...founders, a: {}, b: {}, c: {} };
    const meetings = [
      { at: T, code: ["f1", "f2", "a", "b"] },
      { at: T + 3 * day, code: ["f1", "f2", "c"] },
    ];
    const one = network(members, meetings)(T + 20 * day);
    const two = network(members, [...meetings].reverse())(T + 20 * day);
    expect([...two.voices.keys()].sort()).toEqual([...one.voices.keys()].sort());
    expect(two.earnedCount).toBe(one.earnedCount);
  });
});
