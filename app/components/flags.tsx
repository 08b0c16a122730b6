import { Field } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDate } from "~/lib/time";

/**
 * The fields of a flag: which house rule, and why. Rendered inside a <Form>. A refused flag opens
 * it again with what was chosen and written, the refusal at the field it concerns.
 */
export function FlagForm({ rules, kind, errors, values }: { rules: string[]; kind: "initiative" | "member" | "method"; errors?: FieldErrors; values?: Record<string, string> }) {
  const t = useT();
  const refusedField = !!(errors?.rule || errors?.reason);
  return (
    <details className="flag-form" open={refusedField || undefined}>
      <summary>{kind === "member" ? t("flag.member") : kind === "method" ? t("method.flag") : t("flag.initiative")}</summary>
      <p className="hint">{t("flag.hint")}</p>
      <Field name="rule" label={t("flag.rule")} errors={errors} required>
        <select id="field-rule" name="rule" required defaultValue={values?.rule && rules.includes(values.rule) ? values.rule : ""}>
          <option value="" disabled>
            {t("flag.rule.choose")}
          </option>
          {rules.map((rule) => (
            <option key={rule} value={rule}>
              {rule}
            </option>
          ))}
        </select>
      </Field>
      <Field name="reason" label={t("flag.reason")} errors={errors} defaultValue={values?.reason} multiline rows={3} required maxLength={1000} />
      <button type="submit" className="button danger">
        {t("flag.submit")}
      </button>
    </details>
  );
}

export function FlagList({ flags }: { flags: { id: number; display_name: string; rule: string; reason: string; created_at: number }[] }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  if (!flags.length) return null;
  return (
    <section className="panel" aria-labelledby="flags-heading">
      <h2 id="flags-heading">{t("flag.standing", { n: flags.length })}</h2>
      <p className="hint">{t("flag.visibleTo")}</p>
      <ul className="people">
        {flags.map((f) => (
          <li key={f.id}>
            <strong>{f.display_name || t("member.former")}</strong> · {f.rule} · <span className="muted">{formatDate(f.created_at, locale, timeZone)}</span>
            <br />
            {f.reason}
          </li>
        ))}
      </ul>
    </section>
  );
}
