// The voice replay's state (VoiceReplayer.state) as columns of numbers, for storing it
// (app/models/voice-replay.server.ts). A network's state holds an earning for every meeting that
// gave or lengthened a voice, and a last miss for most members: tens of thousands of small
// objects. Written object by object, `v8.serialize` names every field of every object and copies
// every member id again (7 MB and 60–140 ms to read back for 31,500 earnings); as typed
// arrays with one table of the texts it writes each column in one piece.
import { Numbering, type Earning, type Interval, type MemberVoice, type ReplayerState, type VoiceReplay } from "./voice";

type Miss = NonNullable<MemberVoice["lastMiss"]>;
type Voided = VoiceReplay["voided"][number];

type Kind = "text" | "number" | "flag";
type Columns = Record<string, Float64Array | Uint32Array | Uint8Array>;

/** Rows of one shape as a column per field, in the order of `fields` (which the rows get back). */
function packRows<T extends object>(rows: T[], fields: [keyof T & string, Kind][], texts: Numbering): Columns {
  const columns: Columns = {};
  for (const [field, kind] of fields) {
    const column = kind === "number" ? new Float64Array(rows.length) : kind === "text" ? new Uint32Array(rows.length) : new Uint8Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const value = rows[i][field];
      column[i] = kind === "number" ? (value as number) : kind === "text" ? texts.of(value as string) : value ? 1 : 0;
    }
    columns[field] = column;
  }
  return columns;
}

function unpackRows<T>(columns: Columns, fields: [string, Kind][], texts: string[]): T[] {
  const count = columns[fields[0][0]].length;
  const rows = new Array<T>(count);
  for (let i = 0; i < count; i++) {
    const row: Record<string, unknown> = {};
    for (const [field, kind] of fields) {
      const value = columns[field][i];
      row[field] = kind === "number" ? value : kind === "text" ? texts[value] : value === 1;
    }
    rows[i] = row as T;
  }
  return rows;
}

const earningFields: [keyof Earning & string, Kind][] = [
  ["memberId", "text"],
  ["sessionId", "number"],
  ["via", "text"],
  ["meetingAt", "number"],
  ["eligibleAt", "number"],
  ["startsAt", "number"],
  ["endsAt", "number"],
  ["newVoice", "flag"],
];
const missFields: [keyof Miss & string, Kind][] = [
  ["sessionId", "number"],
  ["at", "number"],
  ["why", "text"],
];
const voidedFields: [keyof Voided & string, Kind][] = [
  ["memberId", "text"],
  ["sessionId", "number"],
  ["initiativeId", "number"],
  ["meetingAt", "number"],
];

export type PackedState = {
  texts: string[];
  /** Each member with intervals (a text), how many, and all intervals' starts and ends in order. */
  intervals: { members: Uint32Array; counts: Uint32Array; s: Float64Array; e: Float64Array };
  starts: Float64Array;
  newStarts: Float64Array;
  startedPointer: number;
  ended: number;
  /** The end heap in its order: each entry's end, member (a text) and place in the member's list. */
  heap: { e: Float64Array; members: Uint32Array; index: Uint32Array };
  earnings: Columns;
  voided: Columns;
  lastMiss: { members: Uint32Array; misses: Columns };
};

export function packState(state: ReplayerState): PackedState {
  const texts = new Numbering();
  const members: number[] = [];
  const counts: number[] = [];
  const s: number[] = [];
  const e: number[] = [];
  for (const [memberId, list] of state.intervals) {
    members.push(texts.of(memberId));
    counts.push(list.length);
    for (const interval of list) {
      s.push(interval.s);
      e.push(interval.e);
    }
  }
  const missing = [...state.lastMiss];
  return {
    texts: texts.texts,
    intervals: { members: Uint32Array.from(members), counts: Uint32Array.from(counts), s: Float64Array.from(s), e: Float64Array.from(e) },
    starts: Float64Array.from(state.starts),
    newStarts: Float64Array.from(state.newStarts),
    startedPointer: state.startedPointer,
    ended: state.ended,
    heap: {
      e: Float64Array.from(state.heap, (entry) => entry.e),
      members: Uint32Array.from(state.heap, (entry) => texts.of(entry.memberId)),
      index: Uint32Array.from(state.heap, (entry) => entry.index),
    },
    earnings: packRows(state.earnings, earningFields, texts),
    voided: packRows(state.voided, voidedFields, texts),
    lastMiss: { members: Uint32Array.from(missing, ([memberId]) => texts.of(memberId)), misses: packRows(missing.map(([, miss]) => miss), missFields, texts) },
  };
}

export function unpackState(packed: PackedState): ReplayerState {
  const { texts } = packed;
  const intervals = new Map<string, Interval[]>();
  let next = 0;
  packed.intervals.members.forEach((member, i) => {
    const list: Interval[] = [];
    for (let k = 0; k < packed.intervals.counts[i]; k++, next++) list.push({ s: packed.intervals.s[next], e: packed.intervals.e[next] });
    intervals.set(texts[member], list);
  });
  const heap = Array.from(packed.heap.e, (e, i) => {
    const entry = { e, memberId: texts[packed.heap.members[i]], index: packed.heap.index[i] };
    if (!intervals.get(entry.memberId)?.[entry.index]) throw new Error("The stored end heap names an interval that is not stored.");
    return entry;
  });
  const misses = unpackRows<Miss>(packed.lastMiss.misses, missFields, texts);
  return {
    intervals,
    starts: Array.from(packed.starts),
    newStarts: Array.from(packed.newStarts),
    startedPointer: packed.startedPointer,
    ended: packed.ended,
    heap,
    earnings: unpackRows<Earning>(packed.earnings, earningFields, texts),
    voided: unpackRows<Voided>(packed.voided, voidedFields, texts),
    lastMiss: new Map(Array.from(packed.lastMiss.members, (member, i) => [texts[member], misses[i]])),
  };
}
