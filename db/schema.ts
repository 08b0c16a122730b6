// The database schema. Migrations in db/migrations are generated from this file by drizzle-kit
// (`npm run db:generate`); the full-text index and the log's triggers live in hand-written
// migrations next to them because drizzle-kit does not model virtual tables or triggers.
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

// Organisations the network's people work for (issue 14). `nameKey` is the name normalised
// (lower case, no accents, punctuation or legal-form words such as "stichting"), so that two
// spellings of one organisation are found; only a network consent proposal merges them
// (`mergedInto`), after which the old one leads to the new one.
export const organisations = sqliteTable(
  "organisations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    nameKey: text("name_key").notNull(),
    mergedInto: integer("merged_into"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("organisations_slug_unique").on(t.slug), index("organisations_name_key").on(t.nameKey)],
);

// Places where the network meets: an organisation's rooms, or nobody's (a café, a library).
export const venues = sqliteTable(
  "venues",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    address: text("address").notNull().default(""),
    routeNotes: text("route_notes").notNull().default(""),
    stepFree: integer("step_free", { mode: "boolean" }).notNull().default(false),
    hearingLoop: integer("hearing_loop", { mode: "boolean" }).notNull().default(false),
    parking: integer("parking", { mode: "boolean" }).notNull().default(false),
    publicTransport: integer("public_transport", { mode: "boolean" }).notNull().default(false),
    accessNotes: text("access_notes").notNull().default(""),
    createdBy: text("created_by").references(() => members.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("venues_organisation").on(t.organisationId)],
);

// Uploaded pictures (ADR 016): decoded, re-encoded as WebP in two widths and stored as files
// DATA_DIR/images/<id>-400.webp and <id>-1200.webp, where the id is the SHA-256 of their content.
// Rows are shared: the same picture uploaded twice is one row, removed when nothing uses it.
export const images = sqliteTable("images", {
  id: text("id").primaryKey(),
  // Of the large version; the small one is min(width, 400) wide with the same proportions.
  width: integer("width").notNull(),
  height: integer("height").notNull(),
  createdAt: createdAt(),
});

export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    // Normalised (trimmed, lower case); never shown to anyone.
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    displayName: text("display_name").notNull(),
    organisation: text("organisation").notNull().default(""),
    // The organisation picked (issue 14); `organisation` holds its name, for display and search.
    organisationId: integer("organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    // null: follow the browser's Accept-Language.
    locale: text("locale", { enum: ["nl", "en"] }),
    // Secret for the member's private calendar feed; a new one revokes the old.
    calendarToken: text("calendar_token"),
    // The profile (issue: the network). Email is never shown to anyone.
    work: text("work").notNull().default(""),
    expertise: text("expertise").notNull().default(""),
    bio: text("bio").notNull().default(""),
    nowText: text("now_text").notNull().default(""),
    nowAt: integer("now_at", { mode: "timestamp_ms" }),
    // "organisation": visitors see only the organisation, not the name (app/models/names.server.ts).
    profileVisibility: text("profile_visibility", { enum: ["public", "organisation", "members"] }).notNull().default("public"),
    // Mail: the weekly digest is opt-in; other kinds can be switched off one by one.
    digestOptIn: integer("digest_opt_in", { mode: "boolean" }).notNull().default(false),
    mailOff: text("mail_off", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    // For the one-click unsubscribe link in every mail (works without logging in).
    unsubscribeToken: text("unsubscribe_token"),
    // Set when the member left: personal data is erased, contributions stay as "former member".
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
    // Posting held after flags on this member (governance.md §4), until a proposal restores it.
    postingHeldAt: integer("posting_held_at", { mode: "timestamp_ms" }),
    postingHeldRule: text("posting_held_rule"),
    // A founder (governance.md §1): the first account, or invited by a founder while the network
    // bootstraps. Founders have a voice during the bootstrap and are witnesses while they hold one.
    founderAt: integer("founder_at", { mode: "timestamp_ms" }),
    // The profile photo; shown next to the name, so it needs no description of its own.
    avatarImage: text("avatar_image").references(() => images.id),
    // The member switched off messages from other members (issue 16).
    contactOff: integer("contact_off", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("members_email_unique").on(t.email),
    index("members_avatar_image").on(t.avatarImage),
    index("members_organisation").on(t.organisationId),
    uniqueIndex("members_calendar_token").on(t.calendarToken),
    uniqueIndex("members_unsubscribe_token").on(t.unsubscribeToken),
  ],
);

// Login sessions. Called authSessions so that "session" always means a course session.
export const authSessions = sqliteTable(
  "auth_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("auth_sessions_member").on(t.userId)],
);

export const initiativeKinds = ["course", "activity", "request"] as const;
export const initiativeStatuses = ["idea", "planned", "running", "completed", "cancelled"] as const;

export const initiatives = sqliteTable(
  "initiatives",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    body: text("body").notNull().default(""),
    kind: text("kind", { enum: initiativeKinds }).notNull(),
    // Normalised tags joined by ", " for display and the full-text index;
    // initiative_tags holds the same tags one per row for filtering.
    tags: text("tags").notNull().default(""),
    place: text("place").notNull().default(""),
    target: integer("target"),
    status: text("status", { enum: initiativeStatuses }).notNull().default("idea"),
    // null once the author has left the network ("former member").
    createdBy: text("created_by").references(() => members.id, { onDelete: "set null" }),
    // Hidden by flags (governance.md §4): when, how often, and whether the author's one edit is used.
    hiddenAt: integer("hidden_at", { mode: "timestamp_ms" }),
    hiddenRule: text("hidden_rule"),
    timesHidden: integer("times_hidden").notNull().default(0),
    authorEditUsedAt: integer("author_edit_used_at", { mode: "timestamp_ms" }),
    // The cover picture and its description for people who cannot see it (required with a cover).
    coverImage: text("cover_image").references(() => images.id),
    coverAlt: text("cover_alt").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("initiatives_kind_id").on(t.kind, t.id), index("initiatives_cover_image").on(t.coverImage)],
);

export const initiativeTags = sqliteTable(
  "initiative_tags",
  {
    initiativeId: integer("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.initiativeId, t.tag] }),
    index("initiative_tags_tag").on(t.tag, t.initiativeId),
  ],
);

export const hosts = sqliteTable(
  "hosts",
  {
    initiativeId: integer("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    since: integer("since", { mode: "timestamp_ms" }).notNull(),
    // Hosting lapses after a period without action (governance.md §2).
    lastActionAt: integer("last_action_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.initiativeId, t.memberId] }),
    index("hosts_member").on(t.memberId),
  ],
);

// Hosting that ended (stepped back, lapsed, removed by a proposal, left the network): written by a
// trigger when a hosts row is deleted, so that a meeting someone hosted keeps counting for the voice
// it gave them (governance.md §1) after they stop.
export const hostTerms = sqliteTable(
  "host_terms",
  {
    initiativeId: integer("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    since: integer("since", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("host_terms_initiative").on(t.initiativeId, t.since)],
);

// The public log (governance.md §7). Triggers in the migrations refuse UPDATE and DELETE.
export const logEntries = sqliteTable(
  "log_entries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    action: text("action").notNull(),
    // No foreign key: the log outlives the members it names.
    actorId: text("actor_id"),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index("log_entries_subject").on(t.subjectType, t.subjectId),
    index("log_entries_action").on(t.action, t.id),
  ],
);

// Fixed-window counters for rate limits; stored so that a restart does not reset them.
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  count: integer("count").notNull(),
});

// A dated get-together of an initiative (a course session). Times are UTC instants.
export const sessions = sqliteTable(
  "sessions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    initiativeId: integer("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }).notNull(),
    place: text("place").notNull().default(""),
    hostOrganisation: text("host_organisation").notNull().default(""),
    // Issue 14: the organisation that hosts it (its name is in host_organisation), the venue
    // picked (or null: `place` is a one-off place), on site, online or both, and the meeting
    // link, shown only to its participants and hosts.
    hostOrganisationId: integer("host_organisation_id").references(() => organisations.id, { onDelete: "set null" }),
    venueId: integer("venue_id").references(() => venues.id, { onDelete: "set null" }),
    mode: text("mode", { enum: ["onsite", "online", "hybrid"] }).notNull().default("onsite"),
    onlineUrl: text("online_url").notNull().default(""),
    // Sessions added together as a series share this; each stays an ordinary session.
    seriesId: text("series_id"),
    // null: no limit.
    capacity: integer("capacity"),
    cancelledAt: integer("cancelled_at", { mode: "timestamp_ms" }),
    // Shown to hosts while the session runs; participants type it to check in.
    checkinCode: text("checkin_code").notNull(),
    // Set when the 24-hour reminders were queued, so a restart does not queue them again.
    remindersQueuedAt: integer("reminders_queued_at", { mode: "timestamp_ms" }),
    // When its time and place were last set: a meeting counts for a voice only when it stood on
    // the agenda long enough before it started (governance.md §1). null on rows from before it.
    announcedAt: integer("announced_at", { mode: "timestamp_ms" }),
    // Learning hours a host gives the session for participants' records (issue 15), in minutes;
    // null: the session's length.
    learningMinutes: integer("learning_minutes"),
    // Why the hosts cancelled it, told to the participants (issue 16).
    cancelReason: text("cancel_reason").notNull().default(""),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("sessions_initiative").on(t.initiativeId, t.startsAt),
    index("sessions_starts").on(t.startsAt, t.id),
    index("sessions_venue").on(t.venueId, t.startsAt),
    index("sessions_series").on(t.seriesId, t.startsAt),
    index("sessions_host_organisation").on(t.hostOrganisationId),
  ],
);

export const registrationStatuses = ["registered", "waitlisted", "cancelled"] as const;

export const registrations = sqliteTable(
  "registrations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    status: text("status", { enum: registrationStatuses }).notNull(),
    // Order on the waiting list: first in, first out. Renewed when someone signs up again.
    queuedSeq: integer("queued_seq").notNull(),
    attendedAt: integer("attended_at", { mode: "timestamp_ms" }),
    // "code" when the member checked in, otherwise the id of the host who marked them present.
    attendanceBy: text("attendance_by"),
    // When witnesses who were there struck this member's check-in, not having seen them: it cannot
    // be made again (docs/decisions/051).
    unseenAt: integer("unseen_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("registrations_session_member").on(t.sessionId, t.memberId),
    index("registrations_session_status").on(t.sessionId, t.status, t.queuedSeq),
    index("registrations_member").on(t.memberId, t.status),
    // Who attended within the voice window (governance.md §1), without reading the table.
    index("registrations_attended").on(t.attendedAt, t.sessionId, t.memberId).where(sql`attended_at IS NOT NULL`),
    // The voice replay reads each meeting's attendance in arrival order from this index alone, meeting
    // after meeting, with no sort of the whole table (migration 0017).
    index("registrations_attendance_by_meeting").on(t.sessionId, t.attendedAt, t.id, t.memberId, t.attendanceBy).where(sql`attended_at IS NOT NULL`),
  ],
);

// "I'm in" on an idea: members who want it to happen, invited when the first session is added.
export const interests = sqliteTable(
  "interests",
  {
    initiativeId: integer("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.initiativeId, t.memberId] }), index("interests_member").on(t.memberId)],
);

// Every mail is written here first, in the same transaction as what it tells about; the
// scheduler sends it when SMTP is configured and retries until it succeeds.
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    // Unique per message, so that queueing the same reminder twice does nothing.
    dedupeKey: text("dedupe_key").notNull(),
    kind: text("kind").notNull(),
    memberId: text("member_id").references(() => members.id, { onDelete: "set null" }),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    createdAt: createdAt(),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    // Given up: the mail server refused it for good (5xx: no such user) or it failed for days.
    failedAt: integer("failed_at", { mode: "timestamp_ms" }),
    // Files sent with the mail, such as a calendar file (issue 16).
    attachments: text("attachments", { mode: "json" }).$type<{ filename: string; contentType: string; content: string }[]>(),
  },
  (t) => [uniqueIndex("outbox_dedupe").on(t.dedupeKey), index("outbox_pending").on(t.sentAt, t.nextAttemptAt)],
);

export const proposalScopes = ["network", "initiative"] as const;
export const proposalKinds = ["consent", "majority"] as const;
export const proposalPositions = ["consent", "abstain", "object", "for", "against"] as const;

// What an adopted proposal changes, applied by the system at once (governance.md §3).
export type ProposalEffect =
  | { type: "rules"; text: string }
  | { type: "restore-content"; targetType: "initiative" | "outcome" | "comment" | "proposal-comment" | "method"; targetId: string }
  | { type: "restore-posting"; memberId: string }
  | { type: "remove-host"; initiativeId: number; memberId: string }
  | { type: "merge-organisations"; fromId: number; intoId: number };

export type ProposalOutcomeRecord = {
  adopted: boolean;
  reason: string;
  quorum: number;
  eligible: number;
  tally: Record<string, number>;
};

export const proposals = sqliteTable(
  "proposals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scope: text("scope", { enum: proposalScopes }).notNull(),
    initiativeId: integer("initiative_id").references(() => initiatives.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: proposalKinds }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    effect: text("effect", { mode: "json" }).$type<ProposalEffect>(),
    // A blocked consent proposal raised again under the 2/3 rule points at the original.
    fallbackOf: integer("fallback_of"),
    // null when the system opened it (a second hide, a held member).
    openedBy: text("opened_by").references(() => members.id, { onDelete: "set null" }),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }).notNull(),
    deadline: integer("deadline", { mode: "timestamp_ms" }).notNull(),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    outcome: text("outcome", { mode: "json" }).$type<ProposalOutcomeRecord>(),
    statement: text("statement"),
    statementBy: text("statement_by").references(() => members.id, { onDelete: "set null" }),
    statementAt: integer("statement_at", { mode: "timestamp_ms" }),
    remindersQueuedAt: integer("reminders_queued_at", { mode: "timestamp_ms" }),
    // Amended after an objection (issue 17): the version in force; proposal_versions keeps each.
    version: integer("version").notNull().default(1),
  },
  (t) => [index("proposals_open").on(t.closedAt, t.deadline), index("proposals_initiative").on(t.initiativeId)],
);

export const proposalPositionsTable = sqliteTable(
  "proposal_positions",
  {
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    position: text("position", { enum: proposalPositions }).notNull(),
    reason: text("reason").notNull().default(""),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.memberId] })],
);

export const flagTargets = ["initiative", "member", "outcome", "comment", "method", "proposal-comment"] as const;

export const flags = sqliteTable(
  "flags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    targetType: text("target_type", { enum: flagTargets }).notNull(),
    targetId: text("target_id").notNull(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    rule: text("rule").notNull(),
    reason: text("reason").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    // Set when the flag no longer stands (the author's edit, or a restoring proposal).
    clearedAt: integer("cleared_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("flags_target").on(t.targetType, t.targetId, t.clearedAt)],
);

// Every version of the house rules; the newest is in force.
export const houseRules = sqliteTable("house_rules", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  text: text("text").notNull(),
  proposalId: integer("proposal_id").references(() => proposals.id),
  adoptedAt: integer("adopted_at", { mode: "timestamp_ms" }).notNull(),
});

// Expertise tags of a member, one per row, for the directory's tag filter.
export const memberTags = sqliteTable(
  "member_tags",
  {
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.tag] }), index("member_tags_tag").on(t.tag, t.memberId)],
);

// Every "what I'm doing now" a member posted, newest last; members.now_text holds the current one.
export const nowUpdates = sqliteTable(
  "now_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("now_updates_created").on(t.createdAt), index("now_updates_member").on(t.memberId, t.createdAt)],
);

// Moderation columns shared by outcomes and comments (governance.md §4).
const moderation = () => ({
  hiddenAt: integer("hidden_at", { mode: "timestamp_ms" }),
  hiddenRule: text("hidden_rule"),
  timesHidden: integer("times_hidden").notNull().default(0),
  authorEditUsedAt: integer("author_edit_used_at", { mode: "timestamp_ms" }),
});

// What a session or initiative produced (opbrengst): notes, lessons, links.
export const outcomes = sqliteTable(
  "outcomes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    initiativeId: integer("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    sessionId: integer("session_id").references(() => sessions.id, { onDelete: "set null" }),
    // The author; the row stays when they leave (then shown as "former member").
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    body: text("body").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    ...moderation(),
  },
  (t) => [index("outcomes_initiative").on(t.initiativeId, t.createdAt), index("outcomes_session").on(t.sessionId), index("outcomes_member").on(t.memberId), index("outcomes_created").on(t.createdAt)],
);

// Questions and coordination on an initiative.
export const comments = sqliteTable(
  "comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    initiativeId: integer("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    body: text("body").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    ...moderation(),
    // A host of the initiative who hid it (governance.md §4, "hosts keep their own initiative
    // civil"); null when flags hid it.
    hiddenBy: text("hidden_by").references(() => members.id, { onDelete: "set null" }),
  },
  (t) => [index("comments_initiative").on(t.initiativeId, t.createdAt), index("comments_member").on(t.memberId, t.createdAt)],
);

// Password reset by mail: only a hash of the token is stored; single use, one hour.
export const passwordResets = sqliteTable("password_resets", {
  tokenHash: text("token_hash").primaryKey(),
  memberId: text("member_id")
    .notNull()
    .references(() => members.id, { onDelete: "cascade" }),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  usedAt: integer("used_at", { mode: "timestamp_ms" }),
});

// A member's new e-mail address, waiting until the link mailed to it is followed (24 hours, once).
// Only a hash of the token is stored; the member's address stays the old one until then.
export const emailChanges = sqliteTable(
  "email_changes",
  {
    tokenHash: text("token_hash").primaryKey(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    // Normalised like members.email.
    newEmail: text("new_email").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("email_changes_member").on(t.memberId)],
);

// Founder invitations (governance.md §1): a founder invites someone by mail while the network
// bootstraps. Only a hash of the token is stored; the address is not kept.
export const founderInvitations = sqliteTable("founder_invitations", {
  tokenHash: text("token_hash").primaryKey(),
  invitedBy: text("invited_by").references(() => members.id, { onDelete: "set null" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  // Accepted by the invited member: a founder once more than half of the founders with a voice said yes.
  usedAt: integer("used_at", { mode: "timestamp_ms" }),
  usedBy: text("used_by").references(() => members.id, { onDelete: "set null" }),
  confirmedAt: integer("confirmed_at", { mode: "timestamp_ms" }),
});

// The founders who said yes to a founder invitation that was accepted (governance.md §1): the
// invitation itself is its inviter's yes.
export const founderConfirmations = sqliteTable(
  "founder_confirmations",
  {
    tokenHash: text("token_hash")
      .notNull()
      .references(() => founderInvitations.tokenHash, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tokenHash, t.memberId] })],
);

/** A witness who was at a meeting did not see a member who checked in there (docs/decisions/051). */
export const unseenCheckIns = sqliteTable(
  "unseen_check_ins",
  {
    registrationId: integer("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    witnessId: text("witness_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.registrationId, t.witnessId] })],
);

export const hostRequestAnswers = ["accepted", "declined", "lazy-consent", "withdrawn"] as const;

// Asking to join an initiative as co-host (governance.md §2): a current host accepts or declines;
// a request from a member with a voice that nobody answers is accepted after a week.
export const hostRequests = sqliteTable(
  "host_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    initiativeId: integer("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }),
    answer: text("answer", { enum: hostRequestAnswers }),
    answeredBy: text("answered_by").references(() => members.id, { onDelete: "set null" }),
  },
  (t) => [index("host_requests_open").on(t.answeredAt, t.createdAt), index("host_requests_initiative").on(t.initiativeId, t.answeredAt)],
);

// Who decides an initiative proposal, fixed when it opens (governance.md §3).
export const proposalElectorate = sqliteTable(
  "proposal_electorate",
  {
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.memberId] })],
);

// Every version of a proposal's outcome statement, with its author (governance.md §3).
export const proposalStatements = sqliteTable(
  "proposal_statements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    memberId: text("member_id").references(() => members.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("proposal_statements_proposal").on(t.proposalId, t.id)],
);

// Issue 16: accepting the author's one edit of hidden content (governance.md §4): it returns when a
// member with a voice who flagged it, or two members with a voice, accept the edit.
export const editAcceptances = sqliteTable(
  "edit_acceptances",
  {
    targetType: text("target_type", { enum: flagTargets }).notNull(),
    targetId: text("target_id").notNull(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.targetType, t.targetId, t.memberId] })],
);

// The fields of a working method, shared by the method and each of its versions.
const methodFields = () => ({
  title: text("title").notNull(),
  // What it is for.
  purpose: text("purpose").notNull().default(""),
  groupSize: text("group_size").notNull().default(""),
  duration: text("duration").notNull().default(""),
  materials: text("materials").notNull().default(""),
  // Markdown.
  steps: text("steps").notNull().default(""),
  variations: text("variations").notNull().default(""),
  learned: text("learned").notNull().default(""),
  // Normalised tags joined by ", " (method_tags holds them one per row).
  tags: text("tags").notNull().default(""),
});

// Working methods (werkvormen, issue 15): a library any member adds to and any member with a
// voice edits; every version is kept in method_versions. Flags hide them like other content.
export const methods = sqliteTable(
  "methods",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ...methodFields(),
    createdBy: text("created_by").references(() => members.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    ...moderation(),
  },
  (t) => [index("methods_updated").on(t.updatedAt)],
);

export const methodVersions = sqliteTable(
  "method_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    methodId: integer("method_id")
      .notNull()
      .references(() => methods.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    ...methodFields(),
    memberId: text("member_id").references(() => members.id, { onDelete: "set null" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("method_versions_method").on(t.methodId, t.version), index("method_versions_at").on(t.at)],
);

export const methodTags = sqliteTable(
  "method_tags",
  {
    methodId: integer("method_id")
      .notNull()
      .references(() => methods.id, { onDelete: "cascade" }),
    tag: text("tag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.methodId, t.tag] }), index("method_tags_tag").on(t.tag, t.methodId)],
);

// "We used: …": methods a host attached to a session.
export const sessionMethods = sqliteTable(
  "session_methods",
  {
    sessionId: integer("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    methodId: integer("method_id")
      .notNull()
      .references(() => methods.id, { onDelete: "cascade" }),
    addedBy: text("added_by").references(() => members.id, { onDelete: "set null" }),
    addedAt: integer("added_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.methodId] }), index("session_methods_method").on(t.methodId, t.sessionId)],
);

// Methods an outcome names.
export const outcomeMethods = sqliteTable(
  "outcome_methods",
  {
    outcomeId: integer("outcome_id")
      .notNull()
      .references(() => outcomes.id, { onDelete: "cascade" }),
    methodId: integer("method_id")
      .notNull()
      .references(() => methods.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.outcomeId, t.methodId] }), index("outcome_methods_method").on(t.methodId, t.outcomeId)],
);

// A shared link to a member's record of learning (issue 15): /verify/:code shows the facts
// straight from the database. `facts` holds the attended sessions and minutes when the link was
// made, so a record that no longer matches the database says so. The member can withdraw it.
export const learningLinks = sqliteTable(
  "learning_links",
  {
    code: text("code").primaryKey(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    // The calendar year the link covers; null: the whole record.
    year: integer("year"),
    // The name the record shows, as the member chose it for this link (for a register, their
    // full name; their display name by default).
    name: text("name").notNull(),
    facts: text("facts", { mode: "json" }).$type<{ sessionId: number; minutes: number }[]>().notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    withdrawnAt: integer("withdrawn_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("learning_links_member").on(t.memberId)],
);

// Issue 17: the discussion on a proposal; the comment rules apply (newcomer limits, flags, hiding).
export const proposalComments = sqliteTable(
  "proposal_comments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id),
    body: text("body").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    ...moderation(),
  },
  (t) => [index("proposal_comments_proposal").on(t.proposalId, t.createdAt), index("proposal_comments_member").on(t.memberId, t.createdAt)],
);

// Every version of a proposal (issue 17): version 1 as opened, then each amendment with what it
// answers. The proposal row holds the version in force.
export const proposalVersions = sqliteTable(
  "proposal_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    effect: text("effect", { mode: "json" }).$type<ProposalEffect>(),
    // What the amendment answers (the objection it meets); empty for version 1.
    answers: text("answers").notNull().default(""),
    memberId: text("member_id").references(() => members.id, { onDelete: "set null" }),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("proposal_versions_proposal").on(t.proposalId, t.version)],
);

// Issue 17: a date poll ("prikken") of an initiative's hosts. The link (by its unguessable code)
// is shared; members and visitors answer each option yes, if need be, or no.
export const datePolls = sqliteTable(
  "date_polls",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull(),
    initiativeId: integer("initiative_id")
      .notNull()
      .references(() => initiatives.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    note: text("note").notNull().default(""),
    createdBy: text("created_by").references(() => members.id, { onDelete: "set null" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    closedAt: integer("closed_at", { mode: "timestamp_ms" }),
    // The session the winning option became.
    sessionId: integer("session_id").references(() => sessions.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("date_polls_code").on(t.code), index("date_polls_initiative").on(t.initiativeId)],
);

export const pollOptions = sqliteTable(
  "poll_options",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    pollId: integer("poll_id")
      .notNull()
      .references(() => datePolls.id, { onDelete: "cascade" }),
    startsAt: integer("starts_at", { mode: "timestamp_ms" }).notNull(),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }).notNull(),
    place: text("place").notNull().default(""),
    venueId: integer("venue_id").references(() => venues.id, { onDelete: "set null" }),
    mode: text("mode", { enum: ["onsite", "online", "hybrid"] }).notNull().default("onsite"),
  },
  (t) => [index("poll_options_poll").on(t.pollId, t.startsAt)],
);

// One person's answers to a poll: a member, or a visitor by the name they typed (who can change
// their answers with the edit code kept in their link).
export const pollResponses = sqliteTable(
  "poll_responses",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    pollId: integer("poll_id")
      .notNull()
      .references(() => datePolls.id, { onDelete: "cascade" }),
    memberId: text("member_id").references(() => members.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    editCode: text("edit_code").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("poll_responses_poll").on(t.pollId, t.id),
    uniqueIndex("poll_responses_member").on(t.pollId, t.memberId).where(sql`member_id IS NOT NULL`),
    uniqueIndex("poll_responses_edit_code").on(t.editCode),
  ],
);

export const pollAnswers = ["yes", "maybe", "no"] as const;

export const pollAnswersTable = sqliteTable(
  "poll_answers",
  {
    responseId: integer("response_id")
      .notNull()
      .references(() => pollResponses.id, { onDelete: "cascade" }),
    optionId: integer("option_id")
      .notNull()
      .references(() => pollOptions.id, { onDelete: "cascade" }),
    answer: text("answer", { enum: pollAnswers }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.responseId, t.optionId] }), index("poll_answers_option").on(t.optionId)],
);

// What a host typed in a session's form before leaving it to add a venue (docs/decisions/055):
// only the form's own fields, each cut to its maximum, as JSON. One per member and form ("add:<the
// initiative's id>" or "edit:<the session's id>"); dropped when that session is saved, and unused
// after a day (older ones are removed whenever a draft is kept).
export const sessionDrafts = sqliteTable(
  "session_drafts",
  {
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    form: text("form").notNull(),
    fields: text("fields").notNull(),
    savedAt: integer("saved_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.form] }), index("session_drafts_saved").on(t.savedAt)],
);
