// "Hosts keep their own initiative civil from day one" (governance.md §4): a current host (not
// held) hides a comment on their own initiative, naming the house rule it breaks; logged. The
// author can ask the network to restore it: a network majority proposal "restore or keep hidden"
// with the restore-content effect, at most one open per comment.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { governance } from "~/governance/config";
import { db } from "~/lib/db.server";
import { requiredText } from "~/lib/forms";
import { translate, type MessageKey } from "~/lib/i18n";
import type { ContributionModeration, ItemModeration } from "./hosts.types";
import { actingHost, canActAsHost } from "./host-rights.server";
import { editWaiting } from "./hidden-edits.server";
import { HeldMemberError, NotAHostError } from "./errors.server";
import { appendLog, loggedSince } from "./log.server";
import { currentRuleHeadings, isHouseRule, openProposal } from "./proposals.server";
import { memberHasVoice } from "./voice.server";

export class HostModerationRefusedError extends Error {
  constructor(
    public messageKey: MessageKey,
    public status = 403,
    public params?: Record<string, number>,
  ) {
    super(messageKey);
  }
}

/** The host's hide form: one house rule, as the flag form names it. */
export const hideCommentInput = z.object({ rule: requiredText(120, "hosts.hide.unknownRule", "hosts.hide.unknownRule") });

type CommentRow = { id: number; initiative_id: number; member_id: string; hidden_at: number | null; hidden_rule: string | null; hidden_by: string | null; title: string };

function commentRow(id: number) {
  return db().get<CommentRow | undefined>(sql`
    SELECT c.id, c.initiative_id, c.member_id, c.hidden_at, c.hidden_rule, c.hidden_by, i.title
    FROM comments c JOIN initiatives i ON i.id = c.initiative_id WHERE c.id = ${id}`);
}

/** Where the comment is shown, for the redirect after an action on it. */
export function commentPage(id: number): string | null {
  const row = commentRow(id);
  return row ? `/initiatives/${row.initiative_id}#comment-${id}` : null;
}

/** A host hides a comment on their own initiative at once, naming the rule. */
export function hideCommentAsHost(commentId: number, hostId: string, rule: string, now = new Date()) {
  if (!isHouseRule(rule)) throw new HostModerationRefusedError("hosts.hide.unknownRule", 400);
  return db().transaction((tx) => {
    const row = tx.get<CommentRow | undefined>(sql`SELECT id, initiative_id, member_id, hidden_at, hidden_rule, hidden_by, '' AS title FROM comments WHERE id = ${commentId}`);
    if (!row) throw new HostModerationRefusedError("hosts.hide.notFound", 404);
    try {
      actingHost(tx, row.initiative_id, hostId);
    } catch (error) {
      if (error instanceof HeldMemberError) throw new HostModerationRefusedError("hosts.hide.held");
      if (error instanceof NotAHostError) throw new HostModerationRefusedError("hosts.hide.notHost");
      throw error;
    }
    // Hiding one's own comment would let one account ask the network, as its author, to restore
    // it: a network proposal, mailed to every member with a voice, opened by a fresh account.
    if (row.member_id === hostId) throw new HostModerationRefusedError("hosts.hide.own");
    if (row.hidden_at) throw new HostModerationRefusedError("hosts.hide.already", 409);
    tx.run(sql`UPDATE comments SET hidden_at = ${now.getTime()}, hidden_rule = ${rule}, hidden_by = ${hostId} WHERE id = ${commentId}`);
    tx.run(sql`UPDATE hosts SET last_action_at = ${now.getTime()} WHERE initiative_id = ${row.initiative_id} AND member_id = ${hostId}`);
    appendLog(tx, { action: "content.hidden-by-host", actorId: hostId, subjectType: "initiative", subjectId: row.initiative_id, detail: { target: "comment", targetId: commentId, rule }, at: now });
    return { initiativeId: row.initiative_id };
  }, { behavior: "immediate" });
}

function openRestoreProposal(commentId: number): number | null {
  return (
    db().get<{ id: number } | undefined>(sql`
      SELECT id FROM proposals WHERE closed_at IS NULL AND json_extract(effect, '$.type') = 'restore-content'
        AND json_extract(effect, '$.targetType') = 'comment' AND json_extract(effect, '$.targetId') = ${String(commentId)}
      ORDER BY id LIMIT 1`)?.id ?? null
  );
}

/**
 * The author of a comment a host hid asks the network to restore it. The proposal is opened by
 * the system on their request (an author without a voice could not open a network proposal), and
 * the request is logged with the author as actor.
 */
export function askNetworkToRestore(commentId: number, authorId: string, now = new Date()): number {
  const row = commentRow(commentId);
  if (!row) throw new HostModerationRefusedError("hosts.hide.notFound", 404);
  if (row.member_id !== authorId) throw new HostModerationRefusedError("hosts.restore.notAuthor");
  if (!row.hidden_at || !row.hidden_by) throw new HostModerationRefusedError("hosts.restore.notHostHidden", 409);
  // Checked and opened without an await in between: no second request can come between them.
  if (openRestoreProposal(commentId)) throw new HostModerationRefusedError("hosts.restore.open", 409);
  if (!memberHasVoice(authorId, now.getTime())) {
    const asked = loggedSince("content.restore-requested", authorId, now.getTime() - governance.newcomerRestoreDays * 86_400_000);
    if (asked >= governance.newcomerRestoreRequests) throw new HostModerationRefusedError("hosts.restore.limit", 429, { n: governance.newcomerRestoreRequests, days: governance.newcomerRestoreDays });
  }
  const params = { title: row.title, rule: row.hidden_rule ?? "" };
  const proposalId = openProposal(
    {
      scope: "network",
      initiativeId: null,
      kind: "majority",
      title: translate("nl", "hosts.restore.proposalTitle", params).slice(0, 160),
      body: `${translate("nl", "hosts.restore.proposalBody", params)}\n\n[Bekijk de reactie](/initiatives/${row.initiative_id}#comment-${commentId})`,
      days: governance.proposalDefaultDays,
      effect: { type: "restore-content", targetType: "comment", targetId: String(commentId) },
    },
    null,
    now,
  );
  db().transaction((tx) => {
    appendLog(tx, { action: "content.restore-requested", actorId: authorId, subjectType: "proposal", subjectId: proposalId, detail: { target: "comment", targetId: commentId }, at: now });
  });
  return proposalId;
}

/**
 * What the lists of outcomes and comments show beyond the content itself: who may hide, the
 * rules to choose from, a host's hiding with the author's way back, and edits waiting for
 * acceptance.
 */
export function contributionModeration(
  initiativeId: number,
  items: { kind: "outcome" | "comment"; id: number; mine: boolean; hidden: unknown }[],
  viewer: { memberId: string | null; hasVoice: boolean },
): ContributionModeration {
  const mayHide = !!viewer.memberId && canActAsHost(initiativeId, viewer.memberId);
  const hiddenBy = new Map(
    db()
      .all<{ id: number; hidden_by: string | null }>(sql`SELECT id, hidden_by FROM comments WHERE initiative_id = ${initiativeId} AND hidden_at IS NOT NULL`)
      .map((r) => [r.id, r.hidden_by]),
  );
  const byItem: Record<string, ItemModeration> = {};
  for (const item of items) {
    const byHost = item.kind === "comment" && !!hiddenBy.get(item.id);
    const proposalId = byHost ? openRestoreProposal(item.id) : null;
    byItem[`${item.kind}-${item.id}`] = {
      hiddenByHost: byHost,
      restoreProposalId: proposalId,
      mayAskRestore: byHost && item.mine && proposalId === null,
      waiting: item.hidden ? editWaiting(item.kind, item.id, viewer) : null,
      canHide: mayHide && item.kind === "comment" && !item.hidden && !item.mine,
    };
  }
  return { hideRules: mayHide ? currentRuleHeadings() : [], items: byItem };
}
