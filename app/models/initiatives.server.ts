import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { hosts, initiativeKinds, initiativeTags, initiatives, members } from "../../db/schema";
import { db } from "~/lib/db.server";
import { sharedData } from "~/lib/shared-data.server";
import { optionalLine, optionalText, requiredLine, requiredText, resubmitWindowMs, typedNumber, type Once } from "~/lib/forms";
import type { ImageRef } from "~/lib/images";
import { toFtsQuery } from "~/lib/search";
import { deriveStatus } from "~/lib/status";
import { NotAHostError } from "./errors.server";
import { actingHost, canActAsHost } from "./host-rights.server";
import { noteInitiativeEdit } from "./flags.server";
import { refuseHiddenEdit } from "./hidden-edits.server";
import { imageRef, recordImage, releaseImages } from "./images.server";
import { appendLog } from "./log.server";
import { publicName, visitor, type NamedMember, type NameViewer, type ShownMember } from "./names.server";

export const limits = { title: 120, summary: 280, body: 20_000, place: 200, tag: 40, tags: 10, coverAlt: 250 } as const;

export type InitiativeKind = (typeof initiativeKinds)[number];

/** "Jeugd, Buurtwerk ,jeugd" → ["jeugd", "buurtwerk"] */
export function normaliseTags(input: string): string[] {
  const seen = new Set<string>();
  for (const raw of input.split(",")) {
    const tag = raw.replace(/\s+/g, " ").trim().toLocaleLowerCase("nl").replace(/^#/, "");
    if (tag) seen.add(tag);
  }
  return [...seen];
}

export const initiativeInput = z.object({
  title: requiredLine(limits.title, "initiative.title.required", "initiative.title.tooLong"),
  summary: requiredText(limits.summary, "initiative.summary.required", "initiative.summary.tooLong"),
  body: optionalText(limits.body, "initiative.body.tooLong"),
  kind: z.enum(initiativeKinds, { error: "initiative.kind.invalid" }),
  tags: z
    .string()
    .optional()
    .default("")
    .transform(normaliseTags)
    .refine((tags) => tags.length <= limits.tags, { error: "initiative.tags.tooMany" })
    .refine((tags) => tags.every((t) => t.length <= limits.tag), { error: "initiative.tags.tooLong" }),
  place: optionalLine(limits.place, "initiative.place.tooLong"),
  target: z
    .string()
    .optional()
    .transform(typedNumber(undefined))
    .pipe(
      z
        .number({ error: "initiative.target.invalid" })
        .int({ error: "initiative.target.invalid" })
        .min(2, { error: "initiative.target.invalid" })
        .max(10_000, { error: "initiative.target.invalid" })
        .optional(),
    ),
});

export type InitiativeInput = z.output<typeof initiativeInput>;

/**
 * The cover's description and whether to remove the cover. A description is required whenever
 * the initiative will show a cover: a new one, or the current one kept.
 */
export const coverInput = (willHaveCover: boolean) =>
  z
    .object({
      coverAlt: optionalLine(limits.coverAlt, "initiative.coverAlt.tooLong"),
      removeCover: z.string().optional().transform((v) => v === "on"),
    })
    .refine((v) => !willHaveCover || v.coverAlt !== "", { path: ["coverAlt"], error: "initiative.coverAlt.required" });

/** A new cover (its files already written, see withImageFiles), none, or the current one kept; and its description. */
export type CoverChange = { image: ImageRef | null | "keep"; alt: string };

export function createInitiative(memberId: string, input: InitiativeInput, now = new Date(), options: Once & { cover?: CoverChange } = {}): number {
  const cover = options.cover;
  return db().transaction((tx) => {
    if (options.once) {
      const repeated = tx.get<{ id: number } | undefined>(sql`
        SELECT id FROM initiatives
        WHERE created_by = ${memberId} AND title = ${input.title} AND summary = ${input.summary} AND kind = ${input.kind} AND body = ${input.body}
          AND created_at > ${now.getTime() - resubmitWindowMs}
        ORDER BY id DESC LIMIT 1`);
      if (repeated) return repeated.id;
    }
    const image = cover?.image && cover.image !== "keep" ? cover.image : null;
    if (image) recordImage(tx, image);
    const row = tx
      .insert(initiatives)
      .values({
        title: input.title,
        summary: input.summary,
        body: input.body,
        kind: input.kind,
        tags: input.tags.join(", "),
        place: input.place,
        target: input.target ?? null,
        coverImage: image?.id ?? null,
        coverAlt: image ? cover!.alt : "",
        createdBy: memberId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: initiatives.id })
      .get();
    if (input.tags.length) {
      tx.insert(initiativeTags).values(input.tags.map((tag) => ({ initiativeId: row.id, tag }))).run();
    }
    // Whoever creates an initiative is its first host (governance.md §2).
    tx.insert(hosts).values({ initiativeId: row.id, memberId, since: now, lastActionAt: now }).run();
    appendLog(tx, { action: "initiative.created", actorId: memberId, subjectType: "initiative", subjectId: row.id, detail: { title: input.title }, at: now });
    return row.id;
  }, { behavior: "immediate" });
}

export { NotAHostError };

/**
 * Saves a host's edit, with the cover (undefined: left as it is). A replaced or removed cover that
 * nothing else shows is deleted afterwards.
 */
export function updateInitiative(id: number, memberId: string, input: InitiativeInput, now = new Date(), cover?: CoverChange) {
  const previousCover = db().transaction((tx) => {
    actingHost(tx, id, memberId);
    refuseHiddenEdit(tx, "initiative", id, memberId);
    const previous = tx.select({ coverImage: initiatives.coverImage, coverAlt: initiatives.coverAlt }).from(initiatives).where(eq(initiatives.id, id)).get();
    // Read here, in the transaction: "keep" means the cover as it is now, not as the form saw it.
    const next = cover?.image === "keep" ? (previous?.coverImage ?? null) : (cover?.image?.id ?? null);
    if (cover?.image && cover.image !== "keep") recordImage(tx, cover.image);
    tx.update(initiatives)
      .set({
        title: input.title,
        summary: input.summary,
        body: input.body,
        kind: input.kind,
        tags: input.tags.join(", "),
        place: input.place,
        target: input.target ?? null,
        ...(cover ? { coverImage: next, coverAlt: next ? cover.alt || (previous?.coverAlt ?? "") : "" } : {}),
        updatedAt: now,
      })
      .where(eq(initiatives.id, id))
      .run();
    tx.delete(initiativeTags).where(eq(initiativeTags.initiativeId, id)).run();
    if (input.tags.length) {
      tx.insert(initiativeTags).values(input.tags.map((tag) => ({ initiativeId: id, tag }))).run();
    }
    tx.update(hosts).set({ lastActionAt: now }).where(and(eq(hosts.initiativeId, id), eq(hosts.memberId, memberId))).run();
    appendLog(tx, { action: "initiative.edited", actorId: memberId, subjectType: "initiative", subjectId: id, detail: { title: input.title }, at: now });
    // The author's one edit of hidden content waits for acceptance (governance.md §4).
    noteInitiativeEdit(tx, id, memberId, now);
    return previous?.coverImage ?? null;
  }, { behavior: "immediate" });
  if (cover) releaseImages([previousCover]);
}

/** A host as stored, with who may see their name (for rights; pages show publicHosts). */
export type StoredHost = NamedMember;
/** A host as a page shows them to its viewer (names.server.ts). */
export type HostSummary = ShownMember;

/** The hosts as this viewer may see them. */
export function publicHosts(list: StoredHost[], viewer: NameViewer): HostSummary[] {
  return list.map((h) => publicName(h, viewer));
}

function hostsOf(ids: number[]): Map<number, StoredHost[]> {
  const byInitiative = new Map<number, StoredHost[]>();
  if (!ids.length) return byInitiative;
  const rows = db()
    .select({ initiativeId: hosts.initiativeId, id: members.id, displayName: members.displayName, organisation: members.organisation, visibility: members.profileVisibility })
    .from(hosts)
    .innerJoin(members, eq(members.id, hosts.memberId))
    .where(inArray(hosts.initiativeId, ids))
    .orderBy(asc(hosts.since))
    .all();
  for (const { initiativeId, ...host } of rows) {
    const list = byInitiative.get(initiativeId) ?? [];
    list.push(host);
    byInitiative.set(initiativeId, list);
  }
  return byInitiative;
}

export function getInitiative(id: number, now = Date.now()) {
  // What it reads is the same for every viewer: read once while nothing changes (ADR 040). The
  // status follows the clock and is derived for each call.
  const read = sharedData(["initiative", id], () => readInitiative(id));
  if (!read) return null;
  const { row, span, hosts } = read;
  return {
    ...row,
    cover: imageRef(row.coverImage),
    status: deriveStatus(row.status, span.first_start, span.last_end, now),
    tagList: row.tags ? row.tags.split(", ") : [],
    hosts,
  };
}

function readInitiative(id: number) {
  const row = db().select().from(initiatives).where(eq(initiatives.id, id)).get();
  if (!row) return null;
  const span = db().get<{ first_start: number | null; last_end: number | null }>(
    sql`SELECT min(starts_at) AS first_start, max(ends_at) AS last_end FROM sessions WHERE initiative_id = ${id} AND cancelled_at IS NULL`,
  );
  return { row, span, hosts: hostsOf([id]).get(id) ?? [] };
}

/** Whether the member may act as a host of the initiative now: a host, and not held (governance.md §4). */
export function isHost(initiativeId: number, memberId: string) {
  return canActAsHost(initiativeId, memberId);
}

export { toFtsQuery };

export type FeedFilter = { q?: string; kind?: InitiativeKind; tag?: string; after?: number; limit?: number };

/** A page of initiatives, their hosts named as `viewer` may see them (a visitor when not given). */
export function listInitiatives(filter: FeedFilter, viewer: NameViewer = visitor) {
  const limit = filter.limit ?? 20;
  const now = Date.now();
  const match = filter.q ? toFtsQuery(filter.q) : null;
  if (filter.q && !match) return { items: [], nextCursor: null };
  // Keyset pagination: "after" is the last id of the previous page, so every page costs the same.
  // The query is driven by the most selective source, read newest first, so that it can stop
  // after one page: the full-text index, the tag index, or the initiatives themselves.
  const source = match
    ? { from: sql`initiatives_fts f JOIN initiatives i ON i.id = f.rowid`, id: sql`f.rowid`, where: [sql`initiatives_fts MATCH ${match}`] }
    : filter.tag
      ? { from: sql`initiative_tags t JOIN initiatives i ON i.id = t.initiative_id`, id: sql`t.initiative_id`, where: [sql`t.tag = ${filter.tag}`] }
      : { from: sql`initiatives i`, id: sql`i.id`, where: [sql`1`] };
  // Hidden content leaves the feed and search (governance.md §4).
  const where = [...source.where, sql`i.hidden_at IS NULL`];
  if (match && filter.tag) where.push(sql`EXISTS (SELECT 1 FROM initiative_tags t WHERE t.initiative_id = i.id AND t.tag = ${filter.tag})`);
  if (filter.after) where.push(sql`${source.id} < ${filter.after}`);
  if (filter.kind) where.push(sql`i.kind = ${filter.kind}`);
  const rows = db().all<{
    id: number; title: string; summary: string; kind: InitiativeKind; tags: string; place: string;
    status: string; target: number | null; created_at: number; first_start: number | null; last_end: number | null;
    cover_image: string | null; cover_alt: string; cover_width: number | null; cover_height: number | null;
  }>(sql`
    SELECT i.id, i.title, i.summary, i.kind, i.tags, i.place, i.status, i.target, i.created_at,
      i.cover_image, i.cover_alt, c.width AS cover_width, c.height AS cover_height,
      (SELECT min(starts_at) FROM sessions s WHERE s.initiative_id = i.id AND s.cancelled_at IS NULL) AS first_start,
      (SELECT max(ends_at) FROM sessions s WHERE s.initiative_id = i.id AND s.cancelled_at IS NULL) AS last_end
    FROM ${source.from} LEFT JOIN images c ON c.id = i.cover_image
    WHERE ${sql.join(where, sql` AND `)}
    ORDER BY ${source.id} DESC
    LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit);
  const hostMap = hostsOf(page.map((r) => r.id));
  return {
    items: page.map((r) => ({
      id: r.id,
      title: r.title,
      summary: r.summary,
      kind: r.kind,
      tagList: r.tags ? r.tags.split(", ") : [],
      place: r.place,
      status: deriveStatus(r.status, r.first_start, r.last_end, now),
      target: r.target,
      createdAt: r.created_at,
      cover: r.cover_image ? { id: r.cover_image, width: r.cover_width ?? 0, height: r.cover_height ?? 0, alt: r.cover_alt } : null,
      hosts: publicHosts(hostMap.get(r.id) ?? [], viewer),
    })),
    nextCursor: rows.length > limit ? page[page.length - 1].id : null,
  };
}
