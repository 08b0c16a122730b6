import { Form, useNavigation } from "@remix-run/react";
import { Field, FormError, ImageField } from "~/components/field";
import { Picture } from "~/components/picture";
import type { FieldErrors } from "~/lib/forms";
import type { ImageRef } from "~/lib/images";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";

export type InitiativeFormValues = Partial<Record<"title" | "summary" | "body" | "kind" | "tags" | "place" | "target" | "coverAlt" | "removeCover", string>>;

const kinds = ["course", "activity", "request"] as const;

type InitiativeFormProps = {
  values?: InitiativeFormValues;
  errors?: FieldErrors;
  errorParams?: Params;
  submitLabel: string;
  /** The current cover, when editing an initiative that has one. */
  cover?: ImageRef | null;
};

export function InitiativeForm({ values, errors, errorParams, submitLabel, cover }: InitiativeFormProps) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const kindError = errors?.kind;
  return (
    <Form method="post" encType="multipart/form-data" noValidate className="stack">
      <FormError errors={errors} params={errorParams} />
      <Field name="title" label={t("initiative.title")} errors={errors} defaultValue={values?.title} required maxLength={120} />
      <Field name="summary" label={t("initiative.summary")} hint={t("initiative.summary.hint")} errors={errors} defaultValue={values?.summary} required maxLength={280} multiline rows={3} />
      <fieldset className="field" aria-invalid={kindError ? true : undefined} aria-describedby={kindError ? "field-kind-error" : undefined}>
        <legend>{t("initiative.kind")}</legend>
        <div className="choices">
          {kinds.map((kind) => (
            <label key={kind} className="choice">
              <input type="radio" name="kind" value={kind} defaultChecked={(values?.kind ?? "activity") === kind} />
              <span>
                <strong>{t(`kind.${kind}`)}</strong> <span className="hint">{t(`kind.${kind}.hint`)}</span>
              </span>
            </label>
          ))}
        </div>
        {kindError ? (
          <p className="field-error" id="field-kind-error">
            {t(kindError)}
          </p>
        ) : null}
      </fieldset>
      <Field name="body" label={t("initiative.body")} hint={t("initiative.body.hint")} errors={errors} defaultValue={values?.body} multiline rows={12} maxLength={20000} />
      <Field name="tags" label={t("initiative.tags")} hint={t("initiative.tags.hint")} errors={errors} defaultValue={values?.tags} />
      <Field name="place" label={t("initiative.place")} errors={errors} defaultValue={values?.place} maxLength={200} />
      <Field name="target" type="number" inputMode="numeric" label={t("initiative.target")} hint={t("initiative.target.hint")} errors={errors} defaultValue={values?.target} />
      <fieldset className="field cover-fields">
        <legend>{t("initiative.cover")}</legend>
        <p className="hint">{t("initiative.cover.hint")}</p>
        {cover ? (
          <>
            <figure className="cover-preview">
              <Picture image={cover} alt={values?.coverAlt ?? ""} sizes="12rem" />
              <figcaption className="hint">{t("initiative.cover.current")}</figcaption>
            </figure>
            <label className="choice">
              <input type="checkbox" name="removeCover" defaultChecked={values?.removeCover === "on"} />
              <span>{t("initiative.cover.remove")}</span>
            </label>
          </>
        ) : null}
        <ImageField name="cover" label={cover ? t("initiative.cover.replace") : t("image.choose")} errors={errors} />
        <Field name="coverAlt" label={t("initiative.coverAlt")} hint={t("initiative.coverAlt.hint")} errors={errors} defaultValue={values?.coverAlt} maxLength={250} />
      </fieldset>
      <button type="submit" className="button" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}
