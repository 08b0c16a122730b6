import { Form } from "@remix-run/react";
import { Field } from "~/components/field";
import type { FieldErrors } from "~/lib/forms";
import { useT } from "~/lib/i18n/react";

/**
 * The host's cancel form: a reason is required, since it goes to everyone signed up or waiting.
 * A refused reason is said at the field, with what was written and the sessions chosen.
 */
export function CancelSessionForm({ laterInSeries, errors, reason, scope }: { laterInSeries: boolean; errors?: FieldErrors; reason?: string; scope?: "this" | "later" }) {
  const t = useT();
  // Its own heading: after "save changes", its choice of sessions must not read as part of the edit.
  return (
    <section aria-labelledby="cancel-session-heading">
      <h2 id="cancel-session-heading">{t("session.cancelSession.title")}</h2>
      <Form method="post" className="danger-zone">
        <p className="hint">{t("session.cancelSession.hint")}</p>
        {laterInSeries ? (
          <fieldset className="field">
            <legend>{t("session.scope")}</legend>
            <div className="choices">
              <label className="choice">
                <input type="radio" name="scope" value="this" defaultChecked={scope !== "later"} />
                <span>{t("session.scope.this")}</span>
              </label>
              <label className="choice">
                <input type="radio" name="scope" value="later" defaultChecked={scope === "later"} />
                <span>{t("session.scope.later")}</span>
              </label>
            </div>
          </fieldset>
        ) : null}
        <Field name="reason" label={t("safe.cancel.reason")} hint={t("safe.cancel.reason.hint")} errors={errors} defaultValue={reason} multiline rows={3} maxLength={1000} required />
        <p className="hint">{t("safe.cancel.noUndo")}</p>
        <button type="submit" name="intent" value="cancel-session" className="button danger">
          {t("session.cancelSession")}
        </button>
      </Form>
    </section>
  );
}

/** On a cancelled session's page: that it is off, and why, in the hosts' words. */
export function CancelledNotice({ reason }: { reason: string }) {
  const t = useT();
  return (
    <div className="form-error">
      <p>{t("session.closed.cancelled")}</p>
      {reason ? <p className="prewrap">{t("safe.cancelled.reason", { reason })}</p> : null}
    </div>
  );
}
