// The agenda as another website frames it (/embed/agenda): a whole small document with its own
// style sheet, no scripts, no forms; every link opens the full site in a new window. Rendered to
// static HTML by its route, outside the app's layout (no menu, no login, no cookies).
import type { Locale, Translate } from "~/lib/i18n";
import { formatTimeRange } from "~/lib/time";
import type { SessionMode } from "~/models/sessions.types";

export type EmbedAgendaProps = {
  locale: Locale;
  t: Translate;
  timeZone: string;
  origin: string;
  stylesheet: string;
  title: string;
  sessions: { id: number; title: string; startsAt: number; endsAt: number; place: string; mode: SessionMode }[] | null;
  morePath: string;
};

export function EmbedAgendaDocument({ locale, t, timeZone, origin, stylesheet, title, sessions, morePath }: EmbedAgendaProps) {
  const opensNew = <span className="new-window">{t("embed.newWindow")}</span>;
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} · Meedoen`}</title>
        <link rel="stylesheet" href={stylesheet} />
      </head>
      <body>
        <main>
          <h1>{title}</h1>
          {sessions === null ? (
            <p className="notice">{t("embed.unknown")}</p>
          ) : sessions.length ? (
            <ol>
              {sessions.map((s) => (
                <li key={s.id}>
                  <a href={`${origin}/sessions/${s.id}`} target="_blank" rel="noopener">
                    {s.title} {opensNew}
                  </a>
                  <span className="when">
                    <time dateTime={new Date(s.startsAt).toISOString()}>{formatTimeRange(s.startsAt, s.endsAt, locale, timeZone)}</time>
                  </span>
                  <span className="where">{[s.mode === "online" ? t("session.mode.online") : s.place, s.mode === "hybrid" ? t("session.mode.hybrid") : ""].filter(Boolean).join(" · ")}</span>
                </li>
              ))}
            </ol>
          ) : (
            <p className="notice">{t("embed.empty")}</p>
          )}
          <p className="more">
            <a href={`${origin}${morePath}`} target="_blank" rel="noopener">
              {t("embed.more")} {opensNew}
            </a>
          </p>
        </main>
      </body>
    </html>
  );
}
