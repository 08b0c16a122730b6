// Takes an online backup of the live database, safe while the server is writing, and copies the
// uploaded pictures next to it:
//
//   npm run backup                      → DATA_DIR/backups/meedoen-YYYYMMDD-HHMMSS.sqlite
//                                         DATA_DIR/backups/meedoen-YYYYMMDD-HHMMSS-images/
//   npm run backup -- /path/to/copy.sqlite   (pictures in /path/to/copy-images/)
//
// Uses SQLite's online backup API (better-sqlite3's .backup()), copying every page in a single
// step under one read transaction: with WAL the server keeps writing meanwhile, and the copy is
// the database as it was at one moment. The copy is written next to its destination under a
// temporary name, switched to a single self-contained file (journal_mode DELETE), checked with
// PRAGMA integrity_check and only then renamed into place. Exits non-zero on any failure.
//
// Pictures are files named after their content and never change, so copying them needs no lock.
// They are copied once before the database (so that a picture replaced meanwhile is still
// caught) and once after it for what was added meanwhile; the folder then holds exactly the
// pictures the copied database has rows for. A picture that is missing from the live folder
// too cannot be copied: the backup is still written (the database matters most), the missing
// files are named in the output and in MISSING.txt in the pictures folder, and the command exits
// with 2, so that a cron job reports it. The folder is renamed into place before the database
// file: a backup whose .sqlite file exists is as complete as the live data allowed.
//
// What a backup that was killed half-way left behind (".partial" files and folders) is removed
// by the next run in the same folder, once it is an hour old (a backup still running at the same
// moment keeps its own).
//
// The source is opened with better-sqlite3 directly: no migrations are run on it and nothing is
// written. It is not opened read-only on purpose: a read-only connection to a WAL database leaves
// its -wal and -shm files behind, owned by whoever ran the backup (root, from cron), which can
// stop the server's own user from opening the database afterwards. A read-write connection
// removes them again when it is the last one to close.
import { copyFileSync, constants, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { env } from "~/lib/env.server";
import { imageFileName, imageNamePattern, imageWidths } from "~/lib/images";

function timestamp(date: Date) {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

function formatSize(bytes: number) {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The pictures folder that belongs to a database copy: copy.sqlite → copy-images. */
function imagesFolderOf(databaseCopy: string) {
  return `${databaseCopy.replace(/\.sqlite$/, "")}-images`;
}

/** Removes what killed backups left in `folder`: ".partial" files and folders untouched for an hour. */
function removeStalePartials(folder: string, now = Date.now()) {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (!/\.partial(-wal|-shm|-journal)?$/.test(name)) continue;
    const file = path.join(folder, name);
    try {
      if (now - statSync(file).mtimeMs < 3_600_000) continue;
      rmSync(file, { recursive: true, force: true });
      console.log(`Removed ${file}, left by a backup that did not finish`);
    } catch {
      // Gone meanwhile, or not ours to remove: leave it.
    }
  }
}

function listPictures(folder: string): string[] {
  try {
    return readdirSync(folder).filter((name) => imageNamePattern.test(name));
  } catch {
    return [];
  }
}

/** Copies the named pictures that are not in `to` yet; copy-on-write where the file system can. */
function copyPictures(from: string, to: string, names: string[]) {
  const present = new Set(listPictures(to));
  for (const name of names) {
    if (!present.has(name)) copyFileSync(path.join(from, name), path.join(to, name), constants.COPYFILE_FICLONE);
  }
}

async function main() {
  const config = env();
  const source = path.resolve(config.databasePath);
  const destination = path.resolve(
    process.argv[2] ?? path.join(config.DATA_DIR, "backups", `meedoen-${timestamp(new Date())}.sqlite`),
  );

  if (!existsSync(source)) throw new Error(`There is no database at ${source}.`);
  if (destination === source) throw new Error("The backup cannot overwrite the database itself.");
  if (existsSync(destination)) throw new Error(`${destination} already exists; choose another name.`);
  const picturesSource = path.resolve(config.imagesDir);
  const picturesDestination = imagesFolderOf(destination);
  if (existsSync(picturesDestination)) throw new Error(`${picturesDestination} already exists; choose another name.`);
  mkdirSync(path.dirname(destination), { recursive: true });
  removeStalePartials(path.dirname(destination));

  const partial = `${destination}.partial`;
  const picturesPartial = `${picturesDestination}.partial`;
  const removePartial = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(partial + suffix, { force: true });
    rmSync(picturesPartial, { recursive: true, force: true });
  };
  removePartial();
  mkdirSync(picturesPartial);
  try {
    copyPictures(picturesSource, picturesPartial, listPictures(picturesSource));
  } catch (error) {
    removePartial();
    throw error;
  }

  const started = performance.now();
  const live = new Database(source, { fileMustExist: true });
  try {
    // Wait for a writer holding a lock instead of failing at once.
    live.pragma("busy_timeout = 5000");
    // All remaining pages in one step: a backup copied in several steps starts over whenever
    // another process writes in between, which under steady writes might never finish.
    await live.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    removePartial();
    throw error;
  } finally {
    live.close();
  }

  const copy = new Database(partial, { fileMustExist: true });
  let tables: number;
  let initiatives: number | null;
  let pictures: number;
  let missing: string[];
  try {
    // The copy keeps the source's WAL mode; one file is easier to move around and restore.
    copy.pragma("journal_mode = DELETE");
    const problems = copy.pragma("integrity_check", { simple: false }) as { integrity_check: string }[];
    if (problems.length !== 1 || problems[0].integrity_check !== "ok") {
      throw new Error(`The copy failed its integrity check:\n  ${problems.map((p) => p.integrity_check).join("\n  ")}`);
    }
    tables = copy.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number;
    const hasInitiatives = copy.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'initiatives'").get();
    initiatives = hasInitiatives ? (copy.prepare("SELECT count(*) FROM initiatives").pluck().get() as number) : null;
    // Exactly the pictures this copy of the database knows: added meanwhile, or left out.
    const hasImages = copy.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'images'").get();
    const ids = hasImages ? (copy.prepare("SELECT id FROM images").pluck().all() as string[]) : [];
    const wanted = new Set(ids.flatMap((id) => imageWidths.map((width) => imageFileName(id, width))));
    missing = [...wanted].filter((name) => !existsSync(path.join(picturesPartial, name)) && !existsSync(path.join(picturesSource, name)));
    copyPictures(picturesSource, picturesPartial, [...wanted].filter((name) => !missing.includes(name)));
    for (const name of listPictures(picturesPartial)) if (!wanted.has(name)) rmSync(path.join(picturesPartial, name));
    if (missing.length) writeFileSync(path.join(picturesPartial, "MISSING.txt"), `Missing from ${picturesSource} when this backup was made:\n${missing.join("\n")}\n`);
    pictures = ids.length;
  } catch (error) {
    copy.close();
    removePartial();
    throw error;
  }
  copy.close();
  renameSync(picturesPartial, picturesDestination);
  renameSync(partial, destination);

  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`Backup written to ${destination}`);
  console.log(
    `  ${formatSize(statSync(destination).size)}, ${tables} tables` +
      (initiatives === null ? "" : `, ${initiatives} initiatives`) +
      `, integrity check ok (${seconds} s)`,
  );
  console.log(`Pictures copied to ${picturesDestination}`);
  console.log(`  ${pictures} pictures, ${pictures * imageWidths.length - missing.length} files`);
  if (missing.length) {
    console.error(`Warning: ${missing.length} picture file(s) the database refers to are missing from ${picturesSource} and are not in this backup:\n  ${missing.join("\n  ")}`);
    process.exitCode = 2;
  }
}

main().catch((error) => {
  console.error(`Backup failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
