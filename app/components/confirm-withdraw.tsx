import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatDateTime } from "~/lib/time";

export type WithdrawConfirmation = { sessionId: number; title: string; startsAt: number; waitlisted: boolean; undoMinutes: number };

/** The page between "cancel my sign-up" and doing it: what will happen, and the real button. */
export function ConfirmWithdraw({ confirm, redirectTo }: { confirm: WithdrawConfirmation; redirectTo: string }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const back = `/sessions/${confirm.sessionId}`;
  const params = { title: confirm.title || t("flag.hidden.title"), when: formatDateTime(confirm.startsAt, locale, timeZone), minutes: confirm.undoMinutes };
  return (
    <section className="narrow">
      <h1>{t(confirm.waitlisted ? "safe.leaveWaitlist.title" : "safe.withdraw.title")}</h1>
      <p>{t(confirm.waitlisted ? "safe.leaveWaitlist.what" : "safe.withdraw.what", params)}</p>
      <p className="hint">{t(confirm.waitlisted ? "safe.leaveWaitlist.undoHint" : "safe.withdraw.undoHint", params)}</p>
      <Form method="post" action={`/sessions/${confirm.sessionId}/cancel`} className="row-links">
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <input type="hidden" name="confirmed" value="yes" />
        <button type="submit" className="button danger">
          {t(confirm.waitlisted ? "safe.leaveWaitlist.submit" : "safe.withdraw.submit")}
        </button>
        <Link to={back}>{t("safe.keep")}</Link>
      </Form>
    </section>
  );
}
