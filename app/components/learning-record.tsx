import { Link } from "~/components/link";
import { Pager } from "~/components/pager";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { formatHours } from "~/lib/learning-hours";
import { formatTimeRange } from "~/lib/time";
import type { LearningRecord, LearningSession, SessionListing } from "~/models/learning.types";

/** "2,5 uur" / "2.5 hours". */
export function Hours({ minutes }: { minutes: number }) {
  const t = useT();
  return <>{t("learning.hoursValue", { amount: formatHours(minutes, useLocale()) })}</>;
}

/** Sessions and learning hours per year, and in all. */
export function LearningTotals({ record, caption }: { record: LearningRecord; caption: string }) {
  const t = useT();
  return (
    <div className="table-frame">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("learning.year")}</th>
            <th scope="col">{t("learning.sessions")}</th>
            <th scope="col">{t("learning.hours")}</th>
          </tr>
        </thead>
        <tbody>
          {record.years.map((y) => (
            <tr key={y.year}>
              <th scope="row">{y.year}</th>
              <td>{y.sessions}</td>
              <td>
                <Hours minutes={y.minutes} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("learning.total")}</th>
            <td>
              <strong>{record.total.sessions}</strong>
            </td>
            <td>
              <strong>
                <Hours minutes={record.total.minutes} />
              </strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function LearningSessionItem({ session }: { session: LearningSession }) {
  const t = useT();
  const locale = useLocale();
  const zone = useTimeZone();
  return (
    <li className="session">
      <p className="session-when">
        {formatTimeRange(session.startsAt, session.endsAt, locale, zone)} · <Hours minutes={session.minutes} />
      </p>
      <p>{session.initiative ? <Link to={`/initiatives/${session.initiative.id}`}>{session.initiative.title}</Link> : <em>{t("learning.hiddenInitiative")}</em>}</p>
      <dl className="facts">
        <dt>{t("learning.hosts")}</dt>
        <dd>
          {session.hosts.length
            ? session.hosts.map((h, i) => (
                <span key={`${h.id ?? "x"}-${i}`}>
                  {i ? ", " : null}
                  {h.id ? <Link to={`/members/${h.id}`}>{h.name}</Link> : h.name}
                </span>
              ))
            : t("learning.noHosts")}
        </dd>
        {session.methods.length ? (
          <>
            <dt>{t("learning.methods")}</dt>
            <dd>
              {session.methods.map((m, i) => (
                <span key={m.id}>
                  {i ? ", " : null}
                  <Link to={`/methods/${m.id}`}>{m.title}</Link>
                </span>
              ))}
            </dd>
          </>
        ) : null}
        <dt>{t("learning.present")}</dt>
        <dd>{session.attendance === "code" ? t("learning.attendance.code") : t("learning.attendance.host")}</dd>
      </dl>
    </li>
  );
}

/**
 * The record's sessions as its page lists them: all of them, or for a long record one year and
 * page, with links to the other years and pages. `path` is the page's own address.
 */
export function ListedSessions({ path, record, listing }: { path: string; record: LearningRecord; listing: SessionListing | null }) {
  const t = useT();
  if (!listing) return <LearningSessions record={record} />;
  return (
    <>
      <p>{t("learning.list.byYear")}</p>
      <nav aria-label={t("learning.list.years")} className="view-switch">
        <ul>
          {record.years.map(({ year }) => (
            <li key={year}>
              <Link to={`${path}?year=${year}#sessions`} aria-current={year === listing.year ? "page" : undefined}>
                {year}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <LearningSessions record={record} />
      <Pager path={`${path}?year=${listing.year}`} hash="#sessions" page={listing.page} pages={listing.pages} from={listing.from} shown={record.sessions.length} total={listing.total} />
    </>
  );
}

/** The attended sessions, newest first, under a heading per year (the years it has sessions of). */
export function LearningSessions({ record, level = 3 }: { record: LearningRecord; level?: 2 | 3 }) {
  const t = useT();
  const Heading = level === 2 ? "h2" : "h3";
  const listed = new Set(record.sessions.map((s) => s.year));
  return (
    <>
      {record.years
        .filter((y) => listed.has(y.year))
        .map((y) => (
          <section key={y.year} aria-labelledby={`year-${y.year}`}>
            <Heading id={`year-${y.year}`}>
              {y.year} · {t("learning.sessionsCount", { n: y.sessions })} · <Hours minutes={y.minutes} />
            </Heading>
            <ol className="sessions">
              {record.sessions
                .filter((s) => s.year === y.year)
                .map((s) => (
                  <LearningSessionItem key={s.sessionId} session={s} />
                ))}
            </ol>
          </section>
        ))}
    </>
  );
}
