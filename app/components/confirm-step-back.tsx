import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";

export type StepBackConfirmation = { initiativeId: number; title: string; lastHost: boolean; undoMinutes: number };

/** The page between "step back as host" and doing it. */
export function ConfirmStepBack({ confirm }: { confirm: StepBackConfirmation }) {
  const t = useT();
  const params = { title: confirm.title || t("flag.hidden.title"), minutes: confirm.undoMinutes };
  return (
    <section className="narrow">
      <h1>{t("safe.stepBack.title")}</h1>
      <p>{t("safe.stepBack.what", params)}</p>
      {confirm.lastHost ? <p>{t("safe.stepBack.lastHost")}</p> : null}
      <p className="hint">{t("safe.stepBack.undoHint", params)}</p>
      <Form method="post" action={`/initiatives/${confirm.initiativeId}/step-back`} className="row-links">
        <input type="hidden" name="confirmed" value="yes" />
        <button type="submit" className="button danger">
          {t("safe.stepBack.submit")}
        </button>
        <Link to={`/initiatives/${confirm.initiativeId}`}>{t("safe.stepBack.keep")}</Link>
      </Form>
    </section>
  );
}
