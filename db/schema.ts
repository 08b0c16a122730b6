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

export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    // Normalised (trimmed, lower case); never shown to anyone.
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    displayName: text("display_name").notNull(),
    organisation: text("organisation").notNull().default(""),
    // null: follow the browser's Accept-Language.
    locale: text("locale", { enum: ["nl", "en"] }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("members_email_unique").on(t.email)],
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
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("initiatives_kind_id").on(t.kind, t.id)],
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
