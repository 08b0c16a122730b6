// Form handling shared by every route: text is cleaned before validation, and zod messages are
// dictionary keys, translated where the form is shown.
import { data } from "@remix-run/node";
import { z } from "zod";
import type { MessageKey } from "./i18n";

export type FieldErrors = Partial<Record<string, MessageKey>>;
export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/** Trims, normalises to NFC and drops control characters other than newline and tab. */
export function cleanText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.normalize("NFC").replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, "").trim();
}

export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !(key in values)) values[key] = cleanText(value);
  }
  return values;
}

export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): FormResult<z.output<S>> {
  const values = formValues(formData);
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message as MessageKey;
  }
  // Passwords are never sent back to the page.
  delete values.password;
  return { ok: false, errors, values };
}

/** A required text field with a maximum length; both messages are dictionary keys. */
export const requiredText = (max: number, requiredKey: MessageKey, tooLongKey: MessageKey) =>
  z.string({ error: requiredKey }).min(1, { error: requiredKey }).max(max, { error: tooLongKey });

export const optionalText = (max: number, tooLongKey: MessageKey) =>
  z.string().max(max, { error: tooLongKey }).optional().default("");

/** The submitted form, or a 400 when the body is not a form at all (wrong type, cut off). */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw data("Dit formulier kon niet worden gelezen. / This form could not be read.", { status: 400 });
  }
}
