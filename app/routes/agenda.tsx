import { getMember } from "~/lib/auth.server";
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AgendaFilters, AgendaList, agendaHref, MonthTable, monthTitle, PeriodNav, ViewSwitch, WeekTable, weekCaption } from "~/components/agenda-views";
import { useLocale, useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { agendaPage } from "~/models/agenda-page.server";
import agendaStyles from "~/styles/agenda.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: agendaStyles }];

export const meta: MetaFunction = ({ matches }) => [
  ...titleMeta(matches, "agenda.title", undefined, { key: "meta.description.agenda" }),
  { tagName: "link", rel: "alternate", type: "application/feed+json", href: "/agenda.json", title: "Meedoen — agenda" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getMember(request);
  return agendaPage(new URL(request.url).searchParams, viewer);
}

export default function Agenda() {
  const t = useT();
  const locale = useLocale();
  const page = useLoaderData<typeof loader>();
  const { filter } = page;
  const period: Record<string, string> = page.view === "month" ? { month: page.month } : page.view === "week" ? { week: page.week } : {};
  return (
    <>
      <h1>{t("agenda.title")}</h1>
      <p className="lead">{t(page.view === "list" ? "agenda.intro" : "agenda.intro.grid")}</p>
      <AgendaFilters filter={filter} view={page.view} hidden={period} />
      <ViewSwitch view={page.view} filter={filter} switchTo={page.switchTo} />
      <p className="row-links">
        <a href="/agenda.ics">{t("agenda.subscribe")}</a>
        <a href="/how-it-works#agenda-elsewhere">{t("agenda.elsewhere.link")}</a>
      </p>
      {page.view === "month" ? (
        <>
          <PeriodNav
            label={t("agenda.month.nav")}
            previous={page.previous ? [agendaHref(filter, { view: "month", month: page.previous }), monthTitle(page.previous, locale)] : null}
            current={page.isCurrent ? null : [agendaHref(filter, { view: "month" }), t("agenda.month.current")]}
            next={page.next ? [agendaHref(filter, { view: "month", month: page.next }), monthTitle(page.next, locale)] : null}
          />
          <p className="narrow-only hint">
            {t("agenda.month.narrow")} <a href={agendaHref(filter, { view: "week", week: page.switchTo.week })}>{t("agenda.view.week")}</a>
          </p>
          <div className="grid-frame">
            <MonthTable month={page.month} weeks={page.weeks} filter={filter} />
          </div>
          {page.weeks.every((week) => week.every((day) => !day.items.length)) ? <p className="empty">{t("agenda.month.empty", { month: monthTitle(page.month, locale) })}</p> : null}
        </>
      ) : page.view === "week" ? (
        <>
          <PeriodNav
            label={t("agenda.week.nav")}
            previous={page.previous ? [agendaHref(filter, { view: "week", week: page.previous }), t("agenda.week.previous")] : null}
            current={page.isCurrent ? null : [agendaHref(filter, { view: "week" }), t("agenda.week.current")]}
            next={page.next ? [agendaHref(filter, { view: "week", week: page.next }), t("agenda.week.next")] : null}
          />
          <div className="grid-frame">
            <WeekTable caption={weekCaption(page.week, page.days, locale, t)} days={page.days} />
          </div>
        </>
      ) : (
        <AgendaList items={page.items} filter={filter} next={page.next} isFirstPage={page.isFirstPage} hosting={page.hosting} />
      )}
      {page.view !== "list" && page.truncated ? <p className="hint">{t("agenda.truncated")}</p> : null}
    </>
  );
}
