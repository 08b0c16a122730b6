// The server log for faults. A disk that is full, or a database file that went read-only or bad,
// makes every write fail the same way: one line a minute says so, with how many were refused,
// instead of a stack per refused write (a full disk also has no room for a growing log).
const storageCodes = /^SQLITE_(FULL|IOERR\w*|CORRUPT\w*|READONLY\w*|NOTADB|CANTOPEN\w*)$|^ENOSPC$|^EDQUOT$|^EROFS$/;

export function isStorageFault(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && storageCodes.test(code);
}

const everyMs = 60_000;
let lastLine = Number.NEGATIVE_INFINITY;
let refusedSince = 0;
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
  refusedSince++;
  const { code, message } = error as { code: string; message?: string };
  lastFault = { at: now, code };
  if (now - lastLine < everyMs) return;
  console.error(`[storage] ${code}: ${message ?? ""} (${refusedSince} request(s) refused since the last line like this; is the disk full?)`);
  lastLine = now;
  refusedSince = 0;
}
