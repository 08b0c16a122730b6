// Host powers (governance.md §2): a host row, and not held by flags (§4). Every host action asks
// here, inside its own transaction, so a held member can do none of them.
import { and, eq, sql } from "drizzle-orm";
import { hosts } from "../../db/schema";
import type { Db } from "../../db/client";
import { db } from "~/lib/db.server";
import { HeldMemberError, NotAHostError } from "./errors.server";
import { isHeld } from "./voice.server";

type Reader = Pick<Db, "select" | "get">;

/** The member's host row on the initiative, or a refusal: not a host, or held. */
export function actingHost(tx: Reader, initiativeId: number, memberId: string) {
  const host = tx.select().from(hosts).where(and(eq(hosts.initiativeId, initiativeId), eq(hosts.memberId, memberId))).get();
  if (!host) throw new NotAHostError();
  if (isHeld(memberId, tx)) throw new HeldMemberError();
  return host;
}

/** Why the member may not act as a host of the initiative now (null: they may): not one of its hosts, or held after reports (§4). */
export function hostRefusal(initiativeId: number, memberId: string): { messageKey: "session.notHost" | "member.held"; status: 403 } | null {
  const row = db().get<{ held: number | null } | undefined>(sql`
    SELECT m.posting_held_at AS held FROM hosts h JOIN members m ON m.id = h.member_id WHERE h.initiative_id = ${initiativeId} AND h.member_id = ${memberId}`);
  if (!row) return { messageKey: "session.notHost", status: 403 };
  return row.held === null ? null : { messageKey: "member.held", status: 403 };
}

/** Whether the member may act as a host of the initiative now (host tools are shown). */
export function canActAsHost(initiativeId: number, memberId: string): boolean {
  return hostRefusal(initiativeId, memberId) === null;
}
