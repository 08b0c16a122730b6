import { Link } from "~/components/link";
import { useLocale, useT } from "~/lib/i18n/react";
import { formatDate } from "~/lib/time";
import type { MethodUse } from "~/models/methods.types";

/** Where a method was used: sessions and outcomes, newest first, and the people who used it. */
export function MethodUses({ methodId, uses, timeZone }: { methodId: number; uses: MethodUse; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section aria-labelledby="used-heading">
      <h2 id="used-heading">{t("method.usedIn")}</h2>
      {!uses.sessions.length && !uses.outcomes.length ? <p className="muted">{t("method.usedIn.none")}</p> : null}
      {uses.sessions.length ? (
        <>
          <h3>{t("method.usedIn.sessions")}</h3>
          <ul className="method-uses">
            {uses.sessions.map((s) => (
              <li key={s.id}>
                <Link to={`/sessions/${s.id}`}>{s.initiativeTitle}</Link> <span className="muted">· {formatDate(s.startsAt, locale, timeZone)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {uses.outcomes.length ? (
        <>
          <h3>{t("method.usedIn.outcomes")}</h3>
          <ul className="method-uses">
            {uses.outcomes.map((o) => (
              <li key={o.id}>
                <Link to={o.sessionId ? `/sessions/${o.sessionId}#outcome-${o.id}` : `/initiatives/${o.initiativeId}#outcome-${o.id}`}>{o.initiativeTitle}</Link>{" "}
                <span className="muted">· {formatDate(o.createdAt, locale, timeZone)}</span>
                <br />
                {o.excerpt}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {uses.sessions.length ? (
        <p>
          <Link to={`/members?method=${methodId}`}>{t("method.people")} →</Link>
        </p>
      ) : null}
    </section>
  );
}
