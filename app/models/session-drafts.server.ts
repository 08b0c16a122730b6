// What a host typed in a session's form, kept while they add a venue (docs/decisions/055).
//
// The form's "Nieuwe plek toevoegen" is a submit button: the browser sends what was typed, with
// or without JavaScript. The session's route keeps it here (nothing of the session is saved) and
// sends the host to /venues/new with the way back; back on the form (`?draft=<name>`, and
// `&venue=<id>` once the venue is saved) the form's page fills in what was kept and picks the new venue.
//
// Bounded: only the form's own fields, each cut to its maximum (about 1 KB at most); one draft per
// tab of a form, the newest ten per member; unused after a day, and dropped when the session is
// saved (addSeries, updateSession).
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { db } from "~/lib/db.server";
import { cleanText } from "~/lib/forms";
import { repeats } from "~/lib/series";
import { sessionModes, type SessionFormValues } from "./sessions.types";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** The form that adds sessions to an initiative, or the form that changes one session. */
export type SessionFormRef = { initiativeId: number } | { sessionId: number };

/** A draft older than this is not used, and removed when the next one is kept. */
export const draftLifeMs = 24 * 60 * 60_000;
/** The most forms one member has a draft for at once; the oldest goes first. */
export const draftsPerMember = 10;

// The form's text fields and how long each may be (as the form's fields and its schema allow).
const textLimits = {
  startsAt: 20,
  endsAt: 20,
  place: 200,
  onlineUrl: 500,
  hostOrganisation: 120,
  capacity: 15,
  count: 15,
  learningHours: 5,
} as const;
const choices = { mode: sessionModes, repeat: repeats, scope: ["this", "later"] } as const;
// The session's venue, and when adding a series four more that take turns (components/session-form).
const venueSlots = { add: 5, edit: 1 };
// Fields only one of the two forms has.
const onlyWhenAdding = new Set(["repeat", "count"]);
const onlyWhenEditing = new Set(["scope", "learningHours"]);

const formKey = (form: SessionFormRef) => ("initiativeId" in form ? `add:${form.initiativeId}` : `edit:${form.sessionId}`);

// Each tab has a draft of its own: the first "add a venue" of a tab gets a new name for its draft,
// which the way back carries (`?draft=<name>`) and the form then sends again (a hidden field), so
// that two tabs of one form never fill in each other's typing.
const draftName = (value: unknown) => (typeof value === "string" && /^[A-Za-z0-9_-]{16}$/.test(value) ? value : null);
const draftKey = (form: SessionFormRef, name: string) => `${formKey(form)}#${name}`;
const formPath = (form: SessionFormRef) => ("initiativeId" in form ? `/initiatives/${form.initiativeId}/sessions` : `/sessions/${form.sessionId}/edit`);

/** The form's known fields from what was sent, each cut to its maximum; anything else is left out. */
function draftFields(form: SessionFormRef, formData: FormData): SessionFormValues {
  const adding = "initiativeId" in form;
  const skip = adding ? onlyWhenEditing : onlyWhenAdding;
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? cleanText(value.slice(0, 4 * 1024)) : undefined;
  };
  const fields: SessionFormValues = {};
  for (const [name, max] of Object.entries(textLimits) as [keyof typeof textLimits, number][]) {
    const value = text(name);
    if (value !== undefined && !skip.has(name)) fields[name] = value.slice(0, max);
  }
  for (const [name, allowed] of Object.entries(choices) as [keyof typeof choices, readonly string[]][]) {
    const value = text(name);
    if (value !== undefined && !skip.has(name) && allowed.includes(value)) fields[name] = value;
  }
  const venues = formData
    .getAll("venueId")
    .slice(0, adding ? venueSlots.add : venueSlots.edit)
    .map((v) => (typeof v === "string" ? v.trim() : ""));
  if (venues.length) fields.venueIds = venues.map((v) => (/^[1-9]\d{0,15}$/.test(v) ? v : "")).join(",");
  return fields;
}

/**
 * Keeps what the host typed in the session form (replacing their earlier draft of that form) and
 * gives the address of the venue form, which leads back to the session form afterwards.
 */
export function keepSessionDraft(memberId: string, form: SessionFormRef, formData: FormData, now = Date.now()): string {
  const fields = JSON.stringify(draftFields(form, formData));
  const name = draftName(formData.get("draft")) ?? randomBytes(12).toString("base64url");
  const key = draftKey(form, name);
  db().transaction(
    (tx) => {
      tx.run(sql`DELETE FROM session_drafts WHERE saved_at <= ${now - draftLifeMs}`);
      tx.run(sql`
        INSERT INTO session_drafts (member_id, form, fields, saved_at) VALUES (${memberId}, ${key}, ${fields}, ${now})
        ON CONFLICT (member_id, form) DO UPDATE SET fields = excluded.fields, saved_at = excluded.saved_at`);
      tx.run(sql`
        DELETE FROM session_drafts WHERE member_id = ${memberId} AND form NOT IN (
          SELECT form FROM session_drafts WHERE member_id = ${memberId} ORDER BY saved_at DESC, form LIMIT ${draftsPerMember})`);
    },
    { behavior: "immediate" },
  );
  return `/venues/new?back=${encodeURIComponent(`${formPath(form)}?draft=${name}`)}`;
}

/** Drops the member's drafts of the form, every tab's: the session was saved. */
export function dropSessionDraft(tx: Tx, memberId: string, form: SessionFormRef) {
  // The keys `<form>#<name>`: from "#" up to "$", the character after it.
  tx.run(sql`DELETE FROM session_drafts WHERE member_id = ${memberId} AND form > ${`${formKey(form)}#`} AND form < ${`${formKey(form)}$`}`);
}

/** The id in `?venue=` when it names a venue that exists; anything else is ignored. */
function pickedVenue(search: URLSearchParams): number | null {
  const text = search.get("venue") ?? "";
  if (!/^[1-9]\d{0,15}$/.test(text) || !Number.isSafeInteger(Number(text))) return null;
  const found = db().get<{ id: number } | undefined>(sql`SELECT id FROM venues WHERE id = ${Number(text)}`);
  return found ? found.id : null;
}

/**
 * The session form's values as the host comes back from the venue form: what they had typed
 * (when the address names the tab's draft with `?draft=<name>` and it is a day old or younger), else
 * `base`; the venue of `?venue=` picked as the session's venue; and the draft's name, which the
 * form sends again when the host adds another venue.
 */
export function sessionFormWithDraft(base: SessionFormValues, memberId: string, form: SessionFormRef, search: URLSearchParams, now = Date.now()) {
  let values = base;
  let restored = false;
  const name = draftName(search.get("draft"));
  if (name) {
    const row = db().get<{ fields: string } | undefined>(sql`
      SELECT fields FROM session_drafts WHERE member_id = ${memberId} AND form = ${draftKey(form, name)} AND saved_at > ${now - draftLifeMs}`);
    if (row) {
      values = JSON.parse(row.fields) as SessionFormValues;
      restored = true;
    }
  }
  const venue = pickedVenue(search);
  if (venue !== null) {
    const [, ...rest] = (values.venueIds ?? "").split(",");
    values = { ...values, venueIds: [String(venue), ...rest].join(",") };
  }
  return { values, restored, venuePicked: venue !== null, draft: name };
}
