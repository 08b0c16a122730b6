// Counting work too large for the request path, done on a worker thread with its own read-only
// connection to the database file (WAL lets it read while the server writes). Used to count the
// network's connections again after changes while pages go on showing the last count
// (app/models/network.server.ts). The worker is started at the first count and does not keep
// the process alive.
import { createRequire } from "node:module";
import { countTakingPart } from "./connections";
import { SourceWorker } from "./source-worker.server";

// Plain CommonJS for the worker (app/lib/source-worker.server.ts).
const workerSource = `
const { workerData } = require("node:worker_threads");
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma("busy_timeout = 5000");
// Its name in the bundle may differ: bound to the name used below.
const countTakingPart = (${countTakingPart.toString()});
function answer(queries) {
  return queries.map((q) => {
    const rows = db.prepare(q.sql).raw().all(...q.params);
    return q.kind === "connections" ? countTakingPart(rows) : rows;
  });
}
`;

export type BackgroundQuery = { kind: "connections" | "rows"; sql: string; params: unknown[] };

let worker: { counter: SourceWorker<BackgroundQuery[], unknown[]>; file: string } | null = null;

function workerFor(file: string) {
  if (worker?.file === file) return worker.counter;
  worker?.counter.stop();
  const counter = new SourceWorker<BackgroundQuery[], unknown[]>(workerSource, () => ({
    workerData: { file, betterSqlite3: createRequire(import.meta.url).resolve("better-sqlite3") },
    // Small, like the server itself: it holds one count's rows at a time.
    resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 4 },
  }));
  worker = { counter, file };
  return counter;
}

/** Runs the queries on the worker, in one read transaction's worth of time; answers in order. */
export function countInBackground(file: string, queries: BackgroundQuery[]): Promise<unknown[]> {
  return workerFor(file).ask(queries);
}
