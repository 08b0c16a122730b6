// A proposal's page (/proposals/:id) as this viewer may see it; a proposal past its deadline is
// closed on the way (exactly once, whoever comes first).
import { proposalNaming, publicName, type NameViewer } from "./names.server";
import { currentRules, rulesHistory, closeProposal, eligibleMembers, getProposal, listProposals, mayTakePart, statementHistory, positionsOf } from "./proposals.server";
import type { PageViewer } from "./session-page.server";
import { positionsFor, quorum } from "~/governance/rules";
import { diffLines } from "~/lib/diff";
import { renderMarkdown } from "~/lib/markdown.server";
import { getInitiative } from "./initiatives.server";
import { voiceSnapshot } from "./voice.server";
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

export function proposalPage(id: number, member: PageViewer, names: NameViewer) {
  let proposal = getProposal(id);
  if (!proposal) return null;
  // Past the deadline: close it now (exactly once, whoever comes first).
  if (!proposal.closedAt && proposal.deadline <= new Date() && closeProposal(id)) proposal = getProposal(id)!;
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
    hasVoice: !!member && voiceSnapshot(now).voices.has(member.id),
    mine: mine ? { position: mine.position, reason: mine.reason } : null,
  };
}
