import { sql } from "drizzle-orm";
import { db } from "~/lib/db.server";
import { recentStorageFault } from "~/lib/fault-log.server";

// For monitors: 200 "ok" while the database answers and no write failed on the disk or the file
// in the past minute (a full disk, a file gone read-only or bad); 503 with the reason otherwise.
export function loader() {
  const headers = { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" };
  try {
    db().get(sql`SELECT count(*) FROM sqlite_schema`);
  } catch {
    return new Response("database unavailable", { status: 503, headers });
  }
  const fault = recentStorageFault();
  if (fault) return new Response(`storage fault in the last minute: ${fault.code}`, { status: 503, headers });
  return new Response("ok", { headers });
}
