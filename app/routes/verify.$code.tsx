import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { FactChanges } from "~/components/learning-changes";
import { LearningTotals, ListedSessions } from "~/components/learning-record";
import { getMember } from "~/lib/auth.server";
import { resolveLocale } from "~/lib/i18n/locale.server";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatDate } from "~/lib/time";
import { verificationPage } from "~/models/learning-page.server";

// Shared with a register or an employer, never with search engines.
export const meta: MetaFunction<typeof loader> = ({ matches, data: page }) => [
  ...titleMeta(matches, page?.state === "shown" ? null : page?.state === "withdrawn" ? "verify.withdrawn.title" : "verify.unknown.title", page?.state === "shown" ? page.title : undefined, { key: "verify.description" }),
  { name: "robots", content: "noindex" },
];

export const headers: HeadersFunction = () => ({ "X-Robots-Tag": "noindex" });

// /verify/:code[?year=2025[&page=2]] — a member's record of learning, for anyone, straight from
// the database; a long record lists one year's sessions at a time, a hundred per page.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const member = await getMember(request);
  const query = new URL(request.url).searchParams;
  const page = verificationPage(params.code ?? "", resolveLocale(request, member?.locale), { year: query.get("year"), page: query.get("page") });
  return data(page, { status: page.state === "unknown" ? 404 : page.state === "withdrawn" ? 410 : 200 });
}

export default function Verify() {
  const t = useT();
  const locale = useLocale();
  const zone = useTimeZone();
  const page = useLoaderData<typeof loader>();
  if (page.state !== "shown") {
    return (
      <section className="narrow">
        <h1>{t(page.state === "withdrawn" ? "verify.withdrawn.title" : "verify.unknown.title")}</h1>
        <p className="lead">{page.state === "withdrawn" ? t("verify.withdrawn.text", { when: formatDate(page.withdrawnAt, locale, zone) }) : t("verify.unknown.text")}</p>
        <p>
          <Link to="/how-it-works#learning">{t("verify.about")}</Link>
        </p>
      </section>
    );
  }
  const period = page.year === null ? t("learning.period.all") : t("learning.period.year", { year: page.year });
  return (
    <article className="narrow">
      <h1>{page.title}</h1>
      <p className="lead">
        {period} · {t("verify.madeOn", { when: formatDate(page.createdAt, locale, zone) })}
      </p>
      <p className="notice">
        <strong>{t("learning.notAccreditation")}</strong> {t("verify.nameNote")}
      </p>
      <FactChanges changes={page.changes} />
      <h2 id="totals">{t("learning.totals")}</h2>
      {page.record.sessions.length ? <LearningTotals record={page.record} caption={t("learning.totals")} /> : <p className="empty">{t("verify.empty")}</p>}
      {page.record.sessions.length ? (
        <>
          <h2 id="sessions">{t("verify.sessions")}</h2>
          <ListedSessions path={`/verify/${page.code}`} record={page.record} listing={page.listing} />
        </>
      ) : null}
      <p>
        <Link to="/how-it-works#learning">{t("verify.about")}</Link>
      </p>
    </article>
  );
}
