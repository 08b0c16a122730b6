// Opens the SQLite database file, sets the pragmas every connection needs and applies the
// migrations. Used by the server (app/lib/db.server.ts), the seed, the backup and the tests.
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { linkOrganisations } from "./organisations";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

// The server build is a single bundled file, so paths are resolved from the working directory
// (or the environment), never from the module's own location.
export function migrationsFolder(): string {
  return path.resolve(process.env.MIGRATIONS_DIR ?? "db/migrations");
}

export function openDatabase(file: string): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  // Wait for a concurrent writer (a backup, the seed) instead of failing at once.
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema }) as Db;
  migrate(db, { migrationsFolder: migrationsFolder() });
  // Organisations typed as free text before they existed get linked (issue 14).
  linkOrganisations(sqlite);
  return db;
}
