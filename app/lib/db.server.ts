import { openDatabase, type Db } from "../../db/client";
import { env } from "./env.server";

let instance: Db | undefined;
let migrateOnOpen = true;

/** The connection opened from now on leaves the database's structure as it is (ADR 059). */
export function openWithoutMigrating() {
  migrateOnOpen = false;
}

// One connection for the whole process: better-sqlite3 is synchronous, so a single connection
// serialises writes and needs no pool.
export function db(): Db {
  if (!instance) {
    instance = openDatabase(env().databasePath, { migrate: migrateOnOpen });
    const maxMb = env().DATABASE_MAX_MB;
    if (maxMb) {
      const pageSize = instance.$client.pragma("page_size", { simple: true }) as number;
      instance.$client.pragma(`max_page_count = ${Math.max(1, Math.floor((maxMb * 1024 * 1024) / pageSize))}`);
    }
  }
  return instance;
}

let closings = 0;

export function closeDb() {
  instance?.$client.close();
  instance = undefined;
  closings++;
}

/** How often the connection was closed: work begun before a close can tell that its database is gone. */
export function timesClosed(): number {
  return closings;
}

/**
 * A prepared statement for `source` on the current connection. The connection keeps its
 * statements by text, reset to rows as objects when handed out again (db/client.ts, ADR 034).
 */
export function statement(source: string) {
  return db().$client.prepare(source);
}

/**
 * Changes whenever anything in the database changes: total_changes() counts every write of this
 * process's one connection, data_version every commit by another connection (a script, a restore).
 * Outside a transaction, for data kept in memory until the database changes.
 */
export function databaseVersion(): string {
  return `${statement("SELECT total_changes()").pluck().get()}.${statement("PRAGMA data_version").pluck().get()}`;
}
