import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatTimeRange } from "~/lib/time";
import { HostSessionTools } from "~/components/host-tools";
import type { SessionSummary } from "~/models/sessions.server";
import { attendedKey } from "~/lib/attended-words";

/** On site, online, or both, in words. */
export function ModeText({ mode }: { mode: "onsite" | "online" | "hybrid" }) {
  const t = useT();
  return <>{t(mode === "online" ? "session.mode.online" : mode === "hybrid" ? "session.mode.hybrid" : "session.mode.onsite")}</>;
}

export function PlacesText({ registered, capacity, waitlisted = 0 }: { registered: number; capacity: number | null; waitlisted?: number }) {
  const t = useT();
  return (
    <>
      {capacity === null ? t("session.placesUnlimited", { registered }) : t("session.places", { registered, capacity })}
      {capacity !== null && registered >= capacity ? <strong className="full"> · {t("session.full")}</strong> : null}
      {waitlisted ? ` · ${t("session.waitlistCount", { n: waitlisted })}` : null}
    </>
  );
}

/** Sign-up and withdraw buttons: plain forms, so they work without JavaScript. */
export function RegistrationControls({ session, loggedIn, redirectTo, now }: { session: SessionSummary; loggedIn: boolean; redirectTo: string; now: number }) {
  const t = useT();
  if (session.cancelled) return <p className="session-state cancelled">{t("session.cancelled")}</p>;
  if (session.attended) return <p className="session-state ok">{t(attendedKey(now, session.startsAt, session.endsAt))}</p>;
  const open = session.startsAt > now;
  const full = session.capacity !== null && (session.registered >= session.capacity || session.waitlisted > 0);
  return (
    <div className="registration">
      {session.myStatus === "registered" ? <p className="session-state ok">{t("session.youAreRegistered")}</p> : null}
      {session.myStatus === "waitlisted" ? <p className="session-state wait">{t("session.youAreWaitlisted", { position: session.myPosition ?? 0 })}</p> : null}
      {!open ? (
        <p className="muted">{t("session.closed")}</p>
      ) : !loggedIn ? (
        <>
          <Link className="button secondary" to={`/login?redirectTo=${encodeURIComponent(redirectTo)}`}>
            {t("session.loginToRegister")}
          </Link>
          <p className="hint">
            {t("signupPrompt.noAccount")} <Link to={`/signup?redirectTo=${encodeURIComponent(redirectTo)}`}>{t("home.join.signup")}</Link>
          </p>
        </>
      ) : session.myStatus ? (
        // A GET to the confirm page: the real POST is there, after saying what will happen.
        <Form method="get" action={`/sessions/${session.id}/cancel`}>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <button type="submit" className="button secondary">
            {t(session.myStatus === "waitlisted" ? "safe.leaveWaitlist" : "session.withdraw")}
          </button>
        </Form>
      ) : (
        <Form method="post" action={`/sessions/${session.id}/register`}>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <button type="submit" className="button">
            {full ? t("session.registerWaitlist") : t("session.register")}
          </button>
        </Form>
      )}
    </div>
  );
}

/** `hostTools`: the viewer hosts the initiative and sees their tools instead of sign-up buttons. */
export function SessionList({ sessions, loggedIn, redirectTo, now, hostTools = false }: { sessions: SessionSummary[]; loggedIn: boolean; redirectTo: string; now: number; hostTools?: boolean }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  if (!sessions.length) return <p className="muted">{t("session.none")}</p>;
  return (
    <ol className="sessions">
      {sessions.map((session) => (
        <li key={session.id} className={session.cancelled ? "session cancelled" : "session"}>
          <p className="session-when">
            <Link to={`/sessions/${session.id}`}>{formatTimeRange(session.startsAt, session.endsAt, locale, timeZone)}</Link>
          </p>
          <p className="muted">
            <ModeText mode={session.mode} />
            {[session.place, session.hostOrganisation].filter(Boolean).map((part) => ` · ${part}`)}
            <br />
            <PlacesText registered={session.registered} capacity={session.capacity} waitlisted={session.waitlisted} />
          </p>
          {hostTools ? (
            <HostSessionTools sessionId={session.id} cancelled={session.cancelled} label={t("hosts.tools.forSession", { when: formatTimeRange(session.startsAt, session.endsAt, locale, timeZone) })} />
          ) : (
            <RegistrationControls session={session} loggedIn={loggedIn} redirectTo={redirectTo} now={now} />
          )}
        </li>
      ))}
    </ol>
  );
}
