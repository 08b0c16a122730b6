// The discussion on a proposal (issue 17): the comment rules apply — held members do not post,
// newcomers share their daily limit with comments and outcomes, witnesses flag, and at the
// threshold a comment is hidden by the same helpers as comments on initiatives.
import { editWaiting, hiddenEditRefusal, noteEditWhileHidden } from "./hidden-edits.server";
import { sql } from "drizzle-orm";
import { proposalComments } from "../../db/schema";
import { db } from "~/lib/db.server";
import { resubmitWindowMs, type Once } from "~/lib/forms";
import { renderMarkdown } from "~/lib/markdown.server";
import { ContributionRefusedError, contributionRefusal, type Viewer } from "./contributions.server";
import { listProposals } from "./proposals.server";
import { publicName } from "./names.server";
import type { ProposalCommentView } from "./proposals.types";
import { isHeld } from "./voice.server";

const kind = "proposal-comment";

/** A proposal the member may see (one about a hidden initiative is not seen by everyone). */
function visibleTo(proposalId: number, memberId: string) {
  const listed = listProposals({ id: proposalId, viewerId: memberId })[0];
  return !!listed && !listed.hidden;
}

/** Why this member may not comment on this proposal now, or null. */
export function proposalCommentRefusal(proposalId: number, memberId: string, now = Date.now()): ContributionRefusedError | null {
  if (!visibleTo(proposalId, memberId)) return new ContributionRefusedError("contribution.notFound", 404);
  return contributionRefusal(memberId, now);
}

export function postProposalComment(proposalId: number, memberId: string, input: { body: string }, now = new Date(), options: Once = {}): number {
  const visible = visibleTo(proposalId, memberId);
  // The newcomer limit is counted inside the write transaction, so parallel posts cannot pass it together.
  return db().transaction((tx) => {
    if (!visible) throw new ContributionRefusedError("contribution.notFound", 404);
    if (options.once) {
      const repeated = tx.get<{ id: number } | undefined>(sql`
        SELECT id FROM proposal_comments
        WHERE proposal_id = ${proposalId} AND member_id = ${memberId} AND body = ${input.body} AND created_at > ${now.getTime() - resubmitWindowMs}
        ORDER BY id DESC LIMIT 1`);
      if (repeated) return repeated.id;
    }
    const refusal = contributionRefusal(memberId, now.getTime());
    if (refusal) throw refusal;
    return tx.insert(proposalComments).values({ proposalId, memberId, body: input.body, createdAt: now, updatedAt: now }).returning({ id: proposalComments.id }).get().id;
  }, { behavior: "immediate" });
}

type Row = {
  id: number;
  proposal_id: number;
  member_id: string;
  body: string;
  created_at: number;
  updated_at: number;
  hidden_at: number | null;
  hidden_rule: string | null;
  times_hidden: number;
  display_name: string;
  organisation: string;
  profile_visibility: string;
  deleted_at: number | null;
};

function rows(where: ReturnType<typeof sql>) {
  return db().all<Row>(sql`
    SELECT c.id, c.proposal_id, c.member_id, c.body, c.created_at, c.updated_at, c.hidden_at, c.hidden_rule, c.times_hidden,
      m.display_name, m.organisation, m.profile_visibility, m.deleted_at
    FROM proposal_comments c JOIN members m ON m.id = c.member_id
    WHERE ${where} ORDER BY c.created_at, c.id LIMIT 1000`);
}

function toView(row: Row, viewer: Viewer): ProposalCommentView {
  const mine = !!viewer.memberId && viewer.memberId === row.member_id;
  // Hidden comments stay readable on click-through for their author and members with a voice.
  const readable = !row.hidden_at || mine || viewer.hasVoice;
  const author = row.deleted_at ? null : publicName({ id: row.member_id, displayName: row.display_name, organisation: row.organisation, visibility: row.profile_visibility }, viewer);
  return {
    id: row.id,
    author: author ? { id: author.id, displayName: author.displayName } : null,
    createdAt: row.created_at,
    edited: row.updated_at > row.created_at,
    hidden: row.hidden_at ? { rule: row.hidden_rule ?? "", times: row.times_hidden } : null,
    bodyHtml: readable ? renderMarkdown(row.body) : "",
    mine,
    canFlag: viewer.hasVoice && !mine,
    waiting: row.hidden_at ? editWaiting(kind, row.id, { memberId: viewer.memberId ?? null, hasVoice: viewer.hasVoice }) : null,
  };
}

/** The discussion of a proposal, oldest first, as this viewer may read it. */
export function proposalDiscussion(proposalId: number, viewer: Viewer): ProposalCommentView[] {
  return rows(sql`c.proposal_id = ${proposalId}`).map((r) => toView(r, viewer));
}

/** One comment with its stored text, for its edit page; null when it does not exist. */
export function getProposalComment(id: number, viewer: Viewer) {
  const row = rows(sql`c.id = ${id}`)[0];
  return row
    ? { view: toView(row, viewer), body: row.body, memberId: row.member_id, proposalId: row.proposal_id, editRefusal: hiddenEditRefusal(db(), kind, id, viewer.memberId ?? "")?.messageKey ?? null }
    : null;
}

/** The author's edit; the first time it was hidden, it waits for acceptance (the same rule as comments). */
export function editProposalComment(id: number, memberId: string, body: string, now = new Date()) {
  return db().transaction((tx) => {
    const row = tx.get<{ proposal_id: number; member_id: string } | undefined>(sql`SELECT proposal_id, member_id FROM proposal_comments WHERE id = ${id}`);
    if (!row) throw new ContributionRefusedError("contribution.notFound", 404);
    if (row.member_id !== memberId) throw new ContributionRefusedError("contribution.notAuthor", 403);
    if (isHeld(memberId, tx)) throw new ContributionRefusedError("flag.heldPosting", 403);
    const hidden = hiddenEditRefusal(tx, kind, id, memberId);
    if (hidden) throw new ContributionRefusedError(hidden.messageKey, hidden.status);
    tx.run(sql`UPDATE proposal_comments SET body = ${body}, updated_at = ${now.getTime()} WHERE id = ${id}`);
    const awaitsAcceptance = noteEditWhileHidden(tx, kind, id, memberId, now);
    return { proposalId: row.proposal_id, restored: false, awaitsAcceptance };
  }, { behavior: "immediate" });
}
