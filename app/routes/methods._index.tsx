import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { getMember } from "~/lib/auth.server";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatDate } from "~/lib/time";
import { methodListPage } from "~/models/method-page.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "method.list.title", undefined, { key: "method.list.intro" });

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await getMember(request);
  return methodListPage(new URL(request.url).searchParams, member);
}

export default function Methods() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { items, nextCursor, filter, isFirstPage, can } = useLoaderData<typeof loader>();
  const filtered = !!(filter.q || filter.tag);
  const next = new URLSearchParams();
  if (filter.q) next.set("q", filter.q);
  if (filter.tag) next.set("tag", filter.tag);
  const first = next.toString();
  if (nextCursor) next.set("after", nextCursor);
  return (
    <>
      <h1>{t("method.list.title")}</h1>
      <p className="lead">{t("method.list.intro")}</p>
      {can.add ? (
        <p>
          <Link className="button" to="/methods/new">
            {t("method.list.add")}
          </Link>
        </p>
      ) : null}
      <Form method="get" className="search" aria-label={t("method.list.searchLabel")}>
        <div className="field">
          <label htmlFor="q">{t("method.list.search")}</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} maxLength={200} />
        </div>
        {filter.tag ? <input type="hidden" name="tag" value={filter.tag} /> : null}
        <button type="submit" className="button">
          {t("feed.search.submit")}
        </button>
      </Form>
      {filter.tag ? (
        <p className="active-filter">
          {t("method.list.tagFilter", { tag: filter.tag })} <Link to="/methods">{t("feed.clearTag")}</Link>
        </p>
      ) : null}
      {items.length ? (
        <ol className="cards">
          {items.map((m) => (
            <li key={m.id} className="card">
              <h2 className="card-title">
                <Link to={`/methods/${m.id}`}>{m.title}</Link>
              </h2>
              <p>{m.purpose}</p>
              <p className="muted">
                {[m.groupSize, m.duration].filter(Boolean).join(" · ")}
                {m.groupSize || m.duration ? " · " : null}
                {t("method.list.changed", { date: formatDate(m.updatedAt, locale, timeZone) })}
              </p>
              {m.tagList.length ? (
                <ul className="tags" aria-label={t("method.field.tags")}>
                  {m.tagList.map((tag) => (
                    <li key={tag}>
                      <Link to={`/methods?tag=${encodeURIComponent(tag)}`}>#{tag}</Link>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="empty">{t("method.list.none")}</p>
      )}
      <nav className="pager" aria-label={t("feed.pages")}>
        {!isFirstPage ? <Link to={filtered ? `/methods?${first}` : "/methods"}>{t("feed.newest")}</Link> : null}
        {nextCursor ? <Link to={`/methods?${next}`}>{t("method.list.older")}</Link> : null}
      </nav>
    </>
  );
}
