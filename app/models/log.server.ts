// The public log (governance.md §7): one entry per governance action, append-only.
import { sql } from "drizzle-orm";
import { logEntries } from "../../db/schema";
import { db } from "~/lib/db.server";
import type { Db } from "../../db/client";

export type LogAction =
  | "initiative.created"
  | "initiative.edited"
  | "session.added"
  | "session.changed"
  | "session.cancelled"
  | "attendance.checked-in"
  | "attendance.marked"
  | "attendance.unmarked"
  | "attendance.withdrawn"
  | "attendance.unseen"
  | "attendance.seen"
  | "attendance.struck"
  | "voice.started"
  | "voice.held-back"
  | "voice.voided"
  | "founder.invited"
  | "founder.accepted"
  | "founder.confirmed"
  | "founder.joined"
  | "governance.upgraded"
  | "bootstrap.ended"
  | "bootstrap.resumed"
  | "host.joined"
  | "host.requested"
  | "host.accepted"
  | "host.declined"
  | "host.stepped-back"
  | "host.step-back-undone"
  | "host.lapsed"
  | "host.removed"
  | "proposal.opened"
  | "proposal.closed"
  | "proposal.amended"
  | "proposal.statement"
  | "flag.threshold-reached"
  | "content.hidden"
  | "content.restored"
  | "content.kept-hidden"
  | "content.hidden-by-host"
  | "content.edited-while-hidden"
  | "content.edit-accepted"
  | "content.restore-requested"
  | "posting.held"
  | "posting.restored"
  | "rules.changed"
  | "organisation.merged";

export type LogInput = {
  action: LogAction;
  actorId: string | null;
  subjectType: "initiative" | "session" | "member" | "proposal" | "rules" | "network" | "organisation" | "method";
  subjectId: string | number;
  detail?: Record<string, unknown>;
  at?: Date;
};

type Writer = Pick<Db, "insert">;

/**
 * How many times `actorId` did `action` since `since` (ms), by the public log: what newcomers'
 * limits count, which a restart cannot reset. Read in `reader` (a write transaction) when given.
 */
export function loggedSince(action: string, actorId: string, since: number, reader: Pick<Db, "get"> = db()): number {
  return reader.get<{ n: number }>(sql`SELECT count(*) AS n FROM log_entries WHERE action = ${action} AND actor_id = ${actorId} AND at > ${since}`).n;
}

/** Appends one entry; pass the transaction so the entry commits with the action it records. */
export function appendLog(tx: Writer, entry: LogInput) {
  tx.insert(logEntries)
    .values({
      at: entry.at ?? new Date(),
      action: entry.action,
      actorId: entry.actorId,
      subjectType: entry.subjectType,
      subjectId: String(entry.subjectId),
      detail: entry.detail ?? null,
    })
    .run();
}

import type { LogGroup } from "~/lib/log-groups";
import { proposalNaming, shownName, visitor, type NameViewer } from "./names.server";

/**
 * SQL: the proposal row `alias` is about a hidden initiative: on it, or deciding on one of its
 * hosts, or on it or one of its outcomes or comments being restored.
 */
export function proposalOnHiddenInitiative(alias: string) {
  const p = sql.raw(alias);
  const target = sql`CAST(json_extract(${p}.effect, '$.targetId') AS INTEGER)`;
  return sql`EXISTS (SELECT 1 FROM initiatives hidden_i WHERE hidden_i.hidden_at IS NOT NULL AND hidden_i.id IN (
    ${p}.initiative_id,
    CASE json_extract(${p}.effect, '$.type') WHEN 'remove-host' THEN json_extract(${p}.effect, '$.initiativeId') END,
    CASE WHEN json_extract(${p}.effect, '$.type') = 'restore-content' THEN CASE json_extract(${p}.effect, '$.targetType')
      WHEN 'initiative' THEN ${target}
      WHEN 'outcome' THEN (SELECT initiative_id FROM outcomes WHERE id = ${target})
      WHEN 'comment' THEN (SELECT initiative_id FROM comments WHERE id = ${target})
    END END))`;
}

export type LogListEntry = {
  id: number;
  at: number;
  action: string;
  actorId: string | null;
  actorName: string | null;
  subjectType: string;
  subjectId: string;
  subjectTitle: string | null;
  detail: Record<string, unknown> | null;
};

/**
 * The public log, newest first, filtered by group of actions and/or subject, keyset-paged. Members
 * in it (who acted, whom it is about, a held member's proposal) are named as `viewer` may see them.
 */
export function listLog(filter: { group?: LogGroup; subjectType?: string; subjectId?: string; before?: number; limit?: number } = {}, viewer: NameViewer = visitor): LogListEntry[] {
  const where = [sql`1`];
  if (filter.group) where.push(sql`l.action LIKE ${filter.group + ".%"}`);
  if (filter.subjectType) where.push(sql`l.subject_type = ${filter.subjectType}`);
  if (filter.subjectId) where.push(sql`l.subject_id = ${filter.subjectId}`);
  if (filter.before) where.push(sql`l.id < ${filter.before}`);
  const rows = db().all<{
    id: number; at: number; action: string; actor_id: string | null; actor_name: string | null; actor_organisation: string | null; actor_visibility: string | null;
    subject_type: string; subject_id: string; subject_title: string | null; subject_organisation: string | null; subject_visibility: string | null; subject_hidden: number | null; detail: string | null;
  }>(sql`
    SELECT id, at, action, actor_id, actor_name, actor_organisation, actor_visibility, subject_type, subject_id, detail, subject_hidden,
      CASE WHEN subject_hidden THEN '—' ELSE subject_title END AS subject_title, subject_organisation, subject_visibility
    FROM (
      SELECT l.id, l.at, l.action, l.actor_id, CASE WHEN m.deleted_at IS NULL THEN m.display_name END AS actor_name,
        m.organisation AS actor_organisation, m.profile_visibility AS actor_visibility, l.subject_type, l.subject_id, l.detail,
        CASE l.subject_type
          WHEN 'initiative' THEN (SELECT title FROM initiatives WHERE id = l.subject_id)
          WHEN 'session' THEN (SELECT i.title FROM sessions s JOIN initiatives i ON i.id = s.initiative_id WHERE s.id = l.subject_id)
          WHEN 'proposal' THEN (SELECT title FROM proposals WHERE id = l.subject_id)
          WHEN 'member' THEN (SELECT CASE WHEN deleted_at IS NULL THEN display_name ELSE '—' END FROM members WHERE id = l.subject_id)
          WHEN 'organisation' THEN (SELECT name FROM organisations WHERE slug = l.subject_id)
          WHEN 'method' THEN (SELECT title FROM methods WHERE id = l.subject_id)
        END AS subject_title,
        CASE l.subject_type WHEN 'member' THEN (SELECT organisation FROM members WHERE id = l.subject_id) END AS subject_organisation,
        CASE l.subject_type WHEN 'member' THEN (SELECT profile_visibility FROM members WHERE id = l.subject_id) END AS subject_visibility,
        CASE l.subject_type
          WHEN 'initiative' THEN (SELECT hidden_at IS NOT NULL FROM initiatives WHERE id = l.subject_id)
          WHEN 'session' THEN (SELECT i.hidden_at IS NOT NULL FROM sessions s JOIN initiatives i ON i.id = s.initiative_id WHERE s.id = l.subject_id)
          WHEN 'proposal' THEN (SELECT ${proposalOnHiddenInitiative("p")} FROM proposals p WHERE p.id = l.subject_id)
          WHEN 'method' THEN (SELECT hidden_at IS NOT NULL FROM methods WHERE id = l.subject_id)
        END AS subject_hidden
      FROM log_entries l LEFT JOIN members m ON m.id = l.actor_id
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY l.id DESC
      LIMIT ${filter.limit ?? 50}
    )
    ORDER BY id DESC`);
  const proposals = proposalNaming(rows.filter((r) => r.subject_type === "proposal").map((r) => Number(r.subject_id)), viewer);
  const named = (id: string, name: string | null, organisation: string | null, visibility: string | null) =>
    name === null ? null : shownName({ id, displayName: name, organisation: organisation ?? "", visibility: visibility ?? "members" }, viewer);
  return rows.map((r) => {
    const proposalId = r.subject_type === "proposal" ? Number(r.subject_id) : null;
    const subjectTitle =
      r.subject_type === "member" && r.subject_title !== null && r.subject_title !== "—"
        ? named(r.subject_id, r.subject_title, r.subject_organisation, r.subject_visibility)
        : proposalId !== null && r.subject_title !== null && !r.subject_hidden
          ? proposals.title(proposalId, r.subject_title)
          : r.subject_title;
    const detail = r.detail ? publicDetail(JSON.parse(r.detail) as Record<string, unknown>, !!r.subject_hidden) : null;
    // The title a proposal had when it opened or closed names a held member too.
    if (detail && proposalId !== null && typeof detail.title === "string") detail.title = proposals.title(proposalId, detail.title);
    return {
      id: r.id,
      at: r.at,
      action: r.action,
      actorId: r.actor_id,
      actorName: r.actor_id ? named(r.actor_id, r.actor_name, r.actor_organisation, r.actor_visibility) : null,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      subjectTitle,
      detail,
    };
  });
}

// Details of hidden content keep their counts and rules but not the titles they recorded.
function publicDetail(detail: Record<string, unknown>, hidden: boolean) {
  if (!hidden) return { ...detail };
  const rest = { ...detail };
  delete rest.title;
  // An amendment records the positions it cleared, with their reasons: text of the hidden proposal.
  delete rest.positions;
  return rest;
}
