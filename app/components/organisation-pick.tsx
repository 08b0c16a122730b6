// Picking an organisation: a text field with the browser's own suggestion list (<datalist>, no
// JavaScript needed; without support it is a plain text field), and, when the name typed looks
// like one the network knows, the question "did you mean …?" as radio buttons.
import { ChoiceError, choiceErrorProps, Field } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";

export type OrganisationQuestion = { typed: string; candidates: { id: number; name: string }[] };

export function OrganisationPick({
  label,
  hint,
  value,
  errors,
  names,
  ask,
  maxLength,
  name = "organisation",
  listId = "organisations",
}: {
  label: string;
  hint?: string;
  value: string;
  errors?: FieldErrors;
  names: string[];
  ask?: OrganisationQuestion | null;
  maxLength: number;
  name?: string;
  listId?: string;
}) {
  const t = useT();
  const askFirst = errors && Object.keys(errors).find((k) => k !== "form" && errors[k]) === "organisationChoice";
  return (
    <>
      <Field name={name} label={label} hint={hint} errors={errors}>
        <input id={`field-${name}`} name={name} type="text" list={listId} defaultValue={value} maxLength={maxLength} autoComplete="organization" />
      </Field>
      <datalist id={listId}>
        {names.map((n) => (
          <option key={n} value={n} />
        ))}
      </datalist>
      {/* The name the question is about: an answer counts only for that very name. */}
      {ask ? <input type="hidden" name="organisationConfirmed" value={ask.typed} /> : null}
      {ask ? (
        <fieldset className="field" {...choiceErrorProps("organisationChoice", errors)}>
          <legend>{t("organisation.ask.legend", { name: ask.typed })}</legend>
          <div className="choices">
            {ask.candidates.map((c, i) => (
              <label key={c.id} className="choice">
                <input type="radio" name="organisationChoice" value={String(c.id)} autoFocus={askFirst && i === 0 ? true : undefined} />
                <span>
                  <strong>{c.name}</strong>
                </span>
              </label>
            ))}
            <label className="choice">
              <input type="radio" name="organisationChoice" value="new" />
              <span>{t("organisation.ask.new", { name: ask.typed })}</span>
            </label>
          </div>
          <ChoiceError name="organisationChoice" errors={errors} />
        </fieldset>
      ) : null}
    </>
  );
}
