import { Form, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";

export type InitiativeFormValues = Partial<Record<"title" | "summary" | "body" | "kind" | "tags" | "place" | "target", string>>;

const kinds = ["course", "activity", "request"] as const;

export function InitiativeForm({ values, errors, errorParams, submitLabel }: { values?: InitiativeFormValues; errors?: FieldErrors; errorParams?: Params; submitLabel: string }) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  const kindError = errors?.kind;
  return (
    <Form method="post" noValidate className="stack">
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
      <button type="submit" className="button" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}
