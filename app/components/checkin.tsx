// The full-screen check-in code for hosts, and the check-in form a scanned code opens.
import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatTimeRange } from "~/lib/time";
import { attendedKey } from "~/lib/attended-words";

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

export function CheckinScreenView({ session, code, url, qrSvg }: { session: SessionHeader; code: string | null; url: string | null; qrSvg: string | null }) {
  const t = useT();
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

export function CheckinPrefilled({ session, code, open, attended, now }: { session: SessionHeader; code: string; open: boolean; attended: boolean; now: number }) {
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
            {code ? t("hosts.checkin.codeFilled") : t("session.checkin.hint")}
          </p>
          <label htmlFor="checkin-code">{t("session.checkin.code")}</label>
          <input id="checkin-code" name="code" defaultValue={code} autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={12} aria-describedby="checkin-hint" required />
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
