// Versions of data the server derives and keeps in memory. The database raises them itself, by
// triggers on the tables they come from (migration 0007), so a change made by any connection,
// the server's own or a script's, is seen by the next request.
import { statement } from "~/lib/db.server";

/** A version's query (param: its name), also for a reader on a connection of its own. */
export const derivedVersionSql = "SELECT version FROM derived_versions WHERE name = ?";

export function derivedVersion(name: "voice" | "agenda"): number {
  return statement(derivedVersionSql).pluck().get(name) as number;
}
