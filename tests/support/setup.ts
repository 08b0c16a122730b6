// Runs before every test file: each file gets its own fresh SQLite database file, with the
// real migrations applied on first use, and its own data folder (for uploaded pictures).
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll } from "vitest";

const file = path.join(os.tmpdir(), `meedoen-test-${process.pid}-${randomBytes(4).toString("hex")}.sqlite`);
const dataDir = `${file}.data`;
process.env.DATABASE_PATH = file;
process.env.DATA_DIR = dataDir;
process.env.NODE_ENV = "test";
process.env.TZ_COMMUNITY = "Europe/Amsterdam";

afterAll(async () => {
  const { closeDb } = await import("~/lib/db.server");
  closeDb();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
  rmSync(dataDir, { recursive: true, force: true });
});
