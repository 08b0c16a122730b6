// Form handling shared by every route: text is cleaned before validation, and zod messages are
// dictionary keys, translated where the form is shown.
import { data } from "@remix-run/node";
import { z } from "zod";
import type { MessageKey } from "./i18n";

export type FieldErrors = Partial<Record<string, MessageKey>>;
export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

// Characters nobody types on purpose and that only hide or disguise text: control characters
// (C0 other than tab and newline, DEL, C1), direction overrides, embeddings, isolates and marks
// (which can make "gnp.exe" read as "exe.png"), invisible zero-width characters (zero-width
// space, word joiner, invisible operators, byte order mark; the joiners U+200C/U+200D stay, emoji
// and several scripts need them), interlinear annotation, object and replacement characters,
// noncharacters and lone surrogates.
const invisible =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Trims, normalises to NFC and line ends to "\n", and drops control and invisible characters (see above). */
export function cleanText(value: string): string {
  return value.normalize("NFC").replace(/\r\n?|[\u2028\u2029]/g, "\n").replace(invisible, "").trim();
}

/** One text field of a form, cleaned: "" when it is missing or not text (a file). */
export function textField(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? cleanText(value) : "";
}

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !(key in values)) values[key] = cleanText(value);
  }
  return values;
}

/** The longest value sent back to a refused form: the longest field takes 20 000 characters. */
export const echoLimit = 20_000;

export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const values = formValues(formData);
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const found: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "form");
    found[field] ??= issue.message as MessageKey;
  }
  // In the order of the form on the page (a browser sends its fields in that order), so the first
  // error is the first field a reader meets; fields that were not sent at all come after.
  const sent = Object.keys(values);
  const rank = (field: string) => (sent.includes(field) ? sent.indexOf(field) : sent.length);
  const errors: FieldErrors = Object.fromEntries(Object.entries(found).sort(([a], [b]) => rank(a) - rank(b)));
  // Passwords are never sent back to the page, nor more text than any field takes (a browser
  // keeps to the fields' maxLength; a megabyte pasted by a script is not echoed twice).
  delete values.password;
  for (const key of Object.keys(values)) values[key] = values[key].slice(0, echoLimit);
  return { ok: false, errors, values };
}

/**
 * The same form sent again within this time (a double click, a reload that posts again, a
 * retry after a slow answer) is the same submission: it is answered as the first was, without
 * a second row. Later, the same text is a new contribution.
 */
export const resubmitWindowMs = 10 * 60_000;

/** Once: a model function asked for this returns the row a repeated submission already made. */
export type Once = { once?: boolean };

/**
 * A whole number as typed in a number field: digits only, so "1e3", "0x10", "1.5", "-2" and
 * "٣" are not numbers here (NaN, which the schema refuses); an empty field is `empty`.
 */
export const typedNumber =
  <T,>(empty: T) =>
  (value: string | undefined): number | T =>
    !value ? empty : /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;

/** A required text field with a maximum length; both messages are dictionary keys. */
export const requiredText = (max: number, requiredKey: MessageKey, tooLongKey: MessageKey) =>
  z.string({ error: requiredKey }).min(1, { error: requiredKey }).max(max, { error: tooLongKey });

export const optionalText = (max: number, tooLongKey: MessageKey) =>
  z.string().max(max, { error: tooLongKey }).optional().default("");

/**
 * One line: every run of white space, line ends and tabs included, becomes one space. A browser's
 * <input> sends no line ends, but a script can; a name or title with line ends in it would put
 * lines of its own in the mails and pages that show it ("Team Meedoen\n\nYour password expires…").
 */
export const oneLine = (value: string) => value.replace(/\s+/g, " ");

/** A required one-line field (a name, a title, a subject), made one line before it is measured. */
export const requiredLine = (max: number, requiredKey: MessageKey, tooLongKey: MessageKey) =>
  z.string({ error: requiredKey }).transform(oneLine).pipe(requiredText(max, requiredKey, tooLongKey));

/** An optional one-line field (a place, an organisation), "" when it is missing. */
export const optionalLine = (max: number, tooLongKey: MessageKey) =>
  z.string().transform(oneLine).pipe(z.string().max(max, { error: tooLongKey })).optional().default("");

/**
 * The most fields one form may have. The largest form has about twenty; the server refuses a body
 * with more (413) before any parser sees it (app/server.ts, app/lib/uploads.server.ts).
 */
export const formFieldLimit = 200;

/**
 * A model's refusal as the form's errors: at the field `fields` names for its key (the field it
 * concerns, so that it is said there and the field is marked), else above the form (a limit, a
 * permission, someone else's change). docs/forms-refusals.md lists which refusal goes where.
 */
export function refusalAt(key: MessageKey, fields: Partial<Record<MessageKey, string>>): FieldErrors {
  return { [fields[key] ?? "form"]: key };
}

/** A refusal of the whole page or form, as a 4xx whose error page says why, in the reader's language. */
export function formRefusal(key: MessageKey, status: number) {
  return data({ message: key }, { status });
}

/**
 * The submitted form, or a 400 when the body is not a form at all (wrong type, cut off), or a 413
 * when it has more than `formFieldLimit` fields (the server refuses those before they get here).
 */
export async function readFormData(request: Request): Promise<FormData> {
  let formData: FormData;
  try {
    formData = await request.formData();
  } catch {
    throw data("Dit formulier kon niet worden gelezen. / This form could not be read.", { status: 400 });
  }
  let fields = 0;
  for (const _ of formData.keys()) if (++fields > formFieldLimit) throw formRefusal("form.tooManyFields", 413);
  return formData;
}
