// Hosts (kartrekkers) of an initiative (governance.md §2). All hosts are equal. Joining needs a
// host's consent (or, for a member with a voice, a week without an answer); an initiative without
// hosts can be taken up at once by a member with a voice. Nobody removes another host except the
// initiative's participants, by an adopted proposal.
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { hostRequests, hosts, initiatives } from "../../db/schema";
import type { Db } from "../../db/client";
import { governance } from "~/governance/config";
import { lazyConsentDue, mayAskToHost } from "~/governance/rules";
import { db } from "~/lib/db.server";
import { queueMemberMail, siteUrl } from "~/lib/mail.server";
import { HeldMemberError } from "./errors.server";
import { actingHost } from "./host-rights.server";
import { appendLog } from "./log.server";
import { attendedAny } from "./registrations.server";
import { isHeld, voiceSnapshot } from "./voice.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const hostRefusalStatus = { "host.notParticipant": 403, "host.notHost": 403, "member.held": 403, "host.alreadyHost": 409, "host.notFound": 404, "host.requestNotFound": 404 } as const;

export class HostRefusedError extends Error {
  /** Not allowed (403), already so (409), or nothing there (404). */
  public status: number;
  constructor(public messageKey: keyof typeof hostRefusalStatus) {
    super(messageKey);
    this.status = hostRefusalStatus[messageKey];
  }
}

const dayMs = 86_400_000;

function titleOf(tx: Tx, initiativeId: number) {
  return tx.select({ title: initiatives.title }).from(initiatives).where(eq(initiatives.id, initiativeId)).get()?.title ?? "";
}

/**
 * Asks to join as co-host (a member who attended one of its sessions, or has a voice). With no
 * hosts, a member with a voice takes it up at once. Returns what happened.
 */
export function joinAsHost(initiativeId: number, memberId: string, now = new Date()): "joined" | "requested" {
  const voice = voiceSnapshot(now.getTime()).hasVoice(memberId);
  const attended = attendedAny(initiativeId, memberId);
  const held = isHeld(memberId);
  return db().transaction((tx) => {
    const initiative = tx.select({ id: initiatives.id, title: initiatives.title }).from(initiatives).where(eq(initiatives.id, initiativeId)).get();
    if (!initiative) throw new HostRefusedError("host.notFound");
    if (held) throw new HostRefusedError("member.held");
    const current = tx.select().from(hosts).where(eq(hosts.initiativeId, initiativeId)).all();
    if (current.some((h) => h.memberId === memberId)) throw new HostRefusedError("host.alreadyHost");
    if (current.length === 0) {
      // Looking for a host: anyone with a voice can take it up.
      if (!voice) throw new HostRefusedError("host.notParticipant");
      tx.insert(hosts).values({ initiativeId, memberId, since: now, lastActionAt: now }).run();
      appendLog(tx, { action: "host.joined", actorId: memberId, subjectType: "initiative", subjectId: initiativeId, detail: { tookUp: true }, at: now });
      return "joined";
    }
    if (!mayAskToHost({ attended, voice, held })) throw new HostRefusedError("host.notParticipant");
    const open = tx.select().from(hostRequests).where(and(eq(hostRequests.initiativeId, initiativeId), eq(hostRequests.memberId, memberId), isNull(hostRequests.answeredAt))).get();
    if (open) return "requested";
    tx.insert(hostRequests).values({ initiativeId, memberId, createdAt: now }).run();
    appendLog(tx, { action: "host.requested", actorId: memberId, subjectType: "initiative", subjectId: initiativeId, detail: { memberId }, at: now });
    const asker = tx.get<{ display_name: string }>(sql`SELECT display_name FROM members WHERE id = ${memberId}`).display_name;
    for (const h of current) {
      queueMemberMail(tx, {
        memberId: h.memberId,
        kind: "host-request",
        dedupeKey: `host-request:${initiativeId}:${memberId}:${now.getTime()}:${h.memberId}`,
        now,
        compose: (t) => ({
          subject: t("mail.hostRequest.subject", { title: initiative.title }),
          body: t("mail.hostRequest.body", { name: asker, title: initiative.title, days: governance.hostRequestLazyConsentDays, url: siteUrl(`/initiatives/${initiativeId}#hosts`) }),
        }),
      });
    }
    return "requested";
  }, { behavior: "immediate" });
}

/** A current host accepts or declines a request (logged, mailed to the asker). */
export function answerHostRequest(requestId: number, hostId: string, accept: boolean, initiativeId?: number, now = new Date()) {
  db().transaction((tx) => {
    const request = tx.select().from(hostRequests).where(eq(hostRequests.id, requestId)).get();
    if (!request || request.answeredAt || (initiativeId !== undefined && request.initiativeId !== initiativeId)) throw new HostRefusedError("host.requestNotFound");
    try {
      actingHost(tx, request.initiativeId, hostId);
    } catch (error) {
      throw new HostRefusedError(error instanceof HeldMemberError ? "member.held" : "host.notHost");
    }
    settle(tx, request, accept ? "accepted" : "declined", hostId, now);
    tx.update(hosts).set({ lastActionAt: now }).where(and(eq(hosts.initiativeId, request.initiativeId), eq(hosts.memberId, hostId))).run();
  }, { behavior: "immediate" });
}

/** The asker takes back their own request. */
export function withdrawHostRequest(initiativeId: number, memberId: string, now = new Date()) {
  db().transaction((tx) => {
    const request = tx.select().from(hostRequests).where(and(eq(hostRequests.initiativeId, initiativeId), eq(hostRequests.memberId, memberId), isNull(hostRequests.answeredAt))).get();
    if (!request) throw new HostRefusedError("host.requestNotFound");
    tx.update(hostRequests).set({ answeredAt: now, answer: "withdrawn", answeredBy: memberId }).where(eq(hostRequests.id, request.id)).run();
  }, { behavior: "immediate" });
}

function settle(tx: Tx, request: typeof hostRequests.$inferSelect, answer: "accepted" | "declined" | "lazy-consent", by: string | null, now: Date) {
  tx.update(hostRequests).set({ answeredAt: now, answer, answeredBy: by }).where(eq(hostRequests.id, request.id)).run();
  const accepted = answer !== "declined";
  if (accepted) tx.insert(hosts).values({ initiativeId: request.initiativeId, memberId: request.memberId, since: now, lastActionAt: now }).onConflictDoNothing().run();
  appendLog(tx, {
    action: accepted ? "host.accepted" : "host.declined",
    actorId: by,
    subjectType: "initiative",
    subjectId: request.initiativeId,
    detail: { memberId: request.memberId, lazyConsent: answer === "lazy-consent" },
    at: now,
  });
  const title = titleOf(tx, request.initiativeId);
  queueMemberMail(tx, {
    memberId: request.memberId,
    kind: "host-request",
    dedupeKey: `host-answer:${request.id}`,
    now,
    compose: (t) => ({
      subject: t(accepted ? "mail.hostAccepted.subject" : "mail.hostDeclined.subject", { title }),
      body: t(accepted ? "mail.hostAccepted.body" : "mail.hostDeclined.body", { title, url: siteUrl(`/initiatives/${request.initiativeId}`) }),
    }),
  });
}

/**
 * Lazy consent (run by the scheduler): a request from a member who has a voice, unanswered for 7
 * days, is accepted. A request from a member without a voice waits for a host.
 */
export function acceptUnansweredRequests(now = new Date()) {
  const due = db()
    .select()
    .from(hostRequests)
    .where(and(isNull(hostRequests.answeredAt), lt(hostRequests.createdAt, new Date(now.getTime() - governance.hostRequestLazyConsentDays * dayMs))))
    .all();
  if (!due.length) return 0;
  const voices = voiceSnapshot(now.getTime()).voices;
  let accepted = 0;
  for (const request of due) {
    if (!lazyConsentDue(request.createdAt.getTime(), voices.has(request.memberId), now.getTime())) continue;
    db().transaction((tx) => {
      const fresh = tx.select().from(hostRequests).where(eq(hostRequests.id, request.id)).get();
      if (!fresh || fresh.answeredAt) return;
      settle(tx, fresh, "lazy-consent", null, now);
      accepted++;
    }, { behavior: "immediate" });
  }
  return accepted;
}

/** Open requests on an initiative, for its hosts to answer. */
export function openHostRequests(initiativeId: number) {
  return db().all<{ id: number; member_id: string; display_name: string; created_at: number }>(sql`
    SELECT r.id, r.member_id, m.display_name, r.created_at FROM host_requests r JOIN members m ON m.id = r.member_id
    WHERE r.initiative_id = ${initiativeId} AND r.answered_at IS NULL ORDER BY r.created_at`);
}

export function hasOpenHostRequest(initiativeId: number, memberId: string) {
  return !!db().get(sql`SELECT 1 FROM host_requests WHERE initiative_id = ${initiativeId} AND member_id = ${memberId} AND answered_at IS NULL`);
}

export function stepBack(initiativeId: number, memberId: string, now = new Date()) {
  db().transaction((tx) => {
    const removed = tx.delete(hosts).where(and(eq(hosts.initiativeId, initiativeId), eq(hosts.memberId, memberId))).returning().all();
    if (!removed.length) throw new HostRefusedError("host.notHost");
    // What an undo within a few minutes puts back, exactly (ADR 026).
    appendLog(tx, { action: "host.stepped-back", actorId: memberId, subjectType: "initiative", subjectId: initiativeId, detail: { since: removed[0].since.getTime(), lastActionAt: removed[0].lastActionAt.getTime() }, at: now });
  }, { behavior: "immediate" });
  return { at: now.getTime() };
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
