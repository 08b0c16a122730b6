// A real server on a database of its own for one test file, with a second connection to the same
// file for setting up and checking: started before the file's tests, stopped and its files removed after.
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { openServerDatabase } from "./direct-db";
import { startServer, type RunningServer } from "./server";

export function serverForFile(name: string) {
  const databasePath = path.join(os.tmpdir(), `meedoen-${name}-${randomBytes(4).toString("hex")}.sqlite`);
  const handle = {} as { server: RunningServer; sqlite: ReturnType<typeof openServerDatabase> };
  beforeAll(async () => {
    handle.server = await startServer({ DATABASE_PATH: databasePath });
    handle.sqlite = openServerDatabase(databasePath);
  });
  afterAll(async () => {
    handle.sqlite?.close();
    await handle.server?.stop();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(databasePath + suffix, { force: true });
    // The server kept its pictures and uploads next to the database.
    rmSync(`${databasePath}.data`, { recursive: true, force: true });
  });
  return handle;
}
