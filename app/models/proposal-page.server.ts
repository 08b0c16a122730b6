// A proposal's page (/proposals/:id) as this viewer may see it; a proposal past its deadline is
// closed on the way (exactly once, whoever comes first).
import { proposalNaming, publicName, type NameViewer } from "./names.server";
import { currentRuleHeadings, currentRules, rulesHistory, closeIfDue, earlierPositions, eligibleMembers, getProposal, listProposals, mayTakePart, statementHistory, positionsOf, versionsOf } from "./proposals.server";
import type { PageViewer } from "./session-page.server";
import { amendRefusal, earlyCloseState, lastCallEndsAt, positionsFor, quorum } from "~/governance/rules";
import { governance } from "~/governance/config";
import { diffLines, type DiffLine } from "~/lib/diff";
import type { EarlierPosition, ProposalVersionView } from "./proposals.types";
import { proposalCommentRefusal, proposalDiscussion } from "./proposal-comments.server";
import { isHeld } from "./voice.server";
import { renderMarkdown } from "~/lib/markdown.server";
import { getInitiative } from "./initiatives.server";
import { founderVoiceFrom, voiceSnapshot } from "./voice.server";
import { sql } from "drizzle-orm";
import { db } from "~/lib/db.server";

// The two organisations a merge proposal is about, as they are called (a merged one keeps its name and address).
function mergeNames(fromId: number, intoId: number) {
  const named = (id: number) => db().get<{ name: string; slug: string } | undefined>(sql`SELECT name, slug FROM organisations WHERE id = ${id}`) ?? null;
  const from = named(fromId);
  const into = named(intoId);
  return from && into ? { from, into } : null;
}

// The rules text this proposal replaces: the version before it if adopted, else the one in force.
function currentRulesBefore(proposalId: number) {
  const versions = rulesHistory();
  const adopted = versions.findIndex((v) => v.proposalId === proposalId);
  return adopted >= 0 ? (versions[adopted + 1]?.text ?? "") : currentRules().text;
}

// Diffs of member text are bounded: past this many line pairs, the whole text counts as changed.
const diffCellLimit = 250_000;

function boundedDiff(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  if (a.length * b.length > diffCellLimit) return [...a.map((text) => ({ kind: "removed" as const, text })), ...b.map((text) => ({ kind: "added" as const, text }))];
  return diffLines(before, after);
}

type StoredVersion = ReturnType<typeof versionsOf>[number];

// A version as one text, so that one diff shows what changed in the title, the text and the rules.
function versionText(v: StoredVersion) {
  const effect = v.effect ? (JSON.parse(v.effect) as { type: string; text?: string }) : null;
  return [`# ${v.title}`, "", v.body, ...(effect?.type === "rules" && effect.text ? ["", "---", "", effect.text] : [])].join("\n");
}

/**
 * Whether a member may amend this proposal (docs/decisions/029), with the objections standing:
 * the rule in governance/rules.ts applied to this proposal and member.
 */
function amendState(proposal: NonNullable<ReturnType<typeof getProposal>>, memberId: string | null, now: number) {
  const eligible = new Set(eligibleMembers(proposal, now));
  const objections = positionsOf(proposal.id).filter((p) => p.position === "object" && eligible.has(p.memberId));
  const refusal = memberId
    ? amendRefusal(
        { kind: proposal.kind, closed: !!proposal.closedAt || now >= proposal.deadline.getTime(), objections: objections.length },
        { eligible: eligible.has(memberId) || mayTakePart(proposal, memberId, now), proposer: proposal.openedBy === memberId, held: isHeld(memberId) },
      )
    : "not-eligible";
  return { refusal, objections, eligible };
}

/** The amend form's page (/proposals/:id/amend), or why this member may not amend it now. */
export function amendPage(id: number, member: { id: string }, names: NameViewer) {
  closeIfDue(id);
  const proposal = getProposal(id);
  if (!proposal) return { status: 404 as const };
  const hidden = listProposals({ id, viewerId: member.id })[0]?.hidden ?? true;
  const { refusal, objections } = amendState(proposal, member.id, Date.now());
  if (hidden || refusal === "not-eligible") return { status: 403 as const, message: proposal.scope === "network" ? ("proposal.noVoice" as const) : ("proposal.notParticipant" as const) };
  if (refusal === "closed") return { status: 409 as const, message: "proposal.closed" as const };
  if (refusal) return { status: 409 as const, message: "proposal.amend.noObjection" as const };
  return {
    status: 200 as const,
    proposal: {
      id: proposal.id,
      title: proposal.title,
      body: proposal.body,
      version: proposal.version,
      rulesText: proposal.effect?.type === "rules" ? proposal.effect.text : null,
      deadline: proposal.deadline.getTime(),
    },
    objections: objections.map((p) => ({ name: publicName({ id: p.memberId, displayName: p.displayName, organisation: p.organisation, visibility: p.visibility }, names).displayName, reason: p.reason })),
    minDays: governance.proposalMinDays,
  };
}

export function proposalPage(id: number, member: PageViewer, names: NameViewer) {
  // Past the deadline, or every position standing through the last call: close it now (exactly once, whoever comes first).
  closeIfDue(id);
  const proposal = getProposal(id);
  if (!proposal) return null;
  const now = Date.now();
  const positions = positionsOf(id);
  const eligibleNow = proposal.closedAt ? (proposal.outcome?.eligible ?? 0) : eligibleMembers(proposal, now).length;
  const mine = member ? positions.find((p) => p.memberId === member.id) : undefined;
  const effect = proposal.effect;
  const initiative = proposal.initiativeId ? getInitiative(proposal.initiativeId) : null;
  // About a hidden initiative: its text stays with members with a voice, its hosts and its opener.
  const hidden = listProposals({ id, viewerId: member?.id ?? null })[0]?.hidden ?? true;
  // A proposal about a held member, and who responded, name people as this viewer may see them.
  const naming = proposalNaming([proposal.id], names);
  const person = (id: string | null, displayName: string | null, organisation: string | null, visibility: string | null) =>
    id && displayName ? publicName({ id, displayName, organisation: organisation ?? "", visibility: visibility ?? "members" }, names) : null;
  return {
    proposal: {
      id: proposal.id,
      hidden,
      title: hidden ? "" : naming.title(proposal.id, proposal.title),
      bodyHtml: hidden ? "" : renderMarkdown(naming.text(proposal.id, proposal.title, proposal.body)),
      scope: proposal.scope,
      kind: proposal.kind,
      fallbackOf: proposal.fallbackOf,
      openedBySystem: proposal.openedBy === null,
      openedAt: proposal.openedAt.getTime(),
      deadline: proposal.deadline.getTime(),
      closed: !!proposal.closedAt,
      outcome: proposal.outcome,
      statement: hidden ? null : proposal.statement,
      // Every earlier version of the outcome statement stays readable, with its author (governance.md §3).
      statementHistory: hidden ? [] : statementHistory(proposal.id).slice(1).map((v) => ({ id: v.id, text: v.text, at: v.at, name: person(v.member_id, v.display_name, v.organisation, v.profile_visibility)?.displayName ?? null })),
      initiative: initiative ? { id: initiative.id, title: hidden ? "" : initiative.title } : null,
      effect: effect
        ? {
            type: effect.type,
            diff: effect.type === "rules" ? diffLines(currentRulesBefore(proposal.id), effect.text) : null,
            merge: effect.type === "merge-organisations" ? mergeNames(effect.fromId, effect.intoId) : null,
          }
        : null,
    },
    positions: positions.map((p) => {
      const shown = person(p.memberId, p.displayName, p.organisation, p.visibility);
      return { memberId: shown?.id ?? null, displayName: shown?.displayName ?? "", position: p.position, reason: hidden ? "" : p.reason };
    }),
    options: positionsFor(proposal.kind),
    quorum: quorum(eligibleNow),
    eligible: eligibleNow,
    loggedIn: !!member,
    mayTakePart: !!member && mayTakePart(proposal, member.id, now),
    hasVoice: !!member && voiceSnapshot(now).hasVoice(member.id),
    mine: mine ? { position: mine.position, reason: mine.reason } : null,
    ...proposalChanges(proposal, member, names, hidden, now, naming),
  };
}

/** Versions, earlier positions, the discussion, closing early and amending: what issue 17 added to the page. */
function proposalChanges(proposal: NonNullable<ReturnType<typeof getProposal>>, member: PageViewer, names: NameViewer, hidden: boolean, now: number, naming: ReturnType<typeof proposalNaming>) {
  const viewer = { ...names, hasVoice: !!member && voiceSnapshot(now).hasVoice(member.id) };
  const stored = versionsOf(proposal.id);
  const nameOf = (memberId: string | null, displayName: string | null, organisation: string | null, visibility: string | null) =>
    memberId && displayName ? publicName({ id: memberId, displayName, organisation: organisation ?? "", visibility: visibility ?? "members" }, names).displayName : null;
  const versions: ProposalVersionView[] = hidden
    ? []
    : stored.map((v, i) => ({
        version: v.version,
        // A proposal about a member names them as the viewer may see them, in every version too.
        title: naming.title(proposal.id, v.title),
        answers: naming.text(proposal.id, proposal.title, v.answers),
        name: nameOf(v.member_id, v.display_name, v.organisation, v.profile_visibility),
        at: v.at,
        diff: i > 0 ? boundedDiff(naming.text(proposal.id, proposal.title, versionText(stored[i - 1])), naming.text(proposal.id, proposal.title, versionText(v))) : null,
      }));
  const earlierRows = earlierPositions(proposal.id);
  const earlierNames = new Map(
    [...new Set(earlierRows.map((p) => p.memberId))].map((memberId) => {
      const row = db().get<{ display_name: string; organisation: string; profile_visibility: string; deleted_at: number | null } | undefined>(sql`SELECT display_name, organisation, profile_visibility, deleted_at FROM members WHERE id = ${memberId}`);
      return [memberId, row && !row.deleted_at ? nameOf(memberId, row.display_name, row.organisation, row.profile_visibility) : null] as const;
    }),
  );
  const earlier: EarlierPosition[] = earlierRows.map((p) => ({ version: p.version, displayName: earlierNames.get(p.memberId) ?? "", position: p.position, reason: hidden ? "" : p.reason }));
  const open = !proposal.closedAt;
  const amend = member && open ? amendState(proposal, member.id, now) : null;
  const early = open ? earlyState(proposal, now) : null;
  return {
    version: proposal.version,
    versions,
    earlierPositions: earlier,
    closedEarly: !!proposal.closedAt && proposal.closedAt < proposal.deadline ? governance.proposalLastCallHours : null,
    lastCallEndsAt: early,
    objectionStands: !!amend && amend.objections.length > 0,
    discussion: hidden ? [] : proposalDiscussion(proposal.id, viewer),
    // The house rules a flag names, for those who may flag.
    flagRules: viewer.hasVoice ? currentRuleHeadings() : [],
    can: {
      comment: !!member && !hidden && !proposalCommentRefusal(proposal.id, member.id, now),
      amend: !!amend && amend.refusal === null,
    },
    held: !!member && isHeld(member.id),
  };
}

/** When the last call ends, while every eligible member has responded and nothing blocks closing early. */
function earlyState(proposal: NonNullable<ReturnType<typeof getProposal>>, now: number) {
  const eligible = new Set(eligibleMembers(proposal, now));
  const standing = positionsOf(proposal.id).filter((p) => eligible.has(p.memberId));
  const lastChangeAt = standing.length ? Math.max(...standing.map((p) => p.updatedAt.getTime())) : null;
  const state = earlyCloseState({ kind: proposal.kind, eligible: eligible.size, responded: standing.length, objections: standing.filter((p) => p.position === "object").length, lastChangeAt, deadline: proposal.deadline.getTime(), now });
  return state === "last-call" && lastChangeAt !== null ? lastCallEndsAt(lastChangeAt) : null;
}

/** Initiatives the member takes part in (attended, signed up) or hosts, for initiative proposals; and their hosts. */
function initiativesOf(memberId: string) {
  const rows = db().all<{ id: number; title: string }>(sql`
    SELECT DISTINCT i.id, i.title FROM initiatives i
    WHERE i.id IN (SELECT initiative_id FROM hosts WHERE member_id = ${memberId})
       OR i.id IN (SELECT s.initiative_id FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE r.member_id = ${memberId} AND (r.status IN ('registered', 'waitlisted') OR r.attended_at IS NOT NULL) AND r.unseen_at IS NULL)
    ORDER BY i.title`);
  const hostRows = db().all<{ initiative_id: number; member_id: string; display_name: string }>(sql`
    SELECT h.initiative_id, h.member_id, m.display_name FROM hosts h JOIN members m ON m.id = h.member_id`);
  return rows.map((r) => ({ ...r, hosts: hostRows.filter((h) => h.initiative_id === r.id).map((h) => ({ id: h.member_id, name: h.display_name })) }));
}

/**
 * The new-proposal form. Without a voice a member can only propose for an initiative they take
 * part in, so that is the choice the form starts with; a founder's voice starts once their account
 * is a day old while the network starts up (governance.md §1), and the form says when.
 */
export function newProposalPage(memberId: string, params: URLSearchParams, now = Date.now()) {
  const snapshot = voiceSnapshot(now);
  const hasVoice = snapshot.hasVoice(memberId);
  const voiceFrom = founderVoiceFrom(memberId, now);
  const preset = { effect: params.get("effect") ?? "none", initiativeId: params.get("initiative") ?? "", hostId: params.get("host") ?? "" };
  return {
    hasVoice,
    voiceFrom,
    initiatives: initiativesOf(memberId),
    rulesText: currentRules().text,
    preset,
    scope: preset.initiativeId || !hasVoice ? ("initiative" as const) : ("network" as const),
  };
}
