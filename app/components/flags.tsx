import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDate } from "~/lib/time";

/** The fields of a flag: which house rule, and why. Rendered inside a <Form>. */
export function FlagForm({ rules, kind }: { rules: string[]; kind: "initiative" | "member" | "method" }) {
  const t = useT();
  return (
    <details className="flag-form">
      <summary>{kind === "member" ? t("flag.member") : kind === "method" ? t("method.flag") : t("flag.initiative")}</summary>
      <p className="hint">{t("flag.hint")}</p>
      <div className="field">
        <label htmlFor="flag-rule">{t("flag.rule")}</label>
        <select id="flag-rule" name="rule" required defaultValue="">
          <option value="" disabled>
            {t("flag.rule.choose")}
          </option>
          {rules.map((rule) => (
            <option key={rule} value={rule}>
              {rule}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="flag-reason">{t("flag.reason")}</label>
        <textarea id="flag-reason" name="reason" rows={3} required maxLength={1000} />
      </div>
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
