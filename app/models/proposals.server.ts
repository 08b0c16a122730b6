// Decisions (governance.md §3). Opening, responding, closing exactly once at the deadline and
// applying the effect all run in BEGIN IMMEDIATE transactions.
import { and, asc, desc, eq, isNull, lte, sql } from "drizzle-orm";
import {
  flags,
  hosts,
  houseRules,
  initiatives,
  members,
  methods,
  proposalElectorate,
  proposalPositionsTable,
  proposalStatements,
  proposals,
  type ProposalEffect,
  type ProposalOutcomeRecord,
} from "../../db/schema";
import type { Db } from "../../db/client";
import { governance } from "~/governance/config";
import type { Locale } from "~/lib/i18n";
import { positionsFor, proposalOutcome, validDuration, type Position, type ProposalKind } from "~/governance/rules";
import { db } from "~/lib/db.server";
import type { Once } from "~/lib/forms";
import { env } from "~/lib/env.server";
import { queueMemberMail, siteUrl } from "~/lib/mail.server";
import { formatDateTime } from "~/lib/time";
import { logKeptHidden, restoreContribution } from "./contributions.server";
import { appendLog, proposalOnHiddenInitiative } from "./log.server";
import { applyMerge, mergeProblem } from "./organisations.server";
import { proposalNaming } from "./names.server";
import { isHeld, voiceSnapshot } from "./voice.server";

const dayMs = 86_400_000;

export type ProposalRow = typeof proposals.$inferSelect;

export class ProposalRefusedError extends Error {
  constructor(public messageKey: "proposal.noVoice" | "proposal.notParticipant" | "proposal.closed" | "proposal.invalidPosition" | "proposal.reasonRequired" | "proposal.notClosed" | "proposal.cannotRaiseAgain" | "proposal.duration.invalid" | "proposal.notFound" | "organisation.merge.unknown" | "organisation.merge.same" | "organisation.merge.alreadyMerged" | "organisation.merge.open", public status = 403) {
    super(messageKey);
  }
}

/**
 * Who decides an initiative proposal, fixed when it opens (governance.md §3): its hosts then, and
 * the members who attended one of its sessions or were signed up (or waiting) for one. "I'm in"
 * alone is not enough, and a held member has no voice.
 */
export function initiativeElectorate(initiativeId: number): string[] {
  return db()
    .all<{ member_id: string }>(sql`
      SELECT x.member_id FROM (
        SELECT member_id FROM hosts WHERE initiative_id = ${initiativeId}
        UNION SELECT r.member_id FROM registrations r JOIN sessions s ON s.id = r.session_id
          WHERE s.initiative_id = ${initiativeId} AND (r.status IN ('registered', 'waitlisted') OR r.attended_at IS NOT NULL)
      ) x JOIN members m ON m.id = x.member_id
      WHERE m.posting_held_at IS NULL AND m.deleted_at IS NULL`)
    .map((r) => r.member_id);
}

function inElectorate(proposalId: number, memberId: string) {
  return !!db().get(sql`SELECT 1 FROM proposal_electorate WHERE proposal_id = ${proposalId} AND member_id = ${memberId}`);
}

/**
 * Who may respond (and write the outcome statement): members with a voice for a network proposal;
 * for an initiative proposal its electorate, fixed when it opened. A held member never.
 */
export function mayTakePart(proposal: { id?: number; scope: string; initiativeId: number | null }, memberId: string, now = Date.now()): boolean {
  if (proposal.scope === "network") return voiceSnapshot(now).voices.has(memberId);
  if (isHeld(memberId)) return false;
  if (proposal.id === undefined) return initiativeElectorate(proposal.initiativeId!).includes(memberId);
  return inElectorate(proposal.id, memberId);
}

/** The members eligible for a proposal at a moment (for the quorum and reminders). */
export function eligibleMembers(proposal: { id: number; scope: string; initiativeId: number | null }, at: number): string[] {
  if (proposal.scope === "network") return [...voiceSnapshot(at).voices.keys()];
  return db()
    .all<{ member_id: string }>(sql`
      SELECT e.member_id FROM proposal_electorate e JOIN members m ON m.id = e.member_id
      WHERE e.proposal_id = ${proposal.id} AND m.posting_held_at IS NULL AND m.deleted_at IS NULL`)
    .map((r) => r.member_id);
}

export type OpenInput = {
  scope: "network" | "initiative";
  initiativeId: number | null;
  kind: ProposalKind;
  title: string;
  body: string;
  days: number;
  effect: ProposalEffect | null;
  fallbackOf?: number | null;
};

/** Opens a proposal; `openedBy` null means the system opened it (a second hide, a held member). */
export function openProposal(input: OpenInput, openedBy: string | null, now = new Date(), options: Once = {}): number {
  if (!validDuration(input.days)) throw new ProposalRefusedError("proposal.duration.invalid", 400);
  if (openedBy && !mayTakePart(input, openedBy, now.getTime())) {
    throw new ProposalRefusedError(input.scope === "network" ? "proposal.noVoice" : "proposal.notParticipant");
  }
  const electorate = input.scope === "initiative" && input.initiativeId !== null ? initiativeElectorate(input.initiativeId) : [];
  return db().transaction((tx) => {
    // The same proposal by the same member while it is open is the one already made.
    if (options.once && openedBy) {
      const repeated = tx.get<{ id: number } | undefined>(sql`
        SELECT id FROM proposals
        WHERE opened_by = ${openedBy} AND scope = ${input.scope} AND initiative_id IS ${input.initiativeId} AND kind = ${input.kind}
          AND title = ${input.title} AND body = ${input.body} AND effect IS ${input.effect ? JSON.stringify(input.effect) : null} AND closed_at IS NULL
        ORDER BY id DESC LIMIT 1`);
      if (repeated) return repeated.id;
    }
    // Two organisations that exist, are not merged and are not the same; one open merge of a pair at a time.
    if (input.effect?.type === "merge-organisations") {
      const problem = mergeProblem(input.effect.fromId, input.effect.intoId, tx);
      if (problem) throw new ProposalRefusedError(problem, 400);
      const open = tx.get<{ id: number } | undefined>(sql`
        SELECT id FROM proposals WHERE closed_at IS NULL AND json_extract(effect, '$.type') = 'merge-organisations'
          AND ${input.effect.fromId} IN (json_extract(effect, '$.fromId'), json_extract(effect, '$.intoId'))
          AND ${input.effect.intoId} IN (json_extract(effect, '$.fromId'), json_extract(effect, '$.intoId'))`);
      if (open) throw new ProposalRefusedError("organisation.merge.open", 409);
    }
    const row = tx
      .insert(proposals)
      .values({
        scope: input.scope,
        initiativeId: input.initiativeId,
        kind: input.kind,
        title: input.title,
        body: input.body,
        effect: input.effect,
        fallbackOf: input.fallbackOf ?? null,
        openedBy,
        openedAt: now,
        deadline: new Date(now.getTime() + input.days * dayMs),
      })
      .returning({ id: proposals.id })
      .get();
    if (input.scope === "initiative" && input.initiativeId !== null) {
      for (const memberId of electorate) tx.insert(proposalElectorate).values({ proposalId: row.id, memberId }).run();
    }
    appendLog(tx, {
      action: "proposal.opened",
      actorId: openedBy,
      subjectType: "proposal",
      subjectId: row.id,
      detail: { title: input.title, scope: input.scope, kind: input.kind, effect: input.effect?.type ?? null, fallbackOf: input.fallbackOf ?? null },
      at: now,
    });
    return row.id;
  }, { behavior: "immediate" });
}

export function getProposal(id: number) {
  return db().select().from(proposals).where(eq(proposals.id, id)).get() ?? null;
}

/** Takes or changes a position until the deadline; an objection needs a reason. */
export function respond(proposalId: number, memberId: string, position: Position, reason: string, now = new Date()) {
  // Who may respond is read before the transaction: voices come from the (cached) replay, which is
  // never cached inside one; better-sqlite3 runs the two with nothing in between.
  const found = getProposal(proposalId);
  const allowed = !!found && mayTakePart(found, memberId, now.getTime());
  db().transaction((tx) => {
    const proposal = tx.select().from(proposals).where(eq(proposals.id, proposalId)).get();
    if (!proposal) throw new ProposalRefusedError("proposal.notFound", 404);
    if (proposal.closedAt || now >= proposal.deadline) throw new ProposalRefusedError("proposal.closed", 409);
    if (!positionsFor(proposal.kind).includes(position)) throw new ProposalRefusedError("proposal.invalidPosition", 400);
    if (position === "object" && !reason.trim()) throw new ProposalRefusedError("proposal.reasonRequired", 400);
    if (!allowed) {
      throw new ProposalRefusedError(proposal.scope === "network" ? "proposal.noVoice" : "proposal.notParticipant");
    }
    tx.insert(proposalPositionsTable)
      .values({ proposalId, memberId, position, reason, updatedAt: now })
      .onConflictDoUpdate({ target: [proposalPositionsTable.proposalId, proposalPositionsTable.memberId], set: { position, reason, updatedAt: now } })
      .run();
  }, { behavior: "immediate" });
}

/** Who responded how; names as stored, for pages to show through names.server.ts. */
export function positionsOf(proposalId: number) {
  return db()
    .select({ memberId: proposalPositionsTable.memberId, displayName: members.displayName, organisation: members.organisation, visibility: members.profileVisibility, position: proposalPositionsTable.position, reason: proposalPositionsTable.reason, updatedAt: proposalPositionsTable.updatedAt })
    .from(proposalPositionsTable)
    .innerJoin(members, eq(members.id, proposalPositionsTable.memberId))
    .where(eq(proposalPositionsTable.proposalId, proposalId))
    .orderBy(asc(proposalPositionsTable.updatedAt))
    .all();
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Applies what an adopted (or rejected) proposal changes. Runs inside the closing transaction. */
function applyEffect(tx: Tx, proposal: ProposalRow, adopted: boolean, now: Date) {
  const effect = proposal.effect;
  if (!effect) return;
  const log = (action: Parameters<typeof appendLog>[1]["action"], subjectType: "initiative" | "member" | "rules", subjectId: string | number, detail: Record<string, unknown> = {}) =>
    appendLog(tx, { action, actorId: null, subjectType, subjectId, detail: { proposalId: proposal.id, ...detail }, at: now });
  if (effect.type === "rules") {
    if (!adopted) return;
    tx.insert(houseRules).values({ text: effect.text, proposalId: proposal.id, adoptedAt: now }).run();
    log("rules.changed", "rules", proposal.id);
  } else if (effect.type === "restore-content" && effect.targetType === "method") {
    if (adopted) {
      tx.update(methods).set({ hiddenAt: null, hiddenRule: null }).where(eq(methods.id, Number(effect.targetId))).run();
      tx.update(flags).set({ clearedAt: now }).where(and(eq(flags.targetType, "method"), eq(flags.targetId, effect.targetId), isNull(flags.clearedAt))).run();
      appendLog(tx, { action: "content.restored", actorId: null, subjectType: "method", subjectId: effect.targetId, detail: { proposalId: proposal.id, by: "proposal" }, at: now });
    } else {
      appendLog(tx, { action: "content.kept-hidden", actorId: null, subjectType: "method", subjectId: effect.targetId, detail: { proposalId: proposal.id }, at: now });
    }
  } else if (effect.type === "restore-content" && (effect.targetType === "outcome" || effect.targetType === "comment")) {
    // Outcomes and comments (contributions.server.ts logs them on their initiative).
    if (adopted) restoreContribution(tx, effect.targetType, Number(effect.targetId), { by: "proposal", proposalId: proposal.id }, now);
    else logKeptHidden(tx, effect.targetType, Number(effect.targetId), proposal.id, now);
  } else if (effect.type === "restore-content") {
    if (adopted) {
      tx.update(initiatives).set({ hiddenAt: null, hiddenRule: null }).where(eq(initiatives.id, Number(effect.targetId))).run();
      tx.update(flags).set({ clearedAt: now }).where(and(eq(flags.targetType, "initiative"), eq(flags.targetId, effect.targetId), isNull(flags.clearedAt))).run();
      log("content.restored", "initiative", effect.targetId, { by: "proposal" });
    } else {
      log("content.kept-hidden", "initiative", effect.targetId);
    }
  } else if (effect.type === "restore-posting") {
    if (adopted) {
      tx.update(members).set({ postingHeldAt: null, postingHeldRule: null }).where(eq(members.id, effect.memberId)).run();
      tx.update(flags).set({ clearedAt: now }).where(and(eq(flags.targetType, "member"), eq(flags.targetId, effect.memberId), isNull(flags.clearedAt))).run();
      log("posting.restored", "member", effect.memberId);
    }
  } else if (effect.type === "remove-host") {
    if (adopted) {
      tx.delete(hosts).where(and(eq(hosts.initiativeId, effect.initiativeId), eq(hosts.memberId, effect.memberId))).run();
      appendLog(tx, { action: "host.removed", actorId: null, subjectType: "initiative", subjectId: effect.initiativeId, detail: { memberId: effect.memberId, proposalId: proposal.id }, at: now });
    }
  } else if (effect.type === "merge-organisations") {
    if (adopted) applyMerge(tx, effect.fromId, effect.intoId, proposal.id, now);
  }
}

/**
 * Closes a proposal whose deadline has passed, exactly once: the outcome is computed from the
 * positions standing at the deadline, of the members eligible at the deadline. A second caller
 * (another request, the scheduler, a restart) finds it closed and does nothing.
 */
export function closeProposal(id: number, now = new Date()): boolean {
  return db().transaction((tx) => {
    const proposal = tx.select().from(proposals).where(eq(proposals.id, id)).get();
    if (!proposal || proposal.closedAt || proposal.deadline > now) return false;
    const at = proposal.deadline.getTime();
    const eligible = new Set(eligibleMembers(proposal, at));
    const standing = tx
      .select()
      .from(proposalPositionsTable)
      .where(and(eq(proposalPositionsTable.proposalId, id), lte(proposalPositionsTable.updatedAt, proposal.deadline)))
      .all()
      .filter((p) => eligible.has(p.memberId));
    const result = proposalOutcome(proposal.kind, standing.map((p) => p.position), eligible.size, proposal.fallbackOf !== null);
    const outcome: ProposalOutcomeRecord = { adopted: result.adopted, reason: result.reason, quorum: result.quorum, eligible: eligible.size, tally: { ...result.tally } };
    tx.update(proposals).set({ closedAt: now, outcome }).where(eq(proposals.id, id)).run();
    appendLog(tx, { action: "proposal.closed", actorId: null, subjectType: "proposal", subjectId: id, detail: { title: proposal.title, ...outcome }, at: now });
    applyEffect(tx, { ...proposal, closedAt: now, outcome }, result.adopted, now);
    return true;
  }, { behavior: "immediate" });
}

export function closeDueProposals(now = new Date()) {
  const due = db().select({ id: proposals.id }).from(proposals).where(and(isNull(proposals.closedAt), lte(proposals.deadline, now))).all();
  return due.filter(({ id }) => closeProposal(id, now)).length;
}

/** After the deadline, any eligible member may write what we do now. */
export function writeStatement(id: number, memberId: string, statement: string, now = new Date()) {
  const found = getProposal(id);
  const allowed = !!found && mayTakePart(found, memberId, now.getTime());
  db().transaction((tx) => {
    const proposal = tx.select().from(proposals).where(eq(proposals.id, id)).get();
    if (!proposal) throw new ProposalRefusedError("proposal.notFound", 404);
    if (!proposal.closedAt) throw new ProposalRefusedError("proposal.notClosed", 409);
    if (!allowed) throw new ProposalRefusedError(proposal.scope === "network" ? "proposal.noVoice" : "proposal.notParticipant");
    tx.update(proposals).set({ statement, statementBy: memberId, statementAt: now }).where(eq(proposals.id, id)).run();
    // Every version stays, with its author (governance.md §3).
    tx.insert(proposalStatements).values({ proposalId: id, memberId, text: statement, at: now }).run();
    appendLog(tx, { action: "proposal.statement", actorId: memberId, subjectType: "proposal", subjectId: id, at: now });
  }, { behavior: "immediate" });
}

/** A consent proposal blocked by objections, raised again as a majority proposal needing 2/3. */
export function raiseAgain(id: number, memberId: string, days: number, now = new Date()): number {
  const original = getProposal(id);
  if (!original) throw new ProposalRefusedError("proposal.notFound", 404);
  if (original.kind !== "consent" || original.outcome?.reason !== "objection") throw new ProposalRefusedError("proposal.cannotRaiseAgain", 409);
  if (!voiceSnapshot(now.getTime()).voices.has(memberId)) throw new ProposalRefusedError("proposal.noVoice");
  return openProposal(
    { scope: original.scope, initiativeId: original.initiativeId, kind: "majority", title: original.title, body: original.body, days, effect: original.effect, fallbackOf: original.id },
    memberId,
    now,
  );
}

/**
 * Proposals for the lists. One about a hidden initiative keeps its title (and the initiative's)
 * from viewers other than members with a voice, the initiative's hosts and its own opener; one
 * about a held member names them as the viewer may see them (names.server.ts).
 */
export function listProposals(filter: { id?: number; open?: boolean; initiativeId?: number; viewerId?: string | null; locale?: Locale } = {}) {
  const where = [sql`1`];
  if (filter.id) where.push(sql`p.id = ${filter.id}`);
  if (filter.open === true) where.push(sql`p.closed_at IS NULL`);
  if (filter.open === false) where.push(sql`p.closed_at IS NOT NULL`);
  if (filter.initiativeId) where.push(sql`p.initiative_id = ${filter.initiativeId}`);
  const viewer = filter.viewerId ?? null;
  const readsAll = !!viewer && voiceSnapshot(Date.now()).voices.has(viewer);
  const mayRead = readsAll ? sql`1` : viewer ? sql`(p.opened_by = ${viewer} OR EXISTS (SELECT 1 FROM hosts h WHERE h.initiative_id = p.initiative_id AND h.member_id = ${viewer}))` : sql`0`;
  const rows = db().all<{ id: number; scope: string; kind: string; title: string; deadline: number; closed_at: number | null; outcome: string | null; responses: number; initiative_title: string | null; fallback_of: number | null; hidden: number }>(sql`
    SELECT p.id, p.scope, p.kind, p.title, p.deadline, p.closed_at, p.outcome, p.fallback_of,
      (SELECT count(*) FROM proposal_positions pp WHERE pp.proposal_id = p.id) AS responses,
      i.title AS initiative_title,
      ${proposalOnHiddenInitiative("p")} AND NOT ${mayRead} AS hidden
    FROM proposals p LEFT JOIN initiatives i ON i.id = p.initiative_id
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY p.closed_at IS NOT NULL, p.deadline ${filter.open === false ? sql`DESC` : sql`ASC`}
    LIMIT 200`);
  const naming = proposalNaming(rows.map((r) => r.id), { memberId: viewer, locale: filter.locale });
  return rows.map(({ hidden, ...r }) => (hidden ? { ...r, title: "", initiative_title: null, hidden: true } : { ...r, title: naming.title(r.id, r.title), hidden: false }));
}

/** Reminds eligible members who have not responded when 24 hours remain; once per proposal. */
export function queueProposalReminders(now = new Date()) {
  const horizon = new Date(now.getTime() + governance.proposalReminderHours * 3_600_000);
  const due = db()
    .select()
    .from(proposals)
    .where(and(isNull(proposals.closedAt), isNull(proposals.remindersQueuedAt), lte(proposals.deadline, horizon), sql`${proposals.deadline} > ${now.getTime()}`))
    .all();
  for (const proposal of due) {
    const eligible = eligibleMembers(proposal, now.getTime());
    db().transaction((tx) => {
      const responded = new Set(tx.select({ memberId: proposalPositionsTable.memberId }).from(proposalPositionsTable).where(eq(proposalPositionsTable.proposalId, proposal.id)).all().map((r) => r.memberId));
      for (const memberId of eligible.filter((m) => !responded.has(m))) {
        queueMemberMail(tx, {
          memberId,
          kind: "proposal-reminder",
          dedupeKey: `proposal-reminder:${proposal.id}:${memberId}`,
          now,
          compose: (t, locale) => ({
            subject: t("mail.proposalReminder.subject", { title: proposal.title }),
            body: t("mail.proposalReminder.body", { title: proposal.title, when: formatDateTime(proposal.deadline, locale, env().TZ_COMMUNITY), url: siteUrl(`/proposals/${proposal.id}`) }),
          }),
        });
      }
      tx.update(proposals).set({ remindersQueuedAt: now }).where(eq(proposals.id, proposal.id)).run();
    }, { behavior: "immediate" });
  }
  return due.length;
}

export function rulesHistory() {
  return db().select().from(houseRules).orderBy(desc(houseRules.id)).all();
}

export function currentRules() {
  return db().select().from(houseRules).orderBy(desc(houseRules.id)).limit(1).get()!;
}

/** Every version of a proposal's outcome statement, newest first, with its author (as stored). */
export function statementHistory(proposalId: number) {
  return db().all<{ id: number; text: string; at: number; member_id: string | null; display_name: string | null; organisation: string | null; profile_visibility: string | null }>(sql`
    SELECT s.id, s.text, s.at, s.member_id, CASE WHEN m.deleted_at IS NULL THEN m.display_name END AS display_name, m.organisation, m.profile_visibility
    FROM proposal_statements s LEFT JOIN members m ON m.id = s.member_id
    WHERE s.proposal_id = ${proposalId} ORDER BY s.id DESC`);
}
