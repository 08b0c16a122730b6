import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { ConnectionsTable, MeetingPlaceBars, MeetingPlaceTable, MonthBars, MonthTable, NetworkMap, OrganisationBars, OrganisationTable, betweenHref, organisationHref } from "~/components/network";
import { getMember } from "~/lib/auth.server";
import { useLocale, useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { networkPage } from "~/models/network-page.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "network.title", undefined, { key: "meta.description.network" });

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getMember(request);
  return networkPage(viewer, new URL(request.url).searchParams);
}

export default function Network() {
  const t = useT();
  const locale = useLocale();
  const { layout, mapTotal, mapLinkTotal, connections, connectionTotal, organisations, organisationTotal, chart, months, between, places, placeTotal, slugs } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("network.title")}</h1>
      <p className="lead">{t("network.lead")}</p>

      <section aria-labelledby="map-title">
        <h2 id="map-title">{t("network.map.title")}</h2>
        {layout.nodes.length ? (
          <>
            <p id="map-description">
              {t("network.map.intro")} {t("network.map.description", { organisations: layout.nodes.length, links: layout.links.length })}
              {mapTotal > layout.nodes.length ? ` ${t("network.map.top", { shown: layout.nodes.length, total: mapTotal })}` : null}
              {mapLinkTotal > layout.links.length ? ` ${t("network.map.topLinks", { shown: layout.links.length, total: mapLinkTotal })}` : null}
            </p>
            {/* On a phone the map scrolls sideways rather than shrink the names out of sight. */}
            <div className={layout.radial ? "map-frame wide" : "map-frame"} tabIndex={0} role="region" aria-label={t("network.map.title")}>
              <NetworkMap layout={layout} titleId="map-title" descriptionId="map-description" selected={between} slugs={slugs} />
            </div>
          </>
        ) : (
          <p>{t("network.map.empty")}</p>
        )}
      </section>

      {between ? (
        <section id="samen" aria-labelledby="between-title" className="notice">
          <h2 id="between-title">{t("network.between.title", { a: between.a, b: between.b })}</h2>
          {between.initiatives.length ? (
            <ul>
              {between.initiatives.map((i) => (
                <li key={i.id}>
                  <Link to={`/initiatives/${i.id}`}>{i.title}</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("network.between.none")}</p>
          )}
          <p>
            <Link to="/network">{t("network.between.close")}</Link>
          </p>
        </section>
      ) : null}

      {connections.length ? (
        <section aria-labelledby="connections-title">
          <h2 id="connections-title">{t("network.table.title")}</h2>
          {connectionTotal > connections.length ? (
            <p>
              {t("network.table.more", { shown: connections.length, total: connectionTotal })} <Link to="/network/connections">{t("network.connections.all", { n: connectionTotal })}</Link>
            </p>
          ) : null}
          <div className="table-frame">
            <ConnectionsTable connections={connections} slugs={slugs} />
          </div>
        </section>
      ) : null}

      <section aria-labelledby="activity-title">
        <h2 id="activity-title">{t("network.activity.title")}</h2>
        <p>{t("network.activity.intro")}</p>
        <div className="chart-pair">
          <figure>
            <MonthBars months={months} value={(m) => m.sessions} title={t("network.activity.sessionsChart")} locale={locale} className="sessions" />
            <figcaption>{t("network.col.sessions")}</figcaption>
          </figure>
          <figure>
            <MonthBars months={months} value={(m) => m.attendance} title={t("network.activity.attendanceChart")} locale={locale} className="attendance" />
            <figcaption>{t("network.col.attendance")}</figcaption>
          </figure>
        </div>
        <div className="table-frame">
          <MonthTable months={months} locale={locale} />
        </div>
      </section>

      <section aria-labelledby="places-title">
        <h2 id="places-title">{t("network.places.title")}</h2>
        {places.length ? (
          <>
            <p>{t("network.places.intro")}</p>
            <MeetingPlaceBars places={places} title={t("network.places.chart")} />
            <div className="table-frame">
              <MeetingPlaceTable places={places} />
            </div>
            {placeTotal > places.length ? <p>{t("network.places.top", { shown: places.length, total: placeTotal })}</p> : null}
          </>
        ) : (
          <p>{t("network.places.empty")}</p>
        )}
        <p>
          <Link to="/organisations">{t("organisations.all")}</Link>
        </p>
      </section>

      <section aria-labelledby="organisations-title">
        <h2 id="organisations-title">{t("network.organisations.title")}</h2>
        {organisations.length ? (
          <>
            <p>
              {t("network.organisations.intro")}
              {organisationTotal > chart.length ? ` ${t("network.organisations.topOf", { shown: chart.length, rows: organisations.length, total: organisationTotal })}` : null}
            </p>
            <OrganisationBars organisations={chart} title={t("network.organisations.chart")} />
            <div className="table-frame">
              <OrganisationTable organisations={organisations} slugs={slugs} />
            </div>
            {organisationTotal > organisations.length ? (
              <p>
                <Link to="/network/organisations">{t("network.organisations.all", { n: organisationTotal })}</Link>
              </p>
            ) : null}
          </>
        ) : (
          <p>{t("network.organisations.empty")}</p>
        )}
      </section>
    </>
  );
}
