// The methods an outcome names (outcome_methods): those the initiative's sessions used. Kept apart
// from methods.server.ts so that posting an outcome needs nothing of the method library.
import { sql } from "drizzle-orm";
import { outcomeMethods } from "../../db/schema";
import type { Db } from "../../db/client";
import { db } from "~/lib/db.server";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

const maxNamed = 10;

/** Methods an outcome of this initiative may name: attached to one of its sessions, not hidden. */
export function methodsOfInitiativeSessions(reader: Pick<Db, "all">, initiativeId: number) {
  return reader.all<{ id: number; title: string }>(sql`
    SELECT DISTINCT m.id, m.title FROM session_methods sm JOIN sessions s ON s.id = sm.session_id JOIN methods m ON m.id = sm.method_id
    WHERE s.initiative_id = ${initiativeId} AND s.cancelled_at IS NULL AND m.hidden_at IS NULL
    ORDER BY m.title COLLATE NOCASE`);
}

/** The method ids ticked on an outcome form: at most 10 distinct ids, or null when the form was tampered with. */
export function outcomeMethodIds(values: FormDataEntryValue[]): number[] | null {
  if (values.length > maxNamed * 2) return null;
  const ids = new Set<number>();
  for (const v of values) {
    if (typeof v !== "string" || !/^[1-9]\d{0,15}$/.test(v)) return null;
    ids.add(Number(v));
  }
  return ids.size > maxNamed ? null : [...ids];
}

/** Whether an outcome of the initiative may name these methods: each one its sessions used. */
export function mayNameMethods(reader: Pick<Db, "all">, initiativeId: number, methodIds: number[]) {
  if (!methodIds.length) return true;
  const allowed = new Set(methodsOfInitiativeSessions(reader, initiativeId).map((m) => m.id));
  return methodIds.every((id) => allowed.has(id));
}

/** Records the methods an outcome names, inside the posting transaction (after mayNameMethods). */
export function nameMethodsInOutcome(tx: Tx, outcomeId: number, methodIds: number[]) {
  if (!methodIds.length) return;
  tx.insert(outcomeMethods).values(methodIds.map((methodId) => ({ outcomeId, methodId }))).onConflictDoNothing().run();
}

/** The methods each outcome names, by outcome id; hidden ones only when `withHidden`. */
export function methodsOfOutcomes(outcomeIds: number[], withHidden: boolean): Map<number, { id: number; title: string }[]> {
  const byOutcome = new Map<number, { id: number; title: string }[]>();
  if (!outcomeIds.length) return byOutcome;
  const rows = db().all<{ outcome_id: number; id: number; title: string }>(sql`
    SELECT om.outcome_id, m.id, m.title FROM outcome_methods om JOIN methods m ON m.id = om.method_id
    WHERE om.outcome_id IN (${sql.join(outcomeIds.map((id) => sql`${id}`), sql`, `)}) ${withHidden ? sql`` : sql`AND m.hidden_at IS NULL`}
    ORDER BY m.title COLLATE NOCASE`);
  for (const r of rows) {
    const list = byOutcome.get(r.outcome_id) ?? [];
    list.push({ id: r.id, title: r.title });
    byOutcome.set(r.outcome_id, list);
  }
  return byOutcome;
}

