// The full-screen check-in code for hosts, and the check-in form a scanned code opens.
import { useEffect } from "react";
import { Form, useRevalidator } from "@remix-run/react";
import { Link } from "~/components/link";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatTimeRange } from "~/lib/time";
import { attendedKey } from "~/lib/attended-words";
import type { MessageKey } from "~/lib/i18n";

type SessionHeader = { id: number; title: string; startsAt: number; endsAt: number; cancelled: boolean };

function When({ session }: { session: SessionHeader }) {
  const locale = useLocale();
  const timeZone = useTimeZone();
  return <p className="lead">{formatTimeRange(session.startsAt, session.endsAt, locale, timeZone)}</p>;
}

/** A check-in code shown large, read out letter by letter by screen readers. */
export function SpokenCode({ code, className }: { code: string; className: string }) {
  return (
    <p className={className}>
      <span role="img" aria-label={code.split("").join(" ")}>
        {code}
      </span>
    </p>
  );
}

/** How often the check-in screen reads the number of check-ins again, with JavaScript. */
const recountMs = 20_000;

export function CheckinScreenView({ session, code, url, qrSvg, checkedIn }: { session: SessionHeader; code: string | null; url: string | null; qrSvg: string | null; checkedIn: number }) {
  const t = useT();
  const { revalidate } = useRevalidator();
  // The screen stays up for the whole meeting: the count follows the check-ins (without JavaScript, on reloading).
  useEffect(() => {
    if (!code) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState === "visible") revalidate();
    }, recountMs);
    return () => window.clearInterval(timer);
  }, [code, revalidate]);
  return (
    <section className="checkin-screen" aria-labelledby="checkin-screen-title">
      <h1 id="checkin-screen-title">
        {t("hosts.checkin.title")}
        {session.title ? <span className="muted"> · {session.title}</span> : null}
      </h1>
      <When session={session} />
      {code && url && qrSvg ? (
        <>
          <p>{t("hosts.checkin.instruction")}</p>
          <SpokenCode code={code} className="code-large" />
          <div className="qr" role="img" aria-label={t("hosts.checkin.qrAlt", { url })} dangerouslySetInnerHTML={{ __html: qrSvg }} />
          <p className="checkin-count">{t("hosts.checkin.count", { n: checkedIn })}</p>
          <p className="hint">{t("hosts.checkin.countHint")}</p>
        </>
      ) : (
        <p className="hint">{session.cancelled ? t("session.closed.cancelled") : t("hosts.checkin.notYet")}</p>
      )}
      <p>
        <Link to={`/sessions/${session.id}`}>← {t("hosts.checkin.back")}</Link>
      </p>
    </section>
  );
}

/** The check-in form: with the code of a scanned QR code, or again after a mistyped code (`error`). */
export function CheckinPrefilled({ session, code, open, attended, now, error = null }: { session: SessionHeader; code: string; open: boolean; attended: boolean; now: number; error?: MessageKey | null }) {
  const t = useT();
  return (
    <section className="narrow" aria-labelledby="checkin-title">
      <h1 id="checkin-title">
        {t("session.checkin")}
        {session.title ? `: ${session.title}` : null}
      </h1>
      <When session={session} />
      {attended ? (
        <p className="session-state ok">{t(attendedKey(now, session.startsAt, session.endsAt))}</p>
      ) : open ? (
        <Form method="post" action={`/sessions/${session.id}/checkin`} className="inline-fields">
          <p className="hint" id="checkin-hint">
            {code && !error ? t("hosts.checkin.codeFilled") : t("session.checkin.hint")}
          </p>
          <label htmlFor="checkin-code">{t("session.checkin.code")}</label>
          <input
            id="checkin-code"
            name="code"
            defaultValue={code}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={12}
            aria-describedby={error ? "checkin-hint checkin-code-error" : "checkin-hint"}
            aria-invalid={error ? true : undefined}
            aria-errormessage={error ? "checkin-code-error" : undefined}
            autoFocus={error ? true : undefined}
            required
          />
          {error ? (
            <p className="field-error" id="checkin-code-error">
              {t(error)}
            </p>
          ) : null}
          <button type="submit" className="button">
            {t("session.checkin.submit")}
          </button>
        </Form>
      ) : (
        <p className="hint">{session.cancelled ? t("session.closed.cancelled") : t("hosts.checkin.notYet")}</p>
      )}
      <p>
        <Link to={`/sessions/${session.id}`}>← {t("hosts.checkin.back")}</Link>
      </p>
    </section>
  );
}
