// What the server checks before it opens the database for good, so that an operator's slip (a
// failed copy, a mistyped DATABASE_PATH, a read-only or damaged file, a database from a newer
// version) stops the start with a plain message instead of starting an empty network, deleting
// pictures, or failing later with 500s.
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { migrationsFolder } from "../../db/client";
import { imageNamePattern } from "./images";

export class StartRefused extends Error {}

function pictureFiles(imagesDir: string): number {
  try {
    return readdirSync(imagesDir).filter((name) => imageNamePattern.test(name)).length;
  } catch {
    return 0;
  }
}

/** Before opening: the file as the operator left it. "new" when this start creates the database. */
export function checkDatabaseFile(databasePath: string, imagesDir: string): "existing" | "new" {
  if (existsSync(databasePath)) {
    const stat = statSync(databasePath);
    if (!stat.isFile()) throw new StartRefused(`${databasePath} is not a file.`);
    if (stat.size === 0) {
      throw new StartRefused(
        `The database file ${databasePath} is empty (0 bytes): a copy that failed? Restore it from a backup. ` +
          `To start a new, empty network instead, delete the file.`,
      );
    }
    try {
      accessSync(databasePath, constants.R_OK | constants.W_OK);
      accessSync(path.dirname(databasePath), constants.W_OK);
    } catch {
      throw new StartRefused(`The database ${databasePath} (or its folder) cannot be written by this user. Check who owns it and its permissions.`);
    }
    return "existing";
  }
  const pictures = pictureFiles(imagesDir);
  if (pictures > 0 && process.env.MEEDOEN_NEW_DATABASE !== "1") {
    throw new StartRefused(
      `There is no database at ${databasePath}, but ${imagesDir} holds ${pictures} pictures of a network: is DATABASE_PATH (or DATA_DIR) mistyped? ` +
        `To start a new, empty network here all the same, start once with MEEDOEN_NEW_DATABASE=1 (its pictures are kept).`,
    );
  }
  return "new" as const;
}

/** How many changes to its structure the database has had (none before its first start). */
export function appliedMigrations(client: Database.Database): number {
  const hasMigrations = client.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").pluck().get() === 1;
  return hasMigrations ? (client.prepare("SELECT count(*) FROM __drizzle_migrations").pluck().get() as number) : 0;
}

/** After opening: the database is whole and not from a newer version of Meedoen. */
export function checkOpenDatabase(client: Database.Database) {
  const check = client.prepare("PRAGMA quick_check(1)").pluck().get();
  if (check !== "ok") throw new StartRefused(`The database is damaged (${String(check)}). Restore the last backup (README: "Your data and backups").`);
  const known = (JSON.parse(readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;
  const applied = appliedMigrations(client);
  if (applied > known) {
    throw new StartRefused(`The database was last used by a newer version of Meedoen (${applied} changes to its structure; this version knows ${known}). Run that version, or restore a backup made with this one.`);
  }
}
