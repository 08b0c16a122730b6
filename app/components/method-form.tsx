import { Form, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import type { Params } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";

export type MethodFormValues = Partial<Record<"title" | "purpose" | "groupSize" | "duration" | "materials" | "steps" | "variations" | "learned" | "tags", string>>;

/** The fields of a working method, for adding one and for a new version. */
export function MethodForm({ values, errors, errorParams, submitLabel }: { values?: MethodFormValues; errors?: FieldErrors; errorParams?: Params; submitLabel: string }) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" noValidate className="stack">
      <FormError errors={errors} params={errorParams} />
      <Field name="title" label={t("method.field.title")} errors={errors} defaultValue={values?.title} required maxLength={120} />
      <Field name="purpose" label={t("method.field.purpose")} hint={t("method.field.purpose.hint")} errors={errors} defaultValue={values?.purpose} required maxLength={200} />
      <Field name="groupSize" label={t("method.field.groupSize")} hint={t("method.field.groupSize.hint")} errors={errors} defaultValue={values?.groupSize} maxLength={200} />
      <Field name="duration" label={t("method.field.duration")} hint={t("method.field.duration.hint")} errors={errors} defaultValue={values?.duration} maxLength={200} />
      <Field name="materials" label={t("method.field.materials")} errors={errors} defaultValue={values?.materials} maxLength={200} />
      <Field name="steps" label={t("method.field.steps")} hint={t("method.field.steps.hint")} errors={errors} defaultValue={values?.steps} required multiline rows={12} maxLength={20000} />
      <Field name="variations" label={t("method.field.variations")} errors={errors} defaultValue={values?.variations} multiline rows={5} maxLength={20000} />
      <Field name="learned" label={t("method.field.learned")} hint={t("method.field.learned.hint")} errors={errors} defaultValue={values?.learned} multiline rows={5} maxLength={20000} />
      <Field name="tags" label={t("method.field.tags")} hint={t("method.field.tags.hint")} errors={errors} defaultValue={values?.tags} />
      <p>
        <button type="submit" className="button" disabled={busy}>
          {submitLabel}
        </button>
      </p>
    </Form>
  );
}
