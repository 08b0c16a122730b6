import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { FieldDiff } from "~/components/method-diff";
import { getMember } from "~/lib/auth.server";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { formatDateTime } from "~/lib/time";
import { methodHistoryPage } from "~/models/method-page.server";
import { nameViewer } from "~/models/names.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data?.title ? titleMeta(matches, null, data.title) : [...titleMeta(matches, "flag.hidden.title"), { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await getMember(request);
  const page = methodHistoryPage(idParam(params.id), member, nameViewer(request, member));
  if (!page) throw data(null, { status: 404 });
  return page;
}

export default function MethodHistory() {
  const t = useT();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { id, title, versions } = useLoaderData<typeof loader>();
  return (
    <article className="narrow-wide">
      <p>
        <Link to={`/methods/${id}`}>← {t("method.backToMethod")}</Link>
      </p>
      <h1>{title ? t("method.history.title", { title }) : t("flag.hidden.title")}</h1>
      {title ? <p className="lead">{t("method.history.intro")}</p> : <p className="form-error">{t("flag.hidden.onlyVoices")}</p>}
      <ol className="history" reversed>
        {versions.map((v) => (
          <li key={v.version}>
            <h2>{t("method.history.version", { version: v.version })}</h2>
            <p>
              {v.author ? v.author.id ? <Link to={`/members/${v.author.id}`}>{v.author.displayName}</Link> : v.author.displayName : t("member.former")} ·{" "}
              {formatDateTime(v.at, locale, timeZone)}
            </p>
            {v.first ? <p className="muted">{t("method.history.first")}</p> : v.changes.length ? v.changes.map((c) => <FieldDiff key={c.name} change={c} />) : <p className="muted">{t("method.history.noChange")}</p>}
          </li>
        ))}
      </ol>
    </article>
  );
}
