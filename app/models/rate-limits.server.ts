// Fixed-window counters kept in SQLite, so a restart does not hand out fresh attempts.
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
  if (Math.random() < 0.01) {
    db().run(sql`DELETE FROM rate_limits WHERE window_start < ${now - 2 * 86_400_000}`);
  }
  return verdict(row.count, row.window_start, rule, now);
}

/** Whether `key` has already used up its attempts, without counting one. */
export function peekRateLimit(key: string, rule: RateLimitRule, now = Date.now()): RateLimitResult {
  const row = db().get<{ count: number; window_start: number } | undefined>(
    sql`SELECT count, window_start FROM rate_limits WHERE key = ${key}`,
  );
  if (!row || row.window_start <= now - rule.windowMinutes * 60_000) {
    return { allowed: true, retryAfterMinutes: 0 };
  }
  return { ...verdict(row.count + 1, row.window_start, rule, now) };
}
