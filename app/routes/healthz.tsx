import { sql } from "drizzle-orm";
import { db } from "~/lib/db.server";

export function loader() {
  try {
    db().get(sql`SELECT 1`);
    return new Response("ok", { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  } catch {
    return new Response("database unavailable", { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
