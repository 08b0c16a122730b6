import { Form, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import { useT, useTimeZone } from "~/lib/i18n/react";

export type SessionFormValues = Partial<Record<"startsAt" | "endsAt" | "place" | "hostOrganisation" | "capacity", string>>;

export function SessionForm({ values, errors, submitLabel, action }: { values?: SessionFormValues; errors?: FieldErrors; submitLabel: string; action?: string }) {
  const t = useT();
  const zone = useTimeZone();
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post" action={action} noValidate className="stack">
      <FormError errors={errors} />
      <p className="hint">{t("session.timesHint", { zone })}</p>
      <Field name="startsAt" type="datetime-local" label={t("session.startsAt")} errors={errors} defaultValue={values?.startsAt} required />
      <Field name="endsAt" type="datetime-local" label={t("session.endsAt")} errors={errors} defaultValue={values?.endsAt} required />
      <Field name="place" label={t("session.place")} errors={errors} defaultValue={values?.place} maxLength={200} />
      <Field name="hostOrganisation" label={t("session.hostOrganisation")} hint={t("session.hostOrganisation.hint")} errors={errors} defaultValue={values?.hostOrganisation} maxLength={120} />
      <Field name="capacity" type="number" inputMode="numeric" label={t("session.capacity")} hint={t("session.capacity.hint")} errors={errors} defaultValue={values?.capacity} />
      <button type="submit" className="button" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}
