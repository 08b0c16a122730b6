import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { getMember } from "~/lib/auth.server";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { organisationPath } from "~/lib/organisation-links";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/time";
import { venuePage } from "~/models/venues.server";
import { venueAccess } from "~/components/venue-facts";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  titleMeta(matches, null, data?.venue.name, data ? { text: [data.venue.name, data.venue.address, data.venue.organisation?.name].filter(Boolean).join(" · ") } : undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getMember(request);
  const page = venuePage(idParam(params.id), viewer);
  if (!page) throw data(null, { status: 404 });
  return page;
}


export default function VenuePage() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { venue, coming, past, can } = useLoaderData<typeof loader>();
  const sessionList = (list: typeof coming) => (
    <ul className="plain">
      {list.map((s) => (
        <li key={s.id}>
          <time dateTime={new Date(s.startsAt).toISOString()}>{formatDateTime(s.startsAt, locale, timeZone)}</time> · <Link to={`/sessions/${s.id}`}>{s.title}</Link>
        </li>
      ))}
    </ul>
  );
  const has = venueAccess.filter((key) => venue[key]);
  return (
    <article className="narrow-wide">
      <p>{venue.organisation ? <Link to={organisationPath(venue.organisation.slug)}>← {venue.organisation.name}</Link> : <Link to="/organisations">← {t("organisations.title")}</Link>}</p>
      <h1>{venue.name}</h1>
      <dl className="facts">
        <dt>{t("venue.organisation")}</dt>
        <dd>{venue.organisation ? <Link to={organisationPath(venue.organisation.slug)}>{venue.organisation.name}</Link> : t("venue.organisation.none")}</dd>
        {venue.address ? (
          <>
            <dt>{t("venue.address")}</dt>
            <dd>{venue.address}</dd>
          </>
        ) : null}
        {venue.routeNotes ? (
          <>
            <dt>{t("venue.routeNotes")}</dt>
            <dd className="statement">{venue.routeNotes}</dd>
          </>
        ) : null}
        <dt>{t("venue.access")}</dt>
        <dd>{has.length ? has.map((key) => t(`venue.${key}`)).join(" · ") : t("venue.access.unknown")}</dd>
        {venue.accessNotes ? (
          <>
            <dt>{t("venue.accessNotes")}</dt>
            <dd className="statement">{venue.accessNotes}</dd>
          </>
        ) : null}
      </dl>
      {can.edit ? (
        <p>
          <Link to={`/venues/${venue.id}/edit`}>{t("venue.edit.title")}</Link>
        </p>
      ) : null}
      <section aria-labelledby="coming-heading">
        <h2 id="coming-heading">{t("venue.coming")}</h2>
        {coming.length ? sessionList(coming) : <p className="muted">{t("venue.coming.none")}</p>}
      </section>
      <section aria-labelledby="past-heading">
        <h2 id="past-heading">{t("venue.past")}</h2>
        {past.length ? sessionList(past) : <p className="muted">{t("venue.past.none")}</p>}
      </section>
    </article>
  );
}
