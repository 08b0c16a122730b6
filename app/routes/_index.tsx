import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link, linkTo } from "~/components/link";
import { InitiativeCard } from "~/components/initiative-card";
import { getMember } from "~/lib/auth.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { homePage } from "~/models/home-page.server";
import type { InitiativeKind } from "~/models/initiatives.server";
import { nameViewer } from "~/models/names.server";
import { AboutNetwork, EmptyNetwork } from "~/components/home-welcome";
import { useLocale, useTimeZone } from "~/lib/i18n/react";
import { formatTimeRange } from "~/lib/time";
import { LatestOutcomes } from "~/components/contributions";

export const meta: MetaFunction = ({ matches }) => [
  ...titleMeta(matches, null),
  // Feed readers find the network's Atom feed from the home page.
  { tagName: "link", rel: "alternate", type: "application/atom+xml", href: "/feed.xml", title: "Meedoen" },
];

// The kinds the filter offers (the page model reads the same list from the address).
const kinds: InitiativeKind[] = ["course", "activity", "request"];

export async function loader({ request }: LoaderFunctionArgs) {
  // Hosts and authors are named as this viewer may see them (names.server.ts).
  return homePage(new URL(request.url).searchParams, nameViewer(request, await getMember(request)));
}

export default function Feed() {
  const t = useT();
  const { items, nextCursor, filter, isFirstPage, upcoming, newOutcomes, showAbout, networkEmpty, loggedIn } = useLoaderData<typeof loader>();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const filtered = !!(filter.q || filter.kind || filter.tag);
  const nextParams = new URLSearchParams();
  if (filter.q) nextParams.set("q", filter.q);
  if (filter.kind) nextParams.set("kind", filter.kind);
  if (filter.tag) nextParams.set("tag", filter.tag);
  if (nextCursor) nextParams.set("after", String(nextCursor));
  return (
    <>
      <section className="intro">
        <h1>{t("feed.title")}</h1>
        <p className="lead">{t("feed.intro")}</p>
      </section>
      {showAbout ? <AboutNetwork /> : null}
      {networkEmpty ? <EmptyNetwork loggedIn={loggedIn} /> : null}
      {networkEmpty ? null : (
      <Form method="get" className="search" role="search" aria-label={t("feed.search.label")}>
        <div className="field">
          <label htmlFor="q">{t("feed.search")}</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} placeholder={t("feed.search.placeholder")} />
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
        {filter.tag ? <input type="hidden" name="tag" value={filter.tag} /> : null}
        <button type="submit" className="button">
          {t("feed.search.submit")}
        </button>
      </Form>
      )}
      {filter.tag ? (
        <p className="active-filter">
          {t("feed.tagFilter", { tag: filter.tag })} <Link to={filter.q || filter.kind ? `/?${new URLSearchParams({ q: filter.q, kind: filter.kind })}` : "/"}>{t("feed.clearTag")}</Link>
        </p>
      ) : null}
      {upcoming.length ? (
        <section aria-labelledby="upcoming-heading" className="upcoming">
          <h2 id="upcoming-heading">{t("feed.upcoming")}</h2>
          <ul>
            {upcoming.map((s) => (
              <li key={s.id}>
                <a {...linkTo(`/sessions/${s.id}`)}>{s.title}</a>
                <span className="muted">
                  {" "}
                  · {formatTimeRange(s.startsAt, s.endsAt, locale, timeZone)}
                  {s.place ? ` · ${s.place}` : ""}
                </span>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/agenda">{t("feed.allAgenda")} →</Link>
          </p>
        </section>
      ) : null}
      <LatestOutcomes outcomes={newOutcomes} />
      <h2 className="visually-hidden">{t("feed.results")}</h2>
      {items.length ? (
        <ol className="cards">
          {items.map((initiative) => (
            <li key={initiative.id}>
              <InitiativeCard initiative={initiative} />
            </li>
          ))}
        </ol>
      ) : networkEmpty ? null : (
        <p className="empty">{filtered ? t("feed.noResults") : t("feed.empty")}</p>
      )}
      <nav className="pager" aria-label={t("feed.pages")}>
        {!isFirstPage ? <Link to={filtered ? `/?${new URLSearchParams({ q: filter.q, kind: filter.kind, tag: filter.tag })}` : "/"}>{t("feed.newest")}</Link> : null}
        {nextCursor ? <Link to={`/?${nextParams}`}>{t("feed.older")}</Link> : null}
      </nav>
    </>
  );
}
