import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { getMember } from "~/lib/auth.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { organisationsPage } from "~/models/organisation-page.server";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "organisations.title", undefined, { key: "organisations.lead" });

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getMember(request);
  return organisationsPage(new URL(request.url).searchParams.get("q") ?? "", viewer);
}

export default function Organisations() {
  const t = useT();
  const { q, organisations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("organisations.title")}</h1>
      <p className="lead">{t("organisations.lead")}</p>
      <Form method="get" className="search" role="search" aria-label={t("organisations.search.label")}>
        <div className="field">
          <label htmlFor="q">{t("organisations.search")}</label>
          <input id="q" name="q" type="search" defaultValue={q} maxLength={120} />
        </div>
        <button type="submit" className="button">
          {t("feed.search.submit")}
        </button>
      </Form>
      {q ? (
        <p className="active-filter">
          {t("organisations.searchFor", { q, n: organisations.length })} <Link to="/organisations">{t("organisations.search.clear")}</Link>
        </p>
      ) : null}
      {organisations.length ? (
        <div className="table-frame">
          <table className="data-table">
            <caption className="visually-hidden">{t("organisations.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("network.col.organisation")}</th>
                <th scope="col">{t("organisations.col.people")}</th>
                <th scope="col">{t("organisations.col.initiatives")}</th>
                <th scope="col">{t("organisations.col.meetings")}</th>
              </tr>
            </thead>
            <tbody>
              {organisations.map((o) => (
                <tr key={o.slug}>
                  <th scope="row">
                    <Link to={`/organisations/${o.slug}`}>{o.name}</Link>
                  </th>
                  <td>{o.people}</td>
                  <td>{o.initiatives}</td>
                  <td>{o.meetings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="empty">{q ? t("organisations.none.search") : t("organisations.none")}</p>
      )}
      <p>
        <Link to="/network">{t("network.title")}</Link> · <Link to="/members">{t("members.title")}</Link>
      </p>
    </>
  );
}
