// What `node build/index.js --prepare` does: `npm install` runs it after it built the app, while
// the server of the version before may still run (ADR 059). A new build whose voice code changed
// cannot go on from the voice state the running server stored; it would replay every meeting at
// its start. Prepared here, the replay is done with the install and stored for the new code, and
// the start goes on from it like any restart. Nothing here may stop an install or change the
// database's structure: the start applies the migrations. Without a database, with migrations
// still to apply that change what the replay reads (`touchesReplay`), or from a newer version, it
// leaves everything as it is. Other migrations still to apply do not change what the replay
// reads: it is prepared from the database as it is, without them.
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { knownMigrations, replayCounts, storedVoicesHold, storeVoiceCheckpoint, touchesReplay } from "~/models/voice-replay.server";
import { voiceSnapshot } from "~/models/voice.server";
import { closeDb, openWithoutMigrating } from "./db.server";
import { appliedMigrations } from "./preflight.server";

/** One line for the install's output: what was prepared, or why nothing was. */
export function prepareVoicesForNextStart(databasePath: string, now = Date.now()): string {
  if (!existsSync(databasePath)) return `No database at ${databasePath}: nothing to prepare (set DATABASE_PATH or DATA_DIR as for npm start).`;
  const known = knownMigrations();
  let applied: number;
  const plain = new Database(databasePath, { fileMustExist: true, readonly: true });
  try {
    plain.pragma("busy_timeout = 5000");
    applied = appliedMigrations(plain);
  } finally {
    plain.close();
  }
  if (applied > known.length) return "The database was last used by a newer version of Meedoen: nothing prepared.";
  const pending = known.slice(applied);
  if (!applied || pending.some((migration) => touchesReplay(migration.sql))) {
    return `The database has ${pending.length} change(s) to its structure still to apply, which the voices depend on: the start applies them and replays the voices then.`;
  }
  const waiting = pending.length ? ` (${pending.length} change(s) to the database's structure wait for the start; the voices do not depend on them)` : "";
  openWithoutMigrating();
  try {
    if (storedVoicesHold(now)) return `The voices stored hold for this version already: the start goes on from them${waiting}.`;
    const started = performance.now();
    voiceSnapshot(now);
    const ms = Math.round(performance.now() - started);
    const how = replayCounts.restored ? "from the stored state" : "every meeting";
    if (!storeVoiceCheckpoint(now, { forNextStart: true })) return `Voices replayed in ${ms} ms (${how}), but nothing was stored: the start replays them.`;
    return `Voices replayed in ${ms} ms (${how}) and stored for this version: the start goes on from them${waiting}.`;
  } finally {
    closeDb();
  }
}
