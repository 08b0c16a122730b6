import { Form, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link";
import { Field, FormError } from "~/components/field";
import { organisationRules } from "~/governance/config";
import type { FieldErrors } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";

/**
 * On an organisation's page: the open proposals to merge it, and for a member with a voice the
 * form that proposes merging it into another spelling (a network consent proposal).
 */
export function MergeSection({ organisationName, openMerges, canPropose, similar, names, loggedIn, errors, sent }: {
  organisationName: string;
  openMerges: { id: number; title: string }[];
  canPropose: boolean;
  similar: string[];
  names: string[];
  loggedIn: boolean;
  errors?: FieldErrors;
  sent: { into?: string; reason?: string };
}) {
  const t = useT();
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="merge-heading">
      <h2 id="merge-heading">{t("organisation.merge.title")}</h2>
      <p>{t("organisation.merge.intro")}</p>
      {openMerges.length ? (
        <ul className="plain">
          {openMerges.map((p) => (
            <li key={p.id}>
              <Link to={`/proposals/${p.id}`}>{p.title}</Link>
            </li>
          ))}
        </ul>
      ) : null}
      {canPropose ? (
        <Form method="post" noValidate className="stack">
          <FormError errors={errors} />
          <input type="hidden" name="intent" value="merge" />
          <Field
            name="into"
            label={t("organisation.merge.into", { name: organisationName })}
            hint={similar.length ? t("organisation.merge.similar", { names: similar.join(", ") }) : t("organisation.merge.intoHint")}
            errors={errors}
          >
            <input id="field-into" name="into" type="text" list="merge-names" required maxLength={120} defaultValue={sent.into ?? similar[0] ?? ""} />
          </Field>
          <datalist id="merge-names">
            {names.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
          <Field name="reason" label={t("organisation.merge.reason")} errors={errors} defaultValue={sent.reason} multiline rows={3} maxLength={organisationRules.mergeReasonMax} />
          <button type="submit" className="button" disabled={busy}>
            {t("organisation.merge.submit")}
          </button>
        </Form>
      ) : (
        <p className="muted">{loggedIn ? t("organisation.merge.noVoice") : t("organisation.merge.visitor")}</p>
      )}
    </section>
  );
}
