// The agenda's parts: filters, the switch between list, week and month, and the two grids as real
// tables (a caption, weekday headers, today marked with aria-current="date"). On a narrow screen
// the month table shows only the days with sessions, one under the other (agenda.css).
import { HostSessionTools } from "~/components/host-tools";
import { Form } from "@remix-run/react";
import { Link } from "~/components/link";
import type { ReactNode } from "react";
import { KindBadge } from "~/components/initiative-card";
import { ModeText, PlacesText } from "~/components/session-list";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import type { Locale } from "~/lib/i18n";
import { formatTimeRange, formatter } from "~/lib/time";
import type { AgendaDay, AgendaFilterValues, AgendaView, GridSession } from "~/models/agenda.types";

const kinds = ["course", "activity", "request"] as const;

/** /agenda with the filters that are set and the view's own parameters. */
export function agendaHref(filter: AgendaFilterValues, extra: Record<string, string> = {}, hash = "") {
  const params = new URLSearchParams(Object.entries({ ...extra, ...filter }).filter(([, v]) => v));
  const query = params.toString();
  return `/agenda${query ? `?${query}` : ""}${hash}`;
}

const tagOf = (locale: Locale) => (locale === "en" ? "en-GB" : "nl-NL");

/** Dates of the grid are calendar dates: formatted at noon UTC, so no zone can move them. */
function dateText(date: string, locale: Locale, options: Intl.DateTimeFormatOptions) {
  return formatter(tagOf(locale), { ...options, timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));
}

export function monthTitle(month: string, locale: Locale) {
  return dateText(`${month}-01`, locale, { month: "long", year: "numeric" });
}

function useClock() {
  const locale = useLocale();
  const timeZone = useTimeZone();
  const clock = formatter(tagOf(locale), { timeZone, hour: "2-digit", minute: "2-digit" });
  return (instant: number) => clock.format(instant);
}

export function AgendaFilters({ filter, view, hidden }: { filter: AgendaFilterValues; view: AgendaView; hidden: Record<string, string> }) {
  const t = useT();
  return (
    <Form method="get" className="search" role="search" aria-label={t("feed.search.label")}>
      {view !== "list" ? <input type="hidden" name="view" value={view} /> : null}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="field">
        <label htmlFor="q">{t("feed.search")}</label>
        <input id="q" name="q" type="search" defaultValue={filter.q} />
      </div>
      <div className="field">
        <label htmlFor="kind">{t("feed.kind")}</label>
        <select id="kind" name="kind" defaultValue={filter.kind}>
          <option value="">{t("feed.kind.all")}</option>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="mode">{t("agenda.mode")}</label>
        <select id="mode" name="mode" defaultValue={filter.mode}>
          <option value="">{t("agenda.mode.all")}</option>
          <option value="onsite">{t("agenda.mode.onsite")}</option>
          <option value="online">{t("agenda.mode.online")}</option>
        </select>
      </div>
      {filter.tag ? <input type="hidden" name="tag" value={filter.tag} /> : null}
      <button type="submit" className="button">
        {t("feed.search.submit")}
      </button>
    </Form>
  );
}

export function ViewSwitch({ view, filter, switchTo }: { view: AgendaView; filter: AgendaFilterValues; switchTo: { week: string; month: string } }) {
  const t = useT();
  const links: [AgendaView, string][] = [
    ["list", agendaHref(filter)],
    ["week", agendaHref(filter, { view: "week", week: switchTo.week })],
    ["month", agendaHref(filter, { view: "month", month: switchTo.month })],
  ];
  return (
    <nav aria-label={t("agenda.views")} className="view-switch">
      <ul>
        {links.map(([name, href]) => (
          <li key={name}>
            <Link to={href} aria-current={name === view ? "page" : undefined}>
              {t(`agenda.view.${name}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Previous, current and next month or week. */
export function PeriodNav({ label, previous, current, next }: { label: string; previous: [string, ReactNode] | null; current: [string, string] | null; next: [string, ReactNode] | null }) {
  return (
    <nav className="period-nav" aria-label={label}>
      {previous ? <Link to={previous[0]}>← {previous[1]}</Link> : <span />}
      {current ? <Link to={current[0]}>{current[1]}</Link> : <span />}
      {next ? <Link to={next[0]}>{next[1]} →</Link> : <span />}
    </nav>
  );
}

function SessionLink({ session, long }: { session: GridSession; long?: boolean }) {
  const t = useT();
  const clock = useClock();
  return (
    <Link to={`/sessions/${session.id}`} className="grid-session">
      <time dateTime={new Date(session.startsAt).toISOString()}>{long ? `${clock(session.startsAt)}–${clock(session.endsAt)}` : clock(session.startsAt)}</time> {session.title}
      {session.mode === "online" ? <span className="muted"> · {t("session.mode.online")}</span> : null}
    </Link>
  );
}

function TodayMark({ today }: { today: boolean }) {
  const t = useT();
  return today ? <strong className="today-mark">{t("agenda.today")}</strong> : null;
}

export function MonthTable({ month, weeks, filter }: { month: string; weeks: AgendaDay[][]; filter: AgendaFilterValues }) {
  const t = useT();
  const locale = useLocale();
  const weekdays = weeks[0].map((d) => d.date);
  return (
    <table className="month-grid">
      <caption>{monthTitle(month, locale)}</caption>
      <thead>
        <tr>
          {weekdays.map((date) => (
            <th key={date} scope="col">
              <span aria-hidden="true">{dateText(date, locale, { weekday: "short" })}</span>
              <span className="visually-hidden">{dateText(date, locale, { weekday: "long" })}</span>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {weeks.map((week) => (
          <tr key={week[0].date}>
            {week.map((day) => (
              <td key={day.date} className={[day.inMonth ? "" : "outside", day.items.length ? "busy" : "quiet", day.today ? "today" : ""].filter(Boolean).join(" ") || undefined} aria-current={day.today ? "date" : undefined}>
                <p className="day-label">
                  <span className="day-number" aria-hidden="true">
                    {day.day}
                  </span>
                  <span className="day-full">{dateText(day.date, locale, { weekday: "long", day: "numeric", month: "long" })}</span>
                  <TodayMark today={day.today} />
                </p>
                {day.items.length ? (
                  <ul>
                    {day.items.map((s) => (
                      <li key={s.id}>
                        <SessionLink session={s} />
                      </li>
                    ))}
                  </ul>
                ) : null}
                {day.more ? <Link to={agendaHref(filter, { view: "week", date: day.date }, `#d-${day.date}`)}>{t("agenda.month.more", { n: day.more })}</Link> : null}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function WeekTable({ caption, days }: { caption: string; days: AgendaDay[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <table className="week-grid">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("agenda.week.day")}</th>
          <th scope="col">{t("agenda.week.sessions")}</th>
        </tr>
      </thead>
      <tbody>
        {days.map((day) => (
          <tr key={day.date} id={`d-${day.date}`} className={day.today ? "today" : undefined} aria-current={day.today ? "date" : undefined}>
            <th scope="row">
              {dateText(day.date, locale, { weekday: "long", day: "numeric", month: "long" })} <TodayMark today={day.today} />
            </th>
            <td>
              {day.items.length ? (
                <ul>
                  {day.items.map((s) => (
                    <li key={s.id}>
                      <SessionLink session={s} long />
                      <span className="muted week-details">
                        <KindBadge kind={s.kind as (typeof kinds)[number]} />
                        {s.place ? ` · ${s.place}` : null}
                        {s.mode === "hybrid" ? (
                          <>
                            {" · "}
                            <ModeText mode={s.mode} />
                          </>
                        ) : null}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "Week 13 · 23 – 29 maart 2026". */
export function weekCaption(week: string, days: AgendaDay[], locale: Locale, t: ReturnType<typeof useT>) {
  const first = days[0].date;
  const last = days[days.length - 1].date;
  // Node's ICU puts thin spaces around the dash of a range that spans two months, Chromium's plain
  // ones: written by both, the caption must be the same text, or React redoes the page on hydrating.
  const range = formatter(tagOf(locale), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })
    .formatRange(new Date(`${first}T12:00:00Z`), new Date(`${last}T12:00:00Z`))
    .replace(/[\u2009\u202f]/g, " ");
  return t("agenda.week.caption", { week: Number(week.slice(6)), range });
}

type ListItem = { id: number; kind: string; startsAt: number; endsAt: number; title: string; mode: GridSession["mode"]; place: string; hostOrganisation: string; registered: number; capacity: number | null };

/** The list view: upcoming sessions as cards, twenty at a time. */
export function AgendaList({ items, filter, next, isFirstPage, hosting = [] }: { items: ListItem[]; filter: AgendaFilterValues; next: { startsAt: number; id: number } | null; isFirstPage: boolean; hosting?: number[] }) {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  return (
    <>
      {items.length ? (
        <ol className="agenda">
          {items.map((s) => (
            <li key={s.id} className="card">
              <p className="card-meta">
                <KindBadge kind={s.kind as (typeof kinds)[number]} />
                <span>{formatTimeRange(s.startsAt, s.endsAt, locale, timeZone)}</span>
              </p>
              <h2 className="card-title">
                <Link to={`/sessions/${s.id}`}>{s.title}</Link>
              </h2>
              <p className="muted">
                <ModeText mode={s.mode} />
                {[s.place, s.hostOrganisation].filter(Boolean).map((part) => ` · ${part}`)}
                {" · "}
                <PlacesText registered={s.registered} capacity={s.capacity} />
              </p>
              {hosting.includes(s.id) ? <HostSessionTools sessionId={s.id} cancelled={false} label={s.title} /> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">{t("agenda.empty")}</p>
      )}
      <nav className="pager" aria-label={t("feed.pages")}>
        {!isFirstPage ? <Link to={agendaHref(filter)}>{t("agenda.first")}</Link> : null}
        {next ? <Link to={agendaHref(filter, { after: `${next.startsAt}-${next.id}` })}>{t("agenda.later")}</Link> : null}
      </nav>
    </>
  );
}
