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
