import { cloneElement, isValidElement, useState, type ChangeEvent, type ReactNode } from "react";
import type { FieldErrors } from "~/lib/forms";
import { imageMaxBytes } from "~/lib/images";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";

type FieldProps = {
  name: string;
  label: string;
  hint?: string;
  errors?: FieldErrors;
  /** Values the field's error names ("at least {n, plural, …} places"). */
  params?: Params;
  defaultValue?: string | number | null;
  type?: string;
  multiline?: boolean;
  rows?: number;
  required?: boolean;
  maxLength?: number;
  autoComplete?: string;
  inputMode?: "numeric" | "decimal" | "text" | "email";
  /** For type="file": the kinds of file the picker offers. */
  accept?: string;
  onChange?: (event: ChangeEvent<HTMLInputElement>) => void;
  children?: ReactNode;
};

/** A labelled form field whose error, if any, is announced with it. */
export function Field({ name, label, hint, errors, params, defaultValue, type = "text", multiline, rows = 8, required, maxLength, autoComplete, inputMode, accept, onChange, children }: FieldProps) {
  const t = useT();
  const id = `field-${name}`;
  const errorKey = errors?.[name];
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, errorKey ? errorId : null].filter(Boolean).join(" ") || undefined;
  const described = {
    "aria-invalid": errorKey ? true : undefined,
    "aria-describedby": describedBy,
    "aria-errormessage": errorKey ? errorId : undefined,
  };
  // The first field in error takes focus when the page loads, so that without JavaScript too the
  // reader lands on it and hears its error (with JavaScript, root.tsx moves focus the same way).
  const autoFocus = errorKey && firstInError(errors) === name ? true : undefined;
  const common = { id, name, required, maxLength, autoComplete, autoFocus, defaultValue: defaultValue ?? undefined, ...described };
  // A control of its own (a select) gets the hint and the error announced with it too.
  const control = isValidElement(children) ? cloneElement(children, { ...described, autoFocus }) : children;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? null : <span className="optional"> {t("form.optional")}</span>}
      </label>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {control ?? (multiline ? <textarea rows={rows} {...common} /> : <input type={type} inputMode={inputMode} accept={accept} onChange={onChange} {...common} />)}
      {errorKey ? (
        <p className="field-error" id={errorId}>
          {t(errorKey, params)}
        </p>
      ) : null}
    </div>
  );
}

/** The name of the first field with an error (errors are listed in the order of the form). */
function firstInError(errors: FieldErrors | undefined) {
  return Object.keys(errors ?? {}).find((key) => key !== "form" && errors?.[key]);
}

/**
 * The message for the whole form (a limit, a permission, someone else's change), announced to
 * screen readers. When no field is in error it takes the focus, so that on a phone it is scrolled
 * into view and read, without JavaScript too (with JavaScript, root.tsx moves focus the same way).
 */
export function FormError({ errors, params }: { errors?: FieldErrors; params?: Params }) {
  const t = useT();
  const key = errors?.form;
  if (!key) return null;
  return (
    <p className="form-error" role="alert" tabIndex={-1} autoFocus={firstInError(errors) ? undefined : true}>
      {t(key, params)}
    </p>
  );
}

/** "You can try again in N minutes", under a refusal that asks to come back later (a 429). */
export function RetryAfterHint({ minutes }: { minutes?: number }) {
  const t = useT();
  return minutes ? <p className="hint">{t("auth.retryAfter", { minutes })}</p> : null;
}

/** The error of a group of choices (radio buttons in a fieldset), shown under the group. */
export function ChoiceError({ name, errors }: { name: string; errors?: FieldErrors }) {
  const t = useT();
  const key = errors?.[name];
  if (!key) return null;
  return (
    <p className="field-error" id={`field-${name}-error`}>
      {t(key)}
    </p>
  );
}

/** The attributes that tie a fieldset of choices to its error. */
export function choiceErrorProps(name: string, errors?: FieldErrors) {
  return errors?.[name] ? { "aria-invalid": true, "aria-describedby": `field-${name}-error` } : {};
}

// JPEG, PNG and WebP only: offered these, an iPhone converts its HEIC photos to JPEG itself
// (docs/decisions/016-images.md). The server reads by content and decides on its own.
const imageAccept = "image/jpeg,image/png,image/webp";

/** A photo to upload. With JavaScript, a file over 5 MB is refused at once, before it is sent. */
export function ImageField({ name, label, errors, required, hint }: { name: string; label: string; errors?: FieldErrors; required?: boolean; hint?: string }) {
  const t = useT();
  const [tooLarge, setTooLarge] = useState(false);
  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setTooLarge(!!file && file.size > imageMaxBytes);
    if (file && file.size > imageMaxBytes) event.target.value = "";
  };
  const shown: FieldErrors | undefined = tooLarge ? { ...errors, [name]: "image.tooLarge" } : errors;
  return <Field name={name} label={label} hint={hint ? `${t("image.formats")} ${hint}` : t("image.formats")} type="file" accept={imageAccept} errors={shown} onChange={onChange} required={required} />;
}
