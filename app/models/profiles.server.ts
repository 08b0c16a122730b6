// Profiles, the member directory and "what I'm doing now".
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { members, memberTags, nowUpdates } from "../../db/schema";
import { db } from "~/lib/db.server";
import { optionalLine, optionalText, requiredLine, requiredText, resubmitWindowMs, type FieldErrors, type Once } from "~/lib/forms";
import type { MessageKey } from "~/lib/i18n";
import type { ImageRef } from "~/lib/images";
import { toFtsQuery } from "~/lib/search";
import { methodUsersSql } from "./methods.server";
import { imageRef, recordImage, releaseImages } from "./images.server";
import { normaliseTags } from "./initiatives.server";
import { nameVisibleSql, profileVisibilities, type ProfileVisibility } from "./names.server";
import { isHeld } from "./voice.server";
import { askAnswer, organisationNames, pickOrganisation, pickRefusal, settlePick, workWithRest, type OrganisationPick, type OrganisationRef, type PickAnswer } from "./organisations.server";

export const profileLimits = { displayName: 80, organisation: 120, work: 160, bio: 4000, now: 280, tags: 12, tag: 40 } as const;
// A "now" older than this shows as stale.
export const nowStaleDays = 60;

export const profileInput = z.object({
  displayName: requiredLine(profileLimits.displayName, "auth.displayName.required", "auth.displayName.tooLong"),
  organisation: optionalLine(profileLimits.organisation, "profile.organisation.tooLong"),
  work: optionalLine(profileLimits.work, "profile.work.tooLong"),
  expertise: z
    .string()
    .optional()
    .default("")
    .transform(normaliseTags)
    .refine((tags) => tags.length <= profileLimits.tags, { error: "profile.expertise.tooMany" })
    .refine((tags) => tags.every((t) => t.length <= profileLimits.tag), { error: "profile.expertise.tooLong" }),
  bio: optionalText(profileLimits.bio, "profile.bio.tooLong"),
  profileVisibility: z.enum(profileVisibilities, { error: "profile.visibility.invalid" }),
  // The answer to "did you mean …?" (an organisation's id, or "new") and the name it was asked about.
  organisationChoice: z.string().max(40).optional(),
  organisationConfirmed: z.string().max(profileLimits.organisation * 2).optional(),
});

export type ProfileInput = z.output<typeof profileInput>;

/**
 * Saves the profile from the form. The organisation typed is linked to the organisation with the
 * same key; when there is none but similar names exist, nothing is saved yet and the member is
 * asked which one they mean (or to add theirs as new). A team after a comma goes to their work.
 */
export function saveProfile(memberId: string, input: ProfileInput, now = Date.now()): { ok: true } | { ok: false; ask: { typed: string; candidates: OrganisationRef[] } } {
  const pick = pickOrganisation(input.organisation, { choice: input.organisationChoice, confirmed: input.organisationConfirmed });
  if (pick.kind === "ask") return { ok: false, ask: { typed: pick.typed, candidates: pick.candidates } };
  writeProfile(memberId, input, pick, memberId, now);
  return { ok: true };
}

/** The profile form's save: saved, or the question to ask, or the refusal to show. */
export function saveProfileForm(memberId: string, input: ProfileInput, now = Date.now()): PickAnswer {
  try {
    const saved = saveProfile(memberId, input, now);
    return saved.ok ? saved : askAnswer(saved.ask);
  } catch (error) {
    return pickRefusal(error);
  }
}

/** Saves a profile without asking (the demo data): a name the network does not know is added. */
export function updateProfile(memberId: string, input: ProfileInput) {
  writeProfile(memberId, input, pickOrganisation(input.organisation, {}, { ask: false }), null, Date.now());
}

function writeProfile(memberId: string, input: ProfileInput, pick: OrganisationPick, by: string | null, now: number) {
  db().transaction((tx) => {
    const organisation = settlePick(tx, pick, by, now);
    const rest = pick.kind === "existing" || pick.kind === "new" ? pick.rest : "";
    tx.update(members)
      .set({
        displayName: input.displayName,
        organisation: organisation?.name ?? "",
        organisationId: organisation?.id ?? null,
        work: workWithRest(input.work, rest, profileLimits.work),
        expertise: input.expertise.join(", "),
        bio: input.bio,
        profileVisibility: input.profileVisibility,
      })
      .where(eq(members.id, memberId))
      .run();
    tx.delete(memberTags).where(eq(memberTags.memberId, memberId)).run();
    if (input.expertise.length) tx.insert(memberTags).values(input.expertise.map((tag) => ({ memberId, tag }))).run();
  }, { behavior: "immediate" });
}

/** A new profile photo (its files already written, see withImageFiles), or none. */
export function setAvatar(memberId: string, image: ImageRef | null) {
  const previous = db().transaction((tx) => {
    const row = tx.select({ avatarImage: members.avatarImage }).from(members).where(eq(members.id, memberId)).get();
    if (image) recordImage(tx, image);
    tx.update(members).set({ avatarImage: image?.id ?? null }).where(eq(members.id, memberId)).run();
    return row?.avatarImage ?? null;
  }, { behavior: "immediate" });
  releaseImages([previous]);
}

export class ProfileRefusedError extends Error {
  constructor(
    public messageKey: MessageKey,
    public status = 403,
  ) {
    super(messageKey);
  }
}

/** A change of the profile page: the text form (null when not sent), the "now" line, and whether it brings a new photo. */
export type ProfileChange = { profile: ProfileInput | null; nowText: string; newPhoto: boolean };

/**
 * A held member (governance.md §4) posts nothing new, on their profile either: refused when the
 * change would show something new of them (their name, work, expertise or story changed, a new
 * photo, a new "now"). Removing the photo, choosing who sees the profile and picking an
 * organisation the network knows are not posting; a name it does not know is refused where it
 * would be added (organisations.server). Null when the change may be saved.
 */
export function heldProfileRefusal(memberId: string, change: ProfileChange): { status: 403; errors: FieldErrors } | null {
  const row = db().get<{ posting_held_at: number | null; display_name: string; work: string; expertise: string; bio: string; now_text: string | null } | undefined>(sql`
    SELECT posting_held_at, display_name, work, expertise, bio, now_text FROM members WHERE id = ${memberId}`);
  if (!row?.posting_held_at) return null;
  const p = change.profile;
  const textChanged =
    p !== null && (p.displayName !== row.display_name || p.work !== row.work || p.expertise.join(", ") !== row.expertise || p.bio !== row.bio);
  const newNow = change.nowText !== "" && change.nowText !== (row.now_text ?? "");
  return textChanged || newNow || change.newPhoto ? { status: 403, errors: { form: "profile.held" } } : null;
}

/** The profile form's page: the profile as stored, and whether the member is held (the page says what that leaves open). */
export function profileFormPage(memberId: string) {
  const profile = getProfile(memberId)!;
  return {
    id: profile.id,
    avatar: profile.avatar,
    held: isHeld(memberId),
    values: {
      displayName: profile.displayName,
      organisation: profile.organisation,
      work: profile.work,
      expertise: profile.expertise.join(", "),
      bio: profile.bio,
      profileVisibility: profile.profileVisibility,
      now: profile.nowText,
    },
    limits: profileLimits,
    organisationNames: organisationNames(),
  };
}

/** The /now page: the latest lines, and whether the viewer may add one (a held member may not). */
export function nowPage(viewer: { id: string } | null) {
  return { loggedIn: !!viewer, viewerId: viewer?.id ?? null, held: !!viewer && isHeld(viewer.id), updates: recentNow({ includeMembersOnly: !!viewer }), limit: profileLimits.now };
}

export const nowInput = z.object({ now: requiredText(profileLimits.now, "profile.now.required", "profile.now.tooLong") });

/** Says what the member is doing now; the old line stays in the history of now updates. A held member says nothing new (§4). */
export function postNow(memberId: string, text: string, now = new Date(), options: Once = {}) {
  db().transaction((tx) => {
    if (isHeld(memberId, tx)) throw new ProfileRefusedError("profile.held");
    if (options.once) {
      // The line the member just posted, posted again: nothing new to say.
      const current = tx.get<{ now_text: string | null; now_at: number | null } | undefined>(sql`SELECT now_text, now_at FROM members WHERE id = ${memberId}`);
      if (current?.now_text === text && current.now_at !== null && current.now_at > now.getTime() - resubmitWindowMs) return;
    }
    tx.update(members).set({ nowText: text, nowAt: now }).where(eq(members.id, memberId)).run();
    tx.insert(nowUpdates).values({ memberId, text, createdAt: now }).run();
  }, { behavior: "immediate" });
}

export type Profile = {
  id: string;
  displayName: string;
  organisation: string;
  organisationId: number | null;
  work: string;
  expertise: string[];
  bio: string;
  nowText: string;
  nowAt: number | null;
  profileVisibility: ProfileVisibility;
  avatar: ImageRef | null;
  createdAt: number;
  deleted: boolean;
};

export function getProfile(id: string): Profile | null {
  const row = db().select().from(members).where(eq(members.id, id)).get();
  if (!row) return null;
  return {
    id: row.id,
    displayName: row.displayName,
    organisation: row.organisation,
    organisationId: row.organisationId,
    work: row.work,
    expertise: row.expertise ? row.expertise.split(", ") : [],
    bio: row.bio,
    nowText: row.nowText,
    nowAt: row.nowAt?.getTime() ?? null,
    profileVisibility: row.profileVisibility,
    avatar: imageRef(row.avatarImage),
    createdAt: row.createdAt.getTime(),
    deleted: row.deletedAt !== null,
  };
}

export type DirectoryEntry = { id: string; displayName: string; organisation: string; work: string; expertise: string[]; nowText: string; nowAt: number | null; avatar: ImageRef | null };

type Row = {
  id: string; display_name: string; organisation: string; work: string; expertise: string; now_text: string; now_at: number | null;
  avatar_id?: string | null; avatar_width?: number; avatar_height?: number;
};
const toEntry = (r: Row): DirectoryEntry => ({
  id: r.id,
  displayName: r.display_name,
  organisation: r.organisation,
  work: r.work,
  expertise: r.expertise ? r.expertise.split(", ") : [],
  nowText: r.now_text,
  nowAt: r.now_at,
  avatar: r.avatar_id ? { id: r.avatar_id, width: r.avatar_width ?? 0, height: r.avatar_height ?? 0 } : null,
});

/**
 * The directory: search by name, organisation, expertise, work, "now" and bio; filter by
 * organisation and tag. Visitors see only public profiles; former members are not listed.
 */
export function searchMembers(filter: { q?: string; organisation?: string; tag?: string; method?: number; includeMembersOnly: boolean; limit?: number }) {
  const where = [sql`m.deleted_at IS NULL ${nameVisibleSql("m.", filter.includeMembersOnly)}`];
  // People who used a working method (attended or hosted a session that used it); none when it is hidden.
  if (filter.method) where.push(sql`m.id IN ${methodUsersSql(filter.method)}`);
  if (filter.organisation) where.push(sql`m.organisation = ${filter.organisation}`);
  if (filter.tag) where.push(sql`m.id IN (SELECT member_id FROM member_tags WHERE tag = ${filter.tag})`);
  if (filter.q) {
    const match = toFtsQuery(filter.q);
    if (!match) return [];
    where.push(sql`m.id IN (SELECT member_id FROM members_fts WHERE members_fts MATCH ${match})`);
  }
  return db()
    .all<Row>(sql`
      SELECT m.id, m.display_name, m.organisation, m.work, m.expertise, m.now_text, m.now_at,
        a.id AS avatar_id, a.width AS avatar_width, a.height AS avatar_height
      FROM members m LEFT JOIN images a ON a.id = m.avatar_image
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY m.display_name COLLATE NOCASE
      LIMIT ${filter.limit ?? 200}`)
    .map(toEntry);
}

export function organisations(includeMembersOnly: boolean) {
  return db()
    .all<{ organisation: string; n: number }>(sql`
      SELECT organisation, count(*) AS n FROM members
      WHERE organisation != '' AND deleted_at IS NULL ${nameVisibleSql("", includeMembersOnly)}
      GROUP BY organisation ORDER BY organisation COLLATE NOCASE`)
    .map((r) => r.organisation);
}

/** People working on the same tags, most shared tags first ("who else works on this?"). */
export function peopleOnTags(tags: string[], options: { exclude?: string[]; includeMembersOnly: boolean; limit?: number }) {
  if (!tags.length) return [];
  const exclude = options.exclude ?? [];
  return db()
    .all<Row & { shared: string }>(sql`
      SELECT m.id, m.display_name, m.organisation, m.work, m.expertise, m.now_text, m.now_at, group_concat(t.tag, ', ') AS shared
      FROM member_tags t JOIN members m ON m.id = t.member_id
      WHERE t.tag IN (${sql.join(tags.map((tag) => sql`${tag}`), sql`, `)}) AND m.deleted_at IS NULL
        ${exclude.length ? sql`AND m.id NOT IN (${sql.join(exclude.map((id) => sql`${id}`), sql`, `)})` : sql``}
        ${nameVisibleSql("m.", options.includeMembersOnly)}
      GROUP BY m.id
      ORDER BY count(*) DESC, m.display_name COLLATE NOCASE
      LIMIT ${options.limit ?? 6}`)
    .map((r) => ({ ...toEntry(r), shared: r.shared.split(", ") }));
}

/** Recent "now" updates across the network, newest first, each with what it connects to. */
export function recentNow(options: { includeMembersOnly: boolean; limit?: number }) {
  const rows = db().all<{ id: number; member_id: string; text: string; created_at: number; display_name: string; organisation: string; expertise: string; contact_off: number }>(sql`
    SELECT u.id, u.member_id, u.text, u.created_at, m.display_name, m.organisation, m.expertise, m.contact_off
    FROM now_updates u JOIN members m ON m.id = u.member_id
    WHERE m.deleted_at IS NULL ${nameVisibleSql("m.", options.includeMembersOnly)}
    ORDER BY u.created_at DESC, u.id DESC
    LIMIT ${options.limit ?? 30}`);
  return rows.map((r) => {
    const tags = r.expertise ? r.expertise.split(", ") : [];
    return {
      id: r.id,
      memberId: r.member_id,
      displayName: r.display_name,
      organisation: r.organisation,
      text: r.text,
      createdAt: r.created_at,
      // Whether "Send a message" goes with the line (the member has not switched messages off).
      contactOpen: !r.contact_off,
      initiatives: initiativesMatching(r.text, tags),
      people: peopleOnTags(tags, { exclude: [r.member_id], includeMembersOnly: options.includeMembersOnly, limit: 3 }).map((p) => ({ id: p.id, displayName: p.displayName })),
    };
  });
}

// Dutch and English words too common to connect anything.
const stopWords = new Set(
  "de het een en van in op te met voor aan bij naar over om ook nog niet wel maar als dat die dit er is zijn was ik je we wij jij hij zij ze mijn ons onze hun the a an and of in on to with for at by from about is are was be i my we our this that it".split(" "),
);

/**
 * Initiatives sharing a tag with the member, or a meaningful word with the text: the newest
 * `limit`. Asked per tag and once of the search index, each for its own newest few, which the
 * indexes answer by walking back from the newest; one query that asked for the newest initiatives
 * in (any tag or any word) made SQLite collect every match first, 17 ms on the benchmark network
 * for a line with common words, and /now shows thirty lines.
 */
export function initiativesMatching(text: string, tags: string[], limit = 3) {
  const words = (text.normalize("NFC").toLocaleLowerCase("nl").match(/[\p{L}\p{N}]{4,}/gu) ?? []).filter((w) => !stopWords.has(w)).slice(0, 8);
  const found = new Map<number, { id: number; title: string }>();
  const add = (rows: { id: number; title: string }[]) => rows.forEach((r) => found.set(r.id, r));
  if (words.length) {
    add(db().all(sql`
      SELECT i.id, i.title FROM initiatives_fts f JOIN initiatives i ON i.id = f.rowid
      WHERE initiatives_fts MATCH ${words.map((w) => `"${w}"`).join(" OR ")} AND i.hidden_at IS NULL
      ORDER BY f.rowid DESC LIMIT ${limit}`));
  }
  for (const tag of [...new Set(tags)].slice(0, 20)) {
    add(db().all(sql`
      SELECT i.id, i.title FROM initiative_tags g JOIN initiatives i ON i.id = g.initiative_id
      WHERE g.tag = ${tag} AND i.hidden_at IS NULL
      ORDER BY g.initiative_id DESC LIMIT ${limit}`));
  }
  return [...found.values()].sort((a, b) => b.id - a.id).slice(0, limit);
}

export function isNowStale(nowAt: number | null, now = Date.now()) {
  return nowAt !== null && now - nowAt > nowStaleDays * 86_400_000;
}
