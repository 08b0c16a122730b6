// Organisations (issue 14): picking one by name, adding a new one, and merging two spellings.
// An organisation is only a name people share; adding one gives nobody a right over anything, so
// any member may add one, a few a day (organisationRules). Two spellings become one only by an
// adopted network consent proposal (applyMerge runs inside the closing transaction).
import { sql } from "drizzle-orm";
import { freeSlug, organisationKey, organisationPart } from "../../db/organisations";
import type { Db } from "../../db/client";
import { organisationRules } from "~/governance/config";
import { db } from "~/lib/db.server";
import type { FieldErrors } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import { appendLog } from "./log.server";
import { hitRateLimit } from "./rate-limits.server";
import { isHeld } from "./voice.server";

export type OrganisationRef = { id: number; name: string; slug: string };

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Reader = Pick<Db, "get" | "all">;

export class OrganisationRefusedError extends Error {
  constructor(public messageKey: MessageKey, public status = 400, public params?: Record<string, number>) {
    super(messageKey);
  }
}

/** An organisation by id, followed past merges to the one it became (null when unknown). */
export function currentOrganisation(id: number | null, reader: Reader = db()): OrganisationRef | null {
  for (let step = 0; id !== null && step < 20; step++) {
    const row = reader.get<{ id: number; name: string; slug: string; merged_into: number | null } | undefined>(sql`SELECT id, name, slug, merged_into FROM organisations WHERE id = ${id}`);
    if (!row) return null;
    if (row.merged_into === null) return { id: row.id, name: row.name, slug: row.slug };
    id = row.merged_into;
  }
  return null;
}

/** The organisation with this key (a merged one leads to the one it became). */
export function organisationByKey(key: string, reader: Reader = db()): OrganisationRef | null {
  if (!key) return null;
  const row = reader.get<{ id: number } | undefined>(sql`SELECT id FROM organisations WHERE name_key = ${key} ORDER BY merged_into IS NOT NULL, id LIMIT 1`);
  return row ? currentOrganisation(row.id, reader) : null;
}

/** Names for the pick list (<datalist>): the organisations with the most people first. */
export function organisationNames(limit = organisationRules.pickListSize): string[] {
  return db()
    .all<{ name: string }>(sql`
      SELECT o.name FROM organisations o
      WHERE o.merged_into IS NULL
      ORDER BY (SELECT count(*) FROM members m WHERE m.organisation_id = o.id AND m.deleted_at IS NULL) DESC, o.name COLLATE NOCASE
      LIMIT ${limit}`)
    .map((r) => r.name);
}

/** Slugs of organisations by name, for links from pages that know only names (the network page). */
export function slugsByName(names: string[]): Record<string, string> {
  const unique = [...new Set(names)].filter(Boolean);
  const slugs: Record<string, string> = {};
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const rows = db().all<{ name: string; slug: string }>(sql`
      SELECT name, slug FROM organisations WHERE merged_into IS NULL AND name IN (${sql.join(chunk.map((n) => sql`${n}`), sql`, `)}) ORDER BY id DESC`);
    for (const r of rows) slugs[r.name] = r.slug;
  }
  return slugs;
}

/** The number of single-character edits between two keys, or more than `max` (stops early). */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > max) return max + 1;
    previous = row;
  }
  return previous[b.length];
}

/**
 * Whether two different keys look like one organisation spelled two ways: a typo or two
 * ("lindenveen"/"lindeveen"; one for short names), one containing the other as whole words
 * ("ggz lindenveen" in "ggz lindenveen noord"), or the same first two words.
 */
export function nearDuplicate(a: string, b: string): number | null {
  if (!a || !b || a === b) return null;
  const allowed = Math.min(a.length, b.length) < 6 ? 1 : 2;
  const distance = editDistance(a, b, allowed);
  if (distance <= allowed) return distance;
  const contains = (long: string, short: string) => ` ${long} `.includes(` ${short} `);
  if (contains(a, b) || contains(b, a)) return 3;
  const [a1, a2] = a.split(" ");
  const [b1, b2] = b.split(" ");
  if (a2 && b2 && a1 === b1 && a2 === b2) return 4;
  return null;
}

/** Organisations whose names look like `name`'s, closest first. */
export function similarOrganisations(name: string, options: { exclude?: number; limit?: number } = {}): OrganisationRef[] {
  const key = organisationKey(name);
  if (!key) return [];
  const rows = db().all<{ id: number; name: string; slug: string; name_key: string }>(sql`SELECT id, name, slug, name_key FROM organisations WHERE merged_into IS NULL`);
  return rows
    .filter((r) => r.id !== options.exclude)
    .map((r) => ({ ref: { id: r.id, name: r.name, slug: r.slug }, score: nearDuplicate(key, r.name_key) }))
    .filter((r): r is { ref: OrganisationRef; score: number } => r.score !== null)
    .sort((x, y) => x.score - y.score || x.ref.name.localeCompare(y.ref.name, "nl"))
    .slice(0, options.limit ?? 5)
    .map((r) => r.ref);
}

/**
 * What a typed organisation name means. `choice` is the answer to an earlier "did you mean …?"
 * for this very text (`confirmed`): an organisation's id, or "new".
 */
export type OrganisationPick =
  | { kind: "none" }
  | { kind: "existing"; organisation: OrganisationRef; rest: string }
  | { kind: "new"; name: string; key: string; rest: string }
  | { kind: "ask"; typed: string; candidates: OrganisationRef[] };

export function pickOrganisation(typed: string, answer: { choice?: string; confirmed?: string } = {}, options: { ask?: boolean } = {}): OrganisationPick {
  if (!typed.trim()) return { kind: "none" };
  const { name, rest } = organisationPart(typed);
  const key = organisationKey(typed);
  if (!key) throw new OrganisationRefusedError("organisation.name.invalid");
  const found = organisationByKey(key);
  if (found) return { kind: "existing", organisation: found, rest };
  const answered = answer.confirmed !== undefined && answer.confirmed === typed;
  if (answered && answer.choice === "new") return { kind: "new", name, key, rest };
  if (answered && answer.choice && /^[1-9]\d{0,15}$/.test(answer.choice)) {
    const chosen = currentOrganisation(Number(answer.choice));
    if (chosen) return { kind: "existing", organisation: chosen, rest };
  }
  if (options.ask === false) return { kind: "new", name, key, rest };
  const candidates = similarOrganisations(typed);
  return candidates.length ? { kind: "ask", typed, candidates } : { kind: "new", name, key, rest };
}

/**
 * Adds an organisation (inside the caller's transaction), unless one with the key appeared
 * meanwhile. `by` null: the seed or a script, without the daily limit.
 */
export function addOrganisation(tx: Tx, name: string, key: string, by: string | null, now = Date.now()): OrganisationRef {
  const existing = organisationByKey(key, tx);
  if (existing) return existing;
  if (by) {
    // Adding a name is posting: a held member may not; and one account cannot flood the list.
    if (isHeld(by)) throw new OrganisationRefusedError("organisation.new.held", 403);
    const limit = hitRateLimit(`organisation-new:${by}`, organisationRules.newPerMemberPerDay, now);
    if (!limit.allowed) throw new OrganisationRefusedError("organisation.new.limit", 429, { n: organisationRules.newPerMemberPerDay.limit });
  }
  const slug = freeSlug(db().$client, name);
  const row = tx.get<{ id: number }>(sql`INSERT INTO organisations (slug, name, name_key, created_at) VALUES (${slug}, ${name}, ${key}, ${now}) RETURNING id`);
  return { id: row.id, name, slug };
}

/** The organisation a pick comes to (added when new), or null for none. */
export function settlePick(tx: Tx, pick: OrganisationPick, by: string | null, now = Date.now()): OrganisationRef | null {
  if (pick.kind === "none") return null;
  if (pick.kind === "existing") return pick.organisation;
  if (pick.kind === "new") return addOrganisation(tx, pick.name, pick.key, by, now);
  throw new Error("an organisation to ask about is not settled");
}

/** A team or location typed after the organisation's name goes to the member's work, if not there yet. */
export function workWithRest(work: string, rest: string, max: number) {
  return rest && !work.includes(rest) ? (work ? `${work} · ${rest}` : rest).slice(0, max) : work;
}

export type PickAnswer =
  | { ok: true; id?: number }
  | { ok: false; status: number; errors: FieldErrors; params?: Record<string, number>; ask: { typed: string; candidates: { id: number; name: string }[] } | null };

/** What a form that picks an organisation shows when it saved nothing: the question, or why not. */
export function pickRefusal(error: unknown): PickAnswer {
  if (error instanceof OrganisationRefusedError) {
    // A field's own problem stays with the field; a limit or a hold is about the whole form.
    const field = error.messageKey === "organisation.name.invalid" || error.messageKey === "organisation.name.tooLong";
    return { ok: false, status: error.status, errors: field ? { organisation: error.messageKey } : { form: error.messageKey }, params: error.params, ask: null };
  }
  throw error;
}

export function askAnswer(ask: { typed: string; candidates: OrganisationRef[] }): PickAnswer {
  return { ok: false, status: 409, errors: { organisationChoice: "organisation.ask" }, ask: { typed: ask.typed, candidates: ask.candidates.map((c) => ({ id: c.id, name: c.name })) } };
}

// Merging two spellings (a network consent proposal's effect).

/** Why a merge cannot be proposed (or applied): null when it can. */
export type MergeProblem = "organisation.merge.unknown" | "organisation.merge.same" | "organisation.merge.alreadyMerged";

export function mergeProblem(fromId: number, intoId: number, reader: Reader = db()): MergeProblem | null {
  const row = (id: number) => reader.get<{ id: number; merged_into: number | null } | undefined>(sql`SELECT id, merged_into FROM organisations WHERE id = ${id}`);
  const from = row(fromId);
  const into = row(intoId);
  if (!from || !into) return "organisation.merge.unknown";
  if (from.id === into.id) return "organisation.merge.same";
  if (from.merged_into !== null || into.merged_into !== null) return "organisation.merge.alreadyMerged";
  return null;
}

/**
 * Merges `fromId` into `intoId` inside the closing transaction: its people, sessions and venues
 * move (ids and names), it points to the other from then on, and the log says so. Nothing
 * happens when it was merged already (a second close finds nothing to do).
 */
export function applyMerge(tx: Tx, fromId: number, intoId: number, proposalId: number, now: Date) {
  const from = tx.get<{ id: number; name: string; slug: string; merged_into: number | null } | undefined>(sql`SELECT id, name, slug, merged_into FROM organisations WHERE id = ${fromId}`);
  // The other one may have been merged meanwhile: merge into the one it became.
  const into = currentOrganisation(intoId, tx);
  if (!from || from.merged_into !== null || !into || into.id === from.id) return false;
  tx.run(sql`UPDATE members SET organisation_id = ${into.id}, organisation = ${into.name} WHERE organisation_id = ${from.id}`);
  tx.run(sql`UPDATE sessions SET host_organisation_id = ${into.id}, host_organisation = ${into.name} WHERE host_organisation_id = ${from.id}`);
  tx.run(sql`UPDATE venues SET organisation_id = ${into.id} WHERE organisation_id = ${from.id}`);
  tx.run(sql`UPDATE organisations SET merged_into = ${into.id} WHERE id = ${from.id} OR merged_into = ${from.id}`);
  appendLog(tx, {
    action: "organisation.merged",
    actorId: null,
    subjectType: "organisation",
    subjectId: from.slug,
    detail: { proposalId, from: from.name, into: into.name, intoSlug: into.slug },
    at: now,
  });
  return true;
}

/** The proposal's title: "GGZ Lindenveen samenvoegen met GGZ Lindeveen" (in the network's language). */
export function mergeTitle(from: string, into: string) {
  return `${from} samenvoegen met ${into}`;
}
