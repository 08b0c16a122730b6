// Moderation without moderators (governance.md §4): members with a voice flag content that
// breaks a house rule; at the threshold it is hidden (or a member's posting held) inside the
// same transaction as the flag that reached it.
import { and, eq, isNull, sql } from "drizzle-orm";
import { flags, initiatives, members, methods } from "../../db/schema";
import { governance } from "~/governance/config";
import { reachesThreshold } from "~/governance/rules";
import { db } from "~/lib/db.server";
import { textField } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { contributionExists, hideContribution } from "./contributions.server";
import { appendLog } from "./log.server";
import { isHouseRule, openProposal } from "./proposals.server";
import { voiceSnapshot } from "./voice.server";
import { noteEditWhileHidden, withdrawAcceptanceByFlag } from "./hidden-edits.server";

export const flagLimits = { rule: 120, reason: 1000 } as const;

/**
 * The rule and reason of a flag form, or the message why they cannot be taken as they are and the
 * field it concerns (a rule longer than any house rule is not one from the list).
 */
export function flagInput(formData: FormData): { rule: string; reason: string; message?: undefined } | { message: MessageKey; field: "rule" | "reason" } {
  const rule = textField(formData, "rule");
  const reason = textField(formData, "reason");
  if (!rule) return { message: "flag.rule.required", field: "rule" };
  if (rule.length > flagLimits.rule) return { message: "flag.unknownRule", field: "rule" };
  if (!reason) return { message: "flag.reason.required", field: "reason" };
  if (reason.length > flagLimits.reason) return { message: "flag.reason.tooLong", field: "reason" };
  return { rule, reason };
}

export type FlagTarget = { type: "initiative" | "member" | "outcome" | "comment" | "proposal-comment" | "method"; id: string };

export class FlagRefusedError extends Error {
  constructor(public messageKey: "flag.noVoice" | "flag.notWitness" | "flag.notFound" | "flag.self" | "flag.unknownRule" | "flag.memberLimit", public status = 403) {
    super(messageKey);
  }
}

function standingFlags(target: FlagTarget) {
  return db()
    .select()
    .from(flags)
    .where(and(eq(flags.targetType, target.type), eq(flags.targetId, target.id), isNull(flags.clearedAt)))
    .all();
}

/** The rule named most often among the standing flags (shown in the hidden notice). */
function mostNamedRule(rows: { rule: string }[]) {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.rule, (counts.get(r.rule) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "";
}

export type FlagResult = { hidden: boolean; held: boolean; proposalId: number | null };

// What the restore proposal of a page hidden a second time says; the hidden title itself stays
// out of public lists.
const pageWords = {
  initiative: { table: initiatives, title: "initiatief", body: "Dit initiatief is voor de tweede keer verborgen na meldingen (regel: {rule}). Stem **voor** om het terug te zetten, **tegen** om het verborgen te laten.\n\n[Bekijk het initiatief](/initiatives/{id})" },
  method: { table: methods, title: "werkvorm", body: "Deze werkvorm is voor de tweede keer verborgen na meldingen (regel: {rule}). Stem **voor** om hem terug te zetten, **tegen** om hem verborgen te laten.\n\n[Bekijk de werkvorm](/methods/{id})" },
} as const;

/** Hides an initiative or a method at the threshold; hidden a second time, the network decides whether to restore it. */
function hidePage(tx: Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0], type: "initiative" | "method", id: number, hiddenRule: string, flaggersWithVoice: number, now: Date): FlagResult {
  const words = pageWords[type];
  const row = tx.select({ hiddenAt: words.table.hiddenAt, timesHidden: words.table.timesHidden }).from(words.table).where(eq(words.table.id, id)).get()!;
  if (row.hiddenAt) return { hidden: true, held: false, proposalId: null };
  const times = row.timesHidden + 1;
  tx.update(words.table).set({ hiddenAt: now, hiddenRule, timesHidden: times }).where(eq(words.table.id, id)).run();
  appendLog(tx, { action: "flag.threshold-reached", actorId: null, subjectType: type, subjectId: id, detail: { flags: flaggersWithVoice, rule: hiddenRule }, at: now });
  appendLog(tx, { action: "content.hidden", actorId: null, subjectType: type, subjectId: id, detail: { rule: hiddenRule, times }, at: now });
  const proposalId =
    times >= 2
      ? openProposal(
          {
            scope: "network",
            initiativeId: null,
            kind: "majority",
            title: `Terugzetten of verborgen laten: ${words.title} ${id}`,
            body: words.body.replace("{rule}", () => hiddenRule).replace("{id}", () => String(id)),
            days: governance.proposalDefaultDays,
            effect: { type: "restore-content", targetType: type, targetId: String(id) },
          },
          null,
          now,
        )
      : null;
  return { hidden: true, held: false, proposalId };
}

export function flag(target: FlagTarget, memberId: string, rule: string, reason: string, now = new Date()): FlagResult {
  // Voices do not change by flagging, so the (cached) replay is read before the transaction;
  // better-sqlite3 runs both without anything in between.
  const snapshot = voiceSnapshot(now.getTime());
  // Only witnesses flag (governance.md §4): a voice held for 30 days, or a founder with one.
  if (!snapshot.hasVoice(memberId)) throw new FlagRefusedError("flag.noVoice");
  if (!snapshot.isWitness(memberId)) throw new FlagRefusedError("flag.notWitness");
  // The rule is a heading of the house rules in force, chosen from /rules.
  if (!isHouseRule(rule)) throw new FlagRefusedError("flag.unknownRule", 400);
  return db().transaction((tx) => {
    if (target.type === "member" && target.id === memberId) throw new FlagRefusedError("flag.self", 400);
    const exists =
      target.type === "outcome" || target.type === "comment" || target.type === "proposal-comment"
        ? contributionExists(tx, target.type, Number(target.id))
        : target.type === "initiative"
          ? tx.select({ id: initiatives.id }).from(initiatives).where(eq(initiatives.id, Number(target.id))).get()
          : target.type === "method"
            ? tx.select({ id: methods.id }).from(methods).where(eq(methods.id, Number(target.id))).get()
            : tx.select({ id: members.id }).from(members).where(eq(members.id, target.id)).get();
    if (!exists) throw new FlagRefusedError("flag.notFound", 404);

    // One standing flag per member per target: flagging again updates it.
    const mine = tx
      .select()
      .from(flags)
      .where(and(eq(flags.targetType, target.type), eq(flags.targetId, target.id), eq(flags.memberId, memberId), isNull(flags.clearedAt)))
      .get();
    // Members: at most `memberFlagsPerWeek` others in any 7 days (flagging the same one again updates it).
    // Counted inside the write transaction, so flags sent at once cannot pass the limit together.
    if (target.type === "member" && !mine) {
      const others = tx.get<{ n: number }>(sql`
        SELECT count(DISTINCT target_id) AS n FROM flags
        WHERE member_id = ${memberId} AND target_type = 'member' AND target_id != ${target.id} AND created_at > ${now.getTime() - 7 * 86_400_000}`).n;
      if (others >= governance.memberFlagsPerWeek) throw new FlagRefusedError("flag.memberLimit", 429);
    }
    // Flagging again is a new flag: it restarts the wait of an edit of hidden content (§4).
    if (mine) tx.update(flags).set({ rule, reason, createdAt: now }).where(eq(flags.id, mine.id)).run();
    else tx.insert(flags).values({ targetType: target.type, targetId: target.id, memberId, rule, reason, createdAt: now }).run();
    withdrawAcceptanceByFlag(tx, target.type, target.id, memberId);

    const standing = standingFlags(target);
    const flaggersWithVoice = new Set(standing.filter((f) => snapshot.isWitness(f.memberId)).map((f) => f.memberId)).size;
    if (!reachesThreshold(flaggersWithVoice, snapshot.voices.size)) return { hidden: false, held: false, proposalId: null };

    const hiddenRule = mostNamedRule(standing);
    // A comment on a proposal: the same rule as comments, with the proposal as its page.
    if (target.type === "proposal-comment") {
      const hidden = hideContribution(tx, target.type, Number(target.id), hiddenRule, flaggersWithVoice, now);
      if (hidden.alreadyHidden || hidden.times < 2) return { hidden: true, held: false, proposalId: null };
      const proposalId = openProposal(
        {
          scope: "network",
          initiativeId: null,
          kind: "majority",
          title: `Terugzetten of verborgen laten: reactie bij voorstel ${hidden.page.id}`,
          body: `Deze reactie is voor de tweede keer verborgen na meldingen (regel: ${hiddenRule}). Stem **voor** om het terug te zetten, **tegen** om het verborgen te laten.\n\n[Bekijk het voorstel](/proposals/${hidden.page.id}#proposal-comment-${target.id})`,
          days: governance.proposalDefaultDays,
          effect: { type: "restore-content", targetType: target.type, targetId: target.id },
        },
        null,
        now,
      );
      return { hidden: true, held: false, proposalId };
    }
    // Outcomes and comments: the same rule as initiatives.
    if (target.type === "outcome" || target.type === "comment") {
      const hidden = hideContribution(tx, target.type, Number(target.id), hiddenRule, flaggersWithVoice, now);
      if (hidden.alreadyHidden) return { hidden: true, held: false, proposalId: null };
      const what = target.type === "outcome" ? "Deze opbrengst" : "Deze reactie";
      const proposalId =
        hidden.times >= 2
          ? openProposal(
              {
                scope: "network",
                initiativeId: null,
                kind: "majority",
                title: `Terugzetten of verborgen laten: ${target.type === "outcome" ? "opbrengst" : "reactie"} bij ${hidden.initiativeTitle}`.slice(0, 160),
                body: `${what} is voor de tweede keer verborgen na meldingen (regel: ${hiddenRule}). Stem **voor** om het terug te zetten, **tegen** om het verborgen te laten.\n\n[Bekijk het initiatief](/initiatives/${hidden.initiativeId}#${target.type}-${target.id})`,
                days: governance.proposalDefaultDays,
                effect: { type: "restore-content", targetType: target.type, targetId: target.id },
              },
              null,
              now,
            )
          : null;
      return { hidden: true, held: false, proposalId };
    }
    // Initiatives and working methods: the same rule, each with its own words in the proposal.
    if (target.type === "initiative" || target.type === "method") return hidePage(tx, target.type, Number(target.id), hiddenRule, flaggersWithVoice, now);

    const member = tx.select().from(members).where(eq(members.id, target.id)).get()!;
    if (member.postingHeldAt) return { hidden: false, held: true, proposalId: null };
    tx.update(members).set({ postingHeldAt: now, postingHeldRule: hiddenRule }).where(eq(members.id, member.id)).run();
    appendLog(tx, { action: "flag.threshold-reached", actorId: null, subjectType: "member", subjectId: member.id, detail: { flags: flaggersWithVoice, rule: hiddenRule }, at: now });
    appendLog(tx, { action: "posting.held", actorId: null, subjectType: "member", subjectId: member.id, detail: { rule: hiddenRule }, at: now });
    const proposalId = openProposal(
      {
        scope: "network",
        initiativeId: null,
        kind: "majority",
        title: `Mag ${member.displayName} weer berichten plaatsen?`.slice(0, 160),
        body: `Na meldingen (regel: ${hiddenRule}) kan ${member.displayName} tijdelijk niets plaatsen. Stem **voor** om dat op te heffen, **tegen** om het zo te laten.\n\n[Bekijk het profiel](/members/${member.id})`,
        days: governance.proposalDefaultDays,
        effect: { type: "restore-posting", memberId: member.id },
      },
      null,
      now,
    );
    return { hidden: false, held: true, proposalId };
  }, { behavior: "immediate" });
}

/** Standing flags on a target, with who flagged: for members with a voice only. */
export function flagsOn(target: FlagTarget) {
  return db().all<{ id: number; member_id: string; display_name: string; rule: string; reason: string; created_at: number }>(sql`
    SELECT f.id, f.member_id, m.display_name, f.rule, f.reason, f.created_at
    FROM flags f JOIN members m ON m.id = f.member_id
    WHERE f.target_type = ${target.type} AND f.target_id = ${target.id} AND f.cleared_at IS NULL
    ORDER BY f.created_at`);
}

/**
 * The author's one edit of a hidden initiative (governance.md §4): it stays hidden and waits for
 * acceptance (hidden-edits.server.ts). Call inside the editing transaction.
 */
export function noteInitiativeEdit(tx: Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0], initiativeId: number, editorId: string, now: Date) {
  return noteEditWhileHidden(tx, "initiative", initiativeId, editorId, now);
}
