import { ChoiceError, choiceErrorProps, FormError } from "~/components/field";
import { Link } from "~/components/link";
import type { FieldErrors } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";

/** "Werkvormen: …" under an outcome. */
export function OutcomeMethods({ methods }: { methods?: { id: number; title: string }[] }) {
  const t = useT();
  if (!methods?.length) return null;
  return (
    <p className="outcome-methods">
      {t("method.outcome.shown")}{" "}
      {methods.map((m, i) => (
        <span key={m.id}>
          {i ? ", " : null}
          <Link to={`/methods/${m.id}`}>{m.title}</Link>
        </span>
      ))}
    </p>
  );
}

/** The outcome form's checkboxes: the methods the initiative's sessions used. */
export function OutcomeMethodChoices({ methods, checked = [], errors }: { methods?: { id: number; title: string }[]; checked?: string[]; errors?: FieldErrors }) {
  const t = useT();
  if (!methods?.length) return errors?.methodId ? <FormError errors={{ form: errors.methodId }} /> : null;
  return (
    <fieldset className="field" {...choiceErrorProps("methodId", errors)}>
      <legend>
        {t("method.outcome.label")} <span className="optional">{t("form.optional")}</span>
      </legend>
      <p className="hint">{t("method.outcome.hint")}</p>
      <div className="choices">
        {methods.map((m) => (
          <label key={m.id} className="choice">
            <input type="checkbox" name="methodId" value={m.id} defaultChecked={checked.includes(String(m.id))} />
            <span>{m.title}</span>
          </label>
        ))}
      </div>
      <ChoiceError name="methodId" errors={errors} />
    </fieldset>
  );
}
