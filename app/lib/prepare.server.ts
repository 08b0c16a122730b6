// What `node build/index.js --prepare` does: `npm install` runs it after it built the app, while
// the server of the version before may still run (ADR 059). A new build whose voice code changed
// cannot go on from the voice state the running server stored; it would replay every meeting at
// its start. Prepared here, the replay is done with the install and stored for the new code, and
// the start goes on from it like any restart. Nothing here may stop an install or touch a
// database this version cannot use as it is: without a database, with changes to its structure
// still to apply (the start applies them), or from a newer version, it leaves everything as it is.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { migrationsFolder } from "../../db/client";
import { replayCounts, storedVoicesHold, storeVoiceCheckpoint } from "~/models/voice-replay.server";
import { voiceSnapshot } from "~/models/voice.server";
import { closeDb } from "./db.server";

/** One line for the install's output: what was prepared, or why nothing was. */
export function prepareVoicesForNextStart(databasePath: string, now = Date.now()): string {
  if (!existsSync(databasePath)) return `No database at ${databasePath}: nothing to prepare (set DATABASE_PATH or DATA_DIR as for npm start).`;
  const known = (JSON.parse(readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;
  let applied: number;
  const plain = new Database(databasePath, { fileMustExist: true, readonly: true });
  try {
    plain.pragma("busy_timeout = 5000");
    const hasMigrations = plain.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").pluck().get() === 1;
    applied = hasMigrations ? (plain.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get() as number) : 0;
  } finally {
    plain.close();
  }
  if (applied < known) return `The database has ${known - applied} change(s) to its structure still to apply: the start applies them and replays the voices then.`;
  if (applied > known) return "The database was last used by a newer version of Meedoen: nothing prepared.";
  try {
    if (storedVoicesHold(now)) return "The voices stored hold for this version already: the start goes on from them.";
    const started = performance.now();
    voiceSnapshot(now);
    const ms = Math.round(performance.now() - started);
    const how = replayCounts.restored ? "from the stored state" : "every meeting";
    if (!storeVoiceCheckpoint(now, { forNextStart: true })) return `Voices replayed in ${ms} ms (${how}), but nothing was stored: the start replays them.`;
    return `Voices replayed in ${ms} ms (${how}) and stored for this version: the start goes on from them.`;
  } finally {
    closeDb();
  }
}
