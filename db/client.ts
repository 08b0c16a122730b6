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

/**
 * `migrate: false` opens the database as it is, for a process beside the server that must not
 * change its structure (the install's preparation, ADR 059).
 */
export function openDatabase(file: string, { migrate: applyMigrations = true } = {}): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  // Wait for a concurrent writer (a backup, the seed) instead of failing at once.
  sqlite.pragma("busy_timeout = 5000");
  keepPreparedStatements(sqlite);
  const db = drizzle(sqlite, { schema }) as Db;
  if (!applyMigrations) return db;
  migrate(db, { migrationsFolder: migrationsFolder() });
  // Organisations typed as free text before they existed get linked (issue 14).
  linkOrganisations(sqlite);
  return db;
}

/** How many prepared statements a connection keeps (the least recently used one goes first). */
export const keptStatements = 500;

/**
 * Keeps the connection's prepared statements for reuse, by their SQL text. Drizzle prepares every
 * query anew, and preparing (parsing and planning) cost more than running most of a page's small
 * queries: 6% of a member's initiative page went to it (issue 19). A statement handed out again
 * comes with its result modes reset (objects, not raw rows or one plucked column), as a new one
 * would; one still busy with an open iterator is not shared, a new one is made instead.
 */
export function keepPreparedStatements(sqlite: Database.Database, max = keptStatements) {
  const prepare = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const found = kept.get(source);
    if (found && !found.busy) {
      kept.delete(source);
      kept.set(source, found);
      if (found.reader) found.raw(false).pluck(false).expand(false);
      return found;
    }
    const made = prepare(source);
    if (found) return made;
    kept.set(source, made);
    if (kept.size > max) kept.delete(kept.keys().next().value!);
    return made;
  }) as typeof sqlite.prepare;
}
