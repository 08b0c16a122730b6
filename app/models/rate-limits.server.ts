// Counters kept in SQLite, so a restart does not hand out fresh attempts.
//
// A limit that guards work (a password check, an account, a mail) is *counted first*, in one
// synchronous step that reads and writes together, and only then is the work done. Reading the
// count, awaiting the work and counting afterwards lets a hundred requests that arrive together
// all read the old count (docs/decisions/020-login-limits.md).
import { sql } from "drizzle-orm";
import type { RateLimitRule } from "~/governance/config";
import { db } from "~/lib/db.server";

export type RateLimitResult = { allowed: boolean; retryAfterMinutes: number };

function verdict(count: number, windowStart: number, rule: RateLimitRule, now: number): RateLimitResult {
  const windowMs = rule.windowMinutes * 60_000;
  return {
    allowed: count <= rule.limit,
    retryAfterMinutes: Math.max(1, Math.ceil((windowStart + windowMs - now) / 60_000)),
  };
}

function sweep(now: number) {
  if (Math.random() < 0.01) {
    db().run(sql`DELETE FROM rate_limits WHERE window_start < ${now - 2 * 86_400_000}`);
  }
}

// Limits per network address count an IPv6 address by its /64 (one household or phone): the one
// definition is the server's own, which counts connections and bodies the same way.
export { addressKey } from "~/lib/security.server";

/** Counts one attempt for `key` and says whether it is still within the rule. */
export function hitRateLimit(key: string, rule: RateLimitRule, now = Date.now()): RateLimitResult {
  const expired = now - rule.windowMinutes * 60_000;
  // One statement: concurrent requests cannot both read the old count.
  const row = db().get<{ count: number; window_start: number }>(sql`
    INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, ${now}, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN window_start <= ${expired} THEN 1 ELSE count + 1 END,
      window_start = CASE WHEN window_start <= ${expired} THEN ${now} ELSE window_start END
    RETURNING count, window_start`);
  sweep(now);
  return verdict(row.count, row.window_start, rule, now);
}

/**
 * Gives back one attempt counted by hitRateLimit at `countedAt` (a login that succeeded), unless
 * its window has ended since.
 */
export function refundRateLimit(key: string, rule: RateLimitRule, countedAt: number, now = Date.now()) {
  db().run(sql`
    UPDATE rate_limits SET count = count - 1
    WHERE key = ${key} AND count > 0 AND window_start <= ${countedAt} AND window_start > ${now - rule.windowMinutes * 60_000}`);
}

/**
 * Whether `key` has already used up its attempts, without counting one. Only for showing a
 * state: a check that guards work must count first (hitRateLimit, claimWithDelay).
 */
export function peekRateLimit(key: string, rule: RateLimitRule, now = Date.now()): RateLimitResult {
  const row = db().get<{ count: number; window_start: number } | undefined>(
    sql`SELECT count, window_start FROM rate_limits WHERE key = ${key}`,
  );
  if (!row || row.window_start <= now - rule.windowMinutes * 60_000) {
    return { allowed: true, retryAfterMinutes: 0 };
  }
  return { ...verdict(row.count + 1, row.window_start, rule, now) };
}

// A growing delay.

export type DelayRule = { limit: number; windowMinutes: number; delaySeconds: number; maxDelayMinutes: number };
export type DelayResult = { allowed: boolean; attempts: number; retryAfterSeconds: number };

/** How long after attempt number `attempts` the next one may start: nothing within the limit, then doubling. */
export function delayAfter(attempts: number, rule: DelayRule): number {
  if (attempts < rule.limit) return 0;
  const doublings = Math.min(attempts - rule.limit, 20);
  return Math.min(rule.maxDelayMinutes * 60_000, rule.delaySeconds * 1000 * 2 ** doublings);
}

/**
 * Claims one attempt for `key` under a growing delay, before the work it guards: allowed when the
 * delay after the previous attempt has passed, and then counted at once. The row keeps the
 * number of attempts and the time of the last one; it is forgotten after `windowMinutes` without
 * attempts. Read and write happen in one immediate transaction with no await in between, so
 * concurrent requests see each other's attempts.
 */
export function claimWithDelay(key: string, rule: DelayRule, now = Date.now()): DelayResult {
  return db().transaction(
    (tx) => {
      const row = tx.get<{ count: number; window_start: number } | undefined>(sql`SELECT count, window_start FROM rate_limits WHERE key = ${key}`);
      const previous = !row || row.window_start <= now - rule.windowMinutes * 60_000 ? 0 : row.count;
      const openAt = row && previous > 0 ? row.window_start + delayAfter(previous, rule) : now;
      if (openAt > now) return { allowed: false, attempts: previous, retryAfterSeconds: Math.ceil((openAt - now) / 1000) };
      tx.run(sql`
        INSERT INTO rate_limits (key, window_start, count) VALUES (${key}, ${now}, ${previous + 1})
        ON CONFLICT (key) DO UPDATE SET window_start = excluded.window_start, count = excluded.count`);
      return { allowed: true, attempts: previous + 1, retryAfterSeconds: 0 };
    },
    { behavior: "immediate" },
  );
}

/** Forgets the attempts of `key` while they are still within the free ones (`limit`). */
export function forgetFreeAttempts(key: string, rule: DelayRule) {
  db().run(sql`DELETE FROM rate_limits WHERE key = ${key} AND count <= ${rule.limit}`);
}
