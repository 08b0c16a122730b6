import { openDatabase, type Db } from "../../db/client";
import { env } from "./env.server";

let instance: Db | undefined;

// One connection for the whole process: better-sqlite3 is synchronous, so a single connection
// serialises writes and needs no pool.
export function db(): Db {
  instance ??= openDatabase(env().databasePath);
  return instance;
}

export function closeDb() {
  instance?.$client.close();
  instance = undefined;
}

/**
 * Changes whenever anything in the database changes: total_changes() counts every write of this
 * process's one connection, data_version every commit by another connection (a script, a restore).
 * Outside a transaction, for data kept in memory until the database changes.
 */
export function databaseVersion(): string {
  const client = db().$client;
  return `${client.prepare("SELECT total_changes()").pluck().get()}.${client.pragma("data_version", { simple: true })}`;
}
