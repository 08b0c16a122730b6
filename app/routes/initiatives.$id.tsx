import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { KindBadge, TagList } from "~/components/initiative-card";
import { getMember } from "~/lib/auth.server";
import { env } from "~/lib/env.server";
import { useLocale, useT } from "~/lib/i18n/react";
import { renderMarkdown } from "~/lib/markdown.server";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { formatDate } from "~/lib/time";
import { getInitiative } from "~/models/initiatives.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) => [
  ...titleMeta(matches, null, data?.initiative.title),
  ...(data ? [{ name: "description", content: data.initiative.summary }] : []),
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const initiative = getInitiative(idParam(params.id));
  if (!initiative) throw data(null, { status: 404 });
  const member = await getMember(request);
  return {
    initiative: {
      id: initiative.id,
      title: initiative.title,
      summary: initiative.summary,
      kind: initiative.kind,
      status: initiative.status,
      place: initiative.place,
      target: initiative.target,
      tagList: initiative.tagList,
      hosts: initiative.hosts,
      createdAt: initiative.createdAt.getTime(),
      updatedAt: initiative.updatedAt.getTime(),
      bodyHtml: renderMarkdown(initiative.body),
    },
    isHost: !!member && initiative.hosts.some((h) => h.id === member.id),
    timeZone: env().TZ_COMMUNITY,
  };
}

export default function InitiativePage() {
  const t = useT();
  const locale = useLocale();
  const { initiative, isHost, timeZone } = useLoaderData<typeof loader>();
  return (
    <article className="initiative">
      <header className="initiative-header">
        <p className="card-meta">
          <KindBadge kind={initiative.kind} />
          <span className="status">{t(`status.${initiative.status}`)}</span>
          {initiative.place ? <span className="place">{initiative.place}</span> : null}
        </p>
        <h1>{initiative.title}</h1>
        <p className="lead">{initiative.summary}</p>
        <TagList tags={initiative.tagList} />
        {isHost ? (
          <p>
            <Link className="button secondary" to={`/initiatives/${initiative.id}/edit`}>
              {t("initiative.edit")}
            </Link>
          </p>
        ) : null}
      </header>
      {initiative.target ? <p>{t("initiative.goesAheadWith", { n: initiative.target })}</p> : null}
      <div className="prose" dangerouslySetInnerHTML={{ __html: initiative.bodyHtml }} />
      <aside className="initiative-aside" aria-labelledby="hosts-heading">
        <h2 id="hosts-heading">{t("initiative.hosts")}</h2>
        {initiative.hosts.length ? (
          <ul>
            {initiative.hosts.map((host) => (
              <li key={host.id}>
                {host.displayName}
                {host.organisation ? <span className="muted"> · {host.organisation}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("initiative.lookingForHost")}</p>
        )}
        <p className="muted">
          {t("initiative.postedOn", { date: formatDate(initiative.createdAt, locale, timeZone) })}
        </p>
      </aside>
    </article>
  );
}
