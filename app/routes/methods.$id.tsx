import { EditWaitingNotice } from "~/components/host-moderation";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { FlagForm, FlagList } from "~/components/flags";
import { MethodUses } from "~/components/method-uses";
import { getMember } from "~/lib/auth.server";
import { useLocale, useT } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { idParam } from "~/lib/params.server";
import { formatDate } from "~/lib/time";
import { methodPage } from "~/models/method-page.server";
import { nameViewer } from "~/models/names.server";

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  data?.method ? titleMeta(matches, null, data.method.title, { text: data.method.purpose }) : [...titleMeta(matches, "flag.hidden.title"), { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await getMember(request);
  const page = methodPage(idParam(params.id), member, nameViewer(request, member));
  if (!page) throw data(null, { status: 404 });
  return page;
}

export default function MethodPage() {
  const t = useT();
  const locale = useLocale();
  const { id, method, hidden, uses, can, rules, flags, timeZone } = useLoaderData<typeof loader>();
  return (
    <article className="narrow-wide method-page">
      <p>
        <Link to="/methods">← {t("method.backToList")}</Link>
      </p>
      <h1>{method ? method.title : t("flag.hidden.title")}</h1>
      {hidden ? (
        <p className="form-error">
          {t("method.hidden.notice", { rule: hidden.rule })} {hidden.authorEdit ? t("method.hidden.authorEdit") : hidden.canRead ? null : t("flag.hidden.onlyVoices")}
        </p>
      ) : null}
      {hidden?.waiting ? <EditWaitingNotice type="method" id={id} waiting={hidden.waiting} /> : null}
      {method ? (
        <>
          <p className="lead">{method.purpose}</p>
          <p className="muted">
            {method.author ? t("method.by", { name: method.author.displayName }) : t("member.former")} · {formatDate(method.createdAt, locale, timeZone)} ·{" "}
            {can.history ? <Link to={`/methods/${id}/history`}>{t("method.versionCount", { n: method.versions })}</Link> : null}
            {can.edit ? (
              <>
                {" · "}
                <Link to={`/methods/${id}/edit`}>{t("method.edit.link")}</Link>
              </>
            ) : null}
          </p>
          <dl className="facts">
            {method.groupSize ? (
              <>
                <dt>{t("method.field.groupSize")}</dt>
                <dd>{method.groupSize}</dd>
              </>
            ) : null}
            {method.duration ? (
              <>
                <dt>{t("method.field.duration")}</dt>
                <dd>{method.duration}</dd>
              </>
            ) : null}
            {method.materials ? (
              <>
                <dt>{t("method.field.materials")}</dt>
                <dd>{method.materials}</dd>
              </>
            ) : null}
          </dl>
          <h2>{t("method.field.steps")}</h2>
          <div className="prose" dangerouslySetInnerHTML={{ __html: method.stepsHtml }} />
          {method.variationsHtml ? (
            <>
              <h2>{t("method.field.variations")}</h2>
              <div className="prose" dangerouslySetInnerHTML={{ __html: method.variationsHtml }} />
            </>
          ) : null}
          {method.learnedHtml ? (
            <>
              <h2>{t("method.field.learned")}</h2>
              <div className="prose" dangerouslySetInnerHTML={{ __html: method.learnedHtml }} />
            </>
          ) : null}
          {method.tagList.length ? (
            <ul className="tags" aria-label={t("method.field.tags")}>
              {method.tagList.map((tag) => (
                <li key={tag}>
                  <Link to={`/methods?tag=${encodeURIComponent(tag)}`}>#{tag}</Link>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      {hidden ? null : <MethodUses methodId={id} uses={uses} timeZone={timeZone} />}
      {flags ? <FlagList flags={flags} /> : null}
      {can.flag && rules.length ? (
        <Form method="post" action={`/methods/${id}/flag`}>
          <FlagForm rules={rules} kind="method" />
        </Form>
      ) : null}
    </article>
  );
}
