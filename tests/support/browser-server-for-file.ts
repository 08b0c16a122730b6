// A real server on a fresh database, the browser, and a second connection to the server's
// database, for one test file: started before its tests, closed after them.
import type Database from "better-sqlite3";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser } from "./browser";
import { openServerDatabase } from "./direct-db";
import { startServer, type RunningServer } from "./server";

export function browserAndServerForFile(env: Record<string, string> = {}) {
  const handle = {} as { server: RunningServer; browser: Browser; sqlite: Database.Database };
  beforeAll(async () => {
    [handle.server, handle.browser] = await Promise.all([startServer(env), launchBrowser()]);
    handle.sqlite = openServerDatabase(handle.server.databasePath);
  });
  afterAll(async () => {
    handle.sqlite?.close();
    await handle.browser?.close();
    await handle.server?.stop();
  });
  return handle;
}
