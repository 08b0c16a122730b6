import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { getMember } from "~/lib/auth.server";
import { useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { membersPage } from "~/models/members-page.server";
import { Avatar } from "~/components/picture";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "members.title", undefined, { key: "meta.description.members" });

export async function loader({ request }: LoaderFunctionArgs) {
  return membersPage(new URL(request.url).searchParams, await getMember(request));
}

export default function Members() {
  const t = useT();
  const { people, voiceCount, bootstrapping, filter, organisations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("members.title")}</h1>
      <p className="lead">{t("members.lead")}</p>
      <Form method="get" className="search" role="search" aria-label={t("members.search.label")}>
        <div className="field">
          <label htmlFor="q">{t("members.search")}</label>
          <input id="q" name="q" type="search" defaultValue={filter.q} placeholder={t("members.search.placeholder")} />
        </div>
        <div className="field">
          <label htmlFor="organisation">{t("profile.organisation")}</label>
          <select id="organisation" name="organisation" defaultValue={filter.organisation}>
            <option value="">{t("members.allOrganisations")}</option>
            {organisations.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </div>
        {filter.tag ? <input type="hidden" name="tag" value={filter.tag} /> : null}
        {filter.method ? <input type="hidden" name="method" value={filter.method.id} /> : null}
        <button type="submit" className="button">
          {t("feed.search.submit")}
        </button>
      </Form>
      {filter.tag ? (
        <p className="active-filter">
          {t("members.tagFilter", { tag: filter.tag })} <Link to="/members">{t("feed.clearTag")}</Link>
        </p>
      ) : null}
      {filter.method ? (
        <p className="active-filter">
          {filter.method.title ? t("method.directory.filter", { title: filter.method.title }) : t("method.directory.unknown")} <Link to="/members">{t("feed.clearTag")}</Link>
        </p>
      ) : null}
      <p className="muted">{t("members.intro", { n: people.length, voices: voiceCount })}</p>
      {bootstrapping ? <p className="notice">{t("voice.bootstrapping")}</p> : null}
      {people.length ? (
        <ul className="cards directory">
          {people.map((p) => (
            <li key={p.id} className="card">
              <h2 className="card-title with-avatar">
                {p.avatar ? <Avatar image={p.avatar} size="small" /> : null}
                <Link to={`/members/${p.id}`}>{p.displayName}</Link>
              </h2>
              <p className="muted">
                {[p.organisation, p.work].filter(Boolean).join(" · ")}
                {p.voice ? <span className="badge voice">{t("voice.badge")}</span> : null}
              </p>
              {p.nowText ? <p className="now-line">{t("now.prefix")} {p.nowText}</p> : null}
              {p.expertise.length ? (
                <ul className="tags" aria-label={t("profile.expertise")}>
                  {p.expertise.map((tag) => (
                    <li key={tag}>
                      <Link to={`/members?tag=${encodeURIComponent(tag)}`}>#{tag}</Link>
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">{t("members.none")}</p>
      )}
      <p>
        <Link to="/how-it-works">{t("nav.howItWorks")}</Link> · <Link to="/now">{t("now.page.title")}</Link>
      </p>
    </>
  );
}
