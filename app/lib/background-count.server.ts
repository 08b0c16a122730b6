// Counting work too large for the request path, done on a worker thread with its own read-only
// connection to the database file (WAL lets it read while the server writes). Used to count the
// network's connections again after changes while pages go on showing the last count
// (app/models/network.server.ts). The worker is started at the first count and does not keep
// the process alive.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { countTakingPart } from "./connections";

// Plain CommonJS for the worker: the server is one bundle, and this runs beside it, not in it.
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 5000");
// Its name in the bundle may differ: bound to the name used below.
const countTakingPart = (${countTakingPart.toString()});
parentPort.on("message", ({ id, queries }) => {
  try {
    const answers = queries.map((q) => {
      const rows = db.prepare(q.sql).raw().all(...q.params);
      return q.kind === "connections" ? countTakingPart(rows) : rows;
    });
    parentPort.postMessage({ id, answers });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

export type BackgroundQuery = { kind: "connections" | "rows"; sql: string; params: unknown[] };

let worker: { thread: Worker; file: string } | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (answers: unknown[]) => void; reject: (error: Error) => void }>();

function workerFor(file: string): Worker {
  if (worker && worker.file === file) return worker.thread;
  worker?.thread.terminate().catch(() => {});
  const thread = new Worker(workerSource, { eval: true, workerData: { file, betterSqlite3: createRequire(import.meta.url).resolve("better-sqlite3") },
    // Small, like the server itself: it holds one count's rows at a time.
    resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 },
  });
  thread.unref();
  thread.on("message", ({ id, answers, error }: { id: number; answers?: unknown[]; error?: string }) => {
    const caller = waiting.get(id);
    waiting.delete(id);
    if (!caller) return;
    if (error !== undefined) caller.reject(new Error(error));
    else caller.resolve(answers!);
  });
  // A worker that dies takes its questions with it; the next count starts a new one.
  thread.on("error", (error) => {
    for (const caller of waiting.values()) caller.reject(error);
    waiting.clear();
    if (worker?.thread === thread) worker = null;
  });
  thread.on("exit", () => {
    if (worker?.thread === thread) worker = null;
  });
  worker = { thread, file };
  return thread;
}

/** Runs the queries on the worker, in one read transaction's worth of time; answers in order. */
export function countInBackground(file: string, queries: BackgroundQuery[]): Promise<unknown[]> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    workerFor(file).postMessage({ id, queries });
  });
}
