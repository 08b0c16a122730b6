// The replay's state as stored (app/governance/voice-state.ts): packed into typed arrays, written
// with v8.serialize and read back, a replayer made from it must go on exactly as the one it was
// taken from, through a long random history with voices started, lengthened, held back by the
// brake, voided and missed.
import { deserialize, serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { hiddenByInitiative, Log, meetingOrder, VoiceReplayer, type ReplayMember, type ReplaySession } from "~/governance/voice";
import { packState, unpackState } from "~/governance/voice-state";

const day = 86_400_000;
const hour = 3_600_000;
const T = Date.UTC(2026, 0, 12, 18);

function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 300 meetings over 400 days among 80 members, 4 of them founders, some held, one initiative hidden for a while. */
function history(seed: number) {
  const r = random(seed);
  const members: ReplayMember[] = Array.from({ length: 80 }, (_, i) => ({
    id: `lid-${i}`,
    createdAt: T - (i < 4 ? 90 : Math.floor(r() * 300)) * day,
    founderAt: i < 4 ? T - 90 * day : null,
    heldAt: i > 4 && r() < 0.05 ? T + Math.floor(r() * 400) * day : null,
  }));
  const sessions: ReplaySession[] = Array.from({ length: 300 }, (_, i) => {
    const startsAt = T + Math.floor(r() * 400 * day);
    const present = members.filter(() => r() < 0.12).map((m) => ({ memberId: m.id, by: r() < 0.8 ? ("code" as const) : ("host" as const) }));
    // The founders come to most early meetings, so that voices spread.
    if (startsAt < T + 60 * day) for (const f of members.slice(0, 4)) if (r() < 0.7) present.unshift({ memberId: f.id, by: "code" });
    return {
      id: i + 1,
      initiativeId: 1 + (i % 12),
      startsAt,
      announcedAt: startsAt - (r() < 0.9 ? 72 : 12) * hour,
      cancelled: r() < 0.03,
      hosts: [members[4 + (i % 12)].id],
      attendees: present.map((a) => a.memberId),
      markedByHost: present.filter((a) => a.by === "host" && !present.some((b) => b.memberId === a.memberId && b.by === "code")).map((a) => a.memberId),
    };
  });
  const hidden = hiddenByInitiative([{ initiativeId: 3, from: T + 100 * day, until: T + 130 * day }]);
  return { members: new Map(members.map((m) => [m.id, m])), meetings: sessions.filter((s) => !s.cancelled).sort(meetingOrder), hidden };
}

describe("the stored replay state", () => {
  it.each([1, 2, 3, 4])("goes on exactly as the state it was taken from (seed %i)", (seed) => {
    const { members, meetings, hidden } = history(seed);
    const original = new VoiceReplayer(members, hidden);
    const half = Math.floor(meetings.length / 2);
    for (const m of meetings.slice(0, half)) original.step(m);
    const stored = serialize(packState(original.state()));
    const restored = VoiceReplayer.fromState(unpackState(deserialize(stored)), members, hidden);
    for (const m of meetings.slice(half)) {
      original.step(m);
      restored.step(m);
    }
    const end = T + 420 * day;
    const a = original.result(end);
    const b = restored.result(end);
    expect(b.earnings).toEqual(a.earnings);
    expect(b.voided).toEqual(a.voided);
    expect([...b.voices]).toEqual([...a.voices]);
    expect([...b.witnesses]).toEqual([...a.witnesses]);
    expect(b.earnedCount).toBe(a.earnedCount);
    expect(b.nextChange).toBe(a.nextChange);
    for (const id of members.keys()) expect(b.member(id)).toEqual(a.member(id));
    // The history did what the state has to carry: voices started, lengthened and held back, misses.
    expect(a.earnings.filter((e) => e.newVoice).length).toBeGreaterThan(10);
    expect(a.earnings.filter((e) => !e.newVoice).length).toBeGreaterThan(10);
    expect(a.earnings.some((e) => e.startsAt > e.eligibleAt)).toBe(true);
    expect(a.voided.length + [...members.keys()].filter((id) => a.member(id).lastMiss).length).toBeGreaterThan(10);
  });

  it("keeps every end in the heap naming a member's interval, and writes little", () => {
    const { members, meetings, hidden } = history(7);
    const original = new VoiceReplayer(members, hidden);
    for (const m of meetings.slice(0, 150)) original.step(m);
    const state = unpackState(deserialize(serialize(packState(original.state()))));
    expect(state.heap.length).toBeGreaterThan(0);
    expect(state.heap).toEqual(original.state().heap);
    for (const entry of state.heap) expect(state.intervals.get(entry.memberId)?.[entry.index]).toBeDefined();
    // Each packed column is one piece: the stored value is small for what it holds.
    expect(serialize(packState(original.state())).length).toBeLessThan(serialize(original.state()).length / 2);
  });
});

describe("the replay's answers about one member", () => {
  it.each([1, 2, 3])("are those about everyone, worked out before or after everyone's (seed %i)", (seed) => {
    const { members, meetings, hidden } = history(seed);
    const ids = [...members.keys(), "lid-unknown"];
    let bootstrapping = 0;
    for (const days of [5, 20, 45, 90, 200, 300, 420]) {
      const at = T + days * day;
      const replayer = new VoiceReplayer(members, hidden);
      for (const m of meetings) if (m.startsAt <= at) replayer.step(m);
      const result = replayer.result(at);
      if (result.bootstrapping) bootstrapping++;
      // One member at a time first, as pages ask (everyone's not yet worked out) ...
      const one = ids.map((id) => ({ voice: result.hasVoice(id), witness: result.isWitness(id), member: result.member(id) }));
      // ... then everyone's, and the same questions again.
      const { voices, witnesses } = result;
      ids.forEach((id, k) => {
        expect(one[k].voice).toBe(voices.has(id));
        expect(one[k].witness).toBe(witnesses.has(id));
        expect(one[k].member.reason).toEqual(voices.get(id) ?? { kind: "none" });
        expect(one[k].member.witness).toBe(witnesses.has(id));
        expect(result.hasVoice(id)).toBe(voices.has(id));
        expect(result.isWitness(id)).toBe(witnesses.has(id));
      });
      expect(voices.size).toBeGreaterThan(0);
    }
    // Moments both while the network bootstraps and after.
    expect(bootstrapping).toBeGreaterThan(0);
    expect(bootstrapping).toBeLessThan(7);
  });
});

describe("the replay's growing lists, shared between copies of its state", () => {
  it("give each copy its own items, whichever adds first, across chunk boundaries", () => {
    const r = random(11);
    // Each sharer with the plain array it must equal.
    const sharers: { log: Log<number>; plain: number[] }[] = [{ log: Log.of<number>(), plain: [] }];
    let next = 0;
    for (let step = 0; step < 4000; step++) {
      const who = sharers[Math.floor(r() * sharers.length)];
      if (r() < 0.02 && sharers.length < 40) {
        // Half of the copies are made where a chunk ends, the other half anywhere.
        if (r() < 0.5)
          while (who.plain.length % 1024 !== 0 || who.plain.length === 0) {
            who.log.push(next);
            who.plain.push(next++);
          }
        sharers.push({ log: who.log.copy(), plain: who.plain.slice() });
      } else
        for (let n = Math.floor(r() * 200); n > 0; n--) {
          who.log.push(next);
          who.plain.push(next++);
        }
    }
    expect(Math.max(...sharers.map((s) => s.plain.length))).toBeGreaterThan(3000);
    for (const { log, plain } of sharers) {
      expect(log.length).toBe(plain.length);
      expect(log.toArray()).toEqual(plain);
      expect(Log.of(plain).toArray()).toEqual(plain);
    }
  });
});
