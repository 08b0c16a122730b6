import { Form } from "@remix-run/react";
import type { MessageKey } from "~/lib/i18n";
import { useT } from "~/lib/i18n/react";

/** The host's cancel form: a reason is required, since it goes to everyone signed up or waiting. */
export function CancelSessionForm({ laterInSeries, error, reason }: { laterInSeries: boolean; error?: MessageKey; reason?: string }) {
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
                <input type="radio" name="scope" value="this" defaultChecked />
                <span>{t("session.scope.this")}</span>
              </label>
              <label className="choice">
                <input type="radio" name="scope" value="later" />
                <span>{t("session.scope.later")}</span>
              </label>
            </div>
          </fieldset>
        ) : null}
        <div className="field">
          <label htmlFor="cancel-reason">{t("safe.cancel.reason")}</label>
          <p className="hint" id="cancel-reason-hint">
            {t("safe.cancel.reason.hint")}
          </p>
          {error ? (
            <p className="form-error" id="cancel-reason-error">
              {t(error)}
            </p>
          ) : null}
          <textarea
            id="cancel-reason"
            name="reason"
            rows={3}
            maxLength={1000}
            required
            defaultValue={reason}
            aria-describedby="cancel-reason-hint"
            aria-invalid={error ? true : undefined}
            aria-errormessage={error ? "cancel-reason-error" : undefined}
          />
        </div>
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
