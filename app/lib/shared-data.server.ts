// Page data that many viewers share, kept for the next request that asks for the same: the feed
// reads the same twenty initiatives, their hosts and what comes up next for every member, and
// after a digest mail many members open it within minutes. Kept the way whole pages are kept for
// visitors (page-cache.server.ts):
//   - only while nothing in the database has changed since it was read, and
//   - for at most ten seconds (statuses such as "running now" follow the clock).
// The key's parts must name everything the data depends on besides the database and the clock: a
// member's own data (their sign-ups, their voice) is never kept here. What is kept is frozen, so
// that no page can change what the next one is given. Nothing read inside a transaction is kept:
// its writes may still be rolled back, and SQLite's count of changes does not go back with them.
import { databaseVersion, db } from "./db.server";
import { keptForMs } from "./page-cache.server";

const maxEntries = 100;

let version = "";
const entries = new Map<string, { at: number; value: unknown }>();

export function sharedData<T>(keyParts: readonly (string | number | boolean | null | undefined)[], read: () => T, now = Date.now()): T {
  if (db().$client.inTransaction) return read();
  // One text per list of parts, whatever the parts hold (a search may hold any character).
  const key = JSON.stringify(keyParts);
  const current = databaseVersion();
  if (current !== version) {
    entries.clear();
    version = current;
  }
  const entry = entries.get(key);
  if (entry && now - entry.at < keptForMs) return entry.value as T;
  // `read` is synchronous (one SQLite connection): no write of this process lands in between.
  const value = deepFreeze(read());
  entries.delete(key);
  entries.set(key, { at: now, value });
  if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
