// Reads the meetings for a replay of every meeting on a worker thread, while the server's thread
// replays those read so far: on a large network reading them takes a third of such a replay, and
// the two no longer add up (ADR 063). The worker has its own read-only connection and its own read
// transaction; it says which version of the voices' data it reads (derived_versions), and the
// replay uses what it reads only when that is the version its own transaction sees: the triggers
// raise that version on every change to what the replay reads.
//
// The replay is synchronous (a page asks for a voice and gets it), so the server's thread waits
// for each batch without the event loop: the worker posts it on a channel of its own and counts it
// in a shared number; the server's thread sleeps on that number (Atomics.wait) and takes the batch
// off the channel (receiveMessageOnPort).
//
// A start that may need such a replay has the worker load beforehand (`standByMeetingReader`,
// before the server listens): loading a worker takes 150-250 ms on a 2-core machine, time it then
// spends while the server opens and decides, not while the replay waits. It reads when told to.
//
// A batch is the worker's new member ids and its meetings as numbers, handed over, not copied:
// for each meeting its id, initiative, start, the moment it was announced, and its hosts, attendees
// (in the order they arrived) and those marked present by a host, each as a count followed by the
// worker's numbers for them (its n-th new id is number n).
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";

/** Who was a host of the initiative when a meeting started, from [member, since, until] terms (also in the worker's source). */
export function hostsAt<T>(terms: [T, number, number][] | undefined, startsAt: number): T[] {
  const hosts: T[] = [];
  if (!terms) return hosts;
  // With indexes, not destructured: made for every meeting of a replay that starts cold (ADR 058).
  for (let k = 0; k < terms.length; k++) {
    const term = terms[k];
    if (term[1] <= startsAt && term[2] > startsAt && !hosts.includes(term[0])) hosts.push(term[0]);
  }
  return hosts;
}

/** What the worker reads, as the replay's own reading does (./voice-replay.server). */
export type ReaderQueries = {
  /** The voices' version (derived_versions), with its params. */
  version: string;
  versionParams: unknown[];
  /** Hosts and ended hosting: [initiative, member, since, until] for every initiative. */
  hosts: string;
  hostsParams: unknown[];
  /** The meetings with attendance that start in [from, to), as the replay reads them, with params (now, from, to, now). */
  meetings: string;
  /** The start of the n-th session (params: from, n) from `from` on, to cut the reading into parts. */
  nthStart: string;
};

export type MeetingBatch = { texts: string[]; data: Float64Array };

// Plain CommonJS: the server is one bundle, which a worker cannot load a module of.
const workerSource = `
const { workerData } = require("node:worker_threads");
const { port, signal: shared, betterSqlite3 } = workerData;
const signal = new Int32Array(shared);
const send = (message, transfer) => {
  port.postMessage(message, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
};
// Loaded while the worker waits; a failure to load is told as the reading's.
let Database = null;
let loadFailure = null;
try {
  Database = require(betterSqlite3);
} catch (error) {
  loadFailure = error;
}
// What to read comes as the channel's first message.
port.once("message", ({ file, now, queries }) => {
  try {
    if (loadFailure) throw loadFailure;
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    db.exec("BEGIN");
    send({ version: db.prepare(queries.version).pluck().get(...queries.versionParams) });
    const numbers = new Map();
    let texts = [];
    const numberOf = (id) => {
      let n = numbers.get(id);
      if (n === undefined) {
        n = numbers.size;
        numbers.set(id, n);
        texts.push(id);
      }
      return n;
    };
    // Loops with indexes, as in the replay: this code runs once, before the engine optimises it.
    const hostsOf = new Map();
    const hostRows = db.prepare(queries.hosts).raw().all(...queries.hostsParams);
    for (let r = 0; r < hostRows.length; r++) {
      const row = hostRows[r];
      const term = [numberOf(row[1]), row[2], row[3]];
      const list = hostsOf.get(row[0]);
      if (list) list.push(term);
      else hostsOf.set(row[0], [term]);
    }
    const meetings = db.prepare(queries.meetings).raw();
    const nthStart = db.prepare(queries.nthStart).pluck();
    // Its name in the bundle may differ: bound to the name used below.
    const hostsAt = (${hostsAt.toString()});
    const none = [];
    // Small parts first, so that the replay can begin soon; larger ones after.
    let from = -Number.MAX_SAFE_INTEGER;
    let size = 250;
    for (;;) {
      let to = nthStart.get(from, size);
      if (to === undefined || to > now) to = now + 1;
      else if (to <= from) to = from + 1;
      const rows = meetings.all(now, from, to, now);
      // In one pass, into an array that grows when a part's meetings need more room.
      let data = new Float64Array(rows.length * 24 + 64);
      let o = 0;
      const room = (n) => {
        if (o + n <= data.length) return;
        const larger = new Float64Array(Math.max(data.length * 2, o + n));
        larger.set(data.subarray(0, o));
        data = larger;
      };
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r];
        if (row[4]) continue;
        const attendees = row[5].split("\\x1f");
        const marked = row[6] === null ? none : row[6].split("\\x1f");
        const hosts = hostsAt(hostsOf.get(row[1]), row[2]);
        room(7 + hosts.length + attendees.length + marked.length);
        data[o++] = row[0];
        data[o++] = row[1];
        data[o++] = row[2];
        data[o++] = row[3];
        data[o++] = hosts.length;
        for (let k = 0; k < hosts.length; k++) data[o++] = hosts[k];
        data[o++] = attendees.length;
        for (let k = 0; k < attendees.length; k++) data[o++] = numberOf(attendees[k]);
        data[o++] = marked.length;
        for (let k = 0; k < marked.length; k++) data[o++] = numberOf(marked[k]);
      }
      // Cut to what was written: the reader reads it to its end.
      data = o === data.length ? data : data.slice(0, o);
      send({ texts, data }, [data.buffer]);
      texts = [];
      if (to > now) break;
      from = to;
      size = Math.min(size * 2, 2000);
    }
    db.exec("COMMIT");
    db.close();
    send({ done: true });
  } catch (error) {
    send({ error: String((error && error.message) || error) });
  }
});
`;

/** The worker failed, stopped or took too long: the caller reads the meetings itself. */
export class ReaderFailed extends Error {}

// How long the server's thread waits for one message before it gives up on the worker.
const waitMs = 10_000;

type Loaded = { thread: Worker; port: MessagePort; signal: Int32Array };

/** A worker loaded and waiting to be told what to read. */
function loadWorker(): Loaded {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const thread = new Worker(workerSource, {
    eval: true,
    workerData: { port: port2, signal: signal.buffer, betterSqlite3: createRequire(import.meta.url).resolve("better-sqlite3") },
    transferList: [port2],
    // It holds one part's rows at a time.
    resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 },
  });
  thread.unref();
  // An error is also posted on the channel; this keeps it from ending the process.
  thread.on("error", () => {});
  return { thread, port: port1, signal };
}

// The worker loaded ahead of a reading (standByMeetingReader), until a reader takes it or it is let go.
let standing: Loaded | null = null;

/**
 * Loads a worker for a reading that may come (the next `MeetingReader` takes it), when the machine
 * has a core to spare for it. The start calls this before it opens the database, and lets it go
 * (`releaseStandingReader`) once it knows that it does not need it.
 */
export function standByMeetingReader() {
  if (standing || availableParallelism() < 2) return;
  try {
    standing = loadWorker();
  } catch {
    // The reading will load its own worker, or the replay read the meetings itself.
  }
}

/** Whether a worker loaded ahead waits for a reader (for tests). */
export const hasStandingReader = () => standing !== null;

/** Ends the worker loaded ahead, if no reader took it. */
export function releaseStandingReader() {
  void standing?.thread.terminate();
  standing = null;
}

/** A worker reading the meetings of `file` up to `now`, from now on: the one loaded ahead, or a new one. */
export class MeetingReader {
  private readonly thread: Worker;
  private readonly port: MessagePort;
  private readonly signal: Int32Array;
  private readVersion: number | undefined;

  constructor(file: string, now: number, queries: ReaderQueries) {
    const worker = standing ?? loadWorker();
    standing = null;
    this.thread = worker.thread;
    this.port = worker.port;
    this.signal = worker.signal;
    this.port.postMessage({ file, now, queries });
  }

  private next(): Record<string, unknown> {
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const got = receiveMessageOnPort(this.port);
      if (got) {
        const message = got.message as Record<string, unknown>;
        if (typeof message.error === "string") throw new ReaderFailed(message.error);
        return message;
      }
      if (Atomics.wait(this.signal, 0, seen, waitMs) === "timed-out") throw new ReaderFailed("The worker reading the meetings did not answer.");
    }
  }

  /** The voices' version the worker reads (waits for it). */
  version(): number {
    this.readVersion ??= this.next().version as number;
    return this.readVersion;
  }

  /** The batches, in the replay's order, as they come. */
  *batches(): Generator<MeetingBatch> {
    this.version();
    for (;;) {
      const message = this.next();
      if (message.done) return;
      yield message as unknown as MeetingBatch;
    }
  }

  /** Ends the worker (when done, or given up on). */
  stop() {
    this.port.close();
    void this.thread.terminate();
  }
}
