// Who has a voice (docs/governance.md §1, version 2), as one pure function: a deterministic replay
// of the network's meetings in time order. Who is a witness at a meeting depends on the voices of
// earlier meetings, so the replay walks forward in time and decides every voice exactly once.
// No database and no clock: the caller passes the data and `now`.
import { governance as g } from "./config";

const dayMs = 86_400_000;
const hourMs = 3_600_000;
// The rules' spans in ms, worked out once: a replay compares them with a hundred thousand moments.
const witnessMs = g.witnessDays * dayMs;
const accountAgeMs = g.accountAgeDays * dayMs;

export type ReplayMember = {
  id: string;
  createdAt: number;
  /** When the member became a founder (the first account, or by a founder's invitation). */
  founderAt: number | null;
  /** Posting held by flags (§4): no voice, not a witness, from this moment until restored. */
  heldAt: number | null;
};

export type ReplaySession = {
  id: number;
  initiativeId: number;
  startsAt: number;
  /** The moment its time and place were last set (created, or moved). */
  announcedAt: number;
  cancelled: boolean;
  /** Members who were hosts of the initiative when the session started. */
  hosts: string[];
  /** Who attended, in the order they arrived (member ids). */
  attendees: string[];
  /** Those of them a host marked present; the others checked in with the code themselves. */
  markedByHost: string[];
};

/** A time during which an initiative was hidden by flags (`until` null: still hidden). */
export type HiddenSpan = { initiativeId: number; from: number; until: number | null };

export type ReplayInput = { members: ReplayMember[]; sessions: ReplaySession[]; hidden: HiddenSpan[]; now: number };

/** Why a meeting did not count for a member (shown on their profile). */
export type MissReason = "not-announced" | "witnesses" | "voided" | "account-age";

type Miss = NonNullable<MemberVoice["lastMiss"]>;

export type Earning = {
  memberId: string;
  sessionId: number;
  via: "attended" | "hosted";
  meetingAt: number;
  /** When the voice from this meeting could start (the meeting plus the pending week). */
  eligibleAt: number;
  /** When it starts: later than eligibleAt when the growth brake held it back. */
  startsAt: number;
  endsAt: number;
  /** A new voice (the member had none) rather than a longer one. */
  newVoice: boolean;
};

export type VoiceReason =
  | { kind: "earned"; via: "attended" | "hosted"; sessionId: number; at: number; until: number }
  | { kind: "founder" }
  | { kind: "bootstrap" }
  | { kind: "none" };

export type MemberVoice = {
  reason: VoiceReason;
  /** A witness: held a voice without a break for 30 days, or a founder with a voice. */
  witness: boolean;
  founder: boolean;
  held: boolean;
  /** A voice that was earned and starts later (the pending week, or held back by the brake). */
  pending: { sessionId: number; meetingAt: number; startsAt: number; heldBack: boolean } | null;
  /** The latest meeting the member attended that did not count, and why. */
  lastMiss: { sessionId: number; at: number; why: MissReason } | null;
  accountOldEnough: boolean;
};

/** A meeting named on a page, with its initiative's title as it is then (the replay holds no titles). */
type Named<T> = T extends { sessionId: number } ? T & { title: string } : T;

/** A member's voice as a page shows it: each meeting it names with its title. */
export type NamedMemberVoice = Omit<MemberVoice, "reason" | "pending" | "lastMiss"> & {
  reason: Named<VoiceReason>;
  pending: Named<NonNullable<MemberVoice["pending"]>> | null;
  lastMiss: Named<NonNullable<MemberVoice["lastMiss"]>> | null;
};

export type VoiceReplay = {
  now: number;
  bootstrapping: boolean;
  /** Members whose voice now comes from meetings that counted. */
  earnedCount: number;
  /** Everyone with a voice now, and why (made when first read: most pages ask about one member, below). */
  voices: Map<string, VoiceReason>;
  /** Everyone who can witness now (made when first read). */
  witnesses: Set<string>;
  /** Whether the member has a voice now: `voices.has`, without making `voices`. */
  hasVoice(memberId: string): boolean;
  /** Whether the member can witness now: `witnesses.has`, without making `witnesses`. */
  isWitness(memberId: string): boolean;
  earnings: Earning[];
  /** Meetings that would have given a voice but were voided by hiding their initiative. */
  voided: { memberId: string; sessionId: number; initiativeId: number; meetingAt: number }[];
  member(memberId: string): MemberVoice;
  /** The next moment at which the passing of time alone changes the result. */
  nextChange: number;
};

/** An earned voice from `s` until `e`. Never changed: a voice made longer is a new interval in its place, so copies of the state share them. */
export type Interval = { readonly s: number; readonly e: number };

/**
 * An end in the heap: the member's interval at `index` of their list, which ended at `e` when it
 * was pushed. An interval made longer keeps its entry; when that entry comes up, the interval's end
 * is pushed again (one entry per interval, not one per meeting that made it longer).
 */
export type HeapEntry = { readonly e: number; readonly memberId: string; readonly index: number };

/** A binary min-heap of interval ends, to count voices at a moment that only moves forward. */
class EndHeap {
  private items: HeapEntry[] = [];
  push(entry: HeapEntry) {
    const items = this.items;
    items.push(entry);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].e <= entry.e) break;
      items[i] = items[parent];
      i = parent;
    }
    items[i] = entry;
  }
  /** The entries, in heap order (for `VoiceReplayer.state`). */
  entries() {
    return this.items;
  }
  static of(items: HeapEntry[]): EndHeap {
    const heap = new EndHeap();
    heap.items = items;
    return heap;
  }
  /** A copy (the entries themselves never change). */
  clone(): EndHeap {
    return EndHeap.of(this.items.slice());
  }
  /**
   * Pops every end at or before `t`; returns how many intervals ended. An entry whose interval was
   * made longer since (by `intervalOf`) ends nothing: the interval's end goes back in, to be counted
   * when it comes.
   */
  popUntil(t: number, intervalOf: (entry: HeapEntry) => Interval): number {
    let ended = 0;
    const items = this.items;
    while (items.length && items[0].e <= t) {
      const top = items[0];
      const last = items.pop()!;
      if (items.length) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = l;
          if (l >= items.length) break;
          if (r < items.length && items[r].e < items[l].e) m = r;
          if (items[m].e >= last.e) break;
          items[i] = items[m];
          i = m;
        }
        items[i] = last;
      }
      const e = intervalOf(top).e;
      if (e === top.e) ended++;
      else this.push({ e, memberId: top.memberId, index: top.index });
    }
    return ended;
  }
}

// The loops of the replay's steps are written with indexes: they run 100,000 times and more in a
// replay that starts cold (after an upgrade), and until the engine has optimised them an iterator
// costs an object per item (ADR 058).
// A member's intervals are in order and apart: a new one starts after the last has ended (`earn`).
// So only the last that starts by a moment can hold it, and it is found from the end (most often
// the member's last).
function covers(intervals: readonly Interval[], at: number): boolean {
  for (let k = intervals.length - 1; k >= 0; k--) if (intervals[k].s <= at) return at < intervals[k].e;
  return false;
}

/** Whether the member's earned voice covered all of [from, to] without a break. */
function coveredThroughout(intervals: readonly Interval[], from: number, to: number): boolean {
  for (let k = intervals.length - 1; k >= 0; k--) if (intervals[k].s <= from) return intervals[k].e > to;
  return false;
}

function hiddenWithin(spans: HiddenSpan[] | undefined, from: number, to: number): boolean {
  if (!spans) return false;
  for (let k = 0; k < spans.length; k++) if (spans[k].from <= to && (spans[k].until === null || spans[k].until! >= from)) return true;
  return false;
}

/** Growth brake: new voices allowed to start in any window of 7 days, given the voices then. */
export function brakeCapacity(voices: number): number {
  return Math.max(g.brakeMinimum, Math.floor(g.brakeShare * voices + 1e-9));
}

/**
 * The earliest moment ≥ `eligibleAt` (and not before the last start, so voices start in the order
 * they were earned) at which fewer than `capacity` new voices started in the 7 days before.
 */
export function brakeStart(starts: number[], eligibleAt: number, capacity: number): number {
  const windowMs = g.brakeWindowDays * dayMs;
  const candidate = Math.max(eligibleAt, starts.length ? starts[starts.length - 1] : eligibleAt);
  // Starts only grow (each is at least the last), so those in the window are the last ones from
  // the first after `candidate - windowMs`: found by halving, not by counting back through a
  // window that holds hundreds of starts in a large network.
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (starts[middle] > candidate - windowMs) high = middle;
    else low = middle + 1;
  }
  const inWindow = starts.length - low;
  if (inWindow < capacity) return candidate;
  // Wait until the oldest of the last `capacity` starts leaves the window.
  return Math.max(candidate, starts[starts.length - capacity] + windowMs);
}

/** The order in which meetings are replayed: by start, then as they were made. */
export const meetingOrder = (a: Pick<ReplaySession, "startsAt" | "id">, b: Pick<ReplaySession, "startsAt" | "id">) => a.startsAt - b.startsAt || a.id - b.id;

/** Whether a session is a meeting the replay walks through at `now`: not cancelled, and started. */
export const isMeeting = (session: ReplaySession, now: number) => !session.cancelled && session.startsAt <= now;

/**
 * The meetings among `sessions` at `now`, in `meetingOrder`. The database gives them in that order
 * already; then they are only checked (sorting them again, even in order, takes longer before the
 * engine has optimised the comparison).
 */
export function meetingsAt(sessions: ReplaySession[], now: number): ReplaySession[] {
  const meetings: ReplaySession[] = [];
  let ordered = true;
  for (const session of sessions) {
    if (!isMeeting(session, now)) continue;
    const last = meetings[meetings.length - 1];
    if (ordered && last && meetingOrder(last, session) > 0) ordered = false;
    meetings.push(session);
  }
  return ordered ? meetings : meetings.sort(meetingOrder);
}

/** Hiding spans by initiative, as the replay looks them up. */
export function hiddenByInitiative(hidden: HiddenSpan[]): Map<number, HiddenSpan[]> {
  const hiddenBy = new Map<number, HiddenSpan[]>();
  for (const span of hidden) hiddenBy.set(span.initiativeId, [...(hiddenBy.get(span.initiativeId) ?? []), span]);
  return hiddenBy;
}

/** What `VoiceReplayer.state` gives: its whole state, as plain values, maps and arrays. */
export type ReplayerState = {
  intervals: Map<string, Interval[]>;
  starts: number[];
  newStarts: number[];
  startedPointer: number;
  ended: number;
  heap: HeapEntry[];
  earnings: Earning[];
  voided: VoiceReplay["voided"];
  lastMiss: Map<string, NonNullable<MemberVoice["lastMiss"]>>;
};

/**
 * Numbers for texts, each given once and never changed: member ids in a replayer (shared with its
 * copies), and every text of a stored state (./voice-state).
 */
export class Numbering {
  private readonly numbers = new Map<string, number>();
  readonly texts: string[] = [];
  of(text: string): number {
    let n = this.numbers.get(text);
    if (n === undefined) {
      n = this.texts.length;
      this.texts.push(text);
      this.numbers.set(text, n);
    }
    return n;
  }
  get(text: string): number | undefined {
    return this.numbers.get(text);
  }
}

/**
 * Member ids as numbers, the same for every replayer in the process: the replay's per-member state
 * is kept in arrays by these numbers, and a meeting's people are looked up once each. It only grows
 * (by the members ever replayed), and no result depends on which number a member got.
 */
const memberNumbers = new Numbering();

// Marks for one step at a time (steps never interleave): by member number, the step that marked them.
let stepStamp = 0;
const hostMark: number[] = [];
const seenMark: number[] = [];
const witnessMark: number[] = [];
const markedMark: number[] = [];
// Lists for one step at a time, filled from the start by each (their lengths are the step's own).
const stepHosts: number[] = [];
const stepCandidates: number[] = [];
const stepOrder: number[] = [];
const stepRest: number[] = [];

/** A meeting as `VoiceReplayer.stepNumbered` takes it: a `ReplaySession`'s meeting with its people as member numbers. */
export type NumberedMeeting = {
  id: number;
  initiativeId: number;
  startsAt: number;
  announcedAt: number;
  hosts: number[];
  attendees: number[];
  /** Those a host marked present. */
  marked: number[];
};

/** An empty meeting, to be filled in and stepped (one at a time: the step keeps nothing of it). */
export const numberedMeeting = (): NumberedMeeting => ({ id: 0, initiativeId: 0, startsAt: 0, announcedAt: 0, hosts: [], attendees: [], marked: [] });

// The meeting `step` fills in from a ReplaySession's ids.
const namedScratch = numberedMeeting();

/**
 * Sorts the first `count` member numbers of `list` by their texts (ids), in place: the few hosts of
 * a meeting, with no function made per meeting to compare them.
 */
function sortByText(list: number[], count: number, texts: readonly string[]) {
  for (let k = 1; k < count; k++) {
    const n = list[k];
    let j = k - 1;
    while (j >= 0 && texts[list[j]] > texts[n]) {
      list[j + 1] = list[j];
      j--;
    }
    list[j + 1] = n;
  }
}

function numbersOf(ids: string[], into: number[]) {
  into.length = ids.length;
  for (let k = 0; k < ids.length; k++) into[k] = memberNumbers.of(ids[k]);
}

/** The member's number, the same for every replayer in the process (for `stepNumbered`). */
export const memberNumber = (id: string) => memberNumbers.of(id);

const chunkBits = 10;
const chunkSize = 1 << chunkBits;

/**
 * A list that only grows, shared by a replayer and its copies without copying it (an array of
 * tens of thousands of items takes a millisecond to copy). Items are kept in chunks of 1,024;
 * each sharer sees the items up to its own length, and one that would add to a chunk (or a list
 * of chunks) another sharer has added to first takes its own copy of that chunk and the list.
 */
export class Log<T> {
  private constructor(
    private chunks: T[][],
    private count: number,
  ) {}
  static of<T>(items: T[] = []): Log<T> {
    const chunks: T[][] = [];
    for (let k = 0; k < items.length; k += chunkSize) chunks.push(items.slice(k, k + chunkSize));
    return new Log(chunks, items.length);
  }
  get length() {
    return this.count;
  }
  at(k: number): T {
    return this.chunks[k >> chunkBits][k & (chunkSize - 1)];
  }
  push(item: T) {
    const c = this.count >> chunkBits;
    const i = this.count & (chunkSize - 1);
    if (i === 0) {
      if (this.chunks.length !== c) this.chunks = this.chunks.slice(0, c);
      this.chunks.push([item]);
    } else {
      let tail = this.chunks[c];
      if (tail.length !== i || this.chunks.length !== c + 1) {
        tail = tail.slice(0, i);
        this.chunks = this.chunks.slice(0, c);
        this.chunks.push(tail);
      }
      tail.push(item);
    }
    this.count++;
  }
  copy(): Log<T> {
    return new Log(this.chunks, this.count);
  }
  toArray(): T[] {
    const items = new Array<T>(this.count);
    for (let k = 0; k < this.count; k++) items[k] = this.at(k);
    return items;
  }
}

const noIntervals: readonly Interval[] = [];

/** A member's earnings, newest first: each links to the one before, so copies of the state share them. */
type EarningLink = { readonly earning: Earning; readonly before: EarningLink | undefined };

/**
 * The replay's state after the meetings it has stepped through, in `meetingOrder`. Because each
 * meeting's outcome depends only on the meetings before it, a copy of this state taken before a
 * meeting can be resumed when that meeting or a later one changes; the result is the same as
 * replaying every meeting again. The members and the hiding are shared between copies and read
 * as they are when a meeting is stepped.
 */
export class VoiceReplayer {
  private readonly numbers = memberNumbers;
  // The members by number, looked up in `members` when first asked (shared with copies, as `members` is).
  private memberAt: (ReplayMember | undefined)[] = [];
  // By member number. A member's list is never changed (a change is a new list), so a copy of the
  // state copies only these arrays of a few thousand references.
  private intervals: (readonly Interval[] | undefined)[] = [];
  private lastMiss: (NonNullable<MemberVoice["lastMiss"]> | undefined)[] = [];
  private withIntervals = Log.of<number>(); // members in the order of their first interval
  private starts: number[] = []; // starts of new voices, in order (the brake's memory)
  private newStarts: number[] = []; // every new earned interval's start, in order, for counting
  private startedPointer = 0;
  private ended = 0;
  private heap = new EndHeap();
  private earnings = Log.of<Earning>();
  private earningsOf: (EarningLink | undefined)[] = []; // by member number: the latest, linked to the ones before
  private voided = Log.of<VoiceReplay["voided"][number]>();
  private frozen = false;

  constructor(
    private readonly members: Map<string, ReplayMember>,
    private readonly hiddenBy: Map<number, HiddenSpan[]>,
  ) {}

  /** An independent copy of the state, to resume from later. */
  clone(): VoiceReplayer {
    const copy = new VoiceReplayer(this.members, this.hiddenBy);
    copy.memberAt = this.memberAt;
    copy.intervals = this.intervals.slice();
    copy.lastMiss = this.lastMiss.slice();
    copy.withIntervals = this.withIntervals.copy();
    copy.starts = this.starts.slice();
    copy.newStarts = this.newStarts.slice();
    copy.startedPointer = this.startedPointer;
    copy.ended = this.ended;
    copy.heap = this.heap.clone();
    copy.earnings = this.earnings.copy();
    copy.earningsOf = this.earningsOf.slice();
    copy.voided = this.voided.copy();
    return copy;
  }

  /**
   * Forgets what it looked up of a member, after `members` changed them (a hold, its end, becoming
   * a founder). Every copy shares the lookups, as it shares `members`: the next step reads them anew.
   */
  memberChanged(memberId: string) {
    const n = this.numbers.get(memberId);
    if (n !== undefined) this.memberAt[n] = undefined;
  }

  private readonly intervalOfEntry = (entry: HeapEntry) => this.intervalsOf(entry.memberId)[entry.index];

  private intervalsOf(id: string): readonly Interval[] {
    const n = this.numbers.get(id);
    return (n === undefined ? undefined : this.intervals[n]) ?? noIntervals;
  }

  /**
   * The state as values that `packState` (./voice-state) writes and `fromState` takes back. The
   * intervals and misses are the objects themselves, not copies: to be written at once, and only
   * taken from a state nobody steps.
   */
  state(): ReplayerState {
    const intervals = new Map<string, Interval[]>();
    for (let k = 0; k < this.withIntervals.length; k++) {
      const n = this.withIntervals.at(k);
      intervals.set(this.numbers.texts[n], this.intervals[n] as Interval[]);
    }
    const lastMiss = new Map<string, NonNullable<MemberVoice["lastMiss"]>>();
    this.lastMiss.forEach((miss, n) => {
      if (miss) lastMiss.set(this.numbers.texts[n], miss);
    });
    return {
      intervals,
      starts: this.starts,
      newStarts: this.newStarts,
      startedPointer: this.startedPointer,
      ended: this.ended,
      heap: this.heap.entries(),
      earnings: this.earnings.toArray(),
      voided: this.voided.toArray(),
      lastMiss,
    };
  }

  /** A replayer that goes on from a state `state()` gave, with the members and hiding as they are now. */
  static fromState(state: ReplayerState, members: Map<string, ReplayMember>, hiddenBy: Map<number, HiddenSpan[]>): VoiceReplayer {
    const replayer = new VoiceReplayer(members, hiddenBy);
    for (const [id, list] of state.intervals) {
      const n = replayer.numbers.of(id);
      replayer.intervals[n] = list;
      replayer.withIntervals.push(n);
    }
    for (const [id, miss] of state.lastMiss) replayer.lastMiss[replayer.numbers.of(id)] = miss;
    replayer.starts = state.starts;
    replayer.newStarts = state.newStarts;
    replayer.startedPointer = state.startedPointer;
    replayer.ended = state.ended;
    replayer.heap = EndHeap.of(state.heap);
    replayer.earnings = Log.of(state.earnings);
    for (const e of state.earnings) {
      const n = replayer.numbers.of(e.memberId);
      replayer.earningsOf[n] = { earning: e, before: replayer.earningsOf[n] };
    }
    replayer.voided = Log.of(state.voided);
    return replayer;
  }

  private held(m: ReplayMember | undefined, t: number) {
    return !!m && m.heldAt !== null && m.heldAt <= t;
  }
  /** Members holding an earned voice at `t`; `t` only moves forward while stepping. */
  private earnedCountAt(t: number) {
    while (this.startedPointer < this.newStarts.length && this.newStarts[this.startedPointer] <= t) this.startedPointer++;
    this.ended += this.heap.popUntil(t, this.intervalOfEntry);
    return this.startedPointer - this.ended;
  }
  private founderVoiceAt(m: ReplayMember, t: number) {
    return m.founderAt !== null && m.founderAt <= t && m.createdAt + g.bootstrapAccountAgeHours * hourMs <= t;
  }
  private witnessAt(id: string, t: number, bootstrapping: boolean) {
    return this.witnessWith(this.members.get(id), this.intervalsOf(id), t, t - witnessMs, bootstrapping);
  }
  /**
   * witnessAt, with the member and their intervals at hand, and the moment from which they must
   * have held a voice (`t - witnessMs`, worked out once for a meeting's people).
   */
  private witnessWith(m: ReplayMember | undefined, list: readonly Interval[], t: number, since: number, bootstrapping: boolean) {
    if (!m || this.held(m, t)) return false;
    if (m.founderAt !== null && m.founderAt <= t && this.voiceWith(m, list, t, bootstrapping)) return true;
    return coveredThroughout(list, since, t);
  }
  /** Whether a member who is not held has a voice at `t`: an earned one, or while bootstrapping a founder's or anyone's who ever earned one. */
  private voiceWith(m: ReplayMember, list: readonly Interval[], t: number, bootstrapping: boolean) {
    return covers(list, t) || (bootstrapping && (this.founderVoiceAt(m, t) || (list.length > 0 && list[0].s <= t)));
  }

  private earn(n: number, sessionId: number, meetingAt: number, via: "attended" | "hosted", voicesAtMeeting: number) {
    const eligibleAt = meetingAt + g.pendingDays * dayMs;
    const endsAt = meetingAt + g.voiceWindowDays * dayMs;
    const memberId = this.numbers.texts[n];
    const list = this.intervals[n] ?? noIntervals;
    const last = list[list.length - 1];
    // Already holding (or waiting for) a voice when this one would start: it lasts longer.
    if (last && (last.e >= eligibleAt || last.s > eligibleAt)) {
      if (endsAt > last.e) {
        const longer = list.slice();
        longer[longer.length - 1] = { s: last.s, e: endsAt };
        this.intervals[n] = longer;
      }
      this.addEarning(n, { memberId, sessionId, via, meetingAt, eligibleAt, startsAt: Math.max(eligibleAt, last.s), endsAt, newVoice: false });
      return;
    }
    const startsAt = brakeStart(this.starts, eligibleAt, brakeCapacity(voicesAtMeeting));
    this.starts.push(startsAt);
    const interval = { s: startsAt, e: Math.max(endsAt, startsAt) };
    if (!list.length) this.withIntervals.push(n);
    const longer = list.slice();
    longer.push(interval);
    this.intervals[n] = longer;
    this.newStarts.push(startsAt);
    this.heap.push({ e: interval.e, memberId, index: list.length });
    this.addEarning(n, { memberId, sessionId, via, meetingAt, eligibleAt, startsAt, endsAt: interval.e, newVoice: true });
  }

  private addEarning(n: number, earning: Earning) {
    this.earnings.push(earning);
    this.earningsOf[n] = { earning, before: this.earningsOf[n] };
  }

  /** The member's latest earning (in meeting order) that meets `test`, if any. */
  private latestEarning(id: string, test: (e: Earning) => boolean): Earning | undefined {
    const n = this.numbers.get(id);
    for (let link = n === undefined ? undefined : this.earningsOf[n]; link; link = link.before) if (test(link.earning)) return link.earning;
    return undefined;
  }

  /** The member with number `n`, if they are among the replay's members. */
  private memberOf(n: number): ReplayMember | undefined {
    let m = this.memberAt[n];
    if (m === undefined) {
      m = this.members.get(this.numbers.texts[n]);
      if (m) this.memberAt[n] = m;
    }
    return m;
  }

  private witnessByNumber(n: number, t: number, since: number, bootstrapping: boolean) {
    return this.witnessWith(this.memberOf(n), this.intervals[n] ?? noIntervals, t, since, bootstrapping);
  }

  /** Replays one meeting; meetings must come in `meetingOrder`. */
  step(session: ReplaySession) {
    const m = namedScratch;
    m.id = session.id;
    m.initiativeId = session.initiativeId;
    m.startsAt = session.startsAt;
    m.announcedAt = session.announcedAt;
    numbersOf(session.hosts, m.hosts);
    numbersOf(session.attendees, m.attendees);
    numbersOf(session.markedByHost, m.marked);
    this.stepNumbered(m);
  }

  /**
   * Replays one meeting given with its people as member numbers (`memberNumber`), as `step` does
   * with their ids: the same steps, for a reader that numbered them already.
   */
  stepNumbered(session: NumberedMeeting) {
    if (this.frozen) throw new Error("This replay's state was given as a result; step a copy of it.");
    const t = session.startsAt;
    const voicesAtMeeting = this.earnedCountAt(t);
    const attendees = session.attendees;
    if (!attendees.length) return;
    const bootstrapping = voicesAtMeeting < g.bootstrapVoiceThreshold;
    const announced = t - session.announcedAt >= g.announceHours * hourMs;
    const voidedHere = hiddenWithin(this.hiddenBy.get(session.initiativeId), t, t + g.voidWindowDays * dayMs);
    // Worked out once for the meeting: in code that is not optimised yet, each sum of moments makes a number object.
    const witnessSince = t - witnessMs;
    const bornBy = t - accountAgeMs;
    const stamp = ++stepStamp;
    // The step's lists keep their storage from meeting to meeting, with their lengths in locals.
    const hosts = stepHosts;
    let hostCount = 0;
    const sessionHosts = session.hosts;
    for (let k = 0; k < sessionHosts.length; k++) {
      const n = sessionHosts[k];
      if (hostMark[n] !== stamp) {
        hostMark[n] = stamp;
        hosts[hostCount++] = n;
      }
    }
    const marked = session.marked;
    for (let k = 0; k < marked.length; k++) markedMark[marked[k]] = stamp;
    // Who came besides the hosts, once each in the order they first arrived (among those of one
    // meeting, first there, first in line for the brake), and the witnesses who checked in themselves.
    const candidates = stepCandidates;
    let candidateCount = 0;
    let selfWitnesses = 0;
    for (let k = 0; k < attendees.length; k++) {
      const n = attendees[k];
      if (seenMark[n] === stamp) continue;
      seenMark[n] = stamp;
      if (markedMark[n] !== stamp && this.witnessByNumber(n, t, witnessSince, bootstrapping)) {
        witnessMark[n] = stamp;
        selfWitnesses++;
      }
      if (hostMark[n] !== stamp) candidates[candidateCount++] = n;
    }
    // Hosting earns a voice when someone else came; the hosts follow the others, by id.
    const others = candidateCount;
    if (others) {
      if (hostCount > 1) sortByText(hosts, hostCount, this.numbers.texts);
      for (let k = 0; k < hostCount; k++) candidates[candidateCount++] = hosts[k];
    }
    // Except the meeting's witnesses, who come first (ADR 048): they vouch for it, and newcomers who
    // checked in before them (from anywhere, with a code that got out) must not push their voices
    // back behind the brake, nor end the bootstrap with voices of their own only.
    const order = stepOrder;
    const rest = stepRest;
    let orderCount = 0;
    let restCount = 0;
    for (let k = 0; k < candidateCount; k++) {
      const n = candidates[k];
      if (witnessMark[n] === stamp || (k >= others && this.witnessByNumber(n, t, witnessSince, bootstrapping))) order[orderCount++] = k;
      else rest[restCount++] = k;
    }
    for (let k = 0; k < restCount; k++) order[orderCount++] = rest[k];

    // One miss for everyone it names at this meeting, by reason (nobody changes it); in locals, not
    // an object keyed by reason: a hundred thousand misses in a large network's replay.
    let notAnnouncedMiss: Miss | undefined;
    let accountAgeMiss: Miss | undefined;
    let witnessesMiss: Miss | undefined;
    let voidedMiss: Miss | undefined;
    for (let o = 0; o < orderCount; o++) {
      const k = order[o];
      const n = candidates[k];
      const m = this.memberOf(n);
      if (!m) continue;
      const witnesses = selfWitnesses - (witnessMark[n] === stamp ? 1 : 0);
      const why: MissReason | null = !announced
        ? "not-announced"
        : m.createdAt > bornBy
          ? "account-age"
          : witnesses < g.witnessesPerMeeting
            ? "witnesses"
            : voidedHere
              ? "voided"
              : null;
      if (why === "voided") this.voided.push({ memberId: m.id, sessionId: session.id, initiativeId: session.initiativeId, meetingAt: t });
      if (why === "not-announced") this.lastMiss[n] = notAnnouncedMiss ??= { sessionId: session.id, at: t, why };
      else if (why === "account-age") this.lastMiss[n] = accountAgeMiss ??= { sessionId: session.id, at: t, why };
      else if (why === "witnesses") this.lastMiss[n] = witnessesMiss ??= { sessionId: session.id, at: t, why };
      else if (why === "voided") this.lastMiss[n] = voidedMiss ??= { sessionId: session.id, at: t, why };
      if (why) continue;
      this.earn(n, session.id, t, k < others ? "attended" : "hosted", voicesAtMeeting);
    }
  }

  /**
   * The state at `now`, after every meeting up to `now` was stepped. The result reads this state
   * when asked about a member, so the replayer steps no further meetings: a copy of it can.
   */
  result(now: number): VoiceReplay {
    // How many hold an earned voice now (a member's intervals do not overlap), and when time alone
    // changes this: a voice starts or ends, a witness reaches 30 days (more below).
    let nextChange = Number.POSITIVE_INFINITY;
    let earnedNow = 0;
    for (let k = 0; k < this.withIntervals.length; k++) {
      for (const i of this.intervals[this.withIntervals.at(k)]!) {
        if (i.s <= now && now < i.e) earnedNow++;
        if (i.s > now && i.s < nextChange) nextChange = i.s;
        if (i.e > now && i.e < nextChange) nextChange = i.e;
        if (i.s + witnessMs > now && i.s + witnessMs < nextChange) nextChange = i.s + witnessMs;
      }
    }
    const bootstrapping = earnedNow < g.bootstrapVoiceThreshold;
    const none: VoiceReason = { kind: "none" };
    const reasonOf = (id: string, m: ReplayMember | undefined, list: readonly Interval[]): VoiceReason => {
      if (!m || this.held(m, now)) return none;
      const held = list.find((i) => i.s <= now && now < i.e);
      // The meeting named as a held voice's reason: the member's latest earning that has started.
      const latest = held && this.latestEarning(id, (e) => e.startsAt <= now);
      if (held && latest) return { kind: "earned", via: latest.via, sessionId: latest.sessionId, at: latest.meetingAt, until: held.e };
      if (bootstrapping && this.founderVoiceAt(m, now)) return { kind: "founder" };
      if (bootstrapping && list.some((i) => i.s <= now)) return { kind: "bootstrap" };
      return none;
    };
    const founders = () => [...this.members.values()].filter((m) => m.founderAt !== null);
    // Only members who ever earned a voice and founders can have one or be a witness. Pages mostly
    // ask about one member (hasVoice, isWitness, member); everyone's are worked out when first read.
    let everyone: { voices: Map<string, VoiceReason>; witnesses: Set<string> } | undefined;
    const weighEveryone = () => {
      const voices = new Map<string, VoiceReason>();
      const witnesses = new Set<string>();
      const witnessSince = now - witnessMs;
      const weigh = (id: string, m: ReplayMember | undefined, list: readonly Interval[]) => {
        const reason = reasonOf(id, m, list);
        if (reason.kind !== "none") voices.set(id, reason);
        if (this.witnessWith(m, list, now, witnessSince, bootstrapping)) witnesses.add(id);
      };
      for (let k = 0; k < this.withIntervals.length; k++) {
        const n = this.withIntervals.at(k);
        const id = this.numbers.texts[n];
        weigh(id, this.members.get(id), this.intervals[n]!);
      }
      for (const m of founders()) if (!this.intervalsOf(m.id).length) weigh(m.id, m, noIntervals);
      return { voices, witnesses };
    };
    // One member's answers, worked out for that member alone (the same as the lists give).
    const hasVoice = (id: string) => reasonOf(id, this.members.get(id), this.intervalsOf(id)).kind !== "none";
    const isWitness = (id: string) => this.witnessAt(id, now, bootstrapping);
    const memberVoice = (id: string): MemberVoice => {
      const m = this.members.get(id);
      const waiting = this.latestEarning(id, (e) => e.startsAt > now && e.newVoice);
      return {
        reason: reasonOf(id, m, this.intervalsOf(id)),
        witness: isWitness(id),
        founder: !!m && m.founderAt !== null && m.founderAt <= now,
        held: this.held(m, now),
        pending: waiting ? { sessionId: waiting.sessionId, meetingAt: waiting.meetingAt, startsAt: waiting.startsAt, heldBack: waiting.startsAt > waiting.eligibleAt } : null,
        lastMiss: this.lastMiss[this.numbers.get(id) ?? -1] ?? null,
        accountOldEnough: !!m && m.createdAt + accountAgeMs <= now,
      };
    };
    const byMember = new Map<string, MemberVoice>();
    const voiceOf = (id: string) => {
      let v = byMember.get(id);
      if (!v) byMember.set(id, (v = memberVoice(id)));
      return v;
    };
    // From here on this state is read by the result: stepping further needs a copy.
    this.frozen = true;

    // When time alone changes this (besides the intervals above): a founder's account comes of age,
    // or a meeting that makes a held voice last longer becomes the voice's reason once its pending
    // week is over. Only the last week's meetings can still do that (a later start than their
    // week's end is an interval's start), and earnings come in meeting order.
    if (bootstrapping) {
      for (const m of founders()) {
        const at = m.createdAt + g.bootstrapAccountAgeHours * hourMs;
        if (at > now && at < nextChange) nextChange = at;
      }
    }
    const pendingSince = now - g.pendingDays * dayMs;
    for (let k = this.earnings.length - 1; k >= 0; k--) {
      const e = this.earnings.at(k);
      if (e.meetingAt < pendingSince) break;
      if (e.startsAt > now && e.startsAt < nextChange) nextChange = e.startsAt;
    }
    const log = this.earnings;
    let earnings: Earning[] | undefined;

    return {
      now,
      bootstrapping,
      earnedCount: earnedNow,
      get voices() {
        return (everyone ??= weighEveryone()).voices;
      },
      get witnesses() {
        return (everyone ??= weighEveryone()).witnesses;
      },
      hasVoice,
      isWitness,
      // Copied when read (most pages never do): tens of thousands of items in a large network.
      get earnings() {
        return (earnings ??= log.toArray());
      },
      voided: this.voided.toArray(),
      member: voiceOf,
      nextChange,
    };
  }
}

export function replayVoices(input: ReplayInput): VoiceReplay {
  const { now } = input;
  const replayer = new VoiceReplayer(new Map(input.members.map((m) => [m.id, m])), hiddenByInitiative(input.hidden));
  for (const session of meetingsAt(input.sessions, now)) replayer.step(session);
  return replayer.result(now);
}
