import { Form } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDate } from "~/lib/time";
import type { LearningLinkView } from "~/models/learning.types";

type MakeLinkProps = {
  years: number[];
  activeMax: number;
  defaultName: string;
  nameMax: number;
  errors?: FieldErrors;
  values?: Record<string, string>;
};

/** The form that makes a verification link: the whole record or one year, and the name to show. */
export function MakeLearningLink({ years, activeMax, defaultName, nameMax, errors, values }: MakeLinkProps) {
  const t = useT();
  return (
    <Form method="post" noValidate className="stack">
      <FormError errors={errors} params={{ max: activeMax }} />
      <Field name="scope" label={t("learning.links.scope")} errors={errors} required>
        <select id="field-scope" name="scope" defaultValue={values?.scope ?? "all"}>
          <option value="all">{t("learning.period.all")}</option>
          {years.map((y) => (
            <option key={y} value={String(y)}>
              {t("learning.period.year", { year: y })}
            </option>
          ))}
        </select>
      </Field>
      <Field name="name" label={t("learning.links.name")} hint={t("learning.links.name.hint", { max: nameMax })} errors={errors} defaultValue={values?.name ?? defaultName} maxLength={nameMax} autoComplete="name" />
      <button type="submit" name="intent" value="make" className="button">
        {t("learning.links.make")}
      </button>
    </Form>
  );
}

function PdfLinks({ query, label }: { query: string; label: string }) {
  const t = useT();
  return (
    <p className="row-links">
      <span>{label}</span>
      <a href={`/settings/learning.pdf?lang=nl${query}`} download hrefLang="nl">
        {t("learning.pdf.nl")}
      </a>
      <a href={`/settings/learning.pdf?lang=en${query}`} download hrefLang="en">
        {t("learning.pdf.en")}
      </a>
    </p>
  );
}

/** Download links for the whole record and for each year, in Dutch and English. */
export function LearningDownloads({ years }: { years: number[] }) {
  const t = useT();
  return (
    <>
      <PdfLinks query="" label={`${t("learning.period.all")}:`} />
      {years.map((y) => (
        <PdfLinks key={y} query={`&year=${y}`} label={`${t("learning.period.year", { year: y })}:`} />
      ))}
    </>
  );
}

/** The member's links: the address to copy, what it covers, its state, and withdrawing it. */
export function LearningLinkList({ links }: { links: LearningLinkView[] }) {
  const t = useT();
  const locale = useLocale();
  const zone = useTimeZone();
  if (!links.length) return <p className="muted">{t("learning.links.none")}</p>;
  return (
    <ul className="sessions">
      {links.map((link) => {
        const made = formatDate(link.createdAt, locale, zone);
        const period = link.year === null ? t("learning.period.all") : t("learning.period.year", { year: link.year });
        return (
          <li key={link.code} className="session">
            <p className="session-when">
              {link.name} · {period}
            </p>
            <p className="muted">{t("learning.links.made", { when: made })}</p>
            {link.withdrawnAt !== null ? (
              <p className="session-state cancelled">{t("learning.links.state.withdrawn", { when: formatDate(link.withdrawnAt, locale, zone) })}</p>
            ) : link.matches ? (
              <p className="session-state ok">{t("learning.links.state.active")}</p>
            ) : (
              <p className="session-state wait">{t("learning.links.state.changed")}</p>
            )}
            <div className="field">
              <label htmlFor={`link-${link.code}`}>{t("learning.links.url")}</label>
              <input id={`link-${link.code}`} type="text" readOnly value={link.url} />
            </div>
            {link.withdrawnAt === null ? (
              <>
                <PdfLinks query={`&code=${link.code}`} label={t("learning.links.pdf")} />
                <Form method="post">
                  <input type="hidden" name="code" value={link.code} />
                  <button type="submit" name="intent" value="withdraw" className="button secondary">
                    {t("learning.links.withdraw")}
                    <span className="visually-hidden"> ({t("learning.links.withdrawWhich", { name: link.name, period, when: made })})</span>
                  </button>
                </Form>
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
