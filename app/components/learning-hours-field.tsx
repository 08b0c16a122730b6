import { Field } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import { useLocale, useT } from "~/lib/i18n/react";
import { formatHours, hoursInput } from "~/lib/learning-hours";

/**
 * The learning hours a session gives its participants' records (issue 15): empty means the
 * session's length. `typed` is what the host sent when the form came back with an error.
 */
export function LearningHoursField({ minutes, lengthMinutes, typed, errors }: { minutes: number | null; lengthMinutes: number; typed?: string; errors?: FieldErrors }) {
  const t = useT();
  const locale = useLocale();
  const value = typed ?? (minutes === null ? "" : hoursInput(minutes, locale));
  return (
    <Field
      name="learningHours"
      label={t("session.learningHours")}
      hint={t("session.learningHours.hint", { amount: formatHours(lengthMinutes, locale) })}
      errors={errors}
      defaultValue={value}
      inputMode="decimal"
      maxLength={5}
    />
  );
}
