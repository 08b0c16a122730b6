// The session page's "add to calendar" links: the .ics file, and Google Calendar and Outlook.com
// filled in from the session's public facts (app/lib/calendar-links.ts), never its meeting link.
import { useRouteLoaderData } from "@remix-run/react";
import { googleCalendarUrl, outlookCalendarUrl } from "~/lib/calendar-links";
import { useT } from "~/lib/i18n/react";
import type { SessionMode } from "~/models/sessions.types";

type Props = {
  session: { id: number; initiativeTitle: string; initiativeSummary: string; startsAt: number; endsAt: number; place: string; mode: SessionMode };
  /** Decided by the page's model: not for a hidden initiative, a cancelled or an ended session. */
  offer: boolean;
};

export function AddToCalendar({ session, offer }: Props) {
  const t = useT();
  const origin = useRouteLoaderData<{ origin?: string }>("root")?.origin ?? "";
  const facts = {
    title: session.initiativeTitle,
    summary: session.initiativeSummary,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    location: session.mode === "online" ? t("session.mode.online") : session.place,
    pageUrl: `${origin}/sessions/${session.id}`,
  };
  return (
    <div className="add-to-calendar">
      <p className="row-links">
        <a href={`/sessions/${session.id}.ics`}>{t("session.calendar")}</a>
        {offer ? (
          <>
            <a href={googleCalendarUrl(facts)} rel="noopener">
              {t("calendar.add.google")}
            </a>
            <a href={outlookCalendarUrl(facts)} rel="noopener">
              {t("calendar.add.outlook")}
            </a>
          </>
        ) : null}
      </p>
      {offer && session.mode !== "onsite" ? <p className="hint">{t("calendar.add.hint")}</p> : null}
    </div>
  );
}
