// The initiative form with its cover photo, shared by "new initiative" and "edit initiative".
import { formValues, parseForm, type FieldErrors } from "./forms";
import { refusalInit, type ProcessOptions } from "./images.server";
import { processUpload, readUploadForm, type Upload } from "./uploads.server";
import { coverInput, initiativeInput, type InitiativeInput } from "~/models/initiatives.server";

export type InitiativeForm =
  | { ok: true; data: InitiativeInput; coverAlt: string; removeCover: boolean; upload: Upload; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * Reads and checks the form's fields; a picture sent with it is only read, not yet decoded (see
 * processCover). `hasCover`: the initiative has a cover now.
 */
export async function readInitiativeForm(request: Request, hasCover: boolean): Promise<InitiativeForm> {
  const { formData, upload } = await readUploadForm(request, "cover");
  const values = formValues(formData);
  const removeCover = formData.get("removeCover") === "on";
  const fields = parseForm(initiativeInput, formData);
  const cover = parseForm(coverInput(!!upload || (hasCover && !removeCover)), formData);
  if (fields.ok && cover.ok) return { ok: true, data: fields.data, coverAlt: cover.data.coverAlt, removeCover, upload, values };
  const errors: FieldErrors = { ...(fields.ok ? {} : fields.errors), ...(cover.ok ? {} : cover.errors) };
  // A browser does not send a chosen file again after an error: say so, next to the field.
  if (upload) errors.cover = "tooLarge" in upload ? "image.tooLarge" : "image.chooseAgain";
  return { ok: false, errors, values };
}

/** The cover sent with a valid form, decoded and re-encoded (nothing stored yet), or why not. */
export async function processCover(form: Extract<InitiativeForm, { ok: true }>, options: ProcessOptions = {}) {
  const processed = await processUpload(form.upload, options);
  if (processed && !processed.ok) return { ok: false as const, errors: { cover: processed.error } as FieldErrors, values: form.values, init: refusalInit(processed) };
  return { ok: true as const, image: processed?.image ?? null };
}
