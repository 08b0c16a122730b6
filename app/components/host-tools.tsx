// What a host of the initiative sees on their own sessions instead of sign-up buttons: the tools
// of governance.md §2 (edit, check-in screen, attendance, message, participant list).
import { Link } from "~/components/link";
import { useT } from "~/lib/i18n/react";

/** The links to a session's host tools. */
export function HostToolLinks({ sessionId, cancelled, label }: { sessionId: number; cancelled: boolean; label?: string }) {
  const t = useT();
  const hidden = label ? <span className="visually-hidden"> {label}</span> : null;
  return (
    <ul className="row-links host-tools" aria-label={t("hosts.tools.label")}>
      <li>
        <Link to={`/sessions/${sessionId}/edit`}>
          {t("session.edit")}
          {hidden}
        </Link>
      </li>
      {cancelled ? null : (
        <li>
          <Link to={`/sessions/${sessionId}/checkin/show`}>
            {t("hosts.tools.checkinScreen")}
            {hidden}
          </Link>
        </li>
      )}
      <li>
        <Link to={`/sessions/${sessionId}#participants-heading`}>
          {t("hosts.tools.attendance")}
          {hidden}
        </Link>
      </li>
      <li>
        <Link to={`/sessions/${sessionId}/message`}>
          {t("session.message")}
          {hidden}
        </Link>
      </li>
      <li>
        <a href={`/sessions/${sessionId}/participants.csv`}>
          {t("session.csv")}
          {hidden}
        </a>
      </li>
    </ul>
  );
}

/** In a list of sessions: "you host this" and the tools, where others see sign-up buttons. */
export function HostSessionTools({ sessionId, cancelled, label }: { sessionId: number; cancelled: boolean; label?: string }) {
  const t = useT();
  return (
    <div className="registration host-session-tools">
      <p className="session-state ok">{t("hosts.tools.youHost")}</p>
      <HostToolLinks sessionId={sessionId} cancelled={cancelled} label={label} />
    </div>
  );
}
