// The server log for faults. A disk that is full, or a database file that went read-only or bad,
// makes every write fail the same way: one line a minute per kind says so, with how many were refused,
// instead of a stack per refused write (a full disk also has no room for a growing log).
const storageCodes = /^SQLITE_(FULL|IOERR\w*|CORRUPT\w*|READONLY\w*|NOTADB|CANTOPEN\w*)$|^ENOSPC$|^EDQUOT$|^EROFS$/;

export function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && storageCodes.test(code);
}

const everyMs = 60_000;
// Per kind of failure (its code): when its last line was written, and how many since.
const lines = new Map<string, { at: number; since: number }>();
let lastFault: { at: number; code: string } | null = null;

/** The last storage fault of the past minute, for /healthz: a server that cannot write is not well. */
export function recentStorageFault(now = Date.now()) {
  return lastFault && now - lastFault.at < everyMs ? lastFault : null;
}

export function logFault(error: unknown, now = Date.now()) {
  if (!isStorageFault(error)) {
    console.error(error);
    return;
  }
  const { code, message } = error as { code: string; message?: string };
  lastFault = { at: now, code };
  const line = lines.get(code) ?? { at: Number.NEGATIVE_INFINITY, since: 0 };
  line.since++;
  lines.set(code, line);
  if (now - line.at < everyMs) return;
  console.error(`[storage] ${code}: ${message ?? ""} (${line.since} request(s) refused since the last line like this; is the disk full?)`);
  line.at = now;
  line.since = 0;
}
