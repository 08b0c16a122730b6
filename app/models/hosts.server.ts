// Hosts (kartrekkers) of an initiative (governance.md §2). All hosts are equal; nobody removes
// another host except the initiative's participants, by an adopted proposal.
import { and, eq, lt, sql } from "drizzle-orm";
import { hosts, initiatives } from "../../db/schema";
import { governance } from "~/governance/config";
import { db } from "~/lib/db.server";
import { appendLog } from "./log.server";
import { takesPartIn } from "./registrations.server";
import { voiceSnapshot } from "./voice.server";

export class HostRefusedError extends Error {
  constructor(public messageKey: "host.notParticipant" | "host.alreadyHost" | "host.notHost" | "host.notFound") {
    super(messageKey);
  }
}

const dayMs = 86_400_000;

/**
 * Joins as (co-)host. Anyone who signed up for one of its sessions or said "I'm in" can join; an
 * initiative without hosts ("looking for a host") can also be taken up by any member with a voice.
 */
export function joinAsHost(initiativeId: number, memberId: string, now = new Date()) {
  db().transaction((tx) => {
    const initiative = tx.select({ id: initiatives.id }).from(initiatives).where(eq(initiatives.id, initiativeId)).get();
    if (!initiative) throw new HostRefusedError("host.notFound");
    const current = tx.select().from(hosts).where(eq(hosts.initiativeId, initiativeId)).all();
    if (current.some((h) => h.memberId === memberId)) throw new HostRefusedError("host.alreadyHost");
    const participant = takesPartIn(initiativeId, memberId);
    const takingUp = current.length === 0 && voiceSnapshot(now.getTime()).voices.has(memberId);
    if (!participant && !takingUp) throw new HostRefusedError("host.notParticipant");
    tx.insert(hosts).values({ initiativeId, memberId, since: now, lastActionAt: now }).run();
    appendLog(tx, { action: "host.joined", actorId: memberId, subjectType: "initiative", subjectId: initiativeId, detail: { tookUp: current.length === 0 }, at: now });
  }, { behavior: "immediate" });
}

export function stepBack(initiativeId: number, memberId: string, now = new Date()) {
  db().transaction((tx) => {
    const removed = tx.delete(hosts).where(and(eq(hosts.initiativeId, initiativeId), eq(hosts.memberId, memberId))).returning().all();
    if (!removed.length) throw new HostRefusedError("host.notHost");
    appendLog(tx, { action: "host.stepped-back", actorId: memberId, subjectType: "initiative", subjectId: initiativeId, at: now });
  }, { behavior: "immediate" });
}

/** Hosting lapses after 180 days without any action on the initiative (run by the scheduler). */
export function lapseHosts(now = new Date()) {
  const cutoff = new Date(now.getTime() - governance.hostLapseDays * dayMs);
  return db().transaction((tx) => {
    const lapsed = tx.delete(hosts).where(lt(hosts.lastActionAt, cutoff)).returning().all();
    for (const h of lapsed) {
      appendLog(tx, { action: "host.lapsed", actorId: null, subjectType: "initiative", subjectId: h.initiativeId, detail: { memberId: h.memberId, lastActionAt: h.lastActionAt.toISOString() }, at: now });
    }
    return lapsed.length;
  }, { behavior: "immediate" });
}

export function hostCount(initiativeId: number) {
  return db().get<{ n: number }>(sql`SELECT count(*) AS n FROM hosts WHERE initiative_id = ${initiativeId}`).n;
}
