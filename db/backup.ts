// Takes an online backup of the live database, safe while the server is writing:
//
//   npm run backup                      → DATA_DIR/backups/meedoen-YYYYMMDD-HHMMSS.sqlite
//   npm run backup -- /path/to/copy.sqlite
//
// Uses SQLite's online backup API (better-sqlite3's .backup()), copying every page in a single
// step under one read transaction: with WAL the server keeps writing meanwhile, and the copy is
// the database as it was at one moment. The copy is written next to its destination under a
// temporary name, switched to a single self-contained file (journal_mode DELETE), checked with
// PRAGMA integrity_check and only then renamed into place. Exits non-zero on any failure.
//
// The source is opened with better-sqlite3 directly: no migrations are run on it and nothing is
// written. It is not opened read-only on purpose: a read-only connection to a WAL database leaves
// its -wal and -shm files behind, owned by whoever ran the backup (root, from cron), which can
// stop the server's own user from opening the database afterwards. A read-write connection
// removes them again when it is the last one to close.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { env } from "~/lib/env.server";

function timestamp(date: Date) {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}${p(date.getMonth() + 1)}${p(date.getDate())}-${p(date.getHours())}${p(date.getMinutes())}${p(date.getSeconds())}`;
}

function formatSize(bytes: number) {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
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
  mkdirSync(path.dirname(destination), { recursive: true });

  const partial = `${destination}.partial`;
  const removePartial = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(partial + suffix, { force: true });
  };
  removePartial();

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
  } catch (error) {
    copy.close();
    removePartial();
    throw error;
  }
  copy.close();
  renameSync(partial, destination);

  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`Backup written to ${destination}`);
  console.log(
    `  ${formatSize(statSync(destination).size)}, ${tables} tables` +
      (initiatives === null ? "" : `, ${initiatives} initiatives`) +
      `, integrity check ok (${seconds} s)`,
  );
}

main().catch((error) => {
  console.error(`Backup failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
