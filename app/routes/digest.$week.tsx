import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link";
import { DigestMethods } from "~/components/digest-methods";
import { useLocale, useT, useTimeZone } from "~/lib/i18n/react";
import { titleMeta } from "~/lib/meta";
import { formatDate, formatDateTime } from "~/lib/time";
import { getMember } from "~/lib/auth.server";
import { digestPage, parseWeek } from "~/models/digest.server";
import { nameViewer } from "~/models/names.server";
import { OpenProposals } from "~/components/digest-open-proposals";

export const meta: MetaFunction = ({ matches }) => titleMeta(matches, "digest.title", undefined, { key: "meta.description.digest" });

// GET /digest/2026-W48 — the newsletter of one ISO week, public like the feed; people are named as
// the reader may see them (names.server.ts).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const week = parseWeek(params.week ?? "");
  const page = week ? digestPage(week, new Date(), nameViewer(request, await getMember(request))) : null;
  // Nonsense and weeks that have not started yet do not exist.
  if (!page) throw data(null, { status: 404 });
  return page;
}

export default function DigestWeek() {
  const t = useT();
  const locale = useLocale();
  const zone = useTimeZone();
  const { digest, asked, previous, next, isCurrent, forMembers } = useLoaderData<typeof loader>();
  const empty = !digest.initiatives.length && !digest.sessions.length && !digest.outcomes.length && !digest.decisions.length && !digest.nowUpdates.length && !digest.openProposals.length && !digest.methods.length;
  return (
    <section className="narrow digest">
      <h1>{t(isCurrent ? "digest.thisWeek" : "digest.weekTitle", { week: digest.week })}</h1>
      <p className="muted">
        {t("digest.range", { from: formatDate(digest.start, locale, zone), to: formatDate(digest.end - 1, locale, zone) })}
      </p>
      <nav className="row-links" aria-label={t("digest.weeks")}>
        {previous ? (
          <Link to={`/digest/${previous}`} rel="prev">
            {t("digest.previous")}
          </Link>
        ) : null}
        {next ? (
          <Link to={`/digest/${next}`} rel="next">
            {t("digest.next")}
          </Link>
        ) : null}
      </nav>
      {empty ? <p>{t("digest.empty")}</p> : null}
      {digest.initiatives.length ? (
        <>
          <h2>{t("digest.initiatives")}</h2>
          <ul>
            {digest.initiatives.map((i) => (
              <li key={i.id}>
                <Link to={`/initiatives/${i.id}`}>{i.title}</Link> — {i.summary}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {digest.sessions.length ? (
        <>
          <h2>{t("digest.sessions")}</h2>
          <ul>
            {digest.sessions.map((s) => (
              <li key={s.id}>
                <time dateTime={new Date(s.startsAt).toISOString()}>{formatDateTime(s.startsAt, locale, zone)}</time>:{" "}
                <Link to={`/sessions/${s.id}`}>{s.title}</Link>
                {s.place ? ` (${s.place})` : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {digest.outcomes.length ? (
        <>
          <h2>{t("digest.outcomes")}</h2>
          <ul>
            {digest.outcomes.map((o) => (
              <li key={o.id}>
                <Link to={`/initiatives/${o.initiativeId}`}>{o.title}</Link> — {o.author ?? t("member.former")}: <span className="excerpt">{o.body}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {digest.decisions.length ? (
        <>
          <h2>{t("digest.decisions")}</h2>
          <ul>
            {digest.decisions.map((p) => (
              <li key={p.id}>
                <Link to={`/proposals/${p.id}`}>{p.title}</Link>: {t(p.adopted ? "digest.adopted" : "digest.notAdopted")}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {digest.nowUpdates.length ? (
        <>
          <h2>{t("digest.now")}</h2>
          <ul>
            {digest.nowUpdates.map((n) => (
              <li key={`${n.memberId}-${n.createdAt}`}>
                <Link to={`/members/${n.memberId}`}>{n.name}</Link>: {n.text}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <DigestMethods methods={digest.methods} />
      <OpenProposals proposals={digest.openProposals} asked={asked} forMembers={forMembers} />
      <p className="hint">
        {t("digest.subscribe")} <Link to="/settings#mail">{t("digest.subscribe.link")}</Link>
      </p>
    </section>
  );
}
