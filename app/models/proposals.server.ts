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
  proposalVersions,
  proposals,
  type ProposalEffect,
  type ProposalOutcomeRecord,
} from "../../db/schema";
import type { Db } from "../../db/client";
import { governance } from "~/governance/config";
import type { Locale } from "~/lib/i18n";
import { amendedDeadline, amendRefusal, earlyCloseState, lastCallEndsAt, positionsFor, proposalOutcome, validDuration, type Position, type ProposalKind } from "~/governance/rules";
import { db } from "~/lib/db.server";
import { ruleHeadings } from "~/lib/diff";
import { sharedData } from "~/lib/shared-data.server";
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
  constructor(public messageKey: "proposal.noVoice" | "proposal.notParticipant" | "proposal.removeHost.cameOnly" | "proposal.closed" | "proposal.invalidPosition" | "proposal.reasonRequired" | "proposal.notClosed" | "proposal.cannotRaiseAgain" | "proposal.duration.invalid" | "proposal.notFound" | "organisation.merge.unknown" | "organisation.merge.same" | "organisation.merge.alreadyMerged" | "organisation.merge.open" | "proposal.amend.noObjection" | "proposal.amend.stale", public status = 403) {
    super(messageKey);
  }
}

/**
 * Who decides an initiative proposal, fixed when it opens (governance.md §3): its hosts then, and
 * the members who attended one of its sessions or were signed up (or waiting) for one. "I'm in"
 * alone is not enough, and a held member has no voice. Removing a host (`cameOnly`) is decided by
 * its hosts and those who came: signing up takes a minute and no voice, and new accounts must
 * gain no host power over anyone else's initiative.
 */
export function initiativeElectorate(initiativeId: number, cameOnly = false): string[] {
  const signedUp = cameOnly ? sql`0` : sql`r.status IN ('registered', 'waitlisted')`;
  return db()
    .all<{ member_id: string }>(sql`
      SELECT x.member_id FROM (
        SELECT member_id FROM hosts WHERE initiative_id = ${initiativeId}
        UNION SELECT r.member_id FROM registrations r JOIN sessions s ON s.id = r.session_id
          -- a check-in witnesses did not see (ADR 051) makes no one part of it, nor does its sign-up
          WHERE s.initiative_id = ${initiativeId} AND (${signedUp} OR r.attended_at IS NOT NULL) AND r.unseen_at IS NULL
      ) x JOIN members m ON m.id = x.member_id
      WHERE m.posting_held_at IS NULL AND m.deleted_at IS NULL`)
    .map((r) => r.member_id);
}

const removesHost = (effect: ProposalEffect | null | undefined) => effect?.type === "remove-host";

function inElectorate(proposalId: number, memberId: string) {
  return !!db().get(sql`SELECT 1 FROM proposal_electorate WHERE proposal_id = ${proposalId} AND member_id = ${memberId}`);
}

/**
 * Who may respond (and write the outcome statement): members with a voice for a network proposal;
 * for an initiative proposal its electorate, fixed when it opened. A held member never.
 */
export function mayTakePart(proposal: { id?: number; scope: string; initiativeId: number | null; effect?: ProposalEffect | null }, memberId: string, now = Date.now()): boolean {
  if (proposal.scope === "network") return voiceSnapshot(now).hasVoice(memberId);
  if (isHeld(memberId)) return false;
  if (proposal.id === undefined) return initiativeElectorate(proposal.initiativeId!, removesHost(proposal.effect)).includes(memberId);
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
    throw new ProposalRefusedError(input.scope === "network" ? "proposal.noVoice" : removesHost(input.effect) ? "proposal.removeHost.cameOnly" : "proposal.notParticipant");
  }
  const electorate = input.scope === "initiative" && input.initiativeId !== null ? initiativeElectorate(input.initiativeId, removesHost(input.effect)) : [];
  // Everyone who may respond is told it opened (network: the voices at this moment).
  const told = input.scope === "network" ? [...voiceSnapshot(now.getTime()).voices.keys()] : electorate;
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
    tx.insert(proposalVersions).values({ proposalId: row.id, version: 1, title: input.title, body: input.body, effect: input.effect, answers: "", memberId: openedBy, at: now }).run();
    queueOpeningMail(tx, { id: row.id, title: input.title, deadline: new Date(now.getTime() + input.days * dayMs), version: 1, answers: "" }, told.filter((m) => m !== openedBy), now);
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
  } else if (effect.type === "restore-content" && (effect.targetType === "outcome" || effect.targetType === "comment" || effect.targetType === "proposal-comment")) {
    // Outcomes and comments, also on proposals (contributions.server.ts logs them where they stand).
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

/** Records the outcome from the standing positions, logs it and applies the effect (inside the closing transaction). */
function finishProposal(tx: Tx, proposal: ProposalRow, eligible: Set<string>, until: Date, now: Date, early: boolean) {
  const standing = tx
    .select()
    .from(proposalPositionsTable)
    .where(and(eq(proposalPositionsTable.proposalId, proposal.id), lte(proposalPositionsTable.updatedAt, until)))
    .all()
    .filter((p) => eligible.has(p.memberId));
  const result = proposalOutcome(proposal.kind, standing.map((p) => p.position), eligible.size, proposal.fallbackOf !== null);
  const outcome: ProposalOutcomeRecord = { adopted: result.adopted, reason: result.reason, quorum: result.quorum, eligible: eligible.size, tally: { ...result.tally } };
  tx.update(proposals).set({ closedAt: now, outcome }).where(eq(proposals.id, proposal.id)).run();
  const closedEarly = early ? { closedEarly: "all-responded-unchanged", lastCallHours: governance.proposalLastCallHours } : {};
  appendLog(tx, { action: "proposal.closed", actorId: null, subjectType: "proposal", subjectId: proposal.id, detail: { title: proposal.title, ...outcome, ...closedEarly }, at: now });
  applyEffect(tx, { ...proposal, closedAt: now, outcome }, result.adopted, now);
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
    finishProposal(tx, proposal, new Set(eligibleMembers(proposal, proposal.deadline.getTime())), proposal.deadline, now, false);
    return true;
  }, { behavior: "immediate" });
}

/** Where a proposal stands on closing early (governance/rules.ts earlyCloseState), read in `reader`. */
function earlyCloseOf(reader: Pick<Db, "all">, proposal: ProposalRow, eligible: Set<string>, now: Date) {
  const standing = reader
    .all<{ member_id: string; position: Position; updated_at: number }>(sql`SELECT member_id, position, updated_at FROM proposal_positions WHERE proposal_id = ${proposal.id}`)
    .filter((p) => eligible.has(p.member_id));
  const lastChangeAt = standing.length ? Math.max(...standing.map((p) => p.updated_at)) : null;
  const state = earlyCloseState({
    kind: proposal.kind,
    eligible: eligible.size,
    responded: standing.length,
    objections: standing.filter((p) => p.position === "object").length,
    lastChangeAt,
    deadline: proposal.deadline.getTime(),
    now: now.getTime(),
  });
  return { state, lastChangeAt };
}

/**
 * Closes an open proposal before its deadline when every eligible member has responded and
 * nobody changed their position during the last call (docs/decisions/029). Decided again inside
 * the closing transaction, so a response arriving at the same moment either comes first (and
 * starts a new last call) or finds the proposal closed.
 */
export function closeEarlyIfDue(id: number, now = new Date()): boolean {
  const found = getProposal(id);
  if (!found || found.closedAt || found.deadline <= now) return false;
  // Voices come from the cached replay, read before the transaction (as respond does).
  const eligible = new Set(eligibleMembers(found, now.getTime()));
  // Most page views find nothing due: they take no write lock.
  if (earlyCloseOf(db(), found, eligible, now).state !== "close") return false;
  return db().transaction((tx) => {
    const proposal = tx.select().from(proposals).where(eq(proposals.id, id)).get();
    if (!proposal || proposal.closedAt || proposal.deadline <= now || proposal.version !== found.version) return false;
    if (earlyCloseOf(tx, proposal, eligible, now).state !== "close") return false;
    finishProposal(tx, proposal, eligible, now, now, true);
    return true;
  }, { behavior: "immediate" });
}

/** Closes a proposal at its deadline or early, whichever is due; true when this call closed it. */
export function closeIfDue(id: number, now = new Date()): boolean {
  const found = getProposal(id);
  if (!found || found.closedAt) return false;
  return found.deadline <= now ? closeProposal(id, now) : closeEarlyIfDue(id, now);
}

/**
 * The scheduler's round: closes what is due (at the deadline or early) and mails the last call
 * once per version when every eligible member has responded.
 */
export function closeDueProposals(now = new Date()) {
  const due = db().select({ id: proposals.id }).from(proposals).where(and(isNull(proposals.closedAt), lte(proposals.deadline, now))).all();
  let closed = due.filter(({ id }) => closeProposal(id, now)).length;
  const open = db().select().from(proposals).where(and(isNull(proposals.closedAt), sql`${proposals.deadline} > ${now.getTime()}`)).all();
  for (const proposal of open) {
    const eligible = new Set(eligibleMembers(proposal, now.getTime()));
    const { state, lastChangeAt } = earlyCloseOf(db(), proposal, eligible, now);
    if (state === "close") closed += closeEarlyIfDue(proposal.id, now) ? 1 : 0;
    else if (state === "last-call" && lastChangeAt !== null) queueLastCall(proposal, [...eligible], new Date(lastCallEndsAt(lastChangeAt)), now);
  }
  return closed;
}

function queueLastCall(proposal: ProposalRow, eligible: string[], endsAt: Date, now: Date) {
  const key = `proposal-last-call:${proposal.id}:v${proposal.version}:`;
  // Queued on an earlier round: the scheduler comes by every 30 seconds during the last call.
  if (db().get(sql`SELECT 1 FROM outbox WHERE dedupe_key >= ${key} AND dedupe_key < ${`${key}\uffff`} LIMIT 1`)) return;
  db().transaction((tx) => {
    for (const memberId of eligible) {
      queueMemberMail(tx, {
        memberId,
        kind: "proposal-reminder",
        dedupeKey: `proposal-last-call:${proposal.id}:v${proposal.version}:${memberId}`,
        now,
        compose: (t, locale) => ({
          subject: t("mail.proposalLastCall.subject", { title: proposal.title }),
          body: t("mail.proposalLastCall.body", { title: proposal.title, when: formatDateTime(endsAt, locale, env().TZ_COMMUNITY), url: siteUrl(`/proposals/${proposal.id}`) }),
        }),
      });
    }
  }, { behavior: "immediate" });
}

/**
 * Tells members a proposal opened, or that a new version of it was published (with what it
 * answers): one mail per member and version, switchable as "proposal-opened".
 */
function queueOpeningMail(tx: Tx, proposal: { id: number; title: string; deadline: Date; version: number; answers: string }, memberIds: string[], now: Date) {
  for (const memberId of memberIds) {
    queueMemberMail(tx, {
      memberId,
      kind: "proposal-opened",
      dedupeKey: `proposal-opened:${proposal.id}:v${proposal.version}:${memberId}`,
      now,
      compose: (t, locale) => {
        const values = { title: proposal.title, when: formatDateTime(proposal.deadline, locale, env().TZ_COMMUNITY), url: siteUrl(`/proposals/${proposal.id}`), version: proposal.version, answers: proposal.answers };
        return proposal.version === 1
          ? { subject: t("mail.proposalOpened.subject", values), body: t("mail.proposalOpened.body", values) }
          : { subject: t("mail.proposalAmended.subject", values), body: t("mail.proposalAmended.body", values) };
      },
    });
  }
}

export type AmendInput = { title: string; body: string; rulesText: string | null; answers: string; version: number };

/**
 * Publishes a new version of an open consent proposal on which an objection stands
 * (docs/decisions/029): the proposer or any eligible member. The positions taken on the old
 * version are cleared (kept in the log entry, so the page shows which version each was on), every
 * eligible member is mailed, and a deadline nearer than `proposalMinDays` moves out. `version` is
 * the version the form amended: a second amendment of the same version is refused (409).
 */
export function amendProposal(id: number, memberId: string, input: AmendInput, now = new Date()): number {
  const found = getProposal(id);
  if (!found) throw new ProposalRefusedError("proposal.notFound", 404);
  const eligible = new Set(eligibleMembers(found, now.getTime()));
  const mayRespond = mayTakePart(found, memberId, now.getTime());
  const held = isHeld(memberId);
  return db().transaction((tx) => {
    const proposal = tx.select().from(proposals).where(eq(proposals.id, id)).get();
    if (!proposal) throw new ProposalRefusedError("proposal.notFound", 404);
    const positions = tx.select().from(proposalPositionsTable).where(eq(proposalPositionsTable.proposalId, id)).all();
    const objections = positions.filter((p) => p.position === "object" && eligible.has(p.memberId)).length;
    const refusal = amendRefusal(
      { kind: proposal.kind, closed: !!proposal.closedAt || now >= proposal.deadline, objections },
      { eligible: mayRespond, proposer: proposal.openedBy === memberId, held },
    );
    if (refusal === "not-eligible") throw new ProposalRefusedError(proposal.scope === "network" ? "proposal.noVoice" : "proposal.notParticipant");
    if (refusal === "closed") throw new ProposalRefusedError("proposal.closed", 409);
    if (refusal) throw new ProposalRefusedError("proposal.amend.noObjection", 409);
    if (input.version !== proposal.version) throw new ProposalRefusedError("proposal.amend.stale", 409);
    const version = proposal.version + 1;
    const effect: ProposalEffect | null = proposal.effect?.type === "rules" && input.rulesText !== null ? { type: "rules", text: input.rulesText } : proposal.effect;
    const deadline = new Date(amendedDeadline(proposal.deadline.getTime(), now.getTime()));
    tx.insert(proposalVersions).values({ proposalId: id, version, title: input.title, body: input.body, effect, answers: input.answers, memberId, at: now }).run();
    tx.delete(proposalPositionsTable).where(eq(proposalPositionsTable.proposalId, id)).run();
    // A new version is reminded of again (the reminder's key names the version).
    tx.update(proposals).set({ title: input.title, body: input.body, effect, version, deadline, remindersQueuedAt: null }).where(eq(proposals.id, id)).run();
    appendLog(tx, {
      action: "proposal.amended",
      actorId: memberId,
      subjectType: "proposal",
      subjectId: id,
      detail: {
        title: input.title,
        version,
        deadline: deadline.toISOString(),
        // The positions on the version before, cleared for this one.
        positions: positions.map((p) => ({ memberId: p.memberId, position: p.position, reason: p.reason, at: p.updatedAt.getTime() })),
      },
      at: now,
    });
    queueOpeningMail(tx, { id, title: input.title, deadline, version, answers: input.answers }, [...eligible].filter((m) => m !== memberId), now);
    return version;
  }, { behavior: "immediate" });
}

/** Every version of a proposal, oldest first, with its author (as stored). */
export function versionsOf(proposalId: number) {
  return db().all<{ version: number; title: string; body: string; effect: string | null; answers: string; at: number; member_id: string | null; display_name: string | null; organisation: string | null; profile_visibility: string | null }>(sql`
    SELECT v.version, v.title, v.body, v.effect, v.answers, v.at, v.member_id, CASE WHEN m.deleted_at IS NULL THEN m.display_name END AS display_name, m.organisation, m.profile_visibility
    FROM proposal_versions v LEFT JOIN members m ON m.id = v.member_id
    WHERE v.proposal_id = ${proposalId} ORDER BY v.version`);
}

/** The positions each amendment cleared, by the version they were on (from the public log). */
export function earlierPositions(proposalId: number) {
  return db()
    .all<{ detail: string }>(sql`SELECT detail FROM log_entries WHERE action = 'proposal.amended' AND subject_type = 'proposal' AND subject_id = ${String(proposalId)} ORDER BY id`)
    .flatMap((row) => {
      const detail = JSON.parse(row.detail) as { version: number; positions?: { memberId: string; position: Position; reason: string; at: number }[] };
      return (detail.positions ?? []).map((p) => ({ ...p, version: detail.version - 1 }));
    });
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
  if (!voiceSnapshot(now.getTime()).hasVoice(memberId)) throw new ProposalRefusedError("proposal.noVoice");
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
  const readsAll = !!viewer && voiceSnapshot(Date.now()).hasVoice(viewer);
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
          // Version 1 keeps the key it always had; an amended proposal is reminded of again.
          dedupeKey: proposal.version === 1 ? `proposal-reminder:${proposal.id}:${memberId}` : `proposal-reminder:${proposal.id}:v${proposal.version}:${memberId}`,
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

/**
 * The headings of the house rules in force, which flags and hiding name: for pages, where many
 * viewers ask for them while nothing changes (shared-data.server.ts). A write checks the rule it
 * names with `isHouseRule`, which reads the rules itself.
 */
export function currentRuleHeadings() {
  return sharedData(["currentRuleHeadings"], () => ruleHeadings(currentRules().text));
}

/** Whether `heading` is one of the headings of the house rules in force, read now. */
export function isHouseRule(heading: string) {
  return ruleHeadings(currentRules().text).includes(heading);
}

/** Every version of a proposal's outcome statement, newest first, with its author (as stored). */
export function statementHistory(proposalId: number) {
  return db().all<{ id: number; text: string; at: number; member_id: string | null; display_name: string | null; organisation: string | null; profile_visibility: string | null }>(sql`
    SELECT s.id, s.text, s.at, s.member_id, CASE WHEN m.deleted_at IS NULL THEN m.display_name END AS display_name, m.organisation, m.profile_visibility
    FROM proposal_statements s LEFT JOIN members m ON m.id = s.member_id
    WHERE s.proposal_id = ${proposalId} ORDER BY s.id DESC`);
}
